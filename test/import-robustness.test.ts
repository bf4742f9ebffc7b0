import { readdirSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { InputError } from "../generator/diagnostics.js";
import { renderRstPage } from "../generator/emit/rst-table.js";
import { importPage } from "../generator/import/importer.js";
import { routesOf, type Spec } from "../generator/spec/types.js";
import { corpusFile } from "./helpers/corpus.js";

const DIRS = [
  fileURLToPath(new URL("../../shared/corpus/modelarts/", import.meta.url)),
  fileURLToPath(new URL("./fixtures/import/", import.meta.url)),
];
const PAGES = DIRS.flatMap((dir) =>
  readdirSync(dir).map((name) => readFileSync(dir + name, "utf8")),
);
const NOISE = [
  "|",
  "+",
  "-",
  "=",
  " ",
  "\n",
  "{",
  "}",
  "/",
  ":",
  "`",
  "*",
  "\t",
  "GET ",
  "\\",
  "é",
];

const edit = fc.record({
  at: fc.nat(),
  kind: fc.constantFrom("delete", "insert", "cut"),
  text: fc.constantFrom(...NOISE),
});

/** A corpus or fixture page damaged by a few random edits. */
const damagedPage = fc
  .record({
    page: fc.nat({ max: PAGES.length - 1 }),
    edits: fc.array(edit, { minLength: 1, maxLength: 4 }),
  })
  .map(({ page, edits }) =>
    edits.reduce((text, { at, kind, text: noise }) => {
      const i = at % (text.length + 1);
      if (kind === "delete") return text.slice(0, i) + text.slice(i + 1);
      if (kind === "insert") return text.slice(0, i) + noise + text.slice(i);
      return text.slice(0, i);
    }, PAGES[page] ?? ""),
  );

function rows(spec: Spec): unknown[] {
  return spec.permissions.map((p) => [
    p.description,
    p.table,
    routesOf(p),
    p.actions,
    p.noAction,
    p.relatedActions,
    p.noRelatedAction,
    p.scopes,
    p.verbatim,
  ]);
}

describe("import > damaged pages", () => {
  it("never fails with anything but an InputError, and what it reads survives a round trip", () => {
    fc.assert(
      fc.property(damagedPage, (text) => {
        let spec: Spec;
        try {
          spec = importPage(text, "damaged.rst").spec;
        } catch (error) {
          expect(error).toBeInstanceOf(InputError);
          expect((error as InputError).message).toMatch(
            /^damaged\.rst:\d+:\d+: error: [^\n]+; [^\n]+$/,
          );
          return;
        }
        expect(rows(importPage(renderRstPage(spec), "again.rst").spec)).toEqual(rows(spec));
      }),
      { numRuns: 400, seed: 20240617 },
    );
  });
});

/**
 * The training page's 28 rows copied until the table has `count` rows, each copy with its own
 * description and a path under its own first segment, redrawn with columns wide enough for them.
 */
function longPage(count: number): string {
  const source = readFileSync(corpusFile("training_job_permissions.rst"), "utf8");
  const cells = source
    .split("\n")
    .filter((line) => line.trimStart().startsWith("|"))
    .map((line) =>
      line
        .trim()
        .slice(1, -1)
        .split("|")
        .map((cell) => cell.trim()),
    );
  const [header = [], ...body] = cells;
  const rows = Array.from({ length: count }, (_, n) => {
    const [description = "", api = "", ...rest] = body[n % body.length] ?? [];
    return [`${description} Copy ${n}`, api.replace(" /", ` /copy${n}/`), ...rest];
  });

  const widths = header.map(
    (_, col) => 2 + Math.max(...[header, ...rows].map((r) => widthOf(r, col))),
  );
  const border = (char: string): string => `   +${widths.map((w) => char.repeat(w)).join("+")}+`;
  const line = (row: string[]): string =>
    `   |${widths.map((w, col) => ` ${(row[col] ?? "").padEnd(w - 1)}`).join("|")}|`;
  const table = [border("-"), line(header), border("=")];
  for (const row of rows) table.push(line(row), border("-"));
  return ["Long Page", "=========", "", ".. table:: **Table 1** Long", "", ...table, ""].join("\n");
}

function widthOf(row: readonly string[], col: number): number {
  return (row[col] ?? "").length;
}

describe("import > long pages", () => {
  it("reads a 5,000-row page, every row once with its own id", () => {
    const { spec } = importPage(longPage(5000), "long.rst");
    const ids = spec.permissions.map((p) => p.id);

    expect(spec.permissions).toHaveLength(5000);
    expect(new Set(ids).size).toBe(5000);
    // Row 4999 is a copy of the training page's row 16 (4999 = 178 * 28 + 15).
    expect(spec.permissions[4999]).toMatchObject({
      description: "Querying a List of Training Job Configurations Copy 4999",
      method: "GET",
      path: "/copy4999/v1/{project_id}/training-job-configs",
    });
  });
});
