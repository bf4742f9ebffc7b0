/** Every emitter `generate` runs, in no particular order: the output is sorted by path. */
import { emitActions } from "./emit/actions.js";
import { emitDocs } from "./emit/docs.js";
import type { Emitter } from "./emit/file.js";
import { emitPolicies } from "./emit/policies.js";
import { emitRoutes } from "./emit/routes.js";
import { emitRuntime } from "./emit/runtime.js";

export const EMITTERS: readonly Emitter[] = [emitRoutes, emitRuntime, emitActions, emitPolicies, emitDocs];
