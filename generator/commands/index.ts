/**
 * Every subcommand, in the order `permgen --help` lists them. A command's module is loaded only
 * when it runs: each brings its own part of permgen (the importer, the differ, the evaluator), and
 * loading all of them was a fifth of what `check` spends beyond loading its libraries.
 */
import type { Command } from "./command.js";

export interface CommandEntry {
  name: string;
  /** One line for the list of commands. */
  summary: string;
  load(): Promise<Command>;
}

export const COMMANDS: readonly CommandEntry[] = [
  {
    name: "import",
    summary: "read a documentation page's permission tables into a spec",
    load: async () => (await import("./import.js")).importCommand,
  },
  {
    name: "lint",
    summary: "check spec files for errors and likely mistakes",
    load: async () => (await import("./lint.js")).lintCommand,
  },
  {
    name: "fmt",
    summary: "rewrite spec files in canonical form (--check: only report)",
    load: async () => (await import("./fmt.js")).fmtCommand,
  },
  {
    name: "generate",
    summary: "write generated/ from the specs and templates",
    load: async () => (await import("./generate.js")).generateCommand,
  },
  {
    name: "check",
    summary: "fail when generated/ and spec/ disagree (writes nothing)",
    load: async () => (await import("./check.js")).checkCommand,
  },
  {
    name: "diff",
    summary: "list what changed between two spec versions (or generated policies) and the version bump",
    load: async () => (await import("./diff.js")).diffCommand,
  },
  {
    name: "explain",
    summary: "say whether policy files allow a request, and which statement decided",
    load: async () => (await import("./explain.js")).explainCommand,
  },
];
