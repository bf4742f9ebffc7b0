import { createHash } from "node:crypto";
import { existsSync } from "node:fs";
import { mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import fc from "fast-check";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { run } from "../generator/cli.js";
import { formatDiagnostic, type Diagnostic } from "../generator/diagnostics.js";
import { canonicalSpec } from "../generator/spec/format.js";
import { loadSpecs, MAX_SPEC_BYTES } from "../generator/spec/load.js";
import { lintSpecs } from "../generator/spec/lint.js";
import { parseSpecText } from "../generator/spec/parse.js";
import { validateSpec } from "../generator/spec/schema.js";
import type { Spec } from "../generator/spec/types.js";
import schema from "../spec/permgen.schema.json" with { type: "json" };

const ROOT = fileURLToPath(new URL("..", import.meta.url));
const FIXTURES = "test/fixtures/lint";

/** Runs the CLI in `cwd` and keeps what it printed. */
async function cli(
  argv: string[],
  cwd = ROOT,
): Promise<{ code: number; stderr: string[]; stdout: string }> {
  const err: string[] = [];
  let stdout = "";
  const code = await run(argv, { cwd, stdout: (t) => (stdout += t), stderr: (t) => err.push(t) });
  return { code, stderr: err.join("").split("\n").filter(Boolean), stdout };
}

/** A diagnostic as one comparable string: `line:column severity code: message; hint`. */
function brief(d: Diagnostic): string {
  return `${d.line}:${d.column} ${d.severity} ${d.code}: ${d.message}; ${d.hint}`;
}

async function lintFiles(...files: string[]): Promise<string[]> {
  const { diagnostics } = await loadSpecs(
    files.map((f) => `${FIXTURES}/${f}`),
    ROOT,
  );
  return diagnostics.map((d) => `${d.file.replace(`${FIXTURES}/`, "")} ${brief(d)}`);
}

interface Case {
  fixture: string;
  exit: 0 | 1 | 2;
  want: string[];
}

const F = (name: string, where: string): string => `${FIXTURES}/${name}.yaml:${where}`;

const CASES: Case[] = [
  // What the parser reports, passed through unchanged.
  {
    fixture: "yaml-syntax",
    exit: 2,
    want: ['12:1 error yaml-syntax: Missing closing "quote; fix the YAML syntax at this place'],
  },
  {
    fixture: "duplicate-key",
    exit: 1,
    want: [
      "16:5 error duplicate-key: Map keys must be unique; remove or rename one of the two keys",
    ],
  },
  {
    fixture: "alias",
    exit: 1,
    want: [
      '11:5 error alias: anchor "&row" in a spec; remove the anchor: specs allow no anchors or aliases',
      '15:5 error alias: alias "*row" in a spec; write the value out in full: specs allow no anchors or aliases',
    ],
  },
  {
    fixture: "forbidden-key",
    exit: 1,
    want: [
      '16:5 error forbidden-key: key "__proto__" is not allowed; remove it: no spec field has that name',
    ],
  },
  {
    fixture: "empty",
    exit: 2,
    want: [
      '1:1 error empty: the spec file is empty; start from the output of "permgen import TABLE.rst"',
    ],
  },

  // The schema.
  {
    fixture: "unknown-key",
    exit: 1,
    want: [
      '12:5 error unknown-key: unknown key "methd" in permissions[0]; did you mean "method"? Keys allowed here: id, description, table, method, path, query, note, routes, actions, noAction, relatedActions, noRelatedAction, scopes, access, verbatim, errata',
    ],
  },
  {
    fixture: "wrong-type",
    exit: 1,
    want: [
      '15:52 error wrong-type: permissions[0].scopes.enterpriseProject is a string ("yes"), expected a boolean; write true or false, without quotes',
    ],
  },
  {
    fixture: "missing-field",
    exit: 1,
    want: [
      '10:5 error missing-field: permissions[0] has no "scopes"; add "scopes:" (where a grant of the action takes effect: the table\'s "IAM Project" and "Enterprise Project" columns)',
    ],
  },
  {
    fixture: "bad-enum",
    exit: 1,
    want: [
      '16:13 error bad-enum: permissions[0].access "readonly" is not an allowed value; use one of list, read, tagging, write, permissions',
    ],
  },
  {
    fixture: "method-case",
    exit: 1,
    want: ['12:13 error method-case: permissions[0].method "post" must be upper case; write POST'],
  },
  {
    fixture: "empty-value",
    exit: 1,
    want: [
      "11:18 error empty-value: permissions[0].description is empty; write a value or remove the key if it is optional",
    ],
  },
  {
    fixture: "not-a-spec",
    exit: 2,
    want: [
      '1:1 error not-a-spec: the file is not a spec: its top level is a string, not a mapping; a spec is a mapping with "service", "source" and "permissions"; pass only spec files',
    ],
  },

  // Lint.
  {
    fixture: "service-syntax",
    exit: 1,
    want: [
      '2:10 error service-syntax: service "ModelArts" must be lowercase letters only; write "modelarts"',
    ],
  },
  {
    fixture: "id-syntax",
    exit: 1,
    want: [
      '10:9 error id-syntax: id "create-training-job" is not a camelCase identifier; write it as letters and digits starting with a lowercase letter, such as "createTrainingJob"',
    ],
  },
  {
    fixture: "duplicate-id",
    exit: 1,
    want: [
      `16:9 error duplicate-id: id "createTrainingJob" is already used at ${F("duplicate-id", "10:9")}; ids name routes in one generated table across all specs: rename one of them`,
    ],
  },
  {
    fixture: "table-range",
    exit: 1,
    want: [
      "16:12 error table-range: table 2 does not exist: source.tables has 1; use 1, the table's position in source.tables",
    ],
  },
  {
    fixture: "route-form",
    exit: 1,
    want: [
      '12:5 error route-form: permission "methodOnly" has "method" but no "path"; give "method" and "path" together, or neither',
      '17:5 error route-form: permission "both" has both "routes" and "method"; move "method" into an entry of "routes", or remove "routes"',
    ],
  },
  {
    fixture: "path-syntax",
    exit: 1,
    want: [
      '13:11 error path-syntax: path "v1/{project_id}/training-jobs" does not start with "/"; write it from the root, as "/v1/..."',
      '19:15 error path-syntax: unbalanced braces in segment "{project_id"; close each "{" with "}" before the next "/"',
      '25:34 error path-syntax: parameter name "job-id" is not an identifier; use letters, digits and "_", not starting with a digit',
      '31:28 error path-syntax: path has an empty segment ("//"); remove the extra slash',
      '37:52 error path-syntax: parameter "job_id" appears twice in the path; give each parameter its own name',
      // Quoted: the column counts the opening quote.
      '43:43 error path-syntax: segment "{job_id}versions" mixes a parameter with other text; make the parameter a whole segment, as "/{name}"',
    ],
  },
  {
    fixture: "duplicate-route",
    exit: 1,
    want: [
      `19:11 error duplicate-route: route GET /v1/{project_id}/training-jobs is also the route of permission "listTrainingJobs" at ${F("duplicate-route", "13:11")}; an API belongs to one permission: remove the repeat or merge the two rows`,
    ],
  },
  {
    fixture: "shared-route",
    exit: 0,
    want: [
      `19:11 warning shared-route: route PUT /v1/{project_id}/services/{service_id} is also the route of permission "updateModelService" at ${F("shared-route", "13:11")}; the note tells them apart, but a request matcher sees only method and path and picks the first`,
    ],
  },
  {
    fixture: "ambiguous-route",
    exit: 1,
    want: [
      `19:11 error ambiguous-route: route GET /v1/{project_id}/training-jobs/{training_job_id} matches the same requests as GET /v1/{project_id}/training-jobs/{job_id} of permission "showTrainingJob" at ${F("ambiguous-route", "13:11")}; the two differ only in parameter names: use the same names, or remove one`,
    ],
  },
  {
    fixture: "action-syntax",
    exit: 1,
    want: [
      '14:15 error action-syntax: action "modelarts:create" is not service:resourceType:operation; write three parts separated by ":", such as "modelarts:trainJob:create"',
      '20:31 error action-syntax: action "modelarts:train Job:delete" contains whitespace; remove it: an action is one word',
      '26:15 error action-syntax: action "ModelArts:trainJob:get" has service "ModelArts", which must be lowercase letters only; write "modelarts"',
      '32:15 error action-syntax: action "modelarts::list" has an empty resource type; write the resource type between the colons',
    ],
  },
  {
    fixture: "action-service",
    exit: 1,
    want: [
      '14:15 error action-service: action "obs:bucket:ListBucket" belongs to service "obs", not to this spec\'s service "modelarts"; use a "modelarts:" action here; actions of other services go in "relatedActions"',
    ],
  },
  {
    fixture: "action-wildcard",
    exit: 1,
    want: [
      '14:38 error action-wildcard: action "modelarts:trainJob:list*" contains "*"; wildcards belong in policies: name each action the operation needs',
    ],
  },
  {
    fixture: "policy-set-name",
    exit: 1,
    want: [
      '10:11 error policy-set-name: policy set name "Training_Viewer" is not file-name safe; use lowercase letters, digits and "-", starting with a letter or digit, such as "training-viewer"',
    ],
  },
  {
    fixture: "duplicate-policy-set",
    exit: 1,
    want: [
      `12:11 error duplicate-policy-set: policy set name "viewer" is already used at ${F("duplicate-policy-set", "10:11")}; give each policy set its own name`,
    ],
  },
  {
    fixture: "unknown-selector",
    exit: 1,
    want: [
      '12:33 error unknown-resource-type: policy set "operator" selects resource type "trainJobs", which this spec does not have; did you mean "trainJob"?',
      '13:32 error unknown-permission-id: policy set "operator" selects permission id "deleteTrainingJob", which this spec does not have; name one this spec has (createTrainingJob, listTrainingJobs)',
      '15:17 error unknown-action: policy set "operator" selects action "modelarts:trainJob:delete", which this spec does not have; name one this spec has (modelarts:trainJob:create, modelarts:trainJob:list)',
    ],
  },
  {
    fixture: "empty-selector",
    exit: 1,
    want: [
      '11:12 error empty-selector: policy set "everything" has an empty "allow" selector; name at least one of resourceTypes, access, ids or actions',
      '14:12 error empty-selector: "allow.ids" of policy set "nothing" is an empty list, so it selects nothing; list values, or remove the key',
    ],
  },
  {
    fixture: "control-character",
    exit: 1,
    want: [
      "8:16 error control-character: source.tables[0].caption holds the control character U+000D at character 25; remove it: generated docs and code would show it as nothing or garble a terminal",
      "12:18 error control-character: permissions[0].description holds the control character U+001B at character 12; remove it: generated docs and code would show it as nothing or garble a terminal",
      "18:18 error control-character: permissions[1].description holds the control character U+0000 at character 22; remove it: generated docs and code would show it as nothing or garble a terminal",
    ],
  },

  // Warnings: reported, exit 0.
  {
    fixture: "description-verb",
    exit: 0,
    want: [
      '11:18 warning description-verb: description "Deleting a Training Job" starts with "Deleting", which does not fit GET /v1/{project_id}/training-jobs/{job_id}; check the method against the table, or reword the description',
      '17:18 warning description-verb: description "Querying a Training Job" starts with "Querying", which does not fit PUT /v1/{project_id}/training-jobs/{job_id}; check the method against the table, or reword the description',
    ],
  },
  {
    fixture: "mixed-access",
    exit: 0,
    want: [
      `20:15 warning mixed-access: action "modelarts:trainJob:logs" is write on POST /v1/{project_id}/logs/export but read on GET /v1/{project_id}/logs (permission "showLogs" at ${F("mixed-access", "14:15")}); policies use the highest level; set "access:" on the permissions if that is wrong, or check the table`,
    ],
  },
  {
    fixture: "missing-action",
    exit: 0,
    want: [
      '14:5 warning missing-action: permission "queryResourceSpecs" has an API but no actions and no "noAction"; list the actions it needs, or set "noAction" to the table\'s placeholder (such as "-") if it needs none',
    ],
  },
  {
    fixture: "verbatim-cell",
    exit: 0,
    want: [
      '17:7 warning verbatim-cell: the importer could not read the relatedAction cell of permission "createTrainingJob": "obs:bucket:ListBucket (for the output path)"; write its meaning into "relatedActions", then remove "verbatim.relatedAction"',
    ],
  },
];

describe("lint > fixtures", () => {
  it.each(CASES)("$fixture", async ({ fixture, exit, want }) => {
    const file = `${FIXTURES}/${fixture}.yaml`;
    const { diagnostics } = await loadSpecs([file], ROOT);
    expect(diagnostics.map(brief)).toEqual(want);

    const { code, stderr } = await cli(["lint", file]);
    expect(code).toBe(exit);
    expect(stderr.slice(0, -1)).toEqual(
      diagnostics.map(
        (d) => `${file}:${d.line}:${d.column}: ${d.severity}: ${d.message}; ${d.hint}`,
      ),
    );
    expect(stderr.at(-1)).toMatch(/^permgen lint: 1 file, /);
    expect(stderr.join("\n")).not.toMatch(/^\s+at |Error:/m);
  });

  it("has a fixture for every check, and every fixture is in the table", async () => {
    const { readdir } = await import("node:fs/promises");
    const names = (await readdir(join(ROOT, FIXTURES))).map((n) => n.replace(/\.yaml$/, ""));
    const tested = new Set([...CASES.map((c) => c.fixture), "good", "cross-file-id"]);
    expect(names.filter((n) => !tested.has(n))).toEqual([]);
  });

  it("passes a good spec that uses every feature", async () => {
    expect(await lintFiles("good.yaml")).toEqual([]);
    const { code, stderr } = await cli(["lint", `${FIXTURES}/good.yaml`]);
    expect([code, stderr]).toEqual([0, ["permgen lint: 1 file, no problems"]]);
  });

  it("finds an id used in two files, though each file alone is fine", async () => {
    expect(await lintFiles("cross-file-id.yaml")).toEqual([]);
    expect(await lintFiles("good.yaml", "cross-file-id.yaml")).toEqual([
      `cross-file-id.yaml 10:9 error duplicate-id: id "listTrainingJobs" is already used at ${F("good", "53:9")}; ids name routes in one generated table across all specs: rename one of them`,
    ]);
  });

  it("reports every file it was given, errors and warnings together, and exits with the worst code", async () => {
    const { code, stderr } = await cli([
      "lint",
      `${FIXTURES}/missing-action.yaml`,
      `${FIXTURES}/table-range.yaml`,
      `${FIXTURES}/empty.yaml`,
    ]);
    expect(code).toBe(2);
    expect(stderr.map((line) => /^\S+:\d+:\d+: (\w+): /.exec(line)?.[1])).toEqual([
      "error",
      "warning",
      "error",
      undefined,
    ]);
    expect(stderr.at(-1)).toBe("permgen lint: 3 files, 2 errors, 1 warning");
  });
});

describe("lint > files", () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), "permgen-lint-"));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  const good = (): Promise<Buffer> => readFile(join(ROOT, FIXTURES, "good.yaml"));

  async function lintIn(...argv: string[]): Promise<{ code: number; stderr: string[] }> {
    return cli(["lint", ...argv], dir);
  }

  it("reads spec/ by default, every *.yaml in it sorted by name, and nothing else", async () => {
    await mkdir(join(dir, "spec"));
    const bytes = await good();
    await writeFile(join(dir, "spec", "b.yaml"), bytes);
    await writeFile(join(dir, "spec", "a.yml"), "not: [a spec");
    await writeFile(join(dir, "spec", "notes.txt"), "notes");

    const { code, stderr } = await lintIn();
    expect([code, stderr]).toEqual([0, ["permgen lint: 1 file, no problems"]]);

    const { specs } = await loadSpecs(["spec", "spec/b.yaml"], dir);
    expect(specs.map((s) => [s.file, s.name, s.hash])).toEqual([
      ["spec/b.yaml", "b", createHash("sha256").update(bytes).digest("hex")],
    ]);
  });

  it.each([
    [
      "a missing file",
      "gone.yaml",
      async () => undefined,
      "gone.yaml:1:1: error: no such file; check the path; it is read relative to the current directory",
    ],
    [
      "a directory without specs",
      "empty",
      async (d: string) => mkdir(join(d, "empty")),
      'empty:1:1: error: the directory holds no *.yaml spec files; create one with "permgen import TABLE.rst", or pass the right directory',
    ],
    [
      "a binary file",
      "bin.yaml",
      async (d: string) =>
        writeFile(join(d, "bin.yaml"), Buffer.from("service: x\nab\u0000cd\n", "latin1")),
      "bin.yaml:2:3: error: the file holds a NUL byte, so it is binary, not a YAML spec; pass a spec file (.yaml); was a binary file named by mistake?",
    ],
    [
      "a file that is not UTF-8",
      "latin1.yaml",
      async (d: string) =>
        writeFile(
          join(d, "latin1.yaml"),
          Buffer.from("service: x\ndescription: caf\u00e9\n", "latin1"),
        ),
      "latin1.yaml:2:17: error: the file is not valid UTF-8; save it as UTF-8",
    ],
    [
      "a file over the size limit",
      "big.yaml",
      async (d: string) => writeFile(join(d, "big.yaml"), Buffer.alloc(MAX_SPEC_BYTES + 1, 0x20)),
      "big.yaml:1:1: error: the file is 10.0 MiB, more than the 10 MiB a spec may have; check that this is a spec file; split a larger page into several specs",
    ],
  ])("refuses %s with exit 2 and one line", async (_, path, make, line) => {
    await make(dir);
    const { code, stderr } = await lintIn(path);
    expect(code).toBe(2);
    expect(stderr[0]).toBe(line);
    expect(stderr).toHaveLength(2);
  });

  it("strips a byte order mark and keeps positions as an editor shows them", async () => {
    const text = (await good())
      .toString("utf8")
      .replace("  - id: listTrainingJobs", "  - id: list-training-jobs");
    await writeFile(join(dir, "bom.yaml"), `\uFEFF${text}`);

    const { code, stderr } = await lintIn("bom.yaml");
    expect(code).toBe(1);
    expect(stderr[0]).toMatch(
      /^bom\.yaml:53:9: error: id "list-training-jobs" is not a camelCase identifier;/,
    );
  });
});

