/**
 * Reads IAM policy files (JSON) for commands, turning every problem into a diagnostic at its line
 * and column: a file that cannot be read, JSON that does not parse, a duplicate key, and whatever
 * `checkPolicy` finds wrong with the document.
 */
import { readFile } from "node:fs/promises";
import { relative, resolve, sep } from "node:path";
import type { Diagnostic, Position } from "./diagnostics.js";
import { checkPolicy } from "./runtime/policy-check.js";
import { parseSpecText } from "./spec/parse.js";

/** The provider caps a policy at 6,144 characters; anything near a MiB is not a policy file. */
const MAX_POLICY_BYTES = 1024 * 1024;
const MAX_DEPTH = 64;
const STRICT_JSON = "policies are strict JSON: quote names and strings, no trailing commas";
const SHAPE = 'a policy reads {"Version": "1.1", "Statement": [{"Effect": "Allow", "Action": [...]}]}';

/** A policy file read and checked, with the means to point at any place in it. */
export interface PolicyFile {
  /** The path relative to the working directory, with `/` separators. */
  file: string;
  document: unknown;
  /** Where the value at a path into the document starts. */
  locate(path: ReadonlyArray<string | number>): Position;
}

export type PolicyFileResult = { policy: PolicyFile } | { diagnostics: Diagnostic[] };

/** Reads one policy file; either a valid policy or the diagnostics that say why not. */
export async function readPolicyFile(path: string, cwd: string): Promise<PolicyFileResult> {
  const absolute = resolve(cwd, path);
  const file = relative(cwd, absolute).split(sep).join("/") || path;
  const read = await readText(absolute, file);
  if (typeof read !== "string") return { diagnostics: [read] };

  const text = read.startsWith("\uFEFF") ? read.slice(1) : read;
  const parsed = parseJson(text, file);
  if ("diagnostic" in parsed) return { diagnostics: [parsed.diagnostic] };

  // The YAML parser reads JSON too, and keeps the positions JSON.parse throws away.
  const located = parseSpecText(text, file);
  const duplicates = located.diagnostics.filter((d) => d.code === "duplicate-key");
  const problems = checkPolicy(parsed.value).map((p): Diagnostic => {
    const at = p.key ? located.locateKey(p.path) : located.locate(p.path);
    return { file, ...at, severity: "error", code: "invalid-policy", message: p.message, hint: SHAPE };
  });
  const diagnostics = [...duplicates.map(duplicateKey), ...problems];
  if (diagnostics.length > 0) return { diagnostics };

  return { policy: { file, document: parsed.value, locate: (p) => located.locate(p) } };
}

async function readText(absolute: string, file: string): Promise<string | Diagnostic> {
  let bytes: Buffer;
  try {
    bytes = await readFile(absolute);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? "unknown error";
    if (code === "ENOENT")
      return problem(file, "file-missing", "no such policy file", "check the path");
    if (code === "EISDIR")
      return problem(file, "file-unreadable", "is a directory", "pass a JSON file");
    return problem(
      file,
      "file-unreadable",
      `cannot read the file (${code})`,
      "check its permissions",
    );
  }

  if (bytes.length > MAX_POLICY_BYTES) {
    return problem(file, "file-too-large", "the file is over 1 MiB", "pass a policy JSON file");
  }
  try {
    return new TextDecoder("utf-8", { fatal: true }).decode(bytes);
  } catch {
    return problem(file, "not-utf8", "the file is not valid UTF-8", "save it as UTF-8");
  }
}

function parseJson(text: string, file: string): { value: unknown } | { diagnostic: Diagnostic } {
  if (text.trim() === "") {
    const hint = 'write {"Version": "1.1", "Statement": [...]}';
    return { diagnostic: problem(file, "empty", "the policy file is empty", hint) };
  }
  try {
    return { value: JSON.parse(text) as unknown };
  } catch (error) {
    const found = jsonSyntaxError(text) ?? { offset: 0, message: String(error) };
    const message = `not valid JSON: ${found.message}`;
    const at = positionOf(text, found.offset);
    return { diagnostic: problem(file, "json-syntax", message, STRICT_JSON, at) };
  }
}

