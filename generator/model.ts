/**
 * The model every emitter reads: the loaded specs turned into routes and actions, with the access
 * level, parameters and resource type already worked out, in spec order.
 *
 * Emitters never look at the YAML or at each other; they take this and return files.
 */
import { accessOfAction, accessOfPermission, highest } from "./spec/access.js";
import { pathParams } from "./spec/paths.js";
import {
  actionName,
  routesOf,
  type AccessLevel,
  type HttpMethod,
  type Permission,
  type PolicySet,
  type Scopes,
  type Spec,
} from "./spec/types.js";

/** A spec as read from disk: its file (relative to the project) and its bytes' hash. */
export interface SourcedSpec {
  /** The path as written in banners and messages, with `/` separators: `spec/modelarts-training.yaml`. */
  file: string;
  /** The file name without `.yaml`: `modelarts-training`. Names the policies and doc pages. */
  name: string;
  /** SHA-256 of the file's bytes, hex. */
  hash: string;
  spec: Spec;
}

export interface RouteModel {
  /** The permission id, or `id_N` for the N-th route of a permission with several. */
  id: string;
  permissionId: string;
  description: string;
  method: HttpMethod;
  path: string;
  params: string[];
  query: string[];
  actions: string[];
  scopes: Scopes;
  access: AccessLevel;
  specName: string;
}

export interface ActionModel {
  /** `service:resourceType:operation` as the spec writes it. */
  action: string;
  service: string;
  resourceType: string;
  operation: string;
  /** The highest level over every route and permission that needs it. */
  access: AccessLevel;
  /** Ids of the permissions that need it, in spec order. */
  permissionIds: string[];
  /** Ids of the routes that need it, in spec order. */
  routeIds: string[];
  /** True only when every permission that needs it says so. */
  scopes: Scopes;
  specName: string;
}

export interface SpecModel {
  source: SourcedSpec;
  service: string;
  routes: RouteModel[];
  actions: ActionModel[];
  /** Resource types in order of first appearance. */
  resourceTypes: string[];
  policySets: PolicySet[];
  permissions: Permission[];
}

export interface Model {
  specs: SpecModel[];
  routes: RouteModel[];
  actions: ActionModel[];
}

export function buildModel(specs: readonly SourcedSpec[]): Model {
  const models = specs.map(buildSpecModel);
  return {
    specs: models,
    routes: models.flatMap((m) => m.routes),
    actions: models.flatMap((m) => m.actions),
  };
}

export function buildSpecModel(source: SourcedSpec): SpecModel {
  const { spec } = source;
  const routes = spec.permissions.flatMap((p) => routeModels(p, source.name));
  const actions = actionModels(spec.permissions, source.name);

  return {
    source,
    service: spec.service,
    routes,
    actions,
    resourceTypes: unique(actions.map((a) => a.resourceType)),
    policySets: spec.policySets ?? [],
    permissions: spec.permissions,
  };
}

function routeModels(permission: Permission, specName: string): RouteModel[] {
  const routes = routesOf(permission);
  const actions = unique(permission.actions.map(actionName));

  return routes.map((route, index) => ({
    id: routes.length === 1 ? permission.id : `${permission.id}_${index + 1}`,
    permissionId: permission.id,
    description: permission.description,
    method: route.method,
    path: route.path,
    params: pathParams(route.path),
    query: route.query ?? [],
    actions,
    scopes: { ...permission.scopes },
    access: permission.access ?? accessOfPermission({ ...permission, routes: [route] }),
    specName,
  }));
}

function actionModels(permissions: readonly Permission[], specName: string): ActionModel[] {
  const byAction = new Map<string, ActionModel>();

  for (const permission of permissions) {
    const routes = routesOf(permission);
    const routeIds = routes.map((_, i) => (routes.length === 1 ? permission.id : `${permission.id}_${i + 1}`));

    for (const action of unique(permission.actions.map(actionName))) {
      const level =
        permission.access ??
        highest(routes.length > 0 ? routes.map((r) => accessOfAction(action, r.method)) : [accessOfAction(action, undefined)]);
      const model = byAction.get(action) ?? newAction(action, specName, permission.scopes);
      model.access = highest([model.access, level]);
      model.permissionIds.push(permission.id);
      model.routeIds.push(...routeIds);
      model.scopes = {
        iamProject: model.scopes.iamProject && permission.scopes.iamProject,
        enterpriseProject: model.scopes.enterpriseProject && permission.scopes.enterpriseProject,
      };
      byAction.set(action, model);
    }
  }
  return [...byAction.values()];
}

function newAction(action: string, specName: string, scopes: Scopes): ActionModel {
  const [service = "", resourceType = "", operation = ""] = action.split(":");
  return {
    action,
    service,
    resourceType,
    operation,
    access: "list",
    permissionIds: [],
    routeIds: [],
    scopes: { ...scopes },
    specName,
  };
}

function unique<T>(items: readonly T[]): T[] {
  return [...new Set(items)];
}
