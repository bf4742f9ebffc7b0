/**
 * Reads spec files from disk and runs every check on them, so a command gets either usable specs
 * or diagnostics that say why not.
 *
 * The one call other commands need is `loadSpecs(paths, cwd)`: it takes files or directories (a
 * directory means every `*.yaml` directly inside it), reads, parses, validates against the schema
 * and lints them together. Never write anything from its `specs` when its `diagnostics` hold an
 * error (`hasErrors`): a spec can pass the schema and still have duplicate ids or a broken path.
 */
import { createHash } from "node:crypto";
import { readdir, readFile, stat } from "node:fs/promises";
import { basename, extname, isAbsolute, relative, resolve, sep } from "node:path";
import { hasErrors, sortDiagnostics, type Diagnostic } from "../diagnostics.js";
import { decodeBytes } from "../source-bytes.js";
import type { SourcedSpec } from "../model.js";
import { startLint, type LintInput } from "./lint.js";
import { parseSpecText, type ParsedSpec } from "./parse.js";
import { validateSpec } from "./schema.js";
import type { Spec } from "./types.js";

/** Larger files are refused unread: a spec of one documentation page is a few hundred KiB at most. */
export const MAX_SPEC_BYTES = 10 * 1024 * 1024;

/** One spec file as far as it could be read; later fields are set only when earlier steps worked. */
export interface LoadedFile {
  /** The path relative to `cwd`, with `/` separators, as messages name it. */
  file: string;
  /** The absolute path, for writing the file back. */
  absolute: string;
  /** The file's bytes. */
  bytes?: Buffer;
  parsed?: ParsedSpec;
  /** Set when the file passed the schema. */
  sourced?: SourcedSpec;
  /** Problems reading, parsing and validating this file (lint adds its own in `loadSpecs`). */
  diagnostics: Diagnostic[];
}

export interface LoadResult {
  /** Every file that passed the schema, in the order given (a directory's files sorted by name). */
  specs: SourcedSpec[];
  /** Every problem found, lint's included, warnings too, sorted by file and position. */
  diagnostics: Diagnostic[];
  /**
   * Each file with its diagnostics and spec; `loadSpecs` drops the bytes and parse, while
   * `readSpecFiles` keeps them for commands such as `fmt` that rewrite files.
   */
  files: LoadedFile[];
}

/** Problem codes that mean a file could not be read as a spec at all: exit code 2, not 1. */
const UNUSABLE = new Set([
  "file-missing",
  "file-unreadable",
  "file-too-large",
  "binary-file",
  "not-utf8",
  "no-specs",
  "empty",
  "yaml-syntax",
  "not-a-spec",
]);

/**
 * Reads, validates and lints spec files and directories of them; see the module comment.
 *
 * One file at a time, each linted as soon as it is read and then rid of its bytes and parse: a
 * parsed YAML document, with every node's position, takes several times the file's size, and
 * holding every file's at once was most of the memory a large spec needed.
 */
export async function loadSpecs(paths: readonly string[], cwd: string): Promise<LoadResult> {
  const found = await findSpecFiles(paths, cwd);
  const lint = startLint();
  const files: LoadedFile[] = [];

  for (const path of found.files) {
    const loaded = await loadSpecFile(path, cwd);
    for (const input of lintInputs([loaded])) lint.add(input);
    files.push(withoutSource(loaded));
  }

  const diagnostics = [...found.diagnostics, ...files.flatMap((f) => f.diagnostics), ...lint.finish()];
  return {
    specs: files.flatMap((f) => (f.sourced ? [f.sourced] : [])),
    diagnostics: sortDiagnostics(diagnostics),
    files,
  };
}

function withoutSource({ bytes: _bytes, parsed: _parsed, ...kept }: LoadedFile): LoadedFile {
  return kept;
}

/**
 * Reads and validates spec files and directories of them, without lint: for a command that
 * treats each file on its own, such as `fmt`. `diagnostics` holds every file's problems.
 */
export async function readSpecFiles(
  paths: readonly string[],
  cwd: string,
): Promise<Omit<LoadResult, "specs">> {
  const found = await findSpecFiles(paths, cwd);
  const files = await Promise.all(found.files.map((path) => loadSpecFile(path, cwd)));
  return { files, diagnostics: [...found.diagnostics, ...files.flatMap((f) => f.diagnostics)] };
}

/** The files that passed the schema, as lint takes them. */
export function lintInputs(files: readonly LoadedFile[]): LintInput[] {
  return files.flatMap((f) =>
    f.parsed && f.sourced ? [{ parsed: f.parsed, spec: f.sourced.spec }] : [],
  );
}

