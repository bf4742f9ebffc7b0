/**
 * Emits `actions.ts`: every IAM action as a constant, the union type of all of them and one per
 * resource type, and per action what the spec says about it (routes, access level, scopes).
 *
 * Actions are a const object, not an `enum`: it compiles under `isolatedModules`,
 * `erasableSyntaxOnly` and Node's type stripping, and a plain string read from a policy file
 * becomes an `Action` by checking it with `isAction`, where a string enum would demand a cast.
 */
import { StructureKind, type StatementStructures } from "ts-morph";
import { InputError } from "../diagnostics.js";
import type { ActionModel, Model } from "../model.js";
import { highest } from "../spec/access.js";
import { ACCESS_LEVELS } from "../spec/types.js";
import type { EmittedFile, Emitter } from "./file.js";
import {
  docComment,
  exportedConst,
  literalPieces,
  literalTypes,
  printStatements,
  propertyKey,
  stringProperty,
  unionAlias,
  type Literal,
  type Statement,
} from "./ts-source.js";

/** One action as emitted: the model's, merged over specs, with the names it is written under. */
interface NamedAction {
  model: ActionModel;
  /** The key in `Actions`, such as `trainJobCreate`. */
  key: string;
  /** The union type of its resource type, such as `TrainJobAction`. */
  unionName: string;
  /** The permission descriptions, for the doc comment. */
  descriptions: string[];
}

/** Names the emitted file declares itself, which no resource type union may take. */
const RESERVED = new Set([
  "Action",
  "Actions",
  "ActionInfo",
  "AccessLevel",
  "actionInfo",
  "isAction",
]);

/** The action constants, their union types and their metadata. */
export const emitActions: Emitter = (model: Model): EmittedFile[] => {
  return [{ path: "actions.ts", kind: "ts", content: actionsSource(model) }];
};

/** The text of `actions.ts` for a model, actions in order of first appearance, as pieces. */
export function actionsSource(model: Model): string[] {
  const actions = nameActions(model);

  return printStatements([
    constants(actions),
    ...unions(actions),
    ...info(actions),
    guard(),
  ]);
}

function constants(actions: readonly NamedAction[]): Statement {
  return exportedConst(
    "Actions",
    "Every action, by a readable key: its resource type and operation, as `trainJobCreate`.",
    () => constantsText(actions),
  );
}

/** The object of constants, each under the doc comment of the operations that need it. */
function constantsText(actions: readonly NamedAction[]): string | string[] {
  const lines = actions.map((action) => {
    const doc = docComment(action.descriptions.join("\n"), "  ");
    return `\n  ${doc}\n${stringProperty("  ", propertyKey(action.key), action.model.action)}`;
  });
  return actions.length === 0 ? "{} as const" : ["{", ...lines, "\n} as const"];
}

function unions(actions: readonly NamedAction[]): Statement[] {
  const groups = groupBy(actions, (a) => a.unionName);
  const perResource = [...groups].map(([name, members]) => {
    const first = members[0]?.model;
    const doc = `Every action on the resource type \`${first?.resourceType}\` of \`${first?.service}\`.`;
    return unionAlias(name, doc, literalTypes(members.map((a) => a.model.action)));
  });

  return [...perResource, unionAlias("Action", "Every action the specs name.", [...groups.keys()])];
}

function info(actions: readonly NamedAction[]): Statement[] {
  const entries = Object.fromEntries(actions.map((a) => [a.model.action, infoLiteral(a)]));
  const trail = " as const satisfies Record<Action, ActionInfo>";

  return [
    unionAlias(
      "AccessLevel",
      "How much an action lets a caller do, from least to most.",
      literalTypes(ACCESS_LEVELS),
    ),
    {
      kind: StructureKind.Interface,
      name: "ActionInfo",
      isExported: true,
      docs: ["What the spec says about one action."],
      properties: [
        { name: "key", type: "keyof typeof Actions", docs: ["Its key in `Actions`."] },
        { name: "service", type: "string" },
        { name: "resourceType", type: "string" },
        { name: "operation", type: "string" },
        {
          name: "access",
          type: "AccessLevel",
          docs: ["The highest level of any route that needs it."],
        },
        {
          name: "scopes",
          type: "{ readonly iamProject: boolean; readonly enterpriseProject: boolean }",
          docs: ["Where a grant takes effect: true only when every permission needing it says so."],
        },
        {
          name: "routes",
          type: "readonly string[]",
          docs: ["Ids of the routes that need it, as in `routes.ts`."],
        },
        {
          name: "permissions",
          type: "readonly string[]",
          docs: ["Ids of the permissions that need it."],
        },
      ].map((p) => ({ ...p, isReadonly: true })),
    },
    exportedConst(
      "actionInfo",
      "Every action's metadata, keyed by the action.",
      (lead) => [...literalPieces(entries, "", lead, trail.length + 1), trail],
    ),
  ];
}

function infoLiteral({ model, key }: NamedAction): Literal {
  return {
    key,
    service: model.service,
    resourceType: model.resourceType,
    operation: model.operation,
    access: model.access,
    scopes: {
      iamProject: model.scopes.iamProject,
      enterpriseProject: model.scopes.enterpriseProject,
    },
    routes: model.routeIds,
    permissions: model.permissionIds,
  };
}

function guard(): StatementStructures {
  return {
    kind: StructureKind.Function,
    name: "isAction",
    isExported: true,
    docs: ["Whether a string, such as one read from a policy, is one of the actions."],
    parameters: [{ name: "value", type: "string" }],
    returnType: "value is Action",
    statements: ["return Object.prototype.hasOwnProperty.call(actionInfo, value);"],
  };
}

