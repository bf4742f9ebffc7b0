/**
 * Turns the bytes of a documentation page into text the page reader can trust: UTF-8 only, no
 * binary content, LF line endings and tabs expanded the way reStructuredText counts them (stops
 * every 8 columns), so that the column of a `|` in a grid table is the column an editor shows.
 */
import { readFile, stat } from "node:fs/promises";
import { fileError, InputError } from "../diagnostics.js";
import { isUtf16, MAX_SPEC_BYTES } from "../spec/load.js";

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
  if (isUtf16(bytes)) {
    throw fileError(file, "encoding", "the file is UTF-16, not UTF-8", "save it as UTF-8");
  }

  const nul = bytes.indexOf(0);
  if (nul >= 0) {
    throw errorAt(
      bytes,
      nul,
      file,
      "binary",
      "the file holds a NUL byte, so it is binary, not a page",
      "give the .rst source of the page",
    );
  }

  const bad = firstInvalidUtf8(bytes);
  if (bad >= 0) {
    const byte = (bytes[bad] ?? 0).toString(16).padStart(2, "0");
    throw errorAt(
      bytes,
      bad,
      file,
      "encoding",
      `byte 0x${byte} is not valid UTF-8`,
      "save the page as UTF-8",
    );
  }

  const text = new TextDecoder("utf-8").decode(bytes).replace(/^\uFEFF/, "");
  return expandTabs(text.replace(/\r\n?/g, "\n"));
}

function errorAt(
  bytes: Uint8Array,
  offset: number,
  file: string,
  code: string,
  message: string,
  hint: string,
): InputError {
  const before = bytes.subarray(0, offset);
  const lineStart = before.lastIndexOf(0x0a) + 1;
  const line = before.filter((b) => b === 0x0a).length + 1;
  const column = new TextDecoder("utf-8").decode(bytes.subarray(lineStart, offset)).length + 1;
  return new InputError({ file, line, column, code, message, hint });
}

/** The offset of the first byte that breaks UTF-8, or -1 when the whole input is valid. */
function firstInvalidUtf8(bytes: Uint8Array): number {
  let i = 0;
  while (i < bytes.length) {
    const length = sequenceLength(bytes, i);
    if (length === 0) return i;
    i += length;
  }
  return -1;
}

/** The length of the valid UTF-8 sequence starting at `i`, or 0 when it is not valid. */
function sequenceLength(bytes: Uint8Array, i: number): number {
  const lead = bytes[i] ?? 0;
  if (lead < 0x80) return 1;

  const [length, min] =
    lead >= 0xf0 && lead <= 0xf4
      ? [4, 0x10000]
      : lead >= 0xe0
        ? [3, 0x800]
        : lead >= 0xc2 && lead < 0xe0
          ? [2, 0x80]
          : [0, 0];
  if (length === 0 || i + length > bytes.length) return 0;

  let code = lead & (0xff >> (length + 1));
  for (let k = 1; k < length; k++) {
    const next = bytes[i + k] ?? 0;
    if ((next & 0xc0) !== 0x80) return 0;
    code = (code << 6) | (next & 0x3f);
  }
  // Overlong forms, UTF-16 surrogates and code points past U+10FFFF are all invalid.
  if (code < min || code > 0x10ffff || (code >= 0xd800 && code <= 0xdfff)) return 0;
  return length;
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
