/**
 * Reads spec YAML with source positions, before anything looks at its meaning.
 *
 * A spec is plain data: one document, string keys, no anchors or aliases (so no alias bomb can
 * expand), no custom tags, and no key that could reach an object's prototype. Anything else is a
 * diagnostic at its position, and the data is not used.
 */
import { isAlias, isMap, isNode, isScalar, isSeq, LineCounter, parseAllDocuments, visit, type Document, type Node } from "yaml";
import type { Diagnostic, Position } from "../diagnostics.js";
import { userComment } from "./format.js";

export type PathKey = string | number;

export interface ParsedSpec {
  file: string;
  text: string;
  /** The plain data, or undefined when the text is not usable YAML. */
  data: unknown;
  /** The comment lines at the top of the file, less the schema line. */
  comment: string;
  diagnostics: Diagnostic[];
  /** Where the value at a path into the data starts; its nearest existing parent when absent. */
  locate(path: readonly PathKey[]): Position;
  /** Where the key (not the value) at a path starts, for "unknown key" and "duplicate" messages. */
  locateKey(path: readonly PathKey[]): Position;
}

const FORBIDDEN_KEYS = new Set(["__proto__", "constructor", "prototype"]);

/** The YAML 1.2 core schema's tags; `!!js/function` and the like are custom tags too. */
const CORE_TAGS = new Set(
  ["str", "int", "float", "bool", "null", "map", "seq"].map((t) => `tag:yaml.org,2002:${t}`),
);

/** Half of a UTF-16 surrogate pair on its own: a `\ud800` escape that UTF-8 output would mangle. */
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

export function parseSpecText(text: string, file: string): ParsedSpec {
  const lineCounter = new LineCounter();
  const documents = parseAllDocuments(text, { lineCounter, uniqueKeys: true, strict: true, version: "1.2" });
  const at = (offset: number): Position => {
    const { line, col } = lineCounter.linePos(Math.max(0, Math.min(offset, text.length)));
    return { line, column: col };
  };
  const diagnostics: Diagnostic[] = [];
  const problem = (offset: number, code: string, message: string, hint: string): void => {
    diagnostics.push({ file, ...at(offset), severity: "error", code, message, hint });
  };

  const list = Array.isArray(documents) ? documents : [];
  const doc = list[0];
  if (list.length > 1) {
    problem(list[1]?.range[0] ?? 0, "yaml-syntax", "the file holds more than one YAML document", "keep one spec per file and remove the \"---\" separator");
  }
  if (!doc || doc.contents === null) {
    problem(0, "empty", "the spec file is empty", "start from the output of \"permgen import TABLE.rst\"");
    return result(undefined, "");
  }

  // A stack overflow is reported once per nesting level the parser unwound; one line is enough.
  const exhausted = doc.errors.find((e) => e.code === "RESOURCE_EXHAUSTION");
  if (exhausted) {
    const hint = "a spec nests a few levels at most; remove the runaway brackets or indentation";
    problem(exhausted.pos[0], "yaml-syntax", "the YAML nests too deeply to be read", hint);
  }
  for (const error of doc.errors.filter((e) => e.code !== "RESOURCE_EXHAUSTION")) {
    const code = error.code === "DUPLICATE_KEY" ? "duplicate-key" : "yaml-syntax";
    const hint = code === "duplicate-key" ? "remove or rename one of the two keys" : "fix the YAML syntax at this place";
    problem(error.pos[0], code, firstLine(error.message), hint);
  }
  const warnings = doc.warnings.filter((w) => w.code !== "TAG_RESOLVE_FAILED");
  for (const warning of warnings) problem(warning.pos[0], "yaml-syntax", firstLine(warning.message), "fix the YAML at this place");
  checkPlainData(doc, problem);

  const usable = diagnostics.length === 0;
  return result(usable ? doc.toJS({ maxAliasCount: 0 }) : undefined, userComment(topComment(doc)));

  function result(data: unknown, comment: string): ParsedSpec {
    return {
      file,
      text,
      data,
      comment,
      diagnostics,
      locate: (path) => at(nodeAt(doc, path, "value")),
      locateKey: (path) => at(nodeAt(doc, path, "key")),
    };
  }
}

type Problem = (offset: number, code: string, message: string, hint: string) => void;

function checkPlainData(doc: Document, problem: Problem): void {
  visit(doc, {
    Alias(_, node) {
      problem(node.range?.[0] ?? 0, "alias", `alias "*${node.source}" in a spec`, "write the value out in full: specs allow no anchors or aliases");
    },
    Node(_, node) {
      if (node.anchor) problem(node.range?.[0] ?? 0, "alias", `anchor "&${node.anchor}" in a spec`, "remove the anchor: specs allow no anchors or aliases");
      if (isScalar(node) && typeof node.value === "string" && LONE_SURROGATE.test(node.value)) {
        const message = "an escaped UTF-16 surrogate without its pair, which no UTF-8 file can hold";
        const hint = 'escape the whole character instead, such as "\\U0001F600"';
        problem(node.range?.[0] ?? 0, "lone-surrogate", message, hint);
      }
      if (node.tag && !CORE_TAGS.has(node.tag)) {
        problem(node.range?.[0] ?? 0, "yaml-tag", `custom tag ${JSON.stringify(node.tag)}`, "remove the tag: a spec holds plain data");
      }
    },
    Pair(_, pair) {
      const key = pair.key;
      const offset = isNode(key) ? (key.range?.[0] ?? 0) : 0;
      if (!isScalar(key) || typeof key.value !== "string") {
        problem(offset, "key-type", "a key that is not a string", "write keys as plain names");
      } else if (FORBIDDEN_KEYS.has(key.value)) {
        problem(offset, "forbidden-key", `key ${JSON.stringify(key.value)} is not allowed`, "remove it: no spec field has that name");
      }
    },
  });
}

/**
 * The comment lines above the first key. YAML gives them to the document only when a blank line
 * follows them; otherwise to the first key, or to the mapping when it is a `{...}` flow mapping.
 */
function topComment(doc: Document): string {
  const contents = isNode(doc.contents) ? doc.contents : undefined;
  const first = isMap(contents) ? contents.items[0]?.key : undefined;
  const parts = [doc.commentBefore, contents?.commentBefore, isNode(first) ? first.commentBefore : undefined];
  return parts.filter((part): part is string => typeof part === "string").join("\n");
}

/** The start offset of the node at a path, or of its nearest ancestor that exists. */
function nodeAt(doc: Document | undefined, path: readonly PathKey[], part: "key" | "value"): number {
  let node: unknown = doc?.contents;
  let offset = isNode(node) ? (node.range?.[0] ?? 0) : 0;

  for (const [index, key] of path.entries()) {
    const last = index === path.length - 1;
    if (isMap(node)) {
      const pair = node.items.find((p) => isScalar(p.key) && p.key.value === key);
      if (!pair) break;
      const target = last && part === "key" ? pair.key : pair.value;
      offset = rangeStart(target) ?? rangeStart(pair.key) ?? offset;
      node = pair.value;
    } else if (isSeq(node) && typeof key === "number") {
      const item = node.items[key];
      if (item === undefined) break;
      offset = rangeStart(item) ?? offset;
      node = item;
    } else {
      break;
    }
  }
  return offset;
}

function rangeStart(node: unknown): number | undefined {
  if (isAlias(node) || !isNode(node)) return undefined;
  return (node as Node).range?.[0];
}

function firstLine(message: string): string {
  return (message.split("\n")[0] ?? message).replace(/ at line \d+, column \d+:?$/, "");
}
