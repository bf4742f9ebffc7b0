/**
 * The loop behind `permgen generate --watch`: generate once, then again whenever a spec or a
 * template changes, until an AbortSignal stops it.
 *
 * An editor's save is often several events (a temporary file written, renamed over the original,
 * a backup touched), so changes are gathered until none has come for a short quiet time, then
 * one run follows. Changes that arrive during a run lead to exactly one more run after it. Each
 * run is the ordinary `generate`, which swaps the output directory in whole, and a run in
 * progress is finished before the loop returns, so stopping never leaves the output half written.
 *
 * A spec directory counts only the `*.yaml` files directly inside it, as `loadSpecs` does; a spec
 * file is watched through its directory, because editors that save by renaming replace the file
 * being watched. The templates directory is watched with every directory below it, one watcher
 * each, and a directory created later is added when it appears. Node's own `recursive: true` is
 * not used: on Linux it is emulated, and on Node 20 it loses track of a file once a save has
 * renamed a temporary over it (as `sed -i` and many editors do), so later saves go unseen.
 */
import { watch, type FSWatcher } from "node:fs";
import { readdir, stat } from "node:fs/promises";
import { basename, dirname, join, resolve, sep } from "node:path";
import { hasErrors, InputError, type Diagnostic } from "./diagnostics.js";
import { generate, type ProjectOptions } from "./pipeline.js";

export interface WatchOptions extends ProjectOptions {
  /** Stops the loop when aborted; a run in progress finishes first. */
  signal: AbortSignal;
  /** Called once after every run, the first one included. */
  onRun(outcome: RunOutcome): void;
  /** Quiet time after the last change before a run starts; default 100 ms. */
  debounceMs?: number;
}

/** What one run did, for the caller to print. */
export type RunOutcome =
  | { kind: "written"; files: number; ms: number; diagnostics: Diagnostic[]; foreign: string[] }
  | { kind: "current"; ms: number; diagnostics: Diagnostic[] }
  /** Lint found an error: nothing was written. */
  | { kind: "invalid"; diagnostics: Diagnostic[] }
  /** A template or an input could not be used (`InputError`), or permgen failed (`bug`). */
  | { kind: "failed"; message: string; bug: boolean };

/** A directory to watch, whether its subdirectories are too, and which file names count. */
interface Target {
  dir: string;
  tree: boolean;
  counts(name: string): boolean;
}

/**
 * Runs `generate` now and after every change until `signal` aborts. Rejects only when a spec or
 * templates directory cannot be watched at all (missing, or the watcher fails).
 */
export async function watchProject(options: WatchOptions): Promise<void> {
  const targets = await watchTargets(options);
  const loop = new RunLoop(options);
  const stopped = new Promise<void>((resolve) => {
    if (options.signal.aborted) resolve();
    options.signal.addEventListener("abort", () => resolve(), { once: true });
  });

  // The watchers close on this signal, whether the caller stops the loop or a watcher fails.
  const watching = new AbortController();
  const stopWatching = (): void => watching.abort();
  options.signal.addEventListener("abort", stopWatching, { once: true });
  const failure = new Promise<never>((_, reject) => {
    for (const target of targets) {
      new DirectoryWatcher(target, loop, watching.signal, reject).start().catch(reject);
    }
  });
  loop.schedule(0);

  try {
    await Promise.race([stopped, failure]);
  } finally {
    options.signal.removeEventListener("abort", stopWatching);
    watching.abort();
    await loop.stop();
  }
}

/** An AbortSignal that aborts on the first SIGINT or SIGTERM; a second one ends the process. */
export function interruptSignal(): AbortSignal {
  const controller = new AbortController();
  const stop = (): void => {
    process.off("SIGINT", stop);
    process.off("SIGTERM", stop);
    controller.abort();
  };
  process.once("SIGINT", stop);
  process.once("SIGTERM", stop);
  return controller.signal;
}

/** Runs one at a time: a change during a run sets `pending`, which starts one more after it. */
class RunLoop {
  #timer: NodeJS.Timeout | undefined;
  #running: Promise<void> | undefined;
  #pending = false;
  #stopped = false;
  readonly #options: WatchOptions;

  constructor(options: WatchOptions) {
    this.#options = options;
  }

