/**
 * permgen runs in other teams' builds on inputs it has never seen. For every input in the hostile
 * corpus (`test/fixtures/hostile/`) and every command that reads it: the exit code follows the
 * convention (2 unusable input or command line, 1 problems found), stderr holds only one-line
 * diagnostics or permgen's own lines, nothing looks like a crash, and no file anywhere in the
 * project changes. A last part checks that no spec string can name a file outside the output.
 */
import { mkdir, readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parse } from "yaml";
import { assertSafePaths } from "../generator/output/render.js";
import { readTree } from "../generator/output/write.js";
import { parseSpecText } from "../generator/spec/parse.js";
import { validateSpec } from "../generator/spec/schema.js";
import {
  badLine,
  DIAGNOSTIC,
  HOSTILE,
  makeProject,
  removeProject,
  ROOT,
  runCli,
  snapshotBytes,
  usageLine,
  type CliResult,
} from "./helpers/hostile-project.js";

type Exit = 0 | 1 | 2;

interface SpecCase {
  fixture: string;
  /** Exit of `lint` and `fmt`: 2 when the file cannot be read as a spec, 1 for lint errors. */
  lint: Exit;
  /** Exit of `diff REAL FIXTURE`: 2 when unreadable, 1 when it reads (everything else breaks). */
  diff: Exit;
  /** What the diagnostic about the fixture says. */
  says: RegExp;
}

const YAML_SYNTAX = /fix the YAML syntax at this place/;

const SPEC_CASES: SpecCase[] = [
  { fixture: "spec-invalid-yaml.yaml", lint: 2, diff: 2, says: YAML_SYNTAX },
  { fixture: "spec-bad-indent.yaml", lint: 2, diff: 2, says: /Tabs are not allowed/ },
  { fixture: "spec-wrong-types.yaml", lint: 1, diff: 2, says: /service is an integer/ },
  { fixture: "spec-wrong-nested-types.yaml", lint: 1, diff: 2, says: /\.id is an integer/ },
  { fixture: "spec-duplicate-keys.yaml", lint: 1, diff: 2, says: /rename one of the two keys/ },
  { fixture: "spec-billion-laughs.yaml", lint: 1, diff: 2, says: /alias "\*a" in a spec/ },
  { fixture: "spec-merge-key.yaml", lint: 1, diff: 2, says: /alias "\*row" in a spec/ },
  { fixture: "spec-proto-key.yaml", lint: 1, diff: 2, says: /key "__proto__" is not allowed/ },
  { fixture: "spec-constructor-key.yaml", lint: 1, diff: 2, says: /key "prototype" is not/ },
  { fixture: "spec-custom-tag.yaml", lint: 1, diff: 2, says: /custom tag ".*js\/function"/ },
  { fixture: "spec-multi-document.yaml", lint: 2, diff: 2, says: /more than one YAML document/ },
  { fixture: "spec-top-level-list.yaml", lint: 2, diff: 2, says: /top level is a list/ },
  { fixture: "spec-top-level-scalar.yaml", lint: 2, diff: 2, says: /top level is a string/ },
  { fixture: "spec-empty.yaml", lint: 2, diff: 2, says: /the spec file is empty/ },
  { fixture: "spec-comments-only.yaml", lint: 2, diff: 2, says: /the spec file is empty/ },
  { fixture: "spec-complex-key.yaml", lint: 1, diff: 2, says: /a key that is not a string/ },
  { fixture: "spec-deep-nesting.yaml", lint: 2, diff: 2, says: /nests too deeply/ },
  { fixture: "spec-unknown-fields.yaml", lint: 1, diff: 2, says: /unknown key "shell"/ },
  { fixture: "spec-lone-surrogate.yaml", lint: 1, diff: 2, says: /surrogate without its pair/ },
  { fixture: "spec-proto-param.yaml", lint: 1, diff: 2, says: /"__proto__" cannot be a key/ },
  { fixture: "spec-nul-bytes.yaml", lint: 2, diff: 2, says: /NUL byte/ },
  { fixture: "spec-latin1.yaml", lint: 2, diff: 2, says: /not valid UTF-8/ },
  { fixture: "spec-utf16.yaml", lint: 2, diff: 2, says: /UTF-16, not UTF-8; save it as UTF-8/ },
  { fixture: "spec-huge.yaml", lint: 2, diff: 2, says: /more than the 10 MiB a spec may have/ },
  // Lint errors in a file that parses: diff still compares it, and finds everything broken.
  { fixture: "spec-hostile-ids.yaml", lint: 1, diff: 1, says: /is not a camelCase identifier/ },
  { fixture: "spec-path-traversal.yaml", lint: 1, diff: 1, says: /"\.\.\/\.\.\/escaped" is not/ },
  { fixture: "spec-resource-type-traversal.yaml", lint: 1, diff: 1, says: /contains "\."/ },
  { fixture: "spec-nul-escape.yaml", lint: 1, diff: 1, says: /control character U\+0000/ },
  { fixture: "spec-control-chars.yaml", lint: 1, diff: 1, says: /control character U\+0007/ },
];

