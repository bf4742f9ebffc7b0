/**
 * The last step of every output file: its final layout. No formatter runs over the output. The
 * TypeScript emitters and the verbatim runtime copies already write prettier's layout; JSON is
 * parsed and printed again, and Markdown is read into blocks and printed again, each exactly as
 * pinned prettier would with the project's options (widths measured by `text-width.ts`). Tests prove it file by file (`ts-layout`,
 * `layout`), so the bytes depend on permgen alone, not on any formatter a consumer has.
 *
 * Running prettier here instead cost most of `check`, and 86% of generating 10,000 routes.
 */
import type { FileKind, FileText } from "../emit/file.js";
import { joinText } from "./file-text.js";
import { layoutJson } from "./json-layout.js";
import { markdownPieces } from "./markdown-layout.js";

/**
 * The file's final text: LF line endings, one newline at the end, and its kind's layout. Pieces
 * stay pieces, and Markdown comes out in pieces, so that a large file is never copied whole.
 */
export function layoutText(kind: FileKind, text: FileText, path: string): FileText {
  // Markdown's layout reads `\r\n` and `\r` as line ends itself.
  if (kind === "md") return markdownPieces(joinText(text));
  const normalised = lineFeeds(text);

  switch (kind) {
    case "json":
      return layoutJson(joinText(normalised), path);
    case "ts":
      return endWithNewline(normalised, true);
    case "rst":
      // Prettier has no reStructuredText support: the emitter's own fixed layout is final.
      return endWithNewline(normalised, false);
  }
}

/** `\r\n` and `\r` become `\n`, also when a `\r\n` falls across two pieces. */
function lineFeeds(text: FileText): FileText {
  if (typeof text === "string") return text.replace(/\r\n?/g, "\n");

  let afterReturn = false;
  return text.map((piece) => {
    if (piece === "") return piece;
    const own = afterReturn && piece.startsWith("\n") ? piece.slice(1) : piece;
    afterReturn = piece.endsWith("\r");
    return own.includes("\r") ? own.replace(/\r\n?/g, "\n") : own;
  });
}

/** The text ending in exactly one newline (`trim`: and no other trailing whitespace), or in its own. */
function endWithNewline(text: FileText, trim: boolean): FileText {
  if (typeof text === "string") {
    if (trim) return `${text.trimEnd()}\n`;
    return text.endsWith("\n") ? text : `${text}\n`;
  }

  const pieces = text.filter((piece) => piece !== "");
  const last = pieces.at(-1) ?? "";
  if (!trim) return last.endsWith("\n") ? pieces : [...pieces, "\n"];

  while (pieces.length > 0 && (pieces.at(-1) ?? "").trimEnd() === "") pieces.pop();
  if (pieces.length > 0) pieces[pieces.length - 1] = (pieces.at(-1) ?? "").trimEnd();
  pieces.push("\n");
  return pieces;
}
