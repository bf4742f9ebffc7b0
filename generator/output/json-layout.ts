/**
 * JSON in the exact layout pinned prettier gives it (`parser: "json"` with the options of
 * test/helpers/prettier-form.ts), written without running prettier.
 *
 * The text is parsed and printed again, so a template's own whitespace does not matter: every
 * object is written one key a line (prettier keeps an object so when a line break follows its
 * `{`, which no output of ours would want otherwise), and every array on one line when it fits in
 * 100 columns, else one element a line. That is how prettier prints an array, except that:
 * - it breaks an array holding two or more objects, or two or more arrays, each with two or more
 *   entries; and an array breaks whenever anything in it does, as an object always does here;
 * - it fills an array of numbers, as many to a line as fit.
 * Keys keep their order, except that `JSON.parse` puts keys that are array indexes (`"2"`) first;
 * no policy or manifest has such a key. Strings are written as
 * `JSON.stringify` writes them, which prettier leaves as they are; numbers as prettier writes
 * them (`1E+05` as `1e5`, `1.50` as `1.5`). Blank lines between entries, which prettier would
 * keep, are not.
 */
import { displayWidth as width, PRINT_WIDTH } from "../text-width.js";

const INDENT = "  ";

type Json =
  | { kind: "scalar"; text: string; number: boolean }
  | { kind: "array"; items: Json[] }
  | { kind: "object"; entries: Array<[string, Json]> };

/**
 * Prettier's output for a JSON document. The text is always permgen's own (a policy the policies
 * emitter has parsed and checked already, or the manifest), so text that is not JSON is a fault
 * in permgen, reported naming the file.
 */
export function layoutJson(text: string, path: string): string {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new Error(`permgen rendered ${path} as text that is not JSON (${reason})`);
  }
  return `${print(fromParsed(parsed), "", 0, 0)}\n`;
}

/**
 * A value printed where its first character lands at `column`, with `after` columns of text
 * (a comma) that must fit on the same line after it.
 */
function print(value: Json, indent: string, column: number, after: number): string {
  if (value.kind === "scalar") return value.text;

  const inner = indent + INDENT;
  if (value.kind === "object") {
    if (value.entries.length === 0) return "{}";
    const lines = value.entries.map(([key, item], i) => {
      const name = JSON.stringify(key);
      const rest = i < value.entries.length - 1 ? 1 : 0;
      return `${inner}${name}: ${print(item, inner, inner.length + width(name) + 2, rest)}`;
    });
    return `{\n${lines.join(",\n")}\n${indent}}`;
  }

  const { items } = value;
  if (items.length === 0) return "[]";
  if (!breaks(value) && column + flatWidth(value) + after <= PRINT_WIDTH) return flatText(value);

  const numbers = items.flatMap((item) =>
    item.kind === "scalar" && item.number ? [item.text] : [],
  );
  if (numbers.length === items.length) return `[\n${inner}${fill(numbers, inner)}\n${indent}]`;
  const lines = items.map((item, i) => {
    return `${inner}${print(item, inner, inner.length, i < items.length - 1 ? 1 : 0)}`;
  });
  return `[\n${lines.join(",\n")}\n${indent}]`;
}

/**
 * Whether an array is broken whatever its width: it holds an object with an entry (which always
 * breaks, and takes every array around it along), or two or more objects or arrays of one kind,
 * each with two or more entries.
 */
function breaks(array: Json & { kind: "array" }): boolean {
  const { items } = array;
  const size = (item: Json): number =>
    item.kind === "array" ? item.items.length : item.kind === "object" ? item.entries.length : 0;
  const kind = items[0]?.kind;
  const grid =
    items.length > 1 && kind !== "scalar" && items.every((i) => i.kind === kind && size(i) > 1);
  const inner = (item: Json): boolean =>
    item.kind === "object" ? item.entries.length > 0 : item.kind === "array" && breaks(item);
  return grid || items.some(inner);
}

/**
 * The width of a value on one line, added up token by token as prettier measures it: the sum can
 * differ from the width of the whole line (U+007F counts in an ASCII token and not beside others).
 */
function flatWidth(value: Json): number {
  if (value.kind === "scalar") return width(value.text);
  if (value.kind === "object") return 2;
  return value.items.reduce((sum, item, i) => sum + flatWidth(item) + (i > 0 ? 2 : 0), 2);
}

/** A value on one line, as prettier prints a group that fits. */
function flatText(value: Json): string {
  if (value.kind === "scalar") return value.text;
  if (value.kind === "object") return "{}";
  return `[${value.items.map(flatText).join(", ")}]`;
}

/**
 * Numbers as prettier fills them: each joins the line while it and the one before still fit.
 * A JSON number is ASCII, one column a character.
 */
function fill(numbers: readonly string[], indent: string): string {
  const parts = numbers.map((n, i) => (i < numbers.length - 1 ? `${n},` : n));
  let out = parts[0] ?? "";
  let start = indent.length;
  for (let i = 1; i < parts.length; i++) {
    const part = parts[i] ?? "";
    const previous = parts[i - 1] ?? "";
    if (start + previous.length + 1 + part.length <= PRINT_WIDTH) {
      start += previous.length + 1;
      out += ` ${part}`;
    } else {
      start = indent.length;
      out += `\n${indent}${part}`;
    }
  }
  return out;
}

/**
 * The parsed value in the printer's terms. A duplicate key keeps its last value, as `JSON.parse`
 * keeps it; no output has one, as the policies emitter refuses a rendered policy whose parse
 * differs from the policy it meant.
 */
function fromParsed(value: unknown): Json {
  if (Array.isArray(value)) return { kind: "array", items: value.map(fromParsed) };
  if (value !== null && typeof value === "object") {
    const entries = Object.entries(value).map(([key, item]): [string, Json] => [key, fromParsed(item)]);
    return { kind: "object", entries };
  }
  const number = typeof value === "number";
  return { kind: "scalar", text: number ? printNumber(String(value)) : JSON.stringify(value), number };
}

/**
 * A number as prettier writes it: lower case, no `+` or leading zeros in the exponent, no zero
 * exponent, no trailing zeros after the first decimal.
 */
function printNumber(raw: string): string {
  if (raw.length === 1) return raw;
  const [mantissa = "", exponent] = raw.toLowerCase().split("e");

  let fraction = mantissa;
  const dot = mantissa.indexOf(".");
  if (dot >= 0) {
    let end = mantissa.length;
    while (end > dot + 2 && mantissa[end - 1] === "0") end--;
    fraction = mantissa.slice(0, end);
  }
  if (exponent === undefined) return fraction;

  const sign = exponent.startsWith("-") ? "-" : "";
  const digits = exponent.replace(/^[+-]/, "");
  let lead = 0;
  while (lead < digits.length - 1 && digits[lead] === "0") lead++;
  const power = digits.slice(lead);
  return power === "0" ? fraction : `${fraction}e${sign}${power}`;
}