function duplicateKey(d: Diagnostic): Diagnostic {
  const message = "a key appears twice in one object";
  return {
    ...d,
    code: "duplicate-key",
    message,
    hint: "keep one of them: JSON readers disagree on which wins",
  };
}

function problem(
  file: string,
  code: string,
  message: string,
  hint: string,
  at: Position = { line: 1, column: 1 },
): Diagnostic {
  return { file, ...at, severity: "error", code, message, hint };
}

function positionOf(text: string, offset: number): Position {
  const before = text.slice(0, offset);
  const lineStart = before.lastIndexOf("\n") + 1;
  return { line: before.split("\n").length, column: offset - lineStart + 1 };
}

class JsonSyntax {
  constructor(
    readonly offset: number,
    readonly message: string,
  ) {}
}

/**
 * Where and why JSON text first breaks the grammar, or undefined when it is valid JSON (nested no
 * deeper than a policy needs). Used once `JSON.parse` has failed, since V8's messages do not always
 * carry a position: an unexpected token gets a snippet of the text instead.
 */
export function jsonSyntaxError(text: string): { offset: number; message: string } | undefined {
  let at = 0;
  const fail = (message: string, offset = at): never => {
    throw new JsonSyntax(offset, message);
  };
  const space = (): void => {
    while (" \t\n\r".includes(text.charAt(at)) && at < text.length) at += 1;
  };
  const found = (): string => (at < text.length ? JSON.stringify(text.charAt(at)) : "the end");

  const value = (depth: number): void => {
    space();
    if (depth > MAX_DEPTH) fail("nested too deeply for a policy");
    const char = text.charAt(at);
    if (char === "{") return members("}", depth);
    if (char === "[") return members("]", depth);
    if (char === '"') return string();
    if (char === "-" || (char >= "0" && char <= "9")) return number();
    const word = ["true", "false", "null"].find((w) => text.startsWith(w, at));
    if (word) {
      at += word.length;
      return;
    }
    fail(at < text.length ? `unexpected ${found()}` : "the file ends before the value does");
  };

  const members = (close: "}" | "]", depth: number): void => {
    at += 1;
    space();
    if (text.charAt(at) === close) {
      at += 1;
      return;
    }
    for (;;) {
      if (close === "}") {
        space();
        if (text.charAt(at) !== '"') fail(`expected a property name in quotes, found ${found()}`);
        string();
        space();
        if (text.charAt(at) !== ":") fail(`expected ":" after the property name, found ${found()}`);
        at += 1;
      }
      value(depth + 1);
      space();
      const next = text.charAt(at);
      if (next === close) {
        at += 1;
        return;
      }
      if (next !== ",") fail(`expected "," or "${close}", found ${found()}`);
      const comma = at;
      at += 1;
      space();
      if (text.charAt(at) === close) fail(`a trailing comma before "${close}"`, comma);
    }
  };

  const string = (): void => {
    const start = at;
    at += 1;
    while (text.charAt(at) !== '"') {
      const char = text.charAt(at);
      if (at >= text.length) fail("a string is not closed", start);
      if (char < " ") fail("a control character (such as a line break) inside a string; escape it");
      at += char === "\\" ? escapeLength() : 1;
    }
    at += 1;
  };

  const escapeLength = (): number => {
    const escape = text.charAt(at + 1);
    if (escape === "u" && /^[0-9a-fA-F]{4}$/.test(text.slice(at + 2, at + 6))) return 6;
    if (escape === "" || !'"\\/bfnrt'.includes(escape)) fail("an invalid escape in a string");
    return 2;
  };

  const number = (): void => {
    const match = /-?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?(?:[eE][+-]?[0-9]+)?/y;
    match.lastIndex = at;
    const taken = match.exec(text)?.[0] ?? "";
    if (taken === "" || taken === "-") fail("an invalid number");
    at += taken.length;
    if (/[0-9.eE]/.test(text.charAt(at))) fail("an invalid number");
  };

  try {
    value(0);
    space();
    if (at < text.length) fail(`unexpected ${found()} after the end of the JSON value`);
    return undefined;
  } catch (error) {
    if (error instanceof JsonSyntax) return { offset: error.offset, message: error.message };
    throw error;
  }
}
