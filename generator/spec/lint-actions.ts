/**
 * Lint for actions: `service:resourceType:operation` syntax, the spec's own service in `actions`,
 * no wildcards, and a warning when one action is read on some routes and written on others.
 */
import { quote, type Diagnostic } from "../diagnostics.js";
import { accessOfAction } from "./access.js";
import { placeName, valueAt, type ActionUse, type Context } from "./lint-context.js";
import type { PathKey } from "./parse.js";
import { actionName, routesOf, type Permission } from "./types.js";

const SERVICE = /^[a-z]+$/;

/** Checks the actions and related actions of a permission, and records where each is used. */
export function checkActions(permission: Permission, base: PathKey[], context: Context): void {
  const { parsed, report, spec } = context;
  const service = SERVICE.test(spec.service) ? spec.service : undefined;

  permission.actions.forEach((ref, index) => {
    const at = [...base, "actions", index, ...(typeof ref === "string" ? [] : ["action"])];
    const problem = actionProblem(actionName(ref), service);
    if (problem)
      report(
        "error",
        problem.code,
        valueAt(parsed, at, problem.offset),
        problem.message,
        problem.hint,
      );
    else recordUse(permission, actionName(ref), at, context);
  });

  permission.relatedActions?.forEach((action, index) => {
    const problem = actionProblem(action, undefined);
    const at = valueAt(parsed, [...base, "relatedActions", index], problem?.offset);
    if (problem) report("error", problem.code, at, problem.message, problem.hint);
  });
}

interface ActionProblem {
  code: string;
  /** Where in the action text the problem is. */
  offset: number;
  message: string;
  hint: string;
}

/** The first thing wrong with an action; `service` is the one it must belong to, if any. */
function actionProblem(action: string, service: string | undefined): ActionProblem | undefined {
  const problem = (code: string, offset: number, message: string, hint: string): ActionProblem => ({
    code,
    offset,
    message: `action ${quote(action)} ${message}`,
    hint,
  });

  const space = action.search(/\s/);
  if (space >= 0)
    return problem(
      "action-syntax",
      space,
      "contains whitespace",
      "remove it: an action is one word",
    );

  const star = action.indexOf("*");
  if (star >= 0) {
    return problem(
      "action-wildcard",
      star,
      'contains "*"',
      "wildcards belong in policies: name each action the operation needs",
    );
  }

  const parts = action.split(":");
  if (parts.length !== 3) {
    const example = `${service ?? "modelarts"}:trainJob:create`;
    return problem(
      "action-syntax",
      0,
      "is not service:resourceType:operation",
      `write three parts separated by ":", such as "${example}"`,
    );
  }

  const empty = parts.findIndex((part) => part === "");
  if (empty >= 0) {
    const name = ["service", "resource type", "operation"][empty] ?? "part";
    return problem(
      "action-syntax",
      0,
      `has an empty ${name}`,
      `write the ${name} between the colons`,
    );
  }

  const prefix = parts[0] ?? "";
  if (!SERVICE.test(prefix)) {
    const fixed = prefix.toLowerCase().replace(/[^a-z]/g, "");
    return problem(
      "action-syntax",
      0,
      `has service ${quote(prefix)}, which must be lowercase letters only`,
      `write ${quote(fixed)}`,
    );
  }
  // Generated policies and names take only these; lint says so where the action is written.
  const odd = action.search(/[^A-Za-z0-9_:-]/);
  if (odd >= 0) {
    return problem(
      "action-syntax",
      odd,
      `contains ${quote(action.charAt(odd))}`,
      'use letters, digits, "_" and "-" in the resource type and operation',
    );
  }
  if (service !== undefined && prefix !== service) {
    return problem(
      "action-service",
      0,
      `belongs to service "${prefix}", not to this spec's service "${service}"`,
      `use a "${service}:" action here; actions of other services go in "relatedActions"`,
    );
  }
  return undefined;
}

function recordUse(
  permission: Permission,
  action: string,
  at: PathKey[],
  { parsed, seen }: Context,
): void {
  const uses = seen.uses.get(action) ?? [];
  for (const route of routesOf(permission)) {
    const level = permission.access ?? accessOfAction(action, route.method);
    uses.push({
      file: parsed.file,
      ...valueAt(parsed, at),
      permission: permission.id,
      level,
      route: `${route.method} ${route.path}`,
    });
  }
  seen.uses.set(action, uses);
}

/** One warning per action that some routes read with and others write with. */
export function mixedAccess(uses: Map<string, ActionUse[]>): Diagnostic[] {
  const diagnostics: Diagnostic[] = [];

  for (const [action, list] of uses) {
    const first = list[0];
    const other = list.find((use) => use.level !== first?.level);
    if (!first || !other) continue;

    const message = `action ${quote(action)} is ${other.level} on ${other.route} but ${first.level} on ${first.route} (${placeName(first)})`;
    const hint =
      'policies use the highest level; set "access:" on the permissions if that is wrong, or check the table';
    diagnostics.push({
      file: other.file,
      line: other.line,
      column: other.column,
      severity: "warning",
      code: "mixed-access",
      message,
      hint,
    });
  }
  return diagnostics;
}
