import { mkdtemp, readdir, readFile, rm, writeFile } from "node:fs/promises";
import { readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { run } from "../generator/cli.js";
import { importPage } from "../generator/import/importer.js";
import { formatSpec } from "../generator/spec/format.js";
import { parseSpecText } from "../generator/spec/parse.js";
import type { Spec } from "../generator/spec/types.js";

const MAIN = fileURLToPath(new URL("..", import.meta.url));
const TRAINING = "../shared/corpus/modelarts/training_job_permissions.rst";
const SERVICE_2022 = "../shared/corpus/modelarts/service_management_permissions.2022-05-19.rst";
const SERVICE_2024 = "../shared/corpus/modelarts/service_management_permissions.2024-06-17.rst";

let dir: string;

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), "permgen-import-"));
});

afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** Runs the CLI from the project directory with captured streams. */
async function cli(...argv: string[]): Promise<{ code: number; stdout: string; stderr: string[] }> {
  let stdout = "";
  let stderr = "";
  const code = await run(argv, {
    cwd: MAIN,
    stdout: (t) => (stdout += t),
    stderr: (t) => (stderr += t),
  });
  return { code, stdout, stderr: stderr.split("\n").filter((line) => line !== "") };
}

function importedSpec(file: string): Spec {
  return importPage(readFileSync(join(MAIN, file), "utf8"), file).spec;
}

async function readSpec(path: string): Promise<{ spec: Spec; comment: string }> {
  const parsed = parseSpecText(await readFile(path, "utf8"), path);
  return { spec: parsed.data as Spec, comment: parsed.comment };
}

describe("import > command line", () => {
  it("writes the spec to stdout and the source's defects to stderr, exit 0", async () => {
    const { code, stdout, stderr } = await cli("import", TRAINING);

    expect(code).toBe(0);
    expect(stdout).toMatch(
      /^# yaml-language-server: \$schema=\.\/permgen\.schema\.json\n# Imported from \.\.\/shared\/corpus/,
    );
    expect(parseSpecText(stdout, "out.yaml").data).toMatchObject({
      service: "modelarts",
      source: { page: "modelarts_03_0163" },
    });
    expect(stderr).toHaveLength(3);
    expect(stderr[0]).toMatch(
      /^\.\.\/shared\/corpus\/modelarts\/training_job_permissions\.rst:21:79: warning: path .*versions.*; recorded as an erratum/,
    );
    expect(stderr[1]).toMatch(/:23:\d+: warning: path /);
    expect(stderr[2]).toMatch(/:49:\d+: warning: path /);
  });

  it("--out writes the same text atomically, leaving no temporary file", async () => {
    const out = join(dir, "training.yaml");
    const toStdout = await cli("import", TRAINING, "--out", out);
    const written = await readFile(out, "utf8");

    expect(toStdout.code).toBe(0);
    expect(toStdout.stdout).toBe("");
    expect(written).toContain("id: deleteTrainingJobConfiguration");
    expect(await readdir(dir)).toEqual(["training.yaml"]);
  });

  it.each([
    ["a missing file", ["missing.rst"], /^missing\.rst:1:1: error: no such file; /],
    ["a directory", ["test"], /^test:1:1: error: not a regular file; /],
    [
      "a ragged table",
      ["test/fixtures/import/ragged-broken.rst"],
      /^test\/fixtures\/import\/ragged-broken\.rst:13:4: error: /,
    ],
    [
      "a page without a table",
      ["test/fixtures/import/list-table.rst"],
      /^test\/fixtures\/import\/list-table\.rst:6:1: error: no grid table/,
    ],
    [
      "an --out directory that does not exist",
      [TRAINING, "--out", "no/such/dir/x.yaml"],
      /^no\/such\/dir\/x\.yaml:1:1: error: the directory of --out does not exist; /,
    ],
  ])("%s: exit 2, one error line, nothing written", async (_, args, line) => {
    const { code, stdout, stderr } = await cli(
      "import",
      ...args,
      ...(args.includes("--out") ? [] : ["--out", join(dir, "x.yaml")]),
    );

    expect(code).toBe(2);
    expect(stdout).toBe("");
    expect(stderr).toHaveLength(1);
    expect(stderr[0]).toMatch(line);
    expect(await readdir(dir)).toEqual([]);
  });

  it("a binary file: exit 2 and an existing --out file is left as it was", async () => {
    const binary = join(dir, "page.rst");
    const out = join(dir, "spec.yaml");
    await writeFile(binary, Buffer.from([0x2b, 0x2d, 0x0a, 0x00, 0x01]));
    await writeFile(out, "unchanged\n");

    const { code, stderr } = await cli("import", binary, "--out", out);

    expect(code).toBe(2);
    expect(stderr).toEqual([
      `${binary}:2:1: error: the file holds a NUL byte, so it is binary, not a page; give the .rst source of the page`,
    ]);
    expect(await readFile(out, "utf8")).toBe("unchanged\n");
  });

  it.each([
    [[], /^permgen import: give the table page to import; run "permgen import --help" for usage$/],
    [["a.rst", "b.rst"], /^permgen import: one table page at a time, got 2; /],
    [["a.rst", "--bogus"], /^permgen import: Unknown option '--bogus'/],
  ])("usage error %j: exit 2", async (args, line) => {
    const { code, stderr } = await cli("import", ...args);

    expect(code).toBe(2);
    expect(stderr[0]).toMatch(line);
  });

  it("--help prints the usage, exit 0", async () => {
    const { code, stdout } = await cli("import", "--help");

    expect(code).toBe(0);
    expect(stdout).toMatch(
      /^Usage: permgen import <table\.rst> \[--out FILE\] \[--spec EXISTING\.yaml\]/,
    );
  });
});

