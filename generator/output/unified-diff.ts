/**
 * A unified diff of a file as it is on disk and as the specs produce it, short enough for a CI log
 * and cheap whatever the files' size.
 *
 * A line diff costs time in the product of the lines and the differences: two route tables of a
 * million lines that differ on every route took longer than any CI waits. So the lines the two
 * texts share at their start and end are skipped by comparing characters, as `diff` itself does,
 * and what is left is diffed only as far as a window of lines, enough to fill the lines shown.
 * Within the window the diff changes as few lines as a diff of the whole files; where a change
 * could be shown in more than one place (which of three blank lines went), it may show another.
 */
import { FILE_HEADERS_ONLY, formatPatch, structuredPatch } from "diff";

/** Unchanged lines shown around each change. */
const CONTEXT = 2;

/** Lines of each side diffed beyond the lines shown; past them the diff is cut with a note. */
const WINDOW = 1000;

/** The diff from `before` (on disk) to `after` (from the specs), cut to `max` lines. */
export function boundedDiff(path: string, before: string, after: string, max: number): string {
  const region = differingRegion(before, after);
  const window = WINDOW + max;
  const old = firstLines(before.slice(region.start, before.length - region.tail), window);
  const now = firstLines(after.slice(region.start, after.length - region.tail), window);

  const patch = structuredPatch(`a/${path}`, `b/${path}`, old.text, now.text, "on disk", "from spec", {
    context: CONTEXT,
  });
  for (const hunk of patch.hunks) {
    hunk.oldStart += region.line;
    hunk.newStart += region.line;
  }

  const lines = formatPatch(patch, FILE_HEADERS_ONLY).split("\n").slice(0, -1);
  const cut = old.cut || now.cut;
  if (lines.length <= max && !cut) return lines.join("\n");

  const note = cut
    ? `... the diff is cut here: only ${window} lines of each side from line ${region.line + 1} were compared`
    : `... ${lines.length - max} more diff lines`;
  return [...lines.slice(0, max), note].join("\n");
}

interface Region {
  /** Where both texts start to differ, at a line start and `CONTEXT` lines earlier. */
  start: number;
  /** Lines before `start`. */
  line: number;
  /** Characters both texts end with that lie after the region, `CONTEXT` lines of them kept in it. */
  tail: number;
}

/** The part of both texts, whole lines, outside which they are the same. */
function differingRegion(before: string, after: string): Region {
  const shortest = Math.min(before.length, after.length);
  let head = 0;
  while (head < shortest && before.charCodeAt(head) === after.charCodeAt(head)) head++;
  const firstLine = lineStart(before, head);

  let start = firstLine;
  for (let k = 0; k < CONTEXT && start > 0; k++) start = lineStart(before, start - 1);

  let common = 0;
  const room = shortest - firstLine;
  while (common < room && before.charCodeAt(before.length - 1 - common) === after.charCodeAt(after.length - 1 - common)) {
    common++;
  }

  // The tail starts just after a line break that both texts share, then gives back CONTEXT lines.
  let end = lineAfter(before, before.length - common);
  for (let k = 0; k < CONTEXT && end < before.length; k++) end = lineAfter(before, end);

  return { start, line: countLines(before, start), tail: before.length - end };
}

/** The start of the line that holds `index`. */
function lineStart(text: string, index: number): number {
  // lastIndexOf reads a negative start as 0, which would find a line break at 0 before index 0.
  return index <= 0 ? 0 : text.lastIndexOf("\n", index - 1) + 1;
}

/** The index just after the next line break at or after `from`; the text's length when none. */
function lineAfter(text: string, from: number): number {
  const next = text.indexOf("\n", from);
  return next === -1 ? text.length : next + 1;
}

function countLines(text: string, end: number): number {
  let lines = 0;
  for (let i = text.indexOf("\n"); i !== -1 && i < end; i = text.indexOf("\n", i + 1)) lines++;
  return lines;
}

/** The text's first `count` lines, and whether there was more. */
function firstLines(text: string, count: number): { text: string; cut: boolean } {
  let end = 0;
  for (let k = 0; k < count; k++) {
    const next = text.indexOf("\n", end);
    if (next === -1) return { text, cut: false };
    end = next + 1;
  }
  return { text: text.slice(0, end), cut: end < text.length };
}