describe("lint > damaged specs", () => {
  const pieces = [
    "",
    " ",
    ":",
    "- ",
    "{",
    "}",
    "[",
    '"',
    "*",
    "/",
    "&a ",
    "__proto__: 1",
    "\t",
    "#",
  ];

  it("never throws, and every problem is one line at a real position", async () => {
    const lines = (await readFile(join(ROOT, FIXTURES, "good.yaml"), "utf8")).split("\n");
    const edit = fc.record({
      line: fc.nat({ max: lines.length - 1 }),
      at: fc.nat({ max: 40 }),
      cut: fc.nat({ max: 6 }),
      piece: fc.constantFrom(...pieces),
    });

    fc.assert(
      fc.property(fc.array(edit, { minLength: 1, maxLength: 4 }), (edits) => {
        const damaged = [...lines];
        for (const { line, at, cut, piece } of edits) {
          const text = damaged[line] ?? "";
          damaged[line] = text.slice(0, at) + piece + text.slice(at + cut);
        }

        const parsed = parseSpecText(damaged.join("\n"), "d.yaml");
        const { spec, diagnostics } = validateSpec(parsed);
        const all = [...diagnostics, ...(spec ? lintSpecs([{ parsed, spec }]) : [])];
        for (const d of all) {
          expect(d.line).toBeGreaterThanOrEqual(1);
          expect(d.column).toBeGreaterThanOrEqual(1);
          expect(formatDiagnostic(d)).toMatch(/^d\.yaml:\d+:\d+: (error|warning): [^\n]+; [^\n]+$/);
          expect(formatDiagnostic(d)).not.toMatch(/undefined|\[object Object\]|NaN/);
        }
      }),
      { numRuns: 150 },
    );
  });
});

