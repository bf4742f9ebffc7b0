/**
 * What both TypeScript emitters build on: statements printed from ts-morph structures, and spec
 * text written as literals and doc comments that nothing inside the text can break out of
 * (quotes, backslashes, backticks, `${`, a comment's end, newlines and U+2028 alike), and that
 * shows bidi controls instead of letting them reorder what a reviewer sees.
 *
 * The text comes out in the layout pinned prettier gives it with the project's options (see
 * `output/layout.ts`), so nothing formats it afterwards: values are laid out here knowing the
 * column they start at, the way prettier decides whether a list or an object fits on one line.
 */
import { printStructure, type StatementStructures } from "ts-morph";
import { displayWidth, PRINT_WIDTH } from "../text-width.js";
import { showBidi } from "./bidi.js";

/** A value the emitters write as a literal: spec data, never code. */
export type Literal =
  string | number | boolean | readonly Literal[] | { readonly [key: string]: Literal };

/**
 * A statement: a structure, or the text of one laid out here, for the declarations whose layout
 * no structure printer gives (see `exportedConst`). The declarations as long as the spec are
 * pieces whose concatenation is their text, a property or a member each, never joined here.
 */
export type Statement = StatementStructures | string | readonly string[];

const INDENT = "  ";
const IDENTIFIER = /^[A-Za-z_$][A-Za-z0-9_$]*$/;

/**
 * The text of a source file made of these statements, in order, a blank line between each two,
 * as pieces (see `FileText`).
 *
 * Structures are printed by ts-morph's structure printer straight to text: no source file or
 * syntax tree is built, which on a large spec cost more than everything else put together.
 */
export function printStatements(statements: readonly Statement[]): string[] {
  const pieces: string[] = [];
  for (const [index, statement] of statements.entries()) {
    if (index > 0) pieces.push("\n");

    const own = statementText(statement);
    if (typeof own === "string") pieces.push(`${own.trimEnd()}\n`);
    else own.forEach((piece, i) => pieces.push(i === own.length - 1 ? `${piece.trimEnd()}\n` : piece));
  }
  return pieces;
}

function statementText(statement: Statement): string | readonly string[] {
  if (typeof statement === "string" || isPieces(statement)) return statement;
  return printStructure(statement, { indentNumberOfSpaces: 2 });
}

// Array.isArray does not narrow a union with a readonly array type.
function isPieces(statement: Statement): statement is readonly string[] {
  return Array.isArray(statement);
}

/**
 * An exported declaration whose value is laid out here: `export const name = value;` under its doc
 * comment. ts-morph's structure printer would indent every line of a value after the first once
 * more (a hanging indent), which prettier does not, so such statements are written whole.
 */
export function exportedConst(
  name: string,
  doc: string,
  value: (lead: number) => string | readonly string[],
): Statement {
  const head = `export const ${name} = `;
  const text = value(head.length);
  const pieces = typeof text === "string" ? [text] : text;
  return [`${docComment(doc, "")}\n${head}`, ...pieces, ";"];
}

/**
 * A string literal in the quotes prettier picks: double unless the text holds more double quotes
 * than single ones. U+2028, U+2029 and the bidi controls are escaped too, which JSON leaves raw.
 */
export function stringLiteral(text: string): string {
  const escaped = showBidi(JSON.stringify(text))
    .replace(/\u2028/g, "\\u2028")
    .replace(/\u2029/g, "\\u2029");
  if (count(text, '"') <= count(text, "'")) return escaped;

  // Only quotes change: JSON escapes none of the other characters that would need it here.
  const body = escaped.slice(1, -1).replace(/\\(.)|'/g, (match: string, escapedChar?: string) => {
    if (escapedChar === undefined) return "\\'";
    return escapedChar === '"' ? '"' : match;
  });
  return `'${body}'`;
}

/**
 * A property name as an object literal or interface writes it: bare when it is an identifier,
 * quoted otherwise, and computed for `__proto__`, which as a plain key would set the prototype.
 */
export function propertyKey(name: string): string {
  if (name === "__proto__") return `[${stringLiteral(name)}]`;
  return IDENTIFIER.test(name) ? name : stringLiteral(name);
}

/**
 * An exported union type alias (or `never`), as prettier breaks one: on one line when it fits,
 * else whole on the line after the `=` when it fits there, else one member a line after a `|`.
 */
export function unionAlias(name: string, doc: string, members: readonly string[]): Statement {
  const head = `export type ${name} =`;
  const comment = `${docComment(doc, "")}\n`;
  if (members.length === 0) return `${comment}${head} never;`;

  const width = joinedWidth(members, " | ".length);
  if (head.length + 1 + width + 1 <= PRINT_WIDTH) return `${comment}${head} ${members.join(" | ")};`;
  if (members.length === 1 || INDENT.length + width + 1 <= PRINT_WIDTH) {
    return `${comment}${head}\n${INDENT}${members.join(" | ")};`;
  }
  return [`${comment}${head}`, ...members.map((m) => `\n${INDENT}| ${m}`), ";"];
}

/** String literal types for a union. */
export function literalTypes(values: readonly string[]): string[] {
  return values.map(stringLiteral);
}

