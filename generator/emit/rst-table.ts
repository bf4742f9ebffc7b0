/**
 * The documentation page again, from a spec: `:original_name:`, the page anchor, the title, the
 * intro, and each table as a `.. table:: **Table N** caption` grid table with the source's own
 * column headers, one row per permission in spec order.
 *
 * Cells are written the way the pages write them: one action or route per paragraph, `Y`/`N` for
 * scopes, a placeholder where the spec kept one, and a cell's verbatim text where the importer
 * could not read it. A page imported and rendered again therefore reads back to the same rows.
 * Cell text is not escaped: a cell whose text starts with `..` would be read as a directive by
 * docutils, while the importer, which reads it back, keeps it as text.
 */
import { columnRoles, type ColumnRole } from "../import/columns.js";
import { routesOf, type ActionRef, type Permission, type Spec } from "../spec/types.js";

const INDENT = "   ";

/** Every character docutils ends a line at (Python's `splitlines`), not only `\n`. */
const LINE_BREAK = /\r\n|[\n\r\v\f\x1c-\x1e\x85\u2028\u2029]/g;

/** The whole page as reStructuredText, ending with a newline. */
export function renderRstPage(spec: Spec): string {
  const { source } = spec;
  const title = singleLine(source.title);
  const head = [
    `:original_name: ${source.page}.html`,
    "",
    `.. _${source.page}:`,
    "",
    title,
    "=".repeat(title.length),
    "",
  ];
  const intro = source.intro ? [...introLines(source.intro), ""] : [];

  const tables = source.tables.map((table, index) => {
    const rows = spec.permissions.filter((p) => (p.table ?? 1) === index + 1);
    const grid = renderGrid(
      table.columns,
      rows.map((p) => rowCells(p, columnRoles(table.columns))),
    );
    return [
      `.. table:: **Table ${index + 1}** ${singleLine(table.caption)}`,
      "",
      ...grid.map((line) => INDENT + line),
    ];
  });

  const body = tables.flatMap((lines, index) => (index === 0 ? lines : ["", ...lines]));
  return `${[...head, ...intro, ...body].join("\n")}\n`;
}

/** Text for a line of its own (the title, a caption): each line break becomes a space. */
function singleLine(text: string): string {
  return text.replace(LINE_BREAK, " ");
}

/**
 * The intro as lines of plain paragraphs. A line starting with `..` would open a directive, a
 * comment or a substitution (`.. raw:: html` would put raw HTML on the page), and `__ ` an
 * anonymous link target, so such a line starts with a backslash, which docutils shows as text.
 */
function introLines(intro: string): string[] {
  return intro
    .split(LINE_BREAK)
    .map((line) => (/^\s*(?:\.\.|__ )/.test(line) ? `\\${line.trimStart()}` : line));
}

/** Each cell of a permission's row as lines, in the table's column order. */
function rowCells(p: Permission, roles: ReadonlyArray<ColumnRole | undefined>): string[][] {
  return roles.map((role) => paragraphs(cellText(p, role)));
}

function cellText(p: Permission, role: ColumnRole | undefined): string[] {
  switch (role) {
    case "description":
      return [p.description];
    case "api":
      return p.verbatim?.api !== undefined ? [p.verbatim.api] : apiText(p);
    case "action":
      return p.verbatim?.action !== undefined
        ? [p.verbatim.action]
        : actionsText(p.actions, p.noAction);
    case "relatedAction":
      return p.verbatim?.relatedAction !== undefined
        ? [p.verbatim.relatedAction]
        : actionsText(p.relatedActions ?? [], p.noRelatedAction);
    case "iamProject":
    case "enterpriseProject":
      return [p.verbatim?.[role] ?? (p.scopes[role] ? "Y" : "N")];
    default:
      return [];
  }
}

/** The routes, one per paragraph; `-` for a row without an API, as the pages write it. */
function apiText(p: Permission): string[] {
  const routes = routesOf(p).map(routeText);
  return routes.length > 0 ? routes : ["-"];
}

function routeText(route: ReturnType<typeof routesOf>[number]): string {
  const query = route.query ? `{?${route.query.join(",")}}` : "";
  return `${route.method} ${route.path}${query}${route.note ? ` ${route.note}` : ""}`;
}

function actionsText(actions: readonly ActionRef[], placeholder: string | undefined): string[] {
  if (actions.length === 0) return [placeholder ?? "-"];
  return actions.map((ref) => (typeof ref === "string" ? ref : `${ref.label}: ${ref.action}`));
}

/**
 * Items of a cell as its lines: one item per paragraph, a blank line between them. An item's own
 * line breaks, of every kind docutils knows, become lines of the cell, inside its borders.
 */
function paragraphs(items: readonly string[]): string[] {
  return items.flatMap((item, index) =>
    index === 0 ? item.split(LINE_BREAK) : ["", ...item.split(LINE_BREAK)],
  );
}

/** A grid table with one header row; each column as wide as its widest line, plus padding. */
function renderGrid(headers: readonly string[], rows: readonly string[][][]): string[] {
  const headerCells = headers.map((header) => [header]);
  const widths = headers.map((_, col) =>
    Math.max(
      ...[headerCells, ...rows].flatMap((row) => (row[col] ?? []).map((line) => line.length)),
      1,
    ),
  );

  const border = (char: string): string => `+${widths.map((w) => char.repeat(w + 2)).join("+")}+`;
  const lines = [border("-"), ...rowLines(headerCells, widths), border("=")];
  for (const row of rows) lines.push(...rowLines(row, widths), border("-"));
  return lines;
}

function rowLines(cells: readonly string[][], widths: readonly number[]): string[] {
  const height = Math.max(...cells.map((cell) => cell.length), 1);
  const lines: string[] = [];
  for (let i = 0; i < height; i++) {
    const parts = widths.map((width, col) => ` ${(cells[col]?.[i] ?? "").padEnd(width)} `);
    lines.push(`|${parts.join("|")}|`);
  }
  return lines;
}
