/** `permgen diff`: what changed between two versions of the specs or of the generated policies. */
import { stat } from "node:fs/promises";
import { resolve } from "node:path";
import { formatDiagnostic, type Diagnostic } from "../diagnostics.js";
import { countBySeverity, type Change } from "../diff/change.js";
import {
  readAgainstRevision,
  readPolicies,
  readSpecs,
  readTwoSides,
  type PolicyFiles,
} from "../diff/inputs.js";
import { allowsByEvaluation, diffPolicies } from "../diff/policy-diff.js";
import { formatJson, formatText } from "../diff/report.js";
import { suggestBump } from "../diff/semver.js";
import { diffSpecs } from "../diff/spec-diff.js";
import { buildModel } from "../model.js";
import { compilePolicies, type CompiledPolicies } from "../runtime/policy.js";
import {
  flag,
  stringOption,
  stringsOption,
  UsageError,
  type Command,
  type ExitCode,
  type Io,
  type ParsedArgs,
} from "./command.js";

const FORMATS = ["text", "json"];

export const diffCommand: Command = {
  name: "diff",
  positionals: true,
  options: {
    base: { type: "string" },
    format: { type: "string" },
    "allow-breaking": { type: "boolean" },
    policies: { type: "boolean" },
    spec: { type: "string", multiple: true },
    "allow-widening": { type: "boolean" },
  },
  help: [
    "Usage: permgen diff OLD NEW [--format text|json] [--allow-breaking]",
    "       permgen diff --base REV [PATH...] [--format text|json] [--allow-breaking]",
    "       permgen diff --policies OLD NEW [--spec PATH]... [--format text|json]",
    "                    [--allow-breaking] [--allow-widening]",
    "",
    "Compares two versions of the specs and lists each change with its severity for the users",
    "of the generated package, most severe first: breaking (an operation, route, action or scope",
    "taken away, an action newly required, access raised, an id or path parameter renamed),",
    "compatible (something added or loosened), docs-only (wording, notes, errata). It suggests",
    "the semver bump: major, minor, patch or none.",
    "",
    "OLD and NEW are spec files, or directories whose *.yaml files pair by name. With --base, each",
    "PATH (default: spec) is compared as it was at the git revision REV with the working tree.",
    "",
    "With --policies, OLD and NEW are generated policy files or directories of them (a generated",
    "output directory works too), compared by the routes of the specs each policy lets a caller",
    "reach. A policy that now allows more is listed first, as a change to review.",
    "",
    "Options:",
    "  --base REV          read the old version of each PATH from git at REV",
    "  --format FORMAT     text (default) or json: {bump, changes: [{severity, kind, id, field?,",
    "                      before?, after?, message}]}",
    "  --allow-breaking    exit 0 even when something breaks",
    "  --policies          compare generated policies instead of specs",
    "  --spec PATH         with --policies: the specs whose routes count (repeatable;",
    "                      default: spec)",
    "  --allow-widening    with --policies: exit 0 even when a policy allows more",
    "  -h, --help          show this help",
    "",
    "Exit codes: 0 nothing breaks, 1 something breaks (or a policy allows more), 2 unusable input.",
    "",
  ].join("\n"),

  async run(args, io) {
    const format = stringOption(args, "format") ?? "text";
    if (!FORMATS.includes(format)) {
      throw new UsageError(`--format takes text or json, not ${JSON.stringify(format)}`);
    }

    const found = flag(args, "policies")
      ? await policyChanges(args, io.cwd)
      : await specChanges(args, io.cwd);
    if ("errors" in found) {
      for (const d of found.errors) io.stderr(`${formatDiagnostic(d)}\n`);
      return 2;
    }

    const bump = suggestBump(found.changes);
    io.stdout(
      format === "json" ? formatJson(found.changes, bump) : formatText(found.changes, bump),
    );
    return verdict(found.changes, args, io);
  },
};

