/**
 * Control characters in the spec's text. A spec can hold them only as YAML escapes (`"\u0007"`),
 * yet they reach the Markdown pages and the doc comments of the generated code, where they show
 * as nothing, garble a terminal (ESC starts a colour sequence) or cut a string short (NUL). Tab
 * and newline are the only ones text may hold.
 */
import type { ParsedSpec, PathKey } from "./parse.js";
import type { Reporter } from "./lint-context.js";
import { pathText } from "./schema.js";
import type { Spec } from "./types.js";

/** C0 controls other than tab (U+0009) and newline (U+000A). */
const CONTROL = /[\u0000-\u0008\u000b-\u001f]/;

/** Reports every string in the spec that holds a control character, at the string. */
export function checkControlCharacters(spec: Spec, parsed: ParsedSpec, report: Reporter): void {
  visitStrings(spec, [], (text, path) => {
    const found = CONTROL.exec(text);
    if (!found) return;

    const code = found[0].charCodeAt(0).toString(16).toUpperCase().padStart(4, "0");
    report(
      "error",
      "control-character",
      parsed.locate(path),
      `${pathText(path)} holds the control character U+${code} at character ${found.index + 1}`,
      "remove it: generated docs and code would show it as nothing or garble a terminal",
    );
  });
}

function visitStrings(
  value: unknown,
  path: PathKey[],
  visit: (text: string, path: PathKey[]) => void,
): void {
  if (typeof value === "string") {
    visit(value, path);
  } else if (Array.isArray(value)) {
    value.forEach((item: unknown, index) => visitStrings(item, [...path, index], visit));
  } else if (typeof value === "object" && value !== null) {
    for (const [key, item] of Object.entries(value)) visitStrings(item, [...path, key], visit);
  }
}
