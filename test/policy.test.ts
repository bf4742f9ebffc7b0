import { readFileSync } from "node:fs";
import fc from "fast-check";
import { describe, expect, test } from "vitest";
import {
  checkPolicy,
  compilePolicies,
  evaluate,
  evaluateRequest,
  PolicyError,
} from "../generator/runtime/policy.js";
import { compileGlob, matchGlob } from "../generator/runtime/policy-match.js";
import { allow, decide, deny, fixture, policy } from "./helpers/policies.js";
import { typecheck } from "./helpers/typecheck.js";

describe("policy > default deny", () => {
  test("an action no statement matches is denied, with no deciding statement", () => {
    const result = evaluate(
      [policy(allow("modelarts:trainJob:get"))],
      ["modelarts:trainJob:delete"],
    );

    expect(result.allowed).toBe(false);
    expect(result.actions[0]).toMatchObject({ decision: "denied", reason: "implicit-deny" });
    expect(result.actions[0]?.statement).toBeUndefined();
  });

  test("no policy at all denies", () => {
    expect(decide([], "modelarts:trainJob:get")).toBe("denied implicit-deny");
  });

  test("a Deny-only policy grants nothing", () => {
    expect(decide([policy(deny("cts:*:*"))], "modelarts:trainJob:get")).toBe(
      "denied implicit-deny",
    );
  });
});

describe("policy > explicit deny wins", () => {
  test("FullAccess-style allow plus a Deny on delete: the iam.md example", () => {
    const policies = [fixture("modelarts-full.json"), fixture("deny-trainjob-delete.json")];
    const result = evaluate(policies, ["modelarts:trainJob:delete", "modelarts:trainJob:get"]);

    expect(result.actions[0]).toMatchObject({
      decision: "denied",
      reason: "explicit-deny",
      statement: {
        policy: 1,
        label: "deny-trainjob-delete.json",
        statement: 0,
        effect: "Deny",
        pattern: "modelarts:trainJob:delete",
      },
    });
    expect(result.actions[1]).toMatchObject({ decision: "allowed", reason: "explicit-allow" });
  });

  test("the order of policies and statements does not matter", () => {
    const denyFirst = [policy(deny("modelarts:trainJob:delete"), allow("modelarts:*:*"))];
    const allowFirst = [policy(allow("modelarts:*:*")), policy(deny("modelarts:trainJob:delete"))];

    expect(decide(denyFirst, "modelarts:trainJob:delete")).toBe("denied explicit-deny");
    expect(decide(allowFirst, "modelarts:trainJob:delete")).toBe("denied explicit-deny");
  });

  test("the developer policy of the docs denies pool changes but allows the rest", () => {
    const result = evaluate(
      [fixture("developer.json")],
      ["modelarts:pool:create", "modelarts:trainJob:create"],
    );
    expect(result.actions.map((a) => [a.decision, a.statement?.statement])).toEqual([
      ["denied", 1],
      ["allowed", 0],
    ]);
  });

  test("any added Deny on an action makes it not allowed, whatever else is granted", () => {
    const segment = fc.constantFrom("trainJob", "pool", "*", "get*", "list", "create", "*Job");
    const pattern = fc.tuple(segment, segment).map(([t, o]) => `modelarts:${t}:${o}`);
    const action = fc.constantFrom(
      "modelarts:trainJob:get",
      "modelarts:pool:list",
      "modelarts:a:b",
    );

    fc.assert(
      fc.property(fc.array(pattern, { minLength: 1 }), action, (allowed, target) => {
        const docs = [policy(allow(...allowed)), policy(deny(target))];
        return !evaluate(docs, [target]).allowed;
      }),
    );
  });
});

