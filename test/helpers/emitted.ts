/**
 * Models for the emitter tests, from a spec written in the test or from the real spec, and the
 * emitted TypeScript loaded as modules: written to a temporary directory and imported, so tests
 * run exactly the code a consumer gets.
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { pathToFileURL } from "node:url";
import type { EmittedFile } from "../../generator/emit/file.js";
import { emitRoutes } from "../../generator/emit/routes.js";
import { emitRuntime } from "../../generator/emit/runtime.js";
import { buildModel, type Model } from "../../generator/model.js";
import { joinText } from "../../generator/output/file-text.js";
import { parseSpecText } from "../../generator/spec/parse.js";
import type { HttpMethod, Permission, Spec } from "../../generator/spec/types.js";

export const REAL_SPEC = "spec/modelarts-training.yaml";

/** The route module's surface, as tests call it with ids and params known only at run time. */
export interface RoutesModule {
  routes: Record<string, RouteEntry>;
  buildPath(id: string, params: Record<string, string>): string;
  matchRoute(method: string, url: string): Matched | undefined;
}

export interface RouteEntry {
  method: string;
  path: string;
  params: string[];
  query: string[];
  actions: string[];
  scopes: { iamProject: boolean; enterpriseProject: boolean };
  access: string;
  description: string;
}

export interface Matched {
  id: string;
  params: Record<string, string>;
  actions: readonly string[];
  access: string;
}

export interface ActionsModule {
  Actions: Record<string, string>;
  actionInfo: Record<string, ActionEntry>;
  isAction(value: string): boolean;
}

export interface ActionEntry {
  key: string;
  service: string;
  resourceType: string;
  operation: string;
  access: string;
  scopes: { iamProject: boolean; enterpriseProject: boolean };
  routes: string[];
  permissions: string[];
}

/** A one-spec model from permissions written in a test. */
export function modelOf(permissions: Permission[], service = "modelarts"): Model {
  const spec: Spec = { service, source: { page: "test", title: "Test", tables: [] }, permissions };
  return buildModel([{ file: `spec/${service}.yaml`, name: service, hash: "0".repeat(64), spec }]);
}

/** A permission with one route and the scopes the training table gives every row. */
export function permission(
  id: string,
  route: string,
  actions: string[] = [],
  description = id,
): Permission {
  const [method = "", path = ""] = route.split(" ");
  return {
    id,
    description,
    method: method as HttpMethod,
    path,
    actions,
    scopes: { iamProject: true, enterpriseProject: true },
  };
}

/**
 * The real training spec. The validator may not accept it yet, so this reads the YAML as data and
 * trusts its shape; a YAML error still fails the test.
 */
export function realSpec(): Spec {
  const parsed = parseSpecText(readFileSync(REAL_SPEC, "utf8"), REAL_SPEC);
  if (parsed.diagnostics.length > 0 || parsed.data === undefined) {
    throw new Error(
      `${REAL_SPEC} does not parse: ${parsed.diagnostics.map((d) => d.message).join("; ")}`,
    );
  }
  return parsed.data as Spec;
}

export function realModel(): Model {
  return buildModel([
    { file: REAL_SPEC, name: "modelarts-training", hash: "0".repeat(64), spec: realSpec() },
  ]);
}

const dirs: string[] = [];

/** Writes emitted files to a new temporary directory and imports one of them. */
export async function importEmitted<T>(files: readonly EmittedFile[], entry: string): Promise<T> {
  const dir = mkdtempSync(join(tmpdir(), "permgen-emitted-"));
  dirs.push(dir);

  for (const file of files) {
    mkdirSync(dirname(join(dir, file.path)), { recursive: true });
    writeFileSync(join(dir, file.path), joinText(file.content));
  }
  return (await import(pathToFileURL(join(dir, entry)).href)) as T;
}

/** Removes every directory `importEmitted` made; call it from `afterAll`. */
export function removeEmitted(): void {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
}

/** The emitted `routes.ts` with the runtime it imports, loaded as a module. */
export async function loadRoutes(model: Model): Promise<RoutesModule> {
  const context = { templatesDir: "templates" };
  const files = [...(await emitRoutes(model, context)), ...(await emitRuntime(model, context))];
  return importEmitted<RoutesModule>(files, "routes.ts");
}
