import { mkdir, mkdtemp, readdir, rename, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { readTree, writeOutput } from "../generator/output/write.js";

let root: string;
let out: string;

beforeEach(async () => {
  root = await mkdtemp(join(tmpdir(), "permgen-write-"));
  out = join(root, "generated");
});

afterEach(async () => {
  await rm(root, { recursive: true, force: true });
});

const v1 = new Map([
  ["routes.ts", "export const a = 1;\n"],
  ["policies/full.json", "{}\n"],
]);
const v2 = new Map([
  ["routes.ts", "export const a = 2;\n"],
  ["docs/index.md", "# Index\n"],
]);

describe("writeOutput", () => {
  it("creates the output directory with exactly the given files", async () => {
    const result = await writeOutput(out, v1, new Set());

    expect(result.unchanged).toBe(false);
    expect(await readTree(out)).toEqual(v1);
  });

  it("replaces the previous output, dropping files the new output no longer has", async () => {
    await writeOutput(out, v1, new Set());
    await writeOutput(out, v2, new Set(v1.keys()));

    expect(await readTree(out)).toEqual(v2);
  });

  it("reports a second identical run as unchanged", async () => {
    await writeOutput(out, v1, new Set());
    const again = await writeOutput(out, v1, new Set());

    expect(again).toEqual({ written: [], unchanged: true, foreign: [] });
  });

  it("keeps and reports files it did not write", async () => {
    await writeOutput(out, v1, new Set());
    await writeFile(join(out, "NOTES.txt"), "mine\n");

    const result = await writeOutput(out, v2, new Set(v1.keys()));

    expect(result.foreign).toEqual(["NOTES.txt"]);
    expect((await readTree(out)).get("NOTES.txt")).toBe("mine\n");
    expect((await readTree(out)).get("routes.ts")).toBe(v2.get("routes.ts"));
  });

  it("leaves no staging directories or lock behind", async () => {
    await writeOutput(out, v1, new Set());
    await writeOutput(out, v2, new Set(v1.keys()));

    expect(await readdir(root)).toEqual(["generated"]);
  });

  it("finishes a swap that was killed between its two renames", async () => {
    await writeOutput(out, v1, new Set());
    // What a run killed after moving the old tree aside and before moving the new one in leaves.
    await rename(out, join(root, ".permgen-generated-old-1-aaaa"));
    await mkdir(join(root, ".permgen-generated-ready-1-bbbb"));
    await writeFile(join(root, ".permgen-generated-ready-1-bbbb", "routes.ts"), "export const a = 2;\n");

    await writeOutput(out, v2, new Set(v1.keys()));

    expect(await readTree(out)).toEqual(v2);
    expect(await readdir(root)).toEqual(["generated"]);
  });

  it("restores the old tree when a run died before its new tree was complete", async () => {
    await writeOutput(out, v1, new Set());
    await rename(out, join(root, ".permgen-generated-old-1-aaaa"));
    await mkdir(join(root, ".permgen-generated-build-1-cccc"));

    await writeOutput(out, v1, new Set());

    expect(await readTree(out)).toEqual(v1);
    expect(await readdir(root)).toEqual(["generated"]);
  });

  it("serialises two runs on the same directory, so the result is one of them whole", async () => {
    const known = new Set([...v1.keys(), ...v2.keys()]);

    await Promise.all([writeOutput(out, v1, known), writeOutput(out, v2, known)]);

    expect([v1, v2]).toContainEqual(await readTree(out));
    expect(await readdir(root)).toEqual(["generated"]);
  });
});
