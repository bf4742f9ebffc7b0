/**
 * The request matcher and path builder behind the generated route table. The emitter copies this
 * file unchanged into the output as `runtime/router.ts`; it imports nothing, so generated code has
 * no runtime dependency.
 *
 * How a request is matched:
 * - The lookup tree is built once, by `createRouter`: one tree per method, one node per segment.
 *   So a static route of one method never hides a parameter route of another.
 * - A static segment wins over a parameter at any depth. When the static branch fails further on,
 *   the parameter branch is tried instead, so `/images/group/x` still reaches `/images/{id}/x`.
 * - The path ends at the first `?` or `#`: query string and fragment are ignored.
 * - A URL with scheme and host (`https://host/v1/...`) matches like its path; anything that is
 *   neither (`*`, `v1/...`) matches nothing.
 * - Methods compare case-insensitively. HEAD is answered by the GET route when no HEAD route
 *   matches.
 * - One trailing slash is ignored (`/a/` is `/a`). Any other empty segment (`//`, two trailing
 *   slashes, a protocol-relative `//host/...`) matches nothing.
 * - Parameter values are percent-decoded once the route is found. `%2F` decodes to `/` inside the
 *   value and never splits a segment. A value with invalid percent-encoding matches nothing.
 * - Static segments compare as written, not decoded: `/training%2Djobs` is not `/training-jobs`.
 * - Dot segments (`.`, `..`) are not resolved; they are values like any other.
 * - Two routes with the same method and the same shape: the first in table order wins.
 */

/** What the router needs of a route: its method and its path template. */
export interface RouteTemplate {
  readonly method: string;
  readonly path: string;
}

/** Routes by id, in the order that decides between two routes of the same shape. */
export type RouteTable<Id extends string> = { readonly [K in Id]: RouteTemplate };

/** A matched route: its id and its decoded path parameters by name. */
export interface RouterMatch<Id extends string> {
  readonly id: Id;
  readonly params: Record<string, string>;
}

export interface Router<Id extends string> {
  /** The route for a method and a URL (a path, or scheme, host and path), or undefined. */
  match(method: string, url: string): RouterMatch<Id> | undefined;
}

interface Leaf<Id extends string> {
  readonly id: Id;
  /** The template's parameter names, in path order. */
  readonly names: readonly string[];
}

interface TreeNode<Id extends string> {
  /** Static children: scanned in order when few, looked up in `lookup` when many. */
  readonly keys: string[];
  readonly children: TreeNode<Id>[];
  lookup: Map<string, TreeNode<Id>> | undefined;
  param: TreeNode<Id> | undefined;
  leaf: Leaf<Id> | undefined;
}

/** Above this many static children a Map lookup beats comparing each key in place. */
const SCAN_LIMIT = 8;
const SLASH = 47;

/** Builds the lookup tree of a route table once; the returned router only reads it. */
export function createRouter<Id extends string>(table: RouteTable<Id>): Router<Id> {
  const trees = new Map<string, TreeNode<Id>>();
  let mostParams = 0;

  for (const id of Object.keys(table) as Id[]) {
    const route = table[id];
    const method = route.method.toUpperCase();
    const tree = trees.get(method) ?? newNode<Id>();
    trees.set(method, tree);
    mostParams = Math.max(mostParams, insert(tree, route.path, id));
  }
  for (const tree of trees.values()) index(tree);

  // Offsets of the segments parameters take, reused by every match: matching never re-enters.
  const spans = new Int32Array(2 * mostParams);
  return { match: (method, url) => matchRequest(trees, spans, method, url) };
}

/**
 * Fills a path template with percent-encoded values. Throws when a value is missing, empty, `.`
 * or `..` (each would change which path is meant) or holds a lone surrogate (no URL can carry it).
 */
export function fillPath(template: string, params: Readonly<Record<string, string>>): string {
  let path = "";

  for (const segment of template.split("/")) {
    if (segment === "") continue;
    const name = paramName(segment);
    path += "/" + (name === undefined ? segment : encodeValue(template, name, params[name]));
  }
  return path === "" ? "/" : path;
}

function newNode<Id extends string>(): TreeNode<Id> {
  return { keys: [], children: [], lookup: undefined, param: undefined, leaf: undefined };
}

/** Adds a route to its method's tree; returns how many parameters it has. */
function insert<Id extends string>(tree: TreeNode<Id>, path: string, id: Id): number {
  const names: string[] = [];
  let node = tree;

  for (const segment of path.split("/")) {
    if (segment === "") continue;
    const name = paramName(segment);
    if (name === undefined) {
      node = staticChildOf(node, segment);
    } else {
      names.push(name);
      node = node.param ??= newNode<Id>();
    }
  }
  node.leaf ??= { id, names };
  return names.length;
}

function staticChildOf<Id extends string>(node: TreeNode<Id>, key: string): TreeNode<Id> {
  const at = node.keys.indexOf(key);
  const existing = node.children[at];
  if (existing !== undefined) return existing;

  const child = newNode<Id>();
  node.keys.push(key);
  node.children.push(child);
  return child;
}

/** Gives nodes with many static children a Map, once every route is in. */
function index<Id extends string>(node: TreeNode<Id>): void {
  if (node.keys.length > SCAN_LIMIT) {
    node.lookup = new Map(node.keys.map((key, i) => [key, node.children[i] ?? newNode<Id>()]));
  }
  for (const child of node.children) index(child);
  if (node.param !== undefined) index(node.param);
}

