/**
 * Problems found in a user's input, each tied to a place in a file.
 *
 * Every problem prints as one line, `file:line:column: severity: what is wrong; what to do`, so an
 * editor or CI log can jump to it. Line and column count from 1.
 */

export type Severity = "error" | "warning";

export interface Position {
  line: number;
  column: number;
}

export interface Diagnostic extends Position {
  file: string;
  severity: Severity;
  /** What is wrong, quoting the offending value. */
  message: string;
  /** What to do about it. */
  hint: string;
  /** A stable name for the check that found it, such as `duplicate-id`. */
  code: string;
}

export function formatDiagnostic(d: Diagnostic): string {
  const text = `${oneLine(d.file)}:${d.line}:${d.column}: ${d.severity}: ${oneLine(d.message)}`;
  return d.hint ? `${text}; ${oneLine(d.hint)}` : text;
}

export function hasErrors(diagnostics: readonly Diagnostic[]): boolean {
  return diagnostics.some((d) => d.severity === "error");
}

/** Sorts by file, then position, so output does not depend on the order checks ran in. */
export function sortDiagnostics(diagnostics: readonly Diagnostic[]): Diagnostic[] {
  return [...diagnostics].sort(
    (a, b) =>
      compareText(a.file, b.file) ||
      a.line - b.line ||
      a.column - b.column ||
      compareText(a.code, b.code) ||
      compareText(a.message, b.message),
  );
}

/**
 * Input that cannot be used at all, thrown from deep inside a command and turned into one
 * diagnostic line and exit code 2 at the top. Anything else thrown is a bug in permgen.
 */
export class InputError extends Error {
  readonly diagnostic: Diagnostic;

  constructor(diagnostic: Omit<Diagnostic, "severity"> & { severity?: Severity }) {
    const full: Diagnostic = { severity: "error", ...diagnostic };
    super(formatDiagnostic(full));
    this.name = "InputError";
    this.diagnostic = full;
  }
}

/** An input problem that has no position inside a file, such as a file that cannot be read. */
export function fileError(file: string, code: string, message: string, hint: string): InputError {
  return new InputError({ file, line: 1, column: 1, code, message, hint });
}

/** Keeps a message on one line whatever the input quoted in it holds. */
export function oneLine(text: string): string {
  return text.replace(/[\r\n\u2028\u2029]+/g, " ");
}

/** Quotes a value from the input for a message: JSON-style, and cut short when long. */
export function quote(value: unknown, max = 80): string {
  const text = typeof value === "string" ? value : String(JSON.stringify(value));
  const cut = text.length > max ? `${text.slice(0, max)}…` : text;
  return JSON.stringify(cut);
}

function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