/** Merges each action over the specs and names it, adding the service to a name that clashes. */
function nameActions(model: Model): NamedAction[] {
  const merged = mergeActions(model);
  const keys = pickNames(model, merged, KEY_NAMING);
  const unions = pickNames(model, merged, UNION_NAMING);
  const descriptions = descriptionsByAction(model);

  return merged.map((action, i) => ({
    model: action,
    key: keys[i] ?? "",
    unionName: unions[i] ?? "",
    descriptions: [...(descriptions.get(action.action) ?? [])],
  }));
}

/** An action two specs both name becomes one entry, as strict as the two together. */
function mergeActions(model: Model): ActionModel[] {
  const byAction = new Map<string, ActionModel>();

  for (const action of model.actions) {
    const seen = byAction.get(action.action);
    if (seen === undefined) {
      byAction.set(action.action, {
        ...action,
        permissionIds: [...action.permissionIds],
        routeIds: [...action.routeIds],
      });
      continue;
    }
    seen.access = highest([seen.access, action.access]);
    seen.permissionIds.push(...action.permissionIds);
    seen.routeIds.push(...action.routeIds);
    seen.scopes = {
      iamProject: seen.scopes.iamProject && action.scopes.iamProject,
      enterpriseProject: seen.scopes.enterpriseProject && action.scopes.enterpriseProject,
    };
  }
  return [...byAction.values()];
}

/** How one kind of name is made; actions with the same owner share the name. */
interface Naming {
  short(action: ActionModel): string;
  qualified(action: ActionModel): string;
  owner(action: ActionModel): string;
  reserved: ReadonlySet<string>;
}

const KEY_NAMING: Naming = {
  short: (a) => camel([a.resourceType, a.operation]),
  qualified: (a) => camel([a.service, a.resourceType, a.operation]),
  owner: (a) => a.action,
  reserved: new Set(),
};

const UNION_NAMING: Naming = {
  short: (a) => `${pascal(a.resourceType)}Action`,
  qualified: (a) => `${pascal(a.service)}${pascal(a.resourceType)}Action`,
  owner: (a) => `${a.service}:${a.resourceType}`,
  reserved: RESERVED,
};

/** The short name of each action, or the qualified one where two owners' short names clash. */
function pickNames(model: Model, actions: readonly ActionModel[], naming: Naming): string[] {
  const shortOwners = ownersByName(actions, actions.map(naming.short), naming);
  const names = actions.map((a) => {
    const short = naming.short(a);
    return (shortOwners.get(short)?.size ?? 0) > 1 ? naming.qualified(a) : short;
  });

  for (const [name, owners] of ownersByName(actions, names, naming)) {
    const clashing = [...owners.values()];
    if (owners.size > 1 || naming.reserved.has(name) || !/^[A-Za-z_]/.test(name)) {
      throw clash(model, name, clashing);
    }
  }
  return names;
}

/** Each name with the first action of every owner that takes it. */
function ownersByName(
  actions: readonly ActionModel[],
  names: readonly string[],
  naming: Naming,
): Map<string, Map<string, ActionModel>> {
  const owners = new Map<string, Map<string, ActionModel>>();

  actions.forEach((action, i) => {
    const name = names[i] ?? "";
    const byOwner = owners.get(name) ?? new Map<string, ActionModel>();
    if (!byOwner.has(naming.owner(action))) byOwner.set(naming.owner(action), action);
    owners.set(name, byOwner);
  });
  return owners;
}

function clash(model: Model, name: string, actions: readonly ActionModel[]): InputError {
  const first = actions[0];
  const file = model.specs.find((s) => s.source.name === first?.specName)?.source.file ?? "spec";
  const quoted = actions.map((a) => `"${a.action}"`).join(" and ");
  const message =
    actions.length > 1
      ? `actions ${quoted} would all be emitted as ${JSON.stringify(name)}`
      : `action ${quoted} cannot be emitted as ${JSON.stringify(name)}`;

  return new InputError({
    file,
    line: 1,
    column: 1,
    code: "action-name",
    message,
    hint: "rename the resource type or the operation so that each action gets a name of its own",
  });
}

/** The wording of every permission that needs the action, each spec's own permissions only. */
/**
 * The descriptions of the operations that need each action, in spec order without repeats, built
 * in one pass: looking them up per action would cost time in the square of the spec's size.
 */
function descriptionsByAction(model: Model): Map<string, Set<string>> {
  const byAction = new Map<string, Set<string>>();

  for (const spec of model.specs) {
    const descriptionOf = new Map(spec.permissions.map((p) => [p.id, p.description]));
    for (const action of spec.actions) {
      const descriptions = byAction.get(action.action) ?? new Set<string>();
      for (const id of action.permissionIds) descriptions.add(descriptionOf.get(id) ?? "");
      byAction.set(action.action, descriptions);
    }
  }
  return byAction;
}

/** `["trainJob", "create"]` to `trainJobCreate`; any character outside [A-Za-z0-9] splits words. */
function camel(parts: readonly string[]): string {
  const words = parts.flatMap((p) => p.split(/[^A-Za-z0-9]+/)).filter((w) => w !== "");
  const text = words
    .map((w, i) => (i === 0 ? w.charAt(0).toLowerCase() : w.charAt(0).toUpperCase()) + w.slice(1))
    .join("");
  return /^[0-9]/.test(text) ? `_${text}` : text;
}

function pascal(text: string): string {
  const name = camel([text]);
  return name.charAt(0).toUpperCase() + name.slice(1);
}

function groupBy<T>(items: readonly T[], keyOf: (item: T) => string): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const item of items) groups.set(keyOf(item), [...(groups.get(keyOf(item)) ?? []), item]);
  return groups;
}
