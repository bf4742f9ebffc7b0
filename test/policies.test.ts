import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, describe, expect, it } from "vitest";
import {
  emitPolicies,
  planPolicies,
  policyDefinitions,
  renderPolicy,
} from "../generator/emit/policies.js";
import { POLICY_LIMITS, policyProblems, splitPolicy } from "../generator/emit/policy-limits.js";
import { loadTemplates } from "../generator/emit/handlebars.js";
import { buildModel, type Model } from "../generator/model.js";
import { joinText } from "../generator/output/file-text.js";
import { parseSpecText } from "../generator/spec/parse.js";
import type {
  ActionRef,
  HttpMethod,
  Permission,
  PolicySet,
  Spec,
} from "../generator/spec/types.js";

const TEMPLATES = fileURLToPath(new URL("../templates", import.meta.url));
const context = { templatesDir: TEMPLATES };
const REAL_SPEC = fileURLToPath(new URL("../spec/modelarts-training.yaml", import.meta.url));

function perm(
  id: string,
  method: HttpMethod,
  path: string,
  actions: ActionRef[],
  extra: Partial<Permission> = {},
): Permission {
  return {
    id,
    description: id,
    method,
    path,
    actions,
    scopes: { iamProject: true, enterpriseProject: true },
    ...extra,
  };
}

function specOf(permissions: Permission[], policySets?: PolicySet[]): Spec {
  const source = {
    page: "p_01",
    title: "Test Permissions",
    tables: [{ caption: "t", columns: ["Permission"] }],
  };
  return { service: "modelarts", source, permissions, ...(policySets ? { policySets } : {}) };
}

function modelOf(spec: Spec, name = "tiny"): Model {
  return buildModel([{ file: `spec/${name}.yaml`, name, hash: "0", spec }]);
}

function byName(model: Model) {
  return new Map(policyDefinitions(model).map((d) => [d.name, d]));
}

function filesOf(model: Model): Map<string, unknown> {
  return new Map(emitPolicies(model, context).map((f) => [f.path, JSON.parse(joinText(f.content))]));
}

function errorOf(run: () => unknown): string {
  try {
    run();
  } catch (error) {
    return error instanceof Error ? error.message : String(error);
  }
  throw new Error("expected an error");
}

const TINY = specOf([
  perm("createJob", "POST", "/v1/{project_id}/jobs", ["modelarts:trainJob:create"]),
  perm("listJobs", "GET", "/v1/{project_id}/jobs", ["modelarts:trainJob:list"]),
  perm("getJob", "GET", "/v1/{project_id}/jobs/{job_id}", ["modelarts:trainJob:get"], {
    scopes: { iamProject: true, enterpriseProject: false },
  }),
  perm("refreshJob", "GET", "/v1/{project_id}/jobs/{job_id}/refresh", [
    "modelarts:trainJob:refresh",
  ]),
  perm("refreshJobHard", "POST", "/v1/{project_id}/jobs/{job_id}/refresh", [
    "modelarts:trainJob:refresh",
  ]),
  perm("searchAlgos", "POST", "/v1/{project_id}/algorithms/search", [
    "modelarts:aiAlgorithm:listAll",
  ]),
  perm("getAlgo", "GET", "/v1/{project_id}/algorithms/{id}", ["modelarts:aiAlgorithm:get"], {
    access: "write",
  }),
  perm("specs", "GET", "/v1/{project_id}/specs", [], { noAction: "N/A" }),
]);

