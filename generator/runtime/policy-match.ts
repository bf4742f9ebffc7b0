/**
 * The two kinds of matching a policy needs, compiled once and run many times without building a
 * regular expression: `*` patterns (action segments, `StringLike` values) and condition tests.
 */

/**
 * Condition key values of one request. A key that is missing is unknown, so conditions on it stay
 * unresolved; `null` says the request does not carry the key at all. Keys compare exactly.
 */
export type ConditionContext = Readonly<Record<string, string | boolean | null>>;

/** Why a condition could not be evaluated. */
export type ConditionGap =
  | "unsupported-operator"
  | "key-not-in-context"
  | "absent-key-negated-operator"
  | "value-not-comparable";

/** A condition's outcome: known true or false, or why it is not known. */
export type Truth = boolean | ConditionGap;

/** A `*` pattern split at its stars; `exact` when it has none. */
export interface Glob {
  exact: boolean;
  prefix: string;
  middle: string[];
  suffix: string;
  min: number;
}

export interface CompiledCondition {
  operator: string;
  key: string;
  values: string[];
  ifExists: boolean;
  negated: boolean;
  /** Undefined when the operator is not one this module evaluates. */
  test: ValueTest | undefined;
}

type ValueTest = (value: string | boolean) => Truth;

const IF_EXISTS = "IfExists";
const NEGATED = new Set(["StringNotEquals", "StringNotEqualsIgnoreCase"]);

/** Splits a pattern at its `*`s once, so matching is prefix, suffix and ordered search. */
export function compileGlob(pattern: string): Glob {
  const parts = pattern.split("*");
  if (parts.length === 1)
    return { exact: true, prefix: pattern, middle: [], suffix: "", min: pattern.length };

  const prefix = parts[0] ?? "";
  const suffix = parts[parts.length - 1] ?? "";
  const middle = parts.slice(1, -1).filter((p) => p !== "");
  const min = prefix.length + suffix.length + middle.reduce((n, p) => n + p.length, 0);
  return { exact: false, prefix, middle, suffix, min };
}

/** Whether text matches; leftmost-first search is exact when `*` is the only wildcard. */
export function matchGlob(glob: Glob, text: string): boolean {
  if (glob.exact) return text === glob.prefix;
  if (text.length < glob.min || !text.startsWith(glob.prefix) || !text.endsWith(glob.suffix))
    return false;

  const end = text.length - glob.suffix.length;
  let at = glob.prefix.length;
  for (const part of glob.middle) {
    const found = text.indexOf(part, at);
    if (found < 0 || found + part.length > end) return false;
    at = found + part.length;
  }
  return true;
}

/**
 * Compiles one operator and key of a `Condition`. Evaluated: `StringEquals`, `StringNotEquals`,
 * `StringEqualsIgnoreCase`, `StringNotEqualsIgnoreCase`, `StringStartWith`, `StringEndWith`,
 * `StringLike` and `Bool`, each also with `IfExists`; any other operator stays unresolved.
 * A list of values matches when any value does (a negated operator: when none does); the docs
 * write `[Value 1, Value 2]` without saying, and this is the usual reading. String operators are
 * case-sensitive unless named `IgnoreCase`. `StringLike` takes `*` only: a value with `?`, whose
 * meaning is undocumented, leaves the condition unresolved.
 */
export function compileCondition(
  operator: string,
  key: string,
  values: string[],
): CompiledCondition {
  const ifExists = operator.endsWith(IF_EXISTS);
  const base = ifExists ? operator.slice(0, -IF_EXISTS.length) : operator;
  return {
    operator,
    key,
    values,
    ifExists,
    negated: NEGATED.has(base),
    test: valueTest(base, values),
  };
}

/** Evaluates a condition against a context; an absent key fails unless the operator allows it. */
export function testCondition(condition: CompiledCondition, context: ConditionContext): Truth {
  if (!condition.test) return "unsupported-operator";
  if (!Object.prototype.hasOwnProperty.call(context, condition.key)) return "key-not-in-context";

  const value = context[condition.key];
  if (value === undefined) return "key-not-in-context";
  if (value === null) {
    // `IfExists` would mean nothing unless a condition without it failed on an absent key. What a
    // negated operator does with an absent key is not documented, so it stays unresolved.
    if (condition.ifExists) return true;
    return condition.negated ? "absent-key-negated-operator" : false;
  }
  return condition.test(value);
}

function valueTest(base: string, values: readonly string[]): ValueTest | undefined {
  const lower = values.map((v) => v.toLowerCase());
  switch (base) {
    case "StringEquals":
      return onString((v) => values.includes(v));
    case "StringNotEquals":
      return onString((v) => !values.includes(v));
    case "StringEqualsIgnoreCase":
      return onString((v) => lower.includes(v.toLowerCase()));
    case "StringNotEqualsIgnoreCase":
      return onString((v) => !lower.includes(v.toLowerCase()));
    case "StringStartWith":
      return onString((v) => values.some((x) => v.startsWith(x)));
    case "StringEndWith":
      return onString((v) => values.some((x) => v.endsWith(x)));
    case "StringLike":
      return likeTest(values);
    case "Bool":
      return boolTest(lower);
    default:
      return undefined;
  }
}

function onString(test: (value: string) => boolean): ValueTest {
  return (value) => (typeof value === "string" ? test(value) : "value-not-comparable");
}

function likeTest(values: readonly string[]): ValueTest {
  if (values.some((v) => v.includes("?"))) return () => "value-not-comparable";
  const globs = values.map(compileGlob);
  return onString((v) => globs.some((g) => matchGlob(g, v)));
}

function boolTest(lower: readonly string[]): ValueTest {
  if (lower.some((v) => v !== "true" && v !== "false")) return () => "value-not-comparable";
  return (value) => {
    const text = typeof value === "boolean" ? String(value) : value.toLowerCase();
    if (text !== "true" && text !== "false") return "value-not-comparable";
    return lower.includes(text);
  };
}
