/**
 * Markdown in the exact layout pinned prettier gives it (`parser: "markdown"` with the options of
 * test/helpers/prettier-form.ts), written without running prettier, which was most of the time
 * `generate` took.
 *
 * The text is read as blocks the way prettier's parser (micromark with GFM) reads them, and each
 * block is printed the way prettier prints it:
 * - blocks are separated by one blank line, and the file ends with one newline;
 * - GitHub tables are aligned: every cell padded to its column's width (at least 3, measured with
 *   `displayWidth`, which is prettier's), the delimiter row made of dashes, keeping `:` alignment;
 * - in text, a run of spaces and tabs is one space and a line loses its indentation; two spaces
 *   before a line break make a hard break, written with exactly two;
 * - code spans are fenced again with the shortest run of backticks prettier picks, padded only
 *   where they need it, with `|` escaped inside a table;
 * - headings lose their closing `#`s; `-`, `*` and `+` items become `- ` (`* ` in a list right
 *   after another list); a thematic break becomes `---` (`***` first in the file);
 * - fenced code keeps its lines but not their trailing spaces, fenced with enough backticks; HTML
 *   comments lose trailing spaces; other HTML, `{{…}}`, `{%…%}` and `$$…$$` stay as written.
 *
 * Not reproduced, as no template writes them (kept as written, or taken as text, where prettier
 * would rewrite them): block quotes, ordered lists (prettier renumbers them), nested lists,
 * anything but text in a list item, link reference definitions, footnotes, math blocks, front
 * matter, `prettier-ignore` comments, `*emphasis*` and `__strong__` (prettier writes `_…_` and
 * `**…**`), link destinations and titles, inline HTML with several spaces or a line break inside a
 * tag, `$$…$$` over a line break in a list item, escapes or entities in a fence's info string,
 * tabs before indented code, `<script>`, `<pre>`, `<style>` and `<textarea>` blocks holding a
 * blank line, a table or `{{…}}` block with no blank line after it, and a line break before a
 * word like `2.` or `+` after CJK text (prettier joins such a line to the one before, as here,
 * but not after CJK).
 */

import { layoutInline, longestRun, trimSpaceEnd, trimSpaces, trimText } from "./markdown-inline.js";
import {
  alignments,
  opensTable,
  rowCells,
  tableRows,
  type Table,
} from "./markdown-table.js";

interface ListItem {
  marker: string;
  /** Where the item's text starts: lines indented this far continue it. */
  offset: number;
  paragraphs: string[][];
  gapBefore: boolean;
}

type Block = { start: number; end: number } & (
  | { kind: "html"; lines: string[]; comment: boolean }
  | { kind: "verbatim"; lines: string[] }
  | { kind: "heading"; level: number; text: string }
  | { kind: "paragraph"; lines: string[]; underline?: string }
  | { kind: "break" }
  | { kind: "list"; ordered: boolean; items: ListItem[] }
  | Table
);

/** Prettier's output for Markdown as the templates render it, computed without prettier. */
export function layoutMarkdown(text: string): string {
  return markdownPieces(text).join("");
}

/**
 * `layoutMarkdown` as pieces, a block or a table row each; each block is printed as soon as it is
 * read, so only one table's rows are held at a time, not the page's.
 */
export function markdownPieces(text: string): string[] {
  const lines = text.replace(/\r\n?/g, "\n").split("\n");
  return printBlocks(readBlocks(lines));
}

