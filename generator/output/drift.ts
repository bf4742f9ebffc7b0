/**
 * Compares the output permgen would write with what is on disk, file by file, and describes each
 * difference with a unified diff short enough to read in a CI log.
 */
import { createTwoFilesPatch } from "diff";
import type { Output } from "./render.js";

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

export function findDrift(expected: Output, actual: ReadonlyMap<string, string>, options: DriftOptions = {}): Drift[] {
  const max = options.maxDiffLines ?? 40;
  const paths = [...new Set([...expected.keys(), ...actual.keys()])].sort();
  const drift: Drift[] = [];

  for (const path of paths) {
    const want = expected.get(path);
    const have = actual.get(path);
    if (want === have) continue;

    if (want === undefined) drift.push({ path, kind: "extra", diff: "" });
    else if (have === undefined) drift.push({ path, kind: "missing", diff: boundedDiff(path, "", want, max) });
    else drift.push({ path, kind: "stale", diff: boundedDiff(path, have, want, max) });
  }
  return drift;
}

function boundedDiff(path: string, before: string, after: string, max: number): string {
  const patch = createTwoFilesPatch(`a/${path}`, `b/${path}`, before, after, "on disk", "from spec", { context: 2 });
  const lines = patch.split("\n").filter((line) => !line.startsWith("====")).slice(0, -1);
  if (lines.length <= max) return lines.join("\n");

  return [...lines.slice(0, max), `... ${lines.length - max} more diff lines`].join("\n");
}
