/**
 * Formats generated text in memory with options fixed here. No configuration file is looked up, so
 * a consumer's own prettier settings cannot change the bytes; the prettier version is pinned in
 * package.json for the same reason.
 */
import { format, type Options } from "prettier";
import type { FileKind } from "../emit/file.js";

export const OPTIONS: Options = {
  printWidth: 100,
  tabWidth: 2,
  useTabs: false,
  semi: true,
  singleQuote: false,
  quoteProps: "as-needed",
  trailingComma: "all",
  bracketSpacing: true,
  arrowParens: "always",
  endOfLine: "lf",
  proseWrap: "preserve",
  embeddedLanguageFormatting: "off",
};

const PARSERS: Record<Exclude<FileKind, "rst">, string> = {
  ts: "typescript",
  json: "json",
  md: "markdown",
};

/** Prettier has no reStructuredText support: such files keep the emitter's own fixed layout. */
export async function formatText(kind: FileKind, text: string, path: string): Promise<string> {
  const normalised = text.replace(/\r\n?/g, "\n");
  if (kind === "rst") return normalised.endsWith("\n") ? normalised : `${normalised}\n`;

  try {
    // The file path is for prettier's own heuristics only: given none, its TypeScript parser
    // probes the whole text for JSX with a regular expression that is quadratic on large files.
    // No configuration file is read either way; that takes resolveConfig, never called here.
    return await format(normalised, { ...OPTIONS, parser: PARSERS[kind], filepath: path });
  } catch (error) {
    const reason = error instanceof Error ? (error.message.split("\n")[0] ?? "") : String(error);
    throw new Error(`permgen produced ${path} that prettier cannot format: ${reason}`);
  }
}
