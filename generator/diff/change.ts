/**
 * One difference between two versions of the specs or of the generated policies, as `permgen diff`
 * reports it, and the order changes are listed in.
 *
 * The JSON output (`permgen diff --format json`) is `{ bump, changes }` with each change exactly
 * the fields of `Change`; optional fields are left out rather than written as null.
 */

/**
 * How a change affects the consumers of the generated package, most urgent first.
 *
 * - `review`: a generated policy now allows a route it did not; a security reviewer looks first.
 * - `breaking`: code or callers that worked before can fail now.
 * - `compatible`: something was added or loosened; nothing that worked stops working.
 * - `docs-only`: wording, errata, notes: generated docs change, generated code does not.
 */
export const SEVERITIES = ["review", "breaking", "compatible", "docs-only"] as const;
export type Severity = (typeof SEVERITIES)[number];

/**
 * Every kind of spec change and its severity: the classification `permgen diff` applies.
 *
 * A parameter renamed in a path (`{service_id}` -> `{serviceId}`) matches the same requests, but it
 * renames a key of the generated `PathParams` type and of `buildPath`'s argument, so TypeScript
 * callers stop compiling: it is breaking. So is an operation id renamed, since ids are `RouteId`s.
 */
export const SPEC_CHANGE_KINDS = {
  "spec-removed": "breaking",
  "service-changed": "breaking",
  "operation-removed": "breaking",
  "id-renamed": "breaking",
  "route-removed": "breaking",
  "route-id-changed": "breaking",
  "method-changed": "breaking",
  "path-changed": "breaking",
  "path-param-renamed": "breaking",
  "query-removed": "breaking",
  "action-removed": "breaking",
  "action-renamed": "breaking",
  "action-required": "breaking",
  "related-action-required": "breaking",
  "scope-narrowed": "breaking",
  "access-raised": "breaking",
  "policy-set-removed": "breaking",
  "policy-set-changed": "breaking",
  "spec-added": "compatible",
  "operation-added": "compatible",
  "route-added": "compatible",
  "query-added": "compatible",
  "action-added": "compatible",
  "action-dropped": "compatible",
  "related-action-dropped": "compatible",
  "scope-widened": "compatible",
  "access-lowered": "compatible",
  "policy-set-added": "compatible",
  "description-changed": "docs-only",
  "note-changed": "docs-only",
  "action-label-changed": "docs-only",
  "table-changed": "docs-only",
  "placeholder-changed": "docs-only",
  "verbatim-changed": "docs-only",
  "errata-changed": "docs-only",
  "source-changed": "docs-only",
  "policy-set-described": "docs-only",
} as const satisfies Record<string, Severity>;

/** Every kind of change between two sets of generated policies, judged by the routes they allow. */
export const POLICY_CHANGE_KINDS = {
  "route-now-allowed": "review",
  "policy-added": "compatible",
  "route-now-denied": "breaking",
  "policy-removed": "breaking",
} as const satisfies Record<string, Severity>;

export type SpecChangeKind = keyof typeof SPEC_CHANGE_KINDS;
export type PolicyChangeKind = keyof typeof POLICY_CHANGE_KINDS;
export type ChangeKind = SpecChangeKind | PolicyChangeKind;

export interface Change {
  severity: Severity;
  /** What kind of difference: a key of `SPEC_CHANGE_KINDS` or `POLICY_CHANGE_KINDS`. */
  kind: ChangeKind;
  /** The operation or route id; the action for action-wide changes; the file or policy name. */
  id: string;
  /** The field that changed, such as `path` or `scopes.iamProject`; for policies, the route id. */
  field?: string;
  before?: string;
  after?: string;
  /** One line for people, quoting the values: `path /v1/x -> /v2/x`. */
  message: string;
}

/** The values a change may carry besides its kind, id and message. */
export interface ChangeDetail {
  field?: string;
  before?: string;
  after?: string;
}

const KINDS: Record<ChangeKind, Severity> = { ...SPEC_CHANGE_KINDS, ...POLICY_CHANGE_KINDS };

/** A change whose severity is the one the tables above give its kind. */
export function change(
  kind: ChangeKind,
  id: string,
  message: string,
  detail: ChangeDetail = {},
): Change {
  // Keys in the documented order, absent ones left out, so the JSON output is stable.
  return {
    severity: KINDS[kind],
    kind,
    id,
    ...(detail.field !== undefined && { field: detail.field }),
    ...(detail.before !== undefined && { before: detail.before }),
    ...(detail.after !== undefined && { after: detail.after }),
    message,
  };
}

/** Orders changes by severity, most urgent first, and otherwise in the order they were found. */
export function sortChanges(changes: readonly Change[]): Change[] {
  return changes
    .map((change, index) => ({ change, index }))
    .sort((a, b) => rank(a.change) - rank(b.change) || a.index - b.index)
    .map(({ change }) => change);
}

/** How many changes each severity has. */
export function countBySeverity(changes: readonly Change[]): Record<Severity, number> {
  const counts: Record<Severity, number> = {
    review: 0,
    breaking: 0,
    compatible: 0,
    "docs-only": 0,
  };
  for (const change of changes) counts[change.severity] += 1;
  return counts;
}

function rank(change: Change): number {
  return SEVERITIES.indexOf(change.severity);
}
