import { cp, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { run } from "../generator/cli.js";
import { check, generate } from "../generator/pipeline.js";

const root = join(import.meta.dirname, "..");

describe("drift > the committed output", () => {
  it("is exactly what spec/ and templates/ produce", async () => {
    const result = await check({ cwd: root });

    expect(result.diagnostics.filter((d) => d.severity === "error")).toEqual([]);
    expect(result.drift.map((d) => `${d.path} ${d.kind}\n${d.diff}`)).toEqual([]);
  });
});

describe("drift > in a temporary copy", () => {
  let work: string;

  beforeEach(async () => {
    work = await mkdtemp(join(tmpdir(), "permgen-drift-"));
    for (const dir of ["spec", "templates", "generated"]) await cp(join(root, dir), join(work, dir), { recursive: true });
  });

  afterEach(async () => {
    await rm(work, { recursive: true, force: true });
  });

  it("starts clean", async () => {
    expect((await check({ cwd: work })).drift).toEqual([]);
  });

  it("reports a changed spec row as stale files, with a diff", async () => {
    await edit(join(work, "spec/modelarts-training.yaml"), "description: Creating a Training Job", "description: Starting a Training Job");

    const { drift } = await check({ cwd: work });

    const routes = drift.find((d) => d.path === "routes.ts");
    expect(routes?.kind).toBe("stale");
    expect(routes?.diff).toContain('-    description: "Creating a Training Job"');
    expect(routes?.diff).toContain('+    description: "Starting a Training Job"');
  });

  it("reports a hand-edited generated file", async () => {
    await edit(join(work, "generated/routes.ts"), '"Creating a Training Job"', '"Edited by hand"');

    const { drift } = await check({ cwd: work });

    expect(drift.map((d) => [d.path, d.kind])).toEqual([["routes.ts", "stale"]]);
  });

  it("reports a changed template", async () => {
    await edit(join(work, "templates/docs/index.md.hbs"), "# Permissions documentation", "# Permission reference");

    const { drift } = await check({ cwd: work });

    expect(drift.map((d) => [d.path, d.kind])).toEqual([
      ["docs/README.md", "stale"],
      ["manifest.json", "stale"],
    ]);
  });

  it("reports missing and extra files", async () => {
    await rm(join(work, "generated/actions.ts"));
    await writeFile(join(work, "generated/stray.ts"), "export {};\n");

    const { drift } = await check({ cwd: work });

    expect(drift.map((d) => [d.path, d.kind])).toEqual([
      ["actions.ts", "missing"],
      ["stray.ts", "extra"],
    ]);
  });

  it("treats a missing output directory as drift, not a crash", async () => {
    await rm(join(work, "generated"), { recursive: true });

    const { drift } = await check({ cwd: work });

    expect(drift.length).toBeGreaterThan(5);
    expect(drift.every((d) => d.kind === "missing")).toBe(true);
  });

  it("is fixed by generate", async () => {
    await edit(join(work, "spec/modelarts-training.yaml"), "description: Creating a Training Job", "description: Starting a Training Job");
    await generate({ cwd: work });

    expect((await check({ cwd: work })).drift).toEqual([]);
  });

  it("prints each drifted file on its own line, names the fix, and exits 1", async () => {
    await edit(join(work, "generated/routes.ts"), '"Creating a Training Job"', '"Edited by hand"');
    const io = fakeIo(work);

    const code = await run(["check"], io);

    expect(code).toBe(1);
    expect(io.out()).toMatch(/^generated\/routes\.ts is stale$/m);
    expect(io.err()).toContain('run "npm run generate"');
  });

  it("exits 0 and prints nothing when current", async () => {
    const io = fakeIo(work);

    expect(await run(["check"], io)).toBe(0);
    expect(io.out()).toBe("");
  });

  it("refuses to generate from a spec with errors and leaves the output untouched", async () => {
    const before = await readFile(join(work, "generated/routes.ts"), "utf8");
    await edit(join(work, "spec/modelarts-training.yaml"), "method: POST", "method: FETCH");
    const io = fakeIo(work);

    const code = await run(["generate"], io);

    expect(code).toBe(2);
    expect(io.err()).toMatch(/^spec\/modelarts-training\.yaml:\d+:\d+: error: .*FETCH/m);
    expect(await readFile(join(work, "generated/routes.ts"), "utf8")).toBe(before);
  });
});

async function edit(file: string, from: string, to: string): Promise<void> {
  const text = await readFile(file, "utf8");
  if (!text.includes(from)) throw new Error(`${file} does not contain ${from}`);
  await writeFile(file, text.replace(from, to));
}

function fakeIo(cwd: string) {
  let out = "";
  let err = "";
  return {
    cwd,
    stdout: (text: string) => void (out += text),
    stderr: (text: string) => void (err += text),
    out: () => out,
    err: () => err,
  };
}