describe("standard policies", () => {
  const model = modelOf(TINY);
  const policies = byName(model);

  it("full access holds every action once, in spec order", () => {
    expect(policies.get("tiny-full-access")?.allow).toEqual([
      "modelarts:trainJob:create",
      "modelarts:trainJob:list",
      "modelarts:trainJob:get",
      "modelarts:trainJob:refresh",
      "modelarts:aiAlgorithm:listAll",
      "modelarts:aiAlgorithm:get",
    ]);
  });

  it("read-only drops actions some route writes with, and access overrides", () => {
    // refresh reads on GET but writes on POST; getAlgo is overridden to write; listAll lists on POST.
    expect(policies.get("tiny-read-only")?.allow).toEqual([
      "modelarts:trainJob:list",
      "modelarts:trainJob:get",
      "modelarts:aiAlgorithm:listAll",
    ]);
  });

  it("the enterprise-project variant leaves out an action marked N for enterprise projects", () => {
    const allow = policies.get("tiny-enterprise-project-full-access")?.allow ?? [];
    expect(allow).not.toContain("modelarts:trainJob:get");
    expect(allow).toContain("modelarts:trainJob:list");
    expect(allow).toHaveLength(5);
  });

  it("one full-access policy per resource type", () => {
    expect(policies.get("tiny-trainJob-full-access")?.allow).toHaveLength(4);
    expect(policies.get("tiny-aiAlgorithm-full-access")?.allow).toEqual([
      "modelarts:aiAlgorithm:listAll",
      "modelarts:aiAlgorithm:get",
    ]);
  });

  it("writes each as a 1.1 document without Resource that parses back to its actions", () => {
    const files = filesOf(model);
    expect([...files.keys()].sort()).toEqual([
      "policies/tiny-aiAlgorithm-full-access.json",
      "policies/tiny-enterprise-project-full-access.json",
      "policies/tiny-full-access.json",
      "policies/tiny-read-only.json",
      "policies/tiny-trainJob-full-access.json",
    ]);
    expect(files.get("policies/tiny-read-only.json")).toEqual({
      Version: "1.1",
      Statement: [
        {
          Effect: "Allow",
          Action: [
            "modelarts:trainJob:list",
            "modelarts:trainJob:get",
            "modelarts:aiAlgorithm:listAll",
          ],
        },
      ],
    });
  });

  it("does not write a policy that selects no action", () => {
    const writeOnly = modelOf(specOf([perm("create", "POST", "/v1/x", ["modelarts:job:create"])]));
    const plan = planPolicies(writeOnly).find((p) => p.definition.name === "tiny-read-only");

    expect(plan?.documents).toEqual([]);
    expect(filesOf(writeOnly).has("policies/tiny-read-only.json")).toBe(false);
  });
});

describe("file names", () => {
  it("sanitises a resource type into a name inside policies/", () => {
    const model = modelOf(specOf([perm("a", "GET", "/v1/a", ["modelarts:train_job:get"])]));
    expect(byName(model).has("tiny-train-job-full-access")).toBe(true);
  });

  it("refuses a resource type that cannot name a file, and one that would escape", () => {
    const dots = modelOf(specOf([perm("a", "GET", "/v1/a", ["modelarts:..:get"])]));
    expect(errorOf(() => emitPolicies(dots, context))).toMatch(
      /^spec\/tiny\.yaml:1:1: error: resource type "\.\." cannot name/,
    );
  });

  it("refuses two resource types that sanitise to the same name", () => {
    const model = modelOf(
      specOf([perm("a", "GET", "/v1/a", ["modelarts:a_b:get", "modelarts:a-b:get"])]),
    );
    expect(errorOf(() => policyDefinitions(model))).toMatch(
      /would both be named tiny-a-b-full-access\.json/,
    );
  });

  it("refuses an action the provider would reject, on one line", () => {
    const model = modelOf(specOf([perm("a", "GET", "/v1/a", ['Modelarts:job:"get'])]));
    const message = errorOf(() => emitPolicies(model, context));
    expect(message).toMatch(/^spec\/tiny\.yaml:1:1: error: policy tiny-full-access: .*service/);
    expect(message).not.toContain("\n");
  });
});