  /** Starts a run once no change has come for `delay` ms; every new change restarts the wait. */
  schedule(delay = this.#options.debounceMs ?? 100): void {
    if (this.#stopped) return;
    clearTimeout(this.#timer);
    this.#timer = setTimeout(() => this.#fire(), delay);
  }

  async stop(): Promise<void> {
    this.#stopped = true;
    clearTimeout(this.#timer);
    await this.#running;
  }

  #fire(): void {
    this.#timer = undefined;
    if (this.#running) {
      this.#pending = true;
      return;
    }
    this.#running = runOnce(this.#options)
      .then((outcome) => this.#options.onRun(outcome))
      .finally(() => {
        this.#running = undefined;
        if (!this.#pending) return;
        this.#pending = false;
        this.schedule();
      });
  }
}

async function runOnce(options: ProjectOptions): Promise<RunOutcome> {
  const started = performance.now();
  try {
    const result = await generate(options);
    const ms = Math.round(performance.now() - started);
    const { diagnostics, write } = result;

    if (!write || hasErrors(diagnostics)) return { kind: "invalid", diagnostics };
    if (write.unchanged) return { kind: "current", ms, diagnostics };
    return {
      kind: "written",
      files: write.written.length,
      ms,
      diagnostics,
      foreign: write.foreign,
    };
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    return { kind: "failed", message, bug: !(error instanceof InputError) };
  }
}

/** The directories to watch: each spec path (a file through its directory) and the templates. */
async function watchTargets(options: ProjectOptions): Promise<Target[]> {
  const cwd = options.cwd ?? process.cwd();
  const specs = await Promise.all(
    (options.spec ?? ["spec"]).map((p) => specTarget(resolve(cwd, p))),
  );
  const templatesDir = resolve(cwd, options.templates ?? "templates");
  await mustBeDirectory(templatesDir, "templates directory", "--templates");

  const templates: Target = { dir: templatesDir, tree: true, counts: (name) => !isScratch(name) };
  return [...specs, templates];
}

async function specTarget(path: string): Promise<Target> {
  const info = await stat(path).catch(() => undefined);
  if (info?.isFile()) {
    const name = basename(path);
    return { dir: dirname(path), tree: false, counts: (changed) => changed === name };
  }

  await mustBeDirectory(path, "spec file or directory", "--spec");
  const counts = (name: string): boolean => name.endsWith(".yaml") && !isScratch(name);
  return { dir: path, tree: false, counts };
}

async function mustBeDirectory(path: string, what: string, option: string): Promise<void> {
  const info = await stat(path).catch(() => undefined);
  if (!info?.isDirectory()) {
    throw new Error(`cannot watch ${path}: no such ${what}; create it or pass ${option}`);
  }
}

/**
 * One watcher per directory of a target. A new subdirectory is watched once an event names it;
 * a subdirectory that goes away is dropped. Only the target's own directory failing is fatal.
 */
class DirectoryWatcher {
  readonly #watchers = new Map<string, FSWatcher>();
  readonly #target: Target;
  readonly #loop: RunLoop;
  readonly #signal: AbortSignal;
  readonly #fail: (error: Error) => void;

  constructor(target: Target, loop: RunLoop, signal: AbortSignal, fail: (error: Error) => void) {
    this.#target = target;
    this.#loop = loop;
    this.#signal = signal;
    this.#fail = fail;
  }

  async start(): Promise<void> {
    await this.#add(this.#target.dir);
  }

  async #add(dir: string): Promise<void> {
    if (this.#watchers.has(dir) || this.#signal.aborted) return;

    const watcher = watch(dir, { signal: this.#signal }, (_event, name) =>
      this.#changed(dir, name),
    );
    watcher.on("error", (error) => this.#failed(dir, error));
    this.#watchers.set(dir, watcher);
    if (!this.#target.tree) return;

    const entries = await readdir(dir, { withFileTypes: true }).catch(() => []);
    for (const entry of entries) {
      if (entry.isDirectory()) await this.#add(join(dir, entry.name));
    }
  }

  #changed(dir: string, name: string | null): void {
    // Some platforms omit the name; a change that cannot be placed still counts.
    if (name === null || this.#target.counts(basename(name))) this.#loop.schedule();
    if (name === null || !this.#target.tree) return;

    const path = join(dir, name);
    void stat(path).then(
      async (info) => {
        if (!info.isDirectory() || this.#watchers.has(path)) return;
        await this.#add(path);
        this.#loop.schedule();
      },
      () => this.#drop(path),
    );
  }

  #failed(dir: string, error: Error): void {
    if (dir === this.#target.dir) {
      this.#fail(new Error(`stopped watching ${dir}: ${error.message}`));
      return;
    }
    this.#drop(dir);
    this.#loop.schedule();
  }

  #drop(dir: string): void {
    for (const [path, watcher] of this.#watchers) {
      if (path !== dir && !path.startsWith(`${dir}${sep}`)) continue;
      watcher.close();
      this.#watchers.delete(path);
    }
  }
}

/**
 * Files editors and tools write beside the real ones while saving: swap and backup files, lock
 * files, atomic-save temporaries, and the siblings `generate` itself builds the output in.
 */
const SCRATCH = [
  /~$/,
  /^\.#/,
  /^#.*#$/,
  /\.sw[a-p]x?$/,
  /^4913$/,
  /\.(tmp|temp|bak|orig|crswap)$/i,
  /___jb_(tmp|old)___$/,
  /^\.goutputstream-/,
  /^\.DS_Store$/,
  /^\.permgen-/,
];

/** Whether a changed file name is an editor's or a tool's scratch file rather than an input. */
export function isScratch(name: string): boolean {
  return SCRATCH.some((pattern) => pattern.test(name));
}
