/**
 * What pinned prettier makes of a text with the project's own options: the layout every generated
 * file must already have, as no formatter runs over the output. Tests compare with it.
 *
 * The options are the layout's definition. No configuration file is looked up, so a prettier
 * configuration in the repository cannot change what the tests hold the output to.
 */
import { format, type Options } from "prettier";

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

const PARSERS = { md: "markdown", json: "json", ts: "typescript" } as const;

/** The text formatted by prettier; the path is for prettier's own heuristics only. */
export async function prettierForm(
  kind: keyof typeof PARSERS,
  text: string,
  path: string,
): Promise<string> {
  return format(text, { ...OPTIONS, parser: PARSERS[kind], filepath: path });
}
