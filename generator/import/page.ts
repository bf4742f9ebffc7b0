/**
 * A documentation page as the importer sees it: its page id (from `:original_name:` or the
 * page's anchor), its title, the prose before the first table, and every grid table on it with
 * its caption, in page order.
 *
 * Tables come either inside a `.. table:: **Table N** caption` directive or bare, optionally
 * after a `Table N caption` line. Prose that follows the first table is not kept in the spec;
 * each such paragraph is reported so nobody loses it unawares.
 */
import { basename, extname } from "node:path";
import { InputError, type Position } from "../diagnostics.js";
import type { Finding } from "./cell-text.js";
import { isGridBorder, readGridTable, type GridTable } from "./rst-grid.js";

export interface PageTable {
  /** Position among the page's tables, from 1. */
  index: number;
  caption: string;
  /** Where the table's caption is, or its top border when it has none. */
  at: Position;
  grid: GridTable;
}

export interface Page {
  page: string;
  title: string;
  intro?: string;
  tables: PageTable[];
}

const UNDERLINE = /^([=\-~^"'`#*+:.])\1{2,}\s*$/;
const TABLE_DIRECTIVE = /^(\s*)\.\.\s+table::\s*(.*)$/;
const TABLE_LABEL = /^(?:\*\*Table\s+\d+\*\*|Table\s+\d+[.:]?)(?:\s+|$)/;

/** Reads the page; a page with no grid table, or a table that cannot be read, is an InputError. */
export function readPage(text: string, file: string, findings: Finding[]): Page {
  const lines = text.split("\n");
  const heading = findTitle(lines);
  const tables: PageTable[] = [];
  const state: ProseState = { intro: [], tablesSoFar: 0 };
  let i = heading ? heading.next : 0;

  while (i < lines.length) {
    const line = lines[i] ?? "";
    const directive = TABLE_DIRECTIVE.exec(line);

    if (directive || isGridBorder(line)) {
      const captionLine = directive ? i : undefined;
      const caption = directive ? (directive[2] ?? "") : takeBareCaption(state);
      const start = directive ? gridStart(lines, i, (directive[1] ?? "").length) : i;
      state.open = undefined;
      state.last = undefined;
      if (start === undefined) {
        findings.push(
          problem(
            i,
            line,
            "table-without-grid",
            "a table directive without a grid table",
            "write the table as a grid table (+---+ borders)",
          ),
        );
        i++;
        continue;
      }
      const table = readTable(lines, start, file, findings);
      const at = {
        line: (captionLine ?? start) + 1,
        column: (lines[captionLine ?? start] ?? "").search(/\S/) + 1,
      };
      tables.push({ index: tables.length + 1, caption: captionText(caption), at, grid: table });
      state.tablesSoFar = tables.length;
      i = table.end;
      continue;
    }

    prose(line, i, state, findings);
    i++;
  }

  if (tables.length === 0) throw noTable(text, file);
  return finishPage(lines, file, heading?.title, state.intro, tables, findings);
}

function finishPage(
  lines: string[],
  file: string,
  title: string | undefined,
  intro: string[][],
  tables: PageTable[],
  findings: Finding[],
): Page {
  const page = pageId(lines, file);
  const pageTitle = title ?? page;
  if (!title) {
    findings.push({
      line: 1,
      column: 1,
      code: "no-title",
      message: "the page has no title",
      hint: `the page id ${JSON.stringify(page)} is used as the title`,
    });
  }

  for (const table of tables) {
    if (table.caption === "") {
      table.caption = pageTitle;
      findings.push({
        ...table.at,
        code: "no-caption",
        message: `table ${table.index} has no caption`,
        hint: "the page title is used as its caption",
      });
    }
  }

  const introText = intro.map((p) => p.join(" ")).join("\n\n");
  return { page, title: pageTitle, ...(introText ? { intro: introText } : {}), tables };
}

function readTable(lines: string[], start: number, file: string, findings: Finding[]): GridTable {
  const read = readGridTable(lines, start);
  if ("error" in read) throw new InputError({ file, ...read.error });
  findings.push(...read.warnings);
  return read.table;
}

/** The first grid border inside a directive's indented body, after its options and blank lines. */
function gridStart(lines: string[], directive: number, indent: number): number | undefined {
  for (let i = directive + 1; i < lines.length; i++) {
    const line = lines[i] ?? "";
    if (line.trim() === "") continue;
    if (line.search(/\S/) <= indent) return undefined;
    if (isGridBorder(line)) return i;
    if (!line.trim().startsWith(":")) return undefined;
  }
  return undefined;
}

interface ProseState {
  /** Paragraphs of the intro, each a list of lines. */
  intro: string[][];
  tablesSoFar: number;
  /** The paragraph the current line continues, if any. */
  open?: string[];
  /** The last paragraph seen since the last table: a bare table's caption candidate. */
  last?: string[];
}

/**
 * Collects prose: unindented paragraphs before the first table are the intro; anything else that
 * is not markup the spec rebuilds (anchors, `:original_name:`, comments) is reported, except a
 * `Table N` line, which is held as the caption of a bare table that may follow.
 */
function prose(line: string, index: number, state: ProseState, findings: Finding[]): void {
  const text = line.trim();
  if (text === "") {
    state.open = undefined;
    return;
  }
  if (/^\.\. _[^:]*:\s*$/.test(text) || text.startsWith(":original_name:")) return;

  if (state.open) {
    state.open.push(text);
    return;
  }

  const started = [text];
  state.open = started;
  state.last = started;
  if (state.tablesSoFar === 0 && !/^\s/.test(line) && !text.startsWith("..")) {
    state.intro.push(started);
  } else if (!TABLE_LABEL.test(text)) {
    const where =
      state.tablesSoFar === 0 ? "before the first table" : `after table ${state.tablesSoFar}`;
    findings.push(
      problem(
        index,
        line,
        "prose-dropped",
        `text ${where} is not kept in the spec`,
        "add it to the page by hand after regenerating it",
      ),
    );
  }
}

/** A bare table's caption is a `Table N ...` paragraph right before it, taken out of the intro. */
function takeBareCaption(state: ProseState): string {
  const last = state.last;
  if (!last || !TABLE_LABEL.test(last.join(" "))) return "";

  if (state.intro[state.intro.length - 1] === last) state.intro.pop();
  return last.join(" ");
}

function captionText(caption: string): string {
  return caption.trim().replace(TABLE_LABEL, "").trim();
}

function findTitle(lines: string[]): { title: string; next: number } | undefined {
  for (let i = 0; i + 1 < lines.length; i++) {
    const text = (lines[i] ?? "").trim();
    const under = lines[i + 1] ?? "";
    const plain =
      text !== "" && !/^\s/.test(lines[i] ?? "") && !text.startsWith("..") && !text.startsWith(":");
    if (
      plain &&
      !UNDERLINE.test(text) &&
      UNDERLINE.test(under) &&
      under.trim().length >= Math.min(text.length, 3)
    ) {
      return { title: text, next: i + 2 };
    }
  }
  return undefined;
}

function pageId(lines: string[], file: string): string {
  for (const line of lines) {
    const original = /^:original_name:\s*(\S+)/.exec(line);
    if (original?.[1]) return original[1].replace(/\.html?$/, "");
  }
  for (const line of lines) {
    const anchor = /^\.\. _([^:]+):\s*$/.exec(line);
    if (anchor?.[1]) return anchor[1];
  }
  return basename(file, extname(file));
}

function noTable(text: string, file: string): InputError {
  const listTable = text
    .split("\n")
    .findIndex((line) => /^\s*\.\.\s+(list|csv)-table::/.test(line));
  const hint =
    listTable >= 0
      ? "this page uses a list or CSV table; the importer reads grid tables (+---+ borders) only"
      : "give the .rst page that holds the permissions table, drawn as a grid table (+---+ borders)";
  return new InputError({
    file,
    line: listTable >= 0 ? listTable + 1 : 1,
    column: 1,
    code: "no-table",
    message: "no grid table found on the page",
    hint,
  });
}

function problem(
  index: number,
  line: string,
  code: string,
  message: string,
  hint: string,
): Finding {
  return { line: index + 1, column: Math.max(line.search(/\S/), 0) + 1, code, message, hint };
}