describe("import > --spec keeps what the existing spec decided", () => {
  it("2022 -> 2024: renamed ids kept, descriptions updated, every change reported", async () => {
    const old = importedSpec(SERVICE_2022);
    old.permissions.forEach((p, index) => (p.id = `serviceOp${index + 1}`));
    old.policySets = [{ name: "service-readers", allow: { access: ["read"] } }];
    old.permissions[6]!.access = "list";
    const existing = join(dir, "service.yaml");
    await writeFile(existing, formatSpec(old, " Service management, kept by hand."));

    const { code, stderr } = await cli(
      "import",
      SERVICE_2024,
      "--spec",
      existing,
      "--out",
      existing,
    );
    const { spec, comment } = await readSpec(existing);

    expect(code).toBe(0);
    expect(spec.permissions.map((p) => p.id)).toEqual(old.permissions.map((p) => p.id));
    expect(spec.permissions.map((p) => p.description)).toEqual(
      importedSpec(SERVICE_2024).permissions.map((p) => p.description),
    );
    expect(spec.policySets).toEqual(old.policySets);
    expect(spec.permissions[6]?.access).toBe("list");
    expect(comment).toBe(" Service management, kept by hand.");
    expect(stderr).toHaveLength(9);
    expect(stderr[0]).toBe(
      `${SERVICE_2024}:13:6: changed: serviceOp1: description "Deploying a Model Service" -> "Deploying a model"`,
    );
    expect(
      stderr.every((line, index) => line.includes(`changed: serviceOp${index + 1}: description `)),
    ).toBe(true);
  });

  it("reports new and gone rows, and matches by actions and description when the route changed", async () => {
    const old = importedSpec(SERVICE_2024);
    old.permissions.splice(0, 1);
    old.permissions[6]!.path = "/v1/{project_id}/services/{service_id}/old-logs";
    old.permissions[6]!.id = "readUpdateLogs";
    old.permissions.push({
      ...old.permissions[0]!,
      id: "retiredOperation",
      description: "Retired",
      path: "/v1/retired",
      actions: ["modelarts:service:retire"],
    });
    const existing = join(dir, "service.yaml");
    await writeFile(existing, formatSpec(old));

    const { code, stderr } = await cli("import", SERVICE_2024, "--spec", existing);

    expect(code).toBe(0);
    expect(stderr).toEqual([
      `${SERVICE_2024}:13:6: new: deployModel "Deploying a model"`,
      `${SERVICE_2024}:27:6: changed: readUpdateLogs: routes [GET /v1/{project_id}/services/{service_id}/old-logs] -> [GET /v1/{project_id}/services/{service_id}/logs]`,
      expect.stringMatching(
        new RegExp(`^${join(dir, "service.yaml")}:\\d+:\\d+: gone: retiredOperation "Retired"$`),
      ),
    ]);
  });

  it("keeps errata that still apply, with their wording, and drops and reports the others", async () => {
    const old = importedSpec(TRAINING);
    const byId = (spec: Spec, id: string) => spec.permissions.find((p) => p.id === id)!;
    byId(old, "createVersionOfTrainingJob").errata![0]!.reason =
      "A slash is missing before versions.";
    byId(old, "viewTrainingJob").description = "Listing Training Jobs";
    byId(old, "viewTrainingJob").errata = [
      {
        field: "description",
        source: "Viewing a Training Job",
        spec: "Listing Training Jobs",
        reason: "The operation lists jobs.",
      },
    ];
    byId(old, "createTrainingJob").errata = [
      {
        field: "path",
        source: "/v1/old",
        spec: "/v1/{project_id}/training-jobs",
        reason: "Old typo.",
      },
    ];
    const existing = join(dir, "training.yaml");
    await writeFile(existing, formatSpec(old));

    const { code, stdout, stderr } = await cli("import", TRAINING, "--spec", existing);
    const spec = parseSpecText(stdout, "new.yaml").data as Spec;

    expect(code).toBe(0);
    expect(byId(spec, "createVersionOfTrainingJob").errata?.[0]?.reason).toBe(
      "A slash is missing before versions.",
    );
    expect(byId(spec, "viewTrainingJob").description).toBe("Listing Training Jobs");
    expect(byId(spec, "viewTrainingJob").errata).toHaveLength(1);
    expect(byId(spec, "createTrainingJob").errata).toBeUndefined();
    expect(stderr.filter((line) => line.includes(": changed: "))).toEqual([
      `${TRAINING}:13:6: changed: createTrainingJob: erratum dropped (path "/v1/old" -> "/v1/{project_id}/training-jobs")`,
    ]);
  });

  it("an existing spec that is not a spec stops the import: exit 2, nothing written", async () => {
    const existing = join(dir, "broken.yaml");
    const out = join(dir, "out.yaml");
    await writeFile(existing, "service: modelarts\npermissions: 3\n");

    const { code, stderr } = await cli("import", TRAINING, "--spec", existing, "--out", out);

    expect(code).toBe(2);
    expect(stderr).toHaveLength(1);
    expect(stderr[0]).toMatch(new RegExp(`^${existing}:\\d+:\\d+: error: `));
    expect(await readdir(dir)).toEqual(["broken.yaml"]);
  });
});