describe("policy sets", () => {
  const spec = specOf([
    perm("createJob", "POST", "/v1/jobs", ["modelarts:trainJob:create"]),
    perm("listJobs", "GET", "/v1/jobs", ["modelarts:trainJob:list"]),
    perm("getJob", "GET", "/v1/jobs/{id}", ["modelarts:trainJob:get"], {
      scopes: { iamProject: true, enterpriseProject: false },
    }),
    perm("listAlgos", "GET", "/v1/algos", ["modelarts:aiAlgorithm:list"]),
    perm("deleteAlgo", "DELETE", "/v1/algos/{id}", ["modelarts:aiAlgorithm:delete"]),
    perm("both", "PUT", "/v1/both", [
      "modelarts:aiAlgorithm:update",
      { action: "modelarts:trainJob:update", label: "Restart" },
    ]),
  ]);
  const setOf = (set: PolicySet) =>
    byName(modelOf({ ...spec, policySets: [set] })).get(`tiny-${set.name}`);

  it("selects by resource type, any of several", () => {
    expect(setOf({ name: "s", allow: { resourceTypes: ["aiAlgorithm"] } })?.allow).toEqual([
      "modelarts:aiAlgorithm:list",
      "modelarts:aiAlgorithm:delete",
      "modelarts:aiAlgorithm:update",
    ]);
    expect(
      setOf({ name: "s", allow: { resourceTypes: ["aiAlgorithm", "trainJob"] } })?.allow,
    ).toHaveLength(7);
  });

  it("selects by access level", () => {
    expect(setOf({ name: "s", allow: { access: ["list"] } })?.allow).toEqual([
      "modelarts:trainJob:list",
      "modelarts:aiAlgorithm:list",
    ]);
  });

  it("selects by permission id: every action of that permission", () => {
    expect(setOf({ name: "s", allow: { ids: ["both", "getJob"] } })?.allow).toEqual([
      "modelarts:trainJob:get",
      "modelarts:aiAlgorithm:update",
      "modelarts:trainJob:update",
    ]);
  });

  it("selects by action name", () => {
    expect(setOf({ name: "s", allow: { actions: ["modelarts:trainJob:list"] } })?.allow).toEqual([
      "modelarts:trainJob:list",
    ]);
  });

  it("needs every given field to match", () => {
    const set = setOf({ name: "s", allow: { resourceTypes: ["trainJob"], access: ["write"] } });
    expect(set?.allow).toEqual(["modelarts:trainJob:create", "modelarts:trainJob:update"]);
  });

  it("writes a deny selector as a Deny statement after the Allow", () => {
    const set: PolicySet = {
      name: "no-delete",
      allow: { resourceTypes: ["aiAlgorithm"] },
      deny: { actions: ["modelarts:aiAlgorithm:delete"] },
    };
    const files = filesOf(modelOf({ ...spec, policySets: [set] }));

    expect(files.get("policies/tiny-no-delete.json")).toEqual({
      Version: "1.1",
      Statement: [
        {
          Effect: "Allow",
          Action: [
            "modelarts:aiAlgorithm:list",
            "modelarts:aiAlgorithm:delete",
            "modelarts:aiAlgorithm:update",
          ],
        },
        { Effect: "Deny", Action: ["modelarts:aiAlgorithm:delete"] },
      ],
    });
  });

  it("keeps only enterprise-project actions when asked, in allow and deny", () => {
    const set = setOf({
      name: "s",
      allow: { resourceTypes: ["trainJob"] },
      deny: { ids: ["getJob"] },
      enterpriseProject: true,
    });
    expect(set?.allow).not.toContain("modelarts:trainJob:get");
    expect(set?.allow).toHaveLength(3);
    expect(set?.deny).toEqual([]);
  });

  it("refuses a selector naming something the spec does not have, or nothing at all", () => {
    expect(errorOf(() => setOf({ name: "s", allow: { ids: ["nope"] } }))).toMatch(
      /"ids" names "nope", which the spec does not have/,
    );
    expect(errorOf(() => setOf({ name: "s", allow: { resourceTypes: ["TrainJob"] } }))).toMatch(
      /"resourceTypes" names "TrainJob"/,
    );
    expect(errorOf(() => setOf({ name: "s", allow: {} }))).toMatch(/names no field/);
    expect(errorOf(() => setOf({ name: "s", allow: { access: [] } }))).toMatch(/"access" is empty/);
  });

  it("refuses a set name that is not file-name-safe or that takes a standard policy's name", () => {
    expect(errorOf(() => setOf({ name: "../x", allow: { access: ["list"] } }))).toMatch(
      /not file-name-safe/,
    );
    expect(errorOf(() => setOf({ name: "full-access", allow: { access: ["list"] } }))).toMatch(
      /would both be named tiny-full-access/,
    );
  });
});

