/**
 * The package as a consumer gets it: built, packed with `npm pack`, installed from the tarball
 * into a fresh project, and imported only through its `exports` by a strict TypeScript consumer
 * (type-checked with this repository's tsc, then run) and by a plain JavaScript one.
 *
 * A build, a pack and an install are slow, so every test here shares one of each (`beforeAll`).
 * The install may fetch permgen's own dependencies; with a warm npm cache it stays offline.
 */
import { execFile } from "node:child_process";
import { mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

const exec = promisify(execFile);
const root = join(import.meta.dirname, "..");
const tsc = join(root, "node_modules/typescript/bin/tsc");
const SETUP_MS = 300_000;
/** Each tsc or node run takes a few seconds on a loaded machine; give it room. */
const RUN_MS = 120_000;

let work: string;
let project: string;
let packed: string[];

beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), "permgen-package-"));
  project = join(work, "consumer");
  await mkdir(project);

  await sh("npm", ["run", "build", "--silent"], root);
  const pack = await sh(
    "npm",
    ["pack", "--ignore-scripts", "--json", "--pack-destination", work],
    root,
  );
  const [info] = JSON.parse(pack) as Array<{ filename: string; files: Array<{ path: string }> }>;
  packed = info!.files.map((f) => f.path);

  await writeConsumer(project);
  const tarball = join(work, info!.filename);
  await sh("npm", ["install", "--no-audit", "--no-fund", "--prefer-offline", tarball], project);
}, SETUP_MS);

afterAll(async () => {
  if (work) await rm(work, { recursive: true, force: true });
});

describe("package > contents", () => {
  it("ships the built modules, the generated artefacts, the spec and the runtime sources", () => {
    for (const file of [
      "dist/generator/index.js",
      "dist/generator/index.d.ts",
      "dist/generated/routes.d.ts",
      "dist/generated/runtime/policy.js",
      "generated/policies/modelarts-training-read-only.json",
      "generated/manifest.json",
      "generator/runtime/router.ts",
      "spec/modelarts-training.yaml",
      "spec/permgen.schema.json",
      "templates/policy.json.hbs",
    ]) {
      expect(packed).toContain(file);
    }
  });

  it("leaves out tests, benchmarks and the generator's TypeScript sources", () => {
    const stray = packed.filter(
      (p) => /^(test|bench|\.ci)\//.test(p) || /^generator\/(?!runtime\/)/.test(p),
    );
    expect(stray).toEqual([]);
  });
});

describe("package > a strict TypeScript consumer", { timeout: RUN_MS }, () => {
  it("type-checks with NodeNext resolution and no Node types, then runs", async () => {
    await sh(process.execPath, [tsc, "-p", "tsconfig.json"], project);

    const out = JSON.parse(await sh(process.execPath, ["out/consumer.js"], project)) as Record<
      string,
      unknown
    >;

    expect(out.match).toEqual({
      id: "deleteTrainingJob",
      params: { project_id: "p1", job_id: "j1" },
      actions: ["modelarts:trainJob:delete"],
    });
    expect(out.noGetRoute).toBe(null);
    expect(out.path).toBe("/v1/p%201/training-jobs/j%2F1");
    expect(out.isAction).toEqual([true, false]);
    expect(out.fullAccess).toEqual({ allowed: true, reason: "explicit-allow" });
    expect(out.readOnly).toEqual({ allowed: false, reason: "implicit-deny" });
  });

  it("type-checks and runs the programmatic API against the installed package", async () => {
    await sh(process.execPath, [tsc, "-p", "tsconfig.api.json"], project);

    const out = JSON.parse(await sh(process.execPath, ["out/api.js"], project)) as Record<
      string,
      unknown
    >;

    expect(out.lintErrors).toEqual([]);
    expect(out.drift).toEqual([]);
    expect(out.removed).toEqual({ severity: "breaking", bump: "major" });
  });
});

