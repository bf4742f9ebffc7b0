import { readFileSync } from "node:fs";
import { Project, SyntaxKind } from "ts-morph";
import { afterAll, describe, expect, it } from "vitest";
import { actionsSource, emitActions } from "../generator/emit/actions.js";
import { buildModel, type Model } from "../generator/model.js";
import { parseSpecText } from "../generator/spec/parse.js";
import type { Spec } from "../generator/spec/types.js";
import {
  importEmitted,
  modelOf,
  permission,
  realModel,
  removeEmitted,
  type ActionsModule,
} from "./helpers/emitted.js";
import { FIXTURES, readFixture, typecheck } from "./helpers/typecheck.js";
import { corpusFile } from "./helpers/corpus.js";

afterAll(removeEmitted);

async function loadActions(model: Model): Promise<ActionsModule> {
  return importEmitted<ActionsModule>(
    await emitActions(model, { templatesDir: "templates" }),
    "actions.ts",
  );
}

/** Each exported type alias ending in `Action` with the string literals of its union. */
function unionsOf(text: string): Map<string, string[]> {
  const file = new Project({ useInMemoryFileSystem: true }).createSourceFile("actions.ts", text);
  const aliases = file.getTypeAliases().filter((a) => a.getName().endsWith("Action"));
  return new Map(
    aliases.map((a) => [
      a.getName(),
      a
        .getTypeNodeOrThrow()
        .getDescendantsOfKind(SyntaxKind.StringLiteral)
        .map((s) => s.getLiteralValue()),
    ]),
  );
}

function specOf(service: string, permissions: Spec["permissions"]): Spec {
  return { service, source: { page: "p", title: "t", tables: [] }, permissions };
}

describe("actions > the real training spec", () => {
  it("has every action of the source table as a constant", async () => {
    const table = readFileSync(
      corpusFile("training_job_permissions.rst"),
      "utf8",
    );
    const inTable = new Set(table.match(/modelarts:\w+:\w+/g));
    const { Actions } = await loadActions(realModel());

    expect(inTable.size).toBeGreaterThan(20);
    expect(new Set(Object.values(Actions))).toEqual(inTable);
  });

  it("keys each action by resource type and operation, each key once", async () => {
    const { Actions } = await loadActions(realModel());

    expect(Actions.trainJobCreate).toBe("modelarts:trainJob:create");
    expect(Actions.trainJobVersionStop).toBe("modelarts:trainJobVersion:stop");
    expect(Actions.trainJobInnerModelList).toBe("modelarts:trainJobInnerModel:list");
    expect(Object.keys(Actions)).toHaveLength(new Set(Object.values(Actions)).size);
  });

  it("gives each action what the model says: routes, access level, scopes, resource type, operation", async () => {
    const model = realModel();
    const { actionInfo, Actions } = await loadActions(model);

    expect(Object.keys(actionInfo)).toEqual(model.actions.map((a) => a.action));
    for (const action of model.actions) {
      expect(actionInfo[action.action], action.action).toEqual({
        key: Object.keys(Actions).find((k) => Actions[k] === action.action),
        service: "modelarts",
        resourceType: action.resourceType,
        operation: action.operation,
        access: action.access,
        scopes: action.scopes,
        routes: action.routeIds,
        permissions: action.permissionIds,
      });
    }
  });

  it("declares one union per resource type and Action as their union", () => {
    const model = realModel();
    const unions = unionsOf(actionsSource(model).join(""));
    const byResource = (type: string) =>
      model.actions.filter((a) => a.resourceType === type).map((a) => a.action);

    expect(unions.get("TrainJobAction")).toEqual(byResource("trainJob"));
    expect(unions.get("TrainJobVersionAction")).toEqual(byResource("trainJobVersion"));
    expect(unions.get("TensorboardAction")).toEqual(byResource("tensorboard"));
    expect([...unions.keys()]).toHaveLength(
      new Set(model.actions.map((a) => a.resourceType)).size + 1,
    );
    const members = [...unions.keys()].filter((n) => n !== "Action");
    expect(actionsSource(model).join("")).toContain(
      `export type Action =\n${members.map((n) => `  | ${n}`).join("\n")};`,
    );
  });

  it("type-checks under the strict configuration, and is the same text on every run", () => {
    const text = actionsSource(realModel()).join("");

    expect(typecheck({ "actions.ts": text })).toEqual([]);
    expect(actionsSource(realModel()).join("")).toBe(text);
  });

  it("tells an action from any other string", async () => {
    const { isAction } = await loadActions(realModel());

    expect(isAction("modelarts:trainJob:create")).toBe(true);
    expect(isAction("modelarts:trainJob:crate")).toBe(false);
    expect(isAction("toString")).toBe(false);
  });
});

