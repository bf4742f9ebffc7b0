/**
 * The text inside a Markdown block (a paragraph, a heading, a table cell) as pinned prettier
 * prints it; markdown-layout.ts lays out the blocks around it.
 *
 * Prettier prints text as its parser (micromark with GFM) reads it, and keeps it as written but
 * for whitespace: a run of spaces and tabs becomes one space and a line break drops the spaces
 * around it. Code spans it writes again; `{{…}}`, `{%…%}` and `$$…$$` it keeps whole. The text is
 * read in one pass, left to right, as the parser reads it, so that what opens first wins: a
 * backslash escape is skipped whole, and a bare `www.` or `http://` link runs to the next space or
 * `<`, hiding any backtick or `{{` inside it.
 *
 * Not reproduced: where the parser reads as Markdown what GitHub shows as text, prettier rewrites
 * it; that happens in text no template writes and no spec string can reach (markdownCell escapes
 * every `{` and the start of every bare link):
 * - a `{{` or `{%` closed by `}}` or `%}` past the opening backtick of a later code span: the
 *   parser takes the backtick into the tag and reads the code's text as Markdown, which prettier
 *   then writes its own way (`*a*` as `_a_`, for one);
 * - a bare link ending in an escaped `*`, `_` or `~` (`www.x.io\*`): the parser takes the backslash
 *   into the link, and the character left over can pair with another as emphasis, which prettier
 *   writes with `_`.
 */

