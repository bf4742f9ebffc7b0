import { fileURLToPath } from "node:url";
import { describe, expect, test } from "vitest";
import { run } from "../generator/cli.js";
import { explainRequest, type ExplainRoute } from "../generator/commands/explain.js";
import { readPolicyFile, type PolicyFile } from "../generator/policy-file.js";

const ROOT = fileURLToPath(new URL("..", import.meta.url));
const SPEC = "spec/modelarts-training.yaml";
const DIR = "test/fixtures/policies";

interface Outcome {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs `permgen explain` in-process against the real training spec unless argv names another. */
async function explain(...argv: string[]): Promise<Outcome> {
  const outcome = { code: -1, stdout: "", stderr: "" };
  const io = {
    cwd: ROOT,
    stdout: (text: string) => void (outcome.stdout += text),
    stderr: (text: string) => void (outcome.stderr += text),
  };
  const spec = argv.includes("--spec") ? [] : ["--spec", SPEC];
  outcome.code = await run(["explain", ...spec, ...argv], io);
  return outcome;
}

const policy = (name: string): string[] => ["--policy", `${DIR}/${name}`];
const FULL = policy("modelarts-full.json");
const DENY_DELETE = policy("deny-trainjob-delete.json");

describe("explain > verdicts on the real training spec", () => {
  test("allowed by modelarts:*:*: exit 0, route, action and verdict lines", async () => {
    const result = await explain(...FULL, "POST", "/v1/p1/training-jobs");

    expect(result).toEqual({
      code: 0,
      stderr: "",
      stdout: [
        `route    createTrainingJob: POST /v1/{project_id}/training-jobs (write; ${SPEC})`,
        "params   project_id=p1",
        `action   modelarts:trainJob:create: allowed by ${DIR}/modelarts-full.json:6:18 Statement[0] Allow "modelarts:*:*"`,
        "verdict  allowed: 1 of 1 action allowed",
        "",
      ].join("\n"),
    });
  });

  test("the iam.md example: full access plus a Deny on delete denies delete, exit 1", async () => {
    const result = await explain(...FULL, ...DENY_DELETE, "DELETE", "/v1/p1/training-jobs/j1");

    expect(result.code).toBe(1);
    expect(result.stdout.split("\n").slice(2)).toEqual([
      `action   modelarts:trainJob:delete: denied by ${DIR}/deny-trainjob-delete.json:6:18 Statement[0] Deny "modelarts:trainJob:delete"`,
      "verdict  denied: 1 of 1 action denied",
      "",
    ]);
  });

  test("the same policies still allow the rest of the service", async () => {
    const result = await explain(...FULL, ...DENY_DELETE, "GET", "/v1/p1/training-jobs");

    expect(result.code).toBe(0);
    expect(result.stdout).toContain("modelarts:trainJob:list: allowed by");
  });

  test("a partial wildcard names the pattern that matched", async () => {
    const result = await explain(...policy("read-only.json"), "GET", "/v1/p1/training-jobs");

    expect(result.code).toBe(0);
    expect(result.stdout).toContain(`read-only.json:6:38 Statement[0] Allow "modelarts:*:list*"`);
  });

  test("no statement matches: default deny, exit 1", async () => {
    const result = await explain(...policy("read-only.json"), "POST", "/v1/p1/training-jobs");

    expect(result.code).toBe(1);
    expect(result.stdout).toContain(
      "action   modelarts:trainJob:create: denied: no statement allows it (default deny)",
    );
  });

  test("a route whose table cell is N/A needs no policy: exit 0", async () => {
    const result = await explain(...policy("read-only.json"), "GET", "/v1/p1/job/resource-specs");

    expect(result.code).toBe(0);
    expect(result.stdout.split("\n").slice(2)).toEqual([
      "action   none: the table names no action for this operation, so no policy is needed",
      "verdict  allowed: the route needs no action",
      "",
    ]);
  });

  test("without --spec, the specs in spec/ are used", async () => {
    const outcome = { code: -1, out: "" };
    const io = { cwd: ROOT, stdout: (t: string) => void (outcome.out += t), stderr: () => {} };
    outcome.code = await run(["explain", ...FULL, "GET", "/v1/p1/training-jobs"], io);

    expect(outcome).toMatchObject({ code: 0, out: expect.stringContaining(`(list; ${SPEC})`) });
  });

  test("a full URL with a query string matches like its path", async () => {
    const result = await explain(
      ...FULL,
      "get",
      "https://modelarts.example/v1/p1/training-jobs?limit=5",
    );

    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^route {4}\w+: GET \/v1\/\{project_id\}\/training-jobs /);
  });
});

