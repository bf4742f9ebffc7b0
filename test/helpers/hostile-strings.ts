/**
 * Hostile spec strings for property tests, and the checks that read each emitter's output back:
 * the arbitraries build batches of permissions whose free text tries to break out of TypeScript
 * literals and comments, JSON and Markdown tables; the checks say whether any did.
 */
import { join } from "node:path";
import fc from "fast-check";
import { expect } from "vitest";
import { buildModel, type Model } from "../../generator/model.js";
import { docText } from "../../generator/emit/ts-source.js";
import type { Permission, Spec } from "../../generator/spec/types.js";
import { ROOT } from "./hostile-project.js";
import {
  cellText,
  constObject,
  docCommentOf,
  literalValue,
  markdownTables,
  parseModule,
  propertyName,
  rawHtml,
  shownInCell,
  shownInDoc,
  syntaxProblems,
} from "./hostile-read.js";

/** Pieces that mean something to one of the output languages, mixed with ordinary text. */
export const PIECES = [
  "*/",
  "/*",
  "/**",
  "//",
  "`",
  "``",
  "${",
  "}",
  "$",
  '"',
  "'",
  "\\",
  "\\n",
  "\n",
  "\r\n",
  "\r",
  "|",
  "\\|",
  "{{",
  "}}",
  "{{{",
  "{{!--",
  "<script>",
  "</script>",
  "<!--",
  "-->",
  "<br>",
  "&amp;",
  "\u2028",
  "\u2029",
  "\u202e",
  "\u200f",
  "\t",
  "\u0000",
  "\u001b[31m",
  "\ufeff",
  "*",
  "_",
  "#",
  "[x](javascript:alert(1))",
  "- ",
  ": ",
  ".. raw:: html",
  "+--+",
  "===",
  "@param",
  " ",
  "a",
  "Z9",
  "é",
  "漢字",
  "😀",
];

/** Half a surrogate pair: lint refuses it, since no UTF-8 file can hold it. */
export const LONE_SURROGATE =
  /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** Hostile text: pieces and random code points, never empty; lint refuses lone surrogates. */
export const hostile = fc
  .array(
    fc.oneof(
      { weight: 4, arbitrary: fc.constantFrom(...PIECES) },
      { weight: 1, arbitrary: fc.string({ unit: "binary", maxLength: 3 }) },
    ),
    { minLength: 1, maxLength: 8 },
  )
  .map((parts) => parts.join(""))
  .filter((text) => text.trim() !== "" && !LONE_SURROGATE.test(text));

export interface Row {
  description: string;
  label: string;
  source: string;
  reason: string;
}

export const row = fc.record({
  description: hostile,
  label: hostile,
  source: hostile,
  reason: hostile,
});

export interface Batch {
  title: string;
  caption: string;
  setDescription: string;
  rows: Row[];
}

/** 40 permissions a run: 25 runs are 1,000 hostile permissions, each with four hostile strings. */
export const ROWS_PER_BATCH = 40;
export const RUNS = 25;

export const batch = fc.record({
  title: hostile,
  caption: hostile,
  setDescription: hostile,
  rows: fc.array(row, { minLength: ROWS_PER_BATCH, maxLength: ROWS_PER_BATCH }),
});

export function specOf(b: Batch): Spec {
  const permissions = b.rows.map((r, i): Permission => ({
    id: `op${i}`,
    description: r.description,
    method: i % 2 === 0 ? "POST" : "GET",
    path: `/v1/{project_id}/things${i}`,
    actions: [`svc:thing${i % 3}:op${i}`, { action: `svc:label:op${i}`, label: r.label }],
    scopes: { iamProject: true, enterpriseProject: i % 4 !== 0 },
    errata: [
      { field: "path", source: r.source, spec: `/v1/{project_id}/things${i}`, reason: r.reason },
    ],
  }));
  return {
    service: "svc",
    source: { page: "svc_01", title: b.title, tables: [{ caption: b.caption, columns: COLUMNS }] },
    policySets: [
      { name: "hostile-set", description: b.setDescription, allow: { resourceTypes: ["thing0"] } },
    ],
    permissions,
  };
}

