/**
 * Compares two versions of the specs and lists every change with its severity for the consumers
 * of the generated package (the classification is `SPEC_CHANGE_KINDS` in `change.ts`).
 *
 * Operations are matched by id across all the specs given, since route ids are unique across them.
 * An id that vanished while a new one appeared with exactly the same routes (method and path) is
 * taken for a renamed id; when several candidates share those routes, one that needs the same
 * actions wins, then the first in spec order. Moving an operation to another spec file is not a
 * change by itself; the file-level fields (service, source, policy sets) compare file by file.
 */
import { actionName, type Permission, type PolicySet, type Spec } from "../spec/types.js";
import {
  change,
  sortChanges,
  type Change,
  type ChangeDetail,
  type SpecChangeKind,
} from "./change.js";
import {
  actionNames,
  diffPermission,
  routesText,
  stable,
  wording,
  type ActionRename,
} from "./permission-diff.js";

/** One spec file in its two versions; a side is missing when the file was added or removed. */
export interface SpecPair {
  /** The file as messages name it, such as `spec/modelarts-service.yaml`. */
  file: string;
  before?: Spec;
  after?: Spec;
}

/** Every change between two versions of a set of spec files, most severe first. */
export function diffSpecs(pairs: readonly SpecPair[]): Change[] {
  const changes = pairs.flatMap(diffFile);
  const before = pairs.flatMap((p) => p.before?.permissions ?? []);
  const after = pairs.flatMap((p) => p.after?.permissions ?? []);

  const operations = diffOperations(before, after);
  changes.push(...operations.changes, ...diffActionList(before, after, operations.actionRenames));
  return sortChanges(changes);
}

/** Every change between two versions of one spec, most severe first. */
export function diffSpec(before: Spec, after: Spec, file = "spec"): Change[] {
  return diffSpecs([{ file, before, after }]);
}

type Add = (kind: SpecChangeKind, id: string, message: string, detail?: ChangeDetail) => void;

function collector(): { changes: Change[]; add: Add } {
  const changes: Change[] = [];
  return {
    changes,
    add: (kind, id, message, detail) => changes.push(change(kind, id, message, detail)),
  };
}

function diffOperations(before: readonly Permission[], after: readonly Permission[]) {
  const { changes, add } = collector();
  const actionRenames: ActionRename[] = [];
  const newIds = new Set(after.map((p) => p.id));
  const oldIds = new Set(before.map((p) => p.id));
  const vanished = before.filter((p) => !newIds.has(p.id));
  const appeared = after.filter((p) => !oldIds.has(p.id));
  const renamed = pairRenamedIds(vanished, appeared);

  for (const old of before) {
    const now = after.find((p) => p.id === old.id) ?? renamed.get(old);
    if (!now) {
      add("operation-removed", old.id, `operation removed: ${routesText(old)}`, {
        before: routesText(old),
      });
      continue;
    }

    const idRenamed = now.id !== old.id;
    if (idRenamed) {
      const routes = routesText(now);
      const message = `id ${old.id} -> ${now.id} (same ${routes}); RouteId consumers must rename`;
      add("id-renamed", now.id, message, { field: "id", before: old.id, after: now.id });
    }
    const diff = diffPermission(old, now, idRenamed);
    changes.push(...diff.changes);
    actionRenames.push(...diff.actionRenames);
  }

  const paired = new Set(renamed.values());
  for (const now of appeared.filter((p) => !paired.has(p))) {
    add("operation-added", now.id, `operation added: ${routesText(now)}`, {
      after: routesText(now),
    });
  }
  return { changes, actionRenames };
}

/** Pairs vanished ids with new ones that have the same routes; see the module comment. */
function pairRenamedIds(
  vanished: readonly Permission[],
  appeared: readonly Permission[],
): Map<Permission, Permission> {
  const pairs = new Map<Permission, Permission>();
  const free = appeared.filter((p) => routesKey(p) !== "");
  const take = (old: Permission, candidate: Permission | undefined) => {
    if (!candidate) return;
    pairs.set(old, candidate);
    free.splice(free.indexOf(candidate), 1);
  };

  // Two passes, so a looser match early in the list cannot take the exact match of a later one.
  for (const old of vanished) {
    take(
      old,
      free.find((p) => routesKey(p) === routesKey(old) && sameActions(p, old)),
    );
  }
  for (const old of vanished.filter((p) => !pairs.has(p))) {
    take(
      old,
      free.find((p) => routesKey(p) === routesKey(old)),
    );
  }
  return pairs;
}

