/**
 * Reads what `permgen diff` compares: spec files from disk or from a git revision, paired file by
 * file, and generated policy files grouped into policies.
 *
 * A diff needs specs it can read, not specs ready to generate from: files that cannot be read,
 * parsed or fail the schema are refused, and of lint's findings only those that make a comparison
 * meaningless (two operations with one id, a path that is not a template). Everything else lint
 * reports is left to `permgen lint`, so an import in progress can still be reviewed.
 */
import { readdir, readFile, stat } from "node:fs/promises";
import { basename, relative, resolve, sep } from "node:path";
import { fileError, InputError, type Diagnostic } from "../diagnostics.js";
import type { SourcedSpec } from "../model.js";
import { checkPolicy, problemPath, type LabelledPolicy } from "../runtime/policy.js";
import { lintSpecs, type LintInput } from "../spec/lint.js";
import { isUnusable, loadSpecs } from "../spec/load.js";
import { parseSpecText } from "../spec/parse.js";
import { validateSpec } from "../spec/schema.js";
import type { Spec } from "../spec/types.js";
import { listAtRevision, readAtRevision } from "./git.js";
import type { SpecPair } from "./spec-diff.js";

/** Lint findings that stop a diff; see the module comment. */
const FATAL_LINT = new Set(["duplicate-id", "duplicate-policy-set", "path-syntax"]);

/** The specs of both sides, paired; when `errors` holds any, the pairs are empty and unusable. */
export interface Sides {
  pairs: SpecPair[];
  errors: Diagnostic[];
}

/**
 * `OLD NEW`: two spec files, or two directories whose `*.yaml` files pair by name. Each side is
 * checked on its own, so the same id on both sides is what a diff expects, not a duplicate.
 */
export async function readTwoSides(oldPath: string, newPath: string, cwd: string): Promise<Sides> {
  const [before, after] = await Promise.all([readSpecs([oldPath], cwd), readSpecs([newPath], cwd)]);
  const errors = [...before.errors, ...after.errors];
  if (errors.length > 0) return { pairs: [], errors };

  // Two files compare with each other whatever their names.
  const [old, now] = [before.specs[0], after.specs[0]];
  if (old && now && before.specs.length === 1 && !(await isDirectory(newPath, cwd))) {
    return { pairs: [{ file: now.file, before: old.spec, after: now.spec }], errors: [] };
  }
  return { pairs: pairByName(before.specs, after.specs), errors: [] };
}

/**
 * `--base REV [PATH...]`: each file as it was at `revision` against the working tree. A directory
 * pairs its `*.yaml` files of both times by name, so a spec added or deleted since shows as such.
 */
export async function readAgainstRevision(
  revision: string,
  paths: readonly string[],
  cwd: string,
): Promise<Sides> {
  const oldFiles: string[] = [];
  const newFiles: string[] = [];
  for (const path of paths.map((p) => displayPath(p, cwd))) {
    // A directory may be gone from the working tree yet exist at the revision.
    if ((await isDirectory(path, cwd)) || !path.endsWith(".yaml")) {
      oldFiles.push(...(await listAtRevision(revision, path, cwd)));
      newFiles.push(...(await listYaml(path, cwd)));
    } else {
      oldFiles.push(path);
      newFiles.push(path);
    }
  }

  if (oldFiles.length === 0 && newFiles.length === 0) {
    const where = paths.join(", ");
    throw fileError(
      where,
      "no-specs",
      `no *.yaml spec files, neither at ${revision} nor now`,
      "name the spec files or their directory",
    );
  }

  const texts = await Promise.all(
    oldFiles.map(async (file) => ({ file, text: await readAtRevision(revision, file, cwd) })),
  );
  const before = loadFromText(texts, revision);
  const after = newFiles.length > 0 ? await readSpecs(newFiles, cwd) : { specs: [], errors: [] };
  const errors = [...before.errors, ...after.errors];
  if (errors.length > 0) return { pairs: [], errors };

  return { pairs: pairByFile(before.specs, after.specs), errors: [] };
}

/** One policy: its name and the documents of its files (a policy split in parts has several). */
export interface PolicyFiles {
  name: string;
  documents: LabelledPolicy[];
}

/**
 * Policy files from a file or a directory (its `policies/` folder when it has one, as `generated/`
 * does). `name-1.json`, `name-2.json` … with no `name.json` are the parts of one policy `name`.
 */
export async function readPolicies(path: string, cwd: string): Promise<PolicyFiles[]> {
  const files = await policyFiles(path, cwd);
  const documents = await Promise.all(files.map((file) => readPolicyFile(file, cwd)));
  const names = new Set(files.map((file) => basename(file, ".json")));
  const groups = new Map<string, LabelledPolicy[]>();

  files.forEach((file, index) => {
    const name = policyName(basename(file, ".json"), names);
    const document = documents[index];
    if (document) groups.set(name, [...(groups.get(name) ?? []), document]);
  });
  return [...groups].map(([name, docs]) => ({ name, documents: docs }));
}

interface Loaded {
  specs: Array<{ file: string; spec: Spec }>;
  errors: Diagnostic[];
}