/** Reads one spec file and checks it against the schema; lint runs in `loadSpecs`. */
export async function loadSpecFile(path: string, cwd: string): Promise<LoadedFile> {
  const absolute = resolve(cwd, path);
  const file = displayPath(absolute, cwd);
  const read = await readSpecBytes(absolute, file);
  if ("diagnostic" in read) return { file, absolute, diagnostics: [read.diagnostic] };

  const decoded = decodeText(read.bytes, file);
  if ("diagnostic" in decoded)
    return { file, absolute, bytes: read.bytes, diagnostics: [decoded.diagnostic] };

  const parsed = parseSpecText(decoded.text, file);
  const validated = validateSpec(parsed);
  const loaded: LoadedFile = {
    file,
    absolute,
    bytes: read.bytes,
    parsed,
    diagnostics: validated.diagnostics,
  };
  if (validated.spec) loaded.sourced = sourced(file, read.bytes, validated.spec);
  return loaded;
}

/** 0 when there is no error, 2 when some file could not be read as a spec at all, else 1. */
export function exitCodeOf(diagnostics: readonly Diagnostic[]): 0 | 1 | 2 {
  if (diagnostics.some((d) => d.severity === "error" && UNUSABLE.has(d.code))) return 2;
  return hasErrors(diagnostics) ? 1 : 0;
}

/** Whether a problem means the file could not be read as a spec at all. */
export function isUnusable(diagnostic: Diagnostic): boolean {
  return UNUSABLE.has(diagnostic.code);
}

interface Found {
  files: string[];
  diagnostics: Diagnostic[];
}

/** Expands directories to their `*.yaml` files and drops paths given twice. */
async function findSpecFiles(paths: readonly string[], cwd: string): Promise<Found> {
  const files: string[] = [];
  const diagnostics: Diagnostic[] = [];

  for (const path of paths) {
    const absolute = resolve(cwd, path);
    const info = await stat(absolute).catch(() => undefined);
    if (!info?.isDirectory()) {
      files.push(absolute);
      continue;
    }

    const names = await readdir(absolute).catch(() => undefined);
    const specs = (names ?? []).filter((name) => name.endsWith(".yaml")).sort();
    if (specs.length === 0)
      diagnostics.push(noSpecs(displayPath(absolute, cwd), names !== undefined));
    files.push(...specs.map((name) => resolve(absolute, name)));
  }
  return { files: [...new Set(files)], diagnostics };
}

type Outcome<T> = T | { diagnostic: Diagnostic };

async function readSpecBytes(absolute: string, file: string): Promise<Outcome<{ bytes: Buffer }>> {
  try {
    const info = await stat(absolute);
    if (!info.isFile()) {
      const hint = "pass a .yaml spec file, or a directory of them";
      return problem(file, "file-unreadable", "this is not a regular file", hint);
    }
    if (info.size > MAX_SPEC_BYTES) {
      const size = `${(info.size / 1024 / 1024).toFixed(1)} MiB`;
      const limit = `${MAX_SPEC_BYTES / 1024 / 1024} MiB`;
      const hint = "check that this is a spec file; split a larger page into several specs";
      return problem(
        file,
        "file-too-large",
        `the file is ${size}, more than the ${limit} a spec may have`,
        hint,
      );
    }
    return { bytes: await readFile(absolute) };
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === "ENOENT") {
      const hint = "check the path; it is read relative to the current directory";
      return problem(file, "file-missing", "no such file", hint);
    }
    const message = `cannot read the file (${code ?? "unknown error"})`;
    return problem(
      file,
      "file-unreadable",
      message,
      "check that it exists and that you may read it",
    );
  }
}

function decodeText(bytes: Buffer, file: string): Outcome<{ text: string }> {
  const decoded = decodeBytes(bytes);
  switch (decoded.kind) {
    case "utf16":
      return problem(file, "not-utf8", "the file is UTF-16, not UTF-8", "save it as UTF-8");
    case "binary":
      return problem(
        file,
        "binary-file",
        "the file holds a NUL byte, so it is binary, not a YAML spec",
        "pass a spec file (.yaml); was a binary file named by mistake?",
        decoded.at,
      );
    case "not-utf8":
      return problem(file, "not-utf8", "the file is not valid UTF-8", "save it as UTF-8", decoded.at);
    case "text":
      return { text: decoded.text };
  }
}

function problem(
  file: string,
  code: string,
  message: string,
  hint: string,
  at = { line: 1, column: 1 },
): { diagnostic: Diagnostic } {
  return { diagnostic: { file, ...at, severity: "error", code, message, hint } };
}

function noSpecs(directory: string, listed: boolean): Diagnostic {
  return listed
    ? problem(
        directory,
        "no-specs",
        "the directory holds no *.yaml spec files",
        'create one with "permgen import TABLE.rst", or pass the right directory',
      ).diagnostic
    : problem(
        directory,
        "file-unreadable",
        "cannot list the directory",
        "check that you may read it",
      ).diagnostic;
}

function sourced(file: string, bytes: Buffer, spec: Spec): SourcedSpec {
  const name = basename(file, extname(file));
  const hash = createHash("sha256").update(bytes).digest("hex");
  return { file, name, hash, spec };
}

/** The path relative to `cwd` with `/` separators; absolute when it lies outside `cwd`. */
function displayPath(absolute: string, cwd: string): string {
  const path = relative(cwd, absolute);
  const outside = path.startsWith(`..${sep}`) || path === ".." || isAbsolute(path);
  return (outside ? absolute : path || ".").split(sep).join("/");
}
