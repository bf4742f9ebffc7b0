import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { renderRstPage } from "../generator/emit/rst-table.js";
import { importPage, type ImportResult } from "../generator/import/importer.js";
import { readPage } from "../generator/import/page.js";
import { joinLines, permissionTables } from "../generator/import/table-rows.js";
import { routesOf, type Permission, type Route } from "../generator/spec/types.js";

const CORPUS = fileURLToPath(new URL("../../shared/corpus/modelarts/", import.meta.url));

function importCorpus(name: string): ImportResult {
  return importPage(readFileSync(CORPUS + name, "utf8"), name);
}

/** What a row of the table says, without the id: the values a round trip must keep. */
function cellValues(p: Permission): unknown {
  return {
    description: p.description,
    table: p.table,
    routes: routesOf(p),
    actions: p.actions,
    noAction: p.noAction,
    relatedActions: p.relatedActions,
    noRelatedAction: p.noRelatedAction,
    scopes: p.scopes,
    verbatim: p.verbatim,
  };
}

interface Sample {
  row: number;
  id: string;
  routes?: Route[];
  actions?: Permission["actions"];
  relatedActions?: string[];
  noAction?: string;
  table?: number;
}

const both = { iamProject: true, enterpriseProject: true };
const get = (path: string): Route[] => [{ method: "GET", path }];

