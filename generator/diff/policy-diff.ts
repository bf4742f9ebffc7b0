/**
 * Compares two versions of the generated policies by what they do: which routes each policy lets
 * a caller reach before and after. A route is reachable under a policy when the policy allows
 * every action the route needs; a route that needs no action is reachable without any policy, so
 * it never counts as a change.
 *
 * A policy that now allows a route it did not is a `review` change and is listed first: widening
 * access is what a security reviewer must see. A route a policy no longer allows is breaking for
 * the callers who relied on it.
 */
import type { CompiledPolicies } from "../runtime/policy.js";
import { change, sortChanges, type Change } from "./change.js";

/** Whether `policy` allows `action` on its own; the one place the evaluator is wired in. */
export type Allows<P> = (policy: P, action: string) => boolean;

/** What the diff needs of a route: its id for the report, its API and the actions it needs. */
export interface RouteNeeds {
  id: string;
  method: string;
  path: string;
  actions: readonly string[];
}

/** Every change in the routes each policy allows, widening first; policies pair by name. */
export function diffPolicies<P>(
  routes: readonly RouteNeeds[],
  before: ReadonlyMap<string, P>,
  after: ReadonlyMap<string, P>,
  allows: Allows<P>,
): Change[] {
  const names = [...new Set([...before.keys(), ...after.keys()])].sort();
  const guarded = routes.filter((route) => route.actions.length > 0);
  return sortChanges(
    names.flatMap((name) => diffPolicy(name, guarded, before.get(name), after.get(name), allows)),
  );
}

/** The route ids `policy` lets a caller reach: those whose every action it allows. */
export function allowedRoutes<P>(
  routes: readonly RouteNeeds[],
  policy: P | undefined,
  allows: Allows<P>,
): Set<string> {
  if (policy === undefined) return new Set();
  const reachable = routes.filter(
    (r) => r.actions.length > 0 && r.actions.every((a) => allows(policy, a)),
  );
  return new Set(reachable.map((r) => r.id));
}

/**
 * The evaluator of `runtime/policy.ts` as an `Allows`: a policy is the documents of its files
 * compiled together (`compilePolicies`), as granting it grants them all; only an outright
 * `allowed` counts, never an unresolved condition.
 */
export const allowsByEvaluation: Allows<CompiledPolicies> = (policy, action) =>
  policy.evaluate([action]).allowed;

function diffPolicy<P>(
  name: string,
  routes: readonly RouteNeeds[],
  before: P | undefined,
  after: P | undefined,
  allows: Allows<P>,
): Change[] {
  const was = allowedRoutes(routes, before, allows);
  const is = allowedRoutes(routes, after, allows);
  const changes: Change[] = [];

  if (before === undefined)
    changes.push(change("policy-added", name, `policy ${name} added`, { after: name }));
  if (after === undefined)
    changes.push(change("policy-removed", name, `policy ${name} removed`, { before: name }));

  for (const route of routes) {
    const api = `${route.method} ${route.path} (${route.id})`;
    if (!was.has(route.id) && is.has(route.id)) {
      const message = `policy ${name} now ALLOWS ${api}, which it did not before`;
      changes.push(
        change("route-now-allowed", name, message, {
          field: route.id,
          before: "denied",
          after: "allowed",
        }),
      );
    }
    if (was.has(route.id) && !is.has(route.id)) {
      const message = `policy ${name} no longer allows ${api}`;
      changes.push(
        change("route-now-denied", name, message, {
          field: route.id,
          before: "allowed",
          after: "denied",
        }),
      );
    }
  }
  return changes;
}
