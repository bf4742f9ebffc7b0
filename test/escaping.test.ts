/**
 * Spec strings that try to break out of what they are emitted into: comment ends, backticks,
 * `${`, quotes, backslashes, line breaks, `|`, `{{`, HTML, U+2028/U+2029 and U+202E.
 *
 * The property runs the emitters themselves on batches of hostile permissions (the full pipeline
 * adds only prettier and the banner, and costs too much per case to run a thousand times), then
 * reads every output back the way its consumer would: TypeScript must parse, its literals must be
 * plain data holding exactly the spec's strings, its doc comments must hold the text and nothing
 * more; JSON must parse; every Markdown table row keeps its columns and its cells decode to the
 * spec's strings; the regenerated source table reads back to the same descriptions. One hostile
 * spec then goes all the way through `generate`, `check` and a strict type-check.
 */
import { mkdir, readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { actionsSource } from "../generator/emit/actions.js";
import { emitDocs } from "../generator/emit/docs.js";
import { markdownCell, markdownCode } from "../generator/emit/handlebars.js";
import { emitPolicies } from "../generator/emit/policies.js";
import { routesSource } from "../generator/emit/routes.js";
import { renderRstPage } from "../generator/emit/rst-table.js";
import { docText, propertyKey, stringLiteral } from "../generator/emit/ts-source.js";
import { importPage } from "../generator/import/importer.js";
import { joinText } from "../generator/output/file-text.js";
import { readTree } from "../generator/output/write.js";
import { formatSpec } from "../generator/spec/format.js";
import { lintSpecs } from "../generator/spec/lint.js";
import { parseSpecText } from "../generator/spec/parse.js";
import { validateSpec } from "../generator/spec/schema.js";
import { makeProject, removeProject, ROOT, runCli } from "./helpers/hostile-project.js";
import {
  cellText,
  constObject,
  literalValue,
  markdownTables,
  parseModule,
  rawHtml,
  shownInCell,
  syntaxProblems,
  tableCells,
} from "./helpers/hostile-read.js";
import {
  batch,
  expectActions,
  expectDocText,
  expectRoutes,
  expectSoundMarkdown,
  hostile,
  modelOf,
  RUNS,
  specOf,
  TEMPLATES,
} from "./helpers/hostile-strings.js";
import { typecheck } from "./helpers/typecheck.js";

describe("the encoders, one string at a time", () => {
  it(
    "keep any string inside its TypeScript literal, doc comment or Markdown cell",
    { timeout: 60_000 },
    () => {
      fc.assert(
        fc.property(hostile, (text) => {
          const entry = `${propertyKey(text)}: ${stringLiteral(text)}`;
          const module = `/** ${docText(text)} */\nexport const a = { ${entry} };\n`;
          expect(syntaxProblems(module, "a.ts")).toEqual([]);
          const source = parseModule(module, "a.ts");
          expect(source.statements).toHaveLength(1);
          expect(Object.entries(literalValue(constObject(source, "a")) as object)).toEqual([
            [text, text],
          ]);

          const cells = tableCells(`| ${markdownCell(text)} | ${markdownCode(text)} | x |`);
          expect(cells).toHaveLength(3);
          expect(cellText(cells[0] ?? "")).toBe(shownInCell(text));
          expect(rawHtml(cells[0] ?? "")).toBeUndefined();
        }),
        { numRuns: 1000 },
      );
    },
  );
});

describe("bidi controls", () => {
  const BIDI = "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u200e\u200f\u061c";
  const ESCAPED =
    "\\u202a\\u202b\\u202c\\u202d\\u202e\\u2066\\u2067\\u2068\\u2069\\u200e\\u200f\\u061c";

  it("are written as escapes in string literals, doc comments and Markdown", () => {
    const text = `a${BIDI}b`;

    expect(stringLiteral(text)).toBe(`"a${ESCAPED}b"`);
    expect(
      literalValue(
        constObject(parseModule(`const a = { k: ${stringLiteral(text)} };`, "a.ts"), "a"),
      ),
    ).toEqual({ k: text });
    expect(docText(text)).toBe(`a${ESCAPED}b`);
    expect(markdownCell(text)).toBe(`a${ESCAPED.replace(/\\/g, "\\\\")}b`);
    expect(markdownCode(text)).toBe(`\`a${ESCAPED}b\``);
  });

  it("never reach the generated routes, actions or docs raw", () => {
    const hidden = `x${BIDI}y`;
    const row = {
      description: `Getting a \u202eThing`,
      label: hidden,
      source: hidden,
      reason: hidden,
    };
    const spec = specOf({ title: hidden, caption: hidden, setDescription: hidden, rows: [row] });
    const model = modelOf(spec);
    const outputs = [
      routesSource(model.routes).join(""),
      actionsSource(model).join(""),
      ...emitDocs(model, TEMPLATES)
        .filter((f) => f.path.endsWith(".md"))
        .map((f) => f.content),
    ];

    for (const output of outputs)
      expect(output).not.toMatch(/[\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/);
    expect(outputs[0]).toContain('description: "Getting a \\u202eThing"');
  });
});

describe("the emitters, on batches of hostile permissions", () => {
  it(
    "write TypeScript that parses and holds each string exactly, as data",
    { timeout: 120_000 },
    () => {
      fc.assert(
        fc.property(batch, (b) => {
          const spec = specOf(b);
          const model = modelOf(spec);
          expectRoutes(routesSource(model.routes).join(""), spec.permissions);
          expectActions(actionsSource(model).join(""), spec.permissions);
        }),
        { numRuns: RUNS },
      );
    },
  );

  it(
    "write JSON that parses and Markdown whose tables keep their columns and text",
    { timeout: 120_000 },
    () => {
      fc.assert(
        fc.property(batch, (b) => {
          const spec = specOf(b);
          const model = modelOf(spec);
          for (const file of emitPolicies(model, TEMPLATES)) {
            expect(JSON.parse(joinText(file.content))).toMatchObject({ Version: "1.1" });
          }
          const docs = new Map(emitDocs(model, TEMPLATES).map((f) => [f.path, joinText(f.content)]));
          for (const [path, text] of docs)
            if (path.endsWith(".md")) expectSoundMarkdown(path, text);
          expectDocText(docs, b);
        }),
        { numRuns: RUNS },
      );
    },
  );

  it(
    "regenerate a source table that reads back to the same one-line descriptions",
    { timeout: 60_000 },
    () => {
      const oneLine = hostile
        .map((text) =>
          text.replace(/[\n\r\u2028\u2029\u000b\u000c\u001c-\u001e\u0085]/g, " ").trim(),
        )
        .filter((text) => text !== "");
      fc.assert(
        fc.property(fc.array(oneLine, { minLength: 10, maxLength: 10 }), (descriptions) => {
          const spec = specOf({
            title: "Title",
            caption: "Caption",
            setDescription: "x",
            rows: [],
          });
          spec.permissions = descriptions.map((description, i) => ({
            id: `op${i}`,
            description,
            method: "GET",
            path: `/v1/{project_id}/things${i}`,
            actions: [`svc:thing:op${i}`],
            scopes: { iamProject: true, enterpriseProject: false },
          }));

          const again = importPage(renderRstPage(spec), "page.rst").spec;

          expect(again.permissions.map((p) => p.description)).toEqual(descriptions);
        }),
        { numRuns: 100 },
      );
    },
  );
});

describe("hostile ids", () => {
  it("are refused by lint unless they are plain camelCase identifiers", { timeout: 60_000 }, () => {
    fc.assert(
      fc.property(hostile, (id) => {
        const spec = specOf({ title: "T", caption: "C", setDescription: "x", rows: [] });
        spec.policySets = [];
        spec.permissions = [
          {
            id,
            description: "Listing Things",
            method: "GET",
            path: "/v1/things",
            actions: [],
            scopes: { iamProject: true, enterpriseProject: true },
          },
        ];
        const parsed = parseSpecText(formatSpec(spec, ""), "spec/hostile.yaml");
        const valid = validateSpec(parsed).spec;
        const codes = valid ? lintSpecs([{ parsed, spec: valid }]).map((d) => d.code) : ["schema"];

        if (/^[a-z][A-Za-z0-9]*$/.test(id)) expect(codes).not.toContain("id-syntax");
        else expect(codes.length > 0 && (codes.includes("id-syntax") || !valid)).toBe(true);
      }),
      { numRuns: 300 },
    );
  });
});

describe("a spec full of hostile strings, through the whole pipeline", () => {
  const FIXTURE = "test/fixtures/hostile/spec-hostile-strings.yaml";
  let dir: string;
  let output: Map<string, string>;

  beforeAll(async () => {
    dir = await makeProject();
    await mkdir(join(dir, "hostile"));
    const spec = await readFile(join(ROOT, FIXTURE));
    await writeFile(join(dir, "hostile/spec.yaml"), spec);

    const generated = await runCli(
      ["generate", "--spec", "hostile/spec.yaml", "--out", "out"],
      dir,
    );
    expect(generated.code, generated.stderr.join("\n")).toBe(0);
    output = await readTree(join(dir, "out"));
  });

  afterAll(async () => {
    await removeProject(dir);
  });

  it("passes lint, and check finds the written output current byte for byte", async () => {
    const lint = await runCli(["lint", "hostile/spec.yaml"], dir);
    const check = await runCli(["check", "--spec", "hostile/spec.yaml", "--out", "out"], dir);

    expect(lint.code, lint.stderr.join("\n")).toBe(0);
    expect(check.code, check.stdout).toBe(0);
  });

  it("emits TypeScript a consumer with the strictest settings compiles", () => {
    const sources = Object.fromEntries([...output].filter(([path]) => path.endsWith(".ts")));
    expect(Object.keys(sources)).toContain("routes.ts");

    expect(typecheck(sources)).toEqual([]);
  });

  it("keeps every Markdown table's columns after prettier has formatted it", () => {
    for (const [path, text] of output) {
      if (!path.endsWith(".md")) continue;
      for (const table of markdownTables(text)) {
        for (const cells of table.rows)
          expect(cells.length, `${path}:${table.line}`).toBe(table.header.length);
      }
    }
    expect(output.get("docs/spec.md")).toContain("| Creating \\*/ /\\* \\`\\$\\{x}\\`");
  });

  it("serves ids named after Object.prototype members at run time", async () => {
    const routes = (await import(pathToFileURL(join(dir, "out/routes.ts")).href)) as RoutesModule;
    const actions = (await import(
      pathToFileURL(join(dir, "out/actions.ts")).href
    )) as ActionsModule;

    expect(routes.matchRoute("GET", "/v1/p1/things/a%2Fb")).toMatchObject({
      id: "valueOf",
      params: { project_id: "p1", toString: "a/b" },
    });
    expect(routes.matchRoute("POST", "/v1/p1/things")?.id).toBe("constructor");
    expect(routes.buildPath("valueOf", { project_id: "p", toString: "x y" })).toBe(
      "/v1/p/things/x%20y",
    );
    expect(() => routes.buildPath("valueOf", { project_id: "p" })).toThrow(/toString/);
    expect(actions.isAction("modelarts:__proto__:get")).toBe(true);
    expect(
      ["toString", "constructor", "__proto__", "hasOwnProperty"].map(actions.isAction),
    ).toEqual([false, false, false, false]);
  });
});

describe("spec paths in the banner", () => {
  it("cannot end the banner's comment early in TypeScript, Markdown or RST", async () => {
    const dir = await makeProject();
    try {
      const where = join(dir, "x*", "a-->");
      await mkdir(where, { recursive: true });
      await writeFile(
        join(where, "spec.yaml"),
        await readFile(join(ROOT, "spec/modelarts-training.yaml")),
      );

      const result = await runCli(["generate", "--spec", "x*/a-->", "--out", "out"], dir);
      const check = await runCli(["check", "--spec", "x*/a-->", "--out", "out"], dir);
      const out = await readTree(join(dir, "out"));

      expect(result.code, result.stderr.join("\n")).toBe(0);
      expect(check.code, check.stdout).toBe(0);
      expect(syntaxProblems(out.get("routes.ts") ?? "", "routes.ts")).toEqual([]);
      const routes = parseModule(out.get("routes.ts") ?? "", "routes.ts");
      expect(routes.statements[0]?.getText()).toMatch(/^import /);
      const readme = out.get("docs/README.md") ?? "";
      expect(readme.indexOf("-->")).toBe(readme.indexOf("\n-->\n") + 1);
      expect(out.get("docs/spec.rst")?.split("\n\n")[0]).toMatch(/^\.\.\n(?: {3}\S.*\n?)+$/);
    } finally {
      await removeProject(dir);
    }
  });
});

interface RoutesModule {
  matchRoute(
    method: string,
    url: string,
  ): { id: string; params: Record<string, string> } | undefined;
  buildPath(id: string, params: Record<string, string>): string;
}

interface ActionsModule {
  isAction(value: string): boolean;
}

describe("the regenerated RST page", () => {
  /** Every line break docutils knows besides `\n`. */
  const BREAKS = ["\u2028", "\u2029", "\u000b", "\u000c", "\u0085", "\r"];

  function pageOf(fields: { title: string; caption: string; intro?: string }): string {
    const rows = BREAKS.map((b, i) => ({
      description: `Row${b}${i}`,
      label: "l",
      source: "s",
      reason: "r",
    }));
    const spec = specOf({ ...fields, setDescription: "x", rows });
    if (fields.intro !== undefined) spec.source.intro = fields.intro;
    return renderRstPage(spec);
  }

  it("keeps the title, caption and cells on their lines whatever line breaks they hold", () => {
    const page = pageOf({ title: `A\u2028B\nC\u000bD`, caption: `E\nF\u0085G`, intro: "Intro." });
    const lines = page.split("\n");
    const title = lines.indexOf("A B C D");

    expect(page).not.toMatch(/[\r\u000b\u000c\u0085\u2028\u2029]/);
    expect(lines[title + 1]).toBe("=".repeat("A B C D".length));
    expect(lines).toContain(".. table:: **Table 1** E F G");
    const grid = lines.filter((line) => line.startsWith("   "));
    for (const line of grid) expect(line).toMatch(/^ {3}[+|].*[+|]$/);
    const again = importPage(page, "page.rst").spec;
    expect(again.source).toMatchObject({ title: "A B C D", tables: [{ caption: "E F G" }] });
    expect(again.permissions.map((p) => p.description)).toEqual(BREAKS.map((_, i) => `Row ${i}`));
  });

  it("writes an intro line that would open a directive, comment or target as text", () => {
    const intro = [
      "Before.",
      ".. raw:: html",
      "",
      "   <script>alert(1)</script>",
      "",
      "  .. |x| replace:: y",
      "__ https://example.com",
    ].join("\n");
    const page = pageOf({
      title: "T",
      caption: "C",
      intro: `${intro}\u2028.. include:: /etc/passwd`,
    });
    const lines = page.split("\n");
    const introLines = lines.slice(
      lines.indexOf("=") + 1,
      lines.findIndex((l) => l.startsWith(".. table::")),
    );

    expect(introLines.filter((line) => /^\s*(\.\.|__ )/.test(line))).toEqual([]);
    expect(introLines).toEqual(
      expect.arrayContaining([
        "\\.. raw:: html",
        "\\.. |x| replace:: y",
        "\\__ https://example.com",
        "\\.. include:: /etc/passwd",
      ]),
    );
  });
});
