import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import type { Change } from "../generator/diff/change.js";
import { readSpecs } from "../generator/diff/inputs.js";
import { suggestBump } from "../generator/diff/semver.js";
import { diffSpec } from "../generator/diff/spec-diff.js";
import { importPage } from "../generator/import/importer.js";
import { formatSpec } from "../generator/spec/format.js";
import { parseSpecText } from "../generator/spec/parse.js";
import type { Spec } from "../generator/spec/types.js";
import { BASE, diff, DIR, fixture, json, ROOT } from "./helpers/diff-cli.js";
import { corpusFile } from "./helpers/corpus.js";

const CORPUS = corpusFile("service_management_permissions");

async function spec(path: string): Promise<Spec> {
  const loaded = await readSpecs([path], ROOT);
  expect(loaded.errors).toEqual([]);
  return loaded.specs[0]!.spec;
}

/** The corpus table of one date as `permgen import` reads it; over `previous`, as a re-import. */
async function imported(date: string, previous?: Spec): Promise<Spec> {
  const text = await readFile(`${CORPUS}.${date}.rst`, "utf8");
  if (!previous) return importPage(text, `${date}.rst`).spec;

  const file = "spec/service.yaml";
  const { locate } = parseSpecText(formatSpec(previous), file);
  return importPage(text, `${date}.rst`, { file, spec: previous, comment: "", locate }).spec;
}

/** A change without its message, for comparing with the expected classification. */
function shape(c: Change): Omit<Change, "message"> {
  const { message: _, ...rest } = c;
  return rest;
}

describe("diff > the corpus's two dated service management tables", () => {
  it("starts from a fixture that is what the importer makes of the 2022 table", async () => {
    expect(await spec(BASE)).toEqual(await imported("2022-05-19"));
  });

  it("finds only reworded descriptions when 2024 is re-imported over 2022: patch, exit 0", async () => {
    const dir = await mkdtemp(join(tmpdir(), "permgen-diff-corpus-"));
    const newer = join(dir, "service.yaml");
    await writeFile(newer, formatSpec(await imported("2024-06-17", await spec(BASE))));

    const result = await json([BASE, newer]).finally(() => rm(dir, { recursive: true }));

    expect(result.code).toBe(0);
    expect(result.bump).toBe("patch");
    expect(result.changes.map((c) => `${c.severity} ${c.kind} ${c.id}`)).toEqual([
      "docs-only description-changed deployModelService",
      "docs-only description-changed queryListOfModelServices",
      "docs-only description-changed queryDetailsAboutModelService",
      "docs-only description-changed updateModelService",
      "docs-only description-changed deleteModelService",
      "docs-only description-changed startOrStopModelService",
      "docs-only description-changed queryServiceMonitoringInformation",
      "docs-only description-changed queryServiceUpdateLogs",
      "docs-only description-changed queryServiceEventLogs",
    ]);
    expect(result.changes[0]).toEqual({
      severity: "docs-only",
      kind: "description-changed",
      id: "deployModelService",
      field: "description",
      before: "Deploying a Model Service",
      after: "Deploying a model",
      message: 'description "Deploying a Model Service" -> "Deploying a model"',
    });
  });

  it("reads the ids a fresh 2024 import derives from the new wording as id renames", async () => {
    const changes = diffSpec(await spec(BASE), await imported("2024-06-17"));
    const renames = changes.filter((c) => c.kind === "id-renamed");

    expect(renames.map((c) => `${c.before} -> ${c.after}`)).toEqual([
      "deployModelService -> deployModel",
      "queryListOfModelServices -> obtainModelServices",
      "queryDetailsAboutModelService -> obtainDetailsAboutModelService",
      "queryServiceMonitoringInformation -> obtainServiceMonitoring",
      "queryServiceUpdateLogs -> obtainServiceUpdateLogs",
      "queryServiceEventLogs -> obtainServiceEventLogs",
    ]);
    expect(renames.every((c) => c.severity === "breaking" && c.message.includes("RouteId"))).toBe(
      true,
    );
    expect(changes.filter((c) => c.kind === "description-changed")).toHaveLength(9);
    expect(suggestBump(changes)).toBe("major");
  });

  it("pairs renamed ids that share one route (the two PUT rows) by the action they need", async () => {
    const before = await spec(BASE);
    const [update, start] = [before.permissions[3]!, before.permissions[5]!];
    const permissions = [...before.permissions];
    // Swapped, so that pairing by position alone would get both wrong.
    permissions[3] = { ...start, id: "changeServiceStatus" };
    permissions[5] = { ...update, id: "modifyModelService" };

    const renames = diffSpec(before, { ...before, permissions }).filter(
      (c) => c.kind === "id-renamed",
    );

    expect(renames.map((c) => `${c.before} -> ${c.after}`)).toEqual([
      "updateModelService -> modifyModelService",
      "startOrStopModelService -> changeServiceStatus",
    ]);
  });
});

