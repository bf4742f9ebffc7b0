/**
 * Where the shared corpus of real permission tables is: `shared/` sits beside the repository,
 * both here and in CI's fresh clone, so it is found relative to this file, never by an absolute
 * path.
 */
import { join } from "node:path";
import { fileURLToPath } from "node:url";

export const CORPUS_DIR = fileURLToPath(new URL("../../../shared/corpus/modelarts/", import.meta.url));

/** The absolute path of one corpus table, such as `training_job_permissions.rst`. */
export function corpusFile(name: string): string {
  return join(CORPUS_DIR, name);
}
