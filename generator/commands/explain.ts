/**
 * `permgen explain`: whether policy files allow one HTTP request, action by action, naming the
 * file, statement, effect and pattern that decided each, so a denial can be traced to its line.
 *
 * Exit codes: 0 the request is allowed; 1 it is denied, or depends on conditions that were not
 * evaluated; 2 no route matches, or a policy or spec file cannot be used.
 */
import { formatDiagnostic, oneLine, sortDiagnostics, type Diagnostic } from "../diagnostics.js";
import { buildModel, type Model } from "../model.js";
import { readPolicyFile, type PolicyFile } from "../policy-file.js";
import {
  compilePolicies,
  evaluateRequest,
  type ActionDecision,
  type ConditionContext,
  type PolicyDocument,
  type StatementMatch,
  type Unresolved,
} from "../runtime/policy.js";
import { createRouter } from "../runtime/router.js";
import { loadSpecs } from "../spec/load.js";
import { HTTP_METHODS } from "../spec/types.js";
import {
  stringsOption,
  UsageError,
  type Command,
  type ExitCode,
  type Io,
  type ParsedArgs,
} from "./command.js";

/** A request matched to its route: what explain prints and evaluates. */
export interface ExplainRoute {
  id: string;
  method: string;
  /** The path template, such as `/v1/{project_id}/training-jobs`. */
  path: string;
  params: Record<string, string>;
  actions: readonly string[];
  access: string;
  /** The spec file the route comes from. */
  file: string;
}

/** Finds the route of a request, or undefined when none matches. */
export type RequestMatcher = (method: string, url: string) => ExplainRoute | undefined;

export interface Explanation {
  lines: string[];
  allowed: boolean;
}

export const explainCommand: Command = {
  name: "explain",
  help: [
    "Usage: permgen explain --policy FILE [--policy FILE...] [--spec PATH...] METHOD URL",
    "",
    "Matches the request to its route in the specs, then prints one line per action the route",
    "needs: allowed or denied, and the file, statement, effect and pattern that decided.",
    "",
    "Options:",
    "  --policy FILE        an IAM policy (JSON, Version 1.1); repeat for several",
    "  --spec PATH          a spec file or a directory of them (default: spec/); repeatable",
    "  --context KEY=VALUE  a condition key's value for this request, such as g:MFAPresent=true;",
    "                       conditions on keys not given stay unevaluated; repeatable",
    "",
    "Exit codes: 0 allowed; 1 denied or undecided; 2 no route matches or unusable input.",
    "",
  ].join("\n"),
  options: {
    policy: { type: "string", multiple: true },
    spec: { type: "string", multiple: true },
    context: { type: "string", multiple: true },
  },
  positionals: true,
  run: runExplain,
};

async function runExplain(args: ParsedArgs, io: Io): Promise<ExitCode> {
  const { method, url } = requestOf(args.positionals);
  const policyPaths = stringsOption(args, "policy");
  if (policyPaths.length === 0) throw new UsageError("name at least one policy with --policy FILE");
  const context = contextOf(stringsOption(args, "context"));

  const read = await Promise.all(policyPaths.map((path) => readPolicyFile(path, io.cwd)));
  const loaded = await loadSpecs(orDefault(stringsOption(args, "spec")), io.cwd);
  const problems = [
    ...read.flatMap((r) => ("diagnostics" in r ? r.diagnostics : [])),
    ...loaded.diagnostics.filter((d) => d.severity === "error"),
  ];
  if (problems.length > 0) return report(problems, io);

  const route = matcherOf(buildModel(loaded.specs))(method, url);
  if (!route) {
    const request = `${method} ${oneLine(url)}`;
    io.stderr(`permgen explain: no route matches ${request}; check the method and path\n`);
    return 2;
  }

  const policies = read.flatMap((r) => ("policy" in r ? [r.policy] : []));
  const { lines, allowed } = explainRequest(policies, route, context);
  io.stdout(`${lines.join("\n")}\n`);
  return allowed ? 0 : 1;
}

/** A matcher over every route of the model, built once with the runtime router. */
export function matcherOf(model: Model): RequestMatcher {
  // Keyed by position: two specs may reuse an id, and the router needs unique keys.
  const table = Object.fromEntries(model.routes.map((r, i) => [String(i), r]));
  const router = createRouter(table);
  const files = new Map(model.specs.map((s) => [s.source.name, s.source.file]));

  return (method, url) => {
    const found = router.match(method, url);
    const route = found ? model.routes[Number(found.id)] : undefined;
    if (!found || !route) return undefined;

    const { id, method: routeMethod, path, actions, access } = route;
    const file = files.get(route.specName) ?? route.specName;
    return { id, method: routeMethod, path, params: found.params, actions, access, file };
  };
}

