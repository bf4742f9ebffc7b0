/**
 * permgen's programmatic API, the package's root export: what the CLI's commands do, as functions
 * a build script can call. Each one takes a `cwd` and reports problems as `Diagnostic` values
 * instead of printing them; nothing here touches `process`.
 *
 * The generated artefacts are exported separately (`permgen/routes`, `permgen/actions`,
 * `permgen/policy`, `permgen/policies/*.json`) and import nothing from here.
 */

/** Lint, render, write (`generate`) or compare (`check`) a project's output directory. */
export {
  check,
  generate,
  render,
  type CheckResult,
  type GenerateResult,
  type ProjectOptions,
  type Rendered,
} from "./pipeline.js";

/** Regenerate on every change to the specs or templates until an AbortSignal stops it. */
export { watchProject, type RunOutcome, type WatchOptions } from "./watch.js";

/** Read, validate and lint spec files: `loadSpecs` is `permgen lint` without the printing. */
export { loadSpecs, type LoadedFile, type LoadResult } from "./spec/load.js";

/** One problem in an input file, its one-line form, and whether a list holds an error. */
export {
  formatDiagnostic,
  hasErrors,
  InputError,
  sortDiagnostics,
  type Diagnostic,
  type Position,
} from "./diagnostics.js";

/** The spec format: its types and the canonical YAML `permgen fmt` writes. */
export type {
  AccessLevel,
  ActionRef,
  Erratum,
  HttpMethod,
  LabelledAction,
  Permission,
  PolicySet,
  Route,
  Scopes,
  Selector,
  Spec,
  SpecSource,
} from "./spec/types.js";
export { formatSpec } from "./spec/format.js";

/** The model emitters render from, built from loaded specs. */
export { buildModel, type Model, type SourcedSpec } from "./model.js";

/** Drift that `check` reports, and the manifest `generate` writes beside its output. */
export type { Drift, DriftKind, DriftOptions } from "./output/drift.js";
export { MANIFEST_FILE, type Manifest } from "./output/manifest.js";
export type { Output } from "./output/render.js";
export type { WriteResult } from "./output/write.js";

/** Read the two sides of a spec diff: two paths, or paths against a git revision. */
export {
  readAgainstRevision,
  readPolicies,
  readTwoSides,
  type PolicyFiles,
  type Sides,
} from "./diff/inputs.js";

/** Classify what changed between two specs, or between two sets of generated policies. */
export { diffSpec, diffSpecs, type SpecPair } from "./diff/spec-diff.js";
export {
  allowedRoutes,
  allowsByEvaluation,
  diffPolicies,
  type Allows,
  type RouteNeeds,
} from "./diff/policy-diff.js";

/** The policy evaluator the policy diff runs on; `permgen/policy` is the same code, copied. */
export {
  compilePolicies,
  evaluate,
  type CompiledPolicies,
  type LabelledPolicy,
  type PolicyInput,
} from "./runtime/policy.js";

/** A change, its severity, and the semver bump a list of changes calls for. */
export {
  countBySeverity,
  SEVERITIES,
  type Change,
  type ChangeKind,
  type Severity as ChangeSeverity,
} from "./diff/change.js";
export { BUMPS, suggestBump, type Bump } from "./diff/semver.js";

/** A diff report as `permgen diff` prints it, in text or JSON. */
export { formatJson as formatChangesJson, formatText as formatChanges } from "./diff/report.js";

/** The command line itself: raw arguments in, exit code out, output through `Io`. */
export { run } from "./cli.js";
export type { ExitCode, Io } from "./commands/command.js";
