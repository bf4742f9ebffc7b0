/**
 * The command list: `permgen --help` names every command from the list alone, and each entry
 * loads the command of its own name, whose `--help` works.
 */
import { describe, expect, it } from "vitest";
import { run } from "../generator/cli.js";
import { COMMANDS } from "../generator/commands/index.js";

function capture(): { io: Parameters<typeof run>[1]; out: string[]; err: string[] } {
  const out: string[] = [];
  const err: string[] = [];
  return { io: { cwd: process.cwd(), stdout: (t) => void out.push(t), stderr: (t) => void err.push(t) }, out, err };
}

describe("the command list", () => {
  it.each(COMMANDS.map((c) => [c.name, c] as const))("loads %s as the command of that name", async (name, entry) => {
    const command = await entry.load();
    expect(command.name).toBe(name);

    const { io, out } = capture();
    expect(await run([name, "--help"], io)).toBe(0);
    expect(out.join("")).toBe(command.help);
  });

  it("lists every command with its summary in permgen --help", async () => {
    const { io, out } = capture();
    expect(await run(["--help"], io)).toBe(0);

    for (const entry of COMMANDS) expect(out.join("")).toMatch(new RegExp(`\\n  ${entry.name} +${entry.summary.replace(/[()]/g, "\\$&")}\\n`));
  });
});
