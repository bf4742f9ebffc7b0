/**
 * Repairs of defects in a source table, made only where exactly one reading is possible. Each
 * rule says why it is certain; anything that fails a rule's conditions is left as written and
 * reported instead. The caller records every repair as an erratum on the entry.
 */
import { checkPath, parsePath, pathShape } from "../spec/paths.js";

/** An IAM action as the tables write it: `service:resourceType:operation`. */
export const ACTION = /^[a-z][a-z0-9-]*:[A-Za-z0-9_*.-]+:[A-Za-z0-9_*.-]+$/;

export interface PathFix {
  path: string;
  /** Why each change was made; empty when the path was left alone. */
  reasons: string[];
}

/**
 * Splits actions written together without a separator, such as
 * `modelarts:exemlProject:deletemodelarts:notebook:delete`. Certain only when the text can be cut
 * in exactly one way into well-formed actions each starting with a service the page uses.
 */
export function splitRunTogether(
  text: string,
  services: ReadonlySet<string>,
): string[] | undefined {
  const readings = cuts(text, services);
  return readings.length === 1 ? readings[0] : undefined;
}

function cuts(text: string, services: ReadonlySet<string>): string[][] {
  const readings: string[][] = [];
  for (const service of services) {
    let at = text.indexOf(`${service}:`, 1);
    while (at > 0) {
      const head = text.slice(0, at);
      const tail = text.slice(at);
      if (ACTION.test(head)) {
        const rest = ACTION.test(tail) ? [[tail]] : cuts(tail, services);
        for (const reading of rest) readings.push([head, ...reading]);
      }
      at = text.indexOf(`${service}:`, at + 1);
    }
  }
  return uniqueReadings(readings);
}

function uniqueReadings(readings: string[][]): string[][] {
  const seen = new Map(readings.map((r) => [r.join("\u0000"), r]));
  return [...seen.values()];
}

/** The items without repeats, first occurrence kept, and how often each repeated key appeared. */
export function dropDuplicates<T>(
  items: readonly T[],
  key: (item: T) => string,
): { kept: T[]; repeats: Map<string, number> } {
  const counts = new Map<string, number>();
  const kept: T[] = [];
  for (const item of items) {
    const k = key(item);
    const count = (counts.get(k) ?? 0) + 1;
    counts.set(k, count);
    if (count === 1) kept.push(item);
  }
  return { kept, repeats: new Map([...counts].filter(([, count]) => count > 1)) };
}

/**
 * Brace and slash slips with one reading: `{name` or `name}` as a whole segment (the other brace
 * is missing), an empty segment (`//`) and a trailing `/`.
 */
export function repairPathSyntax(path: string): PathFix {
  if (!path.startsWith("/") || path === "/") return { path, reasons: [] };

  const reasons: string[] = [];
  const segments = path.slice(1).split("/");
  const fixed: string[] = [];

  segments.forEach((segment, index) => {
    const unclosed = /^\{([A-Za-z_]\w*)$/.exec(segment);
    const unopened = /^([A-Za-z_]\w*)\}$/.exec(segment);
    if (unclosed)
      reasons.push(`the parameter "${segment}" is not closed with "}" before the next "/"`);
    if (unopened) reasons.push(`the parameter "${segment}" has no opening "{"`);
    if (segment === "") {
      reasons.push(
        index === segments.length - 1
          ? 'the path ends with "/"'
          : 'the path has an empty segment ("//")',
      );
      return;
    }
    fixed.push(unclosed || unopened ? `{${unclosed?.[1] ?? unopened?.[1] ?? ""}}` : segment);
  });
  return { path: `/${fixed.join("/")}`, reasons };
}

/**
 * A parameter glued to static text (`{job_id}versions`, or `versions{job_id}`) is missing a `/`.
 * Certain only when another route on the page confirms it: the path up to the separated segment,
 * compared by shape, begins some route that is written correctly.
 */
export function repairGluedSegments(path: string, validPaths: ShapeIndex): PathFix {
  if (!path.startsWith("/")) return { path, reasons: [] };

  const segments = path.slice(1).split("/");
  const reasons: string[] = [];
  const fixed: string[] = [];

  for (const segment of segments) {
    const parts = gluedParts(segment);
    const candidate = parts ? [...fixed, ...parts] : undefined;
    const witness = candidate && confirmingPath(candidate, validPaths);
    if (parts && witness) {
      reasons.push(
        `"/" is missing in "${segment}": the page's route ${witness} separates "${parts.join('" and "')}"`,
      );
      fixed.push(...parts);
    } else {
      fixed.push(segment);
    }
  }
  return { path: `/${fixed.join("/")}`, reasons };
}