interface Case {
  name: string;
  argv: string[];
  exit: Exit;
  /** The form of stderr: positioned diagnostics, or the one usage or unknown-command line. */
  stderr: "diagnostic" | "usage" | "unknown-command" | "summary";
  /** The file the diagnostics must name, as the user gave it. */
  file?: string;
  says?: RegExp;
}

const REQUEST = ["GET", "/v1/p1/training-jobs"];
const GOOD_POLICY = "good-policy.json";

function specCases(): Case[] {
  return SPEC_CASES.flatMap(({ fixture, lint, diff, says }): Case[] => {
    const file = `hostile/${fixture}`;
    const of = (command: string, argv: string[], exit: Exit): Case => ({
      name: `${command} ${fixture}`,
      argv,
      exit,
      stderr: "diagnostic",
      file,
      says,
    });
    const diffCase: Case =
      diff === 2
        ? of("diff", ["diff", "spec/modelarts-training.yaml", file], 2)
        : {
            name: `diff ${fixture}`,
            argv: ["diff", "spec/modelarts-training.yaml", file],
            exit: 1,
            stderr: "summary",
          };
    return [
      of("lint", ["lint", file], lint),
      of("fmt", ["fmt", file], lint),
      of("generate", ["generate", "--spec", file], 2),
      of("check", ["check", "--spec", file], 2),
      of("explain", ["explain", "--policy", GOOD_POLICY, "--spec", file, ...REQUEST], 2),
      diffCase,
    ];
  });
}

const IMPORT_CASES: Array<{ fixture: string; exit: Exit; says: RegExp }> = [
  { fixture: "import-no-table.rst", exit: 2, says: /no grid table found/ },
  { fixture: "import-empty.rst", exit: 2, says: /no grid table found/ },
  { fixture: "import-no-header.rst", exit: 2, says: /both a Permission and an Action column/ },
  { fixture: "import-unclosed-table.rst", exit: 2, says: /does not end with a border line/ },
  { fixture: "import-binary.rst", exit: 2, says: /NUL byte/ },
  { fixture: "import-latin1.rst", exit: 2, says: /byte 0xe9 is not valid UTF-8/ },
  { fixture: "import-utf16.rst", exit: 2, says: /:1:1: error: the file is UTF-16, not UTF-8;/ },
  { fixture: "import-huge.rst", exit: 2, says: /:1:1: error: .* 10 MiB an import reads; / },
  // Readable despite their defects: a spec on stdout, each defect a warning.
  { fixture: "import-ragged-border.rst", exit: 0, says: /right border is ragged/ },
  { fixture: "import-hostile-cells.rst", exit: 0, says: /cannot be read as actions/ },
];

const POLICY_CASES: Array<{ fixture: string; says: RegExp }> = [
  { fixture: "policy-not-json.json", says: /not valid JSON: unexpected "V"/ },
  { fixture: "policy-trailing-garbage.json", says: /after the end of the JSON value/ },
  { fixture: "policy-array.json", says: /must be a JSON object/ },
  { fixture: "policy-wrong-shape.json", says: /Statement must be an array/ },
  { fixture: "policy-proto-key.json", says: /unknown key "__proto__"/ },
  { fixture: "policy-duplicate-key.json", says: /a key appears twice/ },
  { fixture: "policy-empty.json", says: /the policy file is empty/ },
  { fixture: "policy-deep-nesting.json", says: /a statement must be an object/ },
  { fixture: "policy-latin1.json", says: /not valid UTF-8/ },
  { fixture: "policy-huge.json", says: /over 1 MiB/ },
];

interface ArgvCase {
  argv: string[];
  stderr: "usage" | "unknown-command" | "diagnostic" | "summary";
  file?: string;
}

async function argvCases(): Promise<Case[]> {
  const list = parse(await readFile(join(ROOT, HOSTILE, "argv.yaml"), "utf8")) as ArgvCase[];
  return list.map((c) => ({ name: `permgen ${c.argv.join(" ")}`, exit: 2, ...c }));
}

