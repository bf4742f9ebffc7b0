/**
 * Which actions each generated policy takes, and the policy files rendered from
 * `templates/policy.json.hbs`.
 *
 * Every spec gets a full-access, a read-only and an enterprise-project policy, one full-access
 * policy per resource type, and one per `policySets` entry. The selection is exported as data
 * (`policyDefinitions`) for the docs and for anything that evaluates or compares policies.
 *
 * The model holds no source positions, so a bad selector or name found here is reported at line 1
 * of its spec file; `lint` reports the same mistakes at their place, and runs first.
 */
import { fileError, InputError } from "../diagnostics.js";
import type { ActionModel, Model, SpecModel } from "../model.js";
import { isReadOnly } from "../spec/access.js";
import { actionName, ACCESS_LEVELS, type PolicySet, type Selector } from "../spec/types.js";
import type { EmitContext, EmittedFile } from "./file.js";
import { loadTemplates, type Templates } from "./handlebars.js";
import {
  actionProblem,
  policyProblems,
  splitPolicy,
  type PolicyDocument,
} from "./policy-limits.js";

export type PolicyKind =
  "full-access" | "read-only" | "enterprise-project" | "resource-type" | "policy-set";

export interface PolicyDefinition {
  /** File-name-safe, unique in the output: `modelarts-training-trainJob-full-access`. */
  name: string;
  kind: PolicyKind;
  /** A short name for a table column: `Read-only`, `trainJob`, a policy set's name. */
  label: string;
  description: string;
  /** Allowed and denied actions, in spec order. */
  allow: string[];
  deny: string[];
  specName: string;
  /** The spec file it comes from, named in messages. */
  specFile: string;
}

/** A policy with the documents it is split into and their paths; no documents when it is empty. */
export interface PolicyPlan {
  definition: PolicyDefinition;
  documents: PolicyDocument[];
  paths: string[];
}

export const POLICY_TEMPLATE = "policy.json.hbs";

/** Every policy of every spec, including those that select no action. */
export function policyDefinitions(model: Model): PolicyDefinition[] {
  const definitions = model.specs.flatMap(specPolicies);
  assertUniqueNames(definitions);
  return definitions;
}

/** The policies of one spec: the standard ones, one per resource type, then its policy sets. */
export function specPolicies(spec: SpecModel): PolicyDefinition[] {
  const base = safeName(spec.source.name);
  if (base === "") {
    const name = JSON.stringify(spec.source.name);
    throw fileError(
      spec.source.file,
      "spec-name",
      `a spec named ${name} cannot name a policy file`,
      "rename the spec file with letters and digits",
    );
  }
  const title = spec.source.spec.source.title;
  const all = spec.actions.map((a) => a.action);
  const define = (
    suffix: string,
    kind: PolicyKind,
    label: string,
    description: string,
    allow: string[],
  ) => definition(spec, { name: `${base}-${suffix}`, kind, label, description, allow, deny: [] });

  return [
    define("full-access", "full-access", "Full access", `Every action of "${title}".`, all),
    define(
      "read-only",
      "read-only",
      "Read-only",
      "Actions that only list or read on every route that needs them.",
      spec.actions.filter((a) => isReadOnly(a.access)).map((a) => a.action),
    ),
    define(
      "enterprise-project-full-access",
      "enterprise-project",
      "Enterprise project",
      "Every action that takes effect when granted in an enterprise project.",
      spec.actions.filter((a) => a.scopes.enterpriseProject).map((a) => a.action),
    ),
    ...resourceTypePolicies(spec, base),
    ...spec.policySets.map((set) => policySetDefinition(spec, base, set)),
  ];
}

