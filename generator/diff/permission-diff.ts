/**
 * Compares two versions of one operation (a spec `permissions` entry) field by field: its routes,
 * the actions and related actions it needs, its scopes, its access level, and its wording.
 *
 * Routes are paired by position, because that is how route ids are made (`id`, or `id_N` when an
 * operation has several), and a route id is what generated code names.
 */
import { accessOfPermission, isReadOnly } from "../spec/access.js";
import { pathShape } from "../spec/paths.js";
import {
  ACCESS_LEVELS,
  actionName,
  routesOf,
  type AccessLevel,
  type Permission,
  type Route,
} from "../spec/types.js";
import { change, type Change, type ChangeDetail, type SpecChangeKind } from "./change.js";

/** An action one operation needed before and another one needs now, in its place. */
export interface ActionRename {
  before: string;
  after: string;
}

export interface PermissionDiff {
  changes: Change[];
  /** Action renames found, so that the spec-wide action list does not report them again. */
  actionRenames: ActionRename[];
}

/**
 * Every change from `before` to `after`, reported under the new id. Pass `idRenamed` when the two
 * were paired by their routes rather than by id: the id change is reported once, by the caller.
 */
export function diffPermission(
  before: Permission,
  after: Permission,
  idRenamed = false,
): PermissionDiff {
  const changes: Change[] = [];
  const add = (kind: SpecChangeKind, id: string, message: string, detail?: ChangeDetail) => {
    changes.push(change(kind, id, message, detail));
  };

  diffRoutes(before, after, idRenamed, add);
  const actionRenames = diffActions(before, after, add);
  diffRelatedActions(before, after, add);
  diffScopes(before, after, add);
  diffWording(before, after, add);
  return { changes, actionRenames };
}

/** The routes of an operation as one line: `GET /v1/x, POST /v1/y`, or `no route`. */
export function routesText(permission: Permission): string {
  const routes = routesOf(permission);
  return routes.length === 0 ? "no route" : routes.map((r) => `${r.method} ${r.path}`).join(", ");
}

/** The ids generated code gives the routes of an operation, as `buildModel` makes them. */
export function routeIds(permission: Permission): string[] {
  const count = routesOf(permission).length;
  return Array.from({ length: count }, (_, i) =>
    count === 1 ? permission.id : `${permission.id}_${i + 1}`,
  );
}

/** The action names an operation needs, each once, in spec order. */
export function actionNames(permission: Permission): string[] {
  return unique(permission.actions.map(actionName));
}

type Add = (kind: SpecChangeKind, id: string, message: string, detail?: ChangeDetail) => void;

function diffRoutes(before: Permission, after: Permission, idRenamed: boolean, add: Add): void {
  const old = routesOf(before);
  const now = routesOf(after);
  const oldIds = routeIds(before);
  const newIds = routeIds(after);
  if (old.length === 0 && now.length === 0) {
    diffAccess(accessOfPermission(before), accessOfPermission(after), after.id, add);
    return;
  }

  for (let i = 0; i < Math.max(old.length, now.length); i += 1) {
    const o = old[i];
    const n = now[i];
    const oldId = oldIds[i] ?? before.id;
    const newId = newIds[i] ?? after.id;
    if (!n) {
      const api = `${o?.method} ${o?.path}`;
      add("route-removed", oldId, `route removed: ${api}`, { before: api });
      continue;
    }
    if (!o) {
      const api = `${n.method} ${n.path}`;
      add("route-added", newId, `route added: ${api}`, { after: api });
      continue;
    }

    if (!idRenamed && oldId !== newId) {
      const message = `route id ${oldId} -> ${newId} (the operation's route count changed)`;
      add("route-id-changed", newId, message, { field: "id", before: oldId, after: newId });
    }
    diffRoute(o, n, newId, add);
    diffAccess(routeAccess(before, o), routeAccess(after, n), newId, add);
  }
}

function diffRoute(o: Route, n: Route, id: string, add: Add): void {
  if (o.method !== n.method) {
    const detail = { field: "method", before: o.method, after: n.method };
    add("method-changed", id, `method ${o.method} -> ${n.method}`, detail);
  }

  const paths = { field: "path", before: o.path, after: n.path };
  if (pathShape(o.path) !== pathShape(n.path)) {
    add("path-changed", id, `path ${o.path} -> ${n.path}`, paths);
  } else if (o.path !== n.path) {
    const message = `path ${o.path} -> ${n.path} (same requests, but PathParams keys change)`;
    add("path-param-renamed", id, message, paths);
  }

  const oldQuery = o.query ?? [];
  const newQuery = n.query ?? [];
  for (const name of oldQuery.filter((q) => !newQuery.includes(q))) {
    add("query-removed", id, `query parameter ${name} removed`, { field: "query", before: name });
  }
  for (const name of newQuery.filter((q) => !oldQuery.includes(q))) {
    add("query-added", id, `query parameter ${name} added`, { field: "query", after: name });
  }

  if ((o.note ?? "") !== (n.note ?? "")) wording(add, "note-changed", id, "note", o.note, n.note);
}

/** The level generated code gives one route: the same rule `buildModel` applies. */
function routeAccess(permission: Permission, route: Route): AccessLevel {
  return permission.access ?? accessOfPermission({ ...permission, routes: [route] });
}

