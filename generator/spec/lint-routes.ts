/**
 * Lint for the API of a permission: `method` and `path` together or `routes` instead, path
 * template syntax, and routes that repeat or shadow one another across every spec given.
 */
import { checkPath, pathShape } from "./paths.js";
import {
  permissionName,
  placeName,
  valueAt,
  type Context,
  type Place,
  type Reporter,
} from "./lint-context.js";
import type { PathKey } from "./parse.js";
import { routesOf, type Permission, type Route } from "./types.js";

/** Checks how a permission writes its routes, then each route's path and uniqueness. */
export function checkRoutes(permission: Permission, base: PathKey[], context: Context): void {
  checkRouteForm(permission, base, context);
  for (const { route, at } of routeEntries(permission, base)) {
    checkRoute(permission, route, at, context);
  }
}

function checkRouteForm(
  permission: Permission,
  base: PathKey[],
  { parsed, report }: Context,
): void {
  const name = permissionName(permission);
  const single = (["method", "path", "query", "note"] as const).filter(
    (key) => permission[key] !== undefined,
  );

  if (permission.routes) {
    for (const key of single) {
      report(
        "error",
        "route-form",
        parsed.locateKey([...base, key]),
        `${name} has both "routes" and "${key}"`,
        `move "${key}" into an entry of "routes", or remove "routes"`,
      );
    }
    return;
  }

  const hasMethod = permission.method !== undefined;
  const hasPath = permission.path !== undefined;
  if (hasMethod !== hasPath) {
    const [given, missing] = hasMethod ? ["method", "path"] : ["path", "method"];
    report(
      "error",
      "route-form",
      parsed.locateKey([...base, given]),
      `${name} has "${given}" but no "${missing}"`,
      `give "method" and "path" together, or neither`,
    );
  } else if (!hasMethod) {
    for (const key of single) {
      report(
        "error",
        "route-form",
        parsed.locateKey([...base, key]),
        `${name} has "${key}" but no route`,
        `add "method" and "path", or remove "${key}"`,
      );
    }
  }
}

function checkRoute(
  permission: Permission,
  route: Route,
  at: PathKey[],
  { parsed, report, seen }: Context,
): void {
  const problems = checkPath(route.path);
  for (const problem of problems) {
    report(
      "error",
      "path-syntax",
      valueAt(parsed, [...at, "path"], problem.offset),
      problem.message,
      problem.hint,
    );
  }
  if (problems.length > 0) return;

  const here: Place = {
    file: parsed.file,
    ...valueAt(parsed, [...at, "path"]),
    permission: permission.id,
  };
  const text = `${route.method} ${route.path}`;
  const same = seen.routes.get(text);
  if (same) {
    reportRepeat(text, here, same, route.note !== undefined || same.noted, report);
    return;
  }
  seen.routes.set(text, { ...here, noted: route.note !== undefined });

  const shape = `${route.method} ${pathShape(route.path)}`;
  const alike = seen.shapes.get(shape);
  if (alike) {
    report(
      "error",
      "ambiguous-route",
      here,
      `route ${text} matches the same requests as ${alike.route} of ${placeName(alike)}`,
      "the two differ only in parameter names: use the same names, or remove one",
    );
    return;
  }
  seen.shapes.set(shape, { ...here, route: text });
}

/**
 * A repeated route is an error, unless a `note` says what tells the two apart (such as a status in
 * the request body, as tables write for start and stop): then it is a warning, because a matcher
 * that sees only the method and path will pick the first of the two.
 */
function reportRepeat(
  text: string,
  here: Place,
  same: Place,
  noted: boolean,
  report: Reporter,
): void {
  const message = `route ${text} is also the route of ${placeName(same)}`;
  if (noted) {
    const hint =
      "the note tells them apart, but a request matcher sees only method and path and picks the first";
    report("warning", "shared-route", here, message, hint);
  } else {
    const hint = "an API belongs to one permission: remove the repeat or merge the two rows";
    report("error", "duplicate-route", here, message, hint);
  }
}

/** Each route of a permission with the spec path of the mapping that holds its `path`. */
function routeEntries(
  permission: Permission,
  base: PathKey[],
): Array<{ route: Route; at: PathKey[] }> {
  if (permission.routes) {
    return permission.routes.map((route, index) => ({ route, at: [...base, "routes", index] }));
  }
  return routesOf(permission).map((route) => ({ route, at: base }));
}