function gluedParts(segment: string): [string, string] | undefined {
  const paramFirst = /^(\{[A-Za-z_]\w*\})([A-Za-z0-9][\w.~-]*)$/.exec(segment);
  if (paramFirst) return [paramFirst[1] ?? "", paramFirst[2] ?? ""];

  const staticFirst = /^([A-Za-z0-9][\w.~-]*)(\{[A-Za-z_]\w*\})$/.exec(segment);
  if (staticFirst) return [staticFirst[1] ?? "", staticFirst[2] ?? ""];
  return undefined;
}

function confirmingPath(
  prefixSegments: readonly string[],
  validPaths: ShapeIndex,
): string | undefined {
  const prefix = `/${prefixSegments.join("/")}`;
  if (checkPath(prefix).length > 0) return undefined;
  return validPaths.confirming(prefix);
}

interface ShapeNode {
  next: Map<string, ShapeNode>;
  /** The first path of exactly this shape. */
  exact?: string;
  /** The first path whose shape continues past this one. */
  longer?: string;
}

/**
 * The page's valid paths as a tree of shape segments, so that finding the path that confirms a
 * missing `/` takes one walk down the tree instead of a scan of every route on the page.
 */
export class ShapeIndex {
  private readonly root: ShapeNode = { next: new Map() };

  constructor(paths: readonly string[]) {
    for (const path of paths) this.add(path);
  }

  /** The first path of the same shape as `prefix`, else the first whose shape begins with it. */
  confirming(prefix: string): string | undefined {
    let node: ShapeNode | undefined = this.root;
    for (const segment of shapeSegments(prefix)) node = node?.next.get(segment);
    return node?.exact ?? node?.longer;
  }

  private add(path: string): void {
    let node = this.root;
    for (const segment of shapeSegments(path)) {
      node.longer ??= path;
      let child = node.next.get(segment);
      if (!child) {
        child = { next: new Map() };
        node.next.set(segment, child);
      }
      node = child;
    }
    node.exact ??= path;
  }
}

function shapeSegments(path: string): string[] {
  return parsePath(path).map((s) => (s.kind === "param" ? "{}" : s.text));
}

/** One route of a table row, as the collection-delete rule needs to see it. */
export interface RouteSite {
  method: string;
  path: string;
  description: string;
  actions: readonly string[];
}

/**
 * A DELETE of one item written on its collection's path (`DELETE /configs` for "Deleting a
 * Configuration"). Certain only when all of these hold: the row's actions all have the plain
 * operation `delete` on one resource type; its wording does not speak of several items; the
 * table has no DELETE on the item path already; and the table's other routes for that resource
 * type address one item as `<collection>/{name}` with one parameter name. The route gets that
 * parameter. `byShape` holds the table's valid routes keyed by `pathShape`.
 */
export function repairCollectionDelete(
  target: RouteSite,
  byShape: ReadonlyMap<string, readonly RouteSite[]>,
): PathFix {
  const unchanged = { path: target.path, reasons: [] };
  const resource = deletedResource(target);
  if (
    target.method !== "DELETE" ||
    !resource ||
    /\b(batch|batches|all|multiple|several|bulk)\b/i.test(target.description)
  ) {
    return unchanged;
  }

  const collection = pathShape(target.path);
  if (collection.endsWith("{}")) return unchanged;

  const items = byShape.get(`${collection}/{}`) ?? [];
  if (items.some((o) => o.method === "DELETE")) return unchanged;

  const sameResource = items.filter((o) => o.actions.some((a) => a.split(":")[1] === resource));
  const params = new Set(sameResource.map((o) => o.path.slice(o.path.lastIndexOf("/") + 1)));
  const [param] = [...params];
  if (sameResource.length === 0 || params.size !== 1 || param === undefined) return unchanged;

  const methods = [...new Set(sameResource.map((o) => o.method))].join(" and ");
  const reason =
    `a DELETE whose action ${target.actions.join(", ")} removes one item, yet the path names the collection; ` +
    `the table's ${methods} routes for ${resource} address one item as ${target.path}/${param}`;
  return { path: `${target.path}/${param}`, reasons: [reason] };
}

function deletedResource(target: RouteSite): string | undefined {
  const parts = target.actions.map((a) => a.split(":"));
  const resources = new Set(parts.map((p) => p[1]));
  const allDelete = parts.length > 0 && parts.every((p) => p.length === 3 && p[2] === "delete");
  const [resource] = [...resources];
  return allDelete && resources.size === 1 ? resource : undefined;
}
