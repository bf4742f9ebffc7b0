/**
 * Type-checks generated TypeScript in memory under a stricter configuration than permgen's own, as
 * a consumer with the strictest settings would compile it.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { Project, ts } from "ts-morph";

export interface TypeProblem {
  file: string;
  /** From 1. */
  line: number;
  code: number;
  message: string;
}

const STRICTEST: ts.CompilerOptions = {
  target: ts.ScriptTarget.ES2022,
  module: ts.ModuleKind.NodeNext,
  moduleResolution: ts.ModuleResolutionKind.NodeNext,
  lib: ["lib.es2022.d.ts"],
  types: [],
  strict: true,
  noUncheckedIndexedAccess: true,
  exactOptionalPropertyTypes: true,
  isolatedModules: true,
  verbatimModuleSyntax: true,
  noImplicitOverride: true,
  noImplicitReturns: true,
  noFallthroughCasesInSwitch: true,
  noPropertyAccessFromIndexSignature: true,
  noUnusedLocals: true,
  noUnusedParameters: true,
  allowUnreachableCode: false,
  allowUnusedLabels: false,
  noEmit: true,
};

/** Every diagnostic of the files (path to text) put under `/out`, a `"type": "module"` package. */
export function typecheck(files: Readonly<Record<string, string>>): TypeProblem[] {
  const project = new Project({ useInMemoryFileSystem: true, compilerOptions: STRICTEST });
  project.getFileSystem().writeFileSync("/out/package.json", JSON.stringify({ type: "module" }));
  for (const [path, text] of Object.entries(files)) project.createSourceFile(`/out/${path}`, text);

  return project.getPreEmitDiagnostics().map((d) => ({
    file:
      d
        .getSourceFile()
        ?.getFilePath()
        .replace(/^\/out\//, "") ?? "",
    line: d.getLineNumber() ?? 0,
    code: d.getCode(),
    message: ts.flattenDiagnosticMessageText(d.compilerObject.messageText, "\n"),
  }));
}

export const FIXTURES = "test/fixtures/typecheck";

/** A compile fixture's text and the errors it promises: `// error TS2345` at the end of a line. */
export function readFixture(name: string): {
  text: string;
  expected: Array<{ line: number; code: number }>;
} {
  const text = readFileSync(join(FIXTURES, name), "utf8");
  const expected = text.split("\n").flatMap((line, i) => {
    const marker = /\/\/ error TS(\d+)$/.exec(line.trimEnd());
    return marker ? [{ line: i + 1, code: Number(marker[1]) }] : [];
  });
  return { text, expected };
}
