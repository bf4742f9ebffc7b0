// Times `permgen generate` and `permgen check` end to end in fresh processes, beside the floor of
// the same work (Node starting and loading the same libraries), and reports medians and ratios.
import { spawnSync } from "node:child_process";
import { cpSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { median, printTable } from "./stats.mjs";

const root = fileURLToPath(new URL("..", import.meta.url));
const bin = join(root, "dist/generator/bin.js");
const runs = Number(process.env.BENCH_RUNS ?? 7);

export function benchCli() {
  const work = mkdtempSync(join(tmpdir(), "permgen-bench-"));
  for (const dir of ["spec", "templates", "generated"]) {
    cpSync(join(root, dir), join(work, dir), { recursive: true });
  }

  const floor = time(runs, () => run(["bench/floor.mjs"], root));
  const check = time(runs, () => run([bin, "check"], work));
  const generate = time(runs, () => {
    rmSync(join(work, "generated"), { recursive: true, force: true });
    run([bin, "generate"], work);
  });
  rmSync(work, { recursive: true, force: true });

  printTable("CLI end to end, fresh process each run (ms, median of " + runs + ")", [
    ["floor (node + libraries)", floor, 1],
    ["permgen check", check, check / floor],
    ["permgen generate", generate, generate / floor],
  ]);
  return { floor, check, generate };
}

function run(args, cwd) {
  const result = spawnSync(process.execPath, args, { cwd, encoding: "utf8" });
  if (result.status !== 0) throw new Error(`${args.join(" ")} failed: ${result.stderr}`);
}

function time(n, fn) {
  fn(); // warm the file system cache; not counted
  const samples = [];
  for (let i = 0; i < n; i++) {
    const start = process.hrtime.bigint();
    fn();
    samples.push(Number(process.hrtime.bigint() - start) / 1e6);
  }
  return median(samples);
}
