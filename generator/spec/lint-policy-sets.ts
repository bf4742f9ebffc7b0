/**
 * Lint for `policySets`: names that can become file names and are unique in the spec, and
 * selectors that name only resource types, ids and actions the spec has. A selector that names
 * nothing would select every action or none; either way it is a mistake.
 */
import { quote } from "../diagnostics.js";
import { valueAt, type Reporter } from "./lint-context.js";
import type { ParsedSpec, PathKey } from "./parse.js";
import { closest } from "./schema.js";
import { actionName, type PolicySet, type Selector, type Spec } from "./types.js";

const NAME = /^[a-z0-9][a-z0-9-]*$/;

type RefField = "resourceTypes" | "ids" | "actions";

const FIELD_NOUN: Record<RefField, string> = {
  resourceTypes: "resource type",
  ids: "permission id",
  actions: "action",
};

/** Checks every policy set of one spec against that spec's permissions. */
export function checkPolicySets(spec: Spec, parsed: ParsedSpec, report: Reporter): void {
  const known = knownRefs(spec);
  const names = new Map<string, string>();

  spec.policySets?.forEach((set, index) => {
    const base: PathKey[] = ["policySets", index];
    checkName(set, base, names, parsed, report);
    checkSelector(set, "allow", set.allow, base, known, parsed, report);
    if (set.deny) checkSelector(set, "deny", set.deny, base, known, parsed, report);
  });
}

function checkName(
  set: PolicySet,
  base: PathKey[],
  names: Map<string, string>,
  parsed: ParsedSpec,
  report: Reporter,
): void {
  const at = valueAt(parsed, [...base, "name"]);
  if (!NAME.test(set.name)) {
    const fixed = set.name
      .toLowerCase()
      .replace(/[^a-z0-9-]+/g, "-")
      .replace(/^-+/, "");
    report(
      "error",
      "policy-set-name",
      at,
      `policy set name ${quote(set.name)} is not file-name safe`,
      `use lowercase letters, digits and "-", starting with a letter or digit, such as ${quote(fixed || "my-policy")}`,
    );
    return;
  }

  const first = names.get(set.name);
  if (first) {
    report(
      "error",
      "duplicate-policy-set",
      at,
      `policy set name ${quote(set.name)} is already used at ${first}`,
      "give each policy set its own name",
    );
    return;
  }
  names.set(set.name, `${parsed.file}:${at.line}:${at.column}`);
}

function checkSelector(
  set: PolicySet,
  side: "allow" | "deny",
  selector: Selector,
  base: PathKey[],
  known: Record<RefField, Set<string>>,
  parsed: ParsedSpec,
  report: Reporter,
): void {
  const path = [...base, side];
  const fields = Object.entries(selector).filter(([, values]) => values !== undefined);
  if (fields.length === 0) {
    report(
      "error",
      "empty-selector",
      parsed.locate(path),
      `policy set ${quote(set.name)} has an empty "${side}" selector`,
      "name at least one of resourceTypes, access, ids or actions",
    );
    return;
  }

  for (const [field, values] of fields as Array<[keyof Selector, string[]]>) {
    if (values.length === 0) {
      report(
        "error",
        "empty-selector",
        parsed.locate([...path, field]),
        `"${side}.${field}" of policy set ${quote(set.name)} is an empty list, so it selects nothing`,
        "list values, or remove the key",
      );
      continue;
    }
    if (field !== "access")
      checkRefs(set, field, values, [...path, field], known[field], parsed, report);
  }
}

function checkRefs(
  set: PolicySet,
  field: RefField,
  values: string[],
  path: PathKey[],
  known: Set<string>,
  parsed: ParsedSpec,
  report: Reporter,
): void {
  const noun = FIELD_NOUN[field];
  values.forEach((value, index) => {
    if (known.has(value)) return;

    const guess = closest(value, [...known]);
    const hint = guess ? `did you mean ${quote(guess)}?` : `name one this spec has${listed(known)}`;
    report(
      "error",
      `unknown-${noun.replace(" ", "-")}`,
      valueAt(parsed, [...path, index]),
      `policy set ${quote(set.name)} selects ${noun} ${quote(value)}, which this spec does not have`,
      hint,
    );
  });
}

function knownRefs(spec: Spec): Record<RefField, Set<string>> {
  const actions = spec.permissions.flatMap((p) => p.actions.map(actionName));
  return {
    resourceTypes: new Set(actions.map((a) => a.split(":")[1] ?? "")),
    ids: new Set(spec.permissions.map((p) => p.id)),
    actions: new Set(actions),
  };
}

/** A short list of what exists, when it is short enough to print. */
function listed(known: Set<string>): string {
  if (known.size === 0) return " (it has none)";
  return known.size <= 8 ? ` (${[...known].join(", ")})` : "";
}
