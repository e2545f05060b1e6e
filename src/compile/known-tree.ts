/**
 * The tree known by its files' stat: the no-op build and the unchanged check answer from the tree's
 * fingerprint (up-to-date.ts), which hashes every file's bytes. Reading a thousand files only to
 * learn that none changed was most of a no-op's time, so a run that reads the whole tree records,
 * for each file, what fstat said of it just before its bytes were read, with the hash of those
 * bytes, and the hash of glob's listing. The next run lists the tree with readdir (walkTree, the
 * same entries as glob's, and much faster) and stats each file: when the listing is the same and
 * every file's size, modification and change times, inode and device are the recorded ones, the
 * recorded hashes are the files' hashes, and the fingerprint is worked out without reading a byte.
 * Anything else (a file added, removed, touched, or one whose stat cannot be trusted) and the run
 * reads the tree in full, as before; when only the listing is unchanged, discover reads the files
 * of that listing (the one glob gave) instead of asking glob again.
 *
 * What keeps this as sure as reading: the change time (ctime) moves on every write, chmod and
 * rename and cannot be set back by a user, so an edit that restores a file's size and modification
 * time is still seen. A file written in the same clock tick as the record was taken could keep all
 * of its stat (git calls it "racily clean"), so a file whose times fall within RACY_MS of the start
 * of the read that recorded it is never trusted: its next run reads the tree again, and records it
 * again, later. Only a tree that discover found nothing wrong with is recorded (a file it could not
 * read has no stat to compare). The record is keyed by the tools (the code that classifies and reads
 * the tree), the folder and the current folder (findings name files relative to it).
 */

import { type BigIntStats, lstatSync } from "node:fs";
import path from "node:path";
import { type Diagnostic, hasErrors, type StageResult } from "../diagnostics/index.js";
import { fileHash } from "../model/content-hash.js";
import type { SourceFile } from "../model/tree.js";
import { discover, listTree, type TreeEntry, walkTree } from "../stages/discover.js";
import { type CacheDir, cacheKey, readStamp, writeStamp } from "./cache.js";
import { isArrayOf, isDiagnostic, isRecord, isString, type Shape } from "./shapes.js";

/** What a fingerprint is made of: discover's findings and each file read, by path, with the hash of its bytes. */
export interface TreeDigest {
  diagnostics: readonly Diagnostic[];
  files: readonly (readonly [rel: string, hash: string])[];
}

/** The digest of a tree as discover read it. */
export function digestOf(found: StageResult<readonly SourceFile[]>): TreeDigest {
  return { diagnostics: found.diagnostics, files: found.value.map((f) => [f.rel, fileHash(f)] as const) };
}

/**
 * Times this close to the start of the recording read (or later) are not trusted: the coarsest
 * timestamps in common use (FAT) tick every 2 s; Linux's tick every few milliseconds.
 */
export const RACY_MS = 2000;

/** A file as recorded: path, size, mtime and ctime in nanoseconds, inode, device, hash of its bytes. */
type KnownFile = [rel: string, size: string, mtimeNs: string, ctimeNs: string, ino: string, dev: string, hash: string];

interface KnownTree {
  kind: "known-tree";
  /** The hash of the listing (every entry's path and type). */
  listing: string;
  /** When the read that recorded this began, in nanoseconds since the epoch. */
  readAtNs: string;
  diagnostics: Diagnostic[];
  files: KnownFile[];
}

const isKnownTree: Shape<KnownTree> = (value): value is KnownTree =>
  isRecord(value) &&
  value.kind === "known-tree" &&
  isString(value.listing) &&
  isString(value.readAtNs) &&
  /^\d+$/.test(value.readAtNs) &&
  isArrayOf(value.diagnostics, isDiagnostic) &&
  isArrayOf(
    value.files,
    (f): f is KnownFile => Array.isArray(f) && f.length === 7 && f.every(isString) && f.slice(1, 6).every((n) => /^\d+$/.test(n)),
  );

/** Where the tree is and who looks at it: the record's key, with the tools. */
export interface TreePlace {
  /** The events folder, absolute. */
  root: string;
  /** The current folder, absolute. */
  cwd: string;
  tools: Record<string, string>;
}

function knownKey(place: TreePlace): string {
  return cacheKey("known-tree", place.root, place.cwd, place.tools);
}

function statKey(stat: BigIntStats): string[] {
  return [stat.size, stat.mtimeNs, stat.ctimeNs, stat.ino, stat.dev].map(String);
}

function listingHash(listed: readonly TreeEntry[]): string {
  return cacheKey(listed.map((e) => [e.rel, e.type, e.unreadable ?? ""]));
}

/** The events tree as a run opens it: its digest when the stats say it is known, and its files. */
export interface OpenedTree {
  /** The digest from the record, when every file's stat is the recorded one: no file was read. */
  known?: TreeDigest;
  /** Reads the tree (discover, with the listing already taken) and records its stats; once. */
  read(): Promise<StageResult<SourceFile[]>>;
}

