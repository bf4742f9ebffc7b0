/**
 * `permgen fmt`: rewrite spec files into the one canonical text `formatSpec` produces, or with
 * `--check` only say which files are not in it.
 *
 * A file with errors is never rewritten: its data may not mean what the canonical text would say.
 * Writing goes to a temporary file in the same directory that is then renamed over the spec, so
 * a spec is either the old text or the new, never half of each.
 */
import { randomUUID } from "node:crypto";
import { realpath, rename, rm, stat, writeFile } from "node:fs/promises";
import { basename, dirname, join } from "node:path";
import { isDeepStrictEqual } from "node:util";
import { formatDiagnostic, oneLine, sortDiagnostics, type Diagnostic } from "../diagnostics.js";
import { formatSpec } from "../spec/format.js";
import { lintSpecs } from "../spec/lint.js";
import { exitCodeOf, lintInputs, readSpecFiles, type LoadedFile } from "../spec/load.js";
import { parseSpecText } from "../spec/parse.js";
import { validateSpec } from "../spec/schema.js";
import { flag, type Command, type Io } from "./command.js";

export const fmtCommand: Command = {
  name: "fmt",
  positionals: true,
  options: { check: { type: "boolean" } },
  help: [
    "Usage: permgen fmt [--check] [FILES...]",
    "",
    "Rewrites spec files (default: every *.yaml in spec/) in canonical form: fixed key order,",
    "quotes only where YAML needs them, two-space indentation. Comments at the top of a file are",
    "kept; other comments are not. A file that is already canonical is not touched, and a file",
    'with errors is not rewritten (run "permgen lint" to see them).',
    "",
    "Options:",
    "  --check      write nothing; list each file that is not canonical and exit 1",
    "  -h, --help   show this help",
    "",
    "Exit codes: 0 every file canonical (or rewritten), 1 a file has errors or, with --check, is",
    "not canonical, 2 a file could not be read as a spec or written.",
    "",
  ].join("\n"),

  async run(args, io) {
    const checkOnly = flag(args, "check");
    const paths = args.positionals.length > 0 ? args.positionals : ["spec"];
    const loaded = await readSpecFiles(paths, io.cwd);

    // Each file is linted alone: an id another file also uses does not make this one ambiguous.
    const perFile = loaded.files.flatMap((file) => lintSpecs(lintInputs([file])));
    const errors = sortDiagnostics(
      [...loaded.diagnostics, ...perFile].filter((d) => d.severity === "error"),
    );
    const broken = new Set(errors.map((d) => d.file));
    const outcomes = await Promise.all(
      loaded.files.filter((f) => !broken.has(f.file)).map((f) => formatFile(f, checkOnly)),
    );

    const problems = [...errors, ...outcomes.flatMap((o) => o.diagnostics)];
    for (const d of problems) io.stderr(`${formatDiagnostic(d)}\n`);
    report(outcomes, loaded.files.length, checkOnly, io);
    return problems.some((d) => d.code === "file-unwritable") ? 2 : exitCodeOf(problems);
  },
};

interface Outcome {
  file: string;
  state: "canonical" | "rewritten" | "stale" | "failed";
  diagnostics: Diagnostic[];
}

async function formatFile(loaded: LoadedFile, checkOnly: boolean): Promise<Outcome> {
  const { file, parsed, sourced, bytes } = loaded;
  if (!parsed || !sourced || !bytes) return { file, state: "failed", diagnostics: [] };

  const text = formatSpec(sourced.spec, parsed.comment);
  if (Buffer.from(text, "utf8").equals(bytes)) return { file, state: "canonical", diagnostics: [] };
  if (checkOnly)
    return {
      file,
      state: "stale",
      diagnostics: [notCanonical(file, bytes.toString("utf8"), text)],
    };

  const lossy = roundTripProblem(file, text, sourced.spec, parsed.comment);
  if (lossy) return { file, state: "failed", diagnostics: [lossy] };

  try {
    await writeAtomically(loaded.absolute, text);
    return { file, state: "rewritten", diagnostics: [] };
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? "unknown error";
    const d = problem(
      file,
      1,
      "file-unwritable",
      `cannot write the file (${code}); it was left as it was`,
      "check that you may write to the file and its directory",
    );
    return { file, state: "failed", diagnostics: [d] };
  }
}

/** The first line where the file and its canonical text differ, and the command that fixes it. */
function notCanonical(file: string, actual: string, canonical: string): Diagnostic {
  const have = actual.split("\n");
  const want = canonical.split("\n");
  const index = want.findIndex((line, i) => have[i] !== line);
  const line = index < 0 ? want.length : index + 1;
  return problem(
    file,
    line,
    "not-canonical",
    "not in canonical form from this line on",
    `run "permgen fmt ${file}" to rewrite it`,
  );
}

/**
 * The canonical text must read back as the same spec with the same top comment; if it does not,
 * `formatSpec` has a bug and writing would lose data, so the file is left alone.
 */
function roundTripProblem(
  file: string,
  text: string,
  spec: unknown,
  comment: string,
): Diagnostic | undefined {
  const reparsed = parseSpecText(text, file);
  const again = validateSpec(reparsed).spec;
  if (again && isDeepStrictEqual(again, spec) && reparsed.comment === comment) return undefined;

  return problem(
    file,
    1,
    "fmt-lossy",
    "the canonical text would not read back as the same spec, so the file was left as it was",
    "this is a bug in permgen fmt; please report it with the file",
  );
}

async function writeAtomically(path: string, text: string): Promise<void> {
  const target = await realpath(path);
  const { mode } = await stat(target);
  const temporary = join(dirname(target), `.${basename(target)}.${randomUUID().slice(0, 8)}.tmp`);

  try {
    await writeFile(temporary, text, { encoding: "utf8", mode, flag: "wx" });
    await rename(temporary, target);
  } catch (error) {
    await rm(temporary, { force: true });
    throw error;
  }
}

function report(outcomes: readonly Outcome[], fileCount: number, checkOnly: boolean, io: Io): void {
  const rewritten = outcomes.filter((o) => o.state === "rewritten");
  for (const outcome of rewritten) io.stderr(`permgen fmt: rewrote ${oneLine(outcome.file)}\n`);

  const stale = outcomes.filter((o) => o.state === "stale").length;
  const canonical = outcomes.filter((o) => o.state === "canonical").length;
  const skipped = fileCount - outcomes.length;
  const parts = [`${canonical} of ${fileCount} canonical`];
  if (rewritten.length > 0) parts.push(`${rewritten.length} rewritten`);
  if (checkOnly && stale > 0) parts.push(`${stale} to format`);
  if (skipped > 0) parts.push(`${skipped} not formatted because of errors`);
  io.stderr(`permgen fmt: ${parts.join(", ")}\n`);
}

function problem(
  file: string,
  line: number,
  code: string,
  message: string,
  hint: string,
): Diagnostic {
  return { file, line, column: 1, severity: "error", code, message, hint };
}
