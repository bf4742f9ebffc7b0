/**
 * Checks parsed spec data against `spec/permgen.schema.json`, the same schema editors use, and
 * turns each violation into a diagnostic at the offending key or value.
 *
 * The schema also carries patterns and a minimum so editors flag bad ids, actions and table
 * numbers as you type; those two keywords are left to `lint.ts`, which says more precisely what is
 * wrong and points into the value.
 */
import { Ajv2020, type ErrorObject } from "ajv/dist/2020.js";
import schema from "../../spec/permgen.schema.json" with { type: "json" };
import { quote, type Diagnostic } from "../diagnostics.js";
import type { ParsedSpec, PathKey } from "./parse.js";
import type { Spec } from "./types.js";

/** Keywords whose violations `lint.ts` reports instead, with a better message and column. */
const LEFT_TO_LINT = new Set(["pattern", "minimum"]);

// The schema is not checked against JSON Schema's meta-schema here, which compiling that would
// add to every run's start; a test checks it (test/schema.test.ts).
const ajv = new Ajv2020({
  allErrors: true,
  verbose: true,
  strict: true,
  allowUnionTypes: true,
  validateSchema: false,
});
const validate = ajv.compile(schema);

export interface Validated {
  /** The data typed as a spec; undefined when it does not have the spec's shape. */
  spec?: Spec;
  /** The parser's problems and the schema's, errors only. */
  diagnostics: Diagnostic[];
}

/**
 * Checks the shape of a parsed spec; `spec` is set only when nothing is structurally wrong. Its
 * values may still break lint's rules (ids, actions, paths): run `lintSpecs`, or use `loadSpecs`.
 */
export function validateSpec(parsed: ParsedSpec): Validated {
  if (parsed.data === undefined || parsed.diagnostics.length > 0) {
    return { diagnostics: [...parsed.diagnostics] };
  }

  const diagnostics = schemaDiagnostics(parsed);
  return diagnostics.length === 0 ? { spec: parsed.data as Spec, diagnostics } : { diagnostics };
}

/** The schema's complaints about `parsed.data`, one diagnostic each. */
export function schemaDiagnostics(parsed: ParsedSpec): Diagnostic[] {
  if (validate(parsed.data)) return [];

  const errors = (validate.errors ?? []).filter((e) => !LEFT_TO_LINT.has(e.keyword));
  return errors.map((error) => toDiagnostic(error, parsed));
}

function toDiagnostic(error: ErrorObject, parsed: ParsedSpec): Diagnostic {
  const path = pointerToPath(error.instancePath);
  const problem = describe(error, path);
  const at = problem.atKey ? parsed.locateKey(problem.path ?? path) : parsed.locate(path);
  return {
    file: parsed.file,
    ...at,
    severity: "error",
    code: problem.code,
    message: problem.message,
    hint: problem.hint,
  };
}

interface Problem {
  code: string;
  message: string;
  hint: string;
  /** Point at the key rather than the value. */
  atKey?: boolean;
  /** Where to point when it is not the error's own path. */
  path?: PathKey[];
}

function describe(error: ErrorObject, path: PathKey[]): Problem {
  const where = pathText(path);
  const params = error.params as Record<string, unknown>;

  switch (error.keyword) {
    case "additionalProperties":
      return unknownKey(String(params.additionalProperty), path, error.parentSchema);
    case "required":
      return missingKey(String(params.missingProperty), where, error.parentSchema);
    case "type":
      return wrongType(error.data, params.type, path);
    case "enum":
      return badEnum(error.data, (params.allowedValues as unknown[]).map(String), where);
    case "minLength":
      return {
        code: "empty-value",
        message: `${where} is empty`,
        hint: "write a value or remove the key if it is optional",
      };
    case "minItems":
      return {
        code: "empty-value",
        message: `${where} is an empty list`,
        hint: "list at least one item",
      };
    default:
      return {
        code: "schema",
        message: `${where} ${error.message ?? "is not valid"}`,
        hint: "compare it with spec/permgen.schema.json",
      };
  }
}

function unknownKey(key: string, parent: PathKey[], schemaNode: unknown): Problem {
  const allowed = propertyNames(schemaNode);
  const guess = closest(key, allowed);
  const list = allowed.join(", ");
  const hint = guess
    ? `did you mean "${guess}"? Keys allowed here: ${list}`
    : `remove it; keys allowed here: ${list}`;
  return {
    code: "unknown-key",
    message: `unknown key ${quote(key)} in ${pathText(parent)}`,
    hint,
    atKey: true,
    path: [...parent, key],
  };
}

function missingKey(key: string, where: string, schemaNode: unknown): Problem {
  const about = propertyDescription(schemaNode, key);
  const hint = about ? `add "${key}:" (${lowerFirst(about)})` : `add "${key}:"`;
  return { code: "missing-field", message: `${where} has no "${key}"`, hint };
}

