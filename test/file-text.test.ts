import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { joinText, sameAsFile, sha256, writeBatches } from "../generator/output/file-text.js";
import { layoutText } from "../generator/output/layout.js";

/** A text cut into pieces at random places that split no character (see `FileText`). */
const pieced = fc
  .tuple(fc.string({ unit: "grapheme", maxLength: 200 }), fc.array(fc.nat(), { maxLength: 12 }))
  .map(([text, cuts]) => {
    const points = [...new Set(cuts.map((c) => (text.length === 0 ? 0 : c % text.length)))]
      .filter((p) => !isLowSurrogate(text.charCodeAt(p)))
      .sort((a, b) => a - b);
    const pieces = [0, ...points].map((from, i) => text.slice(from, [...points, text.length][i]));
    return { text, pieces };
  });

/** The text with its ASCII character at `at` (modulo its length) replaced; unchanged when that is not ASCII. */
function withOneCharacterChanged(text: string, at: number): string {
  const i = text.length === 0 ? 0 : at % text.length;
  if (!(text.charCodeAt(i) < 0x80)) return text;
  return `${text.slice(0, i)}${text[i] === "x" ? "y" : "x"}${text.slice(i + 1)}`;
}

function isLowSurrogate(code: number): boolean {
  return code >= 0xdc00 && code <= 0xdfff;
}

describe("file text > pieces", () => {
  let dir: string;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), "permgen-file-text-"));
  });

  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it("hash, batch and compare with a file as the joined text does", async () => {
    await fc.assert(
      fc.asyncProperty(pieced, fc.string({ maxLength: 3 }), fc.nat(), async ({ text, pieces }, change, at) => {
        const file = join(dir, "f.txt");
        await writeFile(file, text);

        expect(joinText(pieces)).toBe(text);
        expect(sha256(pieces)).toBe(sha256(text));
        expect([...writeBatches(pieces)].join("")).toBe(text);
        expect(await sameAsFile(pieces, file)).toBe(true);

        // Longer, and the same length with one character replaced: a comparison of sizes alone fails.
        const appended = `${text}${change}`;
        await writeFile(file, appended);
        expect(await sameAsFile(pieces, file)).toBe(appended === text);

        const replaced = withOneCharacterChanged(text, at);
        await writeFile(file, replaced);
        expect(await sameAsFile(pieces, file)).toBe(replaced === text);
      }),
      { numRuns: 300 },
    );
  });

  it("is not the same as a file that is missing, shorter or longer", async () => {
    const file = join(dir, "g.txt");
    await writeFile(file, "abc\n");

    expect(await sameAsFile(["abc", "\n"], file)).toBe(true);
    expect(await sameAsFile(["abc"], file)).toBe(false);
    expect(await sameAsFile(["abc", "\n", "d"], file)).toBe(false);
    expect(await sameAsFile(["abc\n"], join(dir, "missing.txt"))).toBe(false);
  });

  it("writes pieces of several mebibytes in batches of about one", () => {
    const line = `${"x".repeat(99)}\n`;
    const batches = [...writeBatches(Array.from({ length: 30_000 }, () => line))];

    expect(batches.join("")).toBe(line.repeat(30_000));
    expect(batches.length).toBe(3);
  });

  it("turns a \\r\\n split across two pieces into one line feed", () => {
    const pieces = ["export const a = 1;\r", "\nexport const b = 2;\r\n", "\r\n"];

    expect(joinText(layoutText("ts", pieces, "a.ts"))).toBe("export const a = 1;\nexport const b = 2;\n");
    expect(joinText(layoutText("rst", ["a\r", "\nb\r"], "a.rst"))).toBe("a\nb\n");
    expect(joinText(layoutText("rst", ["a\r", "", "\nb"], "a.rst"))).toBe("a\nb\n");
  });
});
