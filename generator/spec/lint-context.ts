/**
 * What every lint check shares: the spec being linted, a way to report a problem, what earlier
 * specs already used (ids and routes must be unique across all of them), and the position of a
 * character inside a scalar value, so a message can point at the bad part of a path or action.
 */
import { quote, type Position, type Severity } from "../diagnostics.js";
import type { ParsedSpec, PathKey } from "./parse.js";
import type { AccessLevel, Permission, Spec } from "./types.js";

/** Where a value stands in a file, for messages that point back at an earlier occurrence. */
export interface Place extends Position {
  file: string;
  permission: string;
}

/** What earlier permissions used, in every spec linted so far. */
export interface Seen {
  ids: Map<string, Place>;
  /** By `METHOD /path`; `noted` when the route has a note that tells it from another. */
  routes: Map<string, Place & { noted: boolean }>;
  shapes: Map<string, Place & { route: string }>;
  uses: Map<string, ActionUse[]>;
}

/** One route that needs an action, and the access level it gives the action there. */
export interface ActionUse extends Place {
  level: AccessLevel;
  route: string;
}

/** What a check of one permission needs to know and to report with. */
export interface Context {
  spec: Spec;
  parsed: ParsedSpec;
  report: Reporter;
  seen: Seen;
}

/** Reports one problem at a place in the spec being linted. */
export type Reporter = (
  severity: Severity,
  code: string,
  at: Position,
  message: string,
  hint: string,
) => void;

/**
 * Where a character of a scalar value is: the value's start, past an opening quote, plus an
 * offset into the value. The offset is exact for plain scalars and for quoted ones without escapes
 * before it, which covers every path and action a spec holds in practice.
 */
export function valueAt(parsed: ParsedSpec, path: readonly PathKey[], offset = 0): Position {
  const start = parsed.locate(path);
  const line = linesOf(parsed)[start.line - 1] ?? "";
  const quoted = line.charAt(start.column - 1) === '"' || line.charAt(start.column - 1) === "'";
  return { line: start.line, column: start.column + offset + (quoted ? 1 : 0) };
}

const LINES = new WeakMap<ParsedSpec, string[]>();

/** The text's lines, split once per spec: lint asks for a position for every id and action. */
function linesOf(parsed: ParsedSpec): string[] {
  const cached = LINES.get(parsed);
  if (cached) return cached;

  const lines = parsed.text.split("\n");
  LINES.set(parsed, lines);
  return lines;
}

/** `permission "createTrainingJob"`, as messages name a permission. */
export function permissionName(permission: Permission): string {
  return `permission ${quote(permission.id)}`;
}

/** A permission seen earlier and where: `permission "x" at spec/a.yaml:12:9`. */
export function placeName(place: Place): string {
  return `permission ${quote(place.permission)} at ${where(place)}`;
}

/** `file:line:column`, the way an editor jumps to a place. */
export function where(place: Place): string {
  return `${place.file}:${place.line}:${place.column}`;
}
