/**
 * What every subcommand provides, and the small pieces they share: parsing options with Node's
 * `parseArgs`, and the streams they write to, passed in so tests never touch `process`.
 */
import { parseArgs, type ParseArgsConfig } from "node:util";

export interface Io {
  /** The directory relative paths are resolved from. */
  cwd: string;
  stdout(text: string): void;
  stderr(text: string): void;
  /** Stops a long-running command (`generate --watch`); without it, Ctrl-C does. */
  signal?: AbortSignal;
}

/** 0 success; 1 the check or lint found problems; 2 the input or the command line is unusable. */
export type ExitCode = 0 | 1 | 2;

export type Options = NonNullable<ParseArgsConfig["options"]>;

export interface Command {
  name: string;
  /** The usage line and the option list, printed by `--help`. */
  help: string;
  options: Options;
  /** Whether the command takes positional arguments. */
  positionals: boolean;
  run(args: ParsedArgs, io: Io): Promise<ExitCode>;
}

export interface ParsedArgs {
  values: Record<string, string | boolean | Array<string | boolean> | undefined>;
  positionals: string[];
}

/** A command line that cannot be run; the CLI prints it with the command's usage hint. */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "UsageError";
  }
}

export function parseCommandArgs(command: Command, argv: readonly string[]): ParsedArgs {
  try {
    const parsed = parseArgs({
      args: [...argv],
      options: { help: { type: "boolean", short: "h" }, ...command.options },
      allowPositionals: command.positionals,
      strict: true,
    });
    return { values: parsed.values, positionals: parsed.positionals };
  } catch (error) {
    throw new UsageError(error instanceof Error ? error.message.split("\n")[0] ?? "" : String(error));
  }
}

export function stringOption(args: ParsedArgs, name: string): string | undefined {
  const value = args.values[name];
  return typeof value === "string" ? value : undefined;
}

export function stringsOption(args: ParsedArgs, name: string): string[] {
  const value = args.values[name];
  if (Array.isArray(value)) return value.filter((v): v is string => typeof v === "string");
  return typeof value === "string" ? [value] : [];
}

export function flag(args: ParsedArgs, name: string): boolean {
  return args.values[name] === true;
}
