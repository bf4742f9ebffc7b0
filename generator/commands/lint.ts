/** `permgen lint`: check spec files and print every problem, one line each. */
import { formatDiagnostic, type Diagnostic } from "../diagnostics.js";
import { exitCodeOf, loadSpecs } from "../spec/load.js";
import type { Command } from "./command.js";

export const lintCommand: Command = {
  name: "lint",
  positionals: true,
  options: {},
  help: [
    "Usage: permgen lint [FILES...]",
    "",
    "Checks spec files (default: every *.yaml in spec/) against the schema and the rules the schema",
    "cannot express: unique ids and routes across all the files given, path and action syntax,",
    "policy set selectors. Warnings point at rows worth a second look; they do not fail the run.",
    "Each problem is one line: file:line:column: severity: what is wrong; what to do.",
    "",
    "Options:",
    "  -h, --help   show this help",
    "",
    "Exit codes: 0 no errors (warnings allowed), 1 errors found, 2 a file could not be read as a spec.",
    "",
  ].join("\n"),

  async run(args, io) {
    const paths = args.positionals.length > 0 ? args.positionals : ["spec"];
    const { files, diagnostics } = await loadSpecs(paths, io.cwd);

    for (const d of diagnostics) io.stderr(`${formatDiagnostic(d)}\n`);
    io.stderr(`permgen lint: ${summary(diagnostics, files.length)}\n`);
    return exitCodeOf(diagnostics);
  },
};

function summary(diagnostics: readonly Diagnostic[], fileCount: number): string {
  const errors = diagnostics.filter((d) => d.severity === "error").length;
  const warnings = diagnostics.length - errors;
  const files = `${fileCount} ${fileCount === 1 ? "file" : "files"}`;
  if (errors + warnings === 0) return `${files}, no problems`;
  return `${files}, ${count(errors, "error")}, ${count(warnings, "warning")}`;
}

function count(n: number, noun: string): string {
  return `${n} ${noun}${n === 1 ? "" : "s"}`;
}