function wrongType(value: unknown, expected: unknown, path: PathKey[]): Problem {
  const types = Array.isArray(expected) ? expected.map(String) : [String(expected)];
  if (path.length === 0) {
    return {
      code: "not-a-spec",
      message: `the file is not a spec: its top level is ${typeName(value)}, not a mapping`,
      hint: 'a spec is a mapping with "service", "source" and "permissions"; pass only spec files',
    };
  }

  const shown = value === null || typeof value === "object" ? "" : ` (${quote(value)})`;
  const message = `${pathText(path)} is ${typeName(value)}${shown}, expected ${types.map(article).join(" or ")}`;
  return { code: "wrong-type", message, hint: typeHint(types) };
}

function badEnum(value: unknown, allowed: string[], where: string): Problem {
  const text = typeof value === "string" ? value : "";
  const sameLetters = allowed.find((a) => a.toLowerCase() === text.toLowerCase());
  if (sameLetters) {
    const caseName = sameLetters === sameLetters.toUpperCase() ? "upper" : "lower";
    const code = where.endsWith(".method") ? "method-case" : "bad-enum";
    return {
      code,
      message: `${where} ${quote(value)} must be ${caseName} case`,
      hint: `write ${sameLetters}`,
    };
  }
  return {
    code: "bad-enum",
    message: `${where} ${quote(value)} is not an allowed value`,
    hint: `use one of ${allowed.join(", ")}`,
  };
}

function typeHint(types: string[]): string {
  if (types.includes("object") && types.includes("string")) {
    return 'write the action as "service:resourceType:operation", or as a mapping with "action" and "label"';
  }
  const first = types[0];
  if (first === "boolean") return "write true or false, without quotes";
  if (first === "integer" || first === "number") return "write a whole number, without quotes";
  if (first === "string")
    return "write text; put it in double quotes when YAML would read it as a number, boolean or null";
  if (first === "array") return 'write a list, one "- item" per line';
  return 'write a mapping of keys to values, one "key: value" per line';
}

function typeName(value: unknown): string {
  if (value === null) return "empty (null)";
  if (Array.isArray(value)) return "a list";
  if (typeof value === "object") return "a mapping";
  if (typeof value === "number") return Number.isInteger(value) ? "an integer" : "a number";
  return `a ${typeof value}`;
}

function article(type: string): string {
  const names: Record<string, string> = {
    object: "a mapping",
    array: "a list",
    integer: "an integer",
  };
  return names[type] ?? `a ${type}`;
}

function propertyNames(schemaNode: unknown): string[] {
  const properties = (schemaNode as { properties?: Record<string, unknown> } | undefined)
    ?.properties;
  return properties ? Object.keys(properties) : [];
}

/** The description of a property, following one `$ref` into `$defs`. */
function propertyDescription(schemaNode: unknown, key: string): string | undefined {
  const properties = (schemaNode as { properties?: Record<string, SchemaNode> } | undefined)
    ?.properties;
  const property = properties?.[key];
  if (!property) return undefined;
  if (property.description) return property.description;

  const name = property.$ref?.replace("#/$defs/", "");
  const defs = (schema as { $defs: Record<string, SchemaNode> }).$defs;
  return name ? defs[name]?.description : undefined;
}

interface SchemaNode {
  description?: string;
  $ref?: string;
}

/** `/permissions/0/scopes` as path keys, with array indexes as numbers. */
export function pointerToPath(pointer: string): PathKey[] {
  if (pointer === "") return [];
  return pointer
    .slice(1)
    .split("/")
    .map((part) => part.replace(/~1/g, "/").replace(/~0/g, "~"))
    .map((part) => (/^(0|[1-9][0-9]*)$/.test(part) ? Number(part) : part));
}

/** `permissions[0].scopes`, the way messages name a place in the spec. */
export function pathText(path: readonly PathKey[]): string {
  if (path.length === 0) return "the spec";
  return path.reduce<string>(
    (text, key) => (typeof key === "number" ? `${text}[${key}]` : text ? `${text}.${key}` : key),
    "",
  );
}

/** The allowed key nearest to a misspelt one, when it is near enough to be a likely typo. */
export function closest(key: string, allowed: readonly string[]): string | undefined {
  const lower = key.toLowerCase();
  const limit = Math.max(1, Math.min(3, Math.floor(key.length / 4)));
  let best: string | undefined;
  let bestDistance = limit + 1;

  for (const candidate of allowed) {
    const distance = editDistance(lower, candidate.toLowerCase());
    if (distance < bestDistance) [best, bestDistance] = [candidate, distance];
  }
  return best;
}

function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      const substitution = (previous[j - 1] ?? 0) + (a[i - 1] === b[j - 1] ? 0 : 1);
      current.push(Math.min((previous[j] ?? 0) + 1, (current[j - 1] ?? 0) + 1, substitution));
    }
    previous = current;
  }
  return previous[b.length] ?? 0;
}

function lowerFirst(text: string): string {
  return (text.charAt(0).toLowerCase() + text.slice(1)).replace(/\.$/, "").replace(/`/g, '"');
}
