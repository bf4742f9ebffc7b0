/** Every subcommand, in the order `permgen --help` lists them. */
import type { Command } from "./command.js";
import { checkCommand } from "./check.js";
import { diffCommand } from "./diff.js";
import { explainCommand } from "./explain.js";
import { fmtCommand } from "./fmt.js";
import { generateCommand } from "./generate.js";
import { importCommand } from "./import.js";
import { lintCommand } from "./lint.js";

export const COMMANDS: readonly Command[] = [
  importCommand,
  lintCommand,
  fmtCommand,
  generateCommand,
  checkCommand,
  diffCommand,
  explainCommand,
];
