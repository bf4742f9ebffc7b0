/**
 * Re-importing over an existing spec: what a matched entry carries over, and the one-line report
 * of which rows are new, gone or changed.
 *
 * A matched entry keeps its id and its `access` override. Its errata are kept while they still
 * apply: an erratum the importer finds again keeps the existing wording of its reason, and one
 * the importer cannot find by itself (written by hand) is applied again when the page still says
 * what it corrects; otherwise it is dropped and the drop is reported.
 */
import type { Position } from "../diagnostics.js";
import {
  actionName,
  HTTP_METHODS,
  routesOf,
  type ActionRef,
  type Erratum,
  type HttpMethod,
  type Permission,
  type Spec,
} from "../spec/types.js";

/** An existing spec read from disk, with a way to point at its entries. */
export interface ExistingSpec {
  file: string;
  spec: Spec;
  /** The comment lines at the top of the file, without the schema line. */
  comment: string;
  locate(path: ReadonlyArray<string | number>): Position;
}

/** Carries over what a matched entry keeps; returns the change report, one line per row. */
export function mergeExisting(
  entries: Permission[],
  places: readonly Position[],
  matches: ReadonlyArray<number | undefined>,
  existing: ExistingSpec,
  file: string,
): string[] {
  const report: string[] = [];
  const old = existing.spec.permissions;

  entries.forEach((entry, index) => {
    const at = places[index] ?? { line: 1, column: 1 };
    const match = matches[index];
    const before = match === undefined ? undefined : old[match];
    if (!before) {
      report.push(
        `${file}:${at.line}:${at.column}: new: ${entry.id} ${JSON.stringify(entry.description)}`,
      );
      return;
    }

    const { added, dropped } = carryOver(entry, before);
    const changes = [
      ...differences(before, entry),
      ...added.map((e) => `erratum added (${describe(e)})`),
      ...dropped.map((e) => `erratum dropped (${describe(e)})`),
    ];
    if (changes.length > 0)
      report.push(`${file}:${at.line}:${at.column}: changed: ${entry.id}: ${changes.join("; ")}`);
  });

  const taken = new Set(matches);
  old.forEach((entry, index) => {
    if (taken.has(index)) return;
    const at = existing.locate(["permissions", index]);
    report.push(
      `${existing.file}:${at.line}:${at.column}: gone: ${entry.id} ${JSON.stringify(entry.description)}`,
    );
  });
  return report;
}

/** Moves `access` and still-valid errata from the old entry; returns which errata came and went. */
function carryOver(
  entry: Permission,
  before: Permission,
): { added: Erratum[]; dropped: Erratum[] } {
  if (before.access) entry.access = before.access;

  const found = entry.errata ?? [];
  const added = found.filter((erratum) => !before.errata?.some((old) => sameRepair(old, erratum)));
  const dropped: Erratum[] = [];
  const kept = found.map(
    (erratum) => before.errata?.find((old) => sameRepair(old, erratum)) ?? erratum,
  );

  for (const old of before.errata ?? []) {
    if (found.some((erratum) => sameRepair(old, erratum))) continue;
    if (applyErratum(entry, old)) kept.push(old);
    else dropped.push(old);
  }

  if (kept.length > 0) entry.errata = kept;
  return { added, dropped };
}

function sameRepair(a: Erratum, b: Erratum): boolean {
  return a.field === b.field && a.source === b.source && a.spec === b.spec;
}

/**
 * Applies a hand-written erratum where the entry still says its `source`: the description, a
 * route's method or path, or an action (alone, or the cell's whole list as `a, b`).
 */
function applyErratum(entry: Permission, erratum: Erratum): boolean {
  const { field, source, spec } = erratum;
  if (field === "description" && entry.description === source) {
    entry.description = spec;
    return true;
  }
  if (field === "path" || field === "method") return applyToRoutes(entry, field, source, spec);
  if (field === "actions")
    return applyToList(entry.actions, source, spec, (list) => (entry.actions = list));
  if (field === "relatedActions" && entry.relatedActions) {
    return applyToList(
      entry.relatedActions,
      source,
      spec,
      (list) => (entry.relatedActions = list.map(actionName)),
    );
  }
  return false;
}

function applyToRoutes(
  entry: Permission,
  field: "path" | "method",
  source: string,
  spec: string,
): boolean {
  const routes: Array<{ method?: HttpMethod; path?: string }> = entry.routes ?? [entry];
  const route = routes.find((r) => r[field] === source);
  if (!route) return false;

  if (field === "path") route.path = spec;
  else if (isMethod(spec)) route.method = spec;
  else return false;
  return true;
}

function isMethod(text: string): text is HttpMethod {
  return (HTTP_METHODS as readonly string[]).includes(text);
}

function applyToList(
  list: readonly ActionRef[],
  source: string,
  spec: string,
  set: (list: ActionRef[]) => void,
): boolean {
  const names = list.map(actionName);
  const replacement = spec.split(/,\s*/).filter((name) => name !== "");
  if (names.join(", ") === source) {
    set(replacement);
    return true;
  }

  const at = names.indexOf(source);
  if (at < 0) return false;
  set([...list.slice(0, at), ...replacement, ...list.slice(at + 1)]);
  return true;
}

/** What differs between the old and the new reading of a row, for the report. */
function differences(before: Permission, after: Permission): string[] {
  const changes: string[] = [];
  const compare = (name: string, a: string, b: string): void => {
    if (a !== b) changes.push(`${name} ${a} -> ${b}`);
  };

  compare("description", JSON.stringify(before.description), JSON.stringify(after.description));
  compare("routes", routeText(before), routeText(after));
  compare(
    "actions",
    actionText(before.actions, before.noAction),
    actionText(after.actions, after.noAction),
  );
  compare(
    "related actions",
    actionText(before.relatedActions ?? [], before.noRelatedAction),
    actionText(after.relatedActions ?? [], after.noRelatedAction),
  );
  compare("scopes", scopeText(before), scopeText(after));
  compare("table", String(before.table ?? 1), String(after.table ?? 1));
  return changes;
}

function routeText(p: Permission): string {
  const routes = routesOf(p).map(
    (r) =>
      `${r.method} ${r.path}${r.query ? `{?${r.query.join(",")}}` : ""}${r.note ? ` ${r.note}` : ""}`,
  );
  return `[${routes.join(", ")}]`;
}

function actionText(actions: readonly ActionRef[], placeholder: string | undefined): string {
  if (actions.length === 0 && placeholder !== undefined) return JSON.stringify(placeholder);
  return `[${actions.map((a) => (typeof a === "string" ? a : `${a.label}: ${a.action}`)).join(", ")}]`;
}

function scopeText(p: Permission): string {
  return `iamProject=${p.scopes.iamProject} enterpriseProject=${p.scopes.enterpriseProject}`;
}

function describe(erratum: Erratum): string {
  return `${erratum.field} ${JSON.stringify(erratum.source)} -> ${JSON.stringify(erratum.spec)}`;
}
