/**
 * Emits `routes.ts`: the typed route table, the path parameters of each route as types, a path
 * builder and a request matcher, running on `runtime/router.ts` (see `runtime.ts`).
 */
import { StructureKind, VariableDeclarationKind, type StatementStructures } from "ts-morph";
import { InputError } from "../diagnostics.js";
import type { Model, RouteModel } from "../model.js";
import { ACCESS_LEVELS, HTTP_METHODS } from "../spec/types.js";
import { PRINT_WIDTH } from "../text-width.js";
import type { EmittedFile, Emitter } from "./file.js";
import {
  docComment,
  exportedConst,
  literalPieces,
  literalTypes,
  printStatements,
  propertyKey,
  unionAlias,
  type Literal,
  type Statement,
} from "./ts-source.js";

/** Where the router runtime is, relative to the output directory and to `routes.ts`. */
export const RUNTIME_FILE = "runtime/router.ts";

/** The route table, its types, `buildPath` and `matchRoute`. */
export const emitRoutes: Emitter = (model: Model): EmittedFile[] => {
  assertUniqueIds(model);

  return [{ path: "routes.ts", kind: "ts", content: routesSource(model.routes) }];
};

/** The text of `routes.ts` for a list of routes, in their order, as pieces (see `FileText`). */
export function routesSource(routes: readonly RouteModel[]): string[] {
  return printStatements([
    runtimeImport(),
    ...vocabulary(),
    table(routes),
    ...idAndParams(routes),
    matchType(),
    ...functions(),
  ]);
}

function runtimeImport(): StatementStructures {
  return {
    kind: StructureKind.ImportDeclaration,
    moduleSpecifier: `./${RUNTIME_FILE.replace(/\.ts$/, ".js")}`,
    namedImports: ["createRouter", "fillPath"],
  };
}

function vocabulary(): Statement[] {
  return [
    unionAlias("HttpMethod", "An HTTP method a route can use.", literalTypes(HTTP_METHODS)),
    unionAlias(
      "AccessLevel",
      "How much a route lets a caller do, from least to most.",
      literalTypes(ACCESS_LEVELS),
    ),
    {
      kind: StructureKind.Interface,
      name: "RouteInfo",
      isExported: true,
      docs: ["What the route table says about one route."],
      properties: [
        { name: "method", type: "HttpMethod" },
        {
          name: "path",
          type: "string",
          docs: ["The path template, with `{name}` for each parameter."],
        },
        {
          name: "params",
          type: "readonly string[]",
          docs: ["The path parameters, in path order."],
        },
        {
          name: "query",
          type: "readonly string[]",
          docs: ["The query parameters the spec names."],
        },
        { name: "actions", type: "readonly string[]", docs: ["The IAM actions a caller needs."] },
        {
          name: "scopes",
          type: "{ readonly iamProject: boolean; readonly enterpriseProject: boolean }",
        },
        { name: "access", type: "AccessLevel" },
        {
          name: "description",
          type: "string",
          docs: ["The source table's wording for the operation."],
        },
      ].map((p) => ({ ...p, isReadonly: true })),
    },
  ];
}

function table(routes: readonly RouteModel[]): Statement {
  const entries = Object.fromEntries(routes.map((route) => [route.id, routeLiteral(route)]));
  const trail = " as const satisfies Record<RouteId, RouteInfo>";

  return exportedConst(
    "routes",
    "Every route, keyed by route id, in spec order.",
    (lead) => [...literalPieces(entries, "", lead, trail.length + 1), trail],
  );
}

function routeLiteral(route: RouteModel): Literal {
  return {
    method: route.method,
    path: route.path,
    params: route.params,
    query: route.query,
    actions: route.actions,
    scopes: {
      iamProject: route.scopes.iamProject,
      enterpriseProject: route.scopes.enterpriseProject,
    },
    access: route.access,
    description: route.description,
  };
}

function idAndParams(routes: readonly RouteModel[]): Statement[] {
  return [
    unionAlias(
      "RouteId",
      "A route's id: its permission's id, with `_N` added for the N-th of several routes.",
      literalTypes(routes.map((r) => r.id)),
    ),
    routeParams(routes),
    {
      kind: StructureKind.TypeAlias,
      name: "PathParams",
      isExported: true,
      typeParameters: [{ name: "Id", constraint: "RouteId" }],
      docs: ["The path parameters of one route."],
      type: "RouteParams[Id]",
    },
  ];
}