const BLANK = /^[ \t]*$/;
const FENCE = /^( {0,3})(`{3,}|~{3,})(.*)$/;
const ATX = /^ {0,3}(#{1,6})(?=[ \t]|$)(.*)$/;
const THEMATIC = /^ {0,3}([-*_])[ \t]*(?:\1[ \t]*){2,}$/;
const SETEXT = /^ {0,3}(?:=+|-+)[ \t]*$/;
const ITEM = /^( {0,3})([-*+]|\d{1,9}[.)])(?:([ \t]+)(.*))?$/;
const INDENTED = /^(?: {4}|\t)/;
const QUOTE = /^ {0,3}>/;
const COMMENT = /^ {0,3}<!--/;
const BLOCK_TAGS =
  "address|article|aside|base|basefont|blockquote|body|caption|center|col|colgroup|dd|details|" +
  "dialog|dir|div|dl|dt|fieldset|figcaption|figure|footer|form|frame|frameset|h[1-6]|head|" +
  "header|hr|html|iframe|legend|li|link|main|menu|menuitem|nav|noframes|ol|optgroup|option|p|" +
  "param|search|section|summary|table|tbody|td|tfoot|th|thead|title|tr|track|ul";
/** HTML that starts a block even right under a paragraph line (CommonMark's kinds 1 to 6). */
const HTML_BLOCK = new RegExp(
  "^ {0,3}(?:<[?!]|<(?:script|pre|style|textarea)(?:[ \\t>]|$)" +
    `|</?(?:${BLOCK_TAGS})(?:[ \\t>]|/>|$))`,
  "i",
);
/** A tag alone on its line: a block only where a paragraph could start (kind 7). */
const HTML_TAG_LINE =
  /^ {0,3}(?:<[A-Za-z][A-Za-z0-9-]*(?:[ \t][^<>]*)?>|<\/[A-Za-z][A-Za-z0-9-]*[ \t]*>)[ \t]*$/;

function* readBlocks(lines: string[]): Generator<Block> {
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i] ?? "";
    if (BLANK.test(line)) continue;

    const block = readBlock(lines, i, line);
    yield block;
    i = block.end;
  }
}

/** The block that starts at line `i`, tried in the order CommonMark tries them. */
function readBlock(lines: string[], i: number, line: string): Block {
  const fence = FENCE.exec(line);
  // A backtick fence whose info string holds a backtick is no fence.
  if (fence && !(fence[2]?.startsWith("`") && fence[3]?.includes("`"))) {
    return readFence(lines, i, fence);
  }
  if (HTML_BLOCK.test(line) || HTML_TAG_LINE.test(line)) return readHtml(lines, i);

  const atx = ATX.exec(line);
  const level = atx?.[1]?.length ?? 0;
  if (atx) return { kind: "heading", start: i, end: i, level, text: headingText(atx[2] ?? "") };
  if (THEMATIC.test(line)) return { kind: "break", start: i, end: i };
  if (INDENTED.test(line)) return readWhile(lines, i, (l) => INDENTED.test(l) || BLANK.test(l));
  if (QUOTE.test(line)) return readWhile(lines, i, (l) => !BLANK.test(l));
  if (ITEM.test(line)) return readList(lines, i);
  if (opensTable(lines[i] ?? "", lines[i + 1])) return readTable(lines, i);
  return readParagraph(lines, i);
}

/** A fenced code block: its lines as they are but for trailing spaces, fenced with backticks. */
function readFence(lines: string[], i: number, fence: RegExpExecArray): Block {
  const indent = fence[1]?.length ?? 0;
  const marker = fence[2] ?? "```";
  const closing = new RegExp(`^ {0,3}\\${marker[0]}{${marker.length},}[ \\t]*$`);
  let end = i + 1;
  while (end < lines.length && !closing.test(lines[end] ?? "")) end++;

  // An unclosed fence runs to the end of the file, the file's last newline not included.
  const last = Math.min(end, lines.length - 1);
  const stop = end < lines.length || lines[last] !== "" ? end : last;
  const body = lines.slice(i + 1, stop).map((l) => trimSpaceEnd(stripIndent(l, indent)));
  const ticks = "`".repeat(Math.max(3, 1 + Math.max(0, ...body.map((l) => longestRun(l, "`")))));

  const info = trimSpaces(fence[3] ?? "");
  const lang = /^[^ \t]*/.exec(info)?.[0] ?? "";
  const meta = trimSpaces(info.slice(lang.length));
  const open = `${ticks}${lang}${meta === "" ? "" : ` ${meta}`}`;
  return {
    kind: "verbatim",
    start: i,
    end: last,
    lines: [open, ...(body.length > 0 ? body : [""]), ticks],
  };
}

function stripIndent(line: string, indent: number): string {
  let n = 0;
  while (n < indent && line[n] === " ") n++;
  return line.slice(n);
}

