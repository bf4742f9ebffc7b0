/**
 * The version bump of the generated package that a list of changes calls for, by semver: anything
 * breaking is a major release, anything added or loosened a minor one, docs alone a patch.
 *
 * A policy that allows more (`review`) is a minor bump: nothing that worked stops working, and the
 * reviewer's attention comes from the diff's exit code, not from the version number.
 */
import type { Change, Severity } from "./change.js";

export const BUMPS = ["none", "patch", "minor", "major"] as const;
export type Bump = (typeof BUMPS)[number];

const BUMP_OF: Record<Severity, Bump> = {
  review: "minor",
  breaking: "major",
  compatible: "minor",
  "docs-only": "patch",
};

/** The largest bump any change needs; `none` when there are no changes. */
export function suggestBump(changes: readonly Change[]): Bump {
  return changes.reduce<Bump>((top, change) => larger(top, BUMP_OF[change.severity]), "none");
}

function larger(a: Bump, b: Bump): Bump {
  return BUMPS.indexOf(b) > BUMPS.indexOf(a) ? b : a;
}