describe("explain > output stays one line per item", () => {
  test("a decoded parameter value with a space or line break is quoted", async () => {
    const result = await explain(...FULL, "DELETE", "/v1/p1/training-jobs/a%20b%0Ac");

    expect(result.stdout.split("\n")[1]).toBe('params   project_id=p1 job_id="a b\\nc"');
  });

  test("a context key named __proto__ is a key like any other", async () => {
    const context = ["--context", "__proto__=x"];
    const result = await explain(...FULL, ...context, "POST", "/v1/p1/training-jobs");

    expect(result.code).toBe(0);
  });
});

describe("explain > conditions", () => {
  const PUBLIC_POOL = policy("deny-public-pool.json");

  test("a Deny with a condition not evaluated makes the verdict indeterminate, exit 1", async () => {
    const result = await explain(...FULL, ...PUBLIC_POOL, "POST", "/v1/p1/training-jobs");

    expect(result.code).toBe(1);
    expect(result.stdout).toContain(
      `action   modelarts:trainJob:create: indeterminate: ${DIR}/deny-public-pool.json:6:18 Statement[0] Deny "modelarts:trainJob:create" denies it if StringEquals modelarts:poolType ["public"] (no --context value); otherwise allowed by ${DIR}/modelarts-full.json:6:18`,
    );
    expect(result.stdout).toContain("verdict  indeterminate: 1 of 1 action undecided");
  });

  test.each([
    ["public", 1, "denied by"],
    ["dedicated", 0, "allowed by"],
  ])("--context modelarts:poolType=%s decides it", async (pool, code, text) => {
    const context = ["--context", `modelarts:poolType=${pool}`];
    const result = await explain(
      ...FULL,
      ...PUBLIC_POOL,
      ...context,
      "POST",
      "/v1/p1/training-jobs",
    );

    expect(result.code).toBe(code);
    expect(result.stdout).toContain(`modelarts:trainJob:create: ${text}`);
  });

  test("an Allow with a condition does not allow", async () => {
    const result = await explain(...policy("allow-with-mfa.json"), "POST", "/v1/p1/training-jobs");

    expect(result.code).toBe(1);
    expect(result.stdout).toContain(
      'allows it, if Bool g:MFAPresent ["true"] (no --context value)',
    );
  });
});