const CASES: Array<{
  file: string;
  rows: number;
  tables: number;
  page: string;
  samples: Sample[];
}> = [
  {
    file: "training_job_permissions.rst",
    rows: 28,
    tables: 1,
    page: "modelarts_03_0163",
    samples: [
      {
        row: 0,
        id: "createTrainingJob",
        routes: [{ method: "POST", path: "/v1/{project_id}/training-jobs" }],
        actions: ["modelarts:trainJob:create"],
      },
      {
        row: 1,
        id: "viewTrainingJob",
        routes: get("/v1/{project_id}/training-jobs"),
        actions: ["modelarts:trainJob:list"],
      },
      {
        row: 13,
        id: "queryMonitoringInformationAboutSingleContainerOfJob",
        actions: [],
        noAction: "-",
      },
      {
        row: 26,
        id: "queryJobResourceSpecifications",
        routes: get("/v1/{project_id}/job/resource-specs"),
        actions: [],
        noAction: "N/A",
      },
    ],
  },
  {
    file: "data_management_permissions.rst",
    rows: 77,
    tables: 14,
    page: "modelarts_03_0161",
    samples: [
      {
        row: 0,
        id: "queryDatasetList",
        table: 1,
        relatedActions: [],
        actions: ["modelarts:dataset:listDatasets"],
      },
      {
        row: 4,
        id: "deleteDataset",
        table: 1,
        routes: [{ method: "DELETE", path: "/v2/{project_id}/datasets/{dataset_id}" }],
        relatedActions: [
          "obs:bucket:ListAllMyBuckets",
          "obs:bucket:ListBucket",
          "obs:object:DeleteObject",
        ],
      },
      {
        row: 26,
        id: "updateSampleLabelsInBatches",
        table: 5,
        routes: [
          {
            method: "PUT",
            path: "/v2/{project_id}/datasets/{dataset_id}/data-annotations/samples",
          },
        ],
      },
      {
        row: 76,
        id: "stopDataProcessingTaskVersion",
        table: 14,
        actions: ["modelarts:processTask:updateProcessTask"],
      },
    ],
  },
  {
    file: "workspace_management_permissions.rst",
    rows: 7,
    tables: 1,
    page: "modelarts_03_0166",
    samples: [
      {
        row: 0,
        id: "createWorkspace",
        relatedActions: [],
        actions: ["modelarts:workspace:create"],
      },
    ],
  },
  {
    file: "devenviron_permissions_new_version.rst",
    rows: 18,
    tables: 1,
    page: "modelarts_03_0365",
    samples: [
      {
        row: 0,
        id: "createDevelopmentEnvironmentInstance",
        routes: [{ method: "POST", path: "/v1/{project_id}/notebooks" }],
      },
      {
        row: 2,
        id: "obtainDetailsAboutDevelopmentEnvironmentInstance",
        routes: get("/v1/{project_id}/notebooks/{id}"),
      },
      {
        row: 9,
        id: "obtainImageGroups",
        routes: get("/v1/{project_id}/images/group"),
        actions: ["modelarts:image:listGroup"],
      },
    ],
  },
  {
    file: "devenviron_permissions.rst",
    rows: 7,
    tables: 1,
    page: "modelarts_03_0162",
    samples: [
      {
        row: 6,
        id: "startOrStopDevelopmentEnvironmentInstance",
        actions: ["modelarts:notebook:action"],
      },
    ],
  },
  {
    file: "devenviron_permissions_old_version.rst",
    rows: 6,
    tables: 1,
    page: "modelarts_03_0162",
    samples: [
      {
        row: 0,
        id: "createDevelopmentEnvironmentInstance",
        routes: [{ method: "POST", path: "/v1/{project_id}/demanager/instances" }],
      },
    ],
  },
  {
    file: "exeml_permissions.rst",
    rows: 10,
    tables: 1,
    page: "modelarts_03_0234",
    samples: [
      {
        row: 0,
        id: "obtainListOfExeMLProjects",
        routes: [],
        actions: ["modelarts:exemlProject:list"],
      },
      {
        row: 9,
        id: "stopExeMLPredictionJobVersion",
        routes: [],
        actions: ["modelarts:exemlProjectVersion:delete"],
      },
    ],
  },
  {
    file: "model_management_permissions.rst",
    rows: 4,
    tables: 1,
    page: "modelarts_03_0164",
    samples: [
      {
        row: 2,
        id: "deleteModel",
        routes: [{ method: "DELETE", path: "/v1/{project_id}/models/{model_id}" }],
        actions: ["modelarts:model:delete"],
      },
    ],
  },
  {
    file: "service_management_permissions.2022-05-19.rst",
    rows: 9,
    tables: 1,
    page: "modelarts_03_0165",
    samples: [
      { row: 0, id: "deployModelService", actions: ["modelarts:service:create"] },
      {
        row: 5,
        id: "startOrStopModelService",
        routes: [
          {
            method: "PUT",
            path: "/v1/{project_id}/services/{service_id}",
            note: "(with statuses in the request body)",
          },
        ],
      },
    ],
  },
  {
    file: "service_management_permissions.2024-06-17.rst",
    rows: 9,
    tables: 1,
    page: "modelarts_03_0165",
    samples: [
      {
        row: 0,
        id: "deployModel",
        routes: [{ method: "POST", path: "/v1/{project_id}/services" }],
      },
    ],
  },
];

describe("import > corpus tables", () => {
  it.each(CASES)("$file: every row, table and page id", ({ file, rows, tables, page }) => {
    const { spec } = importCorpus(file);

    expect(spec.permissions).toHaveLength(rows);
    expect(spec.source.tables).toHaveLength(tables);
    expect(spec.source.page).toBe(page);
    expect(spec.service).toBe("modelarts");
    expect(new Set(spec.permissions.map((p) => p.id)).size).toBe(rows);
    expect(spec.permissions.every((p) => /^[a-z][A-Za-z0-9]*$/.test(p.id))).toBe(true);
  });

  it.each(CASES.flatMap((c) => c.samples.map((s) => ({ file: c.file, tables: c.tables, ...s }))))(
    "$file row $row: $id",
    ({ file, tables, row, id, routes, actions, relatedActions, noAction, table }) => {
      const entry = importCorpus(file).spec.permissions[row];

      expect(entry?.id).toBe(id);
      expect(entry?.scopes).toEqual(both);
      if (routes) expect(routesOf(entry!)).toEqual(routes);
      if (actions) expect(entry?.actions).toEqual(actions);
      if (relatedActions) expect(entry?.relatedActions).toEqual(relatedActions);
      if (noAction) expect(entry?.noAction).toBe(noAction);
      expect(entry?.table).toBe(tables > 1 ? table : undefined);
    },
  );

  it("keeps the intro of a page with prose before its table", () => {
    expect(importCorpus("exeml_permissions.rst").spec.source.intro).toMatch(
      /^ExeML APIs are inaccessible to external systems\./,
    );
  });

  it("reads the column sets as the pages write them", () => {
    expect(importCorpus("exeml_permissions.rst").spec.source.tables[0]?.columns).toEqual([
      "Permission",
      "Action",
      "IAM Project",
      "Enterprise Project",
    ]);
    expect(
      importCorpus("workspace_management_permissions.rst").spec.source.tables[0]?.columns,
    ).toContain("Related Action");
  });
});

