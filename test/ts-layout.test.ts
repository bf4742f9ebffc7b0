/**
 * `routes.ts` and `actions.ts` are written in their final layout, with no formatter run after the
 * emitters: these tests prove pinned prettier, with the project's options, leaves every byte as it
 * is, on the real spec, on a large synthetic one and on specs full of hostile strings and of names
 * long enough to cross the line width at every place a list, object or union can break.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { syntheticSpecs } from "../bench/synthetic.mjs";
import { actionsSource } from "../generator/emit/actions.js";
import { routesSource } from "../generator/emit/routes.js";
import { buildModel, type Model } from "../generator/model.js";
import { loadSpecs } from "../generator/spec/load.js";
import type { Permission, Spec } from "../generator/spec/types.js";
import { ROOT } from "./helpers/hostile-project.js";
import { batch, modelOf, RUNS, specOf } from "./helpers/hostile-strings.js";
import { prettierForm } from "./helpers/prettier-form.js";

async function expectFixpoint(model: Model): Promise<void> {
  for (const [path, text] of [
    ["routes.ts", routesSource(model.routes).join("")],
    ["actions.ts", actionsSource(model).join("")],
  ] as const) {
    expect(await prettierForm("ts", text, path), path).toBe(text);
  }
}

function syntheticModel(routeCount: number): Model {
  const specs = syntheticSpecs(routeCount);
  return buildModel(
    specs.map((spec) => ({ file: `spec/${spec.service}.yaml`, name: spec.service, hash: "0".repeat(64), spec })),
  );
}

describe("the TypeScript emitters' layout", () => {
  it("is prettier's on the real spec", async () => {
    const loaded = await loadSpecs(["spec"], ROOT);
    expect(loaded.diagnostics.filter((d) => d.severity === "error")).toEqual([]);

    await expectFixpoint(buildModel(loaded.specs));
  });

  it("is prettier's on 1,000 synthetic routes across several services", { timeout: 120_000 }, async () => {
    await expectFixpoint(syntheticModel(1000));
  });

  it("is prettier's on a spec with no permissions", async () => {
    const empty = specOf({ title: "t", caption: "c", setDescription: "d", rows: [] });
    await expectFixpoint(modelOf({ ...empty, policySets: [] }));
  });

  it("is prettier's whatever the strings hold (1,000 hostile permissions)", { timeout: 300_000 }, async () => {
    await fc.assert(
      fc.asyncProperty(batch, async (b) => {
        await expectFixpoint(modelOf(specOf(b)));
      }),
      { numRuns: RUNS },
    );
  });

  it("breaks lists, objects and unions exactly where prettier does", { timeout: 300_000 }, async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(widths, { minLength: 1, maxLength: 6 }), async (rows) => {
        await expectFixpoint(modelOf(widthSpec(rows)));
      }),
      { numRuns: 300 },
    );
  });
});

/** A permission's name lengths: chosen so that lines land on both sides of the width. */
interface Widths {
  id: number;
  params: number[];
  queries: number[];
  actions: number[];
  description: number;
  /** Whether the description is in a script prettier counts two columns a character. */
  wide: boolean;
}

const widths: fc.Arbitrary<Widths> = fc.record({
  id: fc.integer({ min: 1, max: 60 }),
  params: fc.array(fc.integer({ min: 1, max: 40 }), { maxLength: 5 }),
  queries: fc.array(fc.integer({ min: 1, max: 30 }), { maxLength: 4 }),
  actions: fc.array(fc.integer({ min: 1, max: 40 }), { minLength: 1, maxLength: 5 }),
  description: fc.integer({ min: 0, max: 120 }),
  wide: fc.boolean(),
});

function word(prefix: string, length: number): string {
  return (prefix + "x".repeat(length)).slice(0, Math.max(prefix.length, length));
}

function widthSpec(rows: readonly Widths[]): Spec {
  const permissions = rows.map((w, i): Permission => {
    const params = w.params.map((n, j) => word(`p${j}`, n));
    const query = w.queries.map((n, j) => word(`q${j}`, n));
    return {
      id: word(`op${i}`, w.id),
      description: w.wide ? `D${"漢".repeat(Math.floor(w.description / 2))}` : `D${"d".repeat(w.description)}`,
      method: "GET",
      path: `/v1/r${i}${params.map((p) => `/{${p}}`).join("")}`,
      ...(query.length > 0 ? { query } : {}),
      actions: w.actions.map((n, j) => `svc:${word(`t${i}`, n)}:${word(`o${j}`, n)}`),
      scopes: { iamProject: true, enterpriseProject: i % 2 === 0 },
    };
  });
  return {
    service: "svc",
    source: { page: "svc_01", title: "Widths", tables: [{ caption: "c", columns: ["Permission"] }] },
    permissions,
  };
}
