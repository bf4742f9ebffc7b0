/**
 * The whole way from spec files to output files, as functions a build script can call:
 * load and lint the specs, build the model, render every file, then write it or compare it.
 *
 * `generate` and `check` share everything up to the rendered map, so what `check` calls current is
 * byte for byte what `generate` writes.
 */
import { readFile } from "node:fs/promises";
import { join, resolve } from "node:path";
import { hasErrors, sortDiagnostics, type Diagnostic } from "./diagnostics.js";
import { EMITTERS } from "./emitters.js";
import { buildModel, type Model } from "./model.js";
import { findDrift, type Drift, type DriftOptions } from "./output/drift.js";
import { REGENERATE_COMMAND } from "./output/banner.js";
import { buildManifest, filesOfManifest, MANIFEST_FILE } from "./output/manifest.js";
import { formatText } from "./output/prettier.js";
import { renderOutput, type Output } from "./output/render.js";
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
  output?: Output;
}

export async function render(options: ProjectOptions = {}): Promise<Rendered> {
  const cwd = options.cwd ?? process.cwd();
  const loaded = await loadSpecs(options.spec ?? ["spec"], cwd);
  const diagnostics = sortDiagnostics(loaded.diagnostics);
  if (hasErrors(diagnostics)) return { diagnostics };

  const model = buildModel(loaded.specs);
  const templatesDir = resolve(cwd, options.templates ?? "templates");
  const files = await renderOutput(model, EMITTERS, { templatesDir });
  const manifest = buildManifest(loaded.specs, await readTree(templatesDir), files, REGENERATE_COMMAND);
  const manifestText = await formatText("json", JSON.stringify(manifest), MANIFEST_FILE);

  const entries: Array<[string, string]> = [...files, [MANIFEST_FILE, manifestText]];
  const output: Output = new Map(entries.sort(([a], [b]) => (a < b ? -1 : 1)));
  return { diagnostics, model, output };
}

export interface GenerateResult extends Rendered {
  write?: WriteResult;
}

/** Renders and writes the output directory atomically; writes nothing when lint finds an error. */
export async function generate(options: ProjectOptions = {}): Promise<GenerateResult> {
  const rendered = await render(options);
  if (!rendered.output) return rendered;

  const outDir = outputDir(options);
  const previous = await readFile(join(outDir, MANIFEST_FILE), "utf8").catch(() => undefined);
  const write = await writeOutput(outDir, rendered.output, filesOfManifest(previous));
  return { ...rendered, write };
}

export interface CheckResult extends Rendered {
  /** Every file that differs; empty when the output directory is current. */
  drift: Drift[];
}

/**
 * Renders in memory and compares with the output directory on disk; writes nothing. A missing
 * output directory, or one a killed `generate` left half swapped, is reported as drift.
 */
export async function check(options: ProjectOptions & DriftOptions = {}): Promise<CheckResult> {
  const rendered = await render(options);
  if (!rendered.output) return { ...rendered, drift: [] };

  const drift = findDrift(rendered.output, await readTree(outputDir(options)), options);
  return { ...rendered, drift };
}

function outputDir(options: ProjectOptions): string {
  return resolve(options.cwd ?? process.cwd(), options.out ?? "generated");
}
