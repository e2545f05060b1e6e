/**
 * How emit writes and hashes one file's bytes: a text hashed from its bytes without a copy when it
 * is ASCII, a file given in pieces written without joining them, an unchanged file hard-linked.
 */

import { createHash } from "node:crypto";
import { closeSync, linkSync, openSync, writeSync, writevSync } from "node:fs";

/** A character outside ASCII. */
const NON_ASCII = /[^\x00-\x7f]/;

/**
 * The sha256 of a text's UTF-8 bytes, and those bytes when it had to make them. An ASCII text (the
 * validators, the declarations) is hashed as latin1, whose bytes are then its UTF-8 bytes: no
 * buffer is made for a file that is linked, and tens of megabytes of buffers cost the collector
 * more than the hash. Any other text is encoded once, hashed and written from the same bytes.
 */
export function textHash(text: string): { hash: string; bytes?: Buffer } {
  if (!NON_ASCII.test(text)) return { hash: createHash("sha256").update(text, "latin1").digest("hex") };
  const bytes = Buffer.from(text);
  return { hash: sha256(bytes), bytes };
}

/**
 * Hard-links `existing` as `target`; false when the link fails (another file system). Synchronous:
 * a link is one metadata change, and a thousand of them cost less in a row than as a thousand
 * promises handed to the thread pool.
 */
export function linked(existing: string, target: string): boolean {
  try {
    linkSync(existing, target);
    return true;
  } catch {
    return false;
  }
}

/**
 * Writes a file given in pieces (most of them views of another file's bytes) with as few system
 * calls as the pieces allow (writev takes many at once), without joining them first.
 */
export function writePieces(file: string, pieces: readonly Buffer[]): void {
  const fd = openSync(file, "wx");
  try {
    let at = 0;
    while (at < pieces.length) {
      const batch = pieces.slice(at, at + 1024);
      const size = batch.reduce((n, b) => n + b.length, 0);
      const written = writevSync(fd, batch);
      // A short write (rare on a file): the rest of this batch one piece at a time.
      if (written < size) writeRest(fd, batch, written);
      at += batch.length;
    }
  } finally {
    closeSync(fd);
  }
}

function writeRest(fd: number, batch: readonly Buffer[], written: number): void {
  let skip = written;
  for (const piece of batch) {
    if (skip >= piece.length) {
      skip -= piece.length;
      continue;
    }
    let off = skip;
    skip = 0;
    while (off < piece.length) off += writeSync(fd, piece, off, piece.length - off);
  }
}

/** The sha256 of bytes given in pieces. */
export function sha256Of(pieces: readonly Buffer[]): string {
  const hash = createHash("sha256");
  for (const piece of pieces) hash.update(piece);
  return hash.digest("hex");
}

function sha256(bytes: Buffer | string): string {
  return createHash("sha256").update(bytes).digest("hex");
}
