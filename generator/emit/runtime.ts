/**
 * Emits `runtime/`: verbatim copies of the dependency-free modules in `generator/runtime/` (the
 * router behind `matchRoute` and the policy evaluator), so the generated code imports only files
 * beside it and needs nothing installed at run time.
 *
 * The copies are read from the package's own sources, which is why `generator/runtime` ships in
 * the npm package. Each source is already in the output's layout (a test proves it), so the copy
 * differs from its source by the banner alone.
 */
import { existsSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import type { EmittedFile, Emitter } from "./file.js";

/** The runtime modules, by file name; they import only each other. */
export const RUNTIME_MODULES = ["router.ts", "policy.ts", "policy-check.ts", "policy-match.ts"] as const;
export type RuntimeModule = (typeof RUNTIME_MODULES)[number];

export const emitRuntime: Emitter = (): EmittedFile[] =>
  RUNTIME_MODULES.map((name) => ({
    path: `runtime/${name}`,
    kind: "ts",
    content: runtimeSource(name),
  }));

const cache = new Map<RuntimeModule, string>();

/** A runtime module's source text, read once, whether permgen runs from source or from `dist/`. */
export function runtimeSource(name: RuntimeModule): string {
  const cached = cache.get(name);
  if (cached !== undefined) return cached;

  const path = join(packageRoot(), "generator", "runtime", name);
  try {
    const text = readFileSync(path, "utf8");
    cache.set(name, text);
    return text;
  } catch {
    throw new Error(`permgen cannot read its runtime module ${path}; reinstall permgen`);
  }
}

function packageRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));

  while (!existsSync(join(dir, "package.json"))) {
    const parent = dirname(dir);
    if (parent === dir) throw new Error(`permgen cannot find its package.json above ${import.meta.url}`);
    dir = parent;
  }
  return dir;
}
