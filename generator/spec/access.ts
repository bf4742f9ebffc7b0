/**
 * The access level of an action and of a route, derived by one documented rule.
 *
 * 1. An `access:` key on the permission wins.
 * 2. Otherwise the action's operation name decides, by its leading verb (`listDatasets` is `list`,
 *    `getMonitor` is `read`, `create` is `write`, `tagResource` is `tagging`). The operation name
 *    comes first because tables list and query with POST.
 * 3. An operation whose verb is not known falls back to the HTTP method: GET and HEAD read,
 *    anything else writes. A permission with no action uses its method alone.
 *
 * When a permission has several actions, or an action several routes, the highest level counts:
 * a read-only policy must never take an action that some route uses to write.
 */
import { ACCESS_LEVELS, actionName, routesOf, type AccessLevel, type HttpMethod, type Permission } from "./types.js";

const VERBS: ReadonlyArray<readonly [AccessLevel, readonly string[]]> = [
  ["list", ["list"]],
  ["read", ["get", "show", "describe", "query", "view", "preview", "check", "download", "search", "head", "count", "display"]],
  ["tagging", ["tag", "untag"]],
  ["permissions", ["grant", "revoke", "assume", "setpolicy", "putpolicy", "deletepolicy", "setacl", "putacl"]],
];

/** The level an operation name implies, or undefined when its verb is not one we know. */
export function accessOfOperation(operation: string): AccessLevel | undefined {
  const lower = operation.toLowerCase();
  for (const [level, verbs] of VERBS) {
    if (verbs.some((verb) => startsWithVerb(lower, verb, operation))) return level;
  }
  return undefined;
}

export function accessOfMethod(method: HttpMethod): AccessLevel {
  return method === "GET" || method === "HEAD" ? "read" : "write";
}

/** The level of one action on one route: rule steps 2 and 3. */
export function accessOfAction(action: string, method: HttpMethod | undefined): AccessLevel {
  const operation = action.split(":")[2] ?? "";
  return accessOfOperation(operation) ?? (method ? accessOfMethod(method) : "write");
}

/** The level of a permission's routes: its override, or the highest of its actions. */
export function accessOfPermission(permission: Permission): AccessLevel {
  if (permission.access) return permission.access;

  const methods = routesOf(permission).map((r) => r.method);
  const method = methods.length > 0 ? highestMethod(methods) : undefined;
  const actions = permission.actions.map(actionName);
  if (actions.length === 0) return method ? accessOfMethod(method) : "read";

  return highest(actions.map((action) => accessOfAction(action, method)));
}

export function highest(levels: readonly AccessLevel[]): AccessLevel {
  return levels.reduce<AccessLevel>(
    (top, level) => (ACCESS_LEVELS.indexOf(level) > ACCESS_LEVELS.indexOf(top) ? level : top),
    "list",
  );
}

/** Read-only policies take these levels and no others. */
export function isReadOnly(level: AccessLevel): boolean {
  return level === "list" || level === "read";
}

/** The verb must end at a word boundary: `get` in `getMonitor` and `get`, not in `getaway`. */
function startsWithVerb(lower: string, verb: string, original: string): boolean {
  if (!lower.startsWith(verb)) return false;
  const next = original.charAt(verb.length);
  return next === "" || (next >= "A" && next <= "Z") || next === "_" || next === "-";
}

function highestMethod(methods: readonly HttpMethod[]): HttpMethod {
  return methods.find((m) => accessOfMethod(m) === "write") ?? methods[0] ?? "GET";
}
