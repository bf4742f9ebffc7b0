/**
 * GitHub tables in Markdown, as pinned prettier reads and aligns them; markdown-layout.ts finds
 * where one starts and ends, markdown-inline.ts lays out the text of each cell.
 *
 * Prettier pads every cell to its column's widest cell (three columns at least), measuring with
 * its own `getStringWidth` (`displayWidth` here), and writes the delimiter row as dashes of that width, keeping `:` for
 * left (`:--`), right (`--:`) and centred (`:-:`) columns, whose cells it pads on the left or on
 * both sides. A row keeps the cells it has, fewer or more than the header's.
 */
import { displayWidth } from "../text-width.js";
import { trimSpaces } from "./markdown-inline.js";

export type Align = "left" | "center" | "right" | undefined;

/** A table whose cells are laid out already, header row first. */
export interface Table {
  kind: "table";
  align: Align[];
  rows: string[][];
}

const DELIMITER_CELL = /^:?-+:?$/;

/** Whether a row and the line after it open a table: a delimiter row with as many cells. */
export function opensTable(head: string, delimiter: string | undefined): boolean {
  if (delimiter === undefined || !head.includes("|") || !delimiter.includes("|")) return false;

  const cells = rowCells(delimiter);
  if (!cells.every((c) => DELIMITER_CELL.test(trimSpaces(c)))) return false;
  return rowCells(head).length === cells.length;
}

/** Each column's alignment, from the delimiter row. */
export function alignments(delimiter: string): Align[] {
  return rowCells(delimiter).map((cell) => {
    const c = trimSpaces(cell);
    const left = c.startsWith(":");
    const right = c.endsWith(":");
    return left && right ? "center" : left ? "left" : right ? "right" : undefined;
  });
}

/**
 * A row's cells as GFM splits them, untrimmed: a leading and a trailing `|` are optional, and
 * `\|` or `\\` does not split (so `\\|` does).
 */
export function rowCells(line: string): string[] {
  let text = trimSpaces(line);
  if (text.startsWith("|")) text = text.slice(1);

  const cells: string[] = [];
  let start = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === "\\" && (text[i + 1] === "\\" || text[i + 1] === "|")) i++;
    else if (c === "|") {
      cells.push(text.slice(start, i));
      start = i + 1;
    }
  }
  if (start < text.length || cells.length === 0) cells.push(text.slice(start));
  return cells;
}

/** The table's lines, aligned as prettier aligns them. */
export function tableRows(table: Table): string[] {
  const measured = table.rows.map((row) => row.map((text) => ({ text, width: displayWidth(text) })));
  const widths: number[] = [];
  for (const row of measured) {
    row.forEach((cell, c) => (widths[c] = Math.max(widths[c] ?? 3, cell.width)));
  }

  // Columns past the header's have no delimiter: with one, GitHub would not read a table.
  const delimiter = widths.slice(0, measured[0]?.length ?? 0).map((w, c) => {
    const align = table.align[c];
    const first = align === "left" || align === "center" ? ":" : "-";
    const last = align === "right" || align === "center" ? ":" : "-";
    return `${first}${"-".repeat(w - 2)}${last}`;
  });
  const padded = measured.map((row) =>
    row.map((cell, c) => pad(cell, widths[c] ?? 3, table.align[c])),
  );
  const [head = [], ...body] = padded;
  return [head, delimiter, ...body].map((cells) => `| ${cells.join(" | ")} |`);
}

function pad(cell: { text: string; width: number }, width: number, align: Align): string {
  const spaces = width - cell.width;
  const before = align === "right" ? spaces : align === "center" ? Math.floor(spaces / 2) : 0;
  return `${" ".repeat(before)}${cell.text}${" ".repeat(spaces - before)}`;
}