/** The lines explaining one matched request under the given policies, and the verdict. */
export function explainRequest(
  policies: readonly PolicyFile[],
  route: ExplainRoute,
  context: ConditionContext = {},
): Explanation {
  const set = compilePolicies(policies.map((p) => ({ label: p.file, document: p.document })));
  const result = evaluateRequest(set, route, context);
  const ref = (match: StatementMatch): string => statementRef(policies, match);

  const lines = [routeLine(route)];
  const params = Object.entries(route.params).map(([name, value]) => `${name}=${shown(value)}`);
  if (params.length > 0) lines.push(`params   ${params.join(" ")}`);
  if (result.noActionRequired) {
    lines.push(
      "action   none: the table names no action for this operation, so no policy is needed",
    );
  }
  lines.push(...result.actions.map((d) => `action   ${d.action}: ${decisionText(d, ref)}`));
  lines.push(`verdict  ${verdictText(result.actions, result.decision)}`);
  return { lines, allowed: result.allowed };
}

function requestOf(positionals: readonly string[]): { method: string; url: string } {
  const [method, url, ...extra] = positionals;
  if (method === undefined || url === undefined || extra.length > 0) {
    throw new UsageError("give the request as two arguments, METHOD URL");
  }
  const upper = method.toUpperCase();
  if (!(HTTP_METHODS as readonly string[]).includes(upper)) {
    throw new UsageError(
      `unknown method ${JSON.stringify(method)}; use ${HTTP_METHODS.join(", ")}`,
    );
  }
  return { method: upper, url };
}

function contextOf(pairs: readonly string[]): ConditionContext {
  const entries = pairs.map((pair) => {
    const equals = pair.indexOf("=");
    if (equals <= 0) throw new UsageError(`--context ${JSON.stringify(pair)} must be KEY=VALUE`);
    return [pair.slice(0, equals), pair.slice(equals + 1)] as const;
  });
  // fromEntries defines own properties, so a key such as "__proto__" stays a plain key.
  return Object.fromEntries(entries);
}

/** A parameter value as typed when it is plain, quoted when it holds spaces or line breaks. */
function shown(value: string): string {
  return /^[\w.~:@-]+$/.test(value) ? value : JSON.stringify(value);
}

function orDefault(paths: string[]): string[] {
  return paths.length > 0 ? paths : ["spec"];
}

function report(problems: readonly Diagnostic[], io: Io): ExitCode {
  for (const d of sortDiagnostics(problems)) io.stderr(`${formatDiagnostic(d)}\n`);
  return 2;
}

function routeLine(route: ExplainRoute): string {
  return `route    ${route.id}: ${route.method} ${route.path} (${route.access}; ${route.file})`;
}

type Ref = (match: StatementMatch) => string;

function decisionText(d: ActionDecision, ref: Ref): string {
  const decided = d.statement;
  if (d.reason === "implicit-deny") return "denied: no statement allows it (default deny)";
  if (d.reason === "invalid-action") return "denied: not a service:resourceType:operation action";
  if (!decided) return d.decision;

  if (d.reason === "allow-condition-not-evaluated") {
    return `indeterminate: only ${ref(decided)} allows it, if ${pending(decided)}`;
  }
  if (d.reason === "deny-condition-not-evaluated") {
    const allow = d.matches.find((m) => m.effect === "Allow" && m.unresolved.length === 0);
    const otherwise = allow ? `; otherwise allowed by ${ref(allow)}` : "";
    return `indeterminate: ${ref(decided)} denies it if ${pending(decided)}${otherwise}`;
  }
  return `${d.decision} by ${ref(decided)}`;
}

/** `file:line:column Statement[i] Effect "pattern"`, pointing at the action entry that matched. */
function statementRef(policies: readonly PolicyFile[], match: StatementMatch): string {
  const policy = policies[match.policy];
  if (!policy) return `policy ${match.policy} Statement[${match.statement}]`;

  const statement = (policy.document as PolicyDocument).Statement[match.statement];
  const entry = Math.max(0, statement?.Action.indexOf(match.pattern) ?? 0);
  const at = policy.locate(["Statement", match.statement, "Action", entry]);
  const where = `${policy.file}:${at.line}:${at.column}`;
  return `${where} Statement[${match.statement}] ${match.effect} ${JSON.stringify(match.pattern)}`;
}

function pending(match: StatementMatch): string {
  return match.unresolved.map(unresolvedText).join(" and ");
}

const GAPS: Record<string, string> = {
  "unsupported-operator": "operator not evaluated",
  "key-not-in-context": "no --context value",
  "absent-key-negated-operator": "key absent, negated operator",
  "value-not-comparable": "value not comparable",
};

function unresolvedText(u: Unresolved): string {
  if (u.element === "Resource") return `Resource ${JSON.stringify(u.resources)} (not evaluated)`;
  return `${u.operator} ${u.key} ${JSON.stringify(u.values)} (${GAPS[u.why] ?? u.why})`;
}

function verdictText(actions: readonly ActionDecision[], decision: string): string {
  if (actions.length === 0) return "allowed: the route needs no action";

  const count = actions.filter((a) => a.decision === decision).length;
  const of = `${count} of ${actions.length} action${actions.length === 1 ? "" : "s"}`;
  const why = decision === "indeterminate" ? " (conditions not evaluated)" : "";
  return `${decision}: ${of} ${decision === "indeterminate" ? "undecided" : decision}${why}`;
}