function paramName(segment: string): string | undefined {
  return segment.startsWith("{") && segment.endsWith("}") ? segment.slice(1, -1) : undefined;
}

function matchRequest<Id extends string>(
  trees: ReadonlyMap<string, TreeNode<Id>>,
  spans: Int32Array,
  method: string,
  url: string,
): RouterMatch<Id> | undefined {
  const start = pathStart(url);
  if (start < 0) return undefined;

  let end = pathEnd(url, start);
  if (end - start > 1 && url.charCodeAt(end - 1) === SLASH) end -= 1;

  const tree = trees.get(method) ?? trees.get(method.toUpperCase());
  const found = find(tree, url, start, end, spans);
  if (found !== undefined || method.toUpperCase() !== "HEAD") return found;
  return find(trees.get("GET"), url, start, end, spans);
}

/** Where the path starts: 0 for a bare path, after the host for an absolute URL, -1 for neither. */
function pathStart(url: string): number {
  if (url.charCodeAt(0) === SLASH) return 0;

  const scheme = url.indexOf("://");
  if (scheme <= 0) return -1;
  const host = scheme + 3;
  return Math.min(
    indexOrEnd(url, "/", host),
    indexOrEnd(url, "?", host),
    indexOrEnd(url, "#", host),
  );
}

function pathEnd(url: string, start: number): number {
  return Math.min(indexOrEnd(url, "?", start), indexOrEnd(url, "#", start));
}

function indexOrEnd(url: string, char: string, from: number): number {
  const at = url.indexOf(char, from);
  return at < 0 ? url.length : at;
}

function find<Id extends string>(
  tree: TreeNode<Id> | undefined,
  url: string,
  start: number,
  end: number,
  spans: Int32Array,
): RouterMatch<Id> | undefined {
  if (tree === undefined) return undefined;

  const leaf = end - start <= 1 ? tree.leaf : walk(tree, url, start + 1, end, spans, 0);
  return leaf === undefined ? undefined : decodeParams(leaf, url, spans);
}

/**
 * Matches the segment at `start` and the rest of the path below `node`, static branch first.
 * `taken` parameters came before; this one's offsets go after theirs in `spans`.
 */
function walk<Id extends string>(
  node: TreeNode<Id>,
  url: string,
  start: number,
  end: number,
  spans: Int32Array,
  taken: number,
): Leaf<Id> | undefined {
  let stop = url.indexOf("/", start);
  if (stop < 0 || stop > end) stop = end;
  if (stop === start) return undefined;
  const last = stop === end;

  const child = staticChild(node, url, start, stop);
  if (child !== undefined) {
    const leaf = last ? child.leaf : walk(child, url, stop + 1, end, spans, taken);
    if (leaf !== undefined) return leaf;
  }

  const param = node.param;
  if (param === undefined) return undefined;
  spans[2 * taken] = start;
  spans[2 * taken + 1] = stop;
  return last ? param.leaf : walk(param, url, stop + 1, end, spans, taken + 1);
}

function staticChild<Id extends string>(
  node: TreeNode<Id>,
  url: string,
  start: number,
  stop: number,
): TreeNode<Id> | undefined {
  if (node.lookup !== undefined) return node.lookup.get(url.slice(start, stop));

  // Comparing in place allocates nothing, which beats slicing the segment for a handful of keys.
  const length = stop - start;
  const keys = node.keys;
  for (let i = 0; i < keys.length; i++) {
    const key = keys[i];
    if (key !== undefined && key.length === length && sameText(url, start, key)) {
      return node.children[i];
    }
  }
  return undefined;
}

/** Whether `key` is in `url` at `start`; a plain loop, faster in V8 than `startsWith` there. */
function sameText(url: string, start: number, key: string): boolean {
  for (let i = 0; i < key.length; i++) {
    if (url.charCodeAt(start + i) !== key.charCodeAt(i)) return false;
  }
  return true;
}

function decodeParams<Id extends string>(
  leaf: Leaf<Id>,
  url: string,
  spans: Int32Array,
): RouterMatch<Id> | undefined {
  // No prototype: a parameter named like an Object.prototype member is only ever its value.
  const params = Object.create(null) as Record<string, string>;

  for (let i = 0; i < leaf.names.length; i++) {
    const name = leaf.names[i];
    const value = decodeValue(url.slice(spans[2 * i], spans[2 * i + 1]));
    if (name === undefined || value === undefined) return undefined;
    params[name] = value;
  }
  return { id: leaf.id, params };
}

function decodeValue(raw: string): string | undefined {
  if (!raw.includes("%")) return raw;
  try {
    return decodeURIComponent(raw);
  } catch {
    return undefined;
  }
}

function encodeValue(template: string, name: string, value: string | undefined): string {
  const where = `path parameter "${name}" of ${template}`;
  if (typeof value !== "string") {
    throw new TypeError(`${where} is missing; pass it as a string`);
  }
  if (value === "" || value === "." || value === "..") {
    throw new RangeError(
      `${where} is ${JSON.stringify(value)}, which would change the path; pass a real value`,
    );
  }
  try {
    return encodeURIComponent(value);
  } catch {
    throw new RangeError(`${where} holds a lone surrogate, which no URL can carry; fix the string`);
  }
}