/** `count` distinct actions whose names are `pad` characters longer than the shortest. */
function manyActions(count: number, pad = 0): string[] {
  return Array.from({ length: count }, (_, i) => `modelarts:rt${"x".repeat(pad)}:op${i}`);
}

describe("limits and splitting", () => {
  const minified = (doc: unknown) => JSON.stringify(doc).length;

  it("puts at most 100 actions in a statement", () => {
    const result = splitPolicy(manyActions(250), []);
    if (!("documents" in result)) throw new Error(result.problem);

    expect(result.documents).toHaveLength(1);
    expect(result.documents[0]?.Statement.map((s) => s.Action.length)).toEqual([100, 100, 50]);
  });

  it("starts a new document after 8 statements", () => {
    const limits = { ...POLICY_LIMITS, characters: 1_000_000 };
    const result = splitPolicy(manyActions(1001), [], limits);
    if (!("documents" in result)) throw new Error(result.problem);

    expect(result.documents.map((d) => d.Statement.length)).toEqual([8, 3]);
    expect(result.documents.flatMap((d) => d.Statement.flatMap((s) => s.Action))).toEqual(
      manyActions(1001),
    );
  });

  it("keeps each document within 6,144 characters and fills it as far as it goes", () => {
    const actions = manyActions(400, 20);
    const result = splitPolicy(actions, []);
    if (!("documents" in result)) throw new Error(result.problem);
    const docs = result.documents;

    expect(docs.length).toBeGreaterThan(1);
    expect(docs.flatMap((d) => d.Statement.flatMap((s) => s.Action))).toEqual(actions);
    for (const [i, doc] of docs.entries()) {
      expect(policyProblems(doc)).toEqual([]);
      const next = docs[i + 1]?.Statement[0]?.Action[0];
      if (next === undefined) continue;
      // The next action would have pushed this document over the limit: the packing is tight.
      const grown = structuredClone(doc);
      const last = grown.Statement[grown.Statement.length - 1];
      if (last && last.Action.length < 100) last.Action.push(next);
      else grown.Statement.push({ Effect: "Allow", Action: [next] });
      expect(minified(grown)).toBeGreaterThan(POLICY_LIMITS.characters);
    }
  });

  it("names split parts -1, -2 … and every part parses and passes the checks", () => {
    const permissions = manyActions(900).map((a, i) => perm(`p${i}`, "POST", `/v1/p${i}`, [a]));
    const files = filesOf(modelOf(specOf(permissions)));
    const parts = [...files.keys()].filter((p) => p.startsWith("policies/tiny-full-access")).sort();

    expect(parts.length).toBeGreaterThan(1);
    expect(parts).toEqual(parts.map((_, i) => `policies/tiny-full-access-${i + 1}.json`));
    for (const part of parts) expect(policyProblems(files.get(part))).toEqual([]);
    const all = parts.flatMap((p) =>
      (files.get(p) as { Statement: { Action: string[] }[] }).Statement.flatMap((s) => s.Action),
    );
    expect(new Set(all)).toEqual(new Set(manyActions(900)));
  });

  it("repeats every Deny statement in each part", () => {
    const result = splitPolicy(manyActions(900), ["modelarts:pool:delete"]);
    if (!("documents" in result)) throw new Error(result.problem);

    expect(result.documents.length).toBeGreaterThan(1);
    for (const doc of result.documents) {
      expect(doc.Statement.at(-1)).toEqual({ Effect: "Deny", Action: ["modelarts:pool:delete"] });
    }
  });

  it("refuses a deny list that does not fit in one document, with a one-line reason", () => {
    const permissions = manyActions(900).map((a, i) => perm(`p${i}`, "POST", `/v1/p${i}`, [a]));
    const set: PolicySet = {
      name: "deny-all",
      allow: { access: ["list"] },
      deny: { access: ["write"] },
    };
    const message = errorOf(() =>
      planPolicies(modelOf({ ...specOf(permissions), policySets: [set] })),
    );

    expect(message).toMatch(
      /^spec\/tiny\.yaml:1:1: error: policy tiny-deny-all cannot be written: its 900 denied actions/,
    );
    expect(message).not.toContain("\n");
  });

  it("reports each broken rule of a hand-written document", () => {
    const problems = policyProblems({
      Version: "1.0",
      Statement: [
        {
          Effect: "deny",
          Action: ["Obs:bucket:get", "modelarts:job"],
          Resource: ["obs:*:*:bucket:*"],
        },
      ],
    });
    expect(problems).toEqual([
      '"Version" is "1.0", not "1.1"',
      'statement 1 has "Resource", but ModelArts allows no resource path',
      'statement 1 has "Effect" "deny"; write exactly "Allow" or "Deny"',
      'statement 1: the service of "Obs:bucket:get" must be lowercase letters only',
      'statement 1: "modelarts:job" is not of the form service:resourceType:operation',
    ]);
  });
});