function routesKey(permission: Permission): string {
  const text = routesText(permission);
  return text === "no route" ? "" : text;
}

function sameActions(a: Permission, b: Permission): boolean {
  return actionNames(a).join(" ") === actionNames(b).join(" ");
}

/**
 * The action list every generated `Action` type is built from: an action no operation needs any
 * more is removed from it, a new one added. Renames within an operation were reported already.
 */
function diffActionList(
  before: readonly Permission[],
  after: readonly Permission[],
  renames: readonly ActionRename[],
): Change[] {
  const { changes, add } = collector();
  const old = new Set(before.flatMap((p) => p.actions.map(actionName)));
  const now = new Set(after.flatMap((p) => p.actions.map(actionName)));
  const renamedFrom = new Set(renames.map((r) => r.before));
  const renamedTo = new Set(renames.map((r) => r.after));

  for (const action of [...old].filter((a) => !now.has(a) && !renamedFrom.has(a))) {
    add(
      "action-removed",
      action,
      `action ${action} is no longer needed by any operation; the Action type loses it`,
      { before: action },
    );
  }
  for (const action of [...now].filter((a) => !old.has(a) && !renamedTo.has(a))) {
    add("action-added", action, `action ${action} is new`, { after: action });
  }
  return changes;
}

function diffFile(pair: SpecPair): Change[] {
  const { changes, add } = collector();
  const { file, before, after } = pair;
  if (!before && after)
    add("spec-added", file, `spec file added (${after.permissions.length} operations)`);
  if (before && !after)
    add("spec-removed", file, `spec file removed (${before.permissions.length} operations)`);
  if (!before || !after) return changes;

  if (before.service !== after.service) {
    const service = `${before.service} -> ${after.service}`;
    const message = `service ${service}: every action of the spec is renamed`;
    add("service-changed", file, message, {
      field: "service",
      before: before.service,
      after: after.service,
    });
  }
  diffSource(before, after, file, add);
  diffPolicySets(before.policySets ?? [], after.policySets ?? [], add);
  return changes;
}

function diffSource(before: Spec, after: Spec, file: string, add: Add): void {
  const fields: Array<[string, string | undefined, string | undefined]> = [
    ["source.page", before.source.page, after.source.page],
    ["source.title", before.source.title, after.source.title],
    ["source.intro", before.source.intro, after.source.intro],
  ];
  const tables = Math.max(before.source.tables.length, after.source.tables.length);
  for (let i = 0; i < tables; i += 1) {
    const o = before.source.tables[i];
    const n = after.source.tables[i];
    fields.push([`source.tables[${i}].caption`, o?.caption, n?.caption]);
    fields.push([`source.tables[${i}].columns`, o?.columns.join(" | "), n?.columns.join(" | ")]);
  }

  for (const [field, o, n] of fields) {
    if (o !== n) wording(add, "source-changed", file, field, o, n);
  }
}

function diffPolicySets(before: readonly PolicySet[], after: readonly PolicySet[], add: Add): void {
  for (const old of before) {
    const now = after.find((s) => s.name === old.name);
    if (!now) {
      add(
        "policy-set-removed",
        old.name,
        `policy set ${old.name} removed; its generated policy file goes away`,
      );
      continue;
    }

    const grants = (s: PolicySet) =>
      stable({ allow: s.allow, deny: s.deny, enterpriseProject: s.enterpriseProject });
    if (grants(old) !== grants(now)) {
      const message =
        `policy set ${old.name} selects differently; run "permgen diff --policies" ` +
        "on the generated policies to see which routes it allows now";
      add("policy-set-changed", old.name, message, {
        field: "selector",
        before: grants(old),
        after: grants(now),
      });
    }
    if (old.description !== now.description) {
      wording(
        add,
        "policy-set-described",
        old.name,
        "description",
        old.description,
        now.description,
      );
    }
  }

  for (const now of after.filter((s) => !before.some((o) => o.name === s.name))) {
    add("policy-set-added", now.name, `policy set ${now.name} added`);
  }
}
