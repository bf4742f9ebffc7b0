/**
 * Decides whether a set of IAM policies in the provider's fine-grained syntax
 * (`{"Version": "1.1", "Statement": [...]}`) allows the actions a request needs, and names the
 * statement that decided, so every answer can be explained.
 *
 * The rules, the first four as the provider documents them, the rest this evaluator's own:
 * - Default deny: an action no statement matches is denied (`implicit-deny`).
 * - An explicit Deny wins over any Allow, in any policy, whatever the order.
 * - A request that needs several actions is allowed only when each one is; needing none, it is.
 * - Actions are `service:resourceType:operation`. `*` stands for all or part of the resource type
 *   or the operation (`modelarts:*:get*`), and those two segments compare case-insensitively.
 * - The service segment compares exactly and is lowercase letters or `*` alone. A partial wildcard
 *   there (`model*`) is undocumented, so `checkPolicy` rejects it rather than guess its meaning.
 * - `Effect` must be `Allow` or `Deny` exactly. One doc example writes `deny`; it is rejected with
 *   a fix, because reading a misspelt effect either way could turn a typo into a grant.
 * - A statement with a `Condition` or a `Resource` applies only when those hold. Conditions are
 *   evaluated against the optional context (see `ConditionContext`); anything that cannot be
 *   evaluated, and every `Resource` (a request here names no resource), stays unresolved and is
 *   reported, never assumed true. Results are three-valued:
 *   - an unresolved Allow does not allow: the action is `indeterminate`
 *     (`allow-condition-not-evaluated`) unless an outright Deny already denies it;
 *   - an unresolved Deny blocks an outright Allow: `indeterminate`
 *     (`deny-condition-not-evaluated`); with no Allow at all it changes nothing (`implicit-deny`).
 *   Only `allowed` lets a caller through; `indeterminate` means "not allowed as far as is known".
 * - An action that is not three colon-separated segments is denied (`invalid-action`).
 *
 * Patterns are compiled once by `compilePolicies` and indexed by service; evaluating builds no
 * regular expression and allocates little, so a compiled set can serve a hot path.
 */

import { checkPolicy, problemPath, type PolicyProblem } from "./policy-check.js";
import {
  compileCondition,
  compileGlob,
  matchGlob,
  testCondition,
  type CompiledCondition,
  type ConditionContext,
  type ConditionGap,
  type Glob,
} from "./policy-match.js";

export { checkAction, checkPolicy, problemPath, type PolicyProblem } from "./policy-check.js";
export type { ConditionContext, ConditionGap } from "./policy-match.js";

export type Effect = "Allow" | "Deny";

export interface PolicyStatement {
  Effect: Effect;
  Action: string[];
  Condition?: Record<string, Record<string, string[]>>;
  Resource?: string[] | { uri: string[] };
}

export interface PolicyDocument {
  Version: "1.1";
  Statement: PolicyStatement[];
}

/** A policy with a name for messages and explanations, such as the file it was read from. */
export interface LabelledPolicy {
  label: string;
  document: unknown;
}

export type PolicyInput = PolicyDocument | LabelledPolicy;

export type Decision = "allowed" | "denied" | "indeterminate";

export type Reason =
  | "explicit-allow"
  | "explicit-deny"
  | "implicit-deny"
  | "allow-condition-not-evaluated"
  | "deny-condition-not-evaluated"
  | "invalid-action";

export type Unresolved =
  | { element: "Condition"; operator: string; key: string; values: string[]; why: ConditionGap }
  | { element: "Resource"; resources: string[] };

/** A statement that matched an action: where it is, and what of it could not be evaluated. */
export interface StatementMatch {
  /** Position of the policy in the list given, from 0. */
  policy: number;
  label: string | undefined;
  /** Position of the statement in the policy's `Statement`, from 0. */
  statement: number;
  effect: Effect;
  /** The `Action` entry that matched, as written. */
  pattern: string;
  /** Empty when the statement applies outright. */
  unresolved: Unresolved[];
}

export interface ActionDecision {
  action: string;
  decision: Decision;
  allowed: boolean;
  reason: Reason;
  /** The statement that decided; undefined for `implicit-deny` and `invalid-action`. */
  statement: StatementMatch | undefined;
  /** Every statement that matched, in policy order; an outright Deny ends the search. */
  matches: StatementMatch[];
}

export interface Evaluation {
  /** `denied` if any action is, else `indeterminate` if any is, else `allowed`. */
  decision: Decision;
  allowed: boolean;
  actions: ActionDecision[];
}

