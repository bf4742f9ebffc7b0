/**
 * Operation ids: camelCase names made from a row's description ("Creating a Training Job" gives
 * `createTrainingJob`), unique within the spec, and stable across re-imports because a row that
 * matches an entry of the existing spec keeps that entry's id whatever its new wording.
 */
import { actionName, routesOf, type Permission } from "../spec/types.js";

/** Gerunds whose verb the suffix rules below would get wrong. */
const VERBS: Readonly<Record<string, string>> = {
  creating: "create",
  deleting: "delete",
  changing: "change",
  arranging: "arrange",
  writing: "write",
  describing: "describe",
  invoking: "invoke",
  sharing: "share",
  storing: "store",
  cloning: "clone",
  restoring: "restore",
  resuming: "resume",
  freezing: "freeze",
  unfreezing: "unfreeze",
  scaling: "scale",
  cancelling: "cancel",
  completing: "complete",
  compiling: "compile",
  merging: "merge",
  ranking: "rank",
  making: "make",
  taking: "take",
  naming: "name",
  renaming: "rename",
  continuing: "continue",
  issuing: "issue",
  queuing: "queue",
  subscribing: "subscribe",
  unsubscribing: "unsubscribe",
  retiring: "retire",
  archiving: "archive",
  acquiring: "acquire",
};

const ARTICLES = new Set(["a", "an", "the"]);

/** A description's id before it is made unique: `Viewing a Training Job` -> `viewTrainingJob`. */
export function operationId(description: string): string {
  const words = description
    .split(/[^A-Za-z0-9]+/)
    .filter((word) => word !== "" && !ARTICLES.has(word.toLowerCase()));
  if (words.length === 0) return "operation";

  const verbs = words.map((word, index) => {
    const first = index === 0;
    const afterJoin =
      index > 1 && /^(or|and)$/i.test(words[index - 1] ?? "") && isGerund(words[0] ?? "");
    return first || afterJoin ? baseVerb(word) : word;
  });

  const id = verbs
    .map((word, index) => (index === 0 ? word.toLowerCase() : capitalize(word)))
    .join("");
  return /^[a-z]/.test(id) ? id : `op${capitalize(id)}`;
}

function isGerund(word: string): boolean {
  return word.length > 4 && /ing$/i.test(word);
}

/** The verb of a gerund (`Stopping` -> `stop`, `Saving` -> `save`); other words as they are. */
function baseVerb(word: string): string {
  if (!isGerund(word)) return word;

  const lower = word.toLowerCase();
  const known = VERBS[lower];
  if (known) return known;

  const stem = lower.slice(0, -3);
  if (/([bdgmnprt])\1$/.test(stem) && !stem.endsWith("dd")) return stem.slice(0, -1);
  if (/(?:[^e]at|ut|iz|yz|v|bl|pl|gl|dl|tl|c|rg|dg|ag|ur|id|od|ud|as|us|os)$/.test(stem))
    return `${stem}e`;
  return stem;
}

function capitalize(word: string): string {
  return word.charAt(0).toUpperCase() + word.slice(1);
}

/**
 * Pairs each new entry with an existing one, one to one, trying in turn: the same routes (method
 * and path); the same actions and description; the same description. Among several candidates
 * the one agreeing on more (description, then actions) wins, then the earliest.
 */
export function matchExisting(
  entries: readonly Permission[],
  existing: readonly Permission[],
): Array<number | undefined> {
  const matches: Array<number | undefined> = entries.map(() => undefined);
  const taken = new Set<number>();
  const passes: Array<(p: Permission) => string> = [
    (p) => routeKey(p),
    (p) => (p.description ? `${actionKey(p)}\u0000${p.description}` : ""),
    (p) => p.description,
  ];

  for (const key of passes) {
    const byKey = indexByKey(existing, key);
    entries.forEach((entry, index) => {
      const own = key(entry);
      if (matches[index] !== undefined || own === "") return;
      const found = bestCandidate(entry, existing, byKey.get(own) ?? [], taken);
      if (found !== undefined) {
        matches[index] = found;
        taken.add(found);
      }
    });
  }
  return matches;
}

/** The existing entries' indexes by key, so that each new entry looks at its candidates only. */
function indexByKey(
  existing: readonly Permission[],
  key: (p: Permission) => string,
): Map<string, number[]> {
  const byKey = new Map<string, number[]>();
  existing.forEach((candidate, index) => {
    const k = key(candidate);
    const group = byKey.get(k);
    if (group) group.push(index);
    else byKey.set(k, [index]);
  });
  return byKey;
}

function bestCandidate(
  entry: Permission,
  existing: readonly Permission[],
  candidates: readonly number[],
  taken: ReadonlySet<number>,
): number | undefined {
  let best: number | undefined;
  let bestScore = -1;
  for (const index of candidates) {
    const candidate = existing[index];
    if (!candidate || taken.has(index)) continue;
    const score =
      (candidate.description === entry.description ? 2 : 0) +
      (actionKey(candidate) === actionKey(entry) ? 1 : 0);
    if (score > bestScore) {
      best = index;
      bestScore = score;
    }
  }
  return best;
}

function routeKey(p: Permission): string {
  return routesOf(p)
    .map((route) => `${route.method} ${route.path}`)
    .join("\n");
}

function actionKey(p: Permission): string {
  return p.actions.map(actionName).join("\n");
}

/**
 * Final ids: a matched entry keeps its existing id; every other entry gets the id of its
 * description, with `2`, `3`, ... appended in page order when that id is already used.
 */
export function assignIds(
  entries: readonly Permission[],
  matches: ReadonlyArray<number | undefined>,
  existing: readonly Permission[],
): string[] {
  const kept = matches.map((match) => (match === undefined ? undefined : existing[match]?.id));
  const used = new Set(kept.filter((id): id is string => id !== undefined));
  // The next number to try per base id, so that many rows of one wording do not recount.
  const next = new Map<string, number>();

  return entries.map((entry, index) => {
    const keep = kept[index];
    if (keep !== undefined) return keep;

    const base = operationId(entry.description);
    let id = base;
    let n = next.get(base) ?? 2;
    for (; used.has(id); n++) id = `${base}${n}`;
    next.set(base, n);
    used.add(id);
    return id;
  });
}
