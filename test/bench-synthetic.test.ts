import { mkdtemp, readdir, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import openapiTS, {
  astToString,
  type OperationObject,
  type PathItemObject,
} from "openapi-typescript";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { syntheticSpecs, toOpenApi, writeSyntheticSpecs } from "../bench/synthetic.mjs";
import { formatDiagnostic } from "../generator/diagnostics.js";
import { formatSpec } from "../generator/spec/format.js";
import { loadSpecs } from "../generator/spec/load.js";
import { pathParams } from "../generator/spec/paths.js";
import { routesOf, type Spec } from "../generator/spec/types.js";

const METHODS = ["get", "put", "post", "delete", "options", "head", "patch"] as const;

let dir: string;

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), "permgen-synthetic-"));
});

afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** Every file the writer wrote into a directory, by name, as bytes. */
async function filesIn(path: string): Promise<Record<string, string>> {
  const names = (await readdir(path)).sort();
  const entries = await Promise.all(
    names.map(async (name) => [name, await readFile(join(path, name), "utf8")] as const),
  );
  return Object.fromEntries(entries);
}

function routeCount(specs: readonly Spec[]): number {
  return specs.reduce((sum, spec) => sum + spec.permissions.flatMap(routesOf).length, 0);
}

/** Depths (segment positions) where a static segment and a parameter share the same parent. */
function staticBesideParamDepths(specs: readonly Spec[]): Set<number> {
  const children = new Map<string, Set<string>>();
  for (const route of specs.flatMap((s) => s.permissions.flatMap(routesOf))) {
    const segments = route.path.split("/").slice(1);
    segments.forEach((segment, depth) => {
      const parent = segments.slice(0, depth).map((s) => (s.startsWith("{") ? "{}" : s));
      const key = `${depth}:${parent.join("/")}`;
      const kind = segment.startsWith("{") ? "{}" : segment;
      children.set(key, (children.get(key) ?? new Set<string>()).add(kind));
    });
  }
  const depths = new Set<number>();
  for (const [key, kinds] of children) {
    if (kinds.has("{}") && kinds.size > 1) depths.add(Number(key.split(":")[0]));
  }
  return depths;
}

describe("synthetic specs > determinism", () => {
  it("writes the same files, byte for byte, for the same route count", async () => {
    await writeSyntheticSpecs(join(dir, "a"), 700, formatSpec);
    await writeSyntheticSpecs(join(dir, "b"), 700, formatSpec);

    const [a, b] = [await filesIn(join(dir, "a")), await filesIn(join(dir, "b"))];
    expect(Object.keys(a).length).toBeGreaterThanOrEqual(3);
    expect(b).toEqual(a);
  });

  it("keeps no state between calls", () => {
    expect(syntheticSpecs(700)).toEqual(syntheticSpecs(700));
  });

  it("holds exactly the number of routes asked for", () => {
    for (const n of [1, 28, 999, 2500]) expect(routeCount(syntheticSpecs(n))).toBe(n);
  });

  it("refuses a count that is not a positive integer", () => {
    expect(() => syntheticSpecs(0)).toThrow(RangeError);
    expect(() => syntheticSpecs(2.5)).toThrow(RangeError);
  });
});

describe("synthetic specs > validity", () => {
  it("passes lint with no errors and no warnings, across every file together", async () => {
    const { files } = await writeSyntheticSpecs(dir, 1500, formatSpec);
    const { specs, diagnostics } = await loadSpecs([dir], dir);

    expect(diagnostics.map(formatDiagnostic)).toEqual([]);
    expect(specs).toHaveLength(files.length);
  });

  it("is canonical: formatting a written file again gives the same bytes", async () => {
    const { specs } = await writeSyntheticSpecs(dir, 300, formatSpec);
    const { specs: loaded } = await loadSpecs([dir], dir);

    const byService = (a: Spec, b: Spec) => (a.service < b.service ? -1 : 1);
    expect(loaded.map((s) => s.spec).sort(byService)).toEqual([...specs].sort(byService));
    for (const spec of specs) {
      const text = await readFile(join(dir, `${spec.service}.yaml`), "utf8");
      const comment = text.split("\n")[1]?.slice(1) ?? "";
      expect(formatSpec(spec, comment)).toBe(text);
    }
  });

  it("has the shapes the matcher and emitters must handle", () => {
    const specs = syntheticSpecs(3000);
    const permissions = specs.flatMap((s) => s.permissions);

    expect(new Set(specs.map((s) => s.service)).size).toBeGreaterThanOrEqual(3);
    expect(staticBesideParamDepths(specs).size).toBeGreaterThanOrEqual(3);
    const nesting = permissions.map((p) => pathParams(p.path ?? "").length);
    expect(Math.max(...nesting)).toBeGreaterThanOrEqual(4);
    expect(permissions.some((p) => p.actions.length >= 2)).toBe(true);
    expect(permissions.some((p) => p.actions.length === 0 && p.noAction !== undefined)).toBe(true);
    const scopes = new Set(permissions.map((p) => p.scopes.enterpriseProject));
    expect(scopes).toEqual(new Set([true, false]));
    expect(permissions.some((p) => p.query !== undefined)).toBe(true);
  });
});

describe("synthetic specs > OpenAPI document", () => {
  const specs = syntheticSpecs(400);
  const doc = toOpenApi(specs);

  it("has one operation per route, named by the route id, with its path parameters", () => {
    const operations = Object.entries(doc.paths ?? {}).flatMap(([path, item]) =>
      METHODS.flatMap((method) => {
        const pathItem = item as PathItemObject;
        const op = pathItem[method] as OperationObject | undefined;
        return op ? [{ path, method, op, item: pathItem }] : [];
      }),
    );
    const routes = specs.flatMap((s) => s.permissions);

    const written = operations.map(
      (o) => `${o.method.toUpperCase()} ${o.path} ${o.op.operationId}`);
    expect(written.sort()).toEqual(routes.map((p) => `${p.method} ${p.path} ${p.id}`).sort());
    for (const { path, item } of operations) {
      const names = (item.parameters ?? []).map((p) => ("name" in p ? p.name : p.$ref));
      expect(names).toEqual(pathParams(path));
    }
  });

  it("is a document openapi-typescript turns into an operation type per route", async () => {
    const text = astToString(await openapiTS(doc));

    for (const permission of specs.flatMap((s) => s.permissions)) {
      expect(text).toContain(`operations["${permission.id}"]`);
    }
  });
});
