/**
 * A `generate` killed at any moment leaves `generated/` exactly old or exactly new, or, when the
 * kill fell between the two renames of the swap, absent beside a complete sibling that the next
 * run moves in; after that next run it is exactly new. Two runs at once do not corrupt it.
 *
 * Real `permgen generate` processes are killed at random delays and at the moment the swap starts.
 * Most of a run is loading and rendering, which touches no file, so the dense trials kill a child
 * that runs only the write step (`writeOutput`, with the output `generate` would pass it) and
 * starts in milliseconds: that is the code that could leave damage, hit many times cheaply.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { existsSync, watch } from "node:fs";
import { cp, mkdtemp, readdir, readFile, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { filesOfManifest } from "../generator/output/manifest.js";
import type { Output } from "../generator/output/render.js";
import { readTree, writeOutput } from "../generator/output/write.js";
import { generate, render } from "../generator/pipeline.js";
import { buildPermgen, type Build } from "./helpers/hostile-build.js";
import { makeProject, removeProject } from "./helpers/hostile-project.js";

const SPEC = "spec/modelarts-training.yaml";
const BEFORE = "    description: Creating a Training Job\n";
const AFTER = "    description: Creating a Training Job, Killed Halfway\n";
const LOCK = ".permgen-generated.lock";

let build: Build;
let base: string;
let oldTree: Map<string, string>;
let newTree: Output;
let known: Set<string>;
let writer: string;

beforeAll(async () => {
  build = await buildPermgen();
  base = await makeProject();

  // The old output is what this checkout's code makes of the committed spec.
  await generate({ cwd: base });
  oldTree = await readTree(join(base, "generated"));
  known = filesOfManifest(oldTree.get("manifest.json"));

  const spec = await readFile(join(base, SPEC), "utf8");
  expect(spec).toContain(BEFORE);
  await writeFile(join(base, SPEC), spec.replace(BEFORE, AFTER));
  newTree = (await render({ cwd: base })).output ?? new Map();
  expect(newTree.get("routes.ts")).toContain("Killed Halfway");

  writer = join(build.root, "write-output.mjs");
  await writeFile(join(base, "new-output.json"), JSON.stringify(Object.fromEntries(newTree)));
  await writeFile(join(base, "known.json"), JSON.stringify([...known]));
  await writeFile(writer, WRITER);
}, 120_000);

afterAll(async () => {
  await build?.remove();
  await removeProject(base);
});

/** The write step alone, as `generate` runs it once the output is rendered. */
const WRITER = `
import { readFileSync } from "node:fs";
import { writeOutput } from "./dist/generator/output/write.js";
const [out, output, known] = process.argv.slice(2);
const read = (file) => JSON.parse(readFileSync(file, "utf8"));
await writeOutput(out, new Map(Object.entries(read(output))), new Set(read(known)));
`;

type Trigger = "lock" | "ready" | "old";

/** When to kill: a delay after the start, or after the first sign of one step of the swap. */
interface Kill {
  delayMs: number;
  after?: Trigger;
}

interface Outcome {
  /** The output directory right after the kill. */
  state: "old" | "new" | "between renames";
  /** Whether the child was inside the write step (holding the lock) when it was killed. */
  writing: boolean;
}

/** Set PERMGEN_FAULT_SEED to replay the delays of a failed run; its seed is in the test names. */
const SEED = Number(process.env["PERMGEN_FAULT_SEED"] ?? Date.now() % 1_000_000);

describe(`generate, killed at random points (seed ${SEED})`, () => {
  const random = seeded(SEED);
  const real: Kill[] = [
    { delayMs: random() * 1500 },
    // From 5 ms on, the lock holds the pid: a lock killed empty is taken over only after 5 s.
    { delayMs: 5 + random() * 35, after: "lock" },
    { delayMs: 0, after: "ready" },
  ];
  const writes: Kill[] = Array.from({ length: 20 }, (_, i) =>
    i % 4 === 0 ? { delayMs: random() * 80 } : { delayMs: random() * 12, after: triggerOf(i) },
  );
  const outcomes: Outcome[] = [];

  it.each(real.map((kill) => ({ name: nameOf(kill), ...kill })))(
    "permgen generate killed $name: old or new, then new after the next run",
    async (kill) => {
      const dir = await trialProject();
      const child = spawn(process.execPath, [build.bin, "generate"], { cwd: dir, stdio: "ignore" });

      outcomes.push(await killAndCheck(child, dir, kill));
      await generate({ cwd: dir });
      await expectRecovered(dir);
      await removeProject(dir);
    },
    60_000,
  );

  it.each(writes.map((kill) => ({ name: nameOf(kill), ...kill })))(
    "the write step killed $name: old or new, then new after the next run",
    async (kill) => {
      const dir = await trialProject();
      const argv = [
        writer,
        join(dir, "generated"),
        join(base, "new-output.json"),
        join(base, "known.json"),
      ];
      const child = spawn(process.execPath, argv, { cwd: dir, stdio: "ignore" });

      outcomes.push(await killAndCheck(child, dir, kill));
      await writeOutput(join(dir, "generated"), newTree, known);
      await expectRecovered(dir);
      await removeProject(dir);
    },
    30_000,
  );

  it("hit the write step itself, not only the loading before it", () => {
    expect(outcomes).toHaveLength(real.length + writes.length);
    expect(outcomes.filter((o) => o.writing).length).toBeGreaterThan(0);
  });
});