/** Spec files from disk, checked as the module comment says; errors only, warnings dropped. */
export async function readSpecs(
  paths: readonly string[],
  cwd: string,
): Promise<{ specs: SourcedSpec[]; errors: Diagnostic[] }> {
  const result = await loadSpecs(paths, cwd);
  // Read, parse and schema problems are the files' own; the rest but "no specs" come from lint.
  const unreadable = new Set(result.files.flatMap((f) => f.diagnostics));
  const fatal = result.diagnostics.filter(
    (d) => d.severity === "error" && (unreadable.has(d) || isUnusable(d) || FATAL_LINT.has(d.code)),
  );
  return { specs: result.specs, errors: fatal };
}

function loadFromText(
  texts: ReadonlyArray<{ file: string; text: string }>,
  revision: string,
): Loaded {
  const errors: Diagnostic[] = [];
  const valid: LintInput[] = [];
  const specs: Loaded["specs"] = [];

  for (const { file, text } of texts) {
    const parsed = parseSpecText(text, `${file}@${revision}`);
    const validated = validateSpec(parsed);
    errors.push(...validated.diagnostics.filter((d) => d.severity === "error"));
    if (!validated.spec) continue;
    valid.push({ parsed, spec: validated.spec });
    specs.push({ file, spec: validated.spec });
  }

  errors.push(...lintSpecs(valid).filter((d) => d.severity === "error" && FATAL_LINT.has(d.code)));
  return { specs, errors };
}

function pairByName(before: Loaded["specs"], after: Loaded["specs"]): SpecPair[] {
  const key = (file: string) => basename(file);
  return pair(before, after, key);
}

function pairByFile(before: Loaded["specs"], after: Loaded["specs"]): SpecPair[] {
  return pair(before, after, (file) => file);
}

function pair(
  before: Loaded["specs"],
  after: Loaded["specs"],
  key: (file: string) => string,
): SpecPair[] {
  const pairs = new Map<string, SpecPair>();
  for (const { file, spec } of before) pairs.set(key(file), { file, before: spec });
  for (const { file, spec } of after) {
    pairs.set(key(file), { ...pairs.get(key(file)), file, after: spec });
  }
  return [...pairs.values()];
}

async function policyFiles(path: string, cwd: string): Promise<string[]> {
  const absolute = resolve(cwd, path);
  const info = await stat(absolute).catch(() => undefined);
  if (!info) {
    const hint = "check the path; it is read relative to the current directory";
    throw fileError(displayPath(path, cwd), "file-missing", "no such file or directory", hint);
  }
  if (!info.isDirectory()) return [displayPath(path, cwd)];

  const nested = resolve(absolute, "policies");
  const dir = (await isDirectory(nested, cwd)) ? nested : absolute;
  const names = (await readdir(dir)).filter((name) => name.endsWith(".json")).sort();
  if (names.length === 0) {
    throw fileError(
      displayPath(dir, cwd),
      "no-policies",
      "the directory holds no *.json policy files",
      'pass the "policies" directory of a generated output, or policy files',
    );
  }
  return names.map((name) => displayPath(resolve(dir, name), cwd));
}

async function readPolicyFile(file: string, cwd: string): Promise<LabelledPolicy> {
  const text = await readFile(resolve(cwd, file), "utf8").catch((error: NodeJS.ErrnoException) => {
    const why = `cannot read the file (${error.code ?? "unknown error"})`;
    throw fileError(file, "file-unreadable", why, "check that it exists and that you may read it");
  });
  if (text.trim() === "") {
    throw fileError(
      file,
      "empty",
      "the policy file is empty",
      'regenerate it with "permgen generate"',
    );
  }

  // JSON is YAML, so the spec parser gives positions for syntax errors and for bad values.
  const parsed = parseSpecText(text, file);
  const syntax = parsed.diagnostics[0];
  if (syntax) throw new InputError({ ...syntax, hint: "fix the JSON at this place" });

  const problem = checkPolicy(parsed.data)[0];
  if (problem) {
    const at = problem.key ? parsed.locateKey(problem.path) : parsed.locate(problem.path);
    const message = `${problemPath(problem.path)}: ${problem.message}`;
    throw new InputError({
      file,
      ...at,
      code: "policy-invalid",
      message,
      hint: "fix the policy document",
    });
  }
  return { label: file, document: parsed.data };
}

/** `name-2` is part 2 of policy `name` when `name-1` exists and `name` itself does not. */
function policyName(stem: string, stems: ReadonlySet<string>): string {
  const part = /^(.+)-\d+$/.exec(stem);
  const base = part?.[1];
  return base !== undefined && stems.has(`${base}-1`) && !stems.has(base) ? base : stem;
}

async function listYaml(dir: string, cwd: string): Promise<string[]> {
  const names = await readdir(resolve(cwd, dir)).catch(() => []);
  const specs = names.filter((name) => name.endsWith(".yaml")).sort();
  return specs.map((name) => displayPath(resolve(cwd, dir, name), cwd));
}

async function isDirectory(path: string, cwd: string): Promise<boolean> {
  const info = await stat(resolve(cwd, path)).catch(() => undefined);
  return info?.isDirectory() ?? false;
}

/** The path relative to `cwd` with `/` separators, as messages and git name it. */
function displayPath(path: string, cwd: string): string {
  const relativePath = relative(cwd, resolve(cwd, path));
  return (relativePath === "" ? "." : relativePath).split(sep).join("/");
}