function diffAccess(before: AccessLevel, after: AccessLevel, id: string, add: Add): void {
  const rise = ACCESS_LEVELS.indexOf(after) - ACCESS_LEVELS.indexOf(before);
  if (rise === 0) return;

  // Read-only policies take list and read; crossing that line moves the route in or out of them.
  const crosses = isReadOnly(before) !== isReadOnly(after);
  const detail = { field: "access", before, after };
  if (rise > 0) {
    const why = crosses ? " (read-only policies no longer grant it)" : "";
    add("access-raised", id, `access ${before} -> ${after}${why}`, detail);
  } else {
    const why = crosses ? " (read-only policies now grant it)" : "";
    add("access-lowered", id, `access ${before} -> ${after}${why}`, detail);
  }
}

/**
 * An action that left an operation while another arrived is a rename, paired in spec order; what
 * is left over is an action newly required, or one no longer needed.
 */
function diffActions(before: Permission, after: Permission, add: Add): ActionRename[] {
  const id = after.id;
  const old = actionNames(before);
  const now = actionNames(after);
  const removed = old.filter((a) => !now.includes(a));
  const added = now.filter((a) => !old.includes(a));
  const renames = removed
    .slice(0, added.length)
    .map((a, i) => ({ before: a, after: added[i] ?? "" }));

  const field = "actions";
  for (const { before: from, after: to } of renames) {
    add("action-renamed", id, `action ${from} -> ${to}`, { field, before: from, after: to });
  }
  for (const action of added.slice(renames.length)) {
    const message = `now needs action ${action}; callers whose policies lack it are denied`;
    add("action-required", id, message, { field, after: action });
  }
  for (const action of removed.slice(renames.length)) {
    const none = now.length === 0 ? "; the route now needs no action at all" : "";
    add("action-dropped", id, `no longer needs action ${action}${none}`, { field, before: action });
  }

  for (const action of now.filter((a) => old.includes(a))) {
    const o = labelsOf(before, action);
    const n = labelsOf(after, action);
    if (o !== n) wording(add, "action-label-changed", id, `label of ${action}`, o, n);
  }
  return renames;
}

function diffRelatedActions(before: Permission, after: Permission, add: Add): void {
  const old = before.relatedActions ?? [];
  const now = after.relatedActions ?? [];
  const field = "relatedActions";
  for (const action of now.filter((a) => !old.includes(a))) {
    const message = `now also needs related action ${action}`;
    add("related-action-required", after.id, message, { field, after: action });
  }
  for (const action of old.filter((a) => !now.includes(a))) {
    const message = `no longer needs related action ${action}`;
    add("related-action-dropped", after.id, message, { field, before: action });
  }
}

function diffScopes(before: Permission, after: Permission, add: Add): void {
  for (const scope of ["iamProject", "enterpriseProject"] as const) {
    const o = before.scopes[scope];
    const n = after.scopes[scope];
    if (o === n) continue;

    const detail = { field: `scopes.${scope}`, before: String(o), after: String(n) };
    const message = o
      ? `scopes.${scope} true -> false: granting it in that scope no longer works`
      : `scopes.${scope} false -> true`;
    add(o ? "scope-narrowed" : "scope-widened", after.id, message, detail);
  }
}

function diffWording(before: Permission, after: Permission, add: Add): void {
  const fields: Array<[SpecChangeKind, string, string | undefined, string | undefined]> = [
    ["description-changed", "description", before.description, after.description],
    ["table-changed", "table", text(before.table), text(after.table)],
    ["placeholder-changed", "noAction", before.noAction, after.noAction],
    ["placeholder-changed", "noRelatedAction", before.noRelatedAction, after.noRelatedAction],
    ["verbatim-changed", "verbatim", stable(before.verbatim), stable(after.verbatim)],
    ["errata-changed", "errata", stable(before.errata), stable(after.errata)],
  ];
  for (const [kind, field, o, n] of fields) {
    if (o !== n) wording(add, kind, after.id, field, o, n);
  }
}

/** A change of prose: both values quoted in the message, absent ones shown as `(none)`. */
export function wording(
  add: Add,
  kind: SpecChangeKind,
  id: string,
  field: string,
  before?: string,
  after?: string,
): void {
  const show = (value: string | undefined) =>
    value === undefined ? "(none)" : JSON.stringify(value);
  add(kind, id, `${field} ${show(before)} -> ${show(after)}`, { field, before, after });
}

/** JSON with object keys sorted, so that key order in the YAML does not count as a change. */
export function stable(value: unknown): string | undefined {
  if (value === undefined) return undefined;
  return JSON.stringify(value, (_, v: unknown) =>
    v !== null && typeof v === "object" && !Array.isArray(v)
      ? Object.fromEntries(Object.entries(v).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
      : v,
  );
}

function labelsOf(permission: Permission, action: string): string | undefined {
  const labels = permission.actions.flatMap((ref) =>
    typeof ref !== "string" && ref.action === action ? [ref.label] : [],
  );
  return labels.length === 0 ? undefined : labels.join(", ");
}

function text(value: number | undefined): string | undefined {
  return value === undefined ? undefined : String(value);
}

function unique<T>(items: readonly T[]): T[] {
  return [...new Set(items)];
}