describe("the policy template", () => {
  const dirs: string[] = [];
  afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

  function templatesWith(policy: string) {
    const dir = mkdtempSync(join(tmpdir(), "permgen-templates-"));
    dirs.push(dir);
    writeFileSync(join(dir, "policy.json.hbs"), policy);
    return { dir, templates: loadTemplates(dir) };
  }
  const doc = {
    Version: "1.1" as const,
    Statement: [{ Effect: "Allow" as const, Action: ["modelarts:a:b"] }],
  };

  it("encodes hostile strings with json so they parse back unchanged", () => {
    const hostile = [
      'a "quote" | pipe',
      "back`tick`",
      "line\nbreak",
      "{{x}}",
      "<script>alert(1)</script>",
      "*/ end",
      "\\ \u2028",
    ];
    const { templates } = templatesWith(
      '{"values": {{json values}}, "each": [{{#each values}}{{json this}}{{#unless @last}},{{/unless}}{{/each}}]}',
    );
    const parsed = JSON.parse(templates.render("policy.json.hbs", { values: hostile }));

    expect(parsed).toEqual({ values: hostile, each: hostile });
  });

  it("names the template and position of a missing variable, on one line", () => {
    const { templates } = templatesWith('{\n  "Version": {{json versoin}}\n}');
    const message = errorOf(() => renderPolicy(templates, doc));

    expect(message).toMatch(
      /policy\.json\.hbs:2:14: error: the template uses "versoin" \(given to json\), which is not a variable/,
    );
    expect(message).not.toContain("\n");
  });

  it("names the template of a syntax error, on one line", () => {
    const { templates } = templatesWith('{\n "Version": {{json version}\n}');
    const message = errorOf(() => renderPolicy(templates, doc));

    expect(message).toMatch(/policy\.json\.hbs:2:\d+: error: the template does not parse/);
    expect(message).not.toContain("\n");
  });

  it("refuses a template whose output is not JSON, or changes the document", () => {
    const raw = templatesWith(
      '{"Version": "{{version}}", "Statement": [{{#each statements}}{"Effect": {{effect}} }{{/each}}]}',
    );
    expect(errorOf(() => renderPolicy(raw.templates, doc))).toMatch(
      /policy\.json\.hbs:1:1: error: the rendered policy is not JSON/,
    );

    const dropped = templatesWith(
      '{"Version": {{json version}}, "Statement": [{"Effect": "Allow", "Action": ["modelarts:a:c"]}]}',
    );
    expect(errorOf(() => renderPolicy(dropped.templates, doc))).toMatch(
      /does not hold the statements and actions/,
    );
  });

  it("names a template that does not exist", () => {
    const { dir } = templatesWith("");
    expect(errorOf(() => loadTemplates(dir).render("nope.hbs", {}))).toMatch(
      /nope\.hbs:1:1: error: the template does not exist/,
    );
  });
});

