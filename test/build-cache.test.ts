/**
 * What a build cache (Nx, Turborepo) may assume of `generate`: its output is a function of the
 * spec files, the templates and permgen itself, and `manifest.json` names those inputs and the
 * outputs by hash. Generating in two directories of different absolute paths proves no path,
 * time or machine detail leaks into the bytes.
 */
import { cp, mkdir, mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { sha256 } from "../generator/output/file-text.js";
import type { Manifest } from "../generator/output/manifest.js";
import { readTree } from "../generator/output/write.js";
import { generate } from "../generator/pipeline.js";

const root = join(import.meta.dirname, "..");

describe("build cache > generate is a pure function of its inputs", { timeout: 120_000 }, () => {
  let base: string;
  let first: string;
  let second: string;
  let outputs: Array<Map<string, string>>;

  beforeAll(async () => {
    base = await mkdtemp(join(tmpdir(), "permgen-cache-"));
    first = join(base, "a");
    second = join(base, "a much longer path", "with spaces", "and-depth");
    for (const project of [first, second]) {
      await mkdir(project, { recursive: true });
      for (const dir of ["spec", "templates"])
        await cp(join(root, dir), join(project, dir), { recursive: true });
    }

    const results = [await generate({ cwd: first }), await generate({ cwd: second })];
    for (const result of results) expect(result.write?.unchanged).toBe(false);
    outputs = await Promise.all([first, second].map((p) => readTree(join(p, "generated"))));
  }, 120_000);

  afterAll(async () => {
    if (base) await rm(base, { recursive: true, force: true });
  });

  it("writes identical bytes from two different directories", () => {
    const [a, b] = outputs as [Map<string, string>, Map<string, string>];

    expect(a.size).toBeGreaterThan(10);
    expect([...b.keys()]).toEqual([...a.keys()]);
    for (const [path, text] of a) expect(b.get(path), path).toBe(text);
  });

  it("mentions neither directory, nor the machine's temporary directory, in any file", () => {
    for (const [path, text] of outputs[1]!) {
      expect(text.includes(base) || text.includes(tmpdir()), path).toBe(false);
    }
  });

  it("lists every spec and template it read, and every file it wrote, by sha256", async () => {
    const output = outputs[0]!;
    const manifest = JSON.parse(output.get("manifest.json")!) as Manifest;

    const specs = await inputHashes(first, "spec", (f) => f.endsWith(".yaml"));
    const templates = await inputHashes(join(first, "templates"), "", () => true);
    expect(manifest.inputs.specs).toEqual(
      specs.map(({ file, sha }) => ({ file: `spec/${file}`, sha256: sha })),
    );
    expect(manifest.inputs.templates).toEqual(
      templates.map(({ file, sha }) => ({ file, sha256: sha })),
    );

    const written = [...output]
      .filter(([path]) => path !== "manifest.json")
      .sort(([a], [b]) => (a < b ? -1 : 1));
    expect(manifest.files).toEqual(written.map(([path, text]) => ({ path, sha256: sha256(text) })));
  });
});

/** Each file below `dir/sub` that `keep` accepts, by `/`-separated path and sha256 of its bytes. */
async function inputHashes(dir: string, sub: string, keep: (file: string) => boolean) {
  const tree = await readTree(join(dir, sub));
  const files = [...tree.keys()].filter(keep).sort();
  return Promise.all(
    files.map(async (file) => ({ file, sha: sha256(await readFile(join(dir, sub, file))) })),
  );
}
