/**
 * The bytes of an input file (a spec or a documentation page) as text, or why they are not text:
 * saved as UTF-16, binary (a NUL byte), or not valid UTF-8, with the line and column of the first
 * offending byte. Each reader words its own message; the checks and positions are the same.
 */
import { isUtf8 } from "node:buffer";
import type { Position } from "./diagnostics.js";

export type Decoded =
  | { kind: "text"; text: string }
  | { kind: "utf16" }
  | { kind: "binary"; at: Position }
  | { kind: "not-utf8"; at: Position; byte: number };

/** Decodes UTF-8, dropping a byte order mark; line endings and tabs are the reader's business. */
export function decodeBytes(bytes: Uint8Array): Decoded {
  if (isUtf16(bytes)) return { kind: "utf16" };

  const nul = bytes.indexOf(0);
  if (nul >= 0) return { kind: "binary", at: positionOf(bytes, nul) };

  if (!isUtf8(bytes)) {
    const bad = firstInvalidUtf8(bytes);
    return { kind: "not-utf8", at: positionOf(bytes, bad), byte: bytes[bad] ?? 0 };
  }
  return { kind: "text", text: new TextDecoder("utf-8").decode(bytes).replace(/^\uFEFF/, "") };
}

/**
 * True for text saved as UTF-16: a byte order mark (FF FE or FE FF) and a NUL byte, which the
 * high byte of every ASCII character is. The NUL tells it from a Latin-1 file starting with "ÿþ".
 */
function isUtf16(bytes: Uint8Array): boolean {
  const [first, second] = bytes;
  const mark = (first === 0xff && second === 0xfe) || (first === 0xfe && second === 0xff);
  return mark && bytes.includes(0);
}

/** Line and column of a byte, the column counted in characters as an editor shows them. */
function positionOf(bytes: Uint8Array, offset: number): Position {
  const before = bytes.subarray(0, offset);
  const lineStart = before.lastIndexOf(0x0a) + 1;
  const line = before.filter((b) => b === 0x0a).length + 1;
  const column = new TextDecoder("utf-8").decode(bytes.subarray(lineStart, offset)).length + 1;
  return { line, column };
}

/**
 * The offset of the first byte that breaks UTF-8. `isUtf8` says only whether there is one; this
 * walks the sequences to say where, and runs only on input already known to be invalid.
 */
function firstInvalidUtf8(bytes: Uint8Array): number {
  let i = 0;
  while (i < bytes.length) {
    const length = sequenceLength(bytes, i);
    if (length === 0) return i;
    i += length;
  }
  return bytes.length;
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
