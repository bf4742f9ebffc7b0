// Summarises a `node --cpu-prof` profile: the functions that took the most time, by self time and
// by inclusive time (a function counted once per sample however often it recurs).
//   node bench/cpu-profile.mjs FILE.cpuprofile [TOP] [FRAME]
// FRAME keeps only samples with a frame containing that text, such as `profmatch.mjs` or
// `emitActions`, so a setup phase does not hide the part being studied. Time spent after an
// `await` is charged to the frames that resumed it, not to the caller that awaited.
import { readFileSync } from "node:fs";

const [file, topArg = "30", frame] = process.argv.slice(2);
if (!file) {
  console.error("usage: node bench/cpu-profile.mjs FILE.cpuprofile [TOP] [FRAME]");
  process.exit(2);
}

const profile = JSON.parse(readFileSync(file, "utf8"));
const nodes = new Map(profile.nodes.map((node) => [node.id, node]));
const parents = new Map();
for (const node of profile.nodes) {
  for (const child of node.children ?? []) parents.set(child, node.id);
}

const { self, inclusive, total } = attribute(sampleTimes(profile));
print("self time", self, total);
print("inclusive time", inclusive, total);

/** Microseconds per profile node, from the sample list and its time deltas. */
function sampleTimes({ samples, timeDeltas }) {
  const times = new Map();
  samples.forEach((id, i) => times.set(id, (times.get(id) ?? 0) + (timeDeltas[i] ?? 0)));
  return times;
}

function attribute(times) {
  const self = new Map();
  const inclusive = new Map();
  let total = 0;

  for (const [id, micros] of times) {
    const stack = stackOf(id);
    if (frame && !stack.some((name) => name.includes(frame))) continue;
    total += micros;
    add(self, stack[0], micros);
    for (const name of new Set(stack)) add(inclusive, name, micros);
  }
  return { self, inclusive, total };
}

/** The frame names from the sampled node up to the root. */
function stackOf(id) {
  const names = [];
  for (let at = id; at !== undefined; at = parents.get(at)) names.push(nameOf(nodes.get(at)));
  return names;
}

function nameOf({ callFrame }) {
  const url = callFrame.url
    .replace(/^.*\/node_modules\//, "npm:")
    .replace(/^file:\/\/.*\/(dist|bench)\//, "$1/")
    .replace(/^file:\/\//, "");
  return `${callFrame.functionName || "(anonymous)"} ${url}:${callFrame.lineNumber + 1}`;
}

function add(map, key, micros) {
  map.set(key, (map.get(key) ?? 0) + micros);
}

function print(title, map, total) {
  const scope = frame ? ` under ${JSON.stringify(frame)}` : "";
  console.log(`\n${title}${scope}: ${(total / 1e6).toFixed(1)} s sampled`);
  const rows = [...map].sort((a, b) => b[1] - a[1]).slice(0, Number(topArg));
  for (const [name, micros] of rows) {
    const share = `${((100 * micros) / total).toFixed(1)}%`.padStart(6);
    console.log(`${share} ${(micros / 1e6).toFixed(1).padStart(7)} s  ${name}`);
  }
}
