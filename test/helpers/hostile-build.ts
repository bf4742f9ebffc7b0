/**
 * A private, runnable copy of permgen for tests that need a real process to kill or to start
 * under another time zone or locale. Each `generator/` module is transpiled on its own (no type
 * check, which `tsc` does elsewhere) into a temporary package laid out like the published one:
 * `dist/generator/bin.js`, the TypeScript sources the emitters copy, `package.json`, and a link to
 * this checkout's `node_modules`. Tests so run the sources as they are now, and never race with
 * a `npm run build` that someone else starts in the shared `dist/`.
 */
import {
  copyFile,
  mkdir,
  mkdtemp,
  readdir,
  readFile,
  rm,
  symlink,
  writeFile,
} from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { ts } from "ts-morph";
import { ROOT } from "./hostile-project.js";

export interface Build {
  /** The package root. */
  root: string;
  /** `dist/generator/bin.js`, to run with `node`. */
  bin: string;
  remove(): Promise<void>;
}

const OPTIONS: ts.CompilerOptions = {
  module: ts.ModuleKind.ESNext,
  target: ts.ScriptTarget.ES2022,
  verbatimModuleSyntax: true,
};

export async function buildPermgen(): Promise<Build> {
  const root = await mkdtemp(join(tmpdir(), "permgen-build-"));
  const entries = await readdir(join(ROOT, "generator"), { recursive: true, withFileTypes: true });

  for (const entry of entries) {
    if (!entry.isFile() || !entry.name.endsWith(".ts")) continue;
    const source = join(entry.parentPath, entry.name);
    const path = source.slice(ROOT.length).replace(/^[\\/]/, "");
    const text = await readFile(source, "utf8");
    const js = ts.transpileModule(text, { compilerOptions: OPTIONS, fileName: source }).outputText;
    await put(join(root, "dist", path.replace(/\.ts$/, ".js")), js);
    await put(join(root, path), text);
  }

  await mkdir(join(root, "dist/spec"), { recursive: true });
  await copyFile(
    join(ROOT, "spec/permgen.schema.json"),
    join(root, "dist/spec/permgen.schema.json"),
  );
  await copyFile(join(ROOT, "package.json"), join(root, "package.json"));
  await symlink(join(ROOT, "node_modules"), join(root, "node_modules"), "dir");

  const bin = join(root, "dist/generator/bin.js");
  return { root, bin, remove: () => rm(root, { recursive: true, force: true }) };
}

async function put(path: string, text: string): Promise<void> {
  await mkdir(dirname(path), { recursive: true });
  await writeFile(path, text);
}
