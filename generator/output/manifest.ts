/**
 * `manifest.json` in the output directory: every input that decided the output (spec files and
 * templates, by hash) and every file written, by hash. A build tool can cache `generate` on the
 * inputs; the next run reads it to tell the files permgen wrote from the ones a person added.
 *
 * It holds no time and no permgen version, so it changes only when the output does.
 */
import { sha256 } from "./file-text.js";
import type { SourcedSpec } from "../model.js";

export const MANIFEST_FILE = "manifest.json";

export interface Manifest {
  generator: "permgen";
  regenerate: string;
  inputs: {
    specs: Array<{ file: string; sha256: string }>;
    templates: Array<{ file: string; sha256: string }>;
  };
  files: Array<{ path: string; sha256: string }>;
}

/** The manifest; `files` maps each output path to the sha256 of its text. */
export function buildManifest(
  specs: readonly SourcedSpec[],
  templates: ReadonlyMap<string, string>,
  files: ReadonlyMap<string, string>,
  regenerate: string,
): Manifest {
  return {
    generator: "permgen",
    regenerate,
    inputs: {
      specs: specs.map((s) => ({ file: s.file, sha256: s.hash })),
      templates: [...templates].sort(([a], [b]) => (a < b ? -1 : 1)).map(([file, text]) => ({ file, sha256: sha256(text) })),
    },
    files: [...files].sort(([a], [b]) => (a < b ? -1 : 1)).map(([path, hash]) => ({ path, sha256: hash })),
  };
}

/** The files an earlier manifest lists; empty when there is none or it cannot be read. */
export function filesOfManifest(text: string | undefined): Set<string> {
  if (text === undefined) return new Set();
  try {
    const parsed = JSON.parse(text) as Partial<Manifest>;
    const files = Array.isArray(parsed.files) ? parsed.files : [];
    return new Set([MANIFEST_FILE, ...files.map((f) => f.path).filter((p) => typeof p === "string")]);
  } catch {
    return new Set();
  }
}
