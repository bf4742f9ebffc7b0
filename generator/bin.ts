#!/usr/bin/env node
/**
 * The `permgen` executable. An unexpected exception is a bug in permgen, not in the input: it is
 * reported as such, with the stack only when `PERMGEN_DEBUG` is set.
 */
import { run } from "./cli.js";
import { collectGarbageSooner } from "./heap.js";

collectGarbageSooner();

try {
  process.exitCode = await run(process.argv.slice(2), {
    cwd: process.cwd(),
    stdout: (text) => process.stdout.write(text),
    stderr: (text) => process.stderr.write(text),
  });
} catch (error) {
  const detail = process.env.PERMGEN_DEBUG ? (error instanceof Error ? error.stack : String(error)) : String(error);
  process.stderr.write(`permgen: internal error: ${detail}; this is a bug in permgen, please report it with the command that caused it\n`);
  process.exitCode = 2;
}
