// Synthetic specs of any size for the benchmarks: the same routes, bytes and files every time for a
// given route count, shaped like real cloud APIs (see `syntheticSpecs`), and the same routes as an
// OpenAPI 3.0 document for the openapi-typescript comparison.
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";

/** Routes per spec file the service count aims at; ten services hold 100,000 routes. */
const ROUTES_PER_SERVICE = 10_000;

const SERVICES = [
  "compute", "storage", "network", "database", "identity", "monitor", "registry", "functions",
  "gateway", "messaging", "analytics", "backup", "search", "cache", "dns", "queue",
];

const ADJECTIVES = [
  "blue", "red", "green", "amber", "silver", "golden", "rapid", "quiet", "bright", "dark",
  "north", "south", "east", "west", "inner", "outer", "prime", "spare", "cold", "warm",
  "shared", "private", "public", "edge", "core", "global", "local", "mobile", "stable", "canary",
];

/** Singular nouns whose plural adds an `s`; none of the plurals is a word in `STATIC_WORDS`. */
const NOUNS = [
  "cluster", "node", "disk", "snapshot", "volume", "image", "job", "version", "log", "metric",
  "endpoint", "key", "member", "rule", "alarm", "bucket", "object", "record", "zone", "topic",
  "stream", "trigger", "layer", "certificate", "domain", "route", "subnet", "port", "user", "role",
  "instance", "backup", "replica", "table", "dataset", "model", "notebook", "workspace",
  "pipeline", "artifact", "secret", "template", "task", "schedule", "flavor", "listener",
];

/** How many child resources a resource at each depth has at most; nothing nests deeper. */
const MAX_CHILDREN = [3, 3, 2, 1];

const TABLE_COLUMNS = ["Permission", "API", "Action", "IAM Project", "Enterprise Project"];

/**
 * A deterministic PRNG (mulberry32): 32 bits of state, floats in [0, 1). The benchmarks need the
 * same specs on every run, so nothing here may touch `Math.random`.
 */
