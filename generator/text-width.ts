/**
 * How wide text is on a line, as prettier measures it when it decides what fits: the line width
 * every generated file keeps to, and the width of a piece of text. The TypeScript, JSON and
 * Markdown layouts all measure with these, so they break and pad where prettier does.
 */
import { createRequire } from "node:module";

/** The line width of every generated file: prettier's `printWidth` in the project's options. */
export const PRINT_WIDTH = 100;

// Printable ASCII is one column a character; anything else needs prettier's width tables.
const NOT_NARROW = /[^\x20-\x7f]/;
let tableWidth: ((text: string) => number) | undefined;

/**
 * The columns prettier gives a piece of text: its length when all of it is printable ASCII, else
 * prettier's own `getStringWidth` (two for a wide character, none for a control or combining one),
 * loaded synchronously on the first such text, so that a run on ASCII text never loads prettier.
 * Prettier measures each piece of its output on its own (a string literal, a table cell), and so
 * must a caller: the width of a line is the sum of its pieces'.
 */
export function displayWidth(text: string): number {
  if (!NOT_NARROW.test(text)) return text.length;
  tableWidth ??= (createRequire(import.meta.url)("prettier") as typeof import("prettier")).util
    .getStringWidth;
  return tableWidth(text);
}