describe("lint > schema", () => {
  type Node = Record<string, unknown>;
  const defs = (schema as unknown as { $defs: Record<string, Node> }).$defs;
  const resolve = (node: Node): Node =>
    typeof node.$ref === "string" ? { ...defs[node.$ref.replace("#/$defs/", "")], ...node } : node;
  const objects = [schema as unknown as Node, ...Object.values(defs)].filter((n) => n.properties);

  it("describes every property and allows no unknown keys in any mapping", () => {
    for (const node of objects) {
      expect(node.additionalProperties).toBe(false);
      for (const [name, property] of Object.entries(node.properties as Record<string, Node>)) {
        expect(resolve(property).description, name).toEqual(expect.any(String));
      }
    }
  });

  it("names exactly the keys the canonical writer writes", () => {
    const spec = fullSpec();
    const keys = (object: unknown): string[] => Object.keys(object as object);
    const canonical = canonicalSpec(spec) as Record<string, Node[] & Node>;
    const permission = (canonical.permissions as Node[])[0];
    const policySet = (canonical.policySets as Node[])[0];
    const props = (name: string): string[] => keys(defs[name]?.properties);

    expect(keys(canonical).sort()).toEqual(keys((schema as unknown as Node).properties).sort());
    expect(keys(permission).sort()).toEqual(props("permission").sort());
    expect(keys(policySet).sort()).toEqual(props("policySet").sort());
    expect(keys(policySet?.allow).sort()).toEqual(props("selector").sort());
    expect(keys(permission?.verbatim).sort()).toEqual(props("verbatim").sort());
  });
});