const M = "queryServiceMonitoringInformation";
const EVENTS = "queryServiceEventLogs";
const CASES: Array<[string, Array<Omit<Change, "message">>, string]> = [
  [
    "route-moved-to-v2",
    [
      {
        severity: "breaking",
        kind: "path-changed",
        id: M,
        field: "path",
        before: "/v1/{project_id}/services/{service_id}/monitor",
        after: "/v2/{project_id}/services/{service_id}/monitor",
      },
    ],
    "major",
  ],
  [
    "action-renamed",
    [
      {
        severity: "breaking",
        kind: "action-renamed",
        id: EVENTS,
        field: "actions",
        before: "modelarts:service:getEvents",
        after: "modelarts:service:getEventLogs",
      },
    ],
    "major",
  ],
  [
    "row-removed",
    [
      {
        severity: "breaking",
        kind: "operation-removed",
        id: EVENTS,
        before: "GET /v1/{project_id}/services/{service_id}/events",
      },
      {
        severity: "breaking",
        kind: "action-removed",
        id: "modelarts:service:getEvents",
        before: "modelarts:service:getEvents",
      },
    ],
    "major",
  ],
  [
    "row-added",
    [
      {
        severity: "compatible",
        kind: "operation-added",
        id: "queryServiceSpecifications",
        after: "GET /v1/{project_id}/services/specifications",
      },
      {
        severity: "compatible",
        kind: "action-added",
        id: "modelarts:service:listSpecifications",
        after: "modelarts:service:listSpecifications",
      },
    ],
    "minor",
  ],
  [
    "scope-narrowed",
    [
      {
        severity: "breaking",
        kind: "scope-narrowed",
        id: "deleteModelService",
        field: "scopes.enterpriseProject",
        before: "true",
        after: "false",
      },
    ],
    "major",
  ],
  [
    "access-raised",
    [
      {
        severity: "breaking",
        kind: "access-raised",
        id: "queryListOfModelServices",
        field: "access",
        before: "list",
        after: "write",
      },
    ],
    "major",
  ],
  [
    "description-reworded",
    [
      {
        severity: "docs-only",
        kind: "description-changed",
        id: "updateModelService",
        field: "description",
        before: "Updating a Model Service",
        after: "Modifying a Model Service",
      },
    ],
    "patch",
  ],
  [
    "path-param-renamed",
    [
      {
        severity: "breaking",
        kind: "path-param-renamed",
        id: "queryServiceUpdateLogs",
        field: "path",
        before: "/v1/{project_id}/services/{service_id}/logs",
        after: "/v1/{project_id}/services/{serviceId}/logs",
      },
    ],
    "major",
  ],
  [
    "method-changed",
    [
      {
        severity: "breaking",
        kind: "method-changed",
        id: "deleteModelService",
        field: "method",
        before: "DELETE",
        after: "POST",
      },
    ],
    "major",
  ],
  [
    "id-renamed",
    [
      {
        severity: "breaking",
        kind: "id-renamed",
        id: "deployModel",
        field: "id",
        before: "deployModelService",
        after: "deployModel",
      },
    ],
    "major",
  ],
  [
    "action-required",
    [
      {
        severity: "breaking",
        kind: "action-required",
        id: "deleteModelService",
        field: "actions",
        after: "modelarts:service:get",
      },
    ],
    "major",
  ],
];

