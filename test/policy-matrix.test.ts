/**
 * Every generated policy against every route, through the generated code a consumer runs: the set
 * of routes a policy lets through must be exactly what the policy's definition promises. The
 * expectation is worked out here from the route table and the spec's words, not from the
 * generator's selection code.
 */
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { routes } from "../generated/routes.js";
import { evaluateRequest } from "../generated/runtime/policy.js";
import { parseSpecText } from "../generator/spec/parse.js";
import type { Spec } from "../generator/spec/types.js";

const ROOT = join(import.meta.dirname, "..");
const SPEC_FILE = "spec/modelarts-training.yaml";
const spec = parseSpecText(readFileSync(join(ROOT, SPEC_FILE), "utf8"), SPEC_FILE).data as Spec;
const POLICY_DIR = join(ROOT, "generated/policies");

interface Route {
  readonly actions: readonly string[];
  readonly access: string;
}
const allRoutes: Array<[string, Route]> = Object.entries(routes);

const resourceType = (action: string): string => action.split(":")[1] ?? "";
const actionsOf = (ids: readonly string[]): Set<string> =>
  new Set(spec.permissions.filter((p) => ids.includes(p.id)).flatMap((p) => p.actions.map((a) => (typeof a === "string" ? a : a.action))));

/** An action reads only when every route that needs it lists or reads. */
function readsOnly(action: string): boolean {
  return allRoutes.filter(([, r]) => r.actions.includes(action)).every(([, r]) => r.access === "list" || r.access === "read");
}

/** An action takes effect in an enterprise project only when every row that needs it says Y. */
function inEnterpriseProjects(action: string): boolean {
  return spec.permissions
    .filter((p) => p.actions.some((a) => (typeof a === "string" ? a : a.action) === action))
    .every((p) => p.scopes.enterpriseProject);
}

/** Which actions each policy promises, by its file name's suffix, from the definitions. */
function promisedActions(policy: string): { allow: (action: string) => boolean; deny: (action: string) => boolean } {
  const none = () => false;
  const name = policy.replace(/^modelarts-training-/, "").replace(/\.json$/, "");

  if (name === "full-access") return { allow: () => true, deny: none };
  if (name === "read-only") return { allow: readsOnly, deny: none };
  if (name === "enterprise-project-full-access") return { allow: inEnterpriseProjects, deny: none };

  const set = spec.policySets?.find((s) => s.name === name);
  if (set) {
    const denied = actionsOf(set.deny?.ids ?? []);
    return {
      allow: (action) =>
        (set.allow.resourceTypes?.includes(resourceType(action)) ?? true) &&
        (set.allow.access?.every((level) => level === "list" || level === "read") ? readsOnly(action) : true),
      deny: (action) => denied.has(action),
    };
  }

  const type = name.replace(/-full-access$/, "");
  return { allow: (action) => resourceType(action) === type, deny: none };
}

const policyFiles = readdirSync(POLICY_DIR).filter((f) => f.endsWith(".json"));

describe("policy matrix > every generated policy against every route", () => {
  it("covers the standard policies, one per resource type and the spec's policy sets", () => {
    const types = new Set(allRoutes.flatMap(([, r]) => r.actions.map(resourceType)));

    expect(policyFiles.length).toBe(3 + types.size + (spec.policySets?.length ?? 0));
  });

  it.each(policyFiles)("%s allows exactly the routes its definition promises", (file) => {
    const document = JSON.parse(readFileSync(join(POLICY_DIR, file), "utf8")) as unknown;
    const promise = promisedActions(file);

    const allowed = allRoutes.filter(([id, r]) => evaluateRequest([{ label: file, document }], { id, actions: r.actions }).allowed);
    const expected = allRoutes.filter(([, r]) => r.actions.every((a) => promise.allow(a) && !promise.deny(a)));

    expect(allowed.map(([id]) => id)).toEqual(expected.map(([id]) => id));
  });

  it("full access lets every route through and read-only none that writes", () => {
    const decide = (file: string, id: string, r: Route) =>
      evaluateRequest([{ label: file, document: JSON.parse(readFileSync(join(POLICY_DIR, file), "utf8")) as unknown }], { id, actions: r.actions });

    expect(allRoutes.every(([id, r]) => decide("modelarts-training-full-access.json", id, r).allowed)).toBe(true);
    const writes = allRoutes.filter(([, r]) => r.access === "write" && r.actions.length > 0);
    expect(writes.length).toBeGreaterThan(10);
    expect(writes.some(([id, r]) => decide("modelarts-training-read-only.json", id, r).allowed)).toBe(false);
  });

  it("the training-operator set denies deleting a job even together with full access", () => {
    const documents = ["modelarts-training-full-access.json", "modelarts-training-training-operator.json"].map((file) => ({
      label: file,
      document: JSON.parse(readFileSync(join(POLICY_DIR, file), "utf8")) as unknown,
    }));
    const remove = routes.deleteTrainingJob;

    const result = evaluateRequest(documents, { id: "deleteTrainingJob", actions: remove.actions });

    expect(result.allowed).toBe(false);
    expect(result.actions[0]?.statement?.effect).toBe("Deny");
  });
});