describe("two generate runs at once", () => {
  it("both finish and leave exactly the new output, with nothing beside it", async () => {
    const dir = await trialProject();
    const run = () => spawn(process.execPath, [build.bin, "generate"], { cwd: dir, stdio: "pipe" });

    const [first, second] = await Promise.all([finished(run()), finished(run())]);

    expect([first.code, second.code], `${first.stderr}\n${second.stderr}`).toEqual([0, 0]);
    await expectRecovered(dir);
    await removeProject(dir);
  }, 60_000);
});

/** A copy of the project with the old output and the new spec, as before a `generate`. */
async function trialProject(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), "permgen-fault-"));
  await cp(base, dir, { recursive: true });
  return dir;
}

async function killAndCheck(child: ChildProcess, dir: string, kill: Kill): Promise<Outcome> {
  let writing = false;
  const fire = (): void => {
    writing = existsSync(join(dir, LOCK));
    child.kill("SIGKILL");
  };
  const watcher = kill.after
    ? watchFor(dir, kill.after, () => setTimeout(fire, kill.delayMs))
    : undefined;
  const timer = kill.after ? undefined : setTimeout(fire, kill.delayMs);

  await new Promise((resolve) => child.once("exit", resolve));
  watcher?.close();
  clearTimeout(timer);
  return { state: await stateAfterKill(dir), writing };
}

/** Calls `then` once, when an entry whose name shows the given swap step appears in `dir`. */
function watchFor(dir: string, trigger: Trigger, then: () => void): { close(): void } {
  const prefix = trigger === "lock" ? LOCK : `.permgen-generated-${trigger}-`;
  let fired = false;
  const watcher = watch(dir, (_, name) => {
    if (fired || !name?.startsWith(prefix)) return;
    fired = true;
    then();
  });
  return watcher;
}

/** What a kill left: the old or new tree in place, or none and a complete tree beside it. */
async function stateAfterKill(dir: string): Promise<Outcome["state"]> {
  const out = join(dir, "generated");
  if (existsSync(out)) {
    const tree = await readTree(out);
    if (same(tree, oldTree)) return "old";
    expect(same(tree, newTree), "generated/ is neither the old nor the new output").toBe(true);
    return "new";
  }

  const siblings = (await readdir(dir)).filter((name) =>
    /^\.permgen-generated-(ready|old)-/.test(name),
  );
  const complete = await Promise.all(
    siblings.map(async (name) => {
      const tree = await readTree(join(dir, name));
      return name.includes("-ready-") ? same(tree, newTree) : same(tree, oldTree);
    }),
  );
  expect(complete, `generated/ is gone and no complete tree is beside it: ${siblings}`).toContain(
    true,
  );
  return "between renames";
}

async function expectRecovered(dir: string): Promise<void> {
  expect(same(await readTree(join(dir, "generated")), newTree)).toBe(true);
  expect((await readdir(dir)).filter((name) => name.startsWith(".permgen-"))).toEqual([]);
}

function finished(child: ChildProcess): Promise<{ code: number | null; stderr: string }> {
  let stderr = "";
  child.stderr?.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
  return new Promise((resolve) => child.once("exit", (code) => resolve({ code, stderr })));
}

function same(a: ReadonlyMap<string, string>, b: ReadonlyMap<string, string>): boolean {
  return a.size === b.size && [...a].every(([path, text]) => b.get(path) === text);
}

function nameOf(kill: Kill): string {
  const ms = `${Math.round(kill.delayMs)} ms`;
  return kill.after ? `${ms} after the ${kill.after} appeared` : `after ${ms}`;
}

function triggerOf(i: number): Trigger {
  const triggers: Trigger[] = ["lock", "ready", "old"];
  return triggers[i % triggers.length] ?? "lock";
}

/** A small deterministic generator, so a failing trial can be run again with the same delays. */
function seeded(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return state / 2 ** 32;
  };
}
