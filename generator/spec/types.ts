/**
 * The canonical spec format: what `spec/*.yaml` holds once parsed.
 *
 * One file holds one documentation page of one service: where the page comes from, the tables it
 * holds, and one `permissions` entry per table row, in the page's order. The JSON Schema in
 * `spec/permgen.schema.json` describes the same shape for editors; `lint` checks both.
 */

export const HTTP_METHODS = ["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"] as const;
export type HttpMethod = (typeof HTTP_METHODS)[number];

/**
 * How much an action lets a caller do, from least to most. Policies select by it: read-only
 * policies take `list` and `read`.
 */
export const ACCESS_LEVELS = ["list", "read", "tagging", "write", "permissions"] as const;
export type AccessLevel = (typeof ACCESS_LEVELS)[number];

export interface Spec {
  /** The service prefix of every action in `actions`, such as `modelarts`. */
  service: string;
  source: SpecSource;
  /** Named policies built from selectors, rendered beside the standard ones. */
  policySets?: PolicySet[];
  permissions: Permission[];
}

export interface SpecSource {
  /** The page id of the documentation page, such as `modelarts_03_0163`. */
  page: string;
  /** The page's title, such as `Training Job Permissions`. */
  title: string;
  /** Prose between the title and the first table, kept so the page can be produced again. */
  intro?: string;
  /** The page's tables in page order; a permission names its table by position from 1. */
  tables: SourceTable[];
}

export interface SourceTable {
  /** The caption without its `Table N` label. */
  caption: string;
  /** The header cells as the page writes them, in column order. */
  columns: string[];
}

export interface Route {
  method: HttpMethod;
  /** A path template: `/v1/{project_id}/training-jobs/{job_id}`. */
  path: string;
  /** Query parameters an RFC 6570 `{?a,b}` expansion named after the path. */
  query?: string[];
  /** Prose the table adds after the path, such as `(with statuses in the request body)`. */
  note?: string;
}

/** An action as a table cell lists it: a bare action, or one with a condition label. */
export type ActionRef = string | LabelledAction;

export interface LabelledAction {
  action: string;
  /** The condition under which the action applies, such as `Restart`. */
  label: string;
}

export interface Scopes {
  /** The action takes effect when granted in an IAM project. */
  iamProject: boolean;
  /** The action takes effect when granted in an enterprise project. */
  enterpriseProject: boolean;
}

/** A cell of the source table that the importer kept as written because it could not read it. */
export interface Verbatim {
  api?: string;
  action?: string;
  relatedAction?: string;
  iamProject?: string;
  enterpriseProject?: string;
}

/** A repair of a defect in the source table: what the page says, what the spec says, and why. */
export interface Erratum {
  /** Which cell was repaired: `path`, `method`, `actions` or `relatedActions`. */
  field: string;
  source: string;
  spec: string;
  reason: string;
}

export interface Permission {
  /** A stable camelCase operation id; a re-import keeps it even when the wording changes. */
  id: string;
  /** The table's wording for the operation. */
  description: string;
  /** Which of `source.tables` the row belongs to, from 1; written only when there are several. */
  table?: number;
  method?: HttpMethod;
  path?: string;
  query?: string[];
  note?: string;
  /** Several APIs for one row; used instead of `method` and `path`. */
  routes?: Route[];
  /** Empty when the table says the operation needs no action. */
  actions: ActionRef[];
  /** The placeholder the table wrote for "no action", such as `-` or `N/A`. */
  noAction?: string;
  /** Actions of this or other services that must be granted as well. */
  relatedActions?: string[];
  noRelatedAction?: string;
  scopes: Scopes;
  /** Overrides the access level derived from the action and method. */
  access?: AccessLevel;
  verbatim?: Verbatim;
  errata?: Erratum[];
}

/** Which actions a selector picks: every field given must match (and), any value within a field. */
export interface Selector {
  resourceTypes?: string[];
  access?: AccessLevel[];
  ids?: string[];
  actions?: string[];
}

export interface PolicySet {
  /** A file-name-safe name: lowercase letters, digits and `-`. */
  name: string;
  description?: string;
  allow: Selector;
  /** Actions denied explicitly, even when another policy allows them. */
  deny?: Selector;
  /** Keep only actions that take effect in an enterprise project. */
  enterpriseProject?: boolean;
}

/** The routes of a permission whichever way the spec writes them. */
export function routesOf(permission: Permission): Route[] {
  if (permission.routes) return permission.routes;
  if (permission.method === undefined || permission.path === undefined) return [];

  const route: Route = { method: permission.method, path: permission.path };
  if (permission.query) route.query = permission.query;
  if (permission.note) route.note = permission.note;
  return [route];
}

export function actionName(ref: ActionRef): string {
  return typeof ref === "string" ? ref : ref.action;
}
