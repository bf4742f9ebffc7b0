/**
 * Checks that a document is a valid fine-grained IAM policy (`"Version": "1.1"`) before anything
 * evaluates it, and says for each problem where it is and what to write instead.
 *
 * Stricter than the provider where its docs are loose: `Effect` must be `Allow` or `Deny` exactly
 * (one doc example writes `deny`), and the service segment of an action must be lowercase letters
 * or `*` alone, since a partial wildcard there (`model*`) is undocumented. Both are refused rather
 * than guessed, because a guess either way could turn a typo into a grant.
 */

/** One problem in a policy document; `path` leads from the top, `key` marks the key itself. */
export interface PolicyProblem {
  path: Array<string | number>;
  key: boolean;
  message: string;
}

type Path = Array<string | number>;
type Report = (path: Path, message: string, key?: boolean) => void;

const TOP_KEYS = ["Version", "Statement"];
const STATEMENT_KEYS = ["Effect", "Action", "Condition", "Resource"];
const SERVICE = /^[a-z]+$/;
const SEGMENT = /^[A-Za-z0-9_*-]+$/;

/** Every problem that keeps a document from being a valid 1.1 policy; empty when it is one. */
export function checkPolicy(doc: unknown): PolicyProblem[] {
  const problems: PolicyProblem[] = [];
  const report: Report = (path, message, key = false) => problems.push({ path, key, message });

  if (!isRecord(doc)) {
    report([], 'a policy must be a JSON object: {"Version": "1.1", "Statement": [...]}');
    return problems;
  }
  unknownKeys(doc, TOP_KEYS, [], report);
  checkVersion(doc["Version"], report);
  checkStatements(doc["Statement"], report);
  return problems;
}

/** Why an `Action` entry is not a valid pattern, or undefined when it is one. */
export function checkAction(pattern: unknown): string | undefined {
  if (typeof pattern !== "string") return `an action must be a string, not ${show(pattern)}`;

  const parts = pattern.split(":");
  const [service = "", resourceType = "", operation = ""] = parts;
  const name = `action ${show(pattern)}`;
  if (parts.length !== 3) return `${name} needs three segments, service:resourceType:operation`;
  if (service.includes("*") && service !== "*") {
    return `${name}: a partial wildcard in the service is undocumented; name it or use "*"`;
  }
  if (service !== "*" && !SERVICE.test(service)) {
    return `${name}: the service must be lowercase letters, such as ${show(service.toLowerCase())}`;
  }
  for (const segment of [resourceType, operation]) {
    if (segment.includes("?")) return `${name}: "?" is not a wildcard in IAM actions; use "*"`;
    if (!SEGMENT.test(segment)) {
      return `${name}: segment ${show(segment)} may hold only letters, digits, "_", "-" and "*"`;
    }
  }
  return undefined;
}

/** `["Statement", 0, "Effect"]` as `Statement[0].Effect`, for messages. */
export function problemPath(path: ReadonlyArray<string | number>): string {
  const text = path.map((p) => (typeof p === "number" ? `[${p}]` : `.${p}`)).join("");
  return text.startsWith(".") ? text.slice(1) : text || "(document)";
}

function checkVersion(version: unknown, report: Report): void {
  if (version === undefined) return report([], 'Version is missing; add "Version": "1.1"');
  if (version === "1.1") return;
  if (typeof version !== "string") {
    const not = `not ${kindOf(version)}`;
    return report(["Version"], `Version must be the string "1.1", ${not}; write "Version": "1.1"`);
  }

  const why =
    version === "1.0"
      ? "1.0 is a role (RBAC) document, which is not evaluated here"
      : 'fine-grained policies use "1.1"';
  report(["Version"], `Version ${show(version)} is not "1.1": ${why}; write "Version": "1.1"`);
}

function checkStatements(list: unknown, report: Report): void {
  if (list === undefined) {
    return report([], 'Statement is missing; add "Statement": [{"Effect": ..., "Action": [...]}]');
  }
  if (!Array.isArray(list))
    return report(["Statement"], "Statement must be an array of statements");
  if (list.length === 0)
    return report(["Statement"], "Statement is empty; add at least one statement");

  list.forEach((statement: unknown, index) =>
    checkStatement(statement, ["Statement", index], report),
  );
}

