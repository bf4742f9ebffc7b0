/**
 * Turns a page's grid table into permission rows: finds the header (the rows above `+===+`, or
 * the first row when the table has no separator), tells each column's role from it, and hands
 * out each body row's cells by role.
 *
 * A table without an Action or Permission column is not a permissions table and is skipped with
 * a warning. A body row that is one cell across the whole table is a heading, not a permission.
 * A body cell spanning several rows belongs to each of them; one spanning several columns is read
 * as its first column.
 */
import type { Position } from "../diagnostics.js";
import type { Finding } from "./cell-text.js";
import { columnRoles, type ColumnRole } from "./columns.js";
import type { PageTable } from "./page.js";
import type { CellLine, GridCell, GridTable } from "./rst-grid.js";

export interface TableRow {
  /** Position of the row's table among the spec's tables, from 1. */
  table: number;
  /** Where the row's first cell starts. */
  at: Position;
  cells: Partial<Record<ColumnRole, CellLine[]>>;
}

export interface PermissionTable {
  caption: string;
  columns: string[];
  rows: TableRow[];
}

/** The permissions tables of a page, numbered in page order; other tables are reported. */
export function permissionTables(
  tables: readonly PageTable[],
  findings: Finding[],
): PermissionTable[] {
  const found: PermissionTable[] = [];
  for (const table of tables) {
    const read = readTable(table, found.length + 1, findings);
    if (read) found.push(read);
  }
  return found;
}

function readTable(
  table: PageTable,
  number: number,
  findings: Finding[],
): PermissionTable | undefined {
  const { grid } = table;
  const headerRows = grid.headerRows > 0 ? grid.headerRows : 1;
  const columns = headerTexts(grid, headerRows);
  const roles = columnRoles(columns);

  if (!roles.includes("action") || !roles.includes("description")) {
    const missing = roles.includes("action") ? "Permission" : "Action";
    const message = `table ${table.index} has no ${missing} column (headers ${JSON.stringify(columns)}), so it is not read`;
    findings.push({
      ...place(table.at),
      code: "not-a-permission-table",
      message,
      hint: 'name the column "Permission" or "Action" if it holds them',
    });
    return undefined;
  }

  if (grid.headerRows === 0) {
    findings.push({
      ...place(grid),
      code: "no-header-separator",
      message: `table ${table.index} has no header separator (+===+)`,
      hint: "its first row was read as the header; add the separator to be sure",
    });
  }
  reportColumns(table, columns, roles, findings);

  const rows: TableRow[] = [];
  const cellsByRow = rowCells(grid);
  for (let row = headerRows; row < grid.rows; row++) {
    const read = bodyRow(grid, cellsByRow[row] ?? [], roles, number, findings);
    if (read) rows.push(read);
  }
  return { caption: table.caption, columns, rows };
}

/** Each column's header: the text of every header cell above it, joined. */
function headerTexts(grid: GridTable, headerRows: number): string[] {
  const texts: string[] = [];
  for (let col = 0; col < grid.cols; col++) {
    const parts = grid.cells
      .filter((cell) => cell.row < headerRows && covers(cell.col, cell.colSpan, col))
      .map((cell) => joinLines(cell.lines))
      .filter((text, index, all) => text !== "" && text !== all[index - 1]);
    texts.push(parts.join(" "));
  }
  return texts;
}

function reportColumns(
  table: PageTable,
  columns: string[],
  roles: Array<ColumnRole | undefined>,
  findings: Finding[],
): void {
  roles.forEach((role, index) => {
    if (role === undefined) {
      const message = `column ${JSON.stringify(columns[index] ?? "")} of table ${table.index} is not a column the spec keeps`;
      findings.push({
        ...place(table.grid),
        code: "unknown-column",
        message,
        hint: "its cells are not imported; rename the header if it holds API, Action or scope values",
      });
    }
  });

  for (const [role, name] of [
    ["iamProject", "IAM Project"],
    ["enterpriseProject", "Enterprise Project"],
  ] as const) {
    if (!roles.includes(role)) {
      const message = `table ${table.index} has no ${name} column`;
      findings.push({
        ...place(table.grid),
        code: "missing-scope",
        message,
        hint: `its rows are read as not supported in the ${name} (false), the conservative choice`,
      });
    }
  }
}

/** The cells of each row in one pass, a cell spanning rows in each of them, in the grid's order. */
function rowCells(grid: GridTable): GridCell[][] {
  const rows: GridCell[][] = Array.from({ length: grid.rows }, () => []);
  for (const cell of grid.cells) {
    for (let row = cell.row; row < cell.row + cell.rowSpan; row++) rows[row]?.push(cell);
  }
  return rows;
}

function bodyRow(
  grid: GridTable,
  cells: readonly GridCell[],
  roles: Array<ColumnRole | undefined>,
  table: number,
  findings: Finding[],
): TableRow | undefined {
  const first = cells[0];
  if (!first) return undefined;

  if (cells.length === 1 && first.colSpan === grid.cols && grid.cols > 1) {
    const message = `a row of table ${table} is one cell across the table (${JSON.stringify(joinLines(first.lines))}), a heading, not a permission`;
    findings.push({
      ...place(first),
      code: "heading-row",
      message,
      hint: "it is not imported; split the table if its rows belong to different groups",
    });
    return undefined;
  }
  if (cells.every((cell) => joinLines(cell.lines) === "")) {
    findings.push({
      ...place(first),
      code: "empty-row",
      message: `an empty row in table ${table}`,
      hint: "it is not imported; remove it from the table",
    });
    return undefined;
  }

  const byRole: Partial<Record<ColumnRole, CellLine[]>> = {};
  for (const cell of cells) {
    const role = roles[cell.col];
    if (role) byRole[role] = cell.lines;
    if (cell.colSpan > 1) findings.push(spanFinding(cell, roles));
  }
  return { table, at: { line: first.line, column: first.column }, cells: byRole };
}

function spanFinding(cell: GridCell, roles: Array<ColumnRole | undefined>): Finding {
  const spanned = roles
    .slice(cell.col, cell.col + cell.colSpan)
    .map((r) => r ?? "unknown")
    .join(", ");
  return {
    ...place(cell),
    code: "column-span",
    message: `a cell spans the columns ${spanned}`,
    hint: "it is read as the first of them only; give each column its own cell",
  };
}

function place(position: Position): Position {
  return { line: position.line, column: position.column };
}

function covers(start: number, span: number, index: number): boolean {
  return start <= index && index < start + span;
}

/** A cell's lines as one line of text, as the descriptions and headers are read. */
export function joinLines(lines: readonly CellLine[]): string {
  return lines
    .map((line) => line.text)
    .filter((text) => text !== "")
    .join(" ");
}
