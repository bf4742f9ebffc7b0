import { existsSync } from "node:fs";
import { copyFile, mkdir, mkdtemp, readdir, readFile, rm, stat, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import fc from "fast-check";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { run } from "../generator/cli.js";
import { formatSpec } from "../generator/spec/format.js";
import { parseSpecText } from "../generator/spec/parse.js";
import { validateSpec } from "../generator/spec/schema.js";
import type { HttpMethod, Permission, Spec } from "../generator/spec/types.js";
import { corpusFile } from "./helpers/corpus.js";

const ROOT = fileURLToPath(new URL("..", import.meta.url));
const GOOD = join(ROOT, "test/fixtures/lint/good.yaml");
const CORPUS = corpusFile("training_job_permissions.rst");

/** Parses canonical text back, failing the test on any problem. */
function reread(text: string): { spec: Spec; comment: string } {
  const parsed = parseSpecText(text, "spec.yaml");
  const { spec, diagnostics } = validateSpec(parsed);
  expect(diagnostics).toEqual([]);
  return { spec: spec as Spec, comment: parsed.comment };
}

/** Format, read back, format again: the data survives and the bytes do not change. */
function expectStable(spec: Spec, comment = ""): string {
  const once = formatSpec(spec, comment);
  const back = reread(once);
  expect(back.spec).toEqual(spec);
  expect(formatSpec(back.spec, back.comment)).toBe(once);
  return once;
}

describe("fmt > formatSpec", () => {
  it("is idempotent on the 28 rows of the training table", async () => {
    const spec = await specFromCorpus();
    expect(spec.permissions).toHaveLength(28);

    const text = expectStable(
      spec,
      " ModelArts training management\n imported from the documentation",
    );
    expect(text.split("\n").slice(0, 4)).toEqual([
      "# yaml-language-server: $schema=./permgen.schema.json",
      "# ModelArts training management",
      "# imported from the documentation",
      "",
    ]);
  });

  it("is idempotent whatever text the cells and the top comment hold", () => {
    const text = fc.string({ unit: "grapheme", minLength: 1, maxLength: 30 });
    const comment = fc.array(
      fc.string({ unit: "grapheme-ascii", maxLength: 20 }).map((s) => s.replace(/[\r\n]/g, "")),
      { maxLength: 3 },
    );

    fc.assert(
      fc.property(
        text,
        text,
        fc.option(text, { nil: undefined }),
        comment,
        (description, caption, intro, lines) => {
          const spec: Spec = {
            service: "modelarts",
            source: {
              page: "p",
              title: caption,
              ...(intro === undefined ? {} : { intro }),
              tables: [{ caption, columns: [caption] }],
            },
            permissions: [
              {
                id: "a",
                description,
                actions: [],
                noAction: description,
                scopes: { iamProject: true, enterpriseProject: false },
              },
            ],
          };
          const once = formatSpec(spec, lines.map((l) => ` ${l.trim()}`).join("\n"));
          const back = reread(once);
          expect(back.spec).toEqual(spec);
          expect(formatSpec(back.spec, back.comment)).toBe(once);
        },
      ),
      { numRuns: 300 },
    );
  });

  const real = join(ROOT, "spec/modelarts-training.yaml");
  it.skipIf(!existsSync(real))(
    "is idempotent on spec/modelarts-training.yaml, which is canonical already",
    async () => {
      const text = await readFile(real, "utf8");
      const { spec, comment } = reread(text);
      expect(expectStable(spec, comment)).toBe(text);
    },
  );
});

describe("fmt > command", () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), "permgen-fmt-"));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  async function fmt(...argv: string[]): Promise<{ code: number; stderr: string[] }> {
    const err: string[] = [];
    const code = await run(["fmt", ...argv], {
      cwd: dir,
      stdout: () => undefined,
      stderr: (t) => err.push(t),
    });
    const stderr = err.join("").split("\n").filter(Boolean);
    expect(stderr.join("\n")).not.toMatch(/^\s+at |Error:/m);
    return { code, stderr };
  }

  /** The good fixture, rewritten in a legal but not canonical style. */
  async function scrambled(): Promise<string> {
    const { spec, comment } = reread(await readFile(GOOD, "utf8"));
    return `# ${comment.trim()}\n${JSON.stringify(reversedKeys(spec), null, 1)}\n`;
  }

  const canonical = async (): Promise<string> => readFile(GOOD, "utf8");
  const files = async (): Promise<string[]> => (await readdir(dir)).sort();

  it("rewrites a file into canonical form, keeping its top comment, then leaves it alone", async () => {
    await writeFile(join(dir, "a.yaml"), await scrambled());

    expect(await fmt("a.yaml")).toEqual({
      code: 0,
      stderr: ["permgen fmt: rewrote a.yaml", "permgen fmt: 0 of 1 canonical, 1 rewritten"],
    });
    expect(await readFile(join(dir, "a.yaml"), "utf8")).toBe(await canonical());

    const before = await stat(join(dir, "a.yaml"));
    expect(await fmt("a.yaml")).toEqual({ code: 0, stderr: ["permgen fmt: 1 of 1 canonical"] });
    expect((await stat(join(dir, "a.yaml"))).mtimeMs).toBe(before.mtimeMs);
    expect(await files()).toEqual(["a.yaml"]);
  });

  it("names a rewritten file on one line, whatever line breaks its name holds", async () => {
    await writeFile(join(dir, "a\nb.yaml"), await scrambled());

    expect(await fmt("a\nb.yaml")).toEqual({
      code: 0,
      stderr: ["permgen fmt: rewrote a b.yaml", "permgen fmt: 0 of 1 canonical, 1 rewritten"],
    });
  });

  it.each([
    [
      "right above the first key",
      "# Owner: training team\n# Source: modelarts_03_0163\nservice: modelarts\n",
    ],
    [
      "with a blank line before the first key",
      "# Owner: training team\n# Source: modelarts_03_0163\n\nservice: modelarts\n",
    ],
    [
      "with an old schema line",
      "# yaml-language-server: $schema=../x.json\n# Owner: training team\n# Source: modelarts_03_0163\nservice: modelarts\n",
    ],
  ])("keeps comment lines at the top %s", async (_, head) => {
    const text = (await canonical()).replace(/^(#.*\n|\n)*service: modelarts\n/, head);
    await writeFile(join(dir, "a.yaml"), text);

    expect((await fmt("a.yaml")).code).toBe(0);
    const lines = (await readFile(join(dir, "a.yaml"), "utf8")).split("\n");
    expect(lines.slice(0, 5)).toEqual([
      "# yaml-language-server: $schema=./permgen.schema.json",
      "# Owner: training team",
      "# Source: modelarts_03_0163",
      "",
      "service: modelarts",
    ]);
    expect((await fmt("--check", "a.yaml")).code).toBe(0);
  });

  it("--check names each file that is not canonical, exits 1 and writes nothing", async () => {
    const stale = await scrambled();
    await writeFile(join(dir, "a.yaml"), stale);
    await writeFile(join(dir, "b.yaml"), await canonical());

    expect(await fmt("--check", "a.yaml", "b.yaml")).toEqual({
      code: 1,
      stderr: [
        'a.yaml:1:1: error: not in canonical form from this line on; run "permgen fmt a.yaml" to rewrite it',
        "permgen fmt: 1 of 2 canonical, 1 to format",
      ],
    });
    expect(await readFile(join(dir, "a.yaml"), "utf8")).toBe(stale);
    expect(await files()).toEqual(["a.yaml", "b.yaml"]);
  });

  it("--check points at the first line that differs and exits 0 when all are canonical", async () => {
    await writeFile(
      join(dir, "a.yaml"),
      (await canonical()).replace(
        "title: Training Job Permissions",
        "title: 'Training Job Permissions'",
      ),
    );
    expect((await fmt("--check", "a.yaml")).stderr[0]).toMatch(
      /^a\.yaml:7:1: error: not in canonical form/,
    );

    await writeFile(join(dir, "a.yaml"), await canonical());
    expect(await fmt("--check", "a.yaml")).toEqual({
      code: 0,
      stderr: ["permgen fmt: 1 of 1 canonical"],
    });
  });

  it("formats every spec/*.yaml when given no files", async () => {
    await mkdir(join(dir, "spec"));
    await writeFile(join(dir, "spec", "a.yaml"), await scrambled());
    await writeFile(join(dir, "spec", "b.yaml"), await canonical());

    expect((await fmt()).stderr).toEqual([
      "permgen fmt: rewrote spec/a.yaml",
      "permgen fmt: 1 of 2 canonical, 1 rewritten",
    ]);
    expect(await readFile(join(dir, "spec", "a.yaml"), "utf8")).toBe(await canonical());
  });

  it("drops a byte order mark and CRLF line ends", async () => {
    await writeFile(join(dir, "a.yaml"), `\uFEFF${(await canonical()).replace(/\n/g, "\r\n")}`);

    expect((await fmt("--check", "a.yaml")).code).toBe(1);
    expect((await fmt("a.yaml")).code).toBe(0);
    expect(await readFile(join(dir, "a.yaml"), "utf8")).toBe(await canonical());
  });

  it.each([
    ["has lint errors", "table-range", 1, "a.yaml:16:12: error: table 2 does not exist"],
    ["is not valid YAML", "yaml-syntax", 2, 'a.yaml:12:1: error: Missing closing "quote'],
    ["is not a spec", "not-a-spec", 2, "a.yaml:1:1: error: the file is not a spec"],
  ])("does not rewrite a file that %s", async (_, fixture, exit, line) => {
    await copyFile(join(ROOT, `test/fixtures/lint/${fixture}.yaml`), join(dir, "a.yaml"));
    const before = await readFile(join(dir, "a.yaml"));

    for (const argv of [["a.yaml"], ["--check", "a.yaml"]]) {
      const { code, stderr } = await fmt(...argv);
      expect(code).toBe(exit);
      expect(stderr[0]?.startsWith(line)).toBe(true);
      expect(stderr.at(-1)).toBe(
        "permgen fmt: 0 of 1 canonical, 1 not formatted because of errors",
      );
    }
    expect(await readFile(join(dir, "a.yaml"))).toEqual(before);
    expect(await files()).toEqual(["a.yaml"]);
  });

  it("does not print lint warnings: they do not stop formatting", async () => {
    await copyFile(join(ROOT, "test/fixtures/lint/missing-action.yaml"), join(dir, "a.yaml"));
    const { code, stderr } = await fmt("a.yaml");
    expect([code, stderr]).toEqual([
      0,
      ["permgen fmt: rewrote a.yaml", "permgen fmt: 0 of 1 canonical, 1 rewritten"],
    ]);
  });
});