const BACKSLASH = 92;
const ASCII_PUNCTUATION = /[!-/:-@[-`{-~]/;

/**
 * Inline Markdown laid out as prettier prints it: `inTable` for a table cell's text, `indent`
 * for what prettier writes after each line break (a code span's own line breaks get none).
 */
export function layoutInline(text: string, inTable: boolean, indent = ""): string {
  const parts: string[] = [];
  const ticks = new Runs(text, "`");
  const dollars = new Runs(text, "$");
  const closers = new Closers(text);
  const links = new BareLinks(text);
  let plain = 0;
  let labels = 0;
  let i = 0;

  while (i < text.length) {
    const c = text[i];
    if (text.charCodeAt(i) === BACKSLASH) {
      i += ASCII_PUNCTUATION.test(text[i + 1] ?? "") ? 2 : 1;
      continue;
    }
    // A bare link is no link inside a `[` the parser has not seen closed yet.
    if (c === "[") labels++;
    if (c === "]") labels = Math.max(0, labels - 1);
    const link = labels === 0 ? links.end(i) : -1;
    if (link >= 0) {
      i = link;
      continue;
    }

    const span = spanAt(text, i, { inTable, indent, ticks, dollars, closers });
    if (span === undefined) {
      i += c === "`" || c === "$" ? runLength(text, i) : 1;
      continue;
    }
    parts.push(collapse(text.slice(plain, i), indent), span.text);
    i = plain = span.end;
  }
  parts.push(collapse(text.slice(plain), indent));
  return parts.join("");
}

interface Scan {
  inTable: boolean;
  indent: string;
  ticks: Runs;
  dollars: Runs;
  closers: Closers;
}

/** The code span, math or template tag opening at `i`, as prettier prints it. */
function spanAt(text: string, i: number, scan: Scan): { text: string; end: number } | undefined {
  const c = text[i];
  if (c === "`" || c === "$") {
    const run = runLength(text, i);
    const close =
      run >= (c === "$" ? 2 : 1) ? (c === "`" ? scan.ticks : scan.dollars).after(run, i + run) : -1;
    if (close < 0) return undefined;

    const end = close + run;
    return {
      text: c === "`" ? codeSpan(text.slice(i + run, close), scan.inTable) : text.slice(i, end),
      end,
    };
  }
  if (c !== "{" || (text[i + 1] !== "{" && text[i + 1] !== "%")) return undefined;

  const close = scan.closers.next(text[i + 1] === "{" ? "}}" : "%}", i + 2);
  if (close < 0) return undefined;
  // Prettier prints the tag's line breaks as its own, which drop the spaces before them.
  const tag = text
    .slice(i, close + 2)
    .split("\n")
    .map(trimSpaceEnd)
    .join(`\n${scan.indent}`);
  return { text: tag, end: close + 2 };
}

function runLength(text: string, at: number): number {
  const char = text[at];
  let end = at;
  while (text[end] === char) end++;
  return end - at;
}

/**
 * A code span as prettier writes it: the parser drops one space each side when both sides have
 * one (and the text is not all spaces) and, in a table, reads `\|` as `|`; prettier writes `|`
 * back as `\|` in a table, fences with the shortest run of backticks the text does not hold, and
 * pads with a space when the text starts or ends with a backtick or has spaces at both ends.
 */
function codeSpan(content: string, inTable: boolean): string {
  const spaced = (s: string): boolean => /^[ \n]/.test(s) && /[ \n]$/.test(s) && /[^ \n]/.test(s);
  let value = spaced(content) ? content.slice(1, -1) : content;
  if (inTable) {
    value = value.replace(/\\([\\|])/g, (escape, c: string) => (c === "|" ? c : escape));
    value = value.replace(/\|/g, "\\|");
  }

  const lengths = new Set((value.match(/`+/g) ?? []).map((run) => run.length));
  let fence = 1;
  while (lengths.has(fence)) fence++;
  const ticks = "`".repeat(fence);
  const padding = value.startsWith("`") || value.endsWith("`") || spaced(value) ? " " : "";
  return `${ticks}${padding}${value}${padding}${ticks}`;
}

/** The longest run of `char` in a text. */
export function longestRun(text: string, char: string): number {
  let longest = 0;
  for (let i = text.indexOf(char); i >= 0; i = text.indexOf(char, i)) {
    const run = runLength(text, i);
    longest = Math.max(longest, run);
    i += run;
  }
  return longest;
}

/**
 * Whitespace as prettier prints text: a run of spaces and tabs is one space; a run with a line
 * break is a line break (two spaces before it make a hard break, kept as two spaces), except that
 * a line starting with a word that reads as a list marker or a heading is joined to the one before.
 */
function collapse(text: string, indent: string): string {
  return text.replace(/[ \t\n]+/g, (run: string, at: number) => {
    const lineEnd = run.indexOf("\n");
    if (lineEnd < 0) return " ";

    const before = run.slice(0, lineEnd);
    if (before.length >= 2 && !before.includes("\t")) return `  \n${indent}`;
    if (before === "" && oddBackslashesBefore(text, at)) return `\n${indent}`;
    return joinsLine(text, at + run.length) ? " " : `\n${indent}`;
  });
}

function oddBackslashesBefore(text: string, at: number): boolean {
  let n = 0;
  while (text.charCodeAt(at - n - 1) === BACKSLASH) n++;
  return n % 2 === 1;
}

const WORD = /[^ \t\n]+/y;
const MORE_ON_LINE = /[ \t]+[^ \t\n]/y;

function joinsLine(text: string, from: number): boolean {
  WORD.lastIndex = from;
  const word = WORD.exec(text)?.[0] ?? "";
  if (word !== "-") return word.startsWith(">") || /^(?:[*+]|#{1,6}|\d+[.)])$/.test(word);

  // A lone `-` ending its line could be read as a heading's underline: prettier keeps that break.
  MORE_ON_LINE.lastIndex = from + 1;
  return MORE_ON_LINE.test(text);
}

const EMAIL_CHAR = /[-+._A-Za-z0-9]/;
const TRAIL_CHAR = new Set(`!"')*,.:;?_~`);
const PATH_STOP = new Set(`!"&')*,.:;<?]_~`);
const ENTITY = /&[A-Za-z]+;/y;

/** A scanned domain: its last two dots, whether its last two parts hold `_`, where it ends. */
interface Domain {
  from: number;
  end: number;
  letter: boolean;
  dots: [previous: number, last: number];
  underscores: [previous: boolean, last: boolean];
}

/**
 * GFM's bare links as the parser reads them (an email address, `www.…`, `http(s)://…`), so that
 * what they hide opens nothing: a link runs to a space, or to the punctuation that ends it. Each
 * character is tested as a UTF-16 unit, as the parser does: half an emoji is a letter to it.
 */
class BareLinks {
  private domain: Domain | undefined;
  private trail = { start: -1, end: -1, ends: false };

  constructor(private readonly text: string) {}

  /** The end of the bare link starting at `at`, or -1 where none starts. */
  end(at: number): number {
    const { text } = this;
    const c = text[at] ?? "";
    const before = text[at - 1] ?? "";
    const email = EMAIL_CHAR.test(c) && !/[-+./_A-Za-z0-9]/.test(before) ? this.email(at) : -1;
    if (email >= 0) return email;

    if (
      /w/i.test(c) &&
      /^[ \t\n(*_~[\]]?$/.test(before) &&
      /^www\.[^]/i.test(text.slice(at, at + 5))
    ) {
      return this.web(at, true);
    }
    const scheme =
      /h/i.test(c) && !/[A-Za-z]/.test(before)
        ? /^https?:\/\//i.exec(text.slice(at, at + 8))
        : null;
    const first = scheme ? (text[at + scheme[0].length] ?? "") : "";
    const starts =
      first !== "" && !/[\x00-\x1f\x7f]/.test(first) && !isSpace(first) && !isPunctuation(first);
    return scheme && starts ? this.web(at + scheme[0].length, false) : -1;
  }

  /** `local@domain.tld`, ending in a letter; nothing in it could open a span. */
  private email(at: number): number {
    const { text } = this;
    let i = at;
    while (EMAIL_CHAR.test(text[i] ?? "")) i++;
    if (text[i] !== "@") return -1;

    let dot = false;
    let part = false;
    for (i++; i < text.length; i++) {
      const c = text[i] ?? "";
      if (c === "." && /[A-Za-z0-9]/.test(text[i + 1] ?? "")) dot = true;
      else if (/[-_A-Za-z0-9]/.test(c)) part = true;
      else break;
    }
    return part && dot && /[A-Za-z]/.test(text[i - 1] ?? "") ? i : -1;
  }

  /**
   * A web link's domain must hold a letter and no `_` in its last two parts. A `www.` inside a
   * domain already scanned (after an `_`) ends where it ends; its last two parts are that
   * domain's, unless it starts in them, when one of them is its own `www`.
   */
  private web(from: number, www: boolean): number {
    const cached = this.domain;
    const inside = www && cached !== undefined && from > cached.from && from < cached.end;
    const d = inside ? cached : this.scan(from);
    const [previousDot, lastDot] = d.dots;
    const [previous, last] = d.underscores;

    const valid = inside
      ? from > lastDot || (!last && (from > previousDot || !previous))
      : d.letter && !last && !previous;
    return valid ? this.pathEnd(d.end) : -1;
  }

  private scan(from: number): Domain {
    const { text } = this;
    const d: Domain = {
      from,
      end: from,
      letter: false,
      dots: [-1, -1],
      underscores: [false, false],
    };
    for (; d.end < text.length; d.end++) {
      const c = text[d.end] ?? "";
      if ((c === "." || c === "_") && this.trails(d.end)) break;
      if (c === "_") d.underscores[1] = true;
      else if (c === ".") {
        d.dots = [d.dots[1], d.end];
        d.underscores = [d.underscores[1], false];
      } else if (isSpace(c) || (c !== "-" && isPunctuation(c))) break;
      else d.letter = true;
    }
    this.domain = d;
    return d;
  }

  /** A path runs to a space, or to trailing punctuation; `)` is its own while it closes a `(`. */
  private pathEnd(from: number): number {
    const { text } = this;
    let open = 0;
    let closed = 0;
    let i = from;
    for (; i < text.length && !isSpace(text[i] ?? ""); i++) {
      const c = text[i] ?? "";
      if (c === "(") open++;
      else if (c === ")" && closed < open) closed++;
      else if (PATH_STOP.has(c) && this.trails(i)) break;
      else if (c === ")") closed++;
    }
    return i;
  }

  /** Whether punctuation from `at` trails the link: it runs on to a space, `<` or the end. */
  private trails(at: number): boolean {
    const { text, trail } = this;
    if (at >= trail.start && at < trail.end) return trail.ends;

    let i = at;
    let ends = false;
    for (;;) {
      while (TRAIL_CHAR.has(text[i] ?? "")) i++;
      const c = text[i];
      ENTITY.lastIndex = i;
      const entity = c === "&" ? ENTITY.exec(text) : null;
      if (c === undefined || c === "<" || isSpace(c)) ends = true;
      else if (entity) {
        i += entity[0].length;
        continue;
      } else if (c === "]") {
        const next = text[++i];
        if (next !== undefined && next !== "(" && next !== "[" && !isSpace(next)) continue;
        ends = true;
      }
      break;
    }
    this.trail = { start: at, end: Math.max(i, at + 1), ends };
    return ends;
  }
}

const isSpace = (c: string): boolean => /\s/.test(c);
const isPunctuation = (c: string): boolean => /[\p{P}\p{S}]/u.test(c);

/** Where the runs of one character start, by length, so that finding every closer is one pass. */
class Runs {
  private readonly starts = new Map<number, number[]>();
  private readonly seen = new Map<number, number>();

  constructor(text: string, char: string) {
    for (let i = text.indexOf(char); i >= 0; i = text.indexOf(char, i)) {
      const length = runLength(text, i);
      const list = this.starts.get(length) ?? [];
      list.push(i);
      this.starts.set(length, list);
      i += length;
    }
  }

  /** The first run exactly `length` long starting at `from` or later; callers ask in order. */
  after(length: number, from: number): number {
    const list = this.starts.get(length) ?? [];
    let k = this.seen.get(length) ?? 0;
    while (k < list.length && (list[k] ?? 0) < from) k++;
    this.seen.set(length, k);
    return list[k] ?? -1;
  }
}

/** The next `}}` or `%}` from a position; remembered, so a text of unclosed `{{` stays linear. */
class Closers {
  private readonly found = new Map<string, number>();

  constructor(private readonly text: string) {}

  next(closer: string, from: number): number {
    const known = this.found.get(closer);
    if (known !== undefined && (known < 0 || known >= from)) return known;
    const at = this.text.indexOf(closer, from);
    this.found.set(closer, at);
    return at;
  }
}

const isBlank = (c: string | undefined): boolean => c === " " || c === "\t";

/** Trims spaces and tabs only: other whitespace (U+3000, U+00A0) is text to the parser. */
export function trimSpaces(text: string): string {
  let start = 0;
  while (isBlank(text[start])) start++;
  return trimSpaceEnd(text.slice(start));
}

/** Drops trailing spaces and tabs, as prettier's printer does before each line break. */
export function trimSpaceEnd(text: string): string {
  let end = text.length;
  while (isBlank(text[end - 1])) end--;
  return text.slice(0, end);
}

/** Drops spaces, tabs and line breaks at both ends. */
export function trimText(text: string): string {
  let start = 0;
  let end = text.length;
  while (isBlank(text[start]) || text[start] === "\n") start++;
  while (end > start && (isBlank(text[end - 1]) || text[end - 1] === "\n")) end--;
  return text.slice(start, end);
}