describe("import > errata", () => {
  const training = importCorpus("training_job_permissions.rst");
  const byId = (id: string): Permission | undefined =>
    training.spec.permissions.find((p) => p.id === id);

  it.each([
    [
      "createVersionOfTrainingJob",
      "/v1/{project_id}/training-jobs/{job_id}versions",
      "/v1/{project_id}/training-jobs/{job_id}/versions",
    ],
    [
      "deleteVersionOfTrainingJob",
      "/v1/{project_id/training-jobs/{job_id}/versions/{version_id}",
      "/v1/{project_id}/training-jobs/{job_id}/versions/{version_id}",
    ],
    [
      "deleteTrainingJobConfiguration",
      "/v1/{project_id}/training-job-configs",
      "/v1/{project_id}/training-job-configs/{config_name}",
    ],
  ])("training: %s path repaired and recorded", (id, source, spec) => {
    const entry = byId(id);

    expect(entry?.path).toBe(spec);
    expect(entry?.errata).toEqual([{ field: "path", source, spec, reason: expect.any(String) }]);
  });

  it("training: exactly the three repaired rows carry errata, each reported at its line", () => {
    expect(training.spec.permissions.filter((p) => p.errata).map((p) => p.id)).toEqual([
      "createVersionOfTrainingJob",
      "deleteVersionOfTrainingJob",
      "deleteTrainingJobConfiguration",
    ]);
    expect(training.diagnostics.map((d) => `${d.line}:${d.severity}:${d.code}`)).toEqual([
      "21:warning:repaired-path",
      "23:warning:repaired-path",
      "49:warning:repaired-path",
    ]);
  });

  it("workspace: run-together actions split, then the repeat dropped, both recorded", () => {
    const entry = importCorpus("workspace_management_permissions.rst").spec.permissions[4];

    expect(entry?.actions).toEqual([
      "modelarts:workspace:delete",
      "modelarts:service:delete",
      "modelarts:model:delete",
      "modelarts:tensorboard:delete",
      "modelarts:trainJob:delete",
      "modelarts:exemlProject:delete",
      "modelarts:notebook:delete",
      "modelarts:dataset:delete",
    ]);
    expect(entry?.errata?.map(({ field, source, spec }) => ({ field, source, spec }))).toEqual([
      {
        field: "actions",
        source: "modelarts:exemlProject:deletemodelarts:notebook:delete",
        spec: "modelarts:exemlProject:delete, modelarts:notebook:delete",
      },
      {
        field: "actions",
        source: "modelarts:notebook:delete, modelarts:notebook:delete",
        spec: "modelarts:notebook:delete",
      },
    ]);
  });

  it("data management: a related action listed twice is kept once, with an erratum", () => {
    const { spec, diagnostics } = importCorpus("data_management_permissions.rst");
    const repaired = spec.permissions.filter((p) => p.errata);

    expect(repaired.map((p) => p.id)).toEqual([
      "createDataset",
      "createDataProcessingTask",
      "queryVersionsOfDataProcessingTask",
    ]);
    for (const entry of repaired) {
      expect(entry.relatedActions?.filter((a) => a === "obs:object:PutObject")).toHaveLength(1);
      expect(entry.errata).toEqual([
        {
          field: "relatedActions",
          source: "obs:object:PutObject, obs:object:PutObject",
          spec: "obs:object:PutObject",
          reason: expect.any(String),
        },
      ]);
    }
    expect(diagnostics.filter((d) => d.code === "repaired-action").map((d) => d.line)).toEqual([
      21, 263, 301,
    ]);
  });

  it("rows that repeat another row's API are kept and reported at the later row", () => {
    const lines = (file: string): string[] =>
      importCorpus(file)
        .diagnostics.filter((d) => d.code === "repeated-route")
        .map((d) => `${d.line}: ${d.message}`);

    expect(lines("devenviron_permissions_new_version.rst")).toEqual([
      '43: POST /v1/{project_id}/notebooks/{id}/create-image is also the API of "Saving as a custom image" (line 41)',
    ]);
    expect(lines("data_management_permissions.rst").map((line) => line.split(":")[0])).toEqual([
      "127",
      "179",
      "315",
    ]);
  });

  it("the clean tables import without any warning", () => {
    const clean = [
      "exeml_permissions.rst",
      "model_management_permissions.rst",
      "devenviron_permissions.rst",
      "devenviron_permissions_old_version.rst",
      "service_management_permissions.2024-06-17.rst",
    ];
    for (const file of clean) expect(importCorpus(file).diagnostics).toEqual([]);
  });
});

