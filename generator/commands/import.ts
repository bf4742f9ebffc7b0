/**
 * `permgen import <table.rst> [--out FILE] [--spec EXISTING.yaml]`: reads a documentation page's
 * permission tables into a canonical spec, written to stdout or atomically to `--out`. With
 * `--spec`, ids, errata, `access`, the top comment and `policySets` of an existing spec are kept
 * and the rows that are new, gone or changed are listed on stderr.
 */
import { randomBytes } from "node:crypto";
import { rename, rm, stat, writeFile } from "node:fs/promises";
import { basename, dirname, join, resolve } from "node:path";
import { fileError, formatDiagnostic, InputError, type Diagnostic } from "../diagnostics.js";
import { readSourceFile } from "../import/source-text.js";
import { importPage, type ExistingSpec } from "../import/importer.js";
import { formatSpec } from "../spec/format.js";
import { parseSpecText } from "../spec/parse.js";
import { validateSpec } from "../spec/schema.js";
import {
  stringOption,
  UsageError,
  type Command,
  type ExitCode,
  type Io,
  type ParsedArgs,
} from "./command.js";

export const importCommand: Command = {
  name: "import",
  help: [
    "Usage: permgen import <table.rst> [--out FILE] [--spec EXISTING.yaml]",
    "",
    "Reads the reStructuredText grid tables of a permissions page into a canonical spec.",
    "Defects in the page are reported on stderr; certain repairs are recorded as errata.",
    "",
    "Options:",
    "  -o, --out FILE   write the spec to FILE (atomically) instead of stdout",
    "  --spec FILE      an existing spec of the page: keep its ids, errata, access overrides,",
    "                   top comment and policySets, and list new, gone and changed rows",
    "  -h, --help       show this help",
    "",
  ].join("\n"),
  options: { out: { type: "string", short: "o" }, spec: { type: "string" } },
  positionals: true,
  run: runImport,
};

async function runImport(args: ParsedArgs, io: Io): Promise<ExitCode> {
  const [table, ...extra] = args.positionals;
  if (table === undefined || extra.length > 0) {
    throw new UsageError(
      table === undefined
        ? "give the table page to import"
        : `one table page at a time, got ${args.positionals.length}`,
    );
  }
  const out = stringOption(args, "out");
  const specFile = stringOption(args, "spec");

  const text = await readSourceFile(resolve(io.cwd, table), table);
  const existing =
    specFile === undefined
      ? undefined
      : await readExistingSpec(resolve(io.cwd, specFile), specFile);
  if (out !== undefined) await checkOutDir(resolve(io.cwd, out), out);

  const result = importPage(text, table, existing);
  const comment = existing?.comment || defaultComment(table, out);
  const yaml = formatSpec(result.spec, comment);

  if (out === undefined) io.stdout(yaml);
  else await writeAtomically(resolve(io.cwd, out), yaml);

  const lines = [...result.diagnostics.map(formatDiagnostic), ...result.changes];
  if (lines.length > 0) io.stderr(`${lines.join("\n")}\n`);
  return 0;
}

/** The top comment of a freshly imported spec: where it comes from and how to import it again. */
function defaultComment(table: string, out: string | undefined): string {
  const target = out ?? "SPEC.yaml";
  return ` Imported from ${table}; re-import: permgen import ${table} --spec ${target} --out ${target}`;
}

/**
 * Loads the spec given with `--spec` and checks it against the spec schema; any problem stops the
 * import before anything is written.
 */
async function readExistingSpec(path: string, shownAs: string): Promise<ExistingSpec> {
  const text = await readSourceFile(path, shownAs);
  const parsed = parseSpecText(text, shownAs);
  const { spec, diagnostics } = validateSpec(parsed);
  const first = diagnostics[0];
  if (!spec || first) {
    throw new InputError(
      first ?? {
        file: shownAs,
        line: 1,
        column: 1,
        code: "spec-shape",
        message: "not a spec",
        hint: `run "permgen lint ${shownAs}"`,
      },
    );
  }
  return { file: shownAs, spec, comment: parsed.comment, locate: parsed.locate };
}

async function checkOutDir(path: string, shownAs: string): Promise<void> {
  const dir = await stat(dirname(path)).catch(() => undefined);
  if (!dir?.isDirectory()) {
    throw fileError(
      shownAs,
      "no-out-dir",
      "the directory of --out does not exist",
      "create it first or choose another path",
    );
  }
}

/** Writes beside the target and renames over it, so a reader never sees half a spec. */
async function writeAtomically(path: string, text: string): Promise<void> {
  const temp = join(dirname(path), `.${basename(path)}.${randomBytes(6).toString("hex")}.tmp`);
  try {
    await writeFile(temp, text, { encoding: "utf8", flag: "wx" });
    await rename(temp, path);
  } catch (error) {
    await rm(temp, { force: true });
    const reason = error instanceof Error ? error.message : String(error);
    const diagnostic: Diagnostic = {
      file: path,
      line: 1,
      column: 1,
      severity: "error",
      code: "write",
      message: `cannot write the spec (${reason})`,
      hint: "check the path and its permissions",
    };
    throw new InputError(diagnostic);
  }
}
