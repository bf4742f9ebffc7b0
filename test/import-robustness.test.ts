import { readdirSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { InputError } from "../generator/diagnostics.js";
import { renderRstPage } from "../generator/emit/rst-table.js";
import { importPage } from "../generator/import/importer.js";
import { routesOf, type Spec } from "../generator/spec/types.js";

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
