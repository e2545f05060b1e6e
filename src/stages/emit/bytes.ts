/**
 * How emit writes and hashes one file's bytes: a text hashed from its bytes without a copy when it
 * is ASCII; a file given in pieces (made as they are asked for, or ranges of another file copied
 * through one small buffer) written and hashed piece by piece, never joined; an unchanged file
 * hard-linked.
 */

import { createHash } from "node:crypto";
import { closeSync, fstatSync, linkSync, openSync, readSync, rmSync, statSync, writeSync } from "node:fs";
import { type FileStat, fileStat } from "./trust.js";

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

function sha256(bytes: Buffer | string): string {
  return createHash("sha256").update(bytes).digest("hex");
}

// ---------------------------------------------------------------------------------------------
// Files spliced from another file's ranges

/**
 * A range `[start, end)` of another file's bytes (the one the last build wrote), and that file's
 * stat when its bytes were checked ({@link checkedSource}).
 */
export interface FileRange {
  file: string;
  start: number;
  end: number;
  stat: FileStat;
}

/** A piece of a file being written: bytes, or a range of another file's. */
export type Chunk = Buffer | FileRange;

/** A source file changed after its bytes were checked: nothing copied from it can be trusted. */
export class SourceChanged extends Error {}

/**
 * The buffer a spliced or pieced file is written through. Copied so, 150 MB (events.json and asyncapi.json at 5,000
 * events) cost a tenth of reading the old file whole: a buffer of that size is new memory, and
 * faulting its pages in costs more than the copy.
 */
const COPY_SIZE = 1 << 20;
let copyBuffer: Buffer | undefined;
const buffer = (): Buffer => {
  copyBuffer ??= Buffer.allocUnsafeSlow(COPY_SIZE);
  return copyBuffer;
};

export function chunkLength(chunk: Chunk): number {
  return Buffer.isBuffer(chunk) ? chunk.length : chunk.end - chunk.start;
}

/**
 * The stat of a file whose bytes are to be copied, when they are those of `hash` (read through the
 * copy buffer and hashed; not read at all without a hash: the caller trusts its stat), else
 * undefined. A file written while it was hashed is undefined too.
 */
export function checkedSource(file: string, hash?: string): FileStat | undefined {
  if (hash === undefined) {
    const s = statSync(file, { throwIfNoEntry: false });
    return s?.isFile() ? fileStat(s) : undefined;
  }
  let fd: number;
  try {
    fd = openSync(file, "r");
  } catch {
    return undefined;
  }
  try {
    const before = fileStat(fstatSync(fd));
    const sha = createHash("sha256");
    const buf = buffer();
    for (let at = 0; ; ) {
      const n = readSync(fd, buf, 0, buf.length, at);
      if (n === 0) break;
      sha.update(buf.subarray(0, n));
      at += n;
    }
    const after = fileStat(fstatSync(fd));
    return sha.digest("hex") === hash && sameFileStat(before, after) ? before : undefined;
  } catch {
    // Not readable as a file (a folder put in its place): nothing to copy from.
    return undefined;
  } finally {
    closeSync(fd);
  }
}

/**
 * Writes a file (created, never overwritten) from bytes and ranges of other files, and returns the
 * sha256 of what it wrote: everything goes out through the copy buffer, a megabyte per write, and
 * each byte is read, written and hashed once. Throws SourceChanged when a source's stat is not the
 * one its bytes were checked under, before or after the copy (the caller then makes the file
 * whole; what was written is its to remove).
 */
export function writeChunks(file: string, chunks: Iterable<Chunk>): string {
  const sha = createHash("sha256");
  const sources = new Map<string, { fd: number; stat: FileStat }>();
  const buf = buffer();
  let fill = 0;
  const fd = openSync(file, "wx");
  const flush = () => {
    for (let off = 0; off < fill; ) off += writeSync(fd, buf, off, fill - off);
    fill = 0;
  };
  try {
    for (const chunk of chunks) {
      if (Buffer.isBuffer(chunk)) {
        // Pieces made as they are asked for are let go once copied.
        sha.update(chunk);
        for (let at = 0; at < chunk.length; ) {
          if (fill === buf.length) flush();
          const n = chunk.copy(buf, fill, at);
          fill += n;
          at += n;
        }
        continue;
      }
      const source = sourceOf(sources, chunk);
      for (let at = chunk.start; at < chunk.end; ) {
        if (fill === buf.length) flush();
        const n = readSync(source, buf, fill, Math.min(buf.length - fill, chunk.end - at), at);
        if (n === 0) throw new SourceChanged(`${chunk.file} is shorter than when its bytes were checked`);
        sha.update(buf.subarray(fill, fill + n));
        fill += n;
        at += n;
      }
    }
    flush();
    for (const { fd: source, stat } of sources.values()) {
      if (!sameFileStat(fileStat(fstatSync(source)), stat)) throw new SourceChanged(`a file was written while ${file} was copied from it`);
    }
  } finally {
    closeSync(fd);
    for (const { fd: source } of sources.values()) closeSync(source);
  }
  return sha.digest("hex");
}

/**
 * Writes a file spliced from another (writeChunks) and returns its sha256, or undefined, nothing
 * left behind, when the other file changed after its bytes were checked: the caller then makes
 * the file whole.
 */
export function writtenFrom(target: string, chunks: Iterable<Chunk>): string | undefined {
  try {
    return writeChunks(target, chunks);
  } catch (e) {
    if (!(e instanceof SourceChanged)) throw e;
    rmSync(target, { force: true });
    return undefined;
  }
}

function sourceOf(sources: Map<string, { fd: number; stat: FileStat }>, range: FileRange): number {
  let source = sources.get(range.file);
  if (!source) {
    const fd = openSync(range.file, "r");
    source = { fd, stat: fileStat(fstatSync(fd)) };
    sources.set(range.file, source);
  }
  if (!sameFileStat(source.stat, range.stat)) throw new SourceChanged(`${range.file} changed after its bytes were checked`);
  return source.fd;
}

function sameFileStat(a: FileStat, b: FileStat): boolean {
  return a[0] === b[0] && a[1] === b[1] && a[2] === b[2];
}
