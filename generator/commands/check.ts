/** `permgen check`: fail when generated/ is not exactly what the specs and templates produce. */
import { REGENERATE_COMMAND } from "../output/banner.js";
import { check } from "../pipeline.js";
import { printDiagnostics, specOption } from "./generate.js";
import { stringOption, stringsOption, UsageError, type Command } from "./command.js";

const WHAT: Record<string, string> = {
  stale: "is stale",
  missing: "is missing",
  extra: "is not produced by the specs; delete it if nothing else needs it",
};

export const checkCommand: Command = {
  name: "check",
  positionals: false,
  options: {
    spec: { type: "string", multiple: true },
    templates: { type: "string" },
    out: { type: "string" },
    "max-diff-lines": { type: "string" },
  },
  help: [
    "Usage: permgen check [--spec DIR|FILE]... [--templates DIR] [--out DIR] [--max-diff-lines N]",
    "",
    "Renders everything generate would write, in memory, and compares it with the output",
    "directory. Each stale, missing or extra file is listed on its own line with a unified diff.",
    "",
    "Options:",
    "  --spec PATH           spec file or directory of *.yaml specs (repeatable; default: spec)",
    "  --templates DIR       Handlebars templates (default: templates)",
    "  --out DIR             output directory to compare (default: generated)",
    "  --max-diff-lines N    diff lines shown per file (default: 40)",
    "  -h, --help            show this help",
    "",
    "Exit codes: 0 current, 1 drift found, 2 a spec has errors.",
    "",
  ].join("\n"),

  async run(args, io) {
    const out = stringOption(args, "out") ?? "generated";
    const maxDiffLines = Number(stringOption(args, "max-diff-lines") ?? "40");
    if (!Number.isInteger(maxDiffLines) || maxDiffLines < 0) {
      throw new UsageError("--max-diff-lines takes a whole number of lines, 0 or more");
    }
    const result = await check({
      spec: specOption(stringsOption(args, "spec")),
      templates: stringOption(args, "templates"),
      out,
      cwd: io.cwd,
      maxDiffLines,
    });

    printDiagnostics(result.diagnostics, io);
    if (!result.compared) {
      io.stderr(`permgen check: a spec has errors; fix them, then run "permgen check" again\n`);
      return 2;
    }
    if (result.drift.length === 0) return 0;

    for (const drift of result.drift) {
      io.stdout(`${out}/${drift.path} ${WHAT[drift.kind]}\n`);
      if (drift.diff) io.stdout(`${drift.diff}\n`);
    }
    io.stderr(
      `permgen check: ${result.drift.length} file(s) in ${out}/ differ from what the specs produce; run "${REGENERATE_COMMAND}" and commit the result\n`,
    );
    return 1;
  },
};