function resourceTypePolicies(spec: SpecModel, base: string): PolicyDefinition[] {
  // A wildcard such as `modelarts:*:*` names a pattern, not a resource type: it gets no policy.
  const types = spec.resourceTypes.filter((type) => !type.includes("*"));

  return types.map((type) => {
    const safe = safeName(type);
    if (safe === "") {
      throw fileError(
        spec.source.file,
        "resource-type-name",
        `resource type ${JSON.stringify(type)} cannot name a policy file`,
        "use letters and digits in the resource type of its actions",
      );
    }
    const allow = spec.actions.filter((a) => a.resourceType === type).map((a) => a.action);
    return definition(spec, {
      name: `${base}-${safe}-full-access`,
      kind: "resource-type",
      label: type,
      description: `Every action on resource type "${type}".`,
      allow,
      deny: [],
    });
  });
}

function policySetDefinition(spec: SpecModel, base: string, set: PolicySet): PolicyDefinition {
  if (!/^[a-z0-9][a-z0-9-]*$/.test(set.name)) {
    throw fileError(
      spec.source.file,
      "policy-set-name",
      `policy set name ${JSON.stringify(set.name)} is not file-name-safe`,
      "use lowercase letters, digits and dashes",
    );
  }
  const where = `policy set "${set.name}"`;
  const inScope = (a: ActionModel) => !set.enterpriseProject || a.scopes.enterpriseProject;

  return definition(spec, {
    name: `${base}-${set.name}`,
    kind: "policy-set",
    label: set.name,
    description: set.description ?? `The policy set "${set.name}" of the spec.`,
    allow: selectActions(spec, set.allow, `${where} allow`)
      .filter(inScope)
      .map((a) => a.action),
    deny: set.deny
      ? selectActions(spec, set.deny, `${where} deny`)
          .filter(inScope)
          .map((a) => a.action)
      : [],
  });
}

/**
 * The spec's actions a selector picks, in spec order: each field given must match, and one value
 * of a field is enough. A selector that names nothing known is an error, not an empty policy.
 */
export function selectActions(
  spec: SpecModel,
  selector: Selector,
  where = "selector",
): ActionModel[] {
  const problem = selectorProblem(spec, selector);
  if (problem) {
    throw fileError(
      spec.source.file,
      "policy-selector",
      `${where}: ${problem}`,
      "fix the selector in policySets",
    );
  }

  const byIds = selector.ids ? idActions(spec, selector.ids) : undefined;
  return spec.actions.filter(
    (a) =>
      (!selector.resourceTypes || selector.resourceTypes.includes(a.resourceType)) &&
      (!selector.access || selector.access.includes(a.access)) &&
      (!selector.actions || selector.actions.includes(a.action)) &&
      (!byIds || byIds.has(a.action)),
  );
}

function idActions(spec: SpecModel, ids: readonly string[]): Set<string> {
  const chosen = spec.permissions.filter((p) => ids.includes(p.id));
  return new Set(chosen.flatMap((p) => p.actions.map(actionName)));
}

const NO_FIELD =
  "it names no field, so it would select every action; name resourceTypes, access, ids or actions";

function selectorProblem(spec: SpecModel, selector: Selector): string | undefined {
  const fields = [
    ["resourceTypes", selector.resourceTypes, spec.resourceTypes],
    ["access", selector.access, ACCESS_LEVELS],
    ["ids", selector.ids, spec.permissions.map((p) => p.id)],
    ["actions", selector.actions, spec.actions.map((a) => a.action)],
  ] as const;
  const given = fields.filter(([, values]) => values !== undefined);
  if (given.length === 0) return NO_FIELD;

  for (const [field, values = [], known] of given) {
    if (values.length === 0) return `"${field}" is empty, so it selects nothing`;
    const unknown = values.find((v) => !(known as readonly string[]).includes(v));
    if (unknown !== undefined) {
      return `"${field}" names ${JSON.stringify(unknown)}, which the spec does not have`;
    }
  }
  return undefined;
}

function definition(
  spec: SpecModel,
  fields: Omit<PolicyDefinition, "specName" | "specFile">,
): PolicyDefinition {
  return { ...fields, specName: spec.source.name, specFile: spec.source.file };
}

/** Letters, digits and single dashes: what a resource or spec name may add to a file name. */
export function safeName(text: string): string {
  return text
    .replace(/[^A-Za-z0-9-]+/g, "-")
    .replace(/-{2,}/g, "-")
    .replace(/^-|-$/g, "");
}

