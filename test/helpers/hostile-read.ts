/**
 * Reads emitted text back the way its consumers do, to tell whether a spec string stayed inside
 * the literal, comment or table cell it was written into: TypeScript through the compiler's own
 * parser, literals as data (never evaluated), Markdown tables split on their unescaped pipes.
 */
import { ts } from "ts-morph";

/**
 * The syntax errors of a TypeScript module, as one-line messages; empty when it parses. These are
 * the parser's own diagnostics: the public API reports them only through a whole program, which
 * costs a hundred times more per file.
 */
export function syntaxProblems(text: string, file: string): string[] {
  const source = parseModule(text, file) as ts.SourceFile & { parseDiagnostics?: ts.Diagnostic[] };
  if (!source.parseDiagnostics) throw new Error("this TypeScript keeps no parseDiagnostics");
  return source.parseDiagnostics.map((d) => {
    const at = d.start === undefined ? "" : `@${d.start}: `;
    return `${file}${at}${ts.flattenDiagnosticMessageText(d.messageText, " ")}`;
  });
}

export function parseModule(text: string, file: string): ts.SourceFile {
  return ts.createSourceFile(file, text, ts.ScriptTarget.ES2022, true, ts.ScriptKind.TS);
}

/** The object literal a top-level `const name = {...} as const satisfies T` is initialised with. */
export function constObject(source: ts.SourceFile, name: string): ts.ObjectLiteralExpression {
  for (const statement of source.statements) {
    if (!ts.isVariableStatement(statement)) continue;
    for (const declaration of statement.declarationList.declarations) {
      if (declaration.name.getText(source) !== name || !declaration.initializer) continue;
      const value = unwrap(declaration.initializer);
      if (ts.isObjectLiteralExpression(value)) return value;
      throw new Error(`${name} is initialised with ${ts.SyntaxKind[value.kind]}, not an object`);
    }
  }
  throw new Error(`${source.fileName} declares no const ${name}`);
}

/**
 * The value of a literal expression, read from the syntax tree: strings, numbers, booleans,
 * arrays and objects only. Anything else (a call, a template with `${}`, an identifier) throws,
 * so a string that broke out of its literal shows up as code where data belongs.
 */
export function literalValue(node: ts.Expression): unknown {
  const inner = unwrap(node);
  if (ts.isStringLiteral(inner) || ts.isNoSubstitutionTemplateLiteral(inner)) return inner.text;
  if (ts.isNumericLiteral(inner)) return Number(inner.text);
  if (inner.kind === ts.SyntaxKind.TrueKeyword) return true;
  if (inner.kind === ts.SyntaxKind.FalseKeyword) return false;
  if (ts.isArrayLiteralExpression(inner)) return inner.elements.map(literalValue);
  if (ts.isObjectLiteralExpression(inner)) {
    const object: Record<string, unknown> = {};
    for (const property of inner.properties) {
      if (!ts.isPropertyAssignment(property)) {
        throw new Error(`not plain data: ${ts.SyntaxKind[property.kind]}`);
      }
      // defineProperty keeps "__proto__" an own key, as the emitted literal means it.
      const value = literalValue(property.initializer);
      Object.defineProperty(object, propertyName(property.name), { value, enumerable: true });
    }
    return object;
  }
  throw new Error(`not plain data: ${ts.SyntaxKind[inner.kind]} ${inner.getText().slice(0, 60)}`);
}

/** The text of the doc comment right before a node, without `/**`, `*\/` and the `*` margins. */
export function docCommentOf(node: ts.Node, source: ts.SourceFile): string | undefined {
  const ranges = ts.getLeadingCommentRanges(source.text, node.getFullStart()) ?? [];
  const last = ranges[ranges.length - 1];
  if (!last) return undefined;

  const raw = source.text.slice(last.pos, last.end);
  if (!raw.startsWith("/**") || !raw.endsWith("*/")) return undefined;
  if (!raw.includes("\n")) return raw.slice(3, -2).replace(/^ | $/g, "");
  return raw
    .split("\n")
    .slice(1, -1)
    .map((line) => line.replace(/^\s*\*(?: |$)/, ""))
    .join("\n");
}

export function propertyName(name: ts.PropertyName): string {
  if (ts.isIdentifier(name) || ts.isStringLiteral(name) || ts.isNumericLiteral(name)) {
    return name.text;
  }
  if (ts.isComputedPropertyName(name) && ts.isStringLiteral(name.expression)) {
    return name.expression.text;
  }
  throw new Error(`unexpected property name ${ts.SyntaxKind[name.kind]}`);
}

