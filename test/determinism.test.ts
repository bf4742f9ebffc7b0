/**
 * The bytes `generate` writes depend on the specs and templates only: not on the time zone, the
 * locale, the order in which the file system lists the spec directory, or whether an output
 * directory already exists. Real processes run under each environment, since Node reads `TZ` and
 * the locale when it starts.
 */
import { spawn } from "node:child_process";
import { mkdir, readFile, rm, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { readTree } from "../generator/output/write.js";
import { render } from "../generator/pipeline.js";
import { buildPermgen, type Build } from "./helpers/hostile-build.js";
import { makeProject, removeProject, ROOT } from "./helpers/hostile-project.js";

const REAL = "modelarts-training.yaml";

/**
 * A second spec whose name holds a capital I (which Turkish lowercases to a dotless ı) and sorts
 * before the first by code unit but after it by any locale's collation.
 */
const SECOND = "Inference-jobs.yaml";

const SECOND_SPEC = `service: modelarts
source:
  page: modelarts_03_0999
  title: Inference Job Permissions (Ünïcödé, İstanbul, ß)
  tables:
    - caption: Permissions for inference jobs
      columns: [Permission, API, Action, IAM Project, Enterprise Project]
permissions:
  - id: createInferenceJob
    description: Creating an Inference Job
    method: POST
    path: /v1/{project_id}/inference-jobs
    actions: [modelarts:inferenceJob:create]
    scopes: {iamProject: true, enterpriseProject: true}
  - id: listInferenceJobs
    description: Listing Inference Jobs
    method: GET
    path: /v1/{project_id}/inference-jobs
    actions: [modelarts:inferenceJob:list]
    scopes: {iamProject: true, enterpriseProject: false}
`;

interface Environment {
  name: string;
  env: Record<string, string>;
  /** The spec files are written in this order, so the directory may list them so. */
  order: string[];
  /** Whether an output directory from the committed checkout is there before the run. */
  keepOutput: boolean;
}

const ENVIRONMENTS: Environment[] = [
  {
    name: "UTC, C locale",
    env: { TZ: "UTC", LANG: "C", LC_ALL: "C" },
    order: [REAL, SECOND],
    keepOutput: true,
  },
  {
    name: "Kiritimati (UTC+14), Turkish",
    env: { TZ: "Pacific/Kiritimati", LANG: "tr_TR.UTF-8", LC_ALL: "tr_TR.UTF-8" },
    order: [SECOND, REAL],
    keepOutput: false,
  },
  {
    name: "St John's (UTC-3:30), German",
    env: { TZ: "America/St_Johns", LANG: "de_DE.UTF-8", LC_ALL: "de_DE.UTF-8" },
    order: [SECOND, REAL],
    keepOutput: true,
  },
];

let build: Build;
const projects: string[] = [];
const outputs = new Map<string, Map<string, string>>();
let expected: Map<string, string>;

beforeAll(async () => {
  build = await buildPermgen();
  const dirs = await Promise.all(ENVIRONMENTS.map(project));

  const runs = ENVIRONMENTS.map((e, i) =>
    runIn(dirs[i] ?? "", e).then((t) => outputs.set(e.name, t)),
  );
  await Promise.all(runs);
  expected = (await render({ cwd: dirs[0] ?? "" })).output ?? new Map();
}, 120_000);

afterAll(async () => {
  await build?.remove();
  await Promise.all(projects.map(removeProject));
});

describe("generate", () => {
  it("runs each process in the time zone and locale it is given", async () => {
    const probe =
      "const o = Intl.DateTimeFormat().resolvedOptions(); console.log(o.locale, o.timeZone)";
    const seen = await Promise.all(ENVIRONMENTS.map((e) => output(["-e", probe], e.env)));

    expect(seen.map((s) => s.trim())).toEqual([
      "en-US UTC",
      "tr-TR Pacific/Kiritimati",
      "de-DE America/St_Johns",
    ]);
  });

  it.each(ENVIRONMENTS)("writes the same bytes under $name", (environment) => {
    const tree = outputs.get(environment.name);

    expect(tree?.size).toBe(expected.size);
    expect(tree).toEqual(expected);
  });

  it("lists both specs, in one fixed order, in the manifest", () => {
    const manifest = JSON.parse(expected.get("manifest.json") ?? "{}") as {
      inputs: { specs: Array<{ file: string }> };
    };

    expect(manifest.inputs.specs.map((s) => s.file)).toEqual([`spec/${SECOND}`, `spec/${REAL}`]);
    expect(expected.has("docs/Inference-jobs.md")).toBe(true);
  });
});

/** A project with both specs written in the environment's order, and generated/ kept or not. */
async function project(environment: Environment): Promise<string> {
  const dir = await makeProject();
  projects.push(dir);
  const real = await readFile(join(ROOT, "spec", REAL));

  await rm(join(dir, "spec"), { recursive: true });
  await mkdir(join(dir, "spec"));
  for (const name of environment.order) {
    await writeFile(join(dir, "spec", name), name === REAL ? real : SECOND_SPEC);
  }
  if (!environment.keepOutput) await rm(join(dir, "generated"), { recursive: true });
  return dir;
}

async function runIn(dir: string, environment: Environment): Promise<Map<string, string>> {
  const result = await output([build.bin, "generate"], environment.env, dir);
  expect(result).toMatch(/^permgen generate: generated: wrote \d+ files/m);
  return readTree(join(dir, "generated"));
}

/** Runs node with the given environment; resolves to its stdout and stderr together. */
function output(argv: string[], env: Record<string, string>, cwd = ROOT): Promise<string> {
  const child = spawn(process.execPath, argv, {
    cwd,
    env: { PATH: process.env["PATH"] ?? "", ...env },
  });
  let text = "";
  child.stdout.on("data", (chunk: Buffer) => (text += chunk.toString()));
  child.stderr.on("data", (chunk: Buffer) => (text += chunk.toString()));
  return new Promise((resolve) => child.once("exit", () => resolve(text)));
}
