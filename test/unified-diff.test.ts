import { applyPatch, createTwoFilesPatch, parsePatch } from "diff";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { boundedDiff } from "../generator/output/unified-diff.js";

/** The diff of the whole files, as a line diff of everything gives it. */
function fullDiff(path: string, before: string, after: string): string {
  const patch = createTwoFilesPatch(`a/${path}`, `b/${path}`, before, after, "on disk", "from spec", { context: 2 });
  return patch
    .split("\n")
    .filter((line) => !line.startsWith("===="))
    .slice(0, -1)
    .join("\n");
}

/** The hunks whose old lines are not the text's lines at the place their header names. */
function misplacedHunks(diff: string, before: string): string[] {
  const lines = before.split("\n");
  return (parsePatch(diff)[0]?.hunks ?? []).flatMap((hunk) => {
    const old = hunk.lines.filter((line) => line.startsWith(" ") || line.startsWith("-")).map((line) => line.slice(1));
    if (old.length === 0) return [];
    const there = lines.slice(hunk.oldStart - 1, hunk.oldStart - 1 + old.length);
    return there.join("\n") === old.join("\n") ? [] : [`@@ -${hunk.oldStart},${hunk.oldLines}`];
  });
}

function changedLines(diff: string): number {
  return diff.split("\n").filter((line) => /^[-+](?!-- |\+\+ )/.test(line)).length;
}

/** Texts of few distinct lines, so that edits, repeats and shared starts and ends are common. */
const text = fc
  .array(fc.constantFrom("a", "b", "c", "", "a b"), { maxLength: 30 })
  .chain((lines) => fc.constantFrom(lines.join("\n"), `${lines.join("\n")}\n`, `${lines.join("\r\n")}\n`));

describe("unified diff > bounded", () => {
  // Where a change could be shown in more than one place (which of three blank lines went?), it
  // may be shown elsewhere than in the diff of the whole files, so the two are compared by what
  // they mean: the patch turns one text into the other, changing as few lines.
  it("turns the text on disk into the expected one, changing as few lines as a whole diff", () => {
    fc.assert(
      fc.property(text, text, (before, after) => {
        fc.pre(before !== after);
        const diff = boundedDiff("f.ts", before, after, 10_000);

        expect(applyPatch(before, `${diff}\n`)).toBe(after);
        expect(misplacedHunks(diff, before)).toEqual([]);
        expect(changedLines(diff)).toBe(changedLines(fullDiff("f.ts", before, after)));
      }),
      { numRuns: 2000 },
    );
  });

  it("numbers the lines of a change deep in a file as a diff of the whole file does", () => {
    const lines = Array.from({ length: 5000 }, (_, i) => `line ${i}`);
    const changed = lines.with(3000, "changed").toSpliced(4000, 1);

    const diff = boundedDiff("f.ts", `${lines.join("\n")}\n`, `${changed.join("\n")}\n`, 40);

    expect(diff).toBe(fullDiff("f.ts", `${lines.join("\n")}\n`, `${changed.join("\n")}\n`));
    expect(diff).toContain("@@ -2999,5 +2999,5 @@");
    expect(diff).toContain("@@ -3999,5 +3999,4 @@");
  });

  // Diffing these whole texts line by line takes minutes: without the cut this test would hang.
  it("cuts the diff of two large texts that differ everywhere", () => {
    const before = Array.from({ length: 200_000 }, (_, i) => `  description: "route ${i}",`).join("\n");
    const after = before.replaceAll('"route', '"Route');

    const diff = boundedDiff("routes.ts", before, after, 40).split("\n");

    expect(diff.slice(0, 4)).toEqual([
      "--- a/routes.ts\ton disk",
      "+++ b/routes.ts\tfrom spec",
      "@@ -1,1040 +1,1040 @@",
      '-  description: "route 0",',
    ]);
    expect(diff).toHaveLength(41);
    expect(diff.at(-1)).toBe("... the diff is cut here: only 1040 lines of each side from line 1 were compared");
  });

  it("counts the diff lines it leaves out when it was not cut", () => {
    const before = "a\nb\nc\nd\n";
    const after = "A\nB\nC\nD\n";

    expect(boundedDiff("f.md", before, after, 3).split("\n")).toEqual([
      "--- a/f.md\ton disk",
      "+++ b/f.md\tfrom spec",
      "@@ -1,4 +1,4 @@",
      "... 8 more diff lines",
    ]);
  });
});
