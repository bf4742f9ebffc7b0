/**
 * The last step of every output file: its final layout. No formatter runs over the output. The
 * TypeScript emitters and the verbatim runtime copies already write prettier's layout; JSON is
 * parsed and printed again, and Markdown is read into blocks and printed again, each exactly as
 * pinned prettier would with the project's options (widths measured by `text-width.ts`). Tests prove it file by file (`ts-layout`,
 * `layout`), so the bytes depend on permgen alone, not on any formatter a consumer has.
 *
 * Running prettier here instead cost most of `check`, and 86% of generating 10,000 routes.
 */
import type { FileKind } from "../emit/file.js";
import { layoutJson } from "./json-layout.js";
import { layoutMarkdown } from "./markdown-layout.js";

/** The file's final text: LF line endings, one newline at the end, and its kind's layout. */
export function layoutText(kind: FileKind, text: string, path: string): string {
  // Markdown's layout reads `\r\n` and `\r` as line ends itself.
  if (kind === "md") return layoutMarkdown(text);
  const normalised = text.replace(/\r\n?/g, "\n");

  switch (kind) {
    case "json":
      return layoutJson(normalised, path);
    case "ts":
      return `${normalised.trimEnd()}\n`;
    case "rst":
      // Prettier has no reStructuredText support: the emitter's own fixed layout is final.
      return normalised.endsWith("\n") ? normalised : `${normalised}\n`;
  }
}
