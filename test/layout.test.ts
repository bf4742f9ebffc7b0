/**
 * Markdown and JSON are written in their final layout, with no formatter run after the pipeline:
 * these tests prove pinned prettier, with the project's options, would write every such file the
 * same, byte for byte, and leaves it as it is. On the real spec's pages and policies, on the whole
 * output of 1,000 synthetic routes, and on pages and documents full of hostile strings.
 */
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { emitDocs } from "../generator/emit/docs.js";
import type { EmittedFile } from "../generator/emit/file.js";
import { markdownCell, markdownCode } from "../generator/emit/handlebars.js";
import { emitPolicies } from "../generator/emit/policies.js";
import { buildModel, type SourcedSpec } from "../generator/model.js";
import { bannerLines, REGENERATE_COMMAND, withBanner } from "../generator/output/banner.js";
import { joinText, sha256 } from "../generator/output/file-text.js";
import { layoutJson } from "../generator/output/json-layout.js";
import { buildManifest, MANIFEST_FILE } from "../generator/output/manifest.js";
import { layoutMarkdown } from "../generator/output/markdown-layout.js";
import { readTree } from "../generator/output/write.js";
import { render } from "../generator/pipeline.js";
import { formatSpec } from "../generator/spec/format.js";
import { loadSpecs } from "../generator/spec/load.js";
import { writeSyntheticSpecs } from "../bench/synthetic.mjs";
import { ROOT } from "./helpers/hostile-project.js";
import { prettierForm } from "./helpers/prettier-form.js";

const RUNS = { numRuns: 1000 };
const SLOW = 120_000;

/** The Markdown and JSON files of the real spec, as the pipeline hands them to the layout. */
async function realFiles(): Promise<{ files: Array<EmittedFile & { content: string }>; specs: SourcedSpec[] }> {
  const loaded = await loadSpecs(["spec"], ROOT);
  const model = buildModel(loaded.specs);
  const context = { templatesDir: join(ROOT, "templates") };
  const emitted = [...emitDocs(model, context), ...emitPolicies(model, context)];
  const specs = model.specs.map((s) => s.source);

  const files = emitted
    .filter((f) => f.kind === "md" || f.kind === "json")
    .map((f) => ({ ...f, content: joinText(withBanner(f.kind, f.content, bannerLines(specs, f.template))) }));
  return { files, specs: loaded.specs };
}

describe("layout > the real spec", () => {
  it("writes every docs page and policy as committed and as prettier writes it", async () => {
    const { files } = await realFiles();
    const committed = await readTree(join(ROOT, "generated"));
    expect(files.filter((f) => f.kind === "md").length).toBeGreaterThanOrEqual(5);
    expect(files.filter((f) => f.kind === "json").length).toBeGreaterThanOrEqual(10);

    for (const file of files) {
      const laidOut =
        file.kind === "md"
          ? layoutMarkdown(file.content)
          : layoutJson(file.content, file.path);
      expect(laidOut, file.path).toBe(committed.get(file.path));
      expect(laidOut, file.path).toBe(
        await prettierForm(file.kind as "md" | "json", file.content, file.path),
      );
    }
  });

  it("writes manifest.json as committed and as prettier writes it", async () => {
    const { specs } = await realFiles();
    const committed = await readTree(join(ROOT, "generated"));
    const hashes = new Map(
      [...committed].filter(([path]) => path !== MANIFEST_FILE).map(([p, t]) => [p, sha256(t)]),
    );
    const templates = await readTree(join(ROOT, "templates"));
    const compact = JSON.stringify(buildManifest(specs, templates, hashes, REGENERATE_COMMAND));

    const laidOut = layoutJson(compact, MANIFEST_FILE);
    expect(laidOut).toBe(committed.get(MANIFEST_FILE));
    expect(laidOut).toBe(await prettierForm("json", compact, MANIFEST_FILE));
  });
});

