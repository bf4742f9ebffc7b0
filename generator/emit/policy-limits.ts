/**
 * What the provider accepts as a fine-grained ("1.1") custom policy, and how an action list too
 * big for one policy is packed into several, as the provider's IAM documentation describes
 * custom policies: their document structure and their size and count limits.
 *
 * The sources disagree on the limits; the conservative set is kept: at most 8 statements, 100
 * actions per statement and 6,144 characters of minified JSON. ModelArts allows no resource path,
 * so a statement here never has `Resource`.
 */

export type Effect = "Allow" | "Deny";

export interface PolicyStatement {
  Effect: Effect;
  Action: string[];
}

export interface PolicyDocument {
  Version: "1.1";
  Statement: PolicyStatement[];
}

export interface PolicyLimits {
  statements: number;
  actionsPerStatement: number;
  /** Characters of the document as minified JSON; whether whitespace counts is undocumented. */
  characters: number;
}

export const POLICY_LIMITS: PolicyLimits = {
  statements: 8,
  actionsPerStatement: 100,
  characters: 6144,
};

/** `service:resourceType:operation`: a lowercase service, then segments that may hold `*`. */
const ACTION = /^[a-z]+:[A-Za-z0-9_*-]+:[A-Za-z0-9_*-]+$/;

/** Why an action string is not one the provider accepts, or undefined when it is. */
export function actionProblem(action: string): string | undefined {
  if (ACTION.test(action)) return undefined;

  const [service = "", ...rest] = action.split(":");
  if (rest.length !== 2) {
    return `${JSON.stringify(action)} is not of the form service:resourceType:operation`;
  }
  if (!/^[a-z]+$/.test(service)) {
    return `the service of ${JSON.stringify(action)} must be lowercase letters only`;
  }
  return `${JSON.stringify(action)} holds characters other than letters, digits, "_", "-" and "*"`;
}

/** Every way a parsed document breaks the syntax or the limits; empty when the provider takes it. */
export function policyProblems(document: unknown, limits: PolicyLimits = POLICY_LIMITS): string[] {
  if (!isObject(document)) return ["the policy is not a JSON object"];

  const problems = unknownKeys(document, ["Version", "Statement"], "the policy");
  if (document["Version"] !== "1.1") {
    problems.push(`"Version" is ${JSON.stringify(document["Version"])}, not "1.1"`);
  }

  const statements = document["Statement"];
  if (!Array.isArray(statements) || statements.length === 0) {
    problems.push(`"Statement" must be a non-empty array`);
    return problems;
  }
  if (statements.length > limits.statements) {
    problems.push(
      `${statements.length} statements, more than the ${limits.statements} a policy may hold`,
    );
  }
  statements.forEach((statement, index) =>
    problems.push(...statementProblems(statement, index + 1, limits)),
  );

  const length = JSON.stringify(document).length;
  if (length > limits.characters) {
    problems.push(
      `${length} characters of minified JSON, more than the ${limits.characters} allowed`,
    );
  }
  return problems;
}

function statementProblems(statement: unknown, n: number, limits: PolicyLimits): string[] {
  if (!isObject(statement)) return [`statement ${n} is not an object`];

  const problems = unknownKeys(statement, ["Effect", "Action", "Condition"], `statement ${n}`);
  if ("Condition" in statement && !isObject(statement["Condition"])) {
    problems.push(`statement ${n} has a "Condition" that is not an object`);
  }
  const effect = statement["Effect"];
  if (effect !== "Allow" && effect !== "Deny") {
    problems.push(
      `statement ${n} has "Effect" ${JSON.stringify(effect)}; write exactly "Allow" or "Deny"`,
    );
  }

  const actions = statement["Action"];
  if (!Array.isArray(actions) || actions.length === 0) {
    problems.push(`statement ${n} needs a non-empty "Action" array`);
    return problems;
  }
  if (actions.length > limits.actionsPerStatement) {
    problems.push(
      `statement ${n} has ${actions.length} actions, more than ${limits.actionsPerStatement}`,
    );
  }
  for (const action of actions) {
    const problem =
      typeof action === "string"
        ? actionProblem(action)
        : `${JSON.stringify(action)} is not a string`;
    if (problem) problems.push(`statement ${n}: ${problem}`);
  }
  return problems;
}

