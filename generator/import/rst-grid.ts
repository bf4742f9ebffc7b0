/**
 * reStructuredText grid tables: the `+---+` / `|   |` drawings the documentation writes its
 * permission tables in, read into cells that know the source line and column of every line.
 *
 * Cells are found by tracing their borders, so cells that span rows or columns are read as one.
 * A table whose right border is ragged (a line longer or shorter than the top border) is read
 * again by splitting each line on `|`, with a warning, when every line still has one `|` per
 * column; otherwise it cannot be read with certainty and `readGridTable` says where.
 */
import type { Position } from "../diagnostics.js";

/** One text line of a cell, trimmed, with where its first character sits in the file. */
export interface CellLine extends Position {
  text: string;
}

export interface GridCell extends Position {
  row: number;
  col: number;
  rowSpan: number;
  colSpan: number;
  /** Every line inside the cell's borders, blank ones included (as ""), top to bottom. */
  lines: CellLine[];
}

export interface GridTable extends Position {
  rows: number;
  cols: number;
  /** Rows above the `+===+` separator; 0 when the table has none. */
  headerRows: number;
  cells: GridCell[];
  /** Index (from 0) of the first file line after the table. */
  end: number;
}

export interface GridProblem extends Position {
  code: string;
  message: string;
  hint: string;
}

export type GridRead =
  { table: GridTable; warnings: GridProblem[] } | { error: GridProblem; end: number };

const BORDER = /^\+(?:[-=]+\+)+$/;

/** True when a line (without its indentation) is the top border of a grid table. */
export function isGridBorder(text: string): boolean {
  return BORDER.test(text.trim()) && !text.includes("=");
}

/**
 * Reads the grid table whose top border is `lines[start]` (indexes from 0; positions from 1).
 * The table runs to the first line that does not continue its left edge.
 */
export function readGridTable(lines: readonly string[], start: number): GridRead {
  const indent = (lines[start] ?? "").search(/\S/);
  const end = blockEnd(lines, start, indent);
  const block = lines.slice(start, end).map((line) => line.slice(indent).trimEnd());
  const origin = { line: start + 1, column: indent + 1 };

  const traced = traceCells(block);
  if (traced) return { table: buildTable(block, traced, origin, end, false), warnings: [] };

  const split = splitCells(block);
  if ("error" in split) return { error: shift(split.error, origin), end };
  const ragged = raggedLine(block);
  const warning: GridProblem = shift(
    {
      line: ragged,
      column: 1,
      code: "ragged-border",
      message: "the table's right border is ragged (this line is not as wide as the top border)",
      hint: 'cells were read by splitting lines on "|"; align the borders to be sure',
    },
    origin,
  );
  return { table: buildTable(block, split.rects, origin, end, true), warnings: [warning] };
}

interface Rect {
  top: number;
  left: number;
  bottom: number;
  right: number;
}

function blockEnd(lines: readonly string[], start: number, indent: number): number {
  let end = start + 1;
  while (end < lines.length) {
    const line = lines[end] ?? "";
    const edge = line[indent];
    if (line.slice(0, indent).trim() !== "" || (edge !== "+" && edge !== "|")) break;
    end++;
  }
  return end;
}

/** Finds every cell by following its borders; undefined when the drawing is not a clean grid. */
function traceCells(block: readonly string[]): Rect[] | undefined {
  const width = block[0]?.length ?? 0;
  const height = block.length;
  if (
    height < 3 ||
    block.some((line) => line.length !== width) ||
    !BORDER.test(block[height - 1] ?? "")
  ) {
    return undefined;
  }

  const rects: Rect[] = [];
  const corners: Array<[number, number]> = [[0, 0]];
  const seen = new Set<string>(["0,0"]);
  // How far down each character column is covered by cells found so far.
  const done: number[] = new Array<number>(width).fill(0);

  while (corners.length > 0) {
    corners.sort((a, b) => a[0] - b[0] || a[1] - b[1]);
    const [top, left] = corners.shift() ?? [0, 0];
    // A corner inside a cell already found belongs to a border that cell spans, not to a new cell.
    if (top === height - 1 || left === width - 1 || top < (done[left] ?? 0)) continue;

    const rect = cellAt(block, top, left);
    if (!rect) continue;
    for (let col = rect.left; col < rect.right; col++) {
      if (done[col] !== rect.top) return undefined;
      done[col] = rect.bottom;
    }
    rects.push(rect);

    for (const corner of [
      [rect.top, rect.right],
      [rect.bottom, rect.left],
    ] as Array<[number, number]>) {
      const key = corner.join(",");
      if (!seen.has(key)) {
        seen.add(key);
        corners.push(corner);
      }
    }
  }

  return done.slice(0, width - 1).every((bottom) => bottom === height - 1) ? rects : undefined;
}

/** The cell whose top-left corner is at (top, left), traced clockwise. */
function cellAt(block: readonly string[], top: number, left: number): Rect | undefined {
  const topLine = block[top] ?? "";
  for (let right = left + 1; right < topLine.length; right++) {
    const char = topLine[right];
    if (char === "+" && isVertical(block[top + 1]?.[right])) {
      const bottom = bottomOf(block, top, left, right);
      if (bottom !== undefined) return { top, left, bottom, right };
    } else if (char !== "-" && char !== "=" && char !== "+") {
      return undefined;
    }
  }
  return undefined;
}