describe("lint > the real spec", () => {
  const file = "spec/modelarts-training.yaml";
  it.skipIf(!existsSync(join(ROOT, file)))(
    "has no errors in spec/modelarts-training.yaml",
    async () => {
      const { diagnostics, specs } = await loadSpecs([file], ROOT);
      expect(diagnostics.filter((d) => d.severity === "error").map(brief)).toEqual([]);
      expect(specs[0]?.spec.permissions.length).toBe(28);
    },
  );
});

/** A spec with every optional key set, so no key of the format goes unchecked. */
function fullSpec(): Spec {
  return {
    service: "modelarts",
    source: {
      page: "p",
      title: "t",
      intro: "i",
      tables: [{ caption: "c", columns: ["Permission"] }],
    },
    policySets: [
      {
        name: "n",
        description: "d",
        enterpriseProject: true,
        allow: { resourceTypes: ["r"], access: ["read"], ids: ["a"], actions: ["modelarts:r:get"] },
        deny: { ids: ["a"] },
      },
    ],
    permissions: [
      {
        id: "a",
        description: "d",
        table: 1,
        method: "GET",
        path: "/a",
        query: ["q"],
        note: "n",
        routes: [{ method: "GET", path: "/a" }],
        actions: ["modelarts:r:get"],
        noAction: "-",
        relatedActions: ["obs:b:c"],
        noRelatedAction: "-",
        scopes: { iamProject: true, enterpriseProject: true },
        access: "read",
        verbatim: {
          api: "a",
          action: "a",
          relatedAction: "a",
          iamProject: "a",
          enterpriseProject: "a",
        },
        errata: [{ field: "path", source: "s", spec: "s", reason: "r" }],
      },
    ],
  };
}
