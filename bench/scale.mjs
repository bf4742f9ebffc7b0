// How `permgen generate` scales with the number of routes, beside openapi-typescript turning the
// same routes (as an OpenAPI 3.0 document) into types. Each job runs in a fresh process
// (bench/measure-child.mjs), which reports its peak resident memory: three times (the median
// counts) up to 1,000 routes, once above, where one run takes minutes.
//   BENCH_SIZES=1000,10000,100000   route counts (default 1000,10000: 100,000 takes too long today)
//   BENCH_TIMEOUT=900               seconds before a job is killed and reported as timed out
import { spawnSync } from "node:child_process";
import { cpSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { median, printGrid } from "./stats.mjs";
import { toOpenApi, writeSyntheticSpecs } from "./synthetic.mjs";

const root = fileURLToPath(new URL("..", import.meta.url));
const child = join(root, "bench/measure-child.mjs");
const sizes = (process.env.BENCH_SIZES ?? "1000,10000").split(",").map(Number);
const timeoutMs = Number(process.env.BENCH_TIMEOUT ?? 900) * 1000;

/** Times both tools at every size; prints a table and whether each target is met. */
export async function benchScale() {
  const results = [];
  for (const routes of sizes) results.push({ routes, ...(await measureSize(routes)) });

  printGrid(
    `Scale, fresh process per job (s, peak MiB); ratio = permgen / openapi-typescript`,
    ["routes", "permgen s", "peak MiB", "openapi-ts s", "peak MiB", "time ratio", "growth"],
    results.map((r, i) => [
      r.routes,
      seconds(r.permgen),
      mib(r.permgen),
      seconds(r.openapi),
      mib(r.openapi),
      ratio(r.permgen, r.openapi),
      i === 0 ? "" : growth(results[i - 1], r),
    ]),
  );
  printTargets(results);
  return results;
}

async function measureSize(routes) {
  const project = mkdtempSync(join(tmpdir(), `permgen-scale-${routes}-`));
  try {
    const { specs } = await writeSyntheticSpecs(join(project, "spec"), routes);
    cpSync(join(root, "templates"), join(project, "templates"), { recursive: true });
    const openapi = join(project, "openapi.json");
    writeFileSync(openapi, JSON.stringify(toOpenApi(specs)));

    const runs = routes <= 1000 ? 3 : 1;
    const types = join(project, "openapi.ts");
    return {
      permgen: repeat(runs, () => measure(["permgen"], project)),
      openapi: repeat(runs, () => measure(["openapi-typescript", openapi, types], project)),
    };
  } finally {
    rmSync(project, { recursive: true, force: true });
  }
}

/** The run of median time; the first failure, if any run fails. */
function repeat(runs, job) {
  const results = Array.from({ length: runs }, job);
  const failed = results.find((r) => !ok(r));
  if (failed) return failed;
  const middle = median(results.map((r) => r.ms));
  return results.find((r) => r.ms === middle) ?? results[0];
}

/** Wall time from the parent; peak memory from the child's own report, when it lived to give it. */
function measure(args, cwd) {
  const start = performance.now();
  const result = spawnSync(process.execPath, [child, ...args], {
    cwd,
    encoding: "utf8",
    timeout: timeoutMs,
    maxBuffer: 64 * 1024 * 1024,
  });
  const ms = performance.now() - start;

  if (result.error?.code === "ETIMEDOUT" || result.signal === "SIGTERM") {
    return { ms, failed: `timed out after ${Math.round(timeoutMs / 1000)} s` };
  }
  const report = result.stdout.trim().split("\n").pop() ?? "";
  if (result.status !== 0 || !report.startsWith("{")) {
    const failed = result.stderr.includes("heap out of memory")
      ? "ran out of memory (the V8 heap limit)"
      : `failed: ${lastLine(result.stderr)}`;
    return { ms, failed };
  }
  const { code, peakMiB } = JSON.parse(report);
  if (code !== 0) return { ms, failed: `exit code ${code}: ${lastLine(result.stderr)}` };
  return { ms, peakMiB };
}

function printTargets(results) {
  const at = (n) => results.find((r) => r.routes === n);
  const lines = [];
  const [ten, hundred] = [at(10_000), at(100_000)];

  if (ten && hundred) {
    const met = ok(ten.permgen) && ok(hundred.permgen) && hundred.permgen.ms <= 12 * ten.permgen.ms;
    lines.push(`linear growth (100,000 within 12x of 10,000): ${verdict(met)}`);
  }
  if (ten) {
    const met = ok(ten.permgen) && ok(ten.openapi) && ten.permgen.ms <= ten.openapi.ms;
    lines.push(`10,000 routes at least as fast as openapi-typescript: ${verdict(met)}`);
  }
  if (hundred) {
    const met = ok(hundred.permgen) && hundred.permgen.peakMiB < 1024;
    lines.push(`peak memory under 1 GiB at 100,000 routes: ${verdict(met)}`);
  }
  for (const r of results) {
    for (const [tool, job] of [["permgen", r.permgen], ["openapi-typescript", r.openapi]]) {
      if (!ok(job)) lines.push(`${tool} at ${r.routes} routes: ${job.failed}`);
    }
  }
  if (lines.length > 0) console.log(lines.map((line) => `  ${line}`).join("\n"));
}

function ok(job) {
  return job.failed === undefined;
}

function verdict(met) {
  return met ? "met" : "MISSED";
}

function seconds(job) {
  return ok(job) ? (job.ms / 1000).toFixed(1) : `>${(job.ms / 1000).toFixed(0)} !`;
}

function mib(job) {
  return ok(job) ? job.peakMiB.toFixed(0) : "-";
}

function ratio(a, b) {
  return ok(a) && ok(b) ? `${(a.ms / b.ms).toFixed(2)}x` : "-";
}

/** Time at this size over time at the previous one, beside the growth in routes. */
function growth(previous, current) {
  if (!ok(previous.permgen) || !ok(current.permgen)) return "-";
  const times = current.permgen.ms / previous.permgen.ms;
  return `${times.toFixed(1)}x for ${(current.routes / previous.routes).toFixed(0)}x routes`;
}

function lastLine(text) {
  return text.trim().split("\n").pop() ?? "";
}
