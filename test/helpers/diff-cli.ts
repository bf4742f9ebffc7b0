/** Runs `permgen diff` through `run(argv, io)` with an Io that keeps what was written. */
import { dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { run } from "../../generator/cli.js";
import type { Change } from "../../generator/diff/change.js";

export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "../..");
export const DIR = "test/fixtures/diff";
export const BASE = `${DIR}/service-management.2022-05-19.yaml`;
export const fixture = (name: string) => `${DIR}/${name}.yaml`;

export interface Result {
  code: number;
  stdout: string;
  stderr: string;
}

/** The exit code and everything written to stdout and stderr. */
export async function diff(argv: string[], cwd = ROOT): Promise<Result> {
  let stdout = "";
  let stderr = "";
  const code = await run(["diff", ...argv], {
    cwd,
    stdout: (t) => (stdout += t),
    stderr: (t) => (stderr += t),
  });
  return { code, stdout, stderr };
}

/** The same with `--format json`, its output parsed. */
export async function json(
  argv: string[],
  cwd = ROOT,
): Promise<{ code: number; bump: string; changes: Change[] }> {
  const result = await diff([...argv, "--format", "json"], cwd);
  return {
    code: result.code,
    ...(JSON.parse(result.stdout) as { bump: string; changes: Change[] }),
  };
}
