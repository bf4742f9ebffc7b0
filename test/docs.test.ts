import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { format } from "prettier";
import { afterAll, describe, expect, it } from "vitest";
import { emitDocs } from "../generator/emit/docs.js";
import { emitPolicies, policyDefinitions } from "../generator/emit/policies.js";
import { buildModel, type Model } from "../generator/model.js";
import { joinText } from "../generator/output/file-text.js";
import { parseSpecText } from "../generator/spec/parse.js";
import type {
  ActionRef,
  HttpMethod,
  Permission,
  PolicySet,
  Spec,
} from "../generator/spec/types.js";

const TEMPLATES = fileURLToPath(new URL("../templates", import.meta.url));
const REAL_SPEC = fileURLToPath(new URL("../spec/modelarts-training.yaml", import.meta.url));

function perm(
  id: string,
  method: HttpMethod,
  path: string,
  actions: ActionRef[],
  extra: Partial<Permission> = {},
): Permission {
  return {
    id,
    description: `Doing ${id}`,
    method,
    path,
    actions,
    scopes: { iamProject: true, enterpriseProject: true },
    ...extra,
  };
}

function modelOf(spec: Spec, name = "tiny"): Model {
  return buildModel([{ file: `spec/${name}.yaml`, name, hash: "0", spec }]);
}

/** The docs as the output pipeline leaves them: Markdown formatted by prettier, keyed by path. */
async function docsOf(model: Model, templatesDir = TEMPLATES): Promise<Map<string, string>> {
  const options = { parser: "markdown", proseWrap: "preserve", printWidth: 100 } as const;
  const files = emitDocs(model, { templatesDir });
  const formatted = await Promise.all(
    files.map(
      async (f) =>
        [f.path, f.kind === "md" ? await format(joinText(f.content), options) : joinText(f.content)] as const,
    ),
  );
  return new Map(formatted);
}

/** Only the Markdown pages of `docsOf`. */
function markdownOf(docs: Map<string, string>): [string, string][] {
  return [...docs].filter(([path]) => path.endsWith(".md"));
}

/** A GFM table row split on pipes that no backslash escapes, without the outer empty cells. */
function splitRow(line: string): string[] {
  return line
    .trim()
    .slice(1, -1)
    .split(/(?<!\\)\|/);
}

/** Every table of a page, as rows of raw cells; the delimiter row is dropped. */
function tablesOf(markdown: string): string[][][] {
  const tables: string[][][] = [];
  let current: string[][] | undefined;
  for (const line of markdown.split("\n")) {
    if (!line.startsWith("|")) {
      current = undefined;
      continue;
    }
    if (!current) tables.push((current = []));
    if (!/^\|[\s|:-]+\|$/.test(line)) current.push(splitRow(line));
  }
  return tables;
}

