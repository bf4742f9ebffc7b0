/**
 * What both TypeScript emitters build on: an empty in-memory source file to add structures to, and
 * spec text written as literals and doc comments that nothing inside the text can break out of
 * (quotes, backslashes, backticks, `${`, a comment's end, newlines and U+2028 alike), and that
 * shows bidi controls instead of letting them reorder what a reviewer sees.
 */
import {
  IndentationText,
  Project,
  QuoteKind,
  Writers,
  type CodeBlockWriter,
  type StatementStructures,
  type WriterFunction,
} from "ts-morph";
import { showBidi } from "./bidi.js";

/** A value the emitters write as a literal: spec data, never code. */
export type Literal =
  string | number | boolean | readonly Literal[] | { readonly [key: string]: Literal };

const IDENTIFIER = /^[A-Za-z_$][A-Za-z0-9_$]*$/;

/**
 * The text of a source file made of these statements, in order, a blank line between each two.
 *
 * Each statement is printed in a source file of its own: adding whitespace between statements of
 * one file makes ts-morph parse the whole file again each time, which grows with the square of the
 * file's size on a large spec.
 */
export function printStatements(path: string, statements: readonly StatementStructures[]): string {
  const project = new Project({
    useInMemoryFileSystem: true,
    manipulationSettings: {
      indentationText: IndentationText.TwoSpaces,
      quoteKind: QuoteKind.Double,
    },
  });

  return statements
    .map((statement) => {
      const file = project.createSourceFile(path, "", { overwrite: true });
      file.addStatements([statement]);
      return file.getFullText();
    })
    .join("\n");
}

/**
 * A double-quoted string literal; U+2028, U+2029 and the bidi controls escaped too, which JSON
 * leaves raw. An escape is never inside another here: JSON writes these characters as they are.
 */
export function stringLiteral(text: string): string {
  return showBidi(JSON.stringify(text))
    .replace(/\u2028/g, "\\u2028")
    .replace(/\u2029/g, "\\u2029");
}

/**
 * A property name as an object literal or interface writes it: bare when it is an identifier,
 * quoted otherwise, and computed for `__proto__`, which as a plain key would set the prototype.
 */
export function propertyKey(name: string): string {
  if (name === "__proto__") return `[${stringLiteral(name)}]`;
  return IDENTIFIER.test(name) ? name : stringLiteral(name);
}

/** A union of string literal types, or `never` when there are none. */
export function literalUnion(values: readonly string[]): string {
  return values.length === 0 ? "never" : values.map(stringLiteral).join(" | ");
}

/**
 * Writes a value as a TypeScript literal expression, objects in their key order: on one line when
 * every value is a string, number or boolean, one property a line otherwise.
 */
export function literal(value: Literal): WriterFunction {
  if (typeof value === "string") return (writer) => void writer.write(stringLiteral(value));
  if (typeof value !== "object") return (writer) => void writer.write(String(value));
  if (isList(value)) return listLiteral(value);

  // fromEntries keeps `__proto__` an own key here; propertyKey then writes it safely.
  const entries = Object.entries(value).map(
    ([key, item]) => [propertyKey(key), literal(item)] as const,
  );
  const flat = Object.values(value).every((item) => typeof item !== "object");
  return flat ? inlineObject(entries) : Writers.object(Object.fromEntries(entries));
}

/** Writes a doc comment on lines of its own, for places a structure cannot carry `docs`. */
export function writeDoc(writer: CodeBlockWriter, text: string): void {
  const lines = docText(text).split("\n");
  if (lines.length === 1) {
    writer.writeLine(`/** ${lines[0]} */`);
    return;
  }
  writer.writeLine("/**");
  for (const line of lines) writer.writeLine(line === "" ? " *" : ` * ${line}`);
  writer.writeLine(" */");
}

/**
 * Text for a doc comment: it cannot close the comment, any line break is a plain newline, and a
 * bidi control shows as its escape.
 */
export function docText(text: string): string {
  return showBidi(text)
    .replace(/\r\n?|[\u2028\u2029]/g, "\n")
    .replace(/\*\//g, "*\\/");
}

function inlineObject(entries: ReadonlyArray<readonly [string, WriterFunction]>): WriterFunction {
  return (writer) => {
    writer.write("{ ");
    entries.forEach(([key, write], i) => {
      if (i > 0) writer.write(", ");
      writer.write(`${key}: `);
      write(writer);
    });
    writer.write(entries.length > 0 ? " }" : "}");
  };
}

function listLiteral(items: readonly Literal[]): WriterFunction {
  return (writer) => {
    writer.write("[");
    items.forEach((item, i) => {
      if (i > 0) writer.write(", ");
      literal(item)(writer);
    });
    writer.write("]");
  };
}

function isList(
  value: readonly Literal[] | { readonly [key: string]: Literal },
): value is readonly Literal[] {
  return Array.isArray(value);
}
