import { mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { readSpecs } from "../generator/diff/inputs.js";
import { diffPolicies } from "../generator/diff/policy-diff.js";
import { planPolicies } from "../generator/emit/policies.js";
import { buildModel } from "../generator/model.js";
import { BASE, diff, fixture, json, ROOT } from "./helpers/diff-cli.js";

describe("diff > --policies", () => {
  let dir: string;
  const policy = (...actions: string[]) =>
    JSON.stringify({ Version: "1.1", Statement: [{ Effect: "Allow", Action: actions }] });
  const write = async (path: string, text: string) => {
    await mkdir(dirname(join(dir, path)), { recursive: true });
    await writeFile(join(dir, path), text);
  };
  const s = (name: string) => `modelarts:service:${name}`;

  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), "permgen-policies-"));
  });

  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it("lists routes a policy newly allows first, flagged, then those it no longer allows", async () => {
    await write("old/svc-read-only.json", policy(s("list"), s("get")));
    await write("new/svc-read-only.json", policy(s("list"), s("getMonitor"), s("getLogs")));
    await write("old/svc-full-access.json", policy("modelarts:service:*"));
    await write("new/svc-full-access.json", policy("modelarts:*:*"));

    const result = await diff(["--policies", join(dir, "old"), join(dir, "new"), "--spec", BASE]);

    expect(result.stdout.split("\n")).toEqual([
      "review    route-now-allowed  svc-read-only  policy svc-read-only now ALLOWS GET /v1/{project_id}/services/{service_id}/monitor (queryServiceMonitoringInformation), which it did not before",
      "review    route-now-allowed  svc-read-only  policy svc-read-only now ALLOWS GET /v1/{project_id}/services/{service_id}/logs (queryServiceUpdateLogs), which it did not before",
      "breaking  route-now-denied   svc-read-only  policy svc-read-only no longer allows GET /v1/{project_id}/services/{service_id} (queryDetailsAboutModelService)",
      "3 changes (2 review, 1 breaking); suggested bump: major",
      "",
    ]);
    expect(result.stderr).toContain("2 route(s) newly allowed by a policy");
    expect(result.code).toBe(1);
    expect(
      (
        await diff([
          "--policies",
          join(dir, "old"),
          join(dir, "new"),
          "--spec",
          BASE,
          "--allow-widening",
          "--allow-breaking",
        ])
      ).code,
    ).toBe(0);
  });

  it("compares the policies the generator writes: raising access drops the route from read-only", async () => {
    // One spec file name on both sides, since it names the policies.
    for (const [side, path] of [
      ["old", BASE],
      ["new", fixture("access-raised")],
    ] as const) {
      await write(`${side}/spec/service.yaml`, await readFile(join(ROOT, path), "utf8"));
      const model = buildModel(
        (await readSpecs([join(dir, side, "spec/service.yaml")], ROOT)).specs,
      );
      for (const plan of planPolicies(model)) {
        for (const [i, file] of plan.paths.entries())
          await write(`${side}/generated/${file}`, JSON.stringify(plan.documents[i]));
      }
    }

    const narrowed = await json([
      "--policies",
      join(dir, "old/generated"),
      join(dir, "new/generated"),
      "--spec",
      BASE,
    ]);
    const widened = await json([
      "--policies",
      join(dir, "new/generated"),
      join(dir, "old/generated"),
      "--spec",
      BASE,
    ]);

    expect(narrowed.changes.map((c) => `${c.severity} ${c.id} ${c.field}`)).toEqual([
      "breaking service-read-only queryListOfModelServices",
    ]);
    expect(widened.changes.map((c) => `${c.severity} ${c.id} ${c.field}`)).toEqual([
      "review service-read-only queryListOfModelServices",
    ]);
  });

  it("grants the parts of a split policy together, so a route needing actions of both is allowed", async () => {
    await write("old/svc-full-access.json", policy(s("delete"), s("get")));
    await write("new/svc-full-access-1.json", policy(s("delete")));
    await write("new/svc-full-access-2.json", policy(s("get")));

    const result = await json([
      "--policies",
      join(dir, "old"),
      join(dir, "new"),
      "--spec",
      fixture("action-required"),
    ]);

    expect(result.changes).toEqual([]);
  });

  it("ignores routes that need no action, and needs every action of a route", () => {
    const routes = [
      { id: "open", method: "GET", path: "/v1/open", actions: [] },
      { id: "both", method: "POST", path: "/v1/both", actions: ["x:a:create", "x:a:get"] },
    ];
    const allows = (granted: Set<string>, action: string) => granted.has(action);

    const changes = diffPolicies(
      routes,
      new Map([["p", new Set(["x:a:create"])]]),
      new Map([["p", new Set<string>()]]),
      allows,
    );
    const widened = diffPolicies(
      routes,
      new Map(),
      new Map([["p", new Set(["x:a:create", "x:a:get"])]]),
      allows,
    );

    expect(changes).toEqual([]);
    expect(widened.map((c) => `${c.severity} ${c.kind} ${c.field ?? ""}`)).toEqual([
      "review route-now-allowed both",
      "compatible policy-added ",
    ]);
  });

  it("rejects an invalid policy document in one line with its position", async () => {
    await write("old/p.json", policy(s("get")));
    await write(
      "new/p.json",
      '{\n  "Version": "1.1",\n  "Statement": [{ "Effect": "deny", "Action": ["modelarts:service:get"] }]\n}\n',
    );

    const result = await diff([
      "--policies",
      join(dir, "old/p.json"),
      join(dir, "new/p.json"),
      "--spec",
      BASE,
    ]);

    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(
      /^\S*new\/p\.json:3:29: error: Statement\[0\]\.Effect: Effect "deny" must be "Allow" or "Deny" exactly; write "Deny"; fix the policy document\n$/,
    );
  });
});
