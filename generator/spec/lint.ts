/**
 * The checks the schema cannot express, run over specs that already have the right shape: id,
 * path and action syntax, ids and routes that collide (across every spec given, because all routes
 * share one generated route table), policy sets that select nothing real, control characters in
 * any text, and warnings for rows a human should look at again.
 */
import { quote, type Diagnostic } from "../diagnostics.js";
import { checkActions, mixedAccess } from "./lint-actions.js";
import {
  permissionName,
  valueAt,
  where,
  type Context,
  type Reporter,
  type Seen,
} from "./lint-context.js";
import { checkPolicySets } from "./lint-policy-sets.js";
import { checkRoutes } from "./lint-routes.js";
import { checkControlCharacters } from "./lint-text.js";
import type { ParsedSpec, PathKey } from "./parse.js";
import { routesOf, type Permission, type Spec } from "./types.js";
import { verbMismatch } from "./verbs.js";

/** A spec that passed the schema, with the parse that knows where each value is written. */
export interface LintInput {
  parsed: ParsedSpec;
  spec: Spec;
}

const ID = /^[a-z][A-Za-z0-9]*$/;
const SERVICE = /^[a-z]+$/;

/** Semantic checks over specs that passed the schema; ids and routes must be unique across all. */
export function lintSpecs(inputs: readonly LintInput[]): Diagnostic[] {
  const lint = startLint();
  for (const input of inputs) lint.add(input);
  return lint.finish();
}

/** Lint fed one spec at a time, so that a caller can drop each parse once it is linted. */
export interface Lint {
  add(input: LintInput): void;
  /** Every problem found, with the checks that need all the specs. */
  finish(): Diagnostic[];
}

/** A lint run; what it remembers between specs holds positions only, never a parse. */
export function startLint(): Lint {
  const diagnostics: Diagnostic[] = [];
  const seen: Seen = {
    ids: new Map(),
    routes: new Map(),
    shapes: new Map(),
    uses: new Map(),
  };

  return {
    add({ parsed, spec }) {
      const report: Reporter = (severity, code, at, message, hint) =>
        diagnostics.push({ file: parsed.file, ...at, severity, code, message, hint });

      checkService(spec, parsed, report);
      checkControlCharacters(spec, parsed, report);
      spec.permissions.forEach((permission, index) =>
        checkPermission(permission, index, { spec, parsed, report, seen }),
      );
      checkPolicySets(spec, parsed, report);
    },
    finish() {
      return [...diagnostics, ...mixedAccess(seen.uses)];
    },
  };
}

function checkService(spec: Spec, parsed: ParsedSpec, report: Reporter): void {
  if (SERVICE.test(spec.service)) return;

  const fixed = spec.service.toLowerCase().replace(/[^a-z]/g, "");
  const hint = fixed
    ? `write ${quote(fixed)}`
    : 'write the service prefix of the actions, such as "modelarts"';
  report(
    "error",
    "service-syntax",
    valueAt(parsed, ["service"]),
    `service ${quote(spec.service)} must be lowercase letters only`,
    hint,
  );
}

function checkPermission(permission: Permission, index: number, context: Context): void {
  const base: PathKey[] = ["permissions", index];

  checkId(permission, base, context);
  checkTable(permission, base, context);
  checkRoutes(permission, base, context);
  checkActions(permission, base, context);

  warnAboutDescription(permission, base, context);
  warnAboutMissingAction(permission, base, context);
  warnAboutVerbatim(permission, base, context);
}

function checkId({ id }: Permission, base: PathKey[], { parsed, report, seen }: Context): void {
  const at = valueAt(parsed, [...base, "id"]);
  if (!ID.test(id)) {
    report(
      "error",
      "id-syntax",
      at,
      `id ${quote(id)} is not a camelCase identifier`,
      `write it as letters and digits starting with a lowercase letter, such as ${quote(camelCase(id))}`,
    );
    return;
  }

  const first = seen.ids.get(id);
  if (first) {
    report(
      "error",
      "duplicate-id",
      at,
      `id ${quote(id)} is already used at ${where(first)}`,
      "ids name routes in one generated table across all specs: rename one of them",
    );
    return;
  }
  seen.ids.set(id, { file: parsed.file, ...at, permission: id });
}

function checkTable(
  permission: Permission,
  base: PathKey[],
  { spec, parsed, report }: Context,
): void {
  const count = spec.source.tables.length;
  const table = permission.table;
  if (table === undefined || (table >= 1 && table <= count)) return;

  const range = count === 1 ? "1" : `1 to ${count}`;
  report(
    "error",
    "table-range",
    valueAt(parsed, [...base, "table"]),
    `table ${permission.table} does not exist: source.tables has ${count}`,
    `use ${range}, the table's position in source.tables`,
  );
}

function warnAboutDescription(
  permission: Permission,
  base: PathKey[],
  { parsed, report }: Context,
): void {
  for (const route of routesOf(permission)) {
    const verb = verbMismatch(permission.description, route.method);
    if (!verb) continue;

    const message = `description ${quote(permission.description)} starts with "${verb}", which does not fit ${route.method} ${route.path}`;
    report(
      "warning",
      "description-verb",
      valueAt(parsed, [...base, "description"]),
      message,
      "check the method against the table, or reword the description",
    );
    return;
  }
}

function warnAboutMissingAction(
  permission: Permission,
  base: PathKey[],
  { parsed, report }: Context,
): void {
  const needsOne = routesOf(permission).length > 0 && permission.actions.length === 0;
  if (!needsOne || permission.noAction !== undefined) return;

  const message = `${permissionName(permission)} has an API but no actions and no "noAction"`;
  report(
    "warning",
    "missing-action",
    parsed.locateKey([...base, "actions"]),
    message,
    'list the actions it needs, or set "noAction" to the table\'s placeholder (such as "-") if it needs none',
  );
}

const VERBATIM_TARGET: Record<string, string> = {
  api: '"method" and "path"',
  action: '"actions"',
  relatedAction: '"relatedActions"',
  iamProject: '"scopes.iamProject"',
  enterpriseProject: '"scopes.enterpriseProject"',
};

function warnAboutVerbatim(
  permission: Permission,
  base: PathKey[],
  { parsed, report }: Context,
): void {
  for (const [cell, text] of Object.entries(permission.verbatim ?? {})) {
    const message = `the importer could not read the ${cell} cell of ${permissionName(permission)}: ${quote(text)}`;
    const hint = `write its meaning into ${VERBATIM_TARGET[cell] ?? "the spec"}, then remove "verbatim.${cell}"`;
    report(
      "warning",
      "verbatim-cell",
      parsed.locateKey([...base, "verbatim", cell]),
      message,
      hint,
    );
  }
}

function camelCase(text: string): string {
  const words = text.split(/[^A-Za-z0-9]+/).filter(Boolean);
  const joined = words
    .map((w, i) =>
      i === 0 ? w.charAt(0).toLowerCase() + w.slice(1) : w.charAt(0).toUpperCase() + w.slice(1),
    )
    .join("");
  return /^[a-z]/.test(joined) ? joined : `op${joined.charAt(0).toUpperCase()}${joined.slice(1)}`;
}
