// Run by bench/scale.mjs in a fresh process: does one job, then prints one JSON line with the
// process's peak resident memory, so the parent needs no `/usr/bin/time`.
//   node bench/measure-child.mjs permgen            (in a project dir: generate --spec spec)
//   node bench/measure-child.mjs openapi-typescript IN.json OUT.ts
import { readFileSync, writeFileSync } from "node:fs";

const [job, ...args] = process.argv.slice(2);
const started = performance.now();
const code = job === "permgen" ? await permgen() : await openapiTypescript(args);

process.stdout.write(
  JSON.stringify({
    code,
    ms: performance.now() - started,
    peakMiB: process.resourceUsage().maxRSS / 1024,
  }) + "\n",
);

/**
 * `permgen generate` as the executable runs it, with its garbage collection setting; its messages
 * are kept off stdout.
 */
async function permgen() {
  const { collectGarbageSooner } = await import("../dist/generator/heap.js");
  collectGarbageSooner();
  const { run } = await import("../dist/generator/cli.js");
  let errors = "";
  const argv = ["generate", "--spec", "spec", "--templates", "templates", "--out", "generated"];
  const code = await run(argv, {
    cwd: process.cwd(),
    stdout: () => {},
    stderr: (text) => void (errors += text),
  });
  if (code !== 0) process.stderr.write(errors);
  return code;
}

/** The document through openapi-typescript's Node API, as its CLI would, written to a file. */
async function openapiTypescript([input, output]) {
  const { default: openapiTS, astToString } = await import("openapi-typescript");
  const ast = await openapiTS(JSON.parse(readFileSync(input, "utf8")));
  writeFileSync(output, astToString(ast));
  return 0;
}
