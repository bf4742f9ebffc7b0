/**
 * Writes an output directory so that a reader, or a crash, sees either the old files or the new
 * ones, never a mix.
 *
 * The new tree is assembled in a sibling directory and swapped in with two renames: the old tree
 * moves aside, the new one takes its place. Node has no atomic exchange of two directories, so a
 * process killed between those two renames leaves no output directory, only the two siblings; the
 * next `generate` or `check` finds them and finishes or undoes the swap before anything else
 * (`recoverSwap`). A lock file keeps two runs from swapping the same directory at once.
 *
 * Files in the old tree that permgen did not write are carried over unchanged and reported.
 */
import { randomBytes } from "node:crypto";
import { mkdir, open, readdir, readFile, rename, rm, stat, writeFile } from "node:fs/promises";
import { basename, dirname, join } from "node:path";
import { fileError } from "../diagnostics.js";
import { sameAsFile, writeBatches } from "./file-text.js";
import type { OutputFile } from "./render.js";

export interface WriteResult {
  written: string[];
  unchanged: boolean;
  /** Files found in the output directory that this output does not contain; kept, not deleted. */
  foreign: string[];
}

const LOCK_WAIT_MS = 30_000;

/**
 * Writes the files into a new tree beside the output directory as they come, then swaps it in;
 * when every file equals the one on disk, the new tree is dropped and nothing changes.
 */
export async function writeOutput(
  outDir: string,
  files: Iterable<OutputFile> | AsyncIterable<OutputFile>,
  knownFiles: ReadonlySet<string>,
): Promise<WriteResult> {
  return withLock(outDir, async () => {
    await recoverSwap(outDir);

    const existing = await listTree(outDir);
    const building = siblingPath(outDir, "build");
    const built = await buildTree(building, files, outDir, existing).catch(async (error: unknown) => {
      await rm(building, { recursive: true, force: true });
      throw error;
    });

    const written = built.written;
    const writtenSet = new Set(written);
    const foreign = [...existing].filter((path) => !writtenSet.has(path) && !knownFiles.has(path));
    if (built.same && existing.size === written.length + foreign.length) {
      await rm(building, { recursive: true, force: true });
      return { written: [], unchanged: true, foreign };
    }

    await copyForeign(outDir, building, foreign);
    const ready = siblingPath(outDir, "ready");
    await rename(building, ready);
    await swapIn(outDir, ready);
    return { written, unchanged: false, foreign };
  });
}

/**
 * Finishes or undoes a swap that a killed run left half done. A tree still being built is
 * dropped; a fully built one ("ready") is moved in only when the output directory is gone, which
 * means the run died between its two renames; an old tree is restored when nothing took its place.
 */
async function recoverSwap(outDir: string): Promise<void> {
  for (const { path, kind } of await swapSiblings(outDir)) {
    const restore = (kind === "ready" || kind === "old") && !(await exists(outDir));
    if (restore) await rename(path, outDir);
    else await rm(path, { recursive: true, force: true });
  }
}

/** Every file below a directory, by relative `/`-separated path; empty when it does not exist. */
export async function readTree(dir: string): Promise<Map<string, string>> {
  const files = new Map<string, string>();
  for (const path of await listTree(dir)) files.set(path, await readFile(join(dir, ...path.split("/")), "utf8"));
  return files;
}

/** The relative `/`-separated path of every file below a directory; empty when it does not exist. */
export async function listTree(dir: string): Promise<Set<string>> {
  const paths = new Set<string>();
  const info = await stat(dir).catch(() => undefined);
  if (!info) return paths;
  if (!info.isDirectory()) {
    const hint = "pass a directory (--out, --templates), or move the file out of the way";
    throw fileError(dir, "not-a-directory", "this is a file where a directory belongs", hint);
  }

  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  for (const entry of entries) {
    if (!entry.isFile()) continue;
    const full = join(entry.parentPath, entry.name);
    paths.add(full.slice(dir.length + 1).split("\\").join("/"));
  }
  return new Set([...paths].sort());
}

