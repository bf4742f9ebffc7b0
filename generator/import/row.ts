/**
 * One table row read into a draft permission: every cell but the routes is final here. Routes
 * stay as written until `settleRoutes` has seen the whole page, because whether a slip in a path
 * can be repaired depends on the other routes.
 */
import type { Position } from "../diagnostics.js";
import type { Permission, Verbatim } from "../spec/types.js";
import { CellText, type Finding } from "./cell-text.js";
import { readActionCell, readApiCell, readScopeCell, type RawRoute } from "./cells.js";
import { ACTION } from "./repairs.js";
import { joinLines, type TableRow } from "./table-rows.js";

export interface Draft {
  at: Position;
  /** Only set when the page has several permission tables. */
  table?: number;
  routes: RawRoute[];
  /** The API cell as written, kept verbatim when one of its paths turns out to be unusable. */
  apiText: string;
  /** The permission without its id and routes, which later steps fill in. */
  permission: Permission;
}

/** Service prefixes of every well-formed action on the page, for splitting run-together ones. */
export function pageServices(rows: readonly TableRow[]): Set<string> {
  const services = new Set<string>();
  for (const row of rows) {
    for (const lines of [row.cells.action, row.cells.relatedAction]) {
      for (const word of joinLines(lines ?? []).split(/[\s,;]+/)) {
        if (ACTION.test(word)) services.add(word.slice(0, word.indexOf(":")));
      }
    }
  }
  return services;
}

/** Reads one row's cells into a draft; what a cell does not say beyond doubt is reported. */
export function readRow(
  row: TableRow,
  tableCount: number,
  services: ReadonlySet<string>,
  findings: Finding[],
): Draft {
  const description = joinLines(row.cells.description ?? []);
  if (description === "") {
    findings.push({
      ...row.at,
      code: "empty-description",
      message: "a row with an empty Permission cell",
      hint: 'its id is made from "operation"; describe the operation in the table',
    });
  }

  const verbatim: Verbatim = {};
  const api = readApi(row, verbatim, findings);
  const permission: Permission = {
    id: "",
    description,
    actions: [],
    scopes: { iamProject: false, enterpriseProject: false },
  };

  if (tableCount > 1) permission.table = row.table;
  readActions(row, services, permission, verbatim, findings);
  readScopes(row, permission, verbatim, findings);
  if (Object.keys(verbatim).length > 0) permission.verbatim = verbatim;
  const apiText = CellText.fromLines(row.cells.api ?? [], "/").text.trim();
  return {
    at: row.at,
    ...(tableCount > 1 ? { table: row.table } : {}),
    routes: api,
    apiText,
    permission,
  };
}

function readApi(row: TableRow, verbatim: Verbatim, findings: Finding[]): RawRoute[] {
  if (!row.cells.api) return [];

  const read = readApiCell(CellText.fromLines(row.cells.api, "/"));
  if (read.verbatim !== undefined) verbatim.api = read.verbatim;
  if (read.finding) findings.push(read.finding);
  return read.routes;
}

function readActions(
  row: TableRow,
  services: ReadonlySet<string>,
  permission: Permission,
  verbatim: Verbatim,
  findings: Finding[],
): void {
  // A row whose Action cell is swallowed by a cell spanning columns is reported at the row.
  const lines = row.cells.action ?? [{ text: "", ...row.at }];
  const action = readActionCell(CellText.fromLines(lines, ":"), "actions", services);
  permission.actions = action.actions;
  if (action.placeholder !== undefined) permission.noAction = action.placeholder;
  if (action.verbatim !== undefined) verbatim.action = action.verbatim;
  findings.push(...action.findings);
  const errata = [...action.errata];

  if (row.cells.relatedAction) {
    const related = readActionCell(
      CellText.fromLines(row.cells.relatedAction, ":"),
      "relatedActions",
      services,
    );
    const labelled = related.actions.filter((ref) => typeof ref !== "string");
    permission.relatedActions = related.actions.map((ref) =>
      typeof ref === "string" ? ref : ref.action,
    );
    if (related.placeholder !== undefined) permission.noRelatedAction = related.placeholder;
    if (related.verbatim !== undefined || labelled.length > 0) {
      verbatim.relatedAction =
        related.verbatim ?? CellText.fromLines(row.cells.relatedAction, ":").text.trim();
    }
    if (labelled.length > 0 && related.verbatim === undefined)
      findings.push(labelledRelated(row.cells.relatedAction));
    findings.push(...related.findings);
    errata.push(...related.errata);
  }

  if (errata.length > 0) permission.errata = errata;
}

function labelledRelated(lines: NonNullable<TableRow["cells"]["relatedAction"]>): Finding {
  const cell = CellText.fromLines(lines);
  return {
    ...cell.at(),
    code: "labelled-related-action",
    message:
      "the Related Action cell gives conditions, which the spec cannot hold for related actions",
    hint: "the actions are kept without their conditions and the cell in verbatim; check the entry",
  };
}

function readScopes(
  row: TableRow,
  permission: Permission,
  verbatim: Verbatim,
  findings: Finding[],
): void {
  for (const [role, name] of [
    ["iamProject", "IAM Project"],
    ["enterpriseProject", "Enterprise Project"],
  ] as const) {
    const lines = row.cells[role];
    if (!lines) continue;

    const read = readScopeCell(CellText.fromLines(lines), name);
    permission.scopes[role] = read.value;
    if (read.verbatim !== undefined) verbatim[role] = read.verbatim;
    if (read.finding) findings.push(read.finding);
  }
}
