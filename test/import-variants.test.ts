import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { InputError } from "../generator/diagnostics.js";
import { renderRstPage } from "../generator/emit/rst-table.js";
import { columnRole } from "../generator/import/columns.js";
import { operationId } from "../generator/import/ids.js";
import { importPage, type ImportResult } from "../generator/import/importer.js";
import { decodeSource } from "../generator/import/source-text.js";
import { routesOf, type Permission } from "../generator/spec/types.js";

const FIXTURES = fileURLToPath(new URL("./fixtures/import/", import.meta.url));

function importFixture(name: string): ImportResult {
  return importPage(readFileSync(FIXTURES + name, "utf8"), name);
}

function entry(result: ImportResult, id: string): Permission {
  const found = result.spec.permissions.find((p) => p.id === id);
  if (!found)
    throw new Error(`no entry ${id} in ${result.spec.permissions.map((p) => p.id).join(", ")}`);
  return found;
}

/** Each warning as `line:code`, the part of a diagnostic a test can pin down. */
function warnings(result: ImportResult): string[] {
  return result.diagnostics.map((d) => `${d.line}:${d.code}`);
}

describe("import > variants of the documentation family (variants.rst)", () => {
  const result = importFixture("variants.rst");

  it("classifies bold, plural and reordered headers, API last", () => {
    expect(result.spec.source.tables[0]?.columns).toEqual([
      "**Operation**",
      "**Actions**",
      "**IAM Project (Project)**",
      "**Enterprise Project**",
      "**API(s)**",
    ]);
    expect(result.spec.permissions).toHaveLength(7);
    expect(result.spec.service).toBe("dms");
  });

  it.each([
    ["createInstance", { iamProject: true, enterpriseProject: true }],
    ["listInstances", { iamProject: false, enterpriseProject: false }],
    ["restartOrDeleteInstances", { iamProject: true, enterpriseProject: false }],
    ["queryInstance", { iamProject: true, enterpriseProject: false }],
    ["queryProducts", { iamProject: false, enterpriseProject: false }],
  ])("%s: scopes from Y, x, X, Not supported, Yes, No, N", (id, scopes) => {
    expect(entry(result, id).scopes).toEqual(scopes);
  });

  it("reads an RFC 6570 query expansion into query names", () => {
    expect(routesOf(entry(result, "listInstances"))).toEqual([
      { method: "GET", path: "/v2/{project_id}/instances", query: ["offset", "limit"] },
    ]);
  });

  it("keeps prose after the path as the note and labelled actions as {action, label}", () => {
    const restart = entry(result, "restartOrDeleteInstances");

    expect(restart.note).toBe("(with the action in the request body)");
    expect(restart.actions).toEqual([
      { action: "dms:instance:modifyStatus", label: "Restart" },
      { action: "dms:instance:delete", label: "Delete" },
    ]);
  });

  it("reads a :ref: link around a route and a bullet list of actions", () => {
    const query = entry(result, "queryInstance");

    expect(routesOf(query)).toEqual([
      { method: "GET", path: "/v2/{project_id}/instances/{instance_id}" },
    ]);
    expect(query.actions).toEqual(["dms:instance:get", "dms:instance:list"]);
  });

  it("keeps a link title without method or path and a scope sentence verbatim, with warnings at their lines", () => {
    const tags = entry(result, "modifyInstanceTags");

    expect(routesOf(tags)).toEqual([]);
    expect(tags.verbatim).toEqual({
      api: ":ref:`Batch Adding or Deleting Tags <dms_02_0010>`",
      enterpriseProject: "Only for instances\ncreated after 2020",
    });
    expect(tags.scopes.enterpriseProject).toBe(false);
    expect(warnings(result)).toEqual(["27:unreadable-scope", "27:unreadable-api"]);
    expect(
      result.diagnostics.every((d) => d.severity === "warning" && d.file === "variants.rst"),
    ).toBe(true);
  });

  it("reads several APIs in one cell as routes, and placeholders as no action", () => {
    const quotas = entry(result, "queryInstanceQuotas");
    const products = entry(result, "queryProducts");

    expect(quotas.routes).toEqual([
      { method: "GET", path: "/v2/{project_id}/quotas" },
      { method: "GET", path: "/v2/{project_id}/instances/{instance_id}/quotas" },
    ]);
    expect(quotas.actions).toEqual([]);
    expect(quotas.noAction).toBe("No authorization required");
    expect(products.noAction).toBe("None");
    expect(routesOf(products)).toEqual([]);
    expect(products.verbatim).toBeUndefined();
  });

  it("reads back the same rows after rendering", () => {
    const again = importPage(renderRstPage(result.spec), "again.rst");

    expect(again.spec.permissions).toEqual(result.spec.permissions);
    expect(again.spec.source).toEqual(result.spec.source);
  });
});

