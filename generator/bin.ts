#!/usr/bin/env node
/**
 * The `permgen` executable. An unexpected exception is a bug in permgen, not in the input: it is
 * reported as such, with the stack only when `PERMGEN_DEBUG` is set.
 */
import { setFlagsFromString } from "node:v8";
import { run } from "./cli.js";

/**
 * How far V8 lets the heap grow past what survived its last full collection before collecting
 * again, in percent. Left to itself, on a machine with memory to spare, V8 lets it grow fourfold:
 * generating 100,000 routes holds about 500 MiB at most but peaked at 1.9 GiB, nearly all of it
 * garbage not yet collected. At 50% it peaks near 800 MiB in the same time (bench/README.md). A
 * `--heap-growing-percent` given to Node itself wins. Only the command line sets this: a build
 * script calling the API keeps its own process's policy.
 */
const HEAP_GROWING_PERCENT = 50;

if (!process.execArgv.some((arg) => arg.startsWith("--heap-growing-percent"))) {
  setFlagsFromString(`--heap-growing-percent=${HEAP_GROWING_PERCENT}`);
}

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
