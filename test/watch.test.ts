/**
 * `permgen generate --watch` on a temporary copy of the project, driven through the CLI's `run`
 * with an AbortSignal in place of Ctrl-C: every edit below waits for the line its run prints.
 */
import { cp, mkdtemp, readFile, rename, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { run } from "../generator/cli.js";
import type { ExitCode } from "../generator/commands/command.js";
import { readTree } from "../generator/output/write.js";
import { generate } from "../generator/pipeline.js";
import { isScratch } from "../generator/watch.js";

const root = join(import.meta.dirname, "..");
const SPEC = "spec/modelarts-training.yaml";
const TIMEOUT_MS = 120_000;

/** A summary line: the last line of every run. */
const RUN_LINE = /: (already current|regenerated \d+ files|nothing written)/;

describe("watch > a session", { timeout: TIMEOUT_MS }, () => {
  let work: string;
  let session: Session;

  beforeEach(async () => {
    work = await mkdtemp(join(tmpdir(), "permgen-watch-"));
    for (const dir of ["spec", "templates"])
      await cp(join(root, dir), join(work, dir), { recursive: true });
    await generate({ cwd: work });
  });

  afterEach(async () => {
    session?.stop();
    await session?.done;
    await rm(work, { recursive: true, force: true });
  });

  it("regenerates on each edit, reports a lint error, writes nothing then, stops on abort", async () => {
    session = start(work);
    await session.next(/already current/);

    // Two writes in a row are one burst: one run.
    await edit(
      work,
      SPEC,
      "description: Creating a Training Job\n",
      "description: Submitting a Training Job\n",
    );
    await edit(
      work,
      SPEC,
      "description: Submitting a Training Job\n",
      "description: Launching a Training Job\n",
    );
    await session.next(/generated: regenerated \d+ files in \d+ ms$/);
    expect(await text(work, "generated/routes.ts")).toContain(
      'description: "Launching a Training Job"',
    );

    const before = await readTree(join(work, "generated"));
    await edit(work, SPEC, "method: POST\n", "method: FETCH\n");
    await session.next(/nothing written; fix the errors above, waiting for changes$/);
    expect(session.lines).toContainEqual(
      expect.stringMatching(/^spec\/modelarts-training\.yaml:\d+:\d+: error: .*"FETCH"/),
    );
    expect(await readTree(join(work, "generated"))).toEqual(before);

    // Saved as many editors do, a temporary file renamed over the spec, twice: the second save
    // replaces a file that is itself a replacement.
    await edit(work, SPEC, "method: FETCH\n", "method: POST\n", {
      atomic: true,
      also: ["Launching", "Starting"],
    });
    await session.next(/regenerated \d+ files/);
    expect(await text(work, "generated/routes.ts")).toContain(
      'description: "Starting a Training Job"',
    );
    await edit(work, SPEC, "Starting a Training Job\n", "Running a Training Job\n", {
      atomic: true,
    });
    await session.next(/regenerated \d+ files/);
    expect(await text(work, "generated/routes.ts")).toContain(
      'description: "Running a Training Job"',
    );

    session.stop();
    expect(await session.done).toBe(0);
    expect(session.lines.at(-1)).toBe("permgen generate: stopped watching");
    expect(
      session.lines
        .filter((l) => RUN_LINE.test(l))
        .map((l) => RUN_LINE.exec(l)?.[1]?.replace(/\d+/, "N")),
    ).toEqual([
      "already current",
      "regenerated N files",
      "nothing written",
      "regenerated N files",
      "regenerated N files",
    ]);
  });

  it("regenerates on a template change and reports a template error as one line", async () => {
    session = start(work);
    await session.next(/already current/);

    const template = "templates/docs/index.md.hbs";
    const original = await text(work, template);
    await writeFile(join(work, template), `${original}\nWatched line.\n`);
    await session.next(/regenerated \d+ files/);
    expect(await text(work, "generated/docs/README.md")).toContain("Watched line.");

    await writeFile(join(work, template), `${original}\n{{#each}}\n`);
    await session.next(/nothing written/);
    // Template paths are shown relative to the process's directory, which is not `work` here.
    expect(session.lines).toContainEqual(
      expect.stringMatching(/templates\/docs\/index\.md\.hbs:\d+:\d+: error: /),
    );
    expect(session.lines.some((l) => l.includes("internal error"))).toBe(false);
  });

  it("ignores editor scratch files beside the spec and templates", async () => {
    session = start(work);
    await session.next(/already current/);
    const runs = session.lines.length;

    await writeFile(join(work, "spec/.modelarts-training.yaml.swp"), "scratch");
    await writeFile(join(work, "spec/modelarts-training.yaml~"), "backup");
    await writeFile(join(work, "templates/policy.json.hbs.tmp"), "atomic save in progress");
    await writeFile(join(work, "spec/notes.txt"), "not a spec");
    // No event is expected, so there is no line to wait for: give a stray run time to show.
    await new Promise((resolve) => setTimeout(resolve, 600));

    expect(session.lines.slice(runs)).toEqual([]);
  });

  it("exits 2 with one line when the templates directory is missing", async () => {
    await rm(join(work, "templates"), { recursive: true });
    session = start(work);

    expect(await session.done).toBe(2);
    expect(session.lines.at(-1)).toMatch(
      /^permgen generate: cannot watch .*templates: no such templates directory; .* --templates$/,
    );
  });
});

describe("watch > scratch files", () => {
  it.each([
    [".modelarts-training.yaml.swp", true],
    ["modelarts-training.yaml~", true],
    [".#modelarts-training.yaml", true],
    ["#modelarts-training.yaml#", true],
    ["4913", true],
    ["policy.json.hbs.tmp", true],
    ["policy.json.hbs___jb_tmp___", true],
    [".permgen-generated-build-12-ab", true],
    ["modelarts-training.yaml", false],
    ["policy.json.hbs", false],
  ])("%s is scratch: %s", (name, expected) => {
    expect(isScratch(name)).toBe(expected);
  });
});

interface Session {
  lines: string[];
  done: Promise<ExitCode>;
  stop(): void;
  /** Waits for a line matching `pattern` that was not there when the previous wait returned. */
  next(pattern: RegExp): Promise<string>;
}

function start(cwd: string): Session {
  const controller = new AbortController();
  const lines: string[] = [];
  let seen = 0;
  const io = {
    cwd,
    signal: controller.signal,
    stdout: (t: string) => lines.push(...t.split("\n").filter(Boolean)),
    stderr: (t: string) => lines.push(...t.split("\n").filter(Boolean)),
  };
  const done = run(["generate", "--watch"], io);

  return {
    lines,
    done,
    stop: () => controller.abort(),
    async next(pattern) {
      for (const deadline = Date.now() + 60_000; Date.now() < deadline;) {
        const index = lines.findIndex((line, i) => i >= seen && pattern.test(line));
        if (index >= 0) {
          seen = index + 1;
          return lines[index]!;
        }
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
      throw new Error(`no line matching ${pattern} within 60 s; got:\n${lines.join("\n")}`);
    },
  };
}

interface EditOptions {
  /** Write a temporary file and rename it over the file, as many editors save. */
  atomic?: boolean;
  /** A second replacement made in the same save. */
  also?: [string, string];
}

async function edit(
  dir: string,
  file: string,
  from: string,
  to: string,
  how: EditOptions = {},
): Promise<void> {
  let after = await text(dir, file);
  for (const [a, b] of [[from, to], ...(how.also ? [how.also] : [])] as const) {
    if (!after.includes(a)) throw new Error(`${file} has no ${JSON.stringify(a)} to replace`);
    after = after.replace(a, b);
  }
  if (!how.atomic) return writeFile(join(dir, file), after);

  const scratch = join(dir, `${file}.tmp`);
  await writeFile(scratch, after);
  await rename(scratch, join(dir, file));
}

function text(dir: string, file: string): Promise<string> {
  return readFile(join(dir, file), "utf8");
}