/** A comment runs to the line holding `-->`; any other HTML block to the next blank line. */
function readHtml(lines: string[], i: number): Block {
  const comment = COMMENT.test(lines[i] ?? "");
  let end = i;
  if (comment) {
    let from = (lines[i] ?? "").indexOf("<!--") + 2;
    while (end < lines.length - 1 && (lines[end] ?? "").indexOf("-->", from) < 0) {
      end++;
      from = 0;
    }
  } else {
    while (end + 1 < lines.length && !BLANK.test(lines[end + 1] ?? "")) end++;
  }
  return { kind: "html", comment, start: i, end, lines: lines.slice(i, end + 1) };
}

/** Indented code or a block quote: lines kept but for trailing spaces. */
function readWhile(lines: string[], i: number, keep: (line: string) => boolean): Block {
  let end = i;
  while (end + 1 < lines.length && keep(lines[end + 1] ?? "")) end++;
  while (BLANK.test(lines[end] ?? "")) end--;
  return { kind: "verbatim", start: i, end, lines: lines.slice(i, end + 1).map(trimSpaceEnd) };
}

/** ATX heading text: trimmed, without a closing run of `#` that follows a space or nothing. */
function headingText(rest: string): string {
  const text = trimSpaces(rest);
  let cut = text.length;
  while (cut > 0 && text[cut - 1] === "#") cut--;
  const closes =
    cut < text.length && (cut === 0 || text[cut - 1] === " " || text[cut - 1] === "\t");
  return closes ? trimSpaces(text.slice(0, cut)) : text;
}

/** Whether a line ends a paragraph by starting a block of its own. */
function interrupts(line: string): boolean {
  const block = [ATX, THEMATIC, QUOTE, HTML_BLOCK, FENCE].some((start) => start.test(line));
  if (block) return true;

  // An empty item, or a numbered one starting other than at 1, cannot interrupt a paragraph.
  const item = ITEM.exec(line);
  return (
    item !== null && trimSpaces(item[4] ?? "") !== "" && /^(?:[-*+]|1[.)])$/.test(item[2] ?? "")
  );
}

function readParagraph(lines: string[], i: number): Block {
  let end = i;
  while (end + 1 < lines.length) {
    const next = lines[end + 1] ?? "";
    if (BLANK.test(next) || opensTable(next, lines[end + 2])) break;
    if (SETEXT.test(next)) {
      const underline = trimSpaces(next);
      return {
        kind: "paragraph",
        start: i,
        end: end + 1,
        lines: lines.slice(i, end + 1),
        underline,
      };
    }
    if (interrupts(next)) break;
    end++;
  }
  return { kind: "paragraph", start: i, end, lines: lines.slice(i, end + 1) };
}

/** Items with one kind of marker; a line of another kind of marker starts the next list. */
function readList(lines: string[], i: number): Block {
  const kind = listKind(ITEM.exec(lines[i] ?? "")?.[2] ?? "-");
  const items: ListItem[] = [];
  let end = i;
  let gap = false;

  for (let k = i; k < lines.length; k++) {
    const line = lines[k] ?? "";
    if (BLANK.test(line)) {
      gap = true;
      continue;
    }
    const current = items[items.length - 1];
    const inside = current !== undefined && indentOf(line) >= current.offset;
    const item = inside || THEMATIC.test(line) ? null : ITEM.exec(line);

    if (item && listKind(item[2] ?? "") === kind) {
      items.push(newItem(item, gap && items.length > 0));
    } else if (current && gap && inside) {
      current.paragraphs.push([line]);
    } else if (current && !gap && !item && (inside || !interrupts(line))) {
      current.paragraphs.at(-1)?.push(line);
    } else {
      break;
    }
    gap = false;
    end = k;
  }
  return { kind: "list", ordered: /\d/.test(kind), start: i, end, items };
}

function newItem(item: RegExpExecArray, gapBefore: boolean): ListItem {
  const [, indent = "", marker = "-", spaces = " ", text = ""] = item;
  const offset =
    indent.length + marker.length + (spaces.length > 4 ? 1 : Math.max(1, spaces.length));
  return { marker, offset, paragraphs: [[text]], gapBefore };
}