/**
 * A literal's text as it sits at `indent` (the indentation of the line it starts on), with
 * `lead` characters before it on that line and `trail` after its last character: a list or a
 * flat object stays on one line when that line fits, other objects take one property a line.
 */
export function literalText(value: Literal, indent: string, lead: number, trail: number): string {
  if (typeof value === "string") return stringLiteral(value);
  if (typeof value !== "object") return String(value);

  const inline = inlineText(value);
  if (inline !== undefined && lead + inline.width + trail <= PRINT_WIDTH) return inline.text;
  return brokenPieces(value, indent).join("");
}

/**
 * `literalText` as pieces, an item or a property each when the literal breaks over lines: for
 * literals as long as the spec.
 */
export function literalPieces(value: Literal, indent: string, lead: number, trail: number): string[] {
  if (typeof value !== "object") return [literalText(value, indent, lead, trail)];

  const inline = inlineText(value);
  if (inline !== undefined && lead + inline.width + trail <= PRINT_WIDTH) return [inline.text];
  return brokenPieces(value, indent);
}

/** A doc comment whose lines after the first start at an indentation. */
export function docComment(text: string, indent: string): string {
  const lines = docText(text).split("\n");
  if (lines.length === 1) return `/** ${lines[0]} */`;

  const body = lines.map((line) => `${indent} *${line === "" ? "" : ` ${line}`}`);
  return ["/**", ...body, `${indent} */`].join("\n");
}

/**
 * Text for a doc comment: it cannot close the comment, any line break is a plain newline, a bidi
 * control shows as its escape, and lines lose trailing whitespace, as prettier trims the lines of
 * a comment it re-indents.
 */
export function docText(text: string): string {
  return showBidi(text)
    .replace(/\r\n?|[\u2028\u2029]/g, "\n")
    .replace(/\*\//g, "*\\/")
    .split("\n")
    .map((line) => line.trimEnd())
    .join("\n");
}

/**
 * The one-line text of a list, or of an object whose values are all strings, numbers or booleans,
 * with its width.
 */
function inlineText(
  value: readonly Literal[] | { readonly [key: string]: Literal },
): { text: string; width: number } | undefined {
  if (isList(value)) {
    if (value.some((item) => typeof item === "object")) return undefined;
    const items = value.map((item) => literalText(item, "", 0, 0));
    return { text: `[${items.join(", ")}]`, width: 2 + joinedWidth(items, ", ".length) };
  }

  const entries = Object.entries(value);
  if (entries.some(([, item]) => typeof item === "object")) return undefined;
  if (entries.length === 0) return { text: "{}", width: 2 };
  const keys = entries.map(([key]) => propertyKey(key));
  const values = entries.map(([, item]) => literalText(item, "", 0, 0));
  const body = keys.map((key, i) => `${key}: ${values[i]}`);
  const separators = ": ".length * keys.length + ", ".length * (keys.length - 1);
  const width = "{  }".length + joinedWidth([...keys, ...values], 0) + separators;
  return { text: `{ ${body.join(", ")} }`, width };
}

/**
 * The width of pieces written on one line with `gap` columns between each two, measured piece by
 * piece, as prettier measures them.
 */
function joinedWidth(pieces: readonly string[], gap: number): number {
  const widths = pieces.reduce((sum, piece) => sum + displayWidth(piece), 0);
  return widths + gap * Math.max(0, pieces.length - 1);
}

/** A list or an object one item or property a line, as pieces: the opening, each line, the close. */
function brokenPieces(value: readonly Literal[] | { readonly [key: string]: Literal }, indent: string): string[] {
  const inner = indent + INDENT;
  if (isList(value)) {
    const lines = value.map((item) => `\n${inner}${literalText(item, inner, inner.length, 1)},`);
    return ["[", ...lines, `\n${indent}]`];
  }

  // Object.entries keeps `__proto__` an own key here; propertyKey then writes it safely.
  const lines = Object.entries(value).map(([key, item]) => {
    const name = propertyKey(key);
    if (typeof item === "string") return `\n${stringProperty(inner, name, item)}`;
    return `\n${inner}${name}: ${literalText(item, inner, inner.length + displayWidth(name) + 2, 1)},`;
  });
  return ["{", ...lines, `\n${indent}}`];
}

/**
 * A property of a broken object whose value is a string, comma included. Prettier moves a string
 * that overflows the line to the next one, indented, unless the key is shorter than five columns.
 */
export function stringProperty(indent: string, name: string, value: string): string {
  const literal = stringLiteral(value);
  const nameWidth = displayWidth(name);
  if (nameWidth < 5 || indent.length + nameWidth + 2 + displayWidth(literal) + 1 <= PRINT_WIDTH) {
    return `${indent}${name}: ${literal},`;
  }
  return `${indent}${name}:\n${indent}${INDENT}${literal},`;
}

function count(text: string, char: string): number {
  return text.split(char).length - 1;
}

function isList(
  value: readonly Literal[] | { readonly [key: string]: Literal },
): value is readonly Literal[] {
  return Array.isArray(value);
}
