/**
 * Compares the output permgen would write with what is on disk, file by file, and describes each
 * difference with a unified diff short enough to read in a CI log.
 */
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { joinText, sameAsFile } from "./file-text.js";
import type { OutputFile } from "./render.js";
import { boundedDiff } from "./unified-diff.js";
import { listTree } from "./write.js";

export type DriftKind = "stale" | "missing" | "extra";

export interface Drift {
  path: string;
  kind: DriftKind;
  /** A unified diff from the disk to the expected text, cut to `maxDiffLines`; empty for "extra". */
  diff: string;
}

export interface DriftOptions {
  /** Lines of diff shown per file before it is cut. */
  maxDiffLines?: number;
}

/**
 * Compares each file as it comes with the same file on disk, keeping only the differences, then
 * names the files on disk that did not come as extra. Sorted by path.
 */
export async function findDrift(
  expected: AsyncIterable<OutputFile>,
  outDir: string,
  options: DriftOptions = {},
): Promise<Drift[]> {
  const max = options.maxDiffLines ?? 40;
  const onDisk = await listTree(outDir);
  const drift: Drift[] = [];

  for await (const [path, want] of expected) {
    const file = join(outDir, ...path.split("/"));
    const present = onDisk.delete(path);
    if (present && (await sameAsFile(want, file))) continue;

    // Only a file that differs is read whole, for its diff.
    const have = present ? await readText(file) : undefined;
    const text = joinText(want);
    if (have === undefined) drift.push({ path, kind: "missing", diff: boundedDiff(path, "", text, max) });
    else drift.push({ path, kind: "stale", diff: boundedDiff(path, have, text, max) });
  }
  for (const path of onDisk) drift.push({ path, kind: "extra", diff: "" });

  return drift.sort((a, b) => (a.path < b.path ? -1 : 1));
}

async function readText(path: string): Promise<string | undefined> {
  return readFile(path, "utf8").catch(() => undefined);
}
