import { describe, expect, test } from "vitest";
import {
  checkPolicy,
  compilePolicies,
  PolicyError,
  problemPath,
} from "../generator/runtime/policy.js";
import { fixture } from "./helpers/policies.js";

describe("policy > invalid documents", () => {
  const base = (statement: Record<string, unknown>): unknown => ({
    Version: "1.1",
    Statement: [statement],
  });

  test.each<[string, unknown, string, string]>([
    ["not an object", [], "(document)", "must be a JSON object"],
    ["no Version", { Statement: [] }, "(document)", 'add "Version": "1.1"'],
    ["a role document", { Version: "1.0", Statement: [] }, "Version", "role (RBAC)"],
    [
      "Version as a number",
      { Version: 1.1, Statement: [] },
      "Version",
      'Version must be the string "1.1", not the number 1.1; write "Version": "1.1"',
    ],
    ["Statement not an array", { Version: "1.1", Statement: {} }, "Statement", "must be an array"],
    ["an empty Statement", { Version: "1.1", Statement: [] }, "Statement", "is empty"],
    [
      "an unknown top-level key",
      { Version: "1.1", Statement: [{ Effect: "Allow", Action: ["a:b:c"] }], Id: 1 },
      "Id",
      "unknown key",
    ],
    [
      "lower-case deny",
      base({ Effect: "deny", Action: ["a:b:c"] }),
      "Statement[0].Effect",
      'write "Deny"',
    ],
    [
      "another effect",
      base({ Effect: "Permit", Action: ["a:b:c"] }),
      "Statement[0].Effect",
      '"Allow" or "Deny"',
    ],
    [
      "Action as a string",
      base({ Effect: "Allow", Action: "a:b:c" }),
      "Statement[0].Action",
      'write ["a:b:c"]',
    ],
    ["an empty Action", base({ Effect: "Allow", Action: [] }), "Statement[0].Action", "is empty"],
    [
      "two segments",
      base({ Effect: "Allow", Action: ["a:b"] }),
      "Statement[0].Action[0]",
      "three segments",
    ],
    [
      "a bare star",
      base({ Effect: "Allow", Action: ["*"] }),
      "Statement[0].Action[0]",
      "three segments",
    ],
    [
      "an upper-case service",
      base({ Effect: "Allow", Action: ["OBS:b:c"] }),
      "Statement[0].Action[0]",
      'such as "obs"',
    ],
    [
      "a question mark",
      base({ Effect: "Allow", Action: ["a:b?:c"] }),
      "Statement[0].Action[0]",
      '"?" is not a wildcard',
    ],
    [
      "a Sid (5.0 only)",
      base({ Effect: "Allow", Action: ["a:b:c"], Sid: "x" }),
      "Statement[0].Sid",
      "unknown key",
    ],
    [
      "a misspelt key",
      base({ effect: "Allow", Effect: "Allow", Action: ["a:b:c"] }),
      "Statement[0].effect",
      'write "Effect"',
    ],
    [
      "a condition value not a list",
      base({ Effect: "Allow", Action: ["a:b:c"], Condition: { Bool: { k: "true" } } }),
      "Statement[0].Condition.Bool.k",
      "array of strings",
    ],
    [
      "an empty Resource",
      base({ Effect: "Allow", Action: ["a:b:c"], Resource: [] }),
      "Statement[0].Resource",
      "non-empty array",
    ],
  ])("%s", (_, doc, path, message) => {
    const problems = checkPolicy(doc);

    expect(problems.map((p) => problemPath(p.path))).toContain(path);
    expect(problems.map((p) => p.message).join("\n")).toContain(message);
  });

  test("the agency form of Resource and every documented example are valid", () => {
    const agency = base({
      Effect: "Allow",
      Action: ["iam:agencies:assume"],
      Resource: { uri: ["/iam/agencies/x"] },
    });
    const names = [
      "modelarts-full.json",
      "deny-trainjob-delete.json",
      "developer.json",
      "read-only.json",
      "deny-public-pool.json",
      "allow-with-mfa.json",
    ];

    expect(checkPolicy(agency)).toEqual([]);
    for (const name of names) expect(checkPolicy(fixture(name).document), name).toEqual([]);
  });

  test("compiling reports every problem of every policy, labelled", () => {
    const bad = [fixture("bad-effect-lowercase.json"), fixture("bad-actions.json")];
    const error = captureError(() => compilePolicies(bad));

    expect(error).toBeInstanceOf(PolicyError);
    expect((error as PolicyError).message).toBe(
      'bad-effect-lowercase.json: Statement[0].Effect: Effect "deny" must be "Allow" or "Deny" exactly; write "Deny"',
    );
    expect((error as PolicyError).problems.map((p) => [p.label, p.path.join(".")])).toEqual([
      ["bad-effect-lowercase.json", "Statement.0.Effect"],
      ["bad-actions.json", "Statement.0.Sid"],
      ["bad-actions.json", "Statement.0.Action.0"],
      ["bad-actions.json", "Statement.0.Action.1"],
      ["bad-actions.json", "Statement.0.Action.2"],
    ]);
  });
});

function captureError(run: () => unknown): unknown {
  try {
    run();
  } catch (error) {
    return error;
  }
  return undefined;
}
