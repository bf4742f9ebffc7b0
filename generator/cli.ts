/**
 * The `permgen` command line: picks the subcommand, parses its options and turns every failure
 * into one line on stderr and an exit code. `run` takes raw arguments and returns the code, so
 * tests call it directly; only `bin.ts` touches `process`.
 */
import { InputError } from "./diagnostics.js";
import { COMMANDS } from "./commands/index.js";
import { parseCommandArgs, UsageError, type Command, type ExitCode, type Io } from "./commands/command.js";

export async function run(argv: readonly string[], io: Io): Promise<ExitCode> {
  const [name, ...rest] = argv;
  if (name === undefined || name === "--help" || name === "-h" || name === "help") {
    io.stdout(overview());
    return name === undefined ? 2 : 0;
  }
  if (name === "--version" || name === "-v") {
    io.stdout(`${await version()}\n`);
    return 0;
  }

  const entry = COMMANDS.find((c) => c.name === name);
  if (!entry) {
    io.stderr(`permgen: unknown command ${JSON.stringify(name)}; run "permgen --help" for the list of commands\n`);
    return 2;
  }
  return runCommand(await entry.load(), rest, io);
}

async function runCommand(command: Command, argv: readonly string[], io: Io): Promise<ExitCode> {
  try {
    const args = parseCommandArgs(command, argv);
    if (args.values.help === true) {
      io.stdout(command.help);
      return 0;
    }
    return await command.run(args, io);
  } catch (error) {
    if (error instanceof UsageError) {
      io.stderr(`permgen ${command.name}: ${error.message}; run "permgen ${command.name} --help" for usage\n`);
      return 2;
    }
    if (error instanceof InputError) {
      io.stderr(`${error.message}\n`);
      return 2;
    }
    throw error;
  }
}

function overview(): string {
  const width = Math.max(...COMMANDS.map((c) => c.name.length));
  const lines = COMMANDS.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`);
  return [
    "Usage: permgen <command> [options]",
    "",
    "Commands:",
    ...lines,
    "",
    'Run "permgen <command> --help" for the options of one command.',
    "Exit codes: 0 success, 1 problems found, 2 unusable input or command line.",
    "",
  ].join("\n");
}

async function version(): Promise<string> {
  const { readFile } = await import("node:fs/promises");
  const pkg = JSON.parse(await readFile(new URL("../../package.json", import.meta.url), "utf8")) as { version: string };
  return pkg.version;
}
