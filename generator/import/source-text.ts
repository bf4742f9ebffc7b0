/**
 * Turns the bytes of a documentation page into text the page reader can trust: UTF-8 only, no
 * binary content, LF line endings and tabs expanded the way reStructuredText counts them (stops
 * every 8 columns), so that the column of a `|` in a grid table is the column an editor shows.
 */
import { readFile, stat } from "node:fs/promises";
import { fileError, InputError } from "../diagnostics.js";
import { decodeBytes } from "../source-bytes.js";
import { MAX_SPEC_BYTES } from "../spec/load.js";

const TAB_WIDTH = 8;

/** Reads a page from disk; anything that is not a readable UTF-8 text file is an `InputError`. */
export async function readSourceFile(path: string, shownAs: string): Promise<string> {
  const info = await stat(path).catch(() => undefined);
  if (!info) {
    throw fileError(shownAs, "no-file", "no such file", "check the path of the table page");
  }
  if (!info.isFile()) {
    throw fileError(shownAs, "not-a-file", "not a regular file", "give the path of an .rst page");
  }
  if (info.size > MAX_SPEC_BYTES) throw tooLarge(info.size, shownAs);

  const bytes = await readFile(path).catch((error: unknown) => {
    const reason = error instanceof Error ? error.message : String(error);
    throw fileError(
      shownAs,
      "unreadable",
      `cannot read the file (${reason})`,
      "check its permissions",
    );
  });
  return decodeSource(bytes, shownAs);
}

/**
 * Pages (and the specs `--spec` names) are refused unread above the limit a spec has: a page of
 * one service's permissions is a few hundred KiB at most.
 */
function tooLarge(bytes: number, file: string): InputError {
  const size = `${(bytes / 1024 / 1024).toFixed(1)} MiB`;
  const limit = `${MAX_SPEC_BYTES / 1024 / 1024} MiB`;
  return fileError(
    file,
    "file-too-large",
    `the file is ${size}, more than the ${limit} an import reads`,
    "check that this is the permissions page; split a larger page into several pages",
  );
}

/** Decodes and normalises page bytes; binary or non-UTF-8 input is an `InputError` at its place. */
export function decodeSource(bytes: Uint8Array, file: string): string {
  const decoded = decodeBytes(bytes);
  switch (decoded.kind) {
    case "utf16":
      throw fileError(file, "encoding", "the file is UTF-16, not UTF-8", "save it as UTF-8");
    case "binary": {
      const message = "the file holds a NUL byte, so it is binary, not a page";
      const hint = "give the .rst source of the page";
      throw new InputError({ file, ...decoded.at, code: "binary", message, hint });
    }
    case "not-utf8": {
      const message = `byte 0x${decoded.byte.toString(16).padStart(2, "0")} is not valid UTF-8`;
      const hint = "save the page as UTF-8";
      throw new InputError({ file, ...decoded.at, code: "encoding", message, hint });
    }
    case "text":
      return expandTabs(decoded.text.replace(/\r\n?/g, "\n"));
  }
}

function expandTabs(text: string): string {
  if (!text.includes("\t")) return text;

  return text
    .split("\n")
    .map((line) => {
      let out = "";
      for (const char of line) {
        out += char === "\t" ? " ".repeat(TAB_WIDTH - (out.length % TAB_WIDTH)) : char;
      }
      return out;
    })
    .join("\n");
}
