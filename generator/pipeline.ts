/**
 * The whole way from spec files to output files, as functions a build script can call:
 * load and lint the specs, build the model, render every file, then write it or compare it.
 *
 * `generate` and `check` share everything up to the rendered files, which each handles one at a
 * time as they come, so what `check` calls current is byte for byte what `generate` writes.
 */
import { readFile } from "node:fs/promises";
import { join, resolve } from "node:path";
import { hasErrors, sortDiagnostics, type Diagnostic } from "./diagnostics.js";
import { EMITTERS } from "./emitters.js";
import { buildModel, type Model, type SourcedSpec } from "./model.js";
import { findDrift, type Drift, type DriftOptions } from "./output/drift.js";
import { REGENERATE_COMMAND } from "./output/banner.js";
import { sha256 } from "./output/file-text.js";
import { buildManifest, filesOfManifest, MANIFEST_FILE } from "./output/manifest.js";
import { layoutJson } from "./output/json-layout.js";
import { collectOutput, renderFiles, type Output, type OutputFile } from "./output/render.js";
import { readTree, writeOutput, type WriteResult } from "./output/write.js";
import { loadSpecs } from "./spec/load.js";

export interface ProjectOptions {
  /** Spec files or directories of them; default `spec`. Relative to `cwd`. */
  spec?: string[];
  /** The Handlebars templates; default `templates`. */
  templates?: string;
  /** The output directory; default `generated`. */
  out?: string;
  cwd?: string;
}

export interface Rendered {
  /** Every problem lint found, warnings included, sorted by file and position. */
  diagnostics: Diagnostic[];
  /** Undefined when lint found an error: nothing is rendered from a broken spec. */
  model?: Model;
  /** Every output file; only `render` sets it. */
  output?: Output;
}

/** Lints and renders every output file into one map, held whole in memory. */
export async function render(options: ProjectOptions = {}): Promise<Rendered> {
  const prepared = await prepare(options);
  if (!prepared.files) return prepared;

  return { diagnostics: prepared.diagnostics, model: prepared.model, output: await collectOutput(prepared.files) };
}

/** Lint, then, when there is no error, the model and the output files still to be rendered. */
async function prepare(
  options: ProjectOptions,
): Promise<{ diagnostics: Diagnostic[]; model?: Model; files?: AsyncIterable<OutputFile> }> {
  const cwd = options.cwd ?? process.cwd();
  const { specs, diagnostics: found } = await loadSpecs(options.spec ?? ["spec"], cwd);
  const diagnostics = sortDiagnostics(found);
  if (hasErrors(diagnostics)) return { diagnostics };

  const model = buildModel(specs);
  const templatesDir = resolve(cwd, options.templates ?? "templates");
  const templates = await readTree(templatesDir);
  const files = withManifest(renderFiles(model, EMITTERS, { templatesDir }), specs, templates);
  return { diagnostics, model, files };
}

/** The files, then `manifest.json`, which lists each by the hash of its text. */
async function* withManifest(
  files: AsyncIterable<OutputFile>,
  specs: readonly SourcedSpec[],
  templates: ReadonlyMap<string, string>,
): AsyncGenerator<OutputFile> {
  const hashes = new Map<string, string>();
  for await (const [path, text] of files) {
    hashes.set(path, sha256(text));
    yield [path, text];
  }

  const manifest = buildManifest(specs, templates, hashes, REGENERATE_COMMAND);
  yield [MANIFEST_FILE, layoutJson(JSON.stringify(manifest), MANIFEST_FILE)];
}

export interface GenerateResult extends Rendered {
  write?: WriteResult;
}

/**
 * Renders and writes the output directory atomically, each file as it is rendered; writes nothing
 * when lint finds an error. `output` is not set: the files are not kept.
 */
export async function generate(options: ProjectOptions = {}): Promise<GenerateResult> {
  const { diagnostics, model, files } = await prepare(options);
  if (!files) return { diagnostics };

  const outDir = outputDir(options);
  const previous = await readFile(join(outDir, MANIFEST_FILE), "utf8").catch(() => undefined);
  const write = await writeOutput(outDir, files, filesOfManifest(previous));
  return { diagnostics, model, write };
}

export interface CheckResult extends Rendered {
  /** Every file that differs; empty when the output directory is current. */
  drift: Drift[];
  /** Whether the specs passed lint, so that there was output to compare. */
  compared: boolean;
}

/**
 * Renders file by file and compares each with the output directory on disk; writes nothing. A
 * missing output directory, or one a killed `generate` left half swapped, is reported as drift.
 */
export async function check(options: ProjectOptions & DriftOptions = {}): Promise<CheckResult> {
  const { diagnostics, model, files } = await prepare(options);
  if (!files) return { diagnostics, drift: [], compared: false };

  const drift = await findDrift(files, outputDir(options), options);
  return { diagnostics, model, drift, compared: true };
}

function outputDir(options: ProjectOptions): string {
  return resolve(options.cwd ?? process.cwd(), options.out ?? "generated");
}