describe("package > a plain JavaScript consumer", { timeout: RUN_MS }, () => {
  it("imports routes, actions, policies and the evaluator through the exports", async () => {
    const out = JSON.parse(await sh(process.execPath, ["consumer.mjs"], project)) as Record<
      string,
      unknown
    >;

    expect(out.match).toEqual({
      id: "viewVersionsOfTrainingJob",
      params: { project_id: "p1", job_id: "j1", version_id: "v1" },
    });
    expect(out.actions).toBe("modelarts:trainJob:delete");
    expect(out.viaRequire).toEqual({ allowed: true, reason: "explicit-allow" });
    expect(out.viaImport).toEqual({ allowed: false, reason: "implicit-deny" });
    expect(out.request).toEqual({ id: "queryDetailsAboutTrainingJobConfiguration", allowed: true });
    expect(out.spec).toMatch(/^service: modelarts$/m);
    expect(out.schemaTitle).toBe("permgen spec");
  });

  it("refuses paths the exports do not name", async () => {
    const out = JSON.parse(await sh(process.execPath, ["consumer.mjs"], project)) as Record<
      string,
      unknown
    >;

    expect(out.internal).toBe("ERR_PACKAGE_PATH_NOT_EXPORTED");
  });

  it("links the permgen command", async () => {
    const version = JSON.parse(await readFile(join(root, "package.json"), "utf8")) as {
      version: string;
    };
    const bin = join(project, "node_modules/.bin/permgen");

    expect((await sh(bin, ["--version"], project)).trim()).toBe(version.version);
  });
});

/** Runs a command and returns its stdout; a failure carries stdout and stderr in its message. */
async function sh(command: string, args: readonly string[], cwd: string): Promise<string> {
  try {
    const { stdout } = await exec(command, [...args], {
      cwd,
      env: cleanEnv(),
      maxBuffer: 64 << 20,
    });
    return stdout;
  } catch (error) {
    const { stdout = "", stderr = "" } = error as { stdout?: string; stderr?: string };
    throw new Error(`${command} ${args.join(" ")} failed in ${cwd}:\n${stdout}\n${stderr}`);
  }
}

/** The environment without the `npm_*` settings an outer `npm test` sets, which npm would obey. */
function cleanEnv(): NodeJS.ProcessEnv {
  return Object.fromEntries(Object.entries(process.env).filter(([key]) => !/^npm_/i.test(key)));
}

async function writeConsumer(dir: string): Promise<void> {
  const files: Record<string, string> = {
    "package.json": JSON.stringify({ name: "consumer", private: true, type: "module" }),
    "tsconfig.json": JSON.stringify(tsconfig(["consumer.ts"], { types: [] })),
    "tsconfig.api.json": JSON.stringify(
      tsconfig(["api.ts"], {
        types: ["node"],
        typeRoots: [join(root, "node_modules/@types")],
        skipLibCheck: true,
      }),
    ),
    "consumer.ts": TS_CONSUMER,
    "api.ts": API_CONSUMER,
    "consumer.mjs": JS_CONSUMER,
  };
  for (const [name, text] of Object.entries(files)) await writeFile(join(dir, name), text);
}

/** Strict, NodeNext, and errors stop the emit, so a consumer that runs is one that type-checked. */
function tsconfig(files: string[], extra: Record<string, unknown>): object {
  return {
    compilerOptions: {
      target: "ES2022",
      module: "NodeNext",
      moduleResolution: "NodeNext",
      strict: true,
      noUncheckedIndexedAccess: true,
      exactOptionalPropertyTypes: true,
      verbatimModuleSyntax: true,
      resolveJsonModule: true,
      noEmitOnError: true,
      outDir: "out",
      rootDir: ".",
      ...extra,
    },
    files,
  };
}

