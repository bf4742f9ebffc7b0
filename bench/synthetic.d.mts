// Types of bench/synthetic.mjs, for the tests that check it (test/bench-synthetic.test.ts).
import type { OpenAPI3 } from "openapi-typescript";
import type { Spec } from "../generator/spec/types.js";

/** A deterministic PRNG: the same seed gives the same floats in [0, 1). */
export function prng(seed: number): () => number;

/** The specs of `routeCount` routes, one per service; the same for the same count. */
export function syntheticSpecs(routeCount: number): Spec[];

/** Writes the specs as canonical `<service>.yaml` files into `dir`. */
export function writeSyntheticSpecs(
  dir: string,
  routeCount: number,
  formatSpec?: (spec: Spec, comment?: string) => string,
): Promise<{ files: string[]; specs: Spec[] }>;

/** The specs' routes as an OpenAPI 3.0 document. */
export function toOpenApi(specs: readonly Spec[]): OpenAPI3;
