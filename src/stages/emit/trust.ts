/**
 * The record that spares emit reading the out folder again: each file's size, modification time
 * and inode as the last build left it, kept in the build cache (a Store, model/store.ts) under the
 * folder's path and the hash of its manifest. Before replacing a folder, emit checks every file
 * against its manifest (index.ts); a file whose size, time and inode are those recorded is the
 * file the build wrote and hashed, so its hash is the manifest's without reading it. A file with
 * any other stat is read and hashed as before, so an edit, a replacement or a new file is still
 * found; so is a folder with no record (no cache, another manifest, a crash before the record was
 * kept).
 *
 * The same trust as the no-op build's stamp (compile/up-to-date.ts: size and time) and git's index,
 * with the inode besides: any write changes a file's time, a replacement its inode. What it cannot
 * see is a change that puts back a file's size and time to the nanosecond, or damage of the disk
 * under an unchanged stat. The stats are taken in the new folder before the swap, while the build
 * holds the folder's lock, so no one else's write can slip in between writing and recording.
 */

import type { Stats } from "node:fs";
import type { Shape, Store } from "../../model/store.js";

/** One file as the build left it: [size, mtimeMs, ino]. */
export type FileStat = [number, number, number];

/** The stats of an out folder's files as the build that wrote its manifest left them, by path. */
export interface OutRecord {
  format: 1;
  files: Record<string, FileStat>;
}

/** The store's key of an out folder's record: its absolute path and its manifest's hash. */
export function recordKey(out: string, manifestHash: string): unknown[] {
  return ["out-folder", out, manifestHash];
}

/** A file's stat as the record keeps it. */
export function fileStat(s: Stats): FileStat {
  return [s.size, s.mtimeMs, s.ino];
}

/** Whether a file's stat now is the one recorded (then its bytes are those the build hashed). */
export function sameStat(s: Stats, recorded: FileStat | undefined): boolean {
  return recorded !== undefined && s.size === recorded[0] && s.mtimeMs === recorded[1] && s.ino === recorded[2];
}

/** The record of `out` under this manifest, when the store has one of the right shape. */
export function readRecord(store: Store | undefined, out: string, manifestHash: string): OutRecord | undefined {
  return store?.get(recordKey(out, manifestHash), isOutRecord);
}

const isOutRecord: Shape<OutRecord> = (value): value is OutRecord => {
  if (typeof value !== "object" || value === null || Array.isArray(value)) return false;
  const { format, files } = value as Record<string, unknown>;
  if (format !== 1 || typeof files !== "object" || files === null || Array.isArray(files)) return false;
  return Object.values(files).every((s) => Array.isArray(s) && s.length === 3 && s.every((n) => typeof n === "number"));
};
