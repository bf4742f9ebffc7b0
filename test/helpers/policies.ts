/** Small builders and fixture access shared by the policy evaluator's tests. */
import { readFileSync } from "node:fs";
import {
  evaluate,
  type ConditionContext,
  type LabelledPolicy,
  type PolicyDocument,
  type PolicyInput,
  type PolicyStatement,
} from "../../generator/runtime/policy.js";

const FIXTURES = new URL("../fixtures/policies/", import.meta.url);

/** A policy file of test/fixtures/policies, labelled with its name. */
export function fixture(name: string): LabelledPolicy {
  return { label: name, document: JSON.parse(readFileSync(new URL(name, FIXTURES), "utf8")) };
}

export function policy(...statements: PolicyStatement[]): PolicyDocument {
  return { Version: "1.1", Statement: statements };
}

export const allow = (...actions: string[]): PolicyStatement => ({
  Effect: "Allow",
  Action: actions,
});
export const deny = (...actions: string[]): PolicyStatement => ({
  Effect: "Deny",
  Action: actions,
});

/** One action's decision and reason, such as `denied explicit-deny`. */
export function decide(docs: PolicyInput[], action: string, context?: ConditionContext): string {
  const [result] = evaluate(docs, [action], context).actions;
  return `${result?.decision} ${result?.reason}`;
}