describe("actions > names", () => {
  it("qualifies keys and unions with the service where two services share them", async () => {
    const model = buildModel([
      {
        file: "spec/a.yaml",
        name: "a",
        hash: "",
        spec: specOf("modelarts", [permission("a", "POST /a", ["modelarts:job:create"])]),
      },
      {
        file: "spec/b.yaml",
        name: "b",
        hash: "",
        spec: specOf("dls", [permission("b", "POST /b", ["dls:job:create", "dls:task:create"])]),
      },
    ]);
    const { Actions } = await loadActions(model);

    expect(Actions).toEqual({
      modelartsJobCreate: "modelarts:job:create",
      dlsJobCreate: "dls:job:create",
      taskCreate: "dls:task:create",
    });
    expect([...unionsOf(actionsSource(model).join("")).keys()]).toEqual([
      "ModelartsJobAction",
      "DlsJobAction",
      "TaskAction",
      "Action",
    ]);
  });

  it("refuses actions that no rule can name apart, saying which", () => {
    const model = modelOf([
      permission("a", "POST /a", ["modelarts:train-job:create", "modelarts:trainJob:create"]),
    ]);

    expect(() => actionsSource(model).join("")).toThrow(
      'spec/modelarts.yaml:1:1: error: actions "modelarts:train-job:create" and "modelarts:trainJob:create" would all be emitted as "modelartsTrainJobCreate"',
    );
  });

  it("makes one entry of an action two specs name, as strict as both", async () => {
    const model = buildModel([
      {
        file: "spec/a.yaml",
        name: "a",
        hash: "",
        spec: specOf("modelarts", [permission("listJobs", "GET /a", ["modelarts:job:list"])]),
      },
      {
        file: "spec/b.yaml",
        name: "b",
        hash: "",
        spec: specOf("modelarts", [
          {
            ...permission("deleteJobs", "DELETE /b", ["modelarts:job:list"]),
            scopes: { iamProject: true, enterpriseProject: false },
          },
        ]),
      },
    ]);
    const { actionInfo } = await loadActions(model);

    expect(Object.keys(actionInfo)).toEqual(["modelarts:job:list"]);
    expect(actionInfo["modelarts:job:list"]).toMatchObject({
      routes: ["listJobs", "deleteJobs"],
      permissions: ["listJobs", "deleteJobs"],
      scopes: { iamProject: true, enterpriseProject: false },
    });
  });

  it("keeps doc comments closed whatever the description holds", () => {
    const hostile = 'ends */ here, `tick`, ${x}, "q", back\\slash,\nnew line,\u2028sep';
    const text = actionsSource(
      modelOf([permission("a", "POST /a", ["modelarts:job:create"], hostile)]),
    ).join("");

    expect(typecheck({ "actions.ts": text })).toEqual([]);
    expect(text).toContain("ends *\\/ here");
  });

  it("compiles when the specs name no action", () => {
    expect(
      typecheck({ "actions.ts": actionsSource(modelOf([permission("a", "GET /a")])).join("") }),
    ).toEqual([]);
  });
});

describe("actions > compile fixture", () => {
  it("refuses an action the spec does not name, exactly where the fixture says", () => {
    const parsed = parseSpecText(readFileSync(`${FIXTURES}/spec.yaml`, "utf8"), "spec.yaml");
    const model = buildModel([
      { file: "spec.yaml", name: "fixture", hash: "", spec: parsed.data as Spec },
    ]);
    const { text, expected } = readFixture("unknown-action.ts");

    const problems = typecheck({ "actions.ts": actionsSource(model).join(""), "unknown-action.ts": text });

    expect(problems.map((p) => ({ file: p.file, line: p.line, code: p.code }))).toEqual(
      expected.map((e) => ({ file: "unknown-action.ts", ...e })),
    );
  });
});
