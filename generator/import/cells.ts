/**
 * Reads the cells of one row: the API cell into routes, an Action or Related Action cell into
 * actions, and an IAM Project or Enterprise Project cell into a yes/no scope.
 *
 * What a cell says beyond doubt is returned as values; what it does not is returned as the cell's
 * text for `verbatim`, with a finding at its place. Paths come back as written: whether one is
 * valid, and whether a slip in it can be repaired, depends on the rest of the page.
 */
import type { Position } from "../diagnostics.js";
import { HTTP_METHODS, type ActionRef, type Erratum, type HttpMethod } from "../spec/types.js";
import type { CellText, Finding } from "./cell-text.js";
import { ACTION, dropDuplicates, splitRunTogether } from "./repairs.js";

/** Placeholders the tables write for "nothing here", compared without case. */
const PLACEHOLDERS = new Set([
  "",
  "-",
  "--",
  "\u2013",
  "\u2014",
  "/",
  "n/a",
  "na",
  "none",
  "no authorization required",
  "not required",
  "not involved",
]);

const YES = new Set(["y", "yes", "supported", "true", "\u221a", "\u2713", "\u2714"]);
const NO = new Set([
  "n",
  "no",
  "x",
  "not supported",
  "unsupported",
  "false",
  "\u00d7",
  "\u2717",
  "\u2718",
]);