describe("import > table layouts", () => {
  it("no-separator.rst: a bare table without +===+, its caption line and a --- title", () => {
    const result = importFixture("no-separator.rst");

    expect(result.spec.source).toEqual({
      page: "apig_03_0002",
      title: "Gateway Permissions",
      tables: [
        {
          caption: "Actions of the gateway",
          columns: ["Permission", "API", "Action", "IAM Project", "Enterprise Project"],
        },
      ],
    });
    expect(result.spec.permissions.map((p) => [p.id, p.scopes.enterpriseProject])).toEqual([
      ["createGateway", true],
      ["deleteGateway", false],
    ]);
    expect(warnings(result)).toEqual(["8:no-header-separator", "16:prose-dropped"]);
  });

  it("spans.rst: row-spanning cells, a heading row, wrapped paths, two tables and repeated descriptions", () => {
    const result = importFixture("spans.rst");

    expect(result.spec.permissions.map((p) => [p.id, p.table, p.path, p.actions])).toEqual([
      ["queryJob", 1, "/v1/{project_id}/jobs", ["svc:job:get"]],
      ["queryJob2", 1, "/v1/{project_id}/jobs/{job_id}", ["svc:job:get"]],
      ["queryJob3", 2, "/v1/{project_id}/jobs/{job_id}/logs", ["svc:log:list"]],
    ]);
    expect(warnings(result)).toEqual(["11:heading-row"]);
  });

  it("ragged.rst: a ragged border it can recover is read by splitting on | with a warning", () => {
    const result = importFixture("ragged.rst");

    expect(result.spec.permissions.map((p) => [p.id, p.method, p.actions])).toEqual([
      ["createJob", "POST", ["svc:job:create"]],
      ["listJobs", "GET", ["svc:job:list"]],
    ]);
    expect(warnings(result)).toEqual(["11:ragged-border"]);
  });
});

describe("import > defects that are only reported (uncertain.rst)", () => {
  const result = importFixture("uncertain.rst");

  it("a glued path segment no other route confirms is kept verbatim", () => {
    const version = entry(result, "createVersion");

    expect(version.path).toBeUndefined();
    expect(version.verbatim?.api).toBe("POST /v1/{project_id}/jobs/{job_id}versions");
  });

  it("a collection DELETE whose action is not a plain delete is left alone", () => {
    const batch = entry(result, "deleteConfigurations");

    expect(batch.path).toBe("/v1/{project_id}/configs");
    expect(batch.errata).toBeUndefined();
  });

  it("actions run together with an unknown service prefix are kept verbatim", () => {
    const job = entry(result, "deleteJob");

    expect(job.actions).toEqual([]);
    expect(job.verbatim?.action).toBe("svc:job:deleteobs:object:delete");
  });

  it("a lower-case method and a trailing slash are certain repairs, each an erratum", () => {
    expect(entry(result, "listJobs").errata?.map((e) => [e.field, e.source, e.spec])).toEqual([
      ["method", "get", "GET"],
      ["path", "/v1/{project_id}/jobs/", "/v1/{project_id}/jobs"],
    ]);
    expect(warnings(result)).toEqual([
      "11:invalid-path",
      "19:unreadable-action",
      "21:repaired-path",
      "21:repaired-path",
    ]);
  });
});