/** The same data with every mapping's keys in reverse order. */
function reversedKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(reversedKeys);
  if (value === null || typeof value !== "object") return value;
  return Object.fromEntries(
    Object.entries(value)
      .reverse()
      .map(([k, v]) => [k, reversedKeys(v)]),
  );
}

/** A spec built from the rows of the corpus's training table, the way an import would read them. */
async function specFromCorpus(): Promise<Spec> {
  const text = await readFile(CORPUS, "utf8");
  const rows = text
    .split("\n")
    .filter((line) => /^\s*\|/.test(line))
    .map((line) =>
      line
        .split("|")
        .slice(1, -1)
        .map((cell) => cell.trim()),
    );
  const [header = [], ...body] = rows;

  const permissions = body.map(
    ([description = "", api = "", action = "", iam = "", enterprise = ""], index): Permission => {
      const [method = "GET", path = "/"] = api.split(/\s+/);
      const named = action.includes(":");
      return {
        id: `${description
          .split(/[^A-Za-z]+/)
          .filter(Boolean)
          .map((w, i) => (i === 0 ? w.toLowerCase() : w))
          .join("")}${index}`,
        description,
        method: method as HttpMethod,
        path,
        actions: named ? [action] : [],
        ...(named ? {} : { noAction: action }),
        scopes: { iamProject: iam === "Y", enterpriseProject: enterprise === "Y" },
      };
    },
  );
  return {
    service: "modelarts",
    source: {
      page: "modelarts_03_0163",
      title: "Training Job Permissions",
      tables: [{ caption: "Fine-grained permissions for training management", columns: header }],
    },
    permissions,
  };
}