const CASES: Case[] = [
  ...specCases(),
  ...IMPORT_CASES.map(({ fixture, exit, says }): Case => {
    const file = `hostile/${fixture}`;
    return {
      name: `import ${fixture}`,
      argv: ["import", file],
      exit,
      stderr: "diagnostic",
      file,
      says,
    };
  }),
  ...POLICY_CASES.map(({ fixture, says }): Case => {
    const file = `hostile/${fixture}`;
    const argv = ["explain", "--policy", file, ...REQUEST];
    return { name: `explain ${fixture}`, argv, exit: 2, stderr: "diagnostic", file, says };
  }),
  ...(await argvCases()),
];

let project: string;
/** The project's files and its generated/ as they were set up; every case must leave them so. */
let pristine: Map<string, string>;
let generated: Map<string, string>;

async function setUp(): Promise<void> {
  project = await makeProject({ hostile: true });
  await writeFile(join(project, "hostile/spec-huge.yaml"), hugeSpec(11 * 1024 * 1024));
  await writeFile(join(project, "hostile/import-huge.rst"), Buffer.alloc(11 * 1024 * 1024, 0x20));
  await writeFile(join(project, "hostile/policy-huge.json"), hugePolicy(1024 * 1024 + 1));
  const policy = await readFile(join(ROOT, "test/fixtures/policies/read-only.json"));
  await writeFile(join(project, GOOD_POLICY), policy);
  await mkdir(join(project, "empty-dir"));
  await writeFile(join(project, "empty-dir/README.txt"), "a directory with no spec in it\n");
  pristine = await snapshotBytes(project);
  generated = await readTree(join(project, "generated"));
}

beforeAll(setUp);

afterAll(async () => {
  await removeProject(project);
});

describe("the hostile corpus", () => {
  it("has at least 40 inputs, binary ones byte for byte as intended", async () => {
    const names = CASES.flatMap((c) => (c.file?.startsWith("hostile/") ? [c.file] : []));
    const listed = (parse(await readFile(join(ROOT, HOSTILE, "argv.yaml"), "utf8")) as unknown[])
      .length;

    expect(new Set(names).size + listed).toBeGreaterThanOrEqual(40);
    const nul = await readFile(join(ROOT, HOSTILE, "spec-nul-bytes.yaml"));
    const latin1 = await readFile(join(ROOT, HOSTILE, "spec-latin1.yaml"));
    expect(nul.includes(0)).toBe(true);
    expect([...latin1.subarray(0, 2)]).toEqual([0xff, 0xfe]);
  });
});

describe.each(CASES)("$name", (c) => {
  it(`exits ${c.exit}, prints only one-line problems and changes no file`, async () => {
    const result = await runCli(c.argv, project);
    const after = await snapshotBytes(project);
    const changed = !equalMaps(after, pristine);
    // A case that damaged the project must not make the cases after it fail too.
    if (changed) await removeProject(project).then(setUp);

    expect(result.code, result.stderr.join("\n")).toBe(c.exit);
    expectOnlyCleanLines(result);
    expectStderrForm(result, c);
    expect(changed ? "the project changed" : "unchanged").toBe("unchanged");
    expect(await readTree(join(project, "generated"))).toEqual(generated);
  });
});

describe("a file of someone else's in the output", () => {
  it("is named on one line, whatever line breaks its name holds", async () => {
    const dir = await makeProject();
    try {
      await writeFile(join(dir, "generated/a\nb.txt"), "notes\n");
      const result = await runCli(["generate"], dir);

      expect(result.code, result.stderr.join("\n")).toBe(0);
      expect(result.stderr[0]).toBe(
        "permgen generate: generated/a b.txt was not written by permgen; kept it, delete it if it is not needed",
      );
    } finally {
      await removeProject(dir);
    }
  });
});

describe("import of a hostile page", () => {
  it("writes a spec that keeps each cell's text exactly, quotes and all", async () => {
    const result = await runCli(["import", "hostile/import-hostile-cells.rst"], project);
    const parsed = parseSpecText(result.stdout, "stdout.yaml");
    const { spec } = validateSpec(parsed);

    expect(parsed.diagnostics).toEqual([]);
    expect(spec?.permissions.map((p) => p.description)).toEqual([
      "Creating */ `${x}` {{y}}",
      "<script>alert(1)</script>",
    ]);
  });
});