/** What a route matcher returns, as far as evaluation needs it. */
export interface MatchedRequest {
  id: string;
  actions: readonly string[];
}

export interface RequestEvaluation extends Evaluation {
  id: string;
  /** True when the route needs no action (the table says `-` or `N/A`): no policy is consulted. */
  noActionRequired: boolean;
}

/** A problem of one policy in a list: which policy, by position and label. */
export interface PolicySetProblem extends PolicyProblem {
  policy: number;
  label: string | undefined;
}

/** Thrown by `compilePolicies` for invalid documents, with every problem of every policy. */
export class PolicyError extends Error {
  readonly problems: readonly PolicySetProblem[];

  constructor(problems: readonly PolicySetProblem[]) {
    const first = problems[0];
    const where = first
      ? `${first.label ?? `policy ${first.policy}`}: ${problemPath(first.path)}`
      : "";
    super(first ? `${where}: ${first.message}` : "invalid policy");
    this.name = "PolicyError";
    this.problems = problems;
  }
}

/** Validates and compiles policies once; throws `PolicyError` listing every problem found. */
export function compilePolicies(policies: readonly PolicyInput[]): CompiledPolicies {
  return new CompiledPolicies(policies);
}

/** Evaluates actions against policies; pass a compiled set on a hot path, raw ones compile here. */
export function evaluate(
  policies: CompiledPolicies | readonly PolicyInput[],
  actions: readonly string[],
  context?: ConditionContext,
): Evaluation {
  const set = policies instanceof CompiledPolicies ? policies : compilePolicies(policies);
  return set.evaluate(actions, context);
}

/** Evaluates the actions a matched route needs; a route that needs none is allowed outright. */
export function evaluateRequest(
  policies: CompiledPolicies | readonly PolicyInput[],
  match: MatchedRequest,
  context?: ConditionContext,
): RequestEvaluation {
  const result = evaluate(policies, match.actions, context);
  return { id: match.id, noActionRequired: match.actions.length === 0, ...result };
}

/** A validated policy set with its patterns compiled and indexed by service. */
export class CompiledPolicies {
  /** How many policy documents the set holds. */
  readonly size: number;
  readonly #index: ServiceIndex;

  /** Validates every document first and throws `PolicyError` listing all problems found. */
  constructor(policies: readonly PolicyInput[]) {
    const problems: PolicySetProblem[] = [];
    const statements: CompiledStatement[] = [];

    policies.forEach((input, policy) => {
      const { label, document } = unwrap(input);
      const found = checkPolicy(document);
      problems.push(...found.map((p) => ({ ...p, policy, label })));
      if (found.length > 0) return;

      (document as PolicyDocument).Statement.forEach((statement, index) => {
        statements.push(compileStatement(statement, statements.length, policy, label, index));
      });
    });

    if (problems.length > 0) throw new PolicyError(problems);
    this.size = policies.length;
    this.#index = indexByService(statements);
  }

  /** Decides every action and combines them: allowed only when each one is. */
  evaluate(actions: readonly string[], context: ConditionContext = {}): Evaluation {
    const decided = actions.map((action) => this.decide(action, context));
    const decision = decided.some((d) => d.decision === "denied")
      ? "denied"
      : decided.some((d) => d.decision === "indeterminate")
        ? "indeterminate"
        : "allowed";
    return { decision, allowed: decision === "allowed", actions: decided };
  }

  /** Decides one action: an outright Deny, else an outright Allow, else default deny. */
  decide(action: string, context: ConditionContext = {}): ActionDecision {
    const parts = action.split(":");
    if (parts.length !== 3) return verdict(action, "invalid-action", undefined, []);

    const [service = "", resourceType = "", operation = ""] = parts;
    const entries = this.#index.byService.get(service) ?? this.#index.anyService;
    const type = resourceType.toLowerCase();
    const op = operation.toLowerCase();
    const matches: StatementMatch[] = [];
    let last = -1;

    for (const { statement, pattern } of entries) {
      if (statement.order === last) continue;
      if (!matchGlob(pattern.resourceType, type) || !matchGlob(pattern.operation, op)) continue;
      last = statement.order;

      const applies = appliesTo(statement, context);
      if (applies === false) continue;
      const match = toMatch(statement, pattern.text, applies);
      matches.push(match);
      if (statement.effect === "Deny" && applies.length === 0) {
        return verdict(action, "explicit-deny", match, matches);
      }
    }
    return settle(action, matches);
  }
}

// Everything below is internal: the compiled shapes and how a decision is reached.

