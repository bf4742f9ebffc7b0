/** Every subcommand, in the order `permgen --help` lists them. */
import type { Command } from "./command.js";

export const COMMANDS: readonly Command[] = [];