async function swapIn(outDir: string, ready: string): Promise<void> {
  if (!(await exists(outDir))) {
    await rename(ready, outDir);
    return;
  }
  const aside = siblingPath(outDir, "old");
  await rename(outDir, aside);
  await rename(ready, outDir);
  await rm(aside, { recursive: true, force: true });
}

/** Writes each file under `root`, noting whether every one equals its namesake in `outDir`. */
async function buildTree(
  root: string,
  files: Iterable<OutputFile> | AsyncIterable<OutputFile>,
  outDir: string,
  existing: ReadonlySet<string>,
): Promise<{ written: string[]; same: boolean }> {
  await rm(root, { recursive: true, force: true });
  await mkdir(root, { recursive: true });
  const written: string[] = [];
  let same = true;

  for await (const [path, text] of files) {
    const full = join(root, ...path.split("/"));
    await mkdir(dirname(full), { recursive: true });
    await writeFile(full, writeBatches(text));
    written.push(path);
    same &&= existing.has(path) && (await sameAsFile(text, join(outDir, ...path.split("/"))));
  }
  return { written, same };
}

async function copyForeign(from: string, to: string, foreign: readonly string[]): Promise<void> {
  for (const path of foreign) {
    const target = join(to, ...path.split("/"));
    await mkdir(dirname(target), { recursive: true });
    await writeFile(target, await readFile(join(from, ...path.split("/"))));
  }
}

type SiblingKind = "build" | "ready" | "old";

function siblingPath(outDir: string, kind: SiblingKind): string {
  const id = `${process.pid}-${randomBytes(4).toString("hex")}`;
  return join(dirname(outDir), `.permgen-${basename(outDir)}-${kind}-${id}`);
}

/** Left-over siblings, ready trees first so that a finished build wins over the tree it replaced. */
async function swapSiblings(outDir: string): Promise<Array<{ path: string; kind: SiblingKind }>> {
  const parent = dirname(outDir);
  const prefix = `.permgen-${basename(outDir)}-`;
  const names = (await exists(parent)) ? await readdir(parent) : [];
  const order: SiblingKind[] = ["ready", "old", "build"];

  return order.flatMap((kind) =>
    names
      .filter((n) => n.startsWith(`${prefix}${kind}-`))
      .sort()
      .map((n) => ({ path: join(parent, n), kind })),
  );
}

/**
 * Runs `work` holding `<out>.lock` next to the output directory. A lock whose process is gone is
 * taken over; a live one is waited for, up to 30 seconds.
 */
async function withLock<T>(outDir: string, work: () => Promise<T>): Promise<T> {
  const lock = join(dirname(outDir), `.permgen-${basename(outDir)}.lock`);
  await mkdir(dirname(outDir), { recursive: true });
  const deadline = Date.now() + LOCK_WAIT_MS;

  for (;;) {
    try {
      const handle = await open(lock, "wx");
      await handle.writeFile(String(process.pid));
      await handle.close();
      break;
    } catch (error) {
      if (!isCode(error, "EEXIST")) throw error;
      if (await staleLock(lock)) {
        await rm(lock, { force: true });
        continue;
      }
      if (Date.now() > deadline) {
        throw new Error(`another permgen run holds ${lock}; wait for it to finish, or delete the file if no run is active`);
      }
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }

  try {
    return await work();
  } finally {
    await rm(lock, { force: true });
  }
}

async function staleLock(lock: string): Promise<boolean> {
  const pid = Number(await readFile(lock, "utf8").catch(() => ""));
  if (!Number.isInteger(pid) || pid <= 0) {
    // An empty lock is one being written right now, unless it has stayed empty for a while.
    const info = await stat(lock).catch(() => undefined);
    return info !== undefined && Date.now() - info.mtimeMs > 5_000;
  }
  try {
    process.kill(pid, 0);
    return false;
  } catch (error) {
    return isCode(error, "ESRCH");
  }
}

async function exists(path: string): Promise<boolean> {
  return stat(path).then(
    () => true,
    () => false,
  );
}

function isCode(error: unknown, code: string): boolean {
  return typeof error === "object" && error !== null && (error as { code?: unknown }).code === code;
}