describe("diff > one fixture per change", () => {
  it.each(CASES)("2022-05-19 -> %s", async (name, expected, bump) => {
    const result = await json([BASE, fixture(name)]);

    expect(result.changes.map(shape)).toEqual(expected);
    expect(result.bump).toBe(bump);
    expect(result.code).toBe(bump === "major" ? 1 : 0);
  });

  it("reports a reworded note and a recorded erratum as docs-only", async () => {
    const result = await json([BASE, fixture("docs-notes")]);

    expect(result.changes.map((c) => `${c.severity} ${c.kind} ${c.id}`)).toEqual([
      "docs-only note-changed startOrStopModelService",
      "docs-only errata-changed startOrStopModelService",
    ]);
    expect(result.bump).toBe("patch");
  });

  it.each([
    ["scope-narrowed", "scope-widened", "scopes.enterpriseProject"],
    ["access-raised", "access-lowered", "access"],
    ["action-required", "action-dropped", "actions"],
  ])("reads %s backwards as the compatible %s", async (name, kind, field) => {
    const result = await json([fixture(name), BASE]);

    expect(result.changes.map((c) => [c.severity, c.kind, c.field])).toEqual([
      ["compatible", kind, field],
    ]);
    expect(result.bump).toBe("minor");
    expect(result.code).toBe(0);
  });

  it("finds nothing between a spec and itself", async () => {
    const result = await diff([BASE, BASE]);

    expect(result).toEqual({ code: 0, stdout: "no changes; suggested bump: none\n", stderr: "" });
  });
});

describe("diff > bump and exit code", () => {
  const c = (severity: Change["severity"]): Change => ({
    severity,
    kind: "description-changed",
    id: "x",
    message: "",
  });

  it("takes the largest bump any change needs", () => {
    expect(suggestBump([])).toBe("none");
    expect(suggestBump([c("docs-only")])).toBe("patch");
    expect(suggestBump([c("docs-only"), c("compatible")])).toBe("minor");
    expect(suggestBump([c("compatible"), c("breaking"), c("docs-only")])).toBe("major");
    expect(suggestBump([c("review")])).toBe("minor");
  });

  it("exits 1 on a breaking change and says so on stderr, 0 with --allow-breaking", async () => {
    const strict = await diff([BASE, fixture("row-removed")]);
    const allowed = await diff([BASE, fixture("row-removed"), "--allow-breaking"]);

    expect(strict.code).toBe(1);
    expect(strict.stderr).toBe(
      "permgen diff: 2 breaking change(s); release them as a major version and pass --allow-breaking\n",
    );
    expect(allowed.code).toBe(0);
    expect(allowed.stdout).toBe(strict.stdout);
  });
});

describe("diff > unusable input", () => {
  const ONE_LINE = /^[^\n:]+:\d+:\d+: error: [^\n]+; [^\n]+\n$/;

  it("names a missing file in one line and exits 2", async () => {
    const result = await diff([BASE, `${DIR}/no-such.yaml`]);

    expect(result).toEqual({
      code: 2,
      stdout: "",
      stderr: `${DIR}/no-such.yaml:1:1: error: no such file; check the path; it is read relative to the current directory\n`,
    });
  });

  it("points at a misspelt key with line and column, no stack trace", async () => {
    const result = await diff([fixture("invalid"), BASE]);
    const lines = result.stderr.split(/(?<=\n)/);

    expect(result.code).toBe(2);
    expect(lines.every((line) => ONE_LINE.test(line))).toBe(true);
    expect(lines).toContainEqual(
      expect.stringMatching(
        /^test\/fixtures\/diff\/invalid\.yaml:53:5: error: unknown key "descripton"/,
      ),
    );
    expect(result.stderr).not.toMatch(/\n\s+at /);
  });

  it("refuses two operations with one id, since it matches operations by id", async () => {
    const result = await diff([BASE, fixture("duplicate-id")]);

    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(
      /^test\/fixtures\/diff\/duplicate-id\.yaml:89:9: error: id "queryServiceUpdateLogs" is already used/,
    );
  });

  it.each([
    [[BASE], /give two specs to compare/],
    [[BASE, BASE, "--format", "xml"], /--format takes text or json, not "xml"/],
    [[BASE, BASE, "--spec", "spec"], /--spec goes with --policies/],
  ])("rejects the command line %j", async (argv, message) => {
    const result = await diff(argv);

    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(message);
    expect(result.stderr.split("\n")).toHaveLength(2);
  });
});