/** Inline markup to peel off a cell: the first group of each pattern is what the cell means. */
const MARKUP: readonly RegExp[] = [
  /:ref:`([^`<]*?)\s*<[^>`]*>`/dg,
  /`([^`<]*?)\s*<[^>`]*>`__?/dg,
  /``([^`]*)``/dg,
  /\*\*([^*]*)\*\*/dg,
  /\\(.)/dg,
];

export interface RawRoute {
  method: HttpMethod;
  /** The method as the cell writes it, when that differs (such as `get`). */
  writtenMethod?: string;
  path: string;
  query?: string[];
  note?: string;
  at: Position;
}

export interface ApiRead {
  routes: RawRoute[];
  /** The cell as written, when it cannot be read. */
  verbatim?: string;
  finding?: Finding;
}

export interface ActionRead {
  actions: ActionRef[];
  placeholder?: string;
  verbatim?: string;
  errata: Erratum[];
  findings: Finding[];
}

/** Whether a cell's whole text is a placeholder for "nothing", such as `-` or `N/A`. */
export function isPlaceholder(text: string): boolean {
  return PLACEHOLDERS.has(text.replace(/\s+/g, " ").trim().replace(/\.$/, "").toLowerCase());
}

/** Reads an API cell into routes as written, or keeps it verbatim with a finding. */
export function readApiCell(cell: CellText): ApiRead {
  const text = stripMarkup(cell);
  const written = cell.text.trim();
  // "-" or "N/A" says the operation has no API of its own: nothing to keep, nothing to report.
  if (isPlaceholder(text.text)) return { routes: [] };

  const routes = readRoutes(text);
  if (routes) return { routes };

  const link =
    /:ref:`|`[^`]*`_/.test(written) &&
    !/\b(GET|POST|PUT|PATCH|DELETE|HEAD|OPTIONS)\s+\//.test(text.text);
  const message = link
    ? `the API cell holds a link with no method and path: ${JSON.stringify(written)}`
    : `the API cell is not "METHOD /path": ${JSON.stringify(written)}`;
  const hint = "kept in verbatim.api; write the route from the API reference into the spec entry";
  return {
    routes: [],
    verbatim: written,
    finding: { ...cell.at(), code: "unreadable-api", message, hint },
  };
}

/** Routes written `METHOD /path [note]`, several per cell; undefined if anything is left over. */
function readRoutes(text: CellText): RawRoute[] | undefined {
  const tokens = text.split(/\s+/);
  const routes: Array<RawRoute & { noteParts: string[] }> = [];

  for (const [index, token] of tokens.entries()) {
    const method = methodOf(token.text, tokens[index + 1]?.text);
    const current = routes[routes.length - 1];
    if (method) {
      const writtenMethod = token.text === method ? {} : { writtenMethod: token.text };
      routes.push({ method, ...writtenMethod, path: "", at: token.at(), noteParts: [] });
    } else if (!current) {
      return undefined;
    } else if (current.path === "") {
      if (!token.text.startsWith("/")) return undefined;
      Object.assign(current, splitQuery(token.text.replace(/[,;]$/, "")), { at: token.at() });
    } else if (
      current.noteParts.length === 0 &&
      current.query === undefined &&
      /^\{\?[^}]*\}$/.test(token.text)
    ) {
      current.query = names(token.text.slice(2, -1));
    } else {
      current.noteParts.push(token.text);
    }
  }

  if (routes.length === 0 || routes.some((r) => r.path === "")) return undefined;
  return routes.map(({ noteParts, ...route }) =>
    noteParts.length > 0 ? { ...route, note: noteParts.join(" ") } : route,
  );
}

function methodOf(token: string, next: string | undefined): HttpMethod | undefined {
  const upper = token.toUpperCase() as HttpMethod;
  if (!HTTP_METHODS.includes(upper)) return undefined;
  return token === upper || next?.startsWith("/") ? upper : undefined;
}

/** A path with an RFC 6570 `{?a,b}` expansion or a `?a=..&b=..` query split into its names. */
function splitQuery(token: string): { path: string; query?: string[] } {
  const expansion = /^(.*?)\{\?([^}]*)\}$/.exec(token);
  if (expansion) return { path: expansion[1] ?? "", query: names(expansion[2] ?? "") };

  const question = token.indexOf("?");
  if (question < 0) return { path: token };
  const keys = token
    .slice(question + 1)
    .split("&")
    .map((pair) => pair.split("=")[0] ?? "");
  return { path: token.slice(0, question), query: names(keys.join(",")) };
}

function names(list: string): string[] {
  return list
    .split(",")
    .map((name) => name.trim())
    .filter((name) => name !== "");
}

/**
 * Reads an Action (`field` "actions") or Related Action ("relatedActions") cell: one action per
 * line or bullet, or several separated by commas; `Label: action` and `action (label)` give a
 * labelled action. Run-together actions are split and repeats dropped, each with an erratum.
 */
export function readActionCell(
  cell: CellText,
  field: "actions" | "relatedActions",
  services: ReadonlySet<string>,
): ActionRead {
  const text = stripMarkup(cell);
  const written = cell.text.trim();
  if (isPlaceholder(text.text)) {
    const findings: Finding[] = written === "" ? [emptyCell(cell, field)] : [];
    return { actions: [], placeholder: written, errata: [], findings };
  }

  const repairs: Repair[] = [];
  const items = text.lines().map((line) => line.slice(bulletLength(line.text)).trim());
  const read = items.map((item) => readActionLine(item, services, repairs, field));
  if (read.some((refs) => refs === undefined)) {
    const message = `the ${field === "actions" ? "Action" : "Related Action"} cell cannot be read as actions: ${JSON.stringify(written)}`;
    const hint = `kept in verbatim; list the actions in the spec entry by hand`;
    const readable = read.flatMap((refs) => refs ?? []).map((placed) => placed.ref);
    const finding: Finding = { ...cell.at(), code: "unreadable-action", message, hint };
    return { actions: readable, verbatim: written, errata: [], findings: [finding] };
  }

  const refs = read.flatMap((placed) => placed ?? []);
  const { kept, repeats } = dropDuplicates(refs, (placed) => refKey(placed.ref));
  for (const [key, count] of repeats) repairs.push(repeatRepair(key, count, refs, field));
  return {
    actions: kept.map((placed) => placed.ref),
    errata: repairs.map((r) => r.erratum),
    findings: repairs.map(repairFinding),
  };
}

interface Placed {
  ref: ActionRef;
  at: Position;
}

interface Repair {
  erratum: Erratum;
  at: Position;
  message: string;
}

function readActionLine(
  line: CellText,
  services: ReadonlySet<string>,
  repairs: Repair[],
  field: string,
): Placed[] | undefined {
  const labelled =
    /^([^:]+?):\s+(\S+)$/.exec(line.text) ?? /^(\S+)\s*\(([^()]+)\)$/.exec(line.text);
  if (labelled) {
    const [label, action] = ACTION.test(labelled[2] ?? "")
      ? [labelled[1], labelled[2]]
      : [labelled[2], labelled[1]];
    if (action && label && ACTION.test(action))
      return [{ ref: { action, label: label.trim() }, at: line.at() }];
  }

  const placed: Placed[] = [];
  for (const piece of line.split(/[\s,;]+/)) {
    if (ACTION.test(piece.text)) {
      placed.push({ ref: piece.text, at: piece.at() });
      continue;
    }
    const parts = splitRunTogether(piece.text, services);
    if (!parts) return undefined;
    placed.push(...parts.map((ref) => ({ ref, at: piece.at() })));
    const reason = `${parts.length} actions are written together without a separator; split where each service prefix begins`;
    const message = `${JSON.stringify(piece.text)} runs ${parts.length} actions together; read as ${parts.join(", ")}`;
    repairs.push({
      erratum: { field, source: piece.text, spec: parts.join(", "), reason },
      at: piece.at(),
      message,
    });
  }
  return placed;
}

function repeatRepair(key: string, count: number, refs: readonly Placed[], field: string): Repair {
  const name = key.split("\u0000")[0] ?? key;
  const second = refs.filter((placed) => refKey(placed.ref) === key)[1];
  const erratum: Erratum = {
    field,
    source: Array.from({ length: count }, () => name).join(", "),
    spec: name,
    reason: `the cell lists ${name} ${count} times; the spec keeps it once`,
  };
  const message = `${name} is listed ${count} times in the cell; kept once`;
  return { erratum, at: second?.at ?? { line: 1, column: 1 }, message };
}

function repairFinding(repair: Repair): Finding {
  return {
    ...repair.at,
    code: "repaired-action",
    message: repair.message,
    hint: "recorded as an erratum on the entry; report the defect to the page's authors",
  };
}

function refKey(ref: ActionRef): string {
  return typeof ref === "string" ? ref : `${ref.action}\u0000${ref.label}`;
}

function bulletLength(line: string): number {
  return /^(?:[-*+\u2022]|\d+[.)])\s+/.exec(line)?.[0].length ?? 0;
}

function emptyCell(cell: CellText, field: string): Finding {
  const column = field === "actions" ? "Action" : "Related Action";
  return {
    ...cell.at(),
    code: "empty-cell",
    message: `the ${column} cell is empty`,
    hint: 'read as no action; write "-" in the table if that is meant',
  };
}

/** A Y/N scope cell; anything but a clear yes or no is false (the conservative reading). */
export function readScopeCell(
  cell: CellText,
  column: string,
): { value: boolean; verbatim?: string; finding?: Finding } {
  const written = cell.text.trim();
  const word = stripMarkup(cell).text.replace(/\s+/g, " ").trim().replace(/\.$/, "").toLowerCase();
  if (YES.has(word)) return { value: true };
  if (NO.has(word)) return { value: false };

  const hint = `read as not supported (false), the conservative choice; kept in verbatim, check the ${column} scope and set it in the spec`;
  const message =
    written === ""
      ? `the ${column} cell is empty`
      : `the ${column} cell is not yes or no: ${JSON.stringify(written)}`;
  return {
    value: false,
    ...(written ? { verbatim: written } : {}),
    finding: { ...cell.at(), code: "unreadable-scope", message, hint },
  };
}

function stripMarkup(cell: CellText): CellText {
  return MARKUP.reduce((text, pattern) => text.unwrap(pattern), cell).trim();
}