/**
 * The interface of every route's parameters, written whole: it is as long as the route table, and
 * a structure printer would indent a parameter list that breaks over lines once too often.
 */
function routeParams(routes: readonly RouteModel[]): Statement {
  const members = routes.map((route) => {
    const doc = docComment(`${route.method} ${route.path}: ${route.description}`, "  ");
    const head = `  ${propertyKey(route.id)}: `;
    return `\n  ${doc}\n${head}${paramsType(route.params, head.length)};`;
  });

  const doc = "The path parameters each route needs, by route id; `buildPath` takes exactly these.";
  const head = `${docComment(doc, "")}\nexport interface RouteParams `;
  return members.length === 0 ? `${head}{}` : [`${head}{`, ...members, "\n}"];
}

/**
 * An object type naming each parameter, on one line when it fits after `lead` columns; a route
 * without any takes an object with no keys.
 */
function paramsType(params: readonly string[], lead: number): string {
  if (params.length === 0) return "Record<string, never>";

  const members = params.map((name) => `readonly ${propertyKey(name)}: string`);
  const inline = `{ ${members.join("; ")} }`;
  if (lead + inline.length + 1 <= PRINT_WIDTH) return inline;
  return ["{", ...members.map((m) => `    ${m};`), "  }"].join("\n");
}

/** A mapped type over the route ids, written whole for the reason `routeParams` gives. */
function matchType(): Statement {
  const text = [
    "export type RouteMatch = {",
    "  [Id in RouteId]: {",
    "    readonly id: Id;",
    "    readonly params: RouteParams[Id];",
    '    readonly actions: (typeof routes)[Id]["actions"];',
    '    readonly access: (typeof routes)[Id]["access"];',
    "  };",
    "}[RouteId];",
  ];
  const doc = "A request matched to its route; checking `id` narrows `params` to that route's.";
  return `${docComment(doc, "")}\n${text.join("\n")}`;
}

function functions(): StatementStructures[] {
  return [
    {
      kind: StructureKind.VariableStatement,
      declarationKind: VariableDeclarationKind.Const,
      docs: ["The table by its declared shape, which holds even when there are no routes."],
      declarations: [
        { name: "table", type: "Readonly<Record<RouteId, RouteInfo>>", initializer: "routes" },
      ],
    },
    {
      kind: StructureKind.VariableStatement,
      declarationKind: VariableDeclarationKind.Const,
      docs: ["Built once, when the module loads."],
      declarations: [{ name: "router", initializer: "createRouter(table)" }],
    },
    {
      kind: StructureKind.Function,
      name: "buildPath",
      isExported: true,
      docs: ["The path of a route with its parameters filled in and percent-encoded."],
      typeParameters: [{ name: "Id", constraint: "RouteId" }],
      parameters: [
        { name: "id", type: "Id" },
        { name: "params", type: "PathParams<Id>" },
      ],
      returnType: "string",
      statements: ["return fillPath(table[id].path, params);"],
    },
    {
      kind: StructureKind.Function,
      name: "matchRoute",
      isExported: true,
      docs: ["The route a request goes to, or undefined; the rules are in runtime/router.ts."],
      parameters: [
        { name: "method", type: "string" },
        { name: "url", type: "string" },
      ],
      returnType: "RouteMatch | undefined",
      statements: [
        "const found = router.match(method, url);",
        "if (found === undefined) return undefined;",
        "const { actions, access }: RouteInfo = table[found.id];",
        "return { id: found.id, params: found.params, actions, access } as RouteMatch;",
      ],
    },
  ];
}

/** Route ids key the table, so two specs must not use the same one. */
function assertUniqueIds(model: Model): void {
  const seen = new Map<string, string>();

  for (const spec of model.specs) {
    for (const route of spec.routes) {
      const other = seen.get(route.id);
      if (other !== undefined) {
        throw new InputError({
          file: spec.source.file,
          line: 1,
          column: 1,
          code: "duplicate-route-id",
          message: `route id "${route.id}" is also used by ${other}`,
          hint: "rename the permission id in one of the two specs",
        });
      }
      seen.set(route.id, spec.source.file);
    }
  }
}

/** The directory holding package.json, found upward from this module: `dist/...` or source. */