import { describe, expect, it } from "vitest";
import { readSpecs } from "../generator/diff/inputs.js";
import { diffSpec } from "../generator/diff/spec-diff.js";
import type { Permission, Spec } from "../generator/spec/types.js";
import { BASE, ROOT } from "./helpers/diff-cli.js";

const base = async (): Promise<Spec> => (await readSpecs([BASE], ROOT)).specs[0]!.spec;

/** The base spec with one operation (by position) replaced by `edit` of it. */
function editRow(spec: Spec, index: number, edit: (p: Permission) => Permission): Spec {
  return { ...spec, permissions: spec.permissions.map((p, i) => (i === index ? edit(p) : p)) };
}

type Edit = (spec: Spec) => Spec;

/**
 * Kinds beyond the brief's list: [name, edit, expected, second edit]. The diff runs from the 2022
 * base to its edit, or, given a second edit, from the edit to the second edit of it.
 */
const EDITS: Array<[string, Edit, string[], Edit?]> = [
  [
    "a query parameter added",
    (s) => editRow(s, 1, (p) => ({ ...p, query: ["limit"] })),
    ["compatible query-added queryListOfModelServices query  -> limit"],
  ],
  [
    "a route's query parameter dropped",
    (s) => editRow(s, 1, (p) => ({ ...p, query: ["limit", "offset"] })),
    ["breaking query-removed queryListOfModelServices query limit -> "],
    (s) => editRow(s, 1, (p) => ({ ...p, query: ["offset"] })),
  ],
  [
    "a related action required",
    (s) => editRow(s, 0, (p) => ({ ...p, relatedActions: ["obs:bucket:ListBucket"] })),
    [
      "breaking related-action-required deployModelService relatedActions  -> obs:bucket:ListBucket",
    ],
  ],
  [
    "an action given a condition label",
    (s) =>
      editRow(s, 5, (p) => ({
        ...p,
        actions: [{ action: "modelarts:service:action", label: "Start" }],
      })),
    [
      "docs-only action-label-changed startOrStopModelService label of modelarts:service:action  -> Start",
    ],
  ],
  [
    "a kept source cell",
    (s) => editRow(s, 0, (p) => ({ ...p, verbatim: { iamProject: "Y (see note)" } })),
    ['docs-only verbatim-changed deployModelService verbatim  -> {"iamProject":"Y (see note)"}'],
  ],
  [
    "an operation split into two routes",
    (s) =>
      editRow(s, 2, ({ method: _m, path: _p, ...p }) => ({
        ...p,
        routes: [
          { method: "GET", path: "/v1/{project_id}/services/{service_id}" },
          { method: "HEAD", path: "/v1/{project_id}/services/{service_id}" },
        ],
      })),
    [
      "breaking route-id-changed queryDetailsAboutModelService_1 id queryDetailsAboutModelService -> queryDetailsAboutModelService_1",
      "compatible route-added queryDetailsAboutModelService_2   -> HEAD /v1/{project_id}/services/{service_id}",
    ],
  ],
  [
    "the service prefix",
    (s) => ({ ...s, service: "ma" }),
    ["breaking service-changed spec service modelarts -> ma"],
  ],
  [
    "the page title",
    (s) => ({ ...s, source: { ...s.source, title: "Service Permissions" } }),
    [
      "docs-only source-changed spec source.title Service Management Permissions -> Service Permissions",
    ],
  ],
];

const READERS = { name: "readers", allow: { access: ["list" as const, "read" as const] } };
const SET_EDITS: Array<[string, Spec["policySets"], Spec["policySets"], string[]]> = [
  ["added", undefined, [READERS], ["compatible policy-set-added readers   -> "]],
  ["removed", [READERS], undefined, ["breaking policy-set-removed readers   -> "]],
  [
    "selecting differently",
    [READERS],
    [{ ...READERS, allow: { access: ["list" as const] } }],
    [
      'breaking policy-set-changed readers selector {"allow":{"access":["list","read"]}} -> {"allow":{"access":["list"]}}',
    ],
  ],
  [
    "described",
    [READERS],
    [{ ...READERS, description: "Read only." }],
    ["docs-only policy-set-described readers description  -> Read only."],
  ],
];

const line = (c: {
  severity: string;
  kind: string;
  id: string;
  field?: string;
  before?: string;
  after?: string;
}) => `${c.severity} ${c.kind} ${c.id} ${c.field ?? ""} ${c.before ?? ""} -> ${c.after ?? ""}`;

describe("diff > every other kind of spec change", () => {
  it.each(EDITS)("%s", async (_, edit, expected, second) => {
    const before = second ? edit(await base()) : await base();
    const after = second ? second(before) : edit(before);

    expect(diffSpec(before, after).map(line)).toEqual(expected);
  });

  it.each(SET_EDITS)("a policy set %s", async (_, from, to, expected) => {
    const spec = await base();

    expect(diffSpec({ ...spec, policySets: from }, { ...spec, policySets: to }).map(line)).toEqual(
      expected,
    );
  });

  it("does not count key order inside a value as a change", async () => {
    const before = editRow(await base(), 0, (p) => ({ ...p, verbatim: { api: "a", action: "b" } }));
    const after = editRow(before, 0, (p) => ({ ...p, verbatim: { action: "b", api: "a" } }));

    expect(diffSpec(before, after)).toEqual([]);
  });
});
