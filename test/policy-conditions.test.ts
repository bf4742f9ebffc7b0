import { describe, expect, test } from "vitest";
import {
  evaluate,
  type ConditionContext,
  type PolicyDocument,
} from "../generator/runtime/policy.js";
import { allow, decide, deny, fixture, policy } from "./helpers/policies.js";

describe("policy > conditions not evaluated", () => {
  const publicPoolDeny = fixture("deny-public-pool.json");
  const full = fixture("modelarts-full.json");

  test("an Allow with a condition does not allow; the condition is reported", () => {
    const [result] = evaluate([fixture("allow-with-mfa.json")], ["modelarts:trainJob:get"]).actions;

    expect(result).toMatchObject({ decision: "indeterminate", allowed: false });
    expect(result?.reason).toBe("allow-condition-not-evaluated");
    expect(result?.statement?.unresolved).toEqual([
      {
        element: "Condition",
        operator: "Bool",
        key: "g:MFAPresent",
        values: ["true"],
        why: "key-not-in-context",
      },
    ]);
  });

  test("a Deny with a condition blocks an Allow: indeterminate, naming the Deny", () => {
    const result = evaluate([full, publicPoolDeny], ["modelarts:trainJob:create"]);

    expect(result).toMatchObject({ decision: "indeterminate", allowed: false });
    expect(result.actions[0]?.reason).toBe("deny-condition-not-evaluated");
    expect(result.actions[0]?.statement).toMatchObject({ policy: 1, effect: "Deny" });
    expect(result.actions[0]?.matches.map((m) => m.effect)).toEqual(["Allow", "Deny"]);
  });

  test("a Deny with a condition and no Allow changes nothing: default deny", () => {
    expect(decide([publicPoolDeny], "modelarts:trainJob:create")).toBe("denied implicit-deny");
  });

  test("an outright Deny wins over a conditional one and over an Allow", () => {
    const docs = [policy(allow("modelarts:*:*"), deny("modelarts:trainJob:create"))];
    const both = [...docs, publicPoolDeny];

    expect(decide(both, "modelarts:trainJob:create")).toBe("denied explicit-deny");
  });

  test("a denied action outweighs an undecided one in the request's verdict", () => {
    const docs = [full, publicPoolDeny, fixture("deny-trainjob-delete.json")];
    const actions = ["modelarts:trainJob:create", "modelarts:trainJob:delete"];

    expect(evaluate(docs, actions).decision).toBe("denied");
  });

  test("a Resource is not evaluated: the statement stays conditional", () => {
    const docs = [
      policy({ Effect: "Allow", Action: ["obs:*:*"], Resource: ["obs:*:*:bucket:a*"] }),
    ];
    const [result] = evaluate(docs, ["obs:bucket:ListBucket"]).actions;

    expect(result?.reason).toBe("allow-condition-not-evaluated");
    expect(result?.statement?.unresolved).toEqual([
      { element: "Resource", resources: ["obs:*:*:bucket:a*"] },
    ]);
  });
});

describe("policy > conditions evaluated from a context", () => {
  const docs = [fixture("modelarts-full.json"), fixture("deny-public-pool.json")];
  const create = "modelarts:trainJob:create";

  test.each<[string, ConditionContext, string]>([
    [
      "the key matches: the Deny applies",
      { "modelarts:poolType": "public" },
      "denied explicit-deny",
    ],
    [
      "another value: the Deny does not",
      { "modelarts:poolType": "dedicated" },
      "allowed explicit-allow",
    ],
    ["values are case-sensitive", { "modelarts:poolType": "Public" }, "allowed explicit-allow"],
    ["the request lacks the key", { "modelarts:poolType": null }, "allowed explicit-allow"],
    [
      "a key of another name is unknown",
      { "modelarts:pooltype": "public" },
      "indeterminate deny-condition-not-evaluated",
    ],
  ])("StringEquals, %s", (_, context, expected) => {
    expect(decide(docs, create, context)).toBe(expected);
  });

  const one = (operator: string, values: string[]): PolicyDocument[] => [
    policy({ Effect: "Allow", Action: ["a:b:c"], Condition: { [operator]: { k: values } } }),
  ];

  test.each<[string, string[], ConditionContext, string]>([
    ["Bool", ["true"], { k: true }, "allowed"],
    ["Bool", ["true"], { k: "false" }, "denied"],
    ["Bool", ["yes"], { k: true }, "indeterminate"],
    ["StringLike", ["team-*"], { k: "team-ml" }, "allowed"],
    ["StringLike", ["team-*"], { k: "ops-ml" }, "denied"],
    ["StringLike", ["team-?"], { k: "team-a" }, "indeterminate"],
    ["StringStartWith", ["Test"], { k: "TestUser" }, "allowed"],
    ["StringEndWith", ["Character"], { k: "specialCharacter" }, "allowed"],
    ["StringEqualsIgnoreCase", ["Public"], { k: "PUBLIC" }, "allowed"],
    ["StringNotEquals", ["a", "b"], { k: "b" }, "denied"],
    ["StringNotEquals", ["a", "b"], { k: "c" }, "allowed"],
    ["StringNotEquals", ["a"], { k: null }, "indeterminate"],
    ["StringEquals", ["a", "b"], { k: "b" }, "allowed"],
    ["StringEquals", ["a"], { k: true }, "indeterminate"],
    ["StringEqualsIfExists", ["a"], { k: null }, "allowed"],
    ["StringEndWithIfExists", ["x"], { k: "yx" }, "allowed"],
    ["StringEquals", ["a"], {}, "indeterminate"],
    ["NumberLessThan", ["5"], { k: "3" }, "indeterminate"],
    ["StringEndWithIfExsits", ["x"], { k: "x" }, "indeterminate"],
  ])("%s %j with %j: %s", (operator, values, context, expected) => {
    expect(evaluate(one(operator, values), ["a:b:c"], context).decision).toBe(expected);
  });

  test("several conditions must all hold", () => {
    const both = policy({
      Effect: "Allow",
      Action: ["a:b:c"],
      Condition: { StringEquals: { x: ["1"] }, Bool: { "g:MFAPresent": ["true"] } },
    });

    expect(evaluate([both], ["a:b:c"], { x: "1", "g:MFAPresent": true }).allowed).toBe(true);
    expect(evaluate([both], ["a:b:c"], { x: "1", "g:MFAPresent": false }).decision).toBe("denied");
    const half = evaluate([both], ["a:b:c"], { x: "1" }).actions[0]?.statement?.unresolved;
    expect(half?.map((u) => (u.element === "Condition" ? u.key : ""))).toEqual(["g:MFAPresent"]);
  });

  test("keys reachable through the prototype are not context values", () => {
    const docs = [
      policy({
        Effect: "Allow",
        Action: ["a:b:c"],
        Condition: { StringEquals: { constructor: ["x"] } },
      }),
    ];

    expect(evaluate(docs, ["a:b:c"], {}).decision).toBe("indeterminate");
  });
});