describe("import > round trip through renderRstPage", () => {
  it.each(CASES.map((c) => c.file))(
    "%s: the regenerated page reads back to the same rows",
    (file) => {
      const first = importCorpus(file);
      const second = importPage(renderRstPage(first.spec), "regenerated.rst");

      expect(second.spec.permissions.map(cellValues)).toEqual(
        first.spec.permissions.map(cellValues),
      );
      expect(second.spec.permissions.map((p) => p.id)).toEqual(
        first.spec.permissions.map((p) => p.id),
      );
      expect(second.spec.source).toEqual(first.spec.source);
      // Repairs are gone from the regenerated page; only what the importer cannot settle remains.
    const unsettled = first.diagnostics.filter((d) => d.code === "repeated-route");
    expect(second.diagnostics.map((d) => d.code)).toEqual(unsettled.map((d) => d.code));
    },
  );

  it("training: regenerated cells equal the source cells except where an erratum says otherwise", () => {
    const source = readFileSync(`${CORPUS}training_job_permissions.rst`, "utf8");
    const { spec } = importPage(source, "training.rst");
    const before = rawRows(source);
    const after = rawRows(renderRstPage(spec));

    expect(after).toHaveLength(before.length);
    before.forEach((cells, index) => {
      const errata = spec.permissions[index]?.errata ?? [];
      const expected = cells.map((cell) =>
        errata.reduce((text, e) => text.replace(e.source, e.spec), cell),
      );
      expect(after[index]).toEqual(expected);
    });
  });

  it("training: the regenerated page differs from the source on the three erratum lines only", () => {
    const source = readFileSync(`${CORPUS}training_job_permissions.rst`, "utf8").split("\n");
    const regenerated = renderRstPage(importCorpus("training_job_permissions.rst").spec).split(
      "\n",
    );

    expect(regenerated).toHaveLength(source.length);
    expect(
      source.flatMap((line, index) => (line === regenerated[index] ? [] : [index + 1])),
    ).toEqual([21, 23, 49]);
  });
});

/** Every body row of a page's tables as its cells' text, in column order. */
function rawRows(text: string): string[][] {
  const page = readPage(text, "page.rst", []);
  return permissionTables(page.tables, []).flatMap((table) =>
    table.rows.map((row) =>
      (["description", "api", "action", "iamProject", "enterpriseProject"] as const).map((role) =>
        joinLines(row.cells[role] ?? []),
      ),
    ),
  );
}