function assertUniqueNames(definitions: readonly PolicyDefinition[]): void {
  const seen = new Map<string, PolicyDefinition>();
  for (const d of definitions) {
    const key = d.name.toLowerCase();
    const earlier = seen.get(key);
    if (earlier) {
      throw fileError(
        d.specFile,
        "policy-name-clash",
        `the ${d.kind} policy "${d.label}" and the ${earlier.kind} policy "${earlier.label}" ` +
          `would both be named ${d.name}.json`,
        "rename the policy set",
      );
    }
    seen.set(key, d);
  }
}

/** `policies/<name>.json`, or `<name>-1.json`, `<name>-2.json` … when split into parts. */
export function policyPaths(name: string, parts: number): string[] {
  if (parts === 1) return [`policies/${name}.json`];
  return Array.from({ length: parts }, (_, i) => `policies/${name}-${i + 1}.json`);
}

/** Every policy checked and split; throws a one-line error for one that cannot be split. */
export function planPolicies(model: Model): PolicyPlan[] {
  const plans = policyDefinitions(model).map(planPolicy);
  assertUniquePaths(plans);
  return plans;
}

function planPolicy(definition: PolicyDefinition): PolicyPlan {
  const where = `policy ${definition.name}`;
  for (const action of [...definition.allow, ...definition.deny]) {
    const problem = actionProblem(action);
    if (problem) {
      throw fileError(
        definition.specFile,
        "policy-action",
        `${where}: ${problem}`,
        "fix the action in the spec",
      );
    }
  }

  const result = splitPolicy(definition.allow, definition.deny);
  if ("problem" in result) {
    throw fileError(
      definition.specFile,
      "policy-too-large",
      `${where} cannot be written: ${result.problem}`,
      "narrow its deny selector or split the policy set",
    );
  }
  return {
    definition,
    documents: result.documents,
    paths: policyPaths(definition.name, result.documents.length),
  };
}

function assertUniquePaths(plans: readonly PolicyPlan[]): void {
  const owner = new Map<string, string>();
  for (const { definition, paths } of plans) {
    for (const path of paths) {
      const earlier = owner.get(path.toLowerCase());
      if (earlier) {
        throw fileError(
          definition.specFile,
          "policy-name-clash",
          `policies ${earlier} and ${definition.name} would both write ${path}`,
          "rename the policy set",
        );
      }
      owner.set(path.toLowerCase(), definition.name);
    }
  }
}

/** The policy files: each document rendered, parsed back and checked before it is returned. */
export function emitPolicies(model: Model, context: EmitContext): EmittedFile[] {
  const templates = loadTemplates(context.templatesDir);

  return planPolicies(model).flatMap(({ documents, paths }) =>
    documents.map((document, i) => ({
      path: paths[i] ?? "",
      kind: "json" as const,
      content: renderPolicy(templates, document),
      template: POLICY_TEMPLATE,
    })),
  );
}

/** One document through the template; the result must parse and hold exactly the same statements. */
export function renderPolicy(templates: Templates, document: PolicyDocument): string {
  const statements = document.Statement.map((s) => ({ effect: s.Effect, actions: s.Action }));
  const text = templates.render(POLICY_TEMPLATE, { version: document.Version, statements });
  const file = templates.fileOf(POLICY_TEMPLATE);

  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw renderError(file, `the rendered policy is not JSON (${reason})`);
  }

  const problems = policyProblems(parsed);
  if (problems.length > 0) {
    throw renderError(file, `the rendered policy is refused: ${problems.join("; ")}`);
  }
  if (JSON.stringify(parsed) !== JSON.stringify(document)) {
    throw renderError(
      file,
      "the rendered policy does not hold the statements and actions it was given",
    );
  }
  return text;
}

function renderError(file: string, message: string): InputError {
  return fileError(
    file,
    "template",
    message,
    "render every value with {{json value}} and keep the document's keys",
  );
}