export function prng(seed) {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * The specs of `routeCount` routes, one per service, as spec objects (`generator/spec/types.ts`).
 *
 * Each service is a forest of resources under `/vN/{project_id}` (a few without the project, so a
 * static segment sits beside `{project_id}`). A resource has a collection path and an item path
 * `.../{x_id}`, optional static siblings of the item (`summary`, `group`, `batch-delete`), item
 * operations (`start`, `stop`, `status`, `tags`) and up to four levels of child resources.
 * Some rows need several actions, some none (`noAction`), and the enterprise-project scope varies.
 */
export function syntheticSpecs(routeCount) {
  if (!Number.isInteger(routeCount) || routeCount < 1) {
    throw new RangeError(`route count ${routeCount} must be a positive integer`);
  }
  const random = prng(0x5eed ^ routeCount);
  const names = topLevelNames(random);
  const budgets = splitBudget(routeCount, serviceCount(routeCount), random);

  return budgets.map((budget, index) => {
    const service = SERVICES[index % SERVICES.length];
    const version = `v${1 + (index % 3)}`;
    return specOf(service, serviceRoutes(service, version, budget, names, random));
  });
}

/**
 * Writes `syntheticSpecs(routeCount)` as canonical spec files, `<service>.yaml`, into `dir` and
 * returns their paths and the specs. `formatSpec` defaults to the compiled canonical writer.
 */
export async function writeSyntheticSpecs(dir, routeCount, formatSpec = undefined) {
  const format = formatSpec ?? (await import("../dist/generator/spec/format.js")).formatSpec;
  const specs = syntheticSpecs(routeCount);
  mkdirSync(dir, { recursive: true });

  const files = specs.map((spec) => {
    const file = join(dir, `${spec.service}.yaml`);
    const comment = ` Synthetic benchmark spec (bench/synthetic.mjs), ${routeCount} routes in all.`;
    writeFileSync(file, format(spec, comment));
    return file;
  });
  return { files, specs };
}

/** The specs' routes as an OpenAPI 3.0 document: one operation per route, ids as operationIds. */
export function toOpenApi(specs) {
  const paths = {};
  const schemas = {};

  for (const spec of specs) {
    for (const permission of spec.permissions) {
      const type = resourceSchemaName(spec, permission);
      schemas[type] ??= resourceSchema();
      const item = (paths[permission.path] ??= { parameters: pathParameters(permission.path) });
      item[permission.method.toLowerCase()] = operation(spec, permission, type);
    }
  }
  return {
    openapi: "3.0.3",
    info: { title: "permgen synthetic benchmark API", version: "1.0.0" },
    paths,
    components: { schemas },
  };
}

function serviceCount(routeCount) {
  const wanted = Math.ceil(routeCount / ROUTES_PER_SERVICE);
  return Math.min(SERVICES.length, routeCount, Math.max(3, wanted));
}

/** Shares of the routes per service: at least one each, otherwise weighted from 0.5 to 1.5. */
function splitBudget(total, parts, random) {
  const weights = Array.from({ length: parts }, () => 0.5 + random());
  const sum = weights.reduce((a, b) => a + b, 0);
  const budgets = weights.map((w) => 1 + Math.floor(((total - parts) * w) / sum));
  budgets[0] += total - budgets.reduce((a, b) => a + b, 0);
  return budgets;
}

/**
 * Top-level resource names, unique across every service (routes of all specs share one table):
 * `blue-cluster`, then with a round number once every adjective-noun pair is taken.
 */
function topLevelNames(random) {
  const pairs = ADJECTIVES.flatMap((adjective) => NOUNS.map((noun) => [adjective, noun]));
  shuffle(pairs, random);
  let next = 0;

  return () => {
    const [adjective, noun] = pairs[next % pairs.length];
    const round = Math.floor(next / pairs.length);
    next += 1;
    return round === 0 ? [adjective, noun] : [adjective, `${noun}${round + 1}`];
  };
}

/** Exactly `budget` route rows of one service. */
function serviceRoutes(service, version, budget, names, random) {
  const rows = [];
  while (rows.length < budget) {
    const words = names();
    const root = random() < 0.05 ? `/${version}` : `/${version}/{project_id}`;
    const resource = {
      service,
      type: camel(words),
      chain: [],
      noun: words.join(" "),
      owner: "",
      collection: `${root}/${words.join("-")}s`,
      param: `${words.join("_")}_id`,
      parentGet: undefined,
    };
    addResource(resource, 0, rows, budget, random);
  }
  return rows.slice(0, budget);
}

/** The rows of one resource and, below its item path, of its children. */
function addResource(resource, depth, rows, budget, random) {
  const item = `${resource.collection}/{${resource.param}}`;
  const add = (row) => rows.push({ ...row, scopes: scopes(random) });

  for (const row of resourceRows(resource, item, random)) add(row);
  const children = Math.floor(random() * ((MAX_CHILDREN[depth] ?? 0) + 1));
  const nouns = pick(NOUNS.filter((noun) => !resource.chain.includes(noun)), children, random);

  for (const noun of nouns) {
    if (rows.length >= budget) return;
    const child = {
      service: resource.service,
      type: resource.type,
      chain: [...resource.chain, noun],
      noun,
      owner: ` of a ${resource.noun}${resource.owner}`,
      collection: `${item}/${noun}s`,
      param: `${noun}_id`,
      parentGet: action(resource, "get"),
    };
    addResource(child, depth + 1, rows, budget, random);
  }
}

/** How each kind of row describes its resource; each verb fits its method for `lint`. */
const DESCRIPTIONS = {
  list: (one, of) => `Listing ${one}s${of}`,
  create: (one, of) => `Creating a ${one}${of}`,
  get: (one, of) => `Querying a ${one}${of}`,
  update: (one, of) => `Modifying a ${one}${of}`,
  patch: (one, of) => `Updating a ${one}${of} in part`,
  delete: (one, of) => `Deleting a ${one}${of}`,
  getSummary: (one, of) => `Querying the summary of ${one}s${of}`,
  listGroups: (one, of) => `Listing groups of ${one}s${of}`,
  batchDelete: (one, of) => `Deleting ${one}s${of} in a batch`,
  start: (one, of) => `Starting a ${one}${of}`,
  stop: (one, of) => `Stopping a ${one}${of}`,
  getStatus: (one, of) => `Querying the status of a ${one}${of}`,
  tag: (one, of) => `Adding tags to a ${one}${of}`,
};

/** Collection, item, static-sibling and item-operation rows, each included with some chance. */
function resourceRows(r, item, random) {
  const a = (verb) => action(r, verb);
  const parent = r.parentGet ? [r.parentGet] : [];
  const rows = [];
  const add = (verb, method, path, actions, extra = {}) => {
    const id = camel([verb, r.type, ...r.chain]);
    const description = DESCRIPTIONS[verb](r.noun, r.owner);
    rows.push({ id, description, method, path, actions, ...extra });
  };
  const maybe = (chance, ...args) => random() < chance && add(...args);

  add("list", "GET", r.collection, [a("list")], { query: listQuery(random) });
  maybe(0.8, "create", "POST", r.collection, [a("create"), ...parent]);
  add("get", "GET", item, [a("get")]);
  maybe(0.6, "update", "PUT", item, [a("update")]);
  maybe(0.2, "patch", "PATCH", item, [a("update")]);
  maybe(0.8, "delete", "DELETE", item, [a("delete")]);

  maybe(0.3, "getSummary", "GET", `${r.collection}/summary`, [a("getSummary")]);
  maybe(0.2, "listGroups", "GET", `${r.collection}/group`, [], { noAction: "-" });
  maybe(0.2, "batchDelete", "POST", `${r.collection}/batch-delete`, [a("delete"), a("list")]);
  if (random() < 0.3) {
    add("start", "POST", `${item}/start`, [a("start"), a("get")]);
    add("stop", "POST", `${item}/stop`, [a("stop"), a("get")]);
  }
  maybe(0.2, "getStatus", "GET", `${item}/status`, [], { noAction: "N/A" });
  maybe(0.15, "tag", "POST", `${item}/tags`, [a("tag")]);
  return rows;
}

/** `service:resourceType:verbChain`, such as `compute:blueCluster:listNodeDisk`. */
function action(resource, verb) {
  return `${resource.service}:${resource.type}:${camel([verb, ...resource.chain])}`;
}

function listQuery(random) {
  return random() < 0.3 ? ["limit", "offset"] : undefined;
}

function scopes(random) {
  return { iamProject: random() < 0.95, enterpriseProject: random() < 0.7 };
}

function specOf(service, rows) {
  const title = `${service.charAt(0).toUpperCase()}${service.slice(1)} Permissions`;
  return {
    service,
    source: {
      page: `${service}_synthetic_permissions`,
      title,
      tables: [{ caption: `Fine-grained permissions of ${service}`, columns: [...TABLE_COLUMNS] }],
    },
    permissions: rows.map(permissionOf),
  };
}

function permissionOf(r) {
  const permission = { id: r.id, description: r.description, method: r.method, path: r.path };
  if (r.query) permission.query = r.query;
  permission.actions = r.actions;
  if (r.actions.length === 0) permission.noAction = r.noAction ?? "-";
  permission.scopes = r.scopes;
  return permission;
}

function operation(spec, permission, type) {
  const ref = { $ref: `#/components/schemas/${type}` };
  const list = permission.method === "GET" && permission.id.startsWith("list");
  const page = { items: { type: "array", items: ref }, total: { type: "integer" } };
  const schema = list ? { type: "object", properties: page } : ref;
  const parameters = (permission.query ?? []).map((name) => ({
    name,
    in: "query",
    schema: { type: "integer" },
  }));

  return {
    operationId: permission.id,
    summary: permission.description,
    tags: [spec.service],
    ...(parameters.length > 0 ? { parameters } : {}),
    responses: { 200: { description: "OK", content: { "application/json": { schema } } } },
  };
}

function pathParameters(path) {
  return [...path.matchAll(/\{([^}]+)\}/g)].map(([, name]) => ({
    name,
    in: "path",
    required: true,
    schema: { type: "string" },
  }));
}

/** One schema per resource type, named after the service and the type of the row's first action. */
function resourceSchemaName(spec, permission) {
  const type = permission.actions[0]?.split(":")[1] ?? permission.id;
  return `${spec.service}_${type}`;
}

function resourceSchema() {
  return {
    type: "object",
    required: ["id", "name"],
    properties: {
      id: { type: "string" },
      name: { type: "string" },
      status: { type: "string", enum: ["creating", "running", "stopped", "failed"] },
      created_at: { type: "string", format: "date-time" },
    },
  };
}

function camel(words) {
  const parts = words.flatMap((w) => w.split(/[^A-Za-z0-9]+/)).filter(Boolean);
  return parts.map((p, i) => (i === 0 ? p : p.charAt(0).toUpperCase() + p.slice(1))).join("");
}

/** `count` distinct items of `items`, in a random order. */
function pick(items, count, random) {
  return shuffle([...items], random).slice(0, count);
}

function shuffle(items, random) {
  for (let i = items.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [items[i], items[j]] = [items[j], items[i]];
  }
  return items;
}