/** Opens the events tree: lists it, and knows it by stat when it can (`known`); `read` reads it. */
export async function openTree(
  cache: CacheDir,
  options: { eventsDir: string; cwd?: string | undefined; tools: Record<string, string>; readAll?: boolean },
): Promise<OpenedTree> {
  const cwd = path.resolve(options.cwd ?? process.cwd());
  const place: TreePlace = { root: path.resolve(cwd, options.eventsDir), cwd, tools: options.tools };
  const { listed: unchanged, sure, digest } = cache === undefined ? {} : await knownTree(cache, place);
  let reading: Promise<StageResult<SourceFile[]>> | undefined;
  const read = async () => {
    const root = lstatSync(place.root, { throwIfNoEntry: false });
    // A missing folder, a link or a file: discover says what is wrong.
    const listed = unchanged ?? (root?.isDirectory() ? await listTree(place.root) : undefined);
    const recording = recordTree(cache, place, listed, sure);
    const found = await discover({
      eventsDir: options.eventsDir,
      cwd: options.cwd,
      ...(listed ? { listed } : {}),
      ...(sure && !options.readAll ? { known: new Map([...sure].map(([rel, [hash]]) => [rel, hash])) } : {}),
      onRead: recording.onRead,
    });
    await recording.save(found);
    return found;
  };
  return digest ? { known: digest, read: () => (reading ??= read()) } : { read: () => (reading ??= read()) };
}

/** A file known by its stat: the hash of its bytes and the stat they were read with (as recorded). */
type Sure = [hash: string, stat: string[]];

/**
 * What the record says of the tree as it is now: when its listing (by readdir: walkTree) is the one
 * recorded (by glob), that listing, and the files whose stat is the recorded one (`sure`); when all
 * of them are, the tree's digest.
 */
async function knownTree(
  cache: CacheDir,
  place: TreePlace,
): Promise<{ listed?: TreeEntry[]; sure?: Map<string, Sure>; digest?: TreeDigest }> {
  const root = lstatSync(place.root, { throwIfNoEntry: false });
  // A missing folder, a link or a file: discover says what is wrong, from scratch.
  if (!root?.isDirectory()) return {};
  const known = await readStamp(cache, knownKey(place), isKnownTree);
  if (!known) return {};
  let walked: TreeEntry[];
  try {
    walked = walkTree(place.root);
  } catch {
    return {};
  }
  if (known.listing !== listingHash(walked)) return {};
  // The listing is the one glob gave when the record was taken: discover needs no other.
  const trustedBefore = BigInt(known.readAtNs) - BigInt(RACY_MS) * 1_000_000n;
  const sure = new Map<string, Sure>();
  for (const [rel, ...recorded] of known.files) {
    const stat = lstatSync(path.join(place.root, rel), { bigint: true, throwIfNoEntry: false });
    if (!stat?.isFile() || stat.mtimeNs >= trustedBefore || stat.ctimeNs >= trustedBefore) continue;
    const now = statKey(stat);
    if (now.every((n, i) => n === recorded[i])) sure.set(rel, [recorded[5] as string, now]);
  }
  if (sure.size < known.files.length) return { listed: walked, sure };
  const files = known.files.map(([rel, ...recorded]) => [rel, recorded[5] as string] as const);
  return { listed: walked, sure, digest: { diagnostics: known.diagnostics, files } };
}

/**
 * Starts recording a read of the tree: call `onRead` for each file discover reads, then `save` with
 * what discover returned. Nothing is recorded for a tree with errors.
 */
function recordTree(
  cache: CacheDir,
  place: TreePlace,
  listed: TreeEntry[] | string | undefined,
  sure: ReadonlyMap<string, Sure> | undefined,
) {
  const readAtNs = BigInt(Date.now()) * 1_000_000n;
  // The files known by stat keep the stat they were read with; the others get the one they are read with now.
  const stats = new Map<string, string[]>([...(sure ?? [])].map(([rel, [, stat]]) => [rel, stat]));
  return {
    onRead: (rel: string, stat: BigIntStats) => stats.set(rel, statKey(stat)),
    save: async (found: StageResult<readonly SourceFile[]>): Promise<void> => {
      if (cache === undefined || listed === undefined || typeof listed === "string" || hasErrors(found.diagnostics)) return;
      const files: KnownFile[] = [];
      for (const file of found.value) {
        const stat = stats.get(file.rel);
        if (!stat) return;
        files.push([file.rel, ...stat, fileHash(file)] as KnownFile);
      }
      const record: KnownTree = {
        kind: "known-tree",
        listing: listingHash(listed),
        readAtNs: String(readAtNs),
        diagnostics: [...found.diagnostics],
        files,
      };
      await writeStamp(cache, knownKey(place), record);
    },
  };
}