/**
 * Hostile text for a cell. markdownCell escapes every `{` (prettier's parser reads `{{…}}` and
 * `{%…%}` as Liquid tags, which could swallow a later code span's backtick) and the start of each
 * bare link (`www\.`, `\://`, which would take a following backslash in), so nothing is left out.
 */
const PIECES = [
  "*/",
  "`",
  "``",
  "${",
  '"',
  "'",
  "\\",
  "\\|",
  "\n",
  "\r\n",
  "|",
  "{{",
  "{%",
  "<script>",
  "<br>",
  "\u2028",
  "\u202e",
  "漢字",
  "😀",
  "e\u0301",
  "\u0301",
  "_",
  "*",
  "**",
  "&amp;",
  "~",
  "~~",
  "$",
  "$$",
  " ",
  "  ",
  "\t",
  "\u3000",
  "\u00a0",
  "\u007f",
  "---",
  "- ",
  "1. ",
  "> ",
  "[x](y)",
  "a",
  "Z9",
  "a@b.io",
  "x_y.",
  "ww.",
  "www.",
  "http:",
  "http://",
  "}",
  "}}",
  "#",
  " #",
];
const text = fc
  .array(
    fc.oneof(
      { weight: 4, arbitrary: fc.constantFrom(...PIECES) },
      { weight: 1, arbitrary: fc.string({ unit: "grapheme", maxLength: 3 }) },
    ),
    { maxLength: 8 },
  )
  .map((parts) => parts.join(""));

const cell = fc.oneof(
  text.map(markdownCell),
  text.map(markdownCode),
  text.map((t) => `[${markdownCode(t)}](../policies/${markdownCell(t).length}.json)`),
  fc
    .array(text.map(markdownCode), { minLength: 2, maxLength: 3 })
    .map((codes) => codes.join("<br>")),
  fc.constantFrom("", "Allow", "Deny", "Allow, Deny", "Y", "N"),
);

const table = fc.integer({ min: 1, max: 5 }).chain((columns) =>
  fc
    .record({
      head: fc.array(cell, { minLength: columns, maxLength: columns }),
      align: fc.array(fc.constantFrom("---", "-", ":--", "--:", ":-:"), {
        minLength: columns,
        maxLength: columns,
      }),
      rows: fc.array(fc.array(cell, { minLength: columns, maxLength: columns }), { maxLength: 6 }),
    })
    .map(({ head, align, rows }) =>
      [head, align, ...rows].map((r) => `| ${r.join(" | ")} |`).join("\n"),
    ),
);

