/**
 * Turns the model into the exact bytes of every output file: runs the emitters, checks each path
 * stays inside the output directory, adds the banner and lays the text out. `generate` writes
 * these files and `check` compares them with the disk, so the two can never disagree about what
 * is current.
 *
 * Files come out one at a time, and neither `generate` nor `check` keeps a file's text after
 * handling it: on a large spec the output is hundreds of megabytes, and holding all of it, emitted
 * and laid out, was most of the memory a run needed.
 */
import type { EmitContext, EmittedFile, Emitter, FileText } from "../emit/file.js";
import type { Model } from "../model.js";
import { bannerLines, withBanner } from "./banner.js";
import { joinText } from "./file-text.js";
import { layoutText } from "./layout.js";

/** Output file path (relative, `/`-separated) to its full text; sorted by path. */
export type Output = Map<string, string>;

/** One output file: its path and final text, whole or in pieces. */
export type OutputFile = readonly [path: string, text: FileText];

/** Every output file, in the emitters' order; see the module comment. */
export async function* renderFiles(
  model: Model,
  emitters: readonly Emitter[],
  context: EmitContext,
): AsyncGenerator<OutputFile> {
  const specs = model.specs.map((s) => s.source);
  const seen = new Set<string>();

  for (const emit of emitters) {
    const emitted = await emit(model, context);
    assertSafePaths(emitted, seen);

    // Each entry is dropped as it is handed on, so the emitter's array keeps no text alive.
    const files: Array<EmittedFile | undefined> = emitted;
    for (let i = 0; i < files.length; i++) {
      const file = files[i];
      if (file === undefined) continue;
      files[i] = undefined;
      const text = withBanner(file.kind, file.content, bannerLines(specs, file.template));
      yield [file.path, layoutText(file.kind, text, file.path)];
    }
  }
}

/** Every output file at once, sorted by path: for tests and callers of the small specs' API. */
export async function collectOutput(files: AsyncIterable<OutputFile>): Promise<Output> {
  const entries: Array<[string, string]> = [];
  for await (const [path, text] of files) entries.push([path, joinText(text)]);
  return new Map([...entries].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

const SAFE_SEGMENT = /^[A-Za-z0-9_][A-Za-z0-9._-]*$/;

/**
 * Emitters make file names from spec strings; this is the last guard that none of them can name a
 * file outside the output directory or two files the same.
 */
export function assertSafePaths(files: readonly EmittedFile[], seen = new Set<string>()): void {
  for (const { path } of files) {
    const segments = path.split("/");
    if (!segments.every((s) => SAFE_SEGMENT.test(s) && s !== "." && s !== "..")) {
      throw new Error(`refusing to write ${JSON.stringify(path)}: generated file names must stay inside the output directory`);
    }
    const key = path.toLowerCase();
    if (seen.has(key)) throw new Error(`two generated files would be named ${JSON.stringify(path)}`);
    seen.add(key);
  }
}
