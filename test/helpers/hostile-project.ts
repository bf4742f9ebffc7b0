/**
 * A throwaway copy of the project for tests that feed permgen bad input: the real `spec/`,
 * `templates/` and `generated/`, plus the hostile corpus under `hostile/`, in a temporary
 * directory, so no test can damage the checkout. Also: running the CLI in it, taking a byte-exact
 * snapshot of a tree, and checking that stderr holds only the lines permgen promises.
 */
import { createHash } from "node:crypto";
import { cp, mkdtemp, readdir, readFile, rm, stat } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { run } from "../../generator/cli.js";

export const ROOT = fileURLToPath(new URL("../..", import.meta.url));
export const HOSTILE = "test/fixtures/hostile";

/** A temporary project; `hostile` also copies the corpus to `<dir>/hostile/`. */
export async function makeProject(options: { hostile?: boolean } = {}): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), "permgen-hostile-"));
  for (const part of ["spec", "templates", "generated"]) {
    await cp(join(ROOT, part), join(dir, part), { recursive: true });
  }
  if (options.hostile) await cp(join(ROOT, HOSTILE), join(dir, "hostile"), { recursive: true });
  return dir;
}

export async function removeProject(dir: string): Promise<void> {
  await rm(dir, { recursive: true, force: true });
}

export interface CliResult {
  code: number;
  stdout: string;
  /** Every line written to stderr, the trailing empty one dropped. */
  stderr: string[];
}

/** Runs `permgen` in-process in `cwd`, as bin.ts would, and keeps what it printed. */
export async function runCli(argv: readonly string[], cwd: string): Promise<CliResult> {
  let stdout = "";
  let stderr = "";
  const code = await run(argv, {
    cwd,
    stdout: (text) => void (stdout += text),
    stderr: (text) => void (stderr += text),
  });
  const lines = stderr.split("\n");
  if (lines[lines.length - 1] === "") lines.pop();
  return { code, stdout, stderr: lines };
}

/**
 * Every file below `dir` by relative path, with the SHA-256 of its bytes (binary files too). A
 * file over 1 MiB is known by its size and modification time instead, which is enough to see a
 * rewrite and keeps a snapshot of the test's giant inputs cheap.
 */
export async function snapshotBytes(dir: string): Promise<Map<string, string>> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  const files = new Map<string, string>();
  for (const entry of entries) {
    if (!entry.isFile()) continue;
    const full = join(entry.parentPath, entry.name);
    const info = await stat(full);
    const id =
      info.size > 1024 * 1024
        ? `${info.size}:${info.mtimeMs}`
        : createHash("sha256")
            .update(await readFile(full))
            .digest("hex");
    files.set(
      full
        .slice(dir.length + 1)
        .split("\\")
        .join("/"),
      id,
    );
  }
  return new Map([...files].sort(([a], [b]) => (a < b ? -1 : 1)));
}

/** A diagnostic line: `file:line:column: severity: message; hint`. */
export const DIAGNOSTIC = /^(.+?):(\d+):(\d+): (error|warning): (\S.*?); (\S.*)$/;

/** A line the CLI writes itself: `permgen <command>: ...`, one line. */
export const SUMMARY = /^permgen(?: [a-z]+)?: \S.*$/;

/** What must never reach a user: a stack frame, Node's error names, permgen's own crash line. */
const CRASH = [
  /^\s+at /,
  /\b(?:Type|Range|Reference|Syntax)?Error:/,
  /internal error/,
  /\[object Object\]/,
];

/** Why a stderr line breaks the one-line-per-problem promise, or undefined when it is fine. */
export function badLine(line: string): string | undefined {
  const crash = CRASH.find((pattern) => pattern.test(line));
  if (crash) return `looks like a crash (${crash.source}): ${line}`;
  if (DIAGNOSTIC.test(line) || SUMMARY.test(line)) return undefined;
  return `neither a diagnostic nor a permgen line: ${JSON.stringify(line)}`;
}

/** The usage error line of one command, as the CLI prints every command-line mistake. */
export function usageLine(command: string): RegExp {
  const hint = `; run "permgen ${command} --help" for usage`;
  return new RegExp(`^permgen ${command}: \\S.*${hint.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}$`);
}