// A heading's text never ends in `#` here: prettier drops a closing `#` run (so does the layout),
// and `# a # #` it writes as `# a #`, which it reads next time as `# a`: no fixpoint to test.
const heading = fc
  .tuple(
    fc.integer({ min: 1, max: 3 }),
    text.map((t) => t.replace(/#/g, "")),
  )
  .map(([level, t]) => `${"#".repeat(level)} ${markdownCell(t)}`);

const list = fc
  .array(fc.tuple(text, text, fc.boolean()), { minLength: 1, maxLength: 4 })
  .map((items) =>
    items
      .map(([title, file, more]) => {
        const link = `[${markdownCell(title)}](page.md)`;
        const first = `- ${link}: every operation of ${markdownCode(file)}`;
        return more ? `${first}\n  (source page ${markdownCode(title)}), grouped by type.` : first;
      })
      .join("\n"),
  );

const inline = fc.oneof(text.map(markdownCell), text.map(markdownCode));
const paragraph = fc
  .tuple(inline, inline, inline)
  .map(([a, b, c]) => `The operations of ${a} (source page ${b}),\ngrouped by the type of ${c}.`);

/** A page as the templates make one: a banner, then blocks with blank lines of any count. */
const block = fc.tuple(fc.oneof(table, heading, list, paragraph), fc.integer({ min: 1, max: 3 }));
const page = fc
  .record({ specFile: text, blocks: fc.array(block, { minLength: 1, maxLength: 6 }) })
  .map(({ specFile, blocks }) => {
    const spec = { file: specFile, name: "hostile", hash: "0".repeat(64) } as SourcedSpec;
    const body = blocks.map(([block, blanks]) => `${block}${"\n".repeat(blanks + 1)}`).join("");
    return joinText(withBanner("md", body, bannerLines([spec], "docs/spec.md.hbs")));
  });

describe("layout > a synthetic spec of 1,000 routes", () => {
  it(
    "gives every TypeScript, Markdown and JSON file of the output the layout prettier gives it",
    async () => {
      const dir = await mkdtemp(join(tmpdir(), "permgen-layout-"));
      try {
        await writeSyntheticSpecs(join(dir, "spec"), 1000, formatSpec);
        const { output } = await render({ cwd: dir, templates: join(ROOT, "templates") });
        const files = [...(output ?? [])].filter(([path]) => /\.(ts|md|json)$/.test(path));

        expect(files.length).toBeGreaterThan(40);
        for (const [path, text] of files) {
          const kind = path.endsWith(".ts") ? "ts" : path.endsWith(".md") ? "md" : "json";
          expect(await prettierForm(kind, text, path), path).toBe(text);
        }
      } finally {
        await rm(dir, { recursive: true, force: true });
      }
    },
    SLOW,
  );
});

describe("layoutMarkdown", () => {
  it(
    "writes hostile pages as prettier writes them, and prettier leaves the result as it is",
    async () => {
      await fc.assert(
        fc.asyncProperty(page, async (source) => {
          const laidOut = layoutMarkdown(source);
          expect(laidOut).toBe(await prettierForm("md", source, "docs/page.md"));
          expect(await prettierForm("md", laidOut, "docs/page.md")).toBe(laidOut);
        }),
        RUNS,
      );
    },
    SLOW,
  );

  it.each([
    [
      "a table with aligned columns",
      "| a | b | c |\n| :-- | --: | :-: |\n| xxxxx | 漢字 | 😀 |\n| `x` |",
    ],
    [
      "a code span fenced longer than it needs",
      "| h |\n| --- |\n| ```a``b``` | `` `a `` | ` a ` |",
    ],
    ["an escaped pipe in a code span in a table", "| h |\n| --- |\n| `a\\|b` |"],
    ["a Liquid tag, kept whole", "x {{a   b}} y   z {%c\td%}\n\n| h |\n| - |\n| {{a  b}} |"],
    [
      "a bare link hiding a code span",
      "www.x.com`a  b` and http://x.io`c  d` but www.x_y.com`e  f`",
    ],
    ["a link ending before `](`", "www.x.io](`a  b`) and a@b.io`c  d`"],
    ["a heading with a closing run", "# a #\n## b ##   \n### \\#\n#"],
    ["a hard break and a list marker in a line", "a  \nb\\\nc   \n  2. d\n\n- e  \n  f\n+ g"],
    [
      "fenced code and HTML",
      "~~~js  x  y\na   \n\n```\n~~~\n\n<!--\nb   \n-->\n<div>\nc   \n</div>",
    ],
    ["a thematic break and setext headings", "***\n\nx\n===\n\ny\n---\n\n- - -"],
    ["blocks with no blank line between", "p\n# h\n| a |\n| - |\n| b |\n- x\n<!-- c -->\nq"],
  ])("writes %s as prettier does", async (_name, source) => {
    const laidOut = layoutMarkdown(source);
    expect(laidOut).toBe(await prettierForm("md", source, "docs/page.md"));
  });

  it("lays out a table of 100,000 rows", async () => {
    const rows = Array.from({ length: 100_000 }, (_, i) => [
      markdownCell(i % 1000 === 0 ? `Opération ${i} 漢字` : `Operation ${i}`),
      i % 2 === 0 ? "GET" : "POST",
      markdownCode(`/v1/{project_id}/things/${i}`),
    ]);
    const source = [
      "| Operation | Method | Path |",
      "| --- | --- | --- |",
      ...rows.map((r) => `| ${r.join(" | ")} |`),
    ];

    const lines = layoutMarkdown(source.join("\n")).split("\n");
    const { util } = await import("prettier");
    expect(lines).toHaveLength(100_003);
    expect(new Set(lines.slice(0, -1).map((l) => util.getStringWidth(l))).size).toBe(1);
    expect(lines[100_001]?.split("|").map((c) => c.trim())).toEqual([
      "",
      ...(rows[99_999] ?? []),
      "",
    ]);
  });
});

const json = fc.string({ unit: "grapheme", maxLength: 4 });
const hostileString = fc
  .array(
    fc.oneof(
      { weight: 3, arbitrary: fc.constantFrom(...PIECES, "modelarts:trainJob:create") },
      { weight: 1, arbitrary: json },
    ),
    {
      maxLength: 6,
    },
  )
  .map((parts) => parts.join(""));

const policy = fc.record({
  Version: fc.constant("1.1"),
  Statement: fc.array(
    fc.record({
      Effect: fc.constantFrom("Allow", "Deny"),
      Action: fc.array(hostileString, { minLength: 1, maxLength: 14 }),
    }),
    { minLength: 1, maxLength: 4 },
  ),
});

const number = fc.oneof(
  fc.integer(),
  fc.double({ noNaN: true, noDefaultInfinity: true }),
  fc.constantFrom(1e21, 1.5e-7),
);
const { value: anyValue } = fc.letrec((tie) => ({
  value: fc.oneof(
    { depthSize: "small" },
    hostileString,
    number,
    fc.boolean(),
    fc.constant(null),
    tie("array"),
    tie("object"),
  ),
  array: fc.oneof(
    fc.array(tie("value"), { maxLength: 5 }),
    fc.array(hostileString, { maxLength: 12 }),
    fc.array(number, { maxLength: 40 }),
  ),
  object: fc.dictionary(hostileString, tie("value"), { maxKeys: 5 }),
}));

describe("layoutJson", () => {
  // Prettier keeps an object on one line only when no line break follows its `{`, and the policy
  // template writes one after every `{`: the layout writes every object that way, whatever the
  // input, so it is compared with prettier's layout of the value written out the same way.
  it(
    "writes policies and any JSON value as prettier writes them, whatever their whitespace",
    async () => {
      await fc.assert(
        fc.asyncProperty(
          fc.oneof(
            policy,
            anyValue.map((v) => JSON.parse(JSON.stringify(v)) as unknown),
          ),
          async (value) => {
            const laidOut = layoutJson(JSON.stringify(value), "policies/p.json");
            const expanded = JSON.stringify(value, null, 2);
            expect(laidOut).toBe(await prettierForm("json", expanded, "policies/p.json"));
            expect(layoutJson(expanded, "policies/p.json")).toBe(laidOut);
            expect(await prettierForm("json", laidOut, "policies/p.json")).toBe(laidOut);
            expect(JSON.parse(laidOut)).toEqual(value);
          },
        ),
        RUNS,
      );
    },
    SLOW,
  );

  it("keeps keys in their order and writes numbers in a form prettier keeps", async () => {
    const source = '{"b":[1.50,1E+05,1e21,-0.25e-7],"c":{},"a":1}';
    const laidOut = layoutJson(source, "x.json");

    expect(laidOut).toBe('{\n  "b": [1.5, 100000, 1e21, -2.5e-8],\n  "c": {},\n  "a": 1\n}\n');
    expect(await prettierForm("json", laidOut, "x.json")).toBe(laidOut);
  });

  it("names the file when given text that is not JSON, which only a fault in permgen can make", () => {
    expect(() => layoutJson('{"a":}', "policies/p.json")).toThrow(
      /^permgen rendered policies\/p\.json as text that is not JSON \(/,
    );
  });
});
