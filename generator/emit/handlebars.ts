/**
 * The one place templates are compiled: an isolated Handlebars environment with the few helpers
 * the templates need, strict about missing variables, reporting every template problem as one
 * line that names the template file.
 *
 * Helpers return text already encoded for where it lands (`json` for JSON values, `cell` and
 * `code` for Markdown table cells), so a template never pastes a spec string raw.
 */
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { isAbsolute, join, relative } from "node:path";
import { InputError } from "../diagnostics.js";
import { showBidi } from "./bidi.js";

// Handlebars is CommonJS typed as `export =` in an ambient module, which this project's compiler
// settings refuse to default-import; require gives the same object Node's ESM import would.
const Handlebars: typeof import("handlebars") = createRequire(import.meta.url)("handlebars");

type Env = typeof Handlebars;

/** Renders the templates of one directory; each file is read and compiled once. */
export interface Templates {
  /** The text of `name` (relative to the templates directory) rendered with `data`. */
  render(name: string, data: object): string;
  /** How messages name a template: its path relative to the working directory. */
  fileOf(name: string): string;
}

interface Compiled {
  run: (data: object) => string;
  /** The source text of each helper call's arguments, by the call's `line:column`. */
  args: Map<string, string[]>;
  /** Every dotted path the template reads, to say which one failed when Handlebars cannot. */
  paths: PathUse[];
}

interface PathUse {
  original: string;
  parts: string[];
  loc: Loc;
}

/** A fresh environment for one templates directory: helpers registered here touch no other. */
export function loadTemplates(templatesDir: string): Templates {
  const env = Handlebars.create();
  const state: { args?: Map<string, string[]> } = {};
  registerHelpers(env, (loc) => state.args?.get(locKey(loc)) ?? []);
  const cache = new Map<string, Compiled>();
  const fileOf = (name: string): string => displayPath(join(templatesDir, name));

  return {
    fileOf,
    render(name, data) {
      const template = cache.get(name) ?? compile(env, fileOf(name), join(templatesDir, name));
      cache.set(name, template);

      // Rendering is synchronous, so the helpers can read the current template's calls here.
      state.args = template.args;
      try {
        return template.run(data);
      } catch (error) {
        throw templateError(fileOf(name), error, "render", template.paths);
      } finally {
        state.args = undefined;
      }
    },
  };
}

function compile(env: Env, file: string, absolute: string): Compiled {
  const source = readTemplate(file, absolute);

  // compile() parses lazily, on first render; parsing here reports syntax errors as such.
  try {
    const { args, paths } = readCalls(env.parse(source));
    return { run: env.compile(source, { strict: true }), args, paths };
  } catch (error) {
    throw templateError(file, error, "parse");
  }
}

function readTemplate(file: string, absolute: string): string {
  try {
    return readFileSync(absolute, "utf8");
  } catch (error) {
    const reason =
      (error as NodeJS.ErrnoException).code === "ENOENT"
        ? "the template does not exist"
        : String(error);
    throw new InputError({
      file,
      line: 1,
      column: 1,
      code: "template-missing",
      message: reason,
      hint: "restore it from the permgen repository or point --templates at a directory that has it",
    });
  }
}

/** A problem a helper found, at the position of its call. */
class TemplateProblem extends Error {
  constructor(
    message: string,
    readonly lineNumber: number | undefined,
    readonly column: number | undefined,
  ) {
    super(message);
  }
}

type Stage = "parse" | "render";

interface Described {
  message: string;
  line: number;
  /** From 0, as Handlebars counts. */
  column: number;
}

/** Any error from compiling or rendering a template as one positioned line naming the file. */
function templateError(
  file: string,
  error: unknown,
  stage: Stage,
  paths: readonly PathUse[] = [],
): InputError {
  if (error instanceof InputError) return error;

  const { message, line, column } = describe(error, stage, paths);
  const hint = "fix the template";
  return new InputError({ file, line, column: column + 1, code: "template", message, hint });
}

/**
 * Handlebars reports a missing variable as `"x" not defined in [object Object] - 3:4`, a syntax
 * error as a multi-line "Parse error on line 3" block, and a path through a missing value as a
 * bare TypeError with no position; each becomes one line, placed as well as can be told.
 */
