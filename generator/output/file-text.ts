/**
 * What the output side does with a file's text without joining its pieces (`FileText`): hash it,
 * compare it with the disk, write it. Joining a large file's pieces would copy tens of megabytes
 * for nothing, more than once per file.
 */
import { createHash } from "node:crypto";
import { open, type FileHandle } from "node:fs/promises";
import type { FileText } from "../emit/file.js";

/** Pieces are written in batches of about this many characters: one write each, not one a piece. */
const BATCH_CHARS = 1 << 20;

/** The text as one string, for callers that need it whole: a diff, a test, the render API. */
export function joinText(text: FileText): string {
  return typeof text === "string" ? text : text.join("");
}

/** SHA-256 of the text's UTF-8 bytes, hex; the same for a string and for its pieces. */
export function sha256(text: FileText | Uint8Array): string {
  const hash = createHash("sha256");
  if (typeof text === "string" || text instanceof Uint8Array) hash.update(text);
  else for (const piece of text) hash.update(piece);
  return hash.digest("hex");
}

/**
 * Whether a file holds exactly the text's UTF-8 bytes; false when it cannot be read. The file is
 * read a batch at a time beside the text's own batches, so neither is ever held whole: decoding a
 * file of 80 MB to compare it once cost more memory than generating it.
 */
export async function sameAsFile(text: FileText, path: string): Promise<boolean> {
  const file = await open(path, "r").catch(() => undefined);
  if (file === undefined) return false;

  try {
    let position = 0;
    for (const batch of writeBatches(text)) {
      const want = Buffer.from(batch, "utf8");
      const have = await readAt(file, position, want.length);
      if (!have.equals(want)) return false;
      position += want.length;
    }
    return (await readAt(file, position, 1)).length === 0;
  } catch {
    return false;
  } finally {
    await file.close();
  }
}

/** Up to `length` bytes from `position`, fewer only at the end of the file. */
async function readAt(file: FileHandle, position: number, length: number): Promise<Buffer> {
  const buffer = Buffer.alloc(length);
  let filled = 0;
  while (filled < length) {
    const { bytesRead } = await file.read(buffer, filled, length - filled, position + filled);
    if (bytesRead === 0) break;
    filled += bytesRead;
  }
  return buffer.subarray(0, filled);
}

/** The text as a few strings of about a mebibyte each, as `writeFile` takes them. */
export function* writeBatches(text: FileText): Generator<string> {
  if (typeof text === "string") {
    yield text;
    return;
  }

  let batch: string[] = [];
  let size = 0;
  for (const piece of text) {
    batch.push(piece);
    size += piece.length;
    if (size < BATCH_CHARS) continue;
    yield batch.join("");
    batch = [];
    size = 0;
  }
  if (batch.length > 0) yield batch.join("");
}