const TS_CONSUMER = `
import { buildPath, matchRoute } from "permgen/routes";
import { Actions, isAction, type Action } from "permgen/actions";
import { evaluate, type Evaluation } from "permgen/policy";
import fullAccess from "permgen/policies/modelarts-training-full-access.json" with { type: "json" };
import readOnly from "permgen/policies/modelarts-training-read-only.json" with { type: "json" };

const out: Record<string, unknown> = {};

const match = matchRoute("DELETE", "/v1/p1/training-jobs/j1");
if (match?.id === "deleteTrainingJob") {
  const jobId: string = match.params.job_id;
  const params = { project_id: match.params.project_id, job_id: jobId };
  out.match = { id: match.id, params, actions: match.actions };
}
out.noGetRoute = matchRoute("GET", "/v1/p1/training-jobs/j1") ?? null;
out.path = buildPath("deleteTrainingJob", { project_id: "p 1", job_id: "j/1" });

// Never called: it holds what the declarations must refuse.
export function refused(): void {
  // @ts-expect-error job_id is missing
  buildPath("deleteTrainingJob", { project_id: "p1" });
  // @ts-expect-error not an action of the spec
  const wrong: Action = "modelarts:trainJob:destroy";
  void wrong;
}

const action: Action = Actions.trainJobDelete;
out.isAction = [isAction(action), isAction("modelarts:trainJob:destroy")];

const verdict = (e: Evaluation) => ({ allowed: e.allowed, reason: e.actions[0]?.reason });
out.fullAccess = verdict(evaluate([{ label: "full-access", document: fullAccess }], [action]));
out.readOnly = verdict(evaluate([{ label: "read-only", document: readOnly }], [action]));

console.log(JSON.stringify(out));
`;

const API_CONSUMER = `
import { dirname } from "node:path";
import { fileURLToPath } from "node:url";
import { check, diffSpec, hasErrors, loadSpecs, suggestBump, type Spec } from "permgen";

const pkg = dirname(fileURLToPath(import.meta.resolve("permgen/package.json")));
const loaded = await loadSpecs(["spec"], pkg);
const result = await check({ cwd: pkg });

const before: Spec | undefined = loaded.specs[0]?.spec;
if (!before || hasErrors(loaded.diagnostics)) throw new Error("the packaged spec does not load");
const after: Spec = { ...before, permissions: before.permissions.slice(1) };
const changes = diffSpec(before, after);

console.log(JSON.stringify({
  lintErrors: loaded.diagnostics.filter((d) => d.severity === "error"),
  drift: result.drift.map((d) => d.path + " " + d.kind),
  removed: { severity: changes[0]?.severity, bump: suggestBump(changes) },
}));
`;

const JS_CONSUMER = `
import { createRequire } from "node:module";
import { readFile } from "node:fs/promises";
import { matchRoute } from "permgen/routes";
import { Actions } from "permgen/actions";
import { evaluate, evaluateRequest } from "permgen/policy";
import readOnly from "permgen/policies/modelarts-training-read-only.json" with { type: "json" };

const require = createRequire(import.meta.url);
const fullAccess = require("permgen/policies/modelarts-training-full-access.json");
const verdict = (e) => ({ allowed: e.allowed, reason: e.actions[0].reason });

const found = matchRoute("GET", "https://example.com/v1/p1/training-jobs/j1/versions/v1?x=1");
const config = matchRoute("GET", "/v1/p1/training-job-configs/c1");
const request = evaluateRequest([readOnly], config);

let internal = "resolved";
try {
  import.meta.resolve("permgen/dist/generator/cli.js");
} catch (error) {
  internal = error.code;
}

const read = async (specifier) => readFile(new URL(import.meta.resolve(specifier)), "utf8");

console.log(JSON.stringify({
  match: { id: found.id, params: found.params },
  actions: Actions.trainJobDelete,
  viaRequire: verdict(evaluate([fullAccess], [Actions.trainJobDelete])),
  viaImport: verdict(evaluate([readOnly], [Actions.trainJobDelete])),
  request: { id: request.id, allowed: request.allowed },
  spec: await read("permgen/spec/modelarts-training.yaml"),
  schemaTitle: JSON.parse(await read("permgen/spec/permgen.schema.json")).title,
  internal,
}));
`;
