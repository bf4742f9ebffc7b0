/**
 * What each column of a permissions table holds, told from its header cell.
 *
 * The documentation family words, pluralises, orders and marks up its headers freely
 * (`Action`, `Actions`, `API(s)`, `**API**`, `IAM Project (Project)`), so a header is reduced to
 * lower-case words before it is matched, and the more specific roles are tried first: a
 * `Related Action` column is not an `Action` column, and `Enterprise Project` is not
 * `IAM Project`.
 */

/** What a column can hold, in the order a permission's fields are written. */
export const COLUMN_ROLES = [
  "description",
  "api",
  "action",
  "relatedAction",
  "iamProject",
  "enterpriseProject",
] as const;
export type ColumnRole = (typeof COLUMN_ROLES)[number];

const RULES: ReadonlyArray<readonly [ColumnRole, RegExp]> = [
  ["relatedAction", /\b(related|dependent|dependency|dependencies)\b/],
  ["enterpriseProject", /\benterprise\b/],
  ["iamProject", /^(iam )?projects?\b|\biam projects?\b/],
  ["action", /\b(actions?|authorization items?)\b/],
  ["api", /\b(apis?|uris?|urls?|rest)\b/],
  ["description", /\b(permissions?|operations?|functions?|descriptions?|names?)\b/],
];

/** The role of a header cell, or undefined when it names nothing the spec keeps. */
export function columnRole(header: string): ColumnRole | undefined {
  const words = normalizeHeader(header);
  for (const [role, pattern] of RULES) {
    if (pattern.test(words)) return role;
  }
  return undefined;
}

/**
 * The role of every column of a table; a role claimed by an earlier column leaves later ones
 * undefined, so two `Action` columns never merge silently.
 */
export function columnRoles(headers: readonly string[]): Array<ColumnRole | undefined> {
  const taken = new Set<ColumnRole>();
  return headers.map((header) => {
    const role = columnRole(header);
    if (role === undefined || taken.has(role)) return undefined;
    taken.add(role);
    return role;
  });
}

/** Header text without markup or punctuation: `**API(s)**` becomes `apis`. */
export function normalizeHeader(header: string): string {
  return header
    .replace(/[*`\\]/g, "")
    .replace(/\(s\)/gi, "s")
    .toLowerCase()
    .replace(/[^a-z0-9()]+/g, " ")
    .trim();
}