describe("import > unusable input is one InputError at its place", () => {
  const failure = (run: () => unknown): string => {
    try {
      run();
    } catch (error) {
      if (error instanceof InputError) return error.message;
      throw error;
    }
    throw new Error("no InputError");
  };

  it.each([
    [
      "ragged-broken.rst",
      /^ragged-broken\.rst:13:4: error: the grid table's borders cannot be followed: .*; align every/,
    ],
    [
      "not-permissions.rst",
      /^not-permissions\.rst:6:1: error: no table on the page has both a Permission and an Action column; /,
    ],
    [
      "list-table.rst",
      /^list-table\.rst:6:1: error: no grid table found on the page; this page uses a list or CSV table/,
    ],
  ])("%s", (name, expected) => {
    expect(failure(() => importFixture(name))).toMatch(expected);
  });

  it("binary and non-UTF-8 bytes are refused with their line and column", () => {
    const binary = Buffer.from("title\n=====\nab\u0000cd\n", "latin1");
    const latin1 = Buffer.concat([
      Buffer.from("title\n=====\n\nSch"),
      Buffer.from([0xf6]),
      Buffer.from("n\n"),
    ]);

    expect(failure(() => decodeSource(binary, "b.rst"))).toBe(
      "b.rst:3:3: error: the file holds a NUL byte, so it is binary, not a page; give the .rst source of the page",
    );
    expect(failure(() => decodeSource(latin1, "l.rst"))).toBe(
      "l.rst:4:4: error: byte 0xf6 is not valid UTF-8; save the page as UTF-8",
    );
  });

  it("CRLF line endings, a BOM and tabs read the same as the plain page", () => {
    const plain = readFileSync(`${FIXTURES}no-separator.rst`, "utf8");
    const windows = Buffer.from(`\uFEFF${plain.replace(/\n/g, "\r\n")}`, "utf8");

    expect(decodeSource(windows, "w.rst")).toBe(plain);
    expect(decodeSource(Buffer.from("a\tb\n"), "t.rst")).toBe("a       b\n");
  });
});

describe("import > ids and headers", () => {
  it.each([
    ["Creating a Training Job", "createTrainingJob"],
    ["Viewing a Training Job", "viewTrainingJob"],
    ["Stopping a Training Job Version", "stopTrainingJobVersion"],
    ["Saving as a custom image", "saveAsCustomImage"],
    ["Updating a model service", "updateModelService"],
    ["Starting or Stopping a Model Service", "startOrStopModelService"],
    ["Submitting Sample Review Comments", "submitSampleReviewComments"],
    ["Adding Samples in Batches", "addSamplesInBatches"],
    ["Synchronizing a Dataset", "synchronizeDataset"],
    ["Querying Training Job Logs (Old)", "queryTrainingJobLogsOld"],
    ["Viewing Built-in Algorithms", "viewBuiltInAlgorithms"],
    ["Team Labeling Report", "teamLabelingReport"],
    ["2FA Settings", "op2faSettings"],
    ["", "operation"],
  ])("%j -> %s", (description, id) => {
    expect(operationId(description)).toBe(id);
  });

  it.each([
    ["Permission", "description"],
    ["Operation", "description"],
    ["API(s)", "api"],
    ["**API**", "api"],
    ["Actions", "action"],
    ["Related Action", "relatedAction"],
    ["Dependent Actions", "relatedAction"],
    ["IAM Project (Project)", "iamProject"],
    ["Project", "iamProject"],
    ["Enterprise Project (Enterprise Project)", "enterpriseProject"],
    ["Remarks", undefined],
  ])("header %j is %s", (header, role) => {
    expect(columnRole(header)).toBe(role);
  });
});
