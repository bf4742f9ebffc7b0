/** `permgen generate`: lint the specs, then write every output file atomically. */
import { formatDiagnostic, oneLine, type Diagnostic } from "../diagnostics.js";
import { generate, type ProjectOptions } from "../pipeline.js";
import { interruptSignal, watchProject, type RunOutcome } from "../watch.js";
import {
  flag,
  stringOption,
  stringsOption,
  type Command,
  type ExitCode,
  type Io,
} from "./command.js";

export const generateCommand: Command = {
  name: "generate",
  positionals: false,
  options: {
    spec: { type: "string", multiple: true },
    templates: { type: "string" },
    out: { type: "string" },
    watch: { type: "boolean" },
  },
  help: [
    "Usage: permgen generate [--spec DIR|FILE]... [--templates DIR] [--out DIR] [--watch]",
    "",
    "Lints the specs and, when they have no errors, writes every generated file: route types,",
    "action constants, policies and docs. The new output is assembled aside and swapped in, so a",
    "failure leaves the previous output untouched. Files permgen did not write are reported, not",
    "deleted.",
    "",
    "With --watch it generates, then generates again whenever a spec or template changes, one",
    "line per run, until interrupted (Ctrl-C). Errors are printed and the previous output kept.",
    "",
    "Options:",
    "  --spec PATH       spec file or directory of *.yaml specs (repeatable; default: spec)",
    "  --templates DIR   Handlebars templates (default: templates)",
    "  --out DIR         output directory (default: generated)",
    "  --watch           keep running and regenerate on every change",
    "  -h, --help        show this help",
    "",
    "Exit codes: 0 written or already current, 2 a spec has errors (nothing written).",
    "With --watch: 0 when interrupted, 2 when a spec or templates directory cannot be watched.",
    "",
  ].join("\n"),

  async run(args, io) {
    const started = performance.now();
    const out = stringOption(args, "out") ?? "generated";
    const project: ProjectOptions = {
      spec: specOption(stringsOption(args, "spec")),
      templates: stringOption(args, "templates"),
      out,
      cwd: io.cwd,
    };
    if (flag(args, "watch")) return watchAndReport(project, out, io);

    const result = await generate(project);

    printDiagnostics(result.diagnostics, io);
    if (!result.write) {
      io.stderr(`permgen generate: nothing written; fix the errors above, then run "permgen generate" again\n`);
      return 2;
    }

    for (const path of result.write.foreign) {
      io.stderr(`permgen generate: ${oneLine(`${out}/${path}`)} was not written by permgen; kept it, delete it if it is not needed\n`);
    }
    const ms = Math.round(performance.now() - started);
    const what = result.write.unchanged ? "already current" : `wrote ${result.write.written.length} files`;
    io.stderr(`permgen generate: ${oneLine(out)}: ${what} (${ms} ms)\n`);
    return 0;
  },
};

/** `--watch`: one line per run, after its diagnostics, until `io.signal` or Ctrl-C stops it. */
async function watchAndReport(project: ProjectOptions, out: string, io: Io): Promise<ExitCode> {
  const signal = io.signal ?? interruptSignal();
  const watched = [...(project.spec ?? ["spec"]), project.templates ?? "templates"].join(", ");
  io.stderr(`permgen generate: watching ${watched}; press Ctrl-C to stop\n`);

  try {
    await watchProject({ ...project, signal, onRun: (outcome) => reportRun(outcome, out, io) });
  } catch (error) {
    io.stderr(`permgen generate: ${error instanceof Error ? error.message : String(error)}\n`);
    return 2;
  }
  io.stderr("permgen generate: stopped watching\n");
  return 0;
}

function reportRun(outcome: RunOutcome, out: string, io: Io): void {
  if (outcome.kind === "failed") {
    // An input error is already one positioned line; anything else is permgen's own fault.
    const bug = `permgen generate: internal error: ${outcome.message}; this is a bug in permgen`;
    io.stderr(`${outcome.bug ? bug : outcome.message}\n`);
  } else {
    printDiagnostics(outcome.diagnostics, io);
  }
  if (outcome.kind === "failed" || outcome.kind === "invalid") {
    io.stderr(`permgen generate: nothing written; fix the errors above, waiting for changes\n`);
    return;
  }
  if (outcome.kind === "current") {
    io.stderr(`permgen generate: ${oneLine(out)}: already current (${outcome.ms} ms)\n`);
    return;
  }
  for (const path of outcome.foreign) {
    io.stderr(`permgen generate: ${oneLine(`${out}/${path}`)} was not written by permgen; kept it\n`);
  }
  io.stderr(`permgen generate: ${oneLine(out)}: regenerated ${outcome.files} files in ${outcome.ms} ms\n`);
}

export function specOption(values: string[]): string[] | undefined {
  return values.length > 0 ? values : undefined;
}

export function printDiagnostics(diagnostics: readonly Diagnostic[], io: Io): void {
  for (const d of diagnostics) io.stderr(`${formatDiagnostic(d)}\n`);
}