interface CompiledPattern {
  text: string;
  service: string;
  resourceType: Glob;
  operation: Glob;
}

interface CompiledStatement {
  order: number;
  policy: number;
  label: string | undefined;
  statement: number;
  effect: Effect;
  patterns: CompiledPattern[];
  conditions: CompiledCondition[];
  resources: string[] | undefined;
}

interface Entry {
  statement: CompiledStatement;
  pattern: CompiledPattern;
}

interface ServiceIndex {
  /** Per service named in some pattern: its entries and the `*` ones, in statement order. */
  byService: Map<string, Entry[]>;
  anyService: Entry[];
}

function settle(action: string, matches: StatementMatch[]): ActionDecision {
  const allow = matches.find((m) => m.effect === "Allow" && m.unresolved.length === 0);
  // An outright Deny returned earlier, so any Deny here is one whose condition is pending.
  const pendingDeny = matches.find((m) => m.effect === "Deny");
  const pendingAllow = matches.find((m) => m.effect === "Allow");

  if (allow && pendingDeny) {
    return verdict(action, "deny-condition-not-evaluated", pendingDeny, matches);
  }
  if (allow) return verdict(action, "explicit-allow", allow, matches);
  if (pendingAllow) return verdict(action, "allow-condition-not-evaluated", pendingAllow, matches);
  return verdict(action, "implicit-deny", undefined, matches);
}

function verdict(
  action: string,
  reason: Reason,
  statement: StatementMatch | undefined,
  matches: StatementMatch[],
): ActionDecision {
  const decision: Decision =
    reason === "explicit-allow"
      ? "allowed"
      : reason.endsWith("-not-evaluated")
        ? "indeterminate"
        : "denied";
  return { action, decision, allowed: decision === "allowed", reason, statement, matches };
}

function toMatch(
  statement: CompiledStatement,
  pattern: string,
  unresolved: Unresolved[],
): StatementMatch {
  return {
    policy: statement.policy,
    label: statement.label,
    statement: statement.statement,
    effect: statement.effect,
    pattern,
    unresolved,
  };
}

/** False when a condition is known false; otherwise what stays unresolved (empty: applies). */
function appliesTo(statement: CompiledStatement, context: ConditionContext): false | Unresolved[] {
  if (statement.conditions.length === 0 && !statement.resources) return [];

  const unresolved: Unresolved[] = [];
  for (const condition of statement.conditions) {
    const truth = testCondition(condition, context);
    if (truth === false) return false;
    if (truth !== true) {
      const { operator, key, values } = condition;
      unresolved.push({ element: "Condition", operator, key, values, why: truth });
    }
  }
  if (statement.resources) unresolved.push({ element: "Resource", resources: statement.resources });
  return unresolved;
}

function compileStatement(
  statement: PolicyStatement,
  order: number,
  policy: number,
  label: string | undefined,
  index: number,
): CompiledStatement {
  const resource = statement.Resource;
  return {
    order,
    policy,
    label,
    statement: index,
    effect: statement.Effect,
    patterns: statement.Action.map(compilePattern),
    conditions: Object.entries(statement.Condition ?? {}).flatMap(([operator, keys]) =>
      Object.entries(keys).map(([key, values]) => compileCondition(operator, key, values)),
    ),
    resources: Array.isArray(resource) ? resource : resource?.uri,
  };
}

function compilePattern(text: string): CompiledPattern {
  const [service = "", resourceType = "", operation = ""] = text.split(":");
  return {
    text,
    service,
    resourceType: compileGlob(resourceType.toLowerCase()),
    operation: compileGlob(operation.toLowerCase()),
  };
}

function indexByService(statements: readonly CompiledStatement[]): ServiceIndex {
  const entries = statements.flatMap((statement) =>
    statement.patterns.map((pattern) => ({ statement, pattern })),
  );
  const anyService = entries.filter((e) => e.pattern.service === "*");
  const byService = new Map<string, Entry[]>();

  for (const service of new Set(entries.map((e) => e.pattern.service))) {
    if (service === "*") continue;
    const own = entries.filter((e) => e.pattern.service === service || e.pattern.service === "*");
    byService.set(service, own);
  }
  return { byService, anyService };
}

function unwrap(input: PolicyInput): { label: string | undefined; document: unknown } {
  const record = typeof input === "object" && input !== null;
  if (record && "document" in input && !("Statement" in input)) {
    const labelled = input as LabelledPolicy;
    return { label: labelled.label, document: labelled.document };
  }
  return { label: undefined, document: input };
}
