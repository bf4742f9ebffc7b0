/**
 * Reads files as they were at a git revision, for `permgen diff --base REV`.
 *
 * git runs through `execFile` with an argument list, never a shell, so a revision or path can
 * hold any character without being interpreted. Every failure becomes one `InputError` line that
 * says what to do: git missing, not a repository, an unknown revision, a path not in it.
 */
import { execFile } from "node:child_process";
import { fileError, type InputError } from "../diagnostics.js";

/** Larger outputs are refused: a spec of one documentation page is a few hundred KiB at most. */
const MAX_BYTES = 16 * 1024 * 1024;

interface GitResult {
  stdout: Buffer;
  stderr: string;
}

class GitFailure extends Error {
  constructor(
    readonly missing: boolean,
    readonly stderr: string,
  ) {
    super(stderr);
  }
}

/** The text of `path` (relative to `cwd`) at `revision`; throws an `InputError` when it cannot. */
export async function readAtRevision(revision: string, path: string, cwd: string): Promise<string> {
  await resolveRevision(revision, path, cwd);

  try {
    const result = await git(["show", "--no-textconv", `${revision}:./${path}`], cwd);
    return decode(result.stdout, `${path}@${revision}`);
  } catch (error) {
    if (!(error instanceof GitFailure)) throw error;
    throw gitError(error, path, revision);
  }
}

/**
 * The `*.yaml` files directly inside `dir` at `revision`, as paths relative to `cwd` like `dir`
 * itself (`spec/a.yaml`), sorted; `[]` when the directory did not exist then.
 */
export async function listAtRevision(
  revision: string,
  dir: string,
  cwd: string,
): Promise<string[]> {
  await resolveRevision(revision, dir, cwd);

  const prefix = dir.replace(/\/+$/, "");
  try {
    const result = await git(["ls-tree", "--name-only", "-z", revision, "--", `${prefix}/`], cwd);
    const names = result.stdout
      .toString("utf8")
      .split("\0")
      .filter((name) => name !== "");
    return names.filter((name) => name.endsWith(".yaml")).sort();
  } catch (error) {
    if (!(error instanceof GitFailure)) throw error;
    throw gitError(error, dir, revision);
  }
}

/** Fails with a clear line unless `revision` names a commit of the repository `cwd` is in. */
async function resolveRevision(revision: string, path: string, cwd: string): Promise<void> {
  // A revision starting with "-" would be read by git as an option.
  if (revision === "" || revision.startsWith("-")) {
    throw fileError(
      path,
      "git-revision",
      `${JSON.stringify(revision)} is not a revision`,
      "name a commit, branch or tag, such as HEAD or main",
    );
  }

  try {
    await git(["rev-parse", "--verify", "--quiet", `${revision}^{commit}`], cwd);
  } catch (error) {
    if (!(error instanceof GitFailure)) throw error;
    if (error.missing || /not a git repository/i.test(error.stderr))
      throw gitError(error, path, revision);
    throw fileError(
      path,
      "git-revision",
      `unknown revision ${JSON.stringify(revision)}`,
      'name a commit, branch or tag that exists here (see "git log --oneline")',
    );
  }
}

function gitError(error: GitFailure, path: string, revision: string): InputError {
  if (error.missing) {
    return fileError(
      path,
      "git-missing",
      "git is not installed or not on PATH",
      'install git, or compare two files with "permgen diff OLD NEW"',
    );
  }
  if (/not a git repository/i.test(error.stderr)) {
    return fileError(
      path,
      "git-repository",
      "the current directory is not inside a git repository",
      'run permgen from the repository, or compare two files with "permgen diff OLD NEW"',
    );
  }
  if (/does not exist in|exists on disk, but not in|not in '/i.test(error.stderr)) {
    return fileError(
      path,
      "git-untracked",
      `not tracked at ${revision}`,
      "commit it first, or pick a revision that has it; " +
        'compare untracked files with "permgen diff OLD NEW"',
    );
  }
  const first = error.stderr.split("\n").find((line) => line.trim() !== "") ?? "git failed";
  return fileError(
    path,
    "git-failed",
    `git failed at ${revision}: ${first.replace(/^fatal: /, "")}`,
    "check the revision and the path",
  );
}

function git(args: readonly string[], cwd: string): Promise<GitResult> {
  return new Promise((resolvePromise, reject) => {
    const options = { cwd, encoding: "buffer" as const, maxBuffer: MAX_BYTES, windowsHide: true };
    execFile("git", [...args], options, (error, stdout, stderr) => {
      if (!error) return resolvePromise({ stdout, stderr: stderr.toString("utf8") });

      const code = (error as NodeJS.ErrnoException).code;
      reject(new GitFailure(code === "ENOENT", stderr.toString("utf8")));
    });
  });
}

function decode(bytes: Buffer, file: string): string {
  try {
    const text = new TextDecoder("utf-8", { fatal: true }).decode(bytes);
    return text.startsWith("\uFEFF") ? text.slice(1) : text;
  } catch {
    throw fileError(
      file,
      "not-utf8",
      "the file is not valid UTF-8 at that revision",
      "pick a revision where it is a UTF-8 spec",
    );
  }
}