function describe(error: unknown, stage: Stage, paths: readonly PathUse[]): Described {
  const raw = error instanceof Error ? error.message : String(error);
  const located = error as { lineNumber?: unknown; column?: unknown };
  const at = {
    line: typeof located.lineNumber === "number" ? located.lineNumber : 1,
    column: typeof located.column === "number" ? located.column : 0,
  };
  if (error instanceof TemplateProblem) return { message: raw, ...at };

  const parse = /^Parse error on line (\d+):\n(.*)\n(-*)\^\n(.*)$/s.exec(raw);
  if (parse) return { ...parseMessage(parse[2] ?? "", parse[4] ?? ""), line: Number(parse[1]) };

  const clean = raw.replace(/ - \d+:\d+$/, "");
  const missing = /^"([^"]*)" not defined in /.exec(clean);
  if (missing) {
    const message = `the template uses "${missing[1]}", which is neither a variable it is given nor a helper`;
    return { message, ...at };
  }
  const unread = /^Cannot read properties of (?:undefined|null) \(reading '([^']*)'\)$/.exec(clean);
  if (unread) return pathMessage(unread[1] ?? "", paths);

  const prefix = stage === "parse" ? "the template does not parse" : "the template failed";
  return { message: `${prefix}: ${clean}`, ...at };
}

function parseMessage(near: string, expecting: string): { message: string; column: number } {
  const got = /got '([^']*)'/.exec(expecting)?.[1] ?? "something unexpected";
  const message = `the template does not parse: unexpected ${got} near ${JSON.stringify(near.trim())}`;
  return { message, column: 0 };
}

/** Which dotted paths could have read `property` of a missing value; placed when only one could. */
function pathMessage(property: string, paths: readonly PathUse[]): Described {
  const suspects = paths.filter((p) => p.parts.slice(1).includes(property));
  const names = [...new Set(suspects.map((p) => p.original))];
  const first = suspects[0];

  if (names.length === 1 && first) {
    const parent = first.parts.slice(0, first.parts.indexOf(property, 1)).join(".");
    const message = `the template reads "${first.original}", but "${parent}" is not a variable it is given`;
    return { message, line: first.loc.start.line, column: first.loc.start.column };
  }
  const among = names.length > 0 ? ` (one of ${names.join(", ")})` : "";
  return {
    message: `the template reads "${property}" of a value it is not given${among}`,
    line: 1,
    column: 0,
  };
}

interface Loc {
  start: { line: number; column: number };
}

interface HelperOptions {
  loc?: Loc;
}

type ArgsAt = (loc: Loc) => string[];

/**
 * Strict mode checks only plain `{{x}}` lookups: a helper argument or an `#if` condition that
 * names a missing variable arrives as undefined. Every helper here, and the block helpers the
 * templates use, refuse undefined and name the argument as the template writes it.
 */
function registerHelpers(env: Env, argsAt: ArgsAt): void {
  const defined = (helper: string, value: unknown, options: HelperOptions): void => {
    if (value !== undefined) return;
    const { loc } = options;
    const name = loc ? argsAt(loc)[0] : undefined;
    const what = name ? `"${name}" (given to ${helper})` : `the value given to ${helper}`;
    throw new TemplateProblem(
      `the template uses ${what}, which is not a variable it is given`,
      loc?.start.line,
      loc?.start.column,
    );
  };
  const simple = (
    name: string,
    encode: (value: unknown) => string | InstanceType<Env["SafeString"]>,
  ) =>
    env.registerHelper(name, (...args: unknown[]) => {
      const options = args[args.length - 1] as HelperOptions;
      if (args.length !== 2) {
        const at = options.loc?.start;
        throw new TemplateProblem(`${name} takes exactly one value`, at?.line, at?.column);
      }
      defined(name, args[0], options);
      return encode(args[0]);
    });

  simple("json", (value) => new env.SafeString(JSON.stringify(value)));
  simple("cell", (value) => new env.SafeString(markdownCell(String(value))));
  simple("code", (value) => new env.SafeString(markdownCode(String(value))));
  simple("yesNo", (value) => (value === true ? "Y" : "N"));

  for (const block of ["if", "unless", "each", "with"]) {
    const builtIn = env.helpers[block];
    if (!builtIn) continue;
    env.registerHelper(block, function (this: unknown, ...args: unknown[]) {
      const options = args[args.length - 1] as HelperOptions;
      // The built-in #unless calls #if without a position; its own call was checked already.
      if (args.length === 2 && options.loc) defined(`#${block}`, args[0], options);
      return builtIn.apply(this, args as Parameters<typeof builtIn>);
    });
  }
}

