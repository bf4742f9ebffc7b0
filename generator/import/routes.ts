/**
 * Settles the routes of every row once the whole page is read: repairs the slips that have one
 * reading (see `repairs.ts`), records each as an erratum, and keeps a row's API cell verbatim
 * when one of its paths is still not a valid template.
 *
 * The order matters: brace slips first, because the missing-`/` rule needs correctly written
 * routes to confirm it, and the collection-delete rule last, because it compares finished paths.
 */
import { checkPath } from "../spec/paths.js";
import type { Erratum, Permission, Route } from "../spec/types.js";
import type { Finding } from "./cell-text.js";
import type { RawRoute } from "./cells.js";
import {
  repairCollectionDelete,
  repairGluedSegments,
  repairPathSyntax,
  type PathFix,
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

  const valid = sites.filter(isValid).map((site) => site.fix.path);
  for (const site of sites.filter((s) => !isValid(s))) {
    site.fix = combine(site.fix, repairGluedSegments(site.fix.path, valid));
  }

  for (const site of sites.filter(isValid)) {
    const others = sites.filter(
      (o) => o !== site && isValid(o) && (o.draft.table ?? 1) === (site.draft.table ?? 1),
    );
    site.fix = combine(site.fix, repairCollectionDelete(routeSite(site), others.map(routeSite)));
  }

  for (const draft of drafts) {
    finishDraft(
      draft,
      sites.filter((site) => site.draft === draft),
      findings,
    );
  }
  reportRepeatedRoutes(sites.filter(isValid), findings);
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

function routeSite(site: Site): {
  method: string;
  path: string;
  description: string;
  actions: string[];
} {
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