function unwrap(node: ts.Expression): ts.Expression {
  let inner = node;
  while (
    ts.isAsExpression(inner) ||
    ts.isSatisfiesExpression(inner) ||
    ts.isParenthesizedExpression(inner)
  ) {
    inner = inner.expression;
  }
  return inner;
}

/** A Markdown table: its header cells and each row's cells, still escaped. */
export interface MarkdownTable {
  header: string[];
  rows: string[][];
  /** The line the header is on, from 1. */
  line: number;
}

/** Every table of a Markdown text: a `|` header line followed by a `| --- |` delimiter row. */
export function markdownTables(text: string): MarkdownTable[] {
  const lines = text.split("\n");
  const tables: MarkdownTable[] = [];

  for (let i = 0; i + 1 < lines.length; i++) {
    const header = lines[i] ?? "";
    if (!header.startsWith("|") || !/^\|(?: *:?-+:? *\|)+$/.test(lines[i + 1] ?? "")) continue;

    const rows: string[][] = [];
    let next = i + 2;
    while ((lines[next] ?? "").startsWith("|")) rows.push(tableCells(lines[next++] ?? ""));
    tables.push({ header: tableCells(header), rows, line: i + 1 });
    i = next - 1;
  }
  return tables;
}

/**
 * A row split on its unescaped pipes, as GitHub splits table rows before reading inline markup:
 * a backslash takes the character after it, code spans included.
 */
export function tableCells(row: string): string[] {
  const cells: string[] = [];
  let cell = "";
  for (let i = 0; i < row.length; i++) {
    const char = row.charAt(i);
    if (char === "\\" && i + 1 < row.length) {
      cell += char + row.charAt(++i);
    } else if (char === "|") {
      cells.push(trimCell(cell));
      cell = "";
    } else {
      cell += char;
    }
  }
  cells.push(trimCell(cell));
  // The leading and trailing pipes leave an empty cell at each end.
  return cells.slice(1, -1);
}

/** The text a `cell`-encoded Markdown cell stands for: escapes undone, `<br>` back to `\n`. */
export function cellText(cell: string): string {
  let text = "";
  for (let i = 0; i < cell.length; i++) {
    const char = cell.charAt(i);
    if (char === "\\" && i + 1 < cell.length) text += cell.charAt(++i);
    else if (cell.startsWith("<br>", i)) {
      text += "\n";
      i += 3;
    } else text += char;
  }
  return text;
}

/**
 * Where Markdown holds markup a spec string could have smuggled in: an unescaped `<` other than
 * `<br>`, outside code spans (whose text is shown as it is).
 */
export function rawHtml(text: string): string | undefined {
  for (let i = 0; i < text.length; i++) {
    const char = text.charAt(i);
    if (char === "\\") i += 1;
    else if (char === "`") i = codeSpanEnd(text, i);
    else if (char === "<" && !text.startsWith("<br>", i)) return text.slice(i, i + 30);
  }
  return undefined;
}

/** The last index of the code span opening at `start`, or of its backtick run when none closes. */
function codeSpanEnd(text: string, start: number): number {
  const fence = /^`+/.exec(text.slice(start))?.[0] ?? "`";
  const close = new RegExp(`(?<!\`)${fence}(?!\`)`, "g");
  close.lastIndex = start + fence.length;
  const found = close.exec(text);
  return found ? found.index + fence.length - 1 : start + fence.length - 1;
}

/** Line breaks as a Markdown cell or a doc comment turns them into one `\n`. */
export function oneBreak(text: string): string {
  return text.replace(/\r\n|[\r\u2028\u2029]/g, "\n");
}

/**
 * The text a table cell shows: its line breaks as `\n`, each bidi control as its escape (so it
 * cannot reorder the cell on screen), the spaces around it trimmed.
 */
export function shownInCell(text: string): string {
  const shown = text.replace(
    /[\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/g,
    (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`,
  );
  return trimCell(oneBreak(shown));
}

/** Text compared as a doc comment shows it: no space at the end of a line or around the whole. */
export function shownInDoc(text: string): string {
  return text
    .split("\n")
    .map((line) => line.trimEnd())
    .join("\n")
    .trim();
}

/** Tables trim spaces and tabs around a cell, and nothing else (U+FEFF is content). */
function trimCell(cell: string): string {
  return cell.replace(/^[ \t]+|[ \t]+$/g, "");
}
