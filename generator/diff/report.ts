/**
 * The two ways `permgen diff` prints its result: aligned lines for people, grouped by severity
 * with the most urgent first, and a JSON document for CI.
 *
 * The JSON shape is stable: `{ "bump": "major" | "minor" | "patch" | "none", "changes": [...] }`,
 * each change `{ severity, kind, id, field?, before?, after?, message }` with absent fields left
 * out, in the same order as the text.
 */
import { countBySeverity, SEVERITIES, sortChanges, type Change } from "./change.js";
import type { Bump } from "./semver.js";

/** One line per change, `severity  kind  id  message`, then a line with the counts and the bump. */
export function formatText(changes: readonly Change[], bump: Bump): string {
  if (changes.length === 0) return "no changes; suggested bump: none\n";

  const sorted = sortChanges(changes);
  const kindWidth = Math.max(...sorted.map((c) => c.kind.length));
  const idWidth = Math.max(...sorted.map((c) => c.id.length));
  const severityWidth = Math.max(...sorted.map((c) => c.severity.length));
  const lines = sorted.map((c) =>
    [
      c.severity.padEnd(severityWidth),
      c.kind.padEnd(kindWidth),
      c.id.padEnd(idWidth),
      c.message,
    ].join("  "),
  );
  return `${[...lines, summary(changes, bump)].join("\n")}\n`;
}

/** `{ bump, changes }` as indented JSON, ending with a newline. */
export function formatJson(changes: readonly Change[], bump: Bump): string {
  return `${JSON.stringify({ bump, changes: sortChanges(changes) }, null, 2)}\n`;
}

/** `3 changes (1 breaking, 2 docs-only); suggested bump: major`. */
export function summary(changes: readonly Change[], bump: Bump): string {
  const counts = countBySeverity(changes);
  const parts = SEVERITIES.filter((s) => counts[s] > 0).map((s) => `${counts[s]} ${s}`);
  const noun = changes.length === 1 ? "change" : "changes";
  return `${changes.length} ${noun} (${parts.join(", ")}); suggested bump: ${bump}`;
}