type Found = { changes: Change[] } | { errors: Diagnostic[] };

async function specChanges(args: ParsedArgs, cwd: string): Promise<Found> {
  const base = stringOption(args, "base");
  if (stringsOption(args, "spec").length > 0) {
    throw new UsageError("--spec goes with --policies; compare specs as OLD NEW");
  }
  if (flag(args, "allow-widening")) throw new UsageError("--allow-widening goes with --policies");

  const sides =
    base !== undefined
      ? await againstBase(base, args.positionals, cwd)
      : await twoSides(args.positionals, cwd);
  return sides.errors.length > 0 ? { errors: sides.errors } : { changes: diffSpecs(sides.pairs) };
}

function againstBase(base: string, paths: readonly string[], cwd: string) {
  return readAgainstRevision(base, paths.length > 0 ? paths : ["spec"], cwd);
}

function twoSides(paths: readonly string[], cwd: string) {
  const [oldPath, newPath] = paths;
  if (paths.length !== 2 || oldPath === undefined || newPath === undefined) {
    throw new UsageError(
      `give two specs to compare, OLD and NEW (got ${paths.length}), or --base REV`,
    );
  }
  return readTwoSides(oldPath, newPath, cwd);
}

async function policyChanges(args: ParsedArgs, cwd: string): Promise<Found> {
  const [oldPath, newPath] = args.positionals;
  const count = args.positionals.length;
  if (stringOption(args, "base") !== undefined) {
    throw new UsageError("--base compares specs; give --policies two directories or files");
  }
  if (count !== 2 || oldPath === undefined || newPath === undefined) {
    throw new UsageError(
      `give two policy directories or files to compare, OLD and NEW (got ${count})`,
    );
  }

  const specPaths = stringsOption(args, "spec");
  const specs = await readSpecs(specPaths.length > 0 ? specPaths : ["spec"], cwd);
  if (specs.errors.length > 0) return { errors: specs.errors };

  const routes = buildModel(specs.specs).routes;
  const before = await readPolicies(oldPath, cwd);
  const after = await readPolicies(newPath, cwd);
  const [oldMap, newMap] = (await bothFiles(oldPath, newPath, cwd))
    ? pairSingle(before, after)
    : [compiled(before), compiled(after)];
  return { changes: diffPolicies(routes, oldMap, newMap, allowsByEvaluation) };
}

/** Two files given directly compare with each other whatever their names. */
function pairSingle(
  before: PolicyFiles[],
  after: PolicyFiles[],
): [Map<string, CompiledPolicies>, Map<string, CompiledPolicies>] {
  const name = after[0]?.name ?? "policy";
  const one = (files: PolicyFiles[]) => compiled(files.map((f) => ({ ...f, name })));
  return [one(before), one(after)];
}

function compiled(policies: readonly PolicyFiles[]): Map<string, CompiledPolicies> {
  return new Map(policies.map((p) => [p.name, compilePolicies(p.documents)]));
}

async function bothFiles(oldPath: string, newPath: string, cwd: string): Promise<boolean> {
  const isFile = async (path: string) =>
    (await stat(resolve(cwd, path)).catch(() => undefined))?.isFile() ?? false;
  return (await isFile(oldPath)) && (await isFile(newPath));
}

function verdict(changes: readonly Change[], args: ParsedArgs, io: Io): ExitCode {
  const counts = countBySeverity(changes);
  let code: ExitCode = 0;

  if (counts.review > 0 && !flag(args, "allow-widening")) {
    io.stderr(
      `permgen diff: ${counts.review} route(s) newly allowed by a policy; ` +
        "have them reviewed, then pass --allow-widening\n",
    );
    code = 1;
  }
  if (counts.breaking > 0 && !flag(args, "allow-breaking")) {
    io.stderr(
      `permgen diff: ${counts.breaking} breaking change(s); ` +
        "release them as a major version and pass --allow-breaking\n",
    );
    code = 1;
  }
  return code;
}