function checkStatement(statement: unknown, path: Path, report: Report): void {
  if (!isRecord(statement)) {
    return report(
      path,
      'a statement must be an object such as {"Effect": "Allow", "Action": [...]}',
    );
  }
  unknownKeys(statement, STATEMENT_KEYS, path, report);
  checkEffect(statement["Effect"], path, report);
  checkActions(statement["Action"], path, report);

  const { Condition: condition, Resource: resource } = statement;
  if (condition !== undefined) checkCondition(condition, [...path, "Condition"], report);
  if (resource !== undefined) checkResource(resource, [...path, "Resource"], report);
}

function checkEffect(effect: unknown, path: Path, report: Report): void {
  if (effect === undefined)
    return report(path, 'Effect is missing; add "Effect": "Allow" or "Deny"');
  if (effect === "Allow" || effect === "Deny") return;

  const lower = typeof effect === "string" ? effect.toLowerCase() : "";
  const fix =
    lower === "allow" || lower === "deny" ? `write ${show(capitalise(lower))}` : "use one of them";
  report([...path, "Effect"], `Effect ${show(effect)} must be "Allow" or "Deny" exactly; ${fix}`);
}

function checkActions(actions: unknown, path: Path, report: Report): void {
  const at = [...path, "Action"];
  if (actions === undefined)
    return report(path, 'Action is missing; add "Action": ["service:type:op"]');
  if (typeof actions === "string")
    return report(at, `Action must be an array; write [${show(actions)}]`);
  if (!Array.isArray(actions)) return report(at, "Action must be an array of strings");
  if (actions.length === 0) return report(at, "Action is empty; name at least one action");

  actions.forEach((action: unknown, index) => {
    const problem = checkAction(action);
    if (problem) report([...at, index], problem);
  });
}

function checkCondition(condition: unknown, path: Path, report: Report): void {
  if (!isRecord(condition)) {
    return report(path, 'Condition must be an object: {"Operator": {"key": ["value"]}}');
  }
  for (const [operator, keys] of Object.entries(condition)) {
    if (!isRecord(keys) || Object.keys(keys).length === 0) {
      report(
        [...path, operator],
        `Condition ${show(operator)} must map condition keys to value lists`,
      );
      continue;
    }
    for (const [key, values] of Object.entries(keys)) {
      const ok =
        Array.isArray(values) && values.length > 0 && values.every((v) => typeof v === "string");
      if (!ok)
        report(
          [...path, operator, key],
          `condition key ${show(key)} needs a non-empty array of strings`,
        );
    }
  }
}

function checkResource(resource: unknown, path: Path, report: Report): void {
  const list = isRecord(resource) ? resource["uri"] : resource;
  const strings =
    Array.isArray(list) && list.length > 0 && list.every((r) => typeof r === "string" && r);
  const onlyUri = !isRecord(resource) || Object.keys(resource).length === 1;
  if (strings && onlyUri) return;

  report(path, 'Resource must be a non-empty array of strings, or {"uri": [...]} for an agency');
}

function unknownKeys(
  object: Record<string, unknown>,
  known: readonly string[],
  path: Path,
  report: Report,
): void {
  for (const key of Object.keys(object)) {
    if (known.includes(key)) continue;
    const near = known.find((k) => k.toLowerCase() === key.toLowerCase());
    const fix = near ? `write ${show(near)}` : `the keys allowed here are ${known.join(", ")}`;
    report([...path, key], `unknown key ${show(key)}; ${fix}`, true);
  }
}

function capitalise(word: string): string {
  return word.charAt(0).toUpperCase() + word.slice(1);
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** Quotes a value from the document for a message, cut short when long. */
/** A non-string JSON value as a message names it: `the number 1.1`, `null`, `an array`. */
function kindOf(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "an array";
  return typeof value === "object" ? "an object" : `the ${typeof value} ${String(value)}`;
}

function show(value: unknown): string {
  const text = typeof value === "string" ? value : String(JSON.stringify(value));
  return JSON.stringify(text.length > 60 ? `${text.slice(0, 60)}…` : text);
}
