/**
 * The one canonical text of a spec: fixed key order, plain scalars unless YAML needs quotes, then
 * double quotes, two-space indentation, no line folding, LF endings, and the schema line first.
 *
 * Formatting a canonical file gives the same bytes back, so `fmt --check` is a byte comparison.
 */
import { Document } from "yaml";
import type { ActionRef, Erratum, Permission, PolicySet, Route, Selector, Spec } from "./types.js";

export const SCHEMA_FILE = "permgen.schema.json";
export const SCHEMA_COMMENT = ` yaml-language-server: $schema=./${SCHEMA_FILE}`;

/**
 * Renders a spec. `comment` is the text of the comment lines at the top of the file (without the
 * schema line, which is always written first), so a user's header survives `fmt`.
 */
export function formatSpec(spec: Spec, comment = ""): string {
  const doc = new Document(canonicalSpec(spec), { version: "1.2" });
  doc.commentBefore = [SCHEMA_COMMENT, ...commentLines(comment)].join("\n");
  return doc.toString({
    indent: 2,
    indentSeq: true,
    lineWidth: 0,
    minContentWidth: 0,
    defaultStringType: "PLAIN",
    defaultKeyType: "PLAIN",
    doubleQuotedAsJSON: true,
    singleQuote: false,
    nullStr: "null",
  });
}

/** The user's comment lines, less the schema line, which `formatSpec` writes itself. */
export function userComment(commentBefore: string | null | undefined): string {
  return commentLines(commentBefore ?? "").join("\n");
}

function commentLines(comment: string): string[] {
  return comment
    .split("\n")
    .filter((line) => !line.trim().startsWith("yaml-language-server:"))
    .join("\n")
    .replace(/^\n+|\n+$/g, "")
    .split("\n")
    .filter((line, _, all) => all.length > 1 || line !== "");
}

/** A copy of the spec with keys in canonical order and absent optional keys left out. */
export function canonicalSpec(spec: Spec): Record<string, unknown> {
  return compact({
    service: spec.service,
    source: compact({
      page: spec.source.page,
      title: spec.source.title,
      intro: spec.source.intro,
      tables: spec.source.tables.map((t) => ({ caption: t.caption, columns: [...t.columns] })),
    }),
    policySets: spec.policySets?.map(canonicalPolicySet),
    permissions: spec.permissions.map(canonicalPermission),
  });
}

function canonicalPermission(p: Permission): Record<string, unknown> {
  return compact({
    id: p.id,
    description: p.description,
    table: p.table,
    method: p.method,
    path: p.path,
    query: p.query && [...p.query],
    note: p.note,
    routes: p.routes?.map(canonicalRoute),
    actions: p.actions.map(canonicalAction),
    noAction: p.noAction,
    relatedActions: p.relatedActions && [...p.relatedActions],
    noRelatedAction: p.noRelatedAction,
    scopes: { iamProject: p.scopes.iamProject, enterpriseProject: p.scopes.enterpriseProject },
    access: p.access,
    verbatim: p.verbatim && compact({
      api: p.verbatim.api,
      action: p.verbatim.action,
      relatedAction: p.verbatim.relatedAction,
      iamProject: p.verbatim.iamProject,
      enterpriseProject: p.verbatim.enterpriseProject,
    }),
    errata: p.errata?.map(canonicalErratum),
  });
}

function canonicalRoute(r: Route): Record<string, unknown> {
  return compact({ method: r.method, path: r.path, query: r.query && [...r.query], note: r.note });
}

function canonicalAction(a: ActionRef): unknown {
  return typeof a === "string" ? a : { action: a.action, label: a.label };
}

function canonicalErratum(e: Erratum): Record<string, unknown> {
  return { field: e.field, source: e.source, spec: e.spec, reason: e.reason };
}

function canonicalPolicySet(s: PolicySet): Record<string, unknown> {
  return compact({
    name: s.name,
    description: s.description,
    enterpriseProject: s.enterpriseProject,
    allow: canonicalSelector(s.allow),
    deny: s.deny && canonicalSelector(s.deny),
  });
}

function canonicalSelector(s: Selector): Record<string, unknown> {
  return compact({
    resourceTypes: s.resourceTypes && [...s.resourceTypes],
    access: s.access && [...s.access],
    ids: s.ids && [...s.ids],
    actions: s.actions && [...s.actions],
  });
}

function compact(object: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(object).filter(([, value]) => value !== undefined));
}