/** An access level recomputed here from the YAML alone: what a request on this route can change. */
function writesWith(action: string, method: string, override: string | undefined): boolean {
  if (override !== undefined) return !["list", "read"].includes(override);
  const operation = action.split(":")[2] ?? "";
  // Reading verbs that tables also use with POST for queries.
  const reads = /^(list|get|query|search|show)([A-Z_-]|$)/.test(operation);
  return method !== "GET" && method !== "HEAD"
    ? !reads
    : /^(create|update|delete|stop|start|restart)/.test(operation);
}

describe("the real spec", () => {
  const text = existsSync(REAL_SPEC) ? readFileSync(REAL_SPEC, "utf8") : "";
  const spec = parseSpecText(text, "spec/modelarts-training.yaml").data as Spec;
  const model = () => modelOf(spec, "modelarts-training");

  it("is present and parses", () => {
    expect(existsSync(REAL_SPEC)).toBe(true);
    expect(spec.permissions.length).toBeGreaterThanOrEqual(28);
  });

  it("full access allows every action the spec names", () => {
    const files = filesOf(model());
    const allowed = (
      files.get("policies/modelarts-training-full-access.json") as {
        Statement: { Action: string[] }[];
      }
    ).Statement.flatMap((s) => s.Action);
    const named = new Set(
      spec.permissions.flatMap((p) => p.actions.map((a) => (typeof a === "string" ? a : a.action))),
    );

    expect(new Set(allowed)).toEqual(named);
    expect(named.has("modelarts:trainJob:create")).toBe(true);
  });

  it("read-only allows no action that a writing route uses, and every GET-only list or get action", () => {
    const routesOf = (p: Permission) =>
      p.routes ?? [{ method: p.method ?? "GET", path: p.path ?? "" }];
    const uses = spec.permissions.flatMap((p) =>
      routesOf(p).flatMap((r) =>
        p.actions.map((a) => ({
          action: typeof a === "string" ? a : a.action,
          method: r.method,
          access: p.access,
        })),
      ),
    );
    const writing = new Set(
      uses.filter((u) => writesWith(u.action, u.method, u.access)).map((u) => u.action),
    );
    const plainReads = new Set(
      uses.filter((u) => /:(list|get)$/.test(u.action)).map((u) => u.action),
    );
    for (const u of uses) if (u.method !== "GET") plainReads.delete(u.action);

    const files = filesOf(model());
    const readOnly = (
      files.get("policies/modelarts-training-read-only.json") as {
        Statement: { Action: string[] }[];
      }
    ).Statement.flatMap((s) => s.Action);

    expect(readOnly.filter((a) => writing.has(a))).toEqual([]);
    expect(plainReads.size).toBeGreaterThan(3);
    for (const action of plainReads) expect(readOnly).toContain(action);
  });

  it("every file it writes passes the syntax and size checks", () => {
    const files = filesOf(model());
    expect(files.size).toBeGreaterThan(4);
    for (const document of files.values()) expect(policyProblems(document)).toEqual([]);
  });
});