/** What a reader sees in a cell: code spans unwrapped, backslash escapes undone, `<br>` a line break. */
function cellText(raw: string): string {
  const cell = raw.trim().replace(/\\\|/g, "|");
  let text = "";
  for (let i = 0; i < cell.length;) {
    const fence = /^`+/.exec(cell.slice(i))?.[0];
    if (fence) {
      const end = cell.indexOf(fence, i + fence.length);
      const inner = cell.slice(i + fence.length, end);
      text +=
        inner.startsWith(" ") && inner.endsWith(" ") && inner.trim() !== ""
          ? inner.slice(1, -1)
          : inner;
      i = end + fence.length;
    } else if (cell.startsWith("<br>", i)) {
      text += "\n";
      i += 4;
    } else if (cell[i] === "\\" && i + 1 < cell.length) {
      text += cell[i + 1];
      i += 2;
    } else {
      text += cell[i];
      i += 1;
    }
  }
  return text;
}

const HOSTILE = [
  "pipe | in it",
  "back`tick`s ``",
  "line\nbreak\r\nand more",
  "{{handlebars}}",
  "<script>alert(1)</script>",
  "*/ end",
  "C:\\path\\|",
  "[link](x) & ~x~ $x$",
];

describe("hostile strings", () => {
  const permissions = HOSTILE.map((text, i) =>
    perm(
      `p${i}`,
      "GET",
      `/v1/{project_id}/p${i}`,
      [{ action: `modelarts:rt${i % 2}:get`, label: text }],
      {
        description: text,
        errata: [{ field: "path", source: text, spec: `/v1/{project_id}/p${i}`, reason: text }],
        verbatim: { action: text },
      },
    ),
  );
  const policySets: PolicySet[] = [
    { name: "hostile", description: HOSTILE.join(" "), allow: { access: ["read"] } },
  ];
  const spec: Spec = {
    service: "modelarts",
    source: { page: "p`|1", title: "Title | with `code` and <b>", tables: [] },
    permissions,
    policySets,
  };

  it("keep every table's column count and read back as written, after prettier", async () => {
    const docs = await docsOf(modelOf(spec));

    for (const [path, text] of markdownOf(docs)) {
      for (const table of tablesOf(text)) {
        const width = table[0]?.length;
        for (const row of table) expect(row.length, `${path}: ${row.join("|")}`).toBe(width);
      }
    }
    const page = tablesOf(docs.get("docs/tiny.md") ?? "")
      .flat()
      .map((row) => row.map(cellText));
    for (const text of HOSTILE)
      expect(page.some((row) => row[0] === text.replace(/\r\n/g, "\n"))).toBe(true);

    const errata =
      tablesOf(docs.get("docs/errata.md") ?? "")[0]
        ?.slice(1)
        .map((row) => row.map(cellText)) ?? [];
    expect(errata.map((row) => row[4])).toEqual(HOSTILE.map((t) => t.replace(/\r\n/g, "\n")));
    expect(errata.map((row) => row[2])).toEqual(HOSTILE.map((t) => t.replace(/\r\n|\n/g, " ")));
  });

  it("never reach the page as raw HTML or an extra link", async () => {
    const docs = await docsOf(modelOf(spec));
    for (const [, text] of markdownOf(docs)) {
      // Inside a code span, markup is shown as text; outside, it must arrive escaped.
      const outsideCode = text.replace(/(`+)[\s\S]*?(?<!`)\1(?!`)/g, "");
      expect(outsideCode).not.toMatch(/(?<!\\)<(script|b)>/);
      expect(outsideCode).not.toMatch(/(?<!\\)\]\(x\)/);
    }
    expect(docs.get("docs/tiny.md")).toContain("\\<script\\>");
  });
});

describe("template errors", () => {
  const dirs: string[] = [];
  afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));
  const model = modelOf({
    service: "modelarts",
    source: { page: "p", title: "T", tables: [] },
    permissions: [perm("a", "GET", "/v1/a", ["modelarts:a:get"])],
  });

  /** The message rendering the docs fails with when the errata template is replaced by `template`. */
  function failureWith(template: string): string {
    const dir = mkdtempSync(join(tmpdir(), "permgen-docs-"));
    dirs.push(dir);
    cpSync(TEMPLATES, dir, { recursive: true });
    writeFileSync(join(dir, "docs/errata.md.hbs"), template);
    try {
      // Pages render when their content is read, as the pipeline reads it.
      for (const file of emitDocs(model, { templatesDir: dir })) void file.content;
    } catch (error) {
      return error instanceof Error ? error.message : String(error);
    }
    return "";
  }

  it.each([
    [
      "a helper argument",
      "# E\n\n{{#each specs}}\n{{cell titel}}\n{{/each}}\n",
      /:4:1: .*"titel" \(given to cell\)/,
    ],
    [
      "a block condition",
      "# E\n{{#each specs}}\n\n{{#if erata}}x{{/if}}{{/each}}",
      /:4:1: .*"erata" \(given to #if\)/,
    ],
    [
      "a path through a missing value",
      "# E\n{{#each specs}}\n\n{{#if erata.length}}x{{/if}}{{/each}}",
      /:4:7: .*reads "erata.length", but "erata" is not a variable it is given/,
    ],
    [
      "a plain lookup",
      "# E\n{{#each specs}}{{titel}}{{/each}}",
      /:2:\d+: .*uses "titel", which is neither/,
    ],
    [
      "a syntax error",
      "# E\n{{#each specs}}\n{{/eahc}}",
      /:2:\d+: error: the template does not parse: each doesn't match eahc/,
    ],
    ["a helper given two values", "{{cell 1 2}}", /:1:1: error: cell takes exactly one value/],
  ])("name the template and line of %s, on one line", (_, template, pattern) => {
    const message = failureWith(template);

    expect(message).toMatch(/^.*docs\/errata\.md\.hbs:\d+:\d+: error: /);
    expect(message).toMatch(pattern);
    expect(message).not.toContain("\n");
  });
});

describe("empty policies", () => {
  it("are named as not written on the policies page", async () => {
    const spec: Spec = {
      service: "modelarts",
      source: { page: "p", title: "Writes", tables: [] },
      permissions: [perm("create", "POST", "/v1/x", ["modelarts:job:create"])],
    };
    const page = (await docsOf(modelOf(spec))).get("docs/policies.md") ?? "";
    expect(page).toMatch(/Not written, because they select no action:\s+`tiny-read-only`\./);
    expect(page).not.toContain("(../policies/tiny-read-only.json)");
  });
});

describe("the policy matrix", () => {
  /** A spec with `types` resource types of two actions each, one policy set and a wildcard. */
  function manyTypes(types: number): Spec {
    const permissions = Array.from({ length: types }, (_, i) =>
      perm(`p${i}`, "GET", `/v1/{project_id}/t${i}`, [
        `modelarts:type${i}:get`,
        `modelarts:type${i}:list`,
      ]),
    );
    permissions.push(perm("any", "GET", "/v1/{project_id}/any", ["modelarts:type*:get"]));
    return {
      service: "modelarts",
      source: { page: "p", title: "Many", tables: [] },
      permissions,
      policySets: [{ name: "readers", allow: { access: ["list"] } }],
    };
  }

  async function matrixOf(types: number): Promise<string[][]> {
    const page = (await docsOf(modelOf(manyTypes(types)))).get("docs/policies.md") ?? "";
    return tablesOf(page)[1] ?? [];
  }

  it("has as many columns for 2 resource types as for 60", async () => {
    const [few, many] = [await matrixOf(2), await matrixOf(60)];
    const header = (few[0] ?? []).map(cellText);

    expect(header).toEqual([
      "Action",
      "Full access",
      "Read-only",
      "Enterprise project",
      "readers",
      "Resource type policy",
    ]);
    expect((many[0] ?? []).map(cellText)).toEqual(header);
    expect(many.length).toBe(1 + 60 * 2 + 1);
    for (const row of many) expect(row.length).toBe(header.length);
  });

  it("leaves the cell empty for an action of a wildcard resource type", async () => {
    const rows = await matrixOf(2);
    const cellOf = (action: string) => rows.find((r) => cellText(r[0] ?? "") === action)?.[5];

    expect(cellOf("modelarts:type*:get")?.trim()).toBe("");
    expect(cellOf("modelarts:type1:list")?.trim()).toBe(
      "[`type1`](../policies/tiny-type1-full-access.json)",
    );
  });
});

describe("the real spec", () => {
  const text = existsSync(REAL_SPEC) ? readFileSync(REAL_SPEC, "utf8") : "";
  const spec = parseSpecText(text, "spec/modelarts-training.yaml").data as Spec;
  const model = () => modelOf(spec, "modelarts-training");
  const actionsOf = (p: Permission) => p.actions.map((a) => (typeof a === "string" ? a : a.action));

  it("lists every route of every row on its page, under each of its resource types", async () => {
    const page = (await docsOf(model())).get("docs/modelarts-training.md") ?? "";
    const rows = tablesOf(page)
      .flatMap((t) => t.slice(1))
      .map((row) => row.map(cellText));

    for (const p of spec.permissions) {
      const routes = p.routes ?? [{ method: p.method, path: p.path }];
      for (const route of routes) {
        const matches = rows.filter(
          (r) =>
            r[0] === p.description && r[1] === route.method && r[2]?.startsWith(route.path ?? "?"),
        );
        const types = new Set(actionsOf(p).map((a) => a.split(":")[1]));
        expect(matches.length, `${p.id} ${route.method} ${route.path}`).toBe(
          Math.max(1, types.size),
        );
      }
    }
  });

  it("indexes every action with the operations that need it", async () => {
    const rows = tablesOf((await docsOf(model())).get("docs/actions.md") ?? "").flatMap((t) =>
      t.slice(1),
    );
    const indexed = new Map(rows.map((r) => [cellText(r[0] ?? ""), r[4] ?? ""]));

    for (const p of spec.permissions) {
      for (const action of actionsOf(p)) {
        expect(indexed.has(action), action).toBe(true);
        expect(cellText(indexed.get(action) ?? "")).toContain(p.description);
      }
    }
  });

  /** The matrix of the policies page: its header and its rows, cells as written. */
  async function matrixOf(): Promise<{ header: string[]; rows: string[][] }> {
    const rows = tablesOf((await docsOf(model())).get("docs/policies.md") ?? "")[1] ?? [];
    return { header: (rows[0] ?? []).map(cellText), rows: rows.slice(1) };
  }

  type Statement = { Effect: string; Action: string[] };

  /** The actions a written policy's files allow and deny, read back from the emitted JSON. */
  function effectsOf(name: string): { allow: Set<string>; deny: Set<string> } {
    const files = emitPolicies(model(), { templatesDir: TEMPLATES }).filter((f) =>
      new RegExp(`^policies/${name}(-\\d+)?\\.json$`).test(f.path),
    );
    const statements = files.flatMap(
      (f) => (JSON.parse(joinText(f.content)) as { Statement: Statement[] }).Statement,
    );
    const of = (effect: string) =>
      new Set(statements.filter((st) => st.Effect === effect).flatMap((st) => st.Action));
    return { allow: of("Allow"), deny: of("Deny") };
  }

  it("marks Allow and Deny where each policy's files allow and deny the action", async () => {
    const { header, rows } = await matrixOf();
    const columns = policyDefinitions(model()).filter(
      (d) => d.allow.length + d.deny.length > 0 && d.kind !== "resource-type",
    );

    expect(columns.map((d) => d.kind)).toEqual(
      expect.arrayContaining(["full-access", "read-only", "enterprise-project", "policy-set"]),
    );
    expect(header).toEqual(["Action", ...columns.map((d) => d.label), "Resource type policy"]);
    expect(rows.map((r) => cellText(r[0] ?? ""))).toEqual(model().actions.map((a) => a.action));
    for (const [column, definition] of columns.entries()) {
      const { allow, deny } = effectsOf(definition.name);
      expect(allow.size, definition.name).toBeGreaterThan(0);
      for (const row of rows) {
        const action = cellText(row[0] ?? "");
        const marks = [allow.has(action) ? "Allow" : "", deny.has(action) ? "Deny" : ""];
        const expected = marks.filter(Boolean).join(", ");
        expect(cellText(row[column + 1] ?? ""), `${definition.label} ${action}`).toBe(expected);
      }
    }
  });

  it("names and links the policy of each action's resource type, which allows it", async () => {
    const { header, rows } = await matrixOf();
    const column = header.indexOf("Resource type policy");
    const policies = new Set(emitPolicies(model(), { templatesDir: TEMPLATES }).map((f) => f.path));

    expect(rows.length).toBeGreaterThan(20);
    for (const row of rows) {
      const action = cellText(row[0] ?? "");
      const type = action.split(":")[1] ?? "";
      const link = /^\[(.*)\]\(\.\.\/policies\/(.*)\.json\)$/.exec(row[column]?.trim() ?? "");

      expect(cellText(link?.[1] ?? ""), action).toBe(type);
      expect(policies.has(`policies/${link?.[2]}.json`), action).toBe(true);
      const { allow } = effectsOf(link?.[2] ?? "");
      expect(allow.has(action), action).toBe(true);
      expect([...allow].every((a) => a.split(":")[1] === type), action).toBe(true);
    }
  });

  it("lists every erratum of the spec with its source, spec and reason", async () => {
    const rows = tablesOf((await docsOf(model())).get("docs/errata.md") ?? "")
      .flatMap((t) => t.slice(1))
      .map((r) => r.map(cellText));
    const errata = spec.permissions.flatMap((p) =>
      (p.errata ?? []).map((e) => [p.description, e.field, e.source, e.spec, e.reason]),
    );

    expect(errata.length).toBeGreaterThan(0);
    for (const erratum of errata)
      expect(rows).toContainEqual(erratum.map((c) => c.replace(/\n/g, " ")));
  });

  it("regenerates the source table as reStructuredText beside the Markdown page", async () => {
    const rst = (await docsOf(model())).get("docs/modelarts-training.rst") ?? "";
    const files = emitDocs(model(), { templatesDir: TEMPLATES });

    expect(files.find((f) => f.path === "docs/modelarts-training.rst")?.kind).toBe("rst");
    expect(rst).toContain(".. table::");
    for (const p of spec.permissions) expect(rst).toContain(p.description);
  });

  it("links only to pages, anchors and policy files that exist", async () => {
    const docs = await docsOf(model());
    const policies = new Set(emitPolicies(model(), { templatesDir: TEMPLATES }).map((f) => f.path));
    const anchors = (page: string) =>
      new Set(
        [...page.matchAll(/^#+ (.*)$/gm)].map((m) =>
          cellText(m[1] ?? "")
            .toLowerCase()
            .replace(/[^a-z0-9 _-]/g, "")
            .replace(/ /g, "-"),
        ),
      );

    for (const [path, text] of markdownOf(docs)) {
      for (const [, target = ""] of text.matchAll(/\]\(([^)]+)\)/g)) {
        const [file = "", anchor] = target.split("#");
        const resolved =
          file === "" ? path : file.startsWith("../") ? file.slice(3) : `docs/${file}`;
        expect(docs.has(resolved) || policies.has(resolved), `${path} -> ${target}`).toBe(true);
        if (anchor !== undefined) {
          expect(anchors(docs.get(resolved) ?? ""), `${path} -> ${target}`).toContain(anchor);
        }
      }
    }
  });
});
