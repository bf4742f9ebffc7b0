/**
 * Turns the model into the exact bytes of every output file: runs the emitters, checks each path
 * stays inside the output directory, adds the banner and formats. `generate` writes this map and
 * `check` compares it with the disk, so the two can never disagree about what is current.
 */
import type { EmitContext, EmittedFile, Emitter } from "../emit/file.js";
import type { Model } from "../model.js";
import { bannerLines, withBanner } from "./banner.js";
import { formatText } from "./prettier.js";

/** Output file path (relative, `/`-separated) to its full text; sorted by path. */
export type Output = Map<string, string>;

export async function renderOutput(model: Model, emitters: readonly Emitter[], context: EmitContext): Promise<Output> {
  const files: EmittedFile[] = [];
  for (const emit of emitters) files.push(...(await emit(model, context)));

  assertSafePaths(files);

  const specs = model.specs.map((s) => s.source);
  const rendered = await Promise.all(
    files.map(async (file) => {
      const text = withBanner(file.kind, file.content, bannerLines(specs, file.template));
      return [file.path, file.preformatted ? text : await formatText(file.kind, text, file.path)] as const;
    }),
  );
  return new Map([...rendered].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

const SAFE_SEGMENT = /^[A-Za-z0-9_][A-Za-z0-9._-]*$/;

/**
 * Emitters make file names from spec strings; this is the last guard that none of them can name a
 * file outside the output directory or two files the same.
 */
export function assertSafePaths(files: readonly EmittedFile[]): void {
  const seen = new Set<string>();
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