/** The arguments of every helper call (by position) and every dotted path, for messages. */
function readCalls(ast: object): { args: Map<string, string[]>; paths: PathUse[] } {
  const args = new Map<string, string[]>();
  const paths: PathUse[] = [];
  const visit = (node: unknown): void => {
    if (Array.isArray(node)) return node.forEach(visit);
    if (typeof node !== "object" || node === null) return;

    const record = node as { type?: string; loc?: Loc; params?: unknown[]; parts?: unknown };
    if (record.loc && record.params && record.params.length > 0) {
      args.set(locKey(record.loc), record.params.map(argumentText));
    }
    if (record.type === "PathExpression" && record.loc && Array.isArray(record.parts)) {
      const parts = record.parts.map(String);
      paths.push({ original: parts.join("."), parts, loc: record.loc });
    }
    for (const [key, child] of Object.entries(node)) if (key !== "loc") visit(child);
  };
  visit(ast);
  return { args, paths };
}

function argumentText(param: unknown): string {
  const p = param as { type?: string; original?: unknown; path?: { original?: unknown } };
  if (p.type === "SubExpression") return `(${String(p.path?.original ?? "")} …)`;
  return String(p.original ?? "");
}

function locKey(loc: Loc): string {
  return `${loc.start.line}:${loc.start.column}`;
}

/** Line breaks become `<br>`, the only line break a Markdown table cell can hold. */
const LINE_BREAK = /\r\n|[\r\n\u2028\u2029]/g;

/**
 * CommonMark punctuation that could open markup, a table column, an entity, inline math, a
 * template tag (prettier's parser reads `{{` and `{%` as Liquid) or a heading's closing `#`.
 */
const MARKDOWN_ACTIVE = /[\\`*_[\]<>|&~${#]/g;

/** The starts of GFM's bare links (`www.`, `http://`), which would take a following `\` in. */
const BARE_LINK = /(www)\.|:(?=\/\/)/gi;

/**
 * Text for a Markdown table cell that reads as the text: every character that could end the cell
 * or start markup, and each bare link's start, is backslash-escaped, so a description cannot add a column, a link or raw HTML,
 * and a bidi control shows as its escape (`\u202e`), so it cannot reorder the text on screen.
 */
export function markdownCell(text: string): string {
  return showBidi(text)
    .split(LINE_BREAK)
    .map((line) => line.replace(MARKDOWN_ACTIVE, (c) => `\\${c}`).replace(BARE_LINK, breakLink))
    .join("<br>");
}

/** `www.` as `www\.`, `://` as `\://`: escaped punctuation reads the same and starts no link. */
function breakLink(_match: string, www: string | undefined): string {
  return www === undefined ? "\\:" : `${www}\\.`;
}

/**
 * A code span that survives inside a table cell: the fence is longer than any run of backticks in
 * the text, and `|` is escaped, which GitHub tables undo inside code spans. Parsers disagree on a
 * backslash right before `|` in a code span, so such text is written as an escaped plain cell.
 * Bidi controls show as their escapes, as in `markdownCell`.
 */
export function markdownCode(text: string): string {
  const flat = showBidi(text).replace(LINE_BREAK, " ");
  if (flat === "") return "";
  if (flat.includes("\\|")) return markdownCell(flat);

  const longestRun = Math.max(0, ...(flat.match(/`+/g) ?? []).map((run) => run.length));
  const fence = "`".repeat(longestRun + 1);
  const padded = flat.startsWith("`") || flat.endsWith("`") ? ` ${flat} ` : flat;
  return `${fence}${padded.replace(/\|/g, "\\|")}${fence}`;
}

function displayPath(absolute: string): string {
  const fromHere = relative(process.cwd(), absolute);
  const outside = fromHere.startsWith("..") || isAbsolute(fromHere);
  return (outside ? absolute : fromHere).split("\\").join("/");
}