describe("output paths", () => {
  it("refuses any emitted path that leaves the output directory or names a file twice", () => {
    const escapes = [
      "../x.json",
      "/etc/passwd",
      "a/../../b",
      "policies/..",
      "C:\\x",
      "a\u0000b",
      "",
    ];
    for (const path of escapes) {
      expect(() => assertSafePaths([{ path, kind: "json", content: "{}" }]), path).toThrow();
    }
    const twice = ["docs/A.md", "docs/a.md"].map((path) => ({
      path,
      kind: "md" as const,
      content: "",
    }));
    expect(() => assertSafePaths(twice)).toThrow(/two generated files/);
  });

  // Spec file names become policy and page names; these must not reach outside generated/.
  const NAMES = ["...yaml", "a b.yaml", "x\\y.yaml", "README.yaml", "é.yaml"];

  it.each(NAMES)("writes only inside generated/ for a spec named %j", async (name) => {
    const dir = await makeProject();
    try {
      await mkdir(join(dir, "odd"));
      await writeFile(
        join(dir, "odd", name),
        await readFile(join(ROOT, "spec/modelarts-training.yaml")),
      );
      const before = await snapshotBytes(dir);

      const result = await runCli(["generate", "--spec", "odd", "--out", "out"], dir);

      expectOnlyCleanLines(result);
      expect([0, 2]).toContain(result.code);
      const after = await snapshotBytes(dir);
      const outside = [...after].filter(([path]) => !path.startsWith("out/"));
      expect(new Map(outside)).toEqual(before);
      for (const path of (await readTree(join(dir, "out"))).keys()) {
        expect(path).toMatch(/^(?:[A-Za-z0-9_][A-Za-z0-9._-]*\/)*[A-Za-z0-9_][A-Za-z0-9._-]*$/);
      }
      if (result.code === 2) expect(result.stderr.some((l) => DIAGNOSTIC.test(l))).toBe(true);
    } finally {
      await removeProject(dir);
    }
  });
});

describe("a spec file named with a line break", () => {
  it("is named on one line, so no line of a CI log can start with text from the name", async () => {
    const dir = await makeProject();
    try {
      await mkdir(join(dir, "odd"));
      const name = "a\n::error title=injected::x.yaml";
      await writeFile(
        join(dir, "odd", name),
        await readFile(join(ROOT, HOSTILE, "spec-hostile-ids.yaml")),
      );

      const result = await runCli(["lint", "odd"], dir);

      expect(result.code).toBe(1);
      expect(result.stderr.filter((line) => line.startsWith("::"))).toEqual([]);
      expectOnlyCleanLines(result);
    } finally {
      await removeProject(dir);
    }
  });
});

function equalMaps(a: ReadonlyMap<string, string>, b: ReadonlyMap<string, string>): boolean {
  return a.size === b.size && [...a].every(([key, value]) => b.get(key) === value);
}

function expectOnlyCleanLines(result: CliResult): void {
  const bad = result.stderr.flatMap((line) => badLine(line) ?? []);
  expect(bad).toEqual([]);
  expect(result.stdout).not.toMatch(/^\s+at |internal error/m);
}

function expectStderrForm(result: CliResult, c: Case): void {
  if (c.stderr === "usage") {
    expect(result.stderr).toHaveLength(1);
    expect(result.stderr[0]).toMatch(usageLine(c.argv[0] ?? ""));
    return;
  }
  if (c.stderr === "unknown-command") {
    expect(result.stderr).toHaveLength(1);
    expect(result.stderr[0]).toMatch(/^permgen: unknown command .*; run "permgen --help"/);
    return;
  }
  if (c.stderr === "summary") {
    expect(result.stderr.at(-1)).toMatch(/^permgen [a-z]+: /);
    return;
  }

  const about = result.stderr.flatMap((line) => {
    const match = DIAGNOSTIC.exec(line);
    return match && (c.file === undefined || match[1] === c.file) ? [line] : [];
  });
  expect(
    about.length,
    `no diagnostic names ${c.file}:\n${result.stderr.join("\n")}`,
  ).toBeGreaterThan(0);
  if (c.says)
    expect(
      about.some((line) => c.says?.test(line)),
      about.join("\n"),
    ).toBe(true);
}

/** A spec padded with comments past the size limit: the text is fine, only the size is not. */
function hugeSpec(bytes: number): string {
  const line = `# ${"padding ".repeat(12)}\n`;
  return `${line.repeat(Math.ceil(bytes / line.length))}service: modelarts\n`;
}

/** A well-formed policy that is simply too large to be one. */
function hugePolicy(bytes: number): string {
  const action = '"modelarts:trainJob:get",';
  const actions = action.repeat(Math.ceil(bytes / action.length));
  const statement = `{"Effect": "Allow", "Action": [${actions}"modelarts:trainJob:list"]}`;
  return `{"Version": "1.1", "Statement": [${statement}]}`;
}