describe("policy > wildcards", () => {
  test.each([
    ["*:*:*", "obs:bucket:ListBucket", true],
    ["modelarts:*:*", "modelarts:trainJob:create", true],
    ["modelarts:*:*", "obs:bucket:ListBucket", false],
    ["modelarts:trainJob:*", "modelarts:trainJob:delete", true],
    ["modelarts:trainJob:*", "modelarts:trainJobVersion:delete", false],
    ["modelarts:*:get*", "modelarts:service:getLogs", true],
    ["modelarts:*:get*", "modelarts:service:get", true],
    ["modelarts:*:get*", "modelarts:service:listLogs", false],
    ["modelarts:*:*Logs", "modelarts:service:getLogs", true],
    ["modelarts:*:*Dataset*", "modelarts:dataset:createDatasetVersion", true],
    ["modelarts:trainJob*:list", "modelarts:trainJobLog:list", true],
    ["modelarts:*:delete*", "modelarts:workspace:get", false],
    ["ecs:*:list", "ecs:servers:list", true],
  ])("%s matches %s: %s", (pattern, action, allowed) => {
    expect(evaluate([policy(allow(pattern))], [action]).allowed).toBe(allowed);
  });

  test("resource type and operation compare case-insensitively", () => {
    const docs = [policy(allow("obs:bucket:ListAllMybuckets", "modelarts:TRAINJOB:Get*"))];

    expect(decide(docs, "obs:bucket:ListAllMyBuckets")).toBe("allowed explicit-allow");
    expect(decide(docs, "modelarts:trainJob:getLogs")).toBe("allowed explicit-allow");
  });

  test("the service compares exactly", () => {
    const docs = [policy(allow("modelarts:*:*"))];

    expect(decide(docs, "ModelArts:trainJob:get")).toBe("denied implicit-deny");
    expect(decide([policy(allow("*:*:*"))], "ModelArts:trainJob:get")).toBe(
      "allowed explicit-allow",
    );
  });

  test("a partial wildcard in the service segment is refused, not guessed", () => {
    expect(() => compilePolicies([policy(allow("model*:trainJob:get"))])).toThrow(PolicyError);
    expect(checkPolicy(policy(allow("model*:*:*")))[0]?.message).toMatch(/partial wildcard/);
  });

  test("the deciding pattern is the first entry of the statement that matches", () => {
    const docs = [policy(allow("modelarts:pool:*", "modelarts:trainJob:*", "modelarts:*:*"))];

    expect(evaluate(docs, ["modelarts:trainJob:get"]).actions[0]?.statement?.pattern).toBe(
      "modelarts:trainJob:*",
    );
  });

  test("star matching agrees with a reference regular expression", () => {
    const text = fc.string({ unit: fc.constantFrom("a", "b", "ab") });
    const glob = fc.array(fc.constantFrom("a", "b", "*", "ab", "ba"), { maxLength: 6 });

    fc.assert(
      fc.property(glob, text, (parts, subject) => {
        const pattern = parts.join("");
        const reference = new RegExp(`^${pattern.replaceAll("*", ".*")}$`, "s");
        return matchGlob(compileGlob(pattern), subject) === reference.test(subject);
      }),
    );
  });
});

describe("policy > several actions and policies", () => {
  test("a request needing several actions is allowed only when each one is", () => {
    const docs = [policy(allow("modelarts:trainJob:get", "modelarts:trainJob:list"))];

    expect(evaluate(docs, ["modelarts:trainJob:get", "modelarts:trainJob:list"]).allowed).toBe(
      true,
    );
    const partly = evaluate(docs, ["modelarts:trainJob:get", "modelarts:trainJob:delete"]);
    expect(partly).toMatchObject({ decision: "denied", allowed: false });
    expect(partly.actions.map((a) => a.decision)).toEqual(["allowed", "denied"]);
  });

  test("needing no action is allowed", () => {
    expect(evaluate([], [])).toEqual({ decision: "allowed", allowed: true, actions: [] });
  });

  test("statements from several policies are reported with the policy's index and label", () => {
    const docs = [
      { label: "a.json", document: policy(allow("obs:*:*")) },
      policy(allow("modelarts:*:*")),
    ];
    const result = evaluate(docs, ["obs:bucket:ListBucket", "modelarts:trainJob:get"]);

    expect(result.actions.map((a) => [a.statement?.policy, a.statement?.label])).toEqual([
      [0, "a.json"],
      [1, undefined],
    ]);
  });

  test("a compiled set gives the same answers as raw documents, again and again", () => {
    const docs = [fixture("modelarts-full.json"), fixture("deny-trainjob-delete.json")];
    const compiled = compilePolicies(docs);
    const actions = ["modelarts:trainJob:delete", "modelarts:pool:create", "obs:bucket:ListBucket"];

    expect(compiled.size).toBe(2);
    expect(evaluate(compiled, actions)).toEqual(evaluate(docs, actions));
    expect(compiled.evaluate(actions)).toEqual(compiled.evaluate(actions));
  });

  test("an action that is not three segments is denied as invalid", () => {
    expect(decide([policy(allow("*:*:*"))], "modelarts:trainJob")).toBe("denied invalid-action");
  });
});

describe("policy > requests", () => {
  test("a route that needs no action is allowed without any policy", () => {
    const result = evaluateRequest([], { id: "listJobSpecs", actions: [] });

    expect(result).toMatchObject({ id: "listJobSpecs", allowed: true, noActionRequired: true });
  });

  test("a route's actions are evaluated together", () => {
    const docs = [fixture("modelarts-full.json"), fixture("deny-trainjob-delete.json")];
    const result = evaluateRequest(docs, {
      id: "deleteJob",
      actions: ["modelarts:trainJob:delete"],
    });

    expect(result).toMatchObject({ id: "deleteJob", decision: "denied", noActionRequired: false });
  });
});

describe("policy > runtime", () => {
  test("the runtime files type-check under the strictest consumer settings", () => {
    const read = (name: string): string =>
      readFileSync(new URL(`../generator/runtime/${name}`, import.meta.url), "utf8");
    const files = Object.fromEntries(
      ["policy.ts", "policy-check.ts", "policy-match.ts"].map((n) => [`runtime/${n}`, read(n)]),
    );

    expect(typecheck(files)).toEqual([]);
  });
});
