import { readFileSync } from "node:fs";
import { Project, SyntaxKind } from "ts-morph";
import { afterAll, describe, expect, it } from "vitest";
import { actionsSource } from "../generator/emit/actions.js";
import { emitRoutes, routesSource, RUNTIME_FILE } from "../generator/emit/routes.js";
import { emitRuntime, RUNTIME_MODULES, runtimeSource } from "../generator/emit/runtime.js";
import { bannerLines, withBanner } from "../generator/output/banner.js";
import { joinText } from "../generator/output/file-text.js";
import { buildModel, type Model } from "../generator/model.js";
import { prettierForm } from "./helpers/prettier-form.js";
import { parseSpecText } from "../generator/spec/parse.js";
import type { Spec } from "../generator/spec/types.js";
import {
  modelOf,
  permission,
  realModel,
  loadRoutes,
  removeEmitted,
} from "./helpers/emitted.js";
import { FIXTURES, readFixture, typecheck } from "./helpers/typecheck.js";
import { corpusFile } from "./helpers/corpus.js";

const CONTEXT = { templatesDir: "templates" };

afterAll(removeEmitted);


function routeFiles(model: Model): Record<string, string> {
  return { "routes.ts": routesSource(model.routes).join(""), [RUNTIME_FILE]: runtimeSource("router.ts") };
}