/** Bullets of one character form one list; numbered items ending in `.` or `)` likewise. */
function listKind(marker: string): string {
  return /\d/.test(marker) ? marker.slice(-1) : marker;
}

function indentOf(line: string): number {
  return /^[ \t]*/.exec(line)?.[0].length ?? 0;
}

function readTable(lines: string[], i: number): Table & Block {
  const align = alignments(lines[i + 1] ?? "");
  let end = i + 1;
  while (end + 1 < lines.length && !endsTable(lines[end + 1] ?? "")) end++;
  const rows = [lines[i] ?? "", ...lines.slice(i + 2, end + 1)].map((line) =>
    rowCells(line).map((cell) => layoutInline(trimSpaces(cell), true)),
  );
  return { kind: "table", start: i, end, align, rows };
}

function endsTable(line: string): boolean {
  return BLANK.test(line) || INDENTED.test(line) || ITEM.test(line) || interrupts(line);
}

function printBlocks(blocks: Iterable<Block>): string[] {
  const out: string[] = [];
  let previous: Block | undefined;
  let listIndex = 0;
  for (const block of blocks) {
    if (previous) out.push(tight(previous, block) ? "\n" : "\n\n");

    // A list right after a list of the same kind (numbered or not) alternates its bullet.
    const follows =
      previous?.kind === "list" && block.kind === "list" && previous.ordered === block.ordered;
    listIndex = follows ? listIndex + 1 : 0;

    if (block.kind === "table") pushRows(out, tableRows(block));
    else out.push(printBlock(block, previous === undefined, listIndex));
    previous = block;
  }

  if (previous === undefined) return [];
  // The last block's trailing spaces go when it is HTML; other blocks end without any already.
  if (previous.kind === "html") out[out.length - 1] = (out.at(-1) ?? "").trimEnd();
  out.push("\n");
  return out;
}

function pushRows(out: string[], rows: readonly string[]): void {
  for (const [i, row] of rows.entries()) out.push(i === 0 ? row : `\n${row}`);
}

/** HTML right under HTML or under a paragraph keeps no blank line between them. */
function tight(previous: Block, block: Block): boolean {
  const under = previous.kind === "html" || (previous.kind === "paragraph" && !previous.underline);
  return block.kind === "html" && under && previous.end + 1 === block.start;
}

function printBlock(block: Exclude<Block, Table>, first: boolean, listIndex: number): string {
  switch (block.kind) {
    case "html":
      return (block.comment ? block.lines.map(trimSpaceEnd) : block.lines).join("\n");
    case "verbatim":
      return block.lines.join("\n");
    case "heading":
      return trimSpaceEnd(`${"#".repeat(block.level)} ${layoutInline(block.text, false)}`);
    case "break":
      return first ? "***" : "---";
    case "paragraph": {
      const text = paragraphText(block.lines);
      return block.underline ? `${text}\n${block.underline}` : text;
    }
    case "list":
      return printList(block.items, listIndex);
  }
}

/**
 * A paragraph's inline text laid out. A list item's lines indented as far as its text lose that
 * indentation first; any other goes where text collapses (a code span or `{{…}}` keeps it).
 */
function paragraphText(lines: readonly string[], container = 0, indent = ""): string {
  const text = lines.map((l) => (indentOf(l) >= container ? l.slice(container) : l)).join("\n");
  return trimText(layoutInline(text, false, indent));
}

function printList(items: readonly ListItem[], listIndex: number): string {
  const bullet = listIndex % 2 === 0 ? "-" : "*";
  return items
    .map((item, k) => {
      const marker = /\d/.test(item.marker) ? item.marker : bullet;
      const indent = " ".repeat(marker.length + 1);
      const body = item.paragraphs.map((p) => paragraphText(p, item.offset, indent));
      const text = trimSpaceEnd(`${marker} ${body.join(`\n\n${indent}`)}`);
      const loose = item.gapBefore || (items[k - 1]?.paragraphs.length ?? 0) > 1;
      return k === 0 ? text : `${loose ? "\n\n" : "\n"}${text}`;
    })
    .join("");
}
