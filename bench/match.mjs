// Lookups per second of the generated `matchRoute` beside find-my-way (default and compiled
// modes) with the same routes and the same requests, for the real spec and a synthetic one of
// 1,000 routes. The routes module is the one `generate` writes (rendered in memory, compiled by
// TypeScript), so this times what a consumer runs. Before timing, the routers must agree on the
// route and parameters of every URL.
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { median, printTable } from "./stats.mjs";
import { prng, writeSyntheticSpecs } from "./synthetic.mjs";

const root = fileURLToPath(new URL("..", import.meta.url));
const require = createRequire(import.meta.url);
const findMyWay = require("find-my-way");
const ts = require("typescript");

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 7);
/** Each timed round runs the whole request list this long, about. */
const ROUND_MS = 250;
const SYNTHETIC_ROUTES = 1000;

/** Times the routers on the real spec and on a synthetic spec; prints and returns the rates. */
export async function benchMatch() {
  const work = mkdtempSync(join(tmpdir(), "permgen-match-"));
  try {
    const specDir = join(work, "spec");
    await writeSyntheticSpecs(specDir, SYNTHETIC_ROUTES);
    return {
      real: await compare("spec/ (real)", [join(root, "spec")], join(work, "real")),
      synthetic: await compare("synthetic", [specDir], join(work, "synthetic")),
    };
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

async function compare(label, specPaths, dir) {
  const routes = await loadRoutesModule(specPaths, dir);
  const table = Object.entries(routes.routes).map(([id, r]) => ({ id, ...r }));
  const fmw = findMyWayRouter(table);
  const compiled = findMyWayRouter(table).compile();
  const requests = requestMix(table);

  const hits = agree(routes.matchRoute, fmw, requests, label);
  agree(routes.matchRoute, compiled, requests, `${label}, find-my-way compiled`);
  const rates = timeAll(routes.matchRoute, fmw, compiled, requests);

  const title =
    `Route matching, ${label}: ${table.length} routes, ${requests.urls.length} URLs ` +
    `(${hits} hits), thousand lookups/s, median of ${ROUNDS} rounds; ratio to find-my-way`;
  printTable(title, [
    ["find-my-way find()", rates.findMyWay / 1e3, 1],
    ["find-my-way find(), compile()d", rates.compiled / 1e3, rates.compiled / rates.findMyWay],
    ["permgen matchRoute()", rates.permgen / 1e3, rates.permgen / rates.findMyWay],
  ]);
  return { routes: table.length, urls: requests.urls.length, ...rates };
}

/**
 * Renders the project in memory as `generate` would, then compiles `routes.ts` and the runtime
 * beside it to JavaScript in `dir` and imports the result.
 */
export async function loadRoutesModule(specPaths, dir) {
  const { render } = await import("../dist/generator/pipeline.js");
  const rendered = await render({ spec: specPaths, templates: join(root, "templates"), cwd: root });
  if (!rendered.output) {
    const errors = rendered.diagnostics.filter((d) => d.severity === "error");
    throw new Error(`the spec does not lint: ${errors.map((d) => d.message).join("; ")}`);
  }

  writeFileSync(join(mkdirp(dir), "package.json"), '{ "type": "module" }\n');
  for (const [path, text] of rendered.output) {
    if (path !== "routes.ts" && !path.startsWith("runtime/")) continue;
    if (!path.endsWith(".ts")) continue;
    const js = ts.transpileModule(text, {
      compilerOptions: { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2022 },
      fileName: path,
    }).outputText;
    const out = join(dir, path.replace(/\.ts$/, ".js"));
    mkdirp(dirname(out));
    writeFileSync(out, js);
  }
  return import(pathToFileURL(join(dir, "routes.js")).href);
}

function findMyWayRouter(table) {
  const router = findMyWay({ ignoreTrailingSlash: true });
  for (const route of table) {
    router.on(route.method, route.path.replace(/\{(\w+)\}/g, ":$1"), () => {}, { id: route.id });
  }
  return router;
}

const VALUES = ["a1b2c3", "0f3e9d2c41", "job-42", "my%20job", "x"];
/** Segments some routes have beside a parameter: as a value they test the fallback to it. */
const SIBLING_WORDS = ["summary", "group", "status", "batch-delete", "training-jobs", "start"];

/**
 * The requests both routers answer, in a fixed shuffled order: every route hit plainly, with a
 * query string and with a trailing slash; a parameter given a static sibling's name; and misses
 * (an extra segment, an unknown segment, another method).
 */
export function requestMix(table) {
  const random = prng(0x3a7c4 ^ table.length);
  const pick = (items) => items[Math.floor(random() * items.length)];
  const requests = [];
  const add = (method, url) => requests.push([method, url]);

  for (const route of table) {
    const values = route.params.map(() => pick(VALUES));
    const url = fill(route.path, route.params, values);
    add(route.method, url);
    add(route.method, `${url}?${queryOf(route, random)}`);
    if (random() < 0.2) add(route.method, `${url}/`);
    if (route.params.length > 0) {
      const at = Math.floor(random() * values.length);
      const sibling = values.map((v, i) => (i === at ? pick(SIBLING_WORDS) : v));
      add(route.method, fill(route.path, route.params, sibling));
    }
    add(route.method, `${url}/no-such-thing`);
    add(route.method, fill(unknownSegment(route.path), route.params, values));
    if (random() < 0.5) add(pick(["GET", "POST", "PUT", "DELETE", "PATCH"]), url);
  }
  shuffle(requests, random);
  return { methods: requests.map(([m]) => m), urls: requests.map(([, u]) => u) };
}

function fill(path, names, values) {
  return names.reduce((p, name, i) => p.replace(`{${name}}`, values[i]), path);
}

/** The template with its last static segment replaced by one no route has. */
function unknownSegment(path) {
  const segments = path.split("/");
  const last = segments.findLastIndex((s, i) => i > 0 && !s.startsWith("{"));
  if (last > 0) segments[last] = "unknown-thing";
  return segments.join("/");
}

function queryOf(route, random) {
  const names = route.query.length > 0 ? route.query : ["marker"];
  return names.map((name) => `${name}=${Math.floor(random() * 100)}`).join("&");
}

/**
 * Fails unless both routers pick the same route and the same decoded parameters for every URL;
 * returns how many URLs hit a route.
 */
function agree(matchRoute, fmw, requests, label) {
  const problems = [];
  let hits = 0;
  requests.urls.forEach((url, i) => {
    const method = requests.methods[i];
    const ours = matchRoute(method, url);
    const theirs = fmw.find(method, url);
    const a = ours === undefined ? "miss" : `${ours.id} ${canonical(ours.params)}`;
    const b = theirs === null ? "miss" : `${theirs.store.id} ${canonical(theirs.params)}`;
    if (a !== b) problems.push(`${method} ${url}: permgen ${a}, find-my-way ${b}`);
    if (ours !== undefined) hits += 1;
  });
  if (problems.length > 0) {
    const shown = problems.slice(0, 10).join("\n  ");
    throw new Error(`${label}: the routers disagree on ${problems.length} URLs:\n  ${shown}`);
  }
  return hits;
}

function canonical(params) {
  return JSON.stringify(Object.entries({ ...params }).sort(([a], [b]) => (a < b ? -1 : 1)));
}

/**
 * Alternates the routers round by round so that each sees the same machine state; each loop is
 * its own function, so no call site sees another router's types.
 */
function timeAll(matchRoute, fmw, compiled, requests) {
  const { methods, urls } = requests;
  const loops = {
    permgen: (n) => {
      let sink = 0;
      for (let k = 0; k < n; k++) {
        for (let i = 0; i < urls.length; i++) {
          sink += matchRoute(methods[i], urls[i]) === undefined ? 0 : 1;
        }
      }
      return sink;
    },
    findMyWay: (n) => {
      let sink = 0;
      for (let k = 0; k < n; k++) {
        for (let i = 0; i < urls.length; i++) {
          sink += fmw.find(methods[i], urls[i]) === null ? 0 : 1;
        }
      }
      return sink;
    },
    compiled: (n) => {
      let sink = 0;
      for (let k = 0; k < n; k++) {
        for (let i = 0; i < urls.length; i++) {
          sink += compiled.find(methods[i], urls[i]) === null ? 0 : 1;
        }
      }
      return sink;
    },
  };

  const passes = {};
  const samples = {};
  for (const [name, loop] of Object.entries(loops)) {
    passes[name] = calibrate(loop);
    samples[name] = [];
  }
  for (let round = 0; round < ROUNDS; round++) {
    for (const [name, loop] of Object.entries(loops)) {
      samples[name].push(rate(loop, passes[name], urls.length));
    }
  }
  return Object.fromEntries(Object.entries(samples).map(([name, s]) => [name, median(s)]));
}

/** Warms a loop up and returns how many passes over the requests take about `ROUND_MS`. */
function calibrate(loop) {
  let passes = 1;
  for (;;) {
    const start = performance.now();
    loop(passes);
    const ms = performance.now() - start;
    if (ms >= ROUND_MS / 4) return Math.max(1, Math.round((passes * ROUND_MS) / ms));
    passes *= 2;
  }
}

function rate(loop, passes, perPass) {
  const start = process.hrtime.bigint();
  const sink = loop(passes);
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  if (sink < 0) throw new Error("unreachable: keeps the loop's result alive");
  return (passes * perPass) / seconds;
}

function shuffle(items, random) {
  for (let i = items.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [items[i], items[j]] = [items[j], items[i]];
  }
}

function mkdirp(dir) {
  mkdirSync(dir, { recursive: true });
  return dir;
}
