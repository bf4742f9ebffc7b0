import { execFileSync } from "node:child_process";
import { copyFile, mkdir, mkdtemp, readFile, rm, unlink, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { BASE, diff, fixture, json, ROOT } from "./helpers/diff-cli.js";

describe("diff > --base REV against the working tree", () => {
  let repo: string;
  const git = (...args: string[]) =>
    execFileSync(
      "git",
      [
        "-c",
        "user.name=permgen test",
        "-c",
        "user.email=test@example.invalid",
        "-c",
        "commit.gpgsign=false",
        ...args,
      ],
      { cwd: repo, stdio: "pipe" },
    );
  const EXTRA = [
    "service: modelarts",
    "source:",
    "  page: extra",
    "  title: Extra",
    "  tables:",
    "    - caption: Extra",
    "      columns: [Permission, API, Action, IAM Project, Enterprise Project]",
    "permissions:",
    "  - id: listingWorkspaces",
    "    description: Listing Workspaces",
    "    method: GET",
    "    path: /v1/{project_id}/workspaces",
    "    actions: [modelarts:workspace:list]",
    "    scopes: { iamProject: true, enterpriseProject: true }",
    "",
  ].join("\n");

  beforeEach(async () => {
    repo = await mkdtemp(join(tmpdir(), "permgen-diff-"));
    await mkdir(join(repo, "spec"));
    await copyFile(join(ROOT, BASE), join(repo, "spec/service.yaml"));
    await writeFile(join(repo, "spec/extra.yaml"), EXTRA);
    git("init", "-q");
    git("add", ".");
    git("commit", "-q", "-m", "specs");
  });

  afterEach(async () => {
    await rm(repo, { recursive: true, force: true });
  });

  it("compares each spec at HEAD with its edited working copy, grouped breaking first", async () => {
    const added = await readFile(join(ROOT, fixture("row-added")), "utf8");
    const edited = added
      .replace(
        "description: Updating a Model Service\n",
        "description: Modifying a Model Service\n",
      )
      .replace(
        "/v1/{project_id}/services/{service_id}/monitor",
        "/v2/{project_id}/services/{service_id}/monitor",
      );
    await writeFile(join(repo, "spec/service.yaml"), edited);
    await writeFile(
      join(repo, "spec/extra.yaml"),
      EXTRA.replace("enterpriseProject: true", "enterpriseProject: false"),
    );

    const result = await diff(["--base", "HEAD"], repo);

    expect(result.stdout.split("\n")).toEqual([
      "breaking    scope-narrowed       listingWorkspaces                     scopes.enterpriseProject true -> false: granting it in that scope no longer works",
      "breaking    path-changed         queryServiceMonitoringInformation     path /v1/{project_id}/services/{service_id}/monitor -> /v2/{project_id}/services/{service_id}/monitor",
      "compatible  operation-added      queryServiceSpecifications            operation added: GET /v1/{project_id}/services/specifications",
      "compatible  action-added         modelarts:service:listSpecifications  action modelarts:service:listSpecifications is new",
      'docs-only   description-changed  updateModelService                    description "Updating a Model Service" -> "Modifying a Model Service"',
      "5 changes (2 breaking, 2 compatible, 1 docs-only); suggested bump: major",
      "",
    ]);
    expect(result.code).toBe(1);
  });

  it("reports a spec deleted since REV with all it took away, and reads named files only", async () => {
    await unlink(join(repo, "spec/extra.yaml"));

    const all = await json(["--base", "HEAD"], repo);
    const named = await json(["--base", "HEAD", "spec/service.yaml"], repo);

    expect(all.changes.map((c) => `${c.kind} ${c.id}`)).toEqual([
      "spec-removed spec/extra.yaml",
      "operation-removed listingWorkspaces",
      "action-removed modelarts:workspace:list",
    ]);
    expect(named).toEqual({ code: 0, bump: "none", changes: [] });
  });

  it("says in one line when the revision is unknown, the file untracked, or git missing", async () => {
    await writeFile(
      join(repo, "spec/new.yaml"),
      EXTRA.replace("listingWorkspaces", "listingPools"),
    );

    const unknown = await diff(["--base", "v9.9.9"], repo);
    const untracked = await diff(["--base", "HEAD", "spec/new.yaml"], repo);
    const path = process.env["PATH"];
    process.env["PATH"] = join(repo, "no-such-bin");
    const noGit = await diff(["--base", "HEAD"], repo).finally(() => (process.env["PATH"] = path));

    expect(unknown.stderr).toBe(
      'spec:1:1: error: unknown revision "v9.9.9"; name a commit, branch or tag that exists here (see "git log --oneline")\n',
    );
    expect(untracked.stderr).toBe(
      'spec/new.yaml:1:1: error: not tracked at HEAD; commit it first, or pick a revision that has it; compare untracked files with "permgen diff OLD NEW"\n',
    );
    expect(noGit.stderr).toBe(
      'spec:1:1: error: git is not installed or not on PATH; install git, or compare two files with "permgen diff OLD NEW"\n',
    );
    expect([unknown.code, untracked.code, noGit.code]).toEqual([2, 2, 2]);
  });

  it("refuses a directory that is not a git repository", async () => {
    await rm(join(repo, ".git"), { recursive: true });

    const result = await diff(["--base", "HEAD"], repo);

    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(
      /^spec:1:1: error: the current directory is not inside a git repository; .+\n$/,
    );
  });
});