function bottomOf(
  block: readonly string[],
  top: number,
  left: number,
  right: number,
): number | undefined {
  for (let row = top + 1; row < block.length; row++) {
    const char = block[row]?.[right];
    if (char === "+" && closesCell(block, top, left, right, row)) return row;
    if (!isVertical(char)) return undefined;
  }
  return undefined;
}

function closesCell(
  block: readonly string[],
  top: number,
  left: number,
  right: number,
  bottom: number,
): boolean {
  const line = block[bottom] ?? "";
  if (line[left] !== "+" || !/^[-=+]*$/.test(line.slice(left + 1, right))) return false;

  for (let row = top + 1; row < bottom; row++) {
    if (!isVertical(block[row]?.[left])) return false;
  }
  return true;
}

function isVertical(char: string | undefined): boolean {
  return char === "|" || char === "+";
}

/**
 * The fallback for ragged tables: every border line must have the top border's column count and
 * every content line one `|` per column boundary. No spans can be read this way.
 */
function splitCells(block: readonly string[]): { rects: Rect[] } | { error: GridProblem } {
  const cols = (block[0] ?? "").split("+").length - 2;
  const borders = block.flatMap((line, index) => (BORDER.test(line) ? [index] : []));
  const last = block.length - 1;
  if (borders[borders.length - 1] !== last) {
    return { error: raggedError(last, "the table does not end with a border line") };
  }

  for (const [index, line] of block.entries()) {
    const parts = BORDER.test(line)
      ? line.split("+").length - 2
      : line.endsWith("|")
        ? line.split("|").length - 2
        : -1;
    if (parts !== cols) {
      return {
        error: raggedError(
          index,
          `this line has ${Math.max(parts, 0)} columns where the top border has ${cols}`,
        ),
      };
    }
  }

  const rects: Rect[] = [];
  for (let b = 0; b + 1 < borders.length; b++) {
    for (let col = 0; col < cols; col++) {
      rects.push({ top: borders[b] ?? 0, bottom: borders[b + 1] ?? 0, left: col, right: col + 1 });
    }
  }
  return { rects };
}

function raggedError(line: number, detail: string): GridProblem {
  return {
    line,
    column: 1,
    code: "ragged-table",
    message: `the grid table's borders cannot be followed: ${detail}`,
    hint: 'align every "|" and "+" with the table\'s top border',
  };
}

function raggedLine(block: readonly string[]): number {
  const width = block[0]?.length ?? 0;
  const index = block.findIndex((line) => line.length !== width);
  return index < 0 ? 0 : index;
}

function shift(problem: GridProblem, origin: Position): GridProblem {
  return {
    ...problem,
    line: problem.line + origin.line,
    column: problem.column + origin.column - 1,
  };
}

/** Numbers rows and columns from the traced rectangles and reads each cell's text. */
function buildTable(
  block: readonly string[],
  rects: Rect[],
  origin: Position,
  end: number,
  split: boolean,
): GridTable {
  const rowEdges = unique(rects.flatMap((r) => [r.top, r.bottom]));
  const colEdges = unique(rects.flatMap((r) => [r.left, r.right]));
  const separator = rowEdges.findIndex((edge) => (block[edge] ?? "").includes("="));
  const rowOf = indexOf(rowEdges);
  const colOf = indexOf(colEdges);

  const cells = rects.map((rect): GridCell => {
    const row = rowOf(rect.top);
    const col = colOf(rect.left);
    const lines = split
      ? splitCellLines(block, rect, origin)
      : tracedCellLines(block, rect, origin);
    return {
      row,
      col,
      rowSpan: rowOf(rect.bottom) - row,
      colSpan: colOf(rect.right) - col,
      lines,
      line: origin.line + rect.top + 1,
      column: lines[0]?.column ?? origin.column,
    };
  });
  cells.sort((a, b) => a.row - b.row || a.col - b.col);

  return {
    ...origin,
    rows: rowEdges.length - 1,
    cols: colEdges.length - 1,
    headerRows: separator > 0 ? separator : 0,
    cells,
    end,
  };
}

function tracedCellLines(block: readonly string[], rect: Rect, origin: Position): CellLine[] {
  const lines: CellLine[] = [];
  for (let row = rect.top + 1; row < rect.bottom; row++) {
    const raw = (block[row] ?? "").slice(rect.left + 1, rect.right);
    lines.push(cellLine(raw, origin.line + row, origin.column + rect.left + 1));
  }
  return lines;
}

/** In split mode `left` and `right` are column numbers, not character offsets. */
function splitCellLines(block: readonly string[], rect: Rect, origin: Position): CellLine[] {
  const lines: CellLine[] = [];
  for (let row = rect.top + 1; row < rect.bottom; row++) {
    const line = block[row] ?? "";
    const parts = line.split("|");
    const offset = parts.slice(0, rect.left + 1).reduce((sum, part) => sum + part.length + 1, 0);
    lines.push(cellLine(parts[rect.left + 1] ?? "", origin.line + row, origin.column + offset));
  }
  return lines;
}

function cellLine(raw: string, line: number, firstColumn: number): CellLine {
  const lead = raw.length - raw.trimStart().length;
  const text = raw.trim();
  return { text, line, column: text === "" ? firstColumn : firstColumn + lead };
}

/** Looks edges up by position without a scan per cell: tables run to thousands of rows. */
function indexOf(edges: readonly number[]): (edge: number) => number {
  const positions = new Map(edges.map((edge, index) => [edge, index]));
  return (edge) => positions.get(edge) ?? -1;
}

function unique(values: number[]): number[] {
  return [...new Set(values)].sort((a, b) => a - b);
}