describe("routes > the real training spec", () => {
  it("has every route of the spec, in spec order, with what the spec says about it", async () => {
    const model = realModel();
    const { routes } = await loadRoutes(model);

    expect(Object.keys(routes)).toEqual(model.routes.map((r) => r.id));
    for (const route of model.routes) {
      expect(routes[route.id], route.id).toEqual({
        method: route.method,
        path: route.path,
        params: route.params,
        query: route.query,
        actions: route.actions,
        scopes: route.scopes,
        access: route.access,
        description: route.description,
      });
    }
  });

  it("has a route for each of the 28 rows of the source table", async () => {
    const table = readFileSync(
      corpusFile("training_job_permissions.rst"),
      "utf8",
    );
    const rows = [...table.matchAll(/^ {3}\| (\S[^|]*?) +\| (GET|POST|PUT|DELETE) \//gm)].map(
      (m) => m[1],
    );
    const { routes } = await loadRoutes(realModel());

    expect(rows).toHaveLength(28);
    expect(Object.values(routes).map((r) => r.description)).toEqual(rows);
  });

  it("declares RouteId and RouteParams for exactly the routes, with each route's parameters", () => {
    const model = realModel();
    const file = new Project({ useInMemoryFileSystem: true }).createSourceFile(
      "routes.ts",
      routesSource(model.routes).join(""),
    );

    const ids = file
      .getTypeAliasOrThrow("RouteId")
      .getTypeNodeOrThrow()
      .getDescendantsOfKind(SyntaxKind.StringLiteral);
    expect(ids.map((s) => s.getLiteralValue())).toEqual(model.routes.map((r) => r.id));

    const params = file.getInterfaceOrThrow("RouteParams").getProperties();
    expect(params.map((p) => p.getName())).toEqual(model.routes.map((r) => r.id));
    for (const [i, property] of params.entries()) {
      const names = property
        .getDescendantsOfKind(SyntaxKind.PropertySignature)
        .map((p) => p.getName());
      expect(names).toEqual(model.routes[i]?.params);
    }
  });

  it("type-checks under strict, noUncheckedIndexedAccess, exactOptionalPropertyTypes and isolatedModules", () => {
    expect(typecheck(routeFiles(realModel()))).toEqual([]);
  });

  it("is the same text on every run", () => {
    expect(routesSource(realModel().routes).join("")).toBe(routesSource(realModel().routes).join(""));
  });
});

describe("routes > the copied runtime", () => {
  it("is emitted beside routes.ts as a verbatim copy of generator/runtime/router.ts", async () => {
    const routes = await emitRoutes(modelOf([]), CONTEXT);
    const runtime = await emitRuntime(modelOf([]), CONTEXT);

    expect(routes.map((f) => f.path)).toEqual(["routes.ts"]);
    expect(runtime.find((f) => f.path === RUNTIME_FILE)?.content).toBe(readFileSync("generator/runtime/router.ts", "utf8"));
  });

  // Nothing formats the output, so each copy must already be prettier's own output.
  it.each(RUNTIME_MODULES)("%s with its banner is already in prettier's layout", async (name) => {
    const text = joinText(withBanner("ts", runtimeSource(name), bannerLines(realModel().specs.map((s) => s.source), undefined)));

    expect(await prettierForm("ts", text, `runtime/${name}`)).toBe(text);
  });

  it("type-checks alone under the strict configuration", () => {
    expect(typecheck({ [RUNTIME_FILE]: runtimeSource("router.ts") })).toEqual([]);
  });
});

describe("routes > text from the spec", () => {
  const hostile =
    "ends */ here, `tick`, ${x}, \"quoted\", 'single', back\\slash,\nnew line,\u2028sep\u2029";

  it("keeps a description exactly, whatever characters it holds", async () => {
    const model = modelOf([
      permission("getJob", "GET /v1/{project_id}/jobs/{job_id}", [], hostile),
    ]);
    const { routes } = await loadRoutes(model);

    expect(routes.getJob?.description).toBe(hostile);
    expect(typecheck(routeFiles(model))).toEqual([]);
  });

  it("writes a route id that is not an identifier as a quoted key", async () => {
    const model = modelOf([permission("get-job", "GET /jobs/{job_id}")]);
    const { routes, buildPath } = await loadRoutes(model);

    expect(Object.keys(routes)).toEqual(["get-job"]);
    expect(buildPath("get-job", { job_id: "7" })).toBe("/jobs/7");
    expect(typecheck(routeFiles(model))).toEqual([]);
  });

  it("compiles for a spec with no routes", () => {
    expect(
      typecheck({ ...routeFiles(modelOf([])), "actions.ts": actionsSource(modelOf([])).join("") }),
    ).toEqual([]);
  });

  it("refuses two specs that use the same route id, naming the file", () => {
    const spec = (service: string): Spec => ({
      service,
      source: { page: "p", title: "t", tables: [] },
      permissions: [permission("listJobs", `GET /v1/${service}/jobs`)],
    });
    const model = buildModel([
      { file: "spec/a.yaml", name: "a", hash: "", spec: spec("a") },
      { file: "spec/b.yaml", name: "b", hash: "", spec: spec("b") },
    ]);

    expect(() => emitRoutes(model, CONTEXT)).toThrow(
      'spec/b.yaml:1:1: error: route id "listJobs" is also used by spec/a.yaml; rename the permission id in one of the two specs',
    );
  });
});

describe("routes > buildPath", () => {
  const model = modelOf([
    permission("getVersion", "GET /v1/{project_id}/training-jobs/{job_id}/versions/{version_id}"),
    permission("root", "GET /"),
  ]);

  it("fills each parameter percent-encoded, so a value with / stays one segment", async () => {
    const { buildPath } = await loadRoutes(model);

    expect(
      buildPath("getVersion", { project_id: "p 1", job_id: "a/b?c#d", version_id: "ü%" }),
    ).toBe("/v1/p%201/training-jobs/a%2Fb%3Fc%23d/versions/%C3%BC%25");
    expect(buildPath("root", {})).toBe("/");
  });

  it("throws for a missing, empty, dot or unencodable value instead of building another path", async () => {
    const { buildPath } = await loadRoutes(model);
    const call = (job_id: string | undefined) => () =>
      buildPath("getVersion", {
        project_id: "p",
        version_id: "v",
        ...(job_id === undefined ? {} : { job_id }),
      });

    const where =
      'path parameter "job_id" of /v1/{project_id}/training-jobs/{job_id}/versions/{version_id}';
    expect(call(undefined)).toThrow(`${where} is missing; pass it as a string`);
    expect(call("")).toThrow(`${where} is "", which would change the path`);
    expect(call(".")).toThrow(`${where} is ".", which would change the path`);
    expect(call("..")).toThrow(`${where} is "..", which would change the path`);
    expect(call("\uD800")).toThrow(`${where} holds a lone surrogate`);
  });
});

describe("routes > compile fixtures", () => {
  const fixtureSpec = parseSpecText(readFileSync(`${FIXTURES}/spec.yaml`, "utf8"), "spec.yaml");
  const model = buildModel([
    { file: "spec.yaml", name: "fixture", hash: "", spec: fixtureSpec.data as Spec },
  ]);
  const generated = { ...routeFiles(model), "actions.ts": actionsSource(model).join("") };

  it.each(["valid.ts", "missing-param.ts", "unknown-param.ts", "wrong-id.ts"])(
    "%s fails to compile exactly where its comments say",
    (name) => {
      const { text, expected } = readFixture(name);
      const problems = typecheck({ ...generated, [name]: text });

      expect(problems.filter((p) => p.file !== name)).toEqual([]);
      expect(problems.map((p) => ({ line: p.line, code: p.code }))).toEqual(expected);
    },
  );

  it("names the missing and the unknown parameter in the messages", () => {
    const problems = (name: string) => typecheck({ ...generated, [name]: readFixture(name).text });

    expect(problems("missing-param.ts")[0]?.message).toContain("Property 'version_id' is missing");
    expect(problems("unknown-param.ts")[0]?.message).toContain("'job_id' does not exist in type");
    expect(problems("wrong-id.ts")[0]?.message).toContain(
      "not assignable to parameter of type 'RouteId'",
    );
  });
});