export const COLUMNS = ["Permission", "API", "Action", "IAM Project", "Enterprise Project"];
export const TEMPLATES = { templatesDir: join(ROOT, "templates") };

export function modelOf(spec: Spec): Model {
  return buildModel([{ file: "spec/hostile.yaml", name: "hostile", hash: "0".repeat(64), spec }]);
}

export function expectRoutes(text: string, permissions: readonly Permission[]): void {
  expect(syntaxProblems(text, "routes.ts")).toEqual([]);
  const source = parseModule(text, "routes.ts");

  const routes = literalValue(constObject(source, "routes")) as Record<
    string,
    { description: string }
  >;
  expect(Object.keys(routes)).toEqual(permissions.map((p) => p.id));
  for (const p of permissions) expect(routes[p.id]?.description).toBe(p.description);

  const params = source.statements.find(
    (s): s is import("ts-morph").ts.InterfaceDeclaration =>
      "name" in s && (s as { name?: { text?: string } }).name?.text === "RouteParams",
  );
  const members = params?.members ?? [];
  expect(members.map((m) => (m.name ? propertyName(m.name) : ""))).toEqual(
    permissions.map((p) => p.id),
  );
  members.forEach((member, i) => {
    const p = permissions[i];
    const doc = docText(`${p?.method} ${p?.path}: ${p?.description}`);
    expect(shownInDoc(docCommentOf(member, source) ?? "")).toBe(shownInDoc(doc));
  });
}

export function expectActions(text: string, permissions: readonly Permission[]): void {
  expect(syntaxProblems(text, "actions.ts")).toEqual([]);
  const source = parseModule(text, "actions.ts");

  const object = constObject(source, "Actions");
  const values = Object.values(literalValue(object) as Record<string, string>);
  const expected = permissions.flatMap((p) =>
    p.actions.map((a) => (typeof a === "string" ? a : a.action)),
  );
  expect(values.sort()).toEqual([...expected].sort());

  const byAction = new Map(
    permissions.flatMap((p) =>
      p.actions.map((a) => [typeof a === "string" ? a : a.action, p.description]),
    ),
  );
  for (const property of object.properties) {
    if (!("initializer" in property)) throw new Error("Actions holds a property without a value");
    const action = literalValue(property.initializer as never) as string;
    const doc = shownInDoc(docText(byAction.get(action) ?? ""));
    expect(shownInDoc(docCommentOf(property, source) ?? "")).toBe(doc);
  }
  const info = literalValue(constObject(source, "actionInfo")) as Record<string, unknown>;
  expect(Object.keys(info).sort()).toEqual([...expected].sort());
}

export function expectSoundMarkdown(path: string, text: string): void {
  for (const table of markdownTables(text)) {
    for (const cells of table.rows)
      expect(cells.length, `${path}:${table.line}`).toBe(table.header.length);
  }
  text
    .split("\n")
    .forEach((line, i) => expect(rawHtml(line), `${path}:${i + 1}: ${line}`).toBeUndefined());
}

export function expectDocText(docs: ReadonlyMap<string, string>, b: Batch): void {
  const page = docs.get("docs/hostile.md") ?? "";
  // A heading, like a cell, drops the spaces around its text.
  const heading = (page.split("\n")[0] ?? "").replace(/^# [ \t]*/, "").replace(/[ \t]+$/, "");
  expect(cellText(heading)).toBe(shownInCell(b.title));

  const described = new Set(
    markdownTables(page).flatMap((t) => t.rows.map((r) => cellText(r[0] ?? ""))),
  );
  for (const r of b.rows) expect(described).toContain(shownInCell(r.description));

  const errata = markdownTables(docs.get("docs/errata.md") ?? "").flatMap((t) => t.rows);
  expect(errata.map((r) => cellText(r[0] ?? ""))).toEqual(
    b.rows.map((r) => shownInCell(r.description)),
  );
  expect(errata.map((r) => cellText(r[4] ?? ""))).toEqual(b.rows.map((r) => shownInCell(r.reason)));

  const policies = markdownTables(docs.get("docs/policies.md") ?? "").flatMap((t) => t.rows);
  const set = policies.find((r) => r[0] === "hostile-set");
  expect(cellText(set?.[4] ?? "")).toBe(shownInCell(b.setDescription));
}