function unknownKeys(
  object: Record<string, unknown>,
  allowed: readonly string[],
  where: string,
): string[] {
  return Object.keys(object)
    .filter((key) => !allowed.includes(key))
    .map((key) =>
      key === "Resource"
        ? `${where} has "Resource", but ModelArts allows no resource path`
        : `${where} has ${JSON.stringify(key)}, which this policy syntax does not know`,
    );
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** The documents of one policy, or why it cannot be split into documents within the limits. */
export type SplitResult = { documents: PolicyDocument[] } | { problem: string };

/**
 * Packs allowed actions, in order, into as few documents as fit the limits. Each document repeats
 * every Deny statement: a part granted alone must never allow what the whole policy denies. So a
 * deny list is never split, and a policy whose deny list leaves no room in a document is refused.
 */
export function splitPolicy(
  allow: readonly string[],
  deny: readonly string[],
  limits: PolicyLimits = POLICY_LIMITS,
): SplitResult {
  const denyStatements = chunk(deny, limits.actionsPerStatement).map((a) => statement("Deny", a));
  const denyOnly = document([], denyStatements);
  if (allow.length === 0) {
    if (denyStatements.length === 0) return { documents: [] };
    const problems = policyProblems(denyOnly, limits);
    return problems.length === 0
      ? { documents: [denyOnly] }
      : { problem: denyTooLarge(deny.length, limits) };
  }

  const packer = new Packer(denyStatements, limits);
  for (const action of allow) {
    if (!packer.add(action)) return { problem: tooLarge(action, deny.length, limits) };
  }
  return { documents: packer.finish() };
}

/** Fills one document at a time, tracking its minified length instead of re-serialising it. */
class Packer {
  private readonly documents: PolicyDocument[] = [];
  private current: string[][] = [];
  private length = 0;

  constructor(
    private readonly denyStatements: PolicyStatement[],
    private readonly limits: PolicyLimits,
  ) {
    this.length = JSON.stringify(document([], denyStatements)).length;
  }

  /** False when the action does not fit even in an empty document. */
  add(action: string): boolean {
    if (this.tryAdd(action)) return true;
    if (this.current.length === 0) return false;

    this.documents.push(this.build());
    this.current = [];
    this.length = JSON.stringify(document([], this.denyStatements)).length;
    return this.tryAdd(action);
  }

  finish(): PolicyDocument[] {
    if (this.current.length > 0) this.documents.push(this.build());
    return this.documents;
  }

  private tryAdd(action: string): boolean {
    const last = this.current[this.current.length - 1];
    const encoded = JSON.stringify(action).length;

    if (last && last.length < this.limits.actionsPerStatement) {
      if (this.length + 1 + encoded > this.limits.characters) return false;
      last.push(action);
      this.length += 1 + encoded;
      return true;
    }

    const statements = this.current.length + this.denyStatements.length;
    const added = EMPTY_ALLOW_LENGTH + encoded + (statements > 0 ? 1 : 0);
    if (statements + 1 > this.limits.statements || this.length + added > this.limits.characters) {
      return false;
    }
    this.current.push([action]);
    this.length += added;
    return true;
  }

  private build(): PolicyDocument {
    return document(
      this.current.map((actions) => statement("Allow", actions)),
      this.denyStatements,
    );
  }
}

const EMPTY_ALLOW_LENGTH = JSON.stringify({ Effect: "Allow", Action: [] }).length;

function denyTooLarge(count: number, limits: PolicyLimits): string {
  const within = describeLimits(limits);
  return `its ${count} denied actions do not fit in one policy (${within}), and a deny list is never split`;
}

function tooLarge(action: string, denied: number, limits: PolicyLimits): string {
  const beside = denied > 0 ? ` beside its ${denied} denied actions, which every part repeats` : "";
  return `${JSON.stringify(action)} does not fit in a policy${beside} (${describeLimits(limits)})`;
}

function describeLimits(limits: PolicyLimits): string {
  const { statements, actionsPerStatement, characters } = limits;
  return `${statements} statements of ${actionsPerStatement} actions, ${characters} characters`;
}

function statement(effect: Effect, actions: string[]): PolicyStatement {
  return { Effect: effect, Action: actions };
}

function document(allow: PolicyStatement[], deny: PolicyStatement[]): PolicyDocument {
  return { Version: "1.1", Statement: [...allow, ...deny] };
}

function chunk<T>(items: readonly T[], size: number): T[][] {
  const chunks: T[][] = [];
  for (let i = 0; i < items.length; i += size) chunks.push(items.slice(i, i + size));
  return chunks;
}