describe("explain > unusable input exits 2 with one line per problem", () => {
  test.each([
    ["bad-trailing-comma.json", '6:42: error: not valid JSON: a trailing comma before "]"'],
    ["bad-unquoted.json", '5:17: error: not valid JSON: unexpected "A"'],
    [
      "bad-effect-lowercase.json",
      '5:17: error: Effect "deny" must be "Allow" or "Deny" exactly; write "Deny"',
    ],
    ["bad-version.json", '2:14: error: Version "1.0" is not "1.1"'],
    ["bad-actions.json", '6:40: error: action "model*:trainJob:get": a partial wildcard'],
    ["missing.json", "1:1: error: no such policy file; check the path"],
  ])("%s", async (name, message) => {
    const result = await explain(...policy(name), "GET", "/v1/p1/training-jobs");

    expect(result.code).toBe(2);
    expect(result.stdout).toBe("");
    expect(result.stderr).toContain(`${DIR}/${name}:${message}`);
    expect(result.stderr).not.toMatch(/\n\s+at /);
  });

  test("every problem of every file is listed, sorted by file and position", async () => {
    const bad = [...policy("bad-actions.json"), ...policy("bad-version.json")];
    const lines = (await explain(...bad, "GET", "/v1/p1/training-jobs")).stderr.trim().split("\n");

    expect(lines.map((l) => l.split(": error:")[0])).toEqual([
      `${DIR}/bad-actions.json:6:18`,
      `${DIR}/bad-actions.json:6:40`,
      `${DIR}/bad-actions.json:6:63`,
      `${DIR}/bad-actions.json:7:7`,
      `${DIR}/bad-version.json:2:14`,
    ]);
  });

  test("no route matches: exit 2 naming the request", async () => {
    const result = await explain(...FULL, "GET", "/v9/nothing");

    expect(result).toEqual({
      code: 2,
      stdout: "",
      stderr: "permgen explain: no route matches GET /v9/nothing; check the method and path\n",
    });
  });

  test("a missing spec: exit 2 with the loader's message", async () => {
    const result = await explain("--spec", "no-such-spec.yaml", ...FULL, "GET", "/v1/p/x");

    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/^no-such-spec\.yaml:1:1: error: no such file/);
  });

  test.each([
    [["GET", "/v1/p1/training-jobs"], "name at least one policy with --policy FILE"],
    [[...FULL, "/v1/p1/training-jobs"], "give the request as two arguments, METHOD URL"],
    [[...FULL, "FETCH", "/v1/p1/training-jobs"], 'unknown method "FETCH"'],
    [
      [...FULL, "--context", "g:UserName", "GET", "/v1"],
      '--context "g:UserName" must be KEY=VALUE',
    ],
  ])("usage error %j", async (argv, message) => {
    const result = await explain(...argv);

    expect(result.code).toBe(2);
    expect(result.stderr).toContain(`permgen explain: ${message}`);
  });
});

describe("explain > the core, without the command line", () => {
  test("one line per action a route needs, and a verdict over all of them", async () => {
    const policies = await Promise.all(
      ["modelarts-full.json", "deny-trainjob-delete.json"].map(read),
    );
    const route: ExplainRoute = {
      id: "replaceJob",
      method: "PUT",
      path: "/v1/{project_id}/jobs/{job_id}",
      params: { project_id: "p", job_id: "j" },
      actions: ["modelarts:trainJob:create", "modelarts:trainJob:delete", "obs:object:PutObject"],
      access: "write",
      file: "a.yaml",
    };
    const { lines, allowed } = explainRequest(policies, route);

    expect(allowed).toBe(false);
    expect(lines.slice(2).map((l) => l.replace(/ by .*/, ""))).toEqual([
      "action   modelarts:trainJob:create: allowed",
      "action   modelarts:trainJob:delete: denied",
      "action   obs:object:PutObject: denied: no statement allows it (default deny)",
      "verdict  denied: 2 of 3 actions denied",
    ]);
  });

  test("explain is listed by permgen --help and documents its options", async () => {
    const outcome = { text: "" };
    const io = { cwd: ROOT, stdout: (t: string) => void (outcome.text += t), stderr: () => {} };

    expect(await run(["--help"], io)).toBe(0);
    expect(outcome.text).toMatch(/^ {2}explain +say whether policy files allow a request/m);
    expect(await run(["explain", "--help"], io)).toBe(0);
    expect(outcome.text).toContain("--context KEY=VALUE");
  });
});

async function read(name: string): Promise<PolicyFile> {
  const result = await readPolicyFile(`${DIR}/${name}`, ROOT);
  if ("diagnostics" in result) throw new Error(`fixture ${name} is invalid`);
  return result.policy;
}
