/**
 * Settles the routes of every row once the whole page is read: repairs the slips that have one
 * reading (see `repairs.ts`), records each as an erratum, and keeps a row's API cell verbatim
 * when one of its paths is still not a valid template.
 *
 * The order matters: brace slips first, because the missing-`/` rule needs correctly written
 * routes to confirm it, and the collection-delete rule last, because it compares finished paths.
 */
import { checkPath, pathShape } from "../spec/paths.js";
import type { Erratum, Permission, Route } from "../spec/types.js";
import type { Finding } from "./cell-text.js";
import type { RawRoute } from "./cells.js";
import {
  repairCollectionDelete,
  repairGluedSegments,
  repairPathSyntax,
  ShapeIndex,
  type PathFix,
  type RouteSite,
} from "./repairs.js";
import type { Draft } from "./row.js";

interface Site {
  draft: Draft;
  route: RawRoute;
  fix: PathFix;
}

/** Repairs, validates and places every draft's routes; see the module comment for the order. */
export function settleRoutes(drafts: readonly Draft[], findings: Finding[]): void {
  const sites: Site[] = drafts.flatMap((draft) =>
    draft.routes.map((route) => ({ draft, route, fix: repairPathSyntax(route.path) })),
  );

  const valid = new ShapeIndex(sites.filter(isValid).map((site) => site.fix.path));
  for (const site of sites.filter((s) => !isValid(s))) {
    site.fix = combine(site.fix, repairGluedSegments(site.fix.path, valid));
  }

  repairDeletes(sites.filter(isValid));

  const byDraft = groupBy(sites, (site) => site.draft);
  for (const draft of drafts) finishDraft(draft, byDraft.get(draft) ?? [], findings);
  reportRepeatedRoutes(sites.filter(isValid), findings);
}

/**
 * Applies the collection-delete rule to each valid route against the valid routes of its table,
 * looked up by shape. A repaired route joins the routes of its new shape at once, as the rule
 * must see it when it judges the routes after it.
 */
function repairDeletes(valid: readonly Site[]): void {
  const tables = groupBy(valid, (site) => site.draft.table ?? 1);
  for (const sites of tables.values()) {
    const byShape = groupBy(sites.map(routeSite), (route) => pathShape(route.path));
    for (const site of sites) {
      const fix = repairCollectionDelete(routeSite(site), byShape);
      if (fix.reasons.length === 0) continue;

      site.fix = combine(site.fix, fix);
      const shape = pathShape(fix.path);
      byShape.set(shape, [...(byShape.get(shape) ?? []), routeSite(site)]);
    }
  }
}

function groupBy<T, K>(items: readonly T[], key: (item: T) => K): Map<K, T[]> {
  const groups = new Map<K, T[]>();
  for (const item of items) {
    const group = groups.get(key(item));
    if (group) group.push(item);
    else groups.set(key(item), [item]);
  }
  return groups;
}

/**
 * Two rows with the same method, path and note cannot both be right: one of them names the wrong
 * API, and which one is not certain, so both are kept and the later one is reported.
 */
function reportRepeatedRoutes(sites: readonly Site[], findings: Finding[]): void {
  const first = new Map<string, Site>();
  for (const site of sites) {
    const key = `${site.route.method} ${site.fix.path} ${site.route.note ?? ""}`;
    const earlier = first.get(key);
    if (!earlier) {
      first.set(key, site);
      continue;
    }
    if (earlier.draft === site.draft) continue;

    const other = JSON.stringify(earlier.draft.permission.description);
    findings.push({
      ...site.route.at,
      code: "repeated-route",
      message: `${site.route.method} ${site.fix.path} is also the API of ${other} (line ${earlier.route.at.line})`,
      hint: "one of the two rows likely names the wrong API; check the API reference and fix the spec entry",
    });
  }
}

function finishDraft(draft: Draft, sites: readonly Site[], findings: Finding[]): void {
  const { permission } = draft;
  const routes: Route[] = [];
  const errata: Erratum[] = [];

  for (const site of sites) {
    const problem = checkPath(site.fix.path)[0];
    if (problem) {
      findings.push(invalidPath(site, problem.message, problem.offset));
      permission.verbatim = { ...permission.verbatim, api: draft.apiText };
      continue;
    }
    errata.push(...siteErrata(site, findings));
    routes.push(toRoute(site));
  }

  placeRoutes(permission, routes);
  if (errata.length > 0) permission.errata = [...errata, ...(permission.errata ?? [])];
}

function siteErrata(site: Site, findings: Finding[]): Erratum[] {
  const { route, fix } = site;
  const errata: Erratum[] = [];

  if (route.writtenMethod !== undefined) {
    const reason = "HTTP methods are written in upper case";
    errata.push({ field: "method", source: route.writtenMethod, spec: route.method, reason });
    findings.push(
      repaired(
        site,
        `method ${JSON.stringify(route.writtenMethod)} read as ${route.method}: ${reason}`,
      ),
    );
  }
  if (fix.reasons.length > 0) {
    const reason = fix.reasons.join("; ");
    errata.push({ field: "path", source: route.path, spec: fix.path, reason });
    findings.push(
      repaired(
        site,
        `path ${JSON.stringify(route.path)} read as ${JSON.stringify(fix.path)}: ${reason}`,
      ),
    );
  }
  return errata;
}

function placeRoutes(permission: Permission, routes: Route[]): void {
  const [only] = routes;
  if (routes.length > 1) {
    permission.routes = routes;
  } else if (only) {
    permission.method = only.method;
    permission.path = only.path;
    if (only.query) permission.query = only.query;
    if (only.note) permission.note = only.note;
  }
}

function toRoute(site: Site): Route {
  const { route } = site;
  return {
    method: route.method,
    path: site.fix.path,
    ...(route.query ? { query: route.query } : {}),
    ...(route.note ? { note: route.note } : {}),
  };
}

function routeSite(site: Site): RouteSite {
  const { permission } = site.draft;
  const actions = permission.actions.map((ref) => (typeof ref === "string" ? ref : ref.action));
  return {
    method: site.route.method,
    path: site.fix.path,
    description: permission.description,
    actions,
  };
}

function isValid(site: Site): boolean {
  return checkPath(site.fix.path).length === 0;
}

function combine(first: PathFix, second: PathFix): PathFix {
  return { path: second.path, reasons: [...first.reasons, ...second.reasons] };
}

function repaired(site: Site, message: string): Finding {
  return {
    ...site.route.at,
    code: "repaired-path",
    message,
    hint: "recorded as an erratum on the entry; report the defect to the page's authors",
  };
}

function invalidPath(site: Site, problem: string, offset: number): Finding {
  const { line, column } = site.route.at;
  return {
    line,
    column: column + offset,
    code: "invalid-path",
    message: `${problem}, and no certain repair applies`,
    hint: "the API cell is kept in verbatim.api; write the right path into the spec entry",
  };
}
