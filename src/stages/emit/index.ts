/**
 * emit: the only writer of an output folder. The contract (docs/security.md):
 *
 * - **Only what the build wrote is replaced.** Every build writes a manifest into the folder
 *   (`.domain-events-manifest.json`: each file's path and sha256, sorted, no times). Before
 *   replacing a folder, emit compares it with its manifest: a file the manifest does not list, a
 *   file whose bytes differ from its hash, a folder no listed file is in, or anything but files and
 *   folders, is someone else's, and the build is refused (EmitError, exit 2). A non-empty folder
 *   without a manifest is refused too; an empty folder or a missing one is fine.
 * - **On any error the folder is exactly as it was, with nothing beside it.** The new files go into
 *   a sibling `<out>.tmp-*`, which then takes the folder's place by two renames (`<out>` to
 *   `<out>.old-*`, the new one to `<out>`); the old one is deleted last. Whether the old folder can
 *   be deleted is checked before the swap (every folder in it writable); should the deletion still
 *   fail, the swap is rolled back. Errors of the user's making (read-only, not a folder, foreign
 *   files, locked) are EmitError: one line naming the folder and what to do.
 * - **A crash at any point leaves the old or the new folder, or a record to restore it from.**
 *   Linux has an atomic exchange of two folders (renameat2 with RENAME_EXCHANGE), but Node has no
 *   API for it and this package takes no native addon. So a crash between the two renames is
 *   recovered instead: before the first rename, a journal `<out>.swap.json` names the two sibling
 *   folders, and every later emit, and every build before anything else, first settles an
 *   interrupted swap (the old folder is put back when the new one had not taken its place yet; when
 *   it had, the old one is deleted) and removes the journal. Between the crash and the next build,
 *   the folder can be missing; the next build restores it. A power cut is out of scope (nothing is
 *   fsync'd).
 * - **An unchanged file is not written again.** A file whose bytes equal those the manifest of the
 *   folder being replaced records (every file was checked against it just before) is hard-linked
 *   into the new folder instead of written; where a link fails (another file system), it is
 *   written. The swap of the whole folder is unchanged, so readers still see the old folder or the
 *   new one. Each text is encoded once, hashed from its bytes and written from them.
 * - **A file known by its hash is not even made.** Given the hashes of files known without their
 *   texts (`known`: generate/outputs.ts), a file whose known hash is the one the manifest records
 *   under its name is linked, and its text is never asked for (a validator's code stays unread).
 *   A file that can be spliced from the one the last build wrote (`known.splice`:
 *   generate/splice.ts, events.json and asyncapi.json) is written from the pieces it gives, most
 *   of them ranges of the old file, copied through one small buffer and hashed as they are written
 *   (bytes.ts writeChunks); should the old file change meanwhile, the file is made whole instead.
 * - **An unchanged file is not read again.** Given a store (the build cache), emit keeps each
 *   file's size, time and inode as it leaves the folder (trust.ts); the next emit reads and hashes
 *   only the files whose stat is not the recorded one. Without a record every file is read.
 * - **One build at a time per folder.** A lock file `<out>.lock`, created with O_EXCL, holds the
 *   writer's pid (and host, and the process's start time where /proc has it); a second build waits
 *   for it (up to LOCK_WAIT_MS, then it is refused); the lock of a process that is gone is taken
 *   over. emit returns what it wrote (the manifest's hash, and each file's size and time as written),
 *   so that a build's stamp (compile/up-to-date.ts) describes its own output, never a listing taken
 *   after another build may have replaced it.
 */

import { createHash, randomBytes } from "node:crypto";
import { lstatSync, statSync } from "node:fs";
import { access, constants, lstat, mkdir, readdir, readFile, rename, rm, rmdir, writeFile } from "node:fs/promises";
import path from "node:path";
import type { Store } from "../../model/store.js";
import { type Chunk, linked, textHash, writeChunks, writtenFrom } from "./bytes.js";
import { asEmitError, EmitError } from "./errors.js";
import { lock } from "./lock.js";
import { fileStat, type OutRecord, readRecord, recordKey, sameStat } from "./trust.js";

export { EmitError };

/** The manifest's name inside an output folder. */
export const MANIFEST = ".domain-events-manifest.json";

/** How many files emit writes (or hashes) at the same time. */
const WRITES_AT_ONCE = 32;

/** What emit wrote: the manifest's hash, and every file as written ([path, size, mtimeMs], sorted). */
export interface EmitReceipt {
  manifest: string;
  files: [string, number, number][];
  /** The files whose bytes were those of the last build's, linked instead of written (how many). */
  linked?: number;
  /** The files spliced from the last build's (KnownHashes.splice), sorted. */
  spliced?: string[];
}

/** What to do with a non-empty folder that has no manifest: refuse it (the default), or replace it. */
export interface ReplaceOptions {
  /**
   * "replace" only for folders that are the build's own by definition (npm run build: dist/ and
   * build/generated/, gitignored, written before manifests existed). Once a folder has a manifest,
   * foreign files in it are refused whatever this says.
   */
  unrecorded?: "refuse" | "replace";
  /** The sha256 of files the caller wrote from memory, by path: the manifest need not read them back. */
  hashes?: ReadonlyMap<string, string>;
  /** Where to keep the stats of the files as written (the build cache), so that the next emit need not read them (trust.ts). */
  store?: Store;
  /**
   * The hashes of files known without their texts (generate/outputs.ts): a file whose known hash
   * is the one the folder's manifest records under its name is linked, and its text never made.
   */
  known?: KnownHashes;
}

/** What emit may ask of the files it is given besides their texts. */
export interface KnownHashes {
  /** The sha256 of a file's text, when known without making it. */
  hashOf(name: string): string | undefined;
  /** Tells the sha256 of a file's text, once hashed. */
  remember(name: string, hash: string): void;
  /** A file's bytes made from the file the last build wrote under its name (its path and manifest hash), when it can be. */
  splice?(name: string, previous: { file: string; hash: string; unchanged(): boolean }): Chunk[] | undefined;
  /** A file's bytes in pieces made as they are asked for, when it is made of pieces (never joined into one text). */
  whole?(name: string): Iterable<Buffer> | undefined;
}

/** Replaces `outDir` with exactly `files` (and the manifest). Refuses a folder holding anything else. */
export async function emit(outDir: string, files: ReadonlyMap<string, string>, options: ReplaceOptions = {}): Promise<EmitReceipt> {
  // Filled while the files are written, read when the manifest is.
  const hashes = new Map<string, string>();
  let linkedFiles = 0;
  const spliced: string[] = [];
  const receipt = await replaceDir(
    outDir,
    async (tmp, previous) => {
      // Names only: a text is made (generate/outputs.ts) when it is to be written, not before.
      const names = [...files.keys()].sort();
      // Each folder once, then the files a few dozen at a time: one by one, thousands of small
      // files wait on the disk in turn (a 1,000-event package is over 2,000 files).
      for (const dir of [...new Set(names.map((name) => path.dirname(path.join(tmp, name))))].sort()) {
        await mkdir(dir, { recursive: true });
      }
      const { known } = options;
      await inParallel(names, async (name) => {
        const target = path.join(tmp, name);
        // A file whose hash is known, and is the one the last build wrote under this name: linked, never made.
        const hashed = known?.hashOf(name);
        if (hashed !== undefined && previous?.hashes.get(name) === hashed && linked(path.join(previous.dir, name), target)) {
          hashes.set(name, hashed);
          linkedFiles++;
          return;
        }
        // A file the last build wrote, from which this one is spliced (only its edited parts made,
        // the rest copied from the old file as it is written and hashed).
        const old = previous?.hashes.get(name);
        const fromOld =
          old !== undefined && previous
            ? known?.splice?.(name, { file: path.join(previous.dir, name), hash: old, unchanged: () => previous.unchanged(name) })
            : undefined;
        const splicedHash = fromOld ? writtenFrom(target, fromOld) : undefined;
        if (splicedHash !== undefined) {
          spliced.push(name);
          hashes.set(name, splicedHash);
          known?.remember(name, splicedHash);
          return;
        }
        // A file made of pieces: each written and hashed as it is made.
        const pieces = known?.whole?.(name);
        if (pieces) {
          const hash = writeChunks(target, pieces);
          hashes.set(name, hash);
          known?.remember(name, hash);
          return;
        }
        const text = files.get(name) as string;
        const { hash, bytes } = textHash(text);
        hashes.set(name, hash);
        known?.remember(name, hash);
        // A file the last build wrote with these very bytes is linked, not written again: after
        // one edit, most of a large package costs a link each.
        if (previous !== undefined && previous.hashes.get(name) === hash && linked(path.join(previous.dir, name), target)) {
          linkedFiles++;
          return;
        }
        await writeFile(target, bytes ?? Buffer.from(text, "latin1"));
      });
    },
    { ...options, hashes },
  );
  return { ...receipt, linked: linkedFiles, spliced: spliced.sort() };
}

/** The out folder as the last build left it (checked against its manifest just before the swap). */
export interface PreviousOutput {
  dir: string;
  /** Each file's sha256, by `/`-separated path: the manifest's, which every file was checked against. */
  hashes: ReadonlyMap<string, string>;
  /** Whether a file's stat is still the one recorded when it was written (trust.ts): its bytes are then the manifest's. */
  unchanged(rel: string): boolean;
}

/**
 * Fills a new folder beside `outDir` with `fill`, writes its manifest, then swaps it in for `outDir`
 * (see the header for the whole contract). When anything fails, `outDir` is as it was and nothing
 * is left beside it; a failure of `fill` is rethrown as it is (an fs error as an EmitError).
 */
export async function replaceDir(
  outDir: string,
  fill: (tmp: string, previous: PreviousOutput | undefined) => Promise<void>,
  options: ReplaceOptions = {},
): Promise<EmitReceipt> {
  const out = path.resolve(outDir);
  const display = outDir;
  let made: string | undefined;
  let unlock: (() => Promise<void>) | undefined;
  let done = false;
  try {
    made = await makeParents(path.dirname(out));
    unlock = await lock(out, display);
    await settleSwap(out, display);
    const owned = await checkOwned(out, display, options.unrecorded ?? "refuse", options.store);
    if (owned) await checkRemovable(out, display, owned.entries);
    const previous = owned?.manifest
      ? {
          dir: out,
          hashes: new Map(Object.entries(owned.manifest.files)),
          unchanged: (rel: string) => {
            const s = lstatSync(path.join(out, rel), { throwIfNoEntry: false });
            return s !== undefined && owned.record !== undefined && sameStat(s, owned.record.files[rel]);
          },
        }
      : undefined;
    const { receipt, record } = await swap(out, display, (tmp) => fill(tmp, previous), owned !== undefined, options.hashes);
    // Kept once the new folder is in place: a record of a folder that never took the old one's place is never read.
    options.store?.set(recordKey(out, receipt.manifest), record);
    done = true;
    return receipt;
  } catch (e) {
    throw asEmitError(e, display);
  } finally {
    await unlock?.();
    // The folders made for the out folder's parent go again when nothing was written.
    if (!done && made !== undefined) await removeEmptyUpTo(path.dirname(out), made);
  }
}

/**
 * Makes `dir` and the folders above it that are missing, one by one, and returns the first one it
 * made (undefined when `dir` existed). Not mkdir's `recursive`: under /proc, Node's recursive mkdir
 * of a path that cannot exist never returns; made one at a time, the first missing folder fails.
 */
async function makeParents(dir: string): Promise<string | undefined> {
  const missing: string[] = [];
  for (let d = dir; !(await exists(d)); d = path.dirname(d)) {
    missing.unshift(d);
    if (path.dirname(d) === d) break;
  }
  for (const d of missing) await mkdir(d);
  return missing[0];
}

/** Removes `dir` and its parents up to `top` (included), while they are empty. */
async function removeEmptyUpTo(dir: string, top: string): Promise<void> {
  for (let d = dir; d.length >= top.length; d = path.dirname(d)) {
    if (
      !(await rmdir(d).then(
        () => true,
        () => false,
      ))
    )
      return;
  }
}

/**
 * Settles a swap into `outDir` that a crash interrupted (see the header), if there is one. A build
 * calls it before anything else, so that even a build that fails its check leaves the folder whole.
 */
export async function recoverInterrupted(outDir: string): Promise<void> {
  const out = path.resolve(outDir);
  if (!(await exists(journalOf(out)))) return;
  const unlock = await lock(out, outDir);
  try {
    await settleSwap(out, outDir);
  } catch (e) {
    throw asEmitError(e, outDir);
  } finally {
    await unlock();
  }
}

/** Whether a swap into `outDir` is unfinished (its journal is there): then the folder is not to be trusted yet. */
export async function swapPending(outDir: string): Promise<boolean> {
  return exists(journalOf(path.resolve(outDir)));
}

// ---------------------------------------------------------------------------------------------
// The swap and its journal

/** The journal of a swap: the two sibling folders it uses, by name (they sit beside the out folder). */
interface Journal {
  tmp: string;
  old: string;
}

function journalOf(out: string): string {
  return `${out}.swap.json`;
}

/** Fills, records and swaps; on any failure puts the old folder back and removes what it made. */
async function swap(
  out: string,
  display: string,
  fill: (tmp: string) => Promise<void>,
  existing: boolean,
  hashes: ReadonlyMap<string, string> | undefined,
): Promise<Written> {
  const suffix = `${process.pid}-${randomBytes(4).toString("hex")}`;
  const journal: Journal = { tmp: `${path.basename(out)}.tmp-${suffix}`, old: `${path.basename(out)}.old-${suffix}` };
  const tmp = path.join(path.dirname(out), journal.tmp);
  const old = path.join(path.dirname(out), journal.old);
  // The journal comes first: from here on, a crash leaves a record of what to put right.
  await writeJournal(out, journal);
  let swapped = false;
  try {
    await mkdir(tmp);
    await fill(tmp);
    const written = await writeManifest(tmp, hashes);
    if (existing) await rename(out, old);
    await rename(tmp, out);
    swapped = true;
    // Last, the old folder: should it refuse to go, the swap is undone (below).
    if (existing) await rm(old, { recursive: true });
    await rm(journalOf(out));
    return written;
  } catch (e) {
    // Undo: the new folder back to its temporary name, then settle as after a crash (the old
    // folder back in place, the temporary one removed, the journal last).
    if (swapped && existing) await rename(out, tmp).catch(() => undefined);
    await settleSwap(out, display).catch(() => undefined);
    throw e;
  }
}

/** Writes the journal whole or not at all (a temporary file renamed into place). */
async function writeJournal(out: string, journal: Journal): Promise<void> {
  const file = journalOf(out);
  const staged = `${file}.${process.pid}-${randomBytes(4).toString("hex")}`;
  try {
    await writeFile(staged, `${JSON.stringify(journal)}\n`, { flag: "wx" });
    await rename(staged, file);
  } finally {
    await rm(staged, { force: true });
  }
}

/**
 * Puts an interrupted swap right, from its journal: the old folder back when the out folder is
 * missing; then the temporary folder removed, and the old one when the out folder is in place (the
 * swap had finished); the journal last. Never deletes a folder while the out folder is missing.
 */
async function settleSwap(out: string, display: string): Promise<void> {
  const file = journalOf(out);
  let text: string;
  try {
    text = await readFile(file, "utf8");
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === "ENOENT") return;
    throw e;
  }
  const journal = parseJournal(text, path.basename(out));
  if (!journal) {
    throw new EmitError(
      `${display}.swap.json, the record of an interrupted build of ${display}, is damaged; ` +
        `put ${display} back from ${display}.old-* if it is missing, then delete ${display}.swap.json and the ${display}.tmp-* and .old-* folders`,
    );
  }
  const tmp = path.join(path.dirname(out), journal.tmp);
  const old = path.join(path.dirname(out), journal.old);
  if (!(await exists(out)) && (await exists(old))) await rename(old, out);
  await rm(tmp, { recursive: true, force: true });
  if (await exists(out)) await rm(old, { recursive: true, force: true });
  await rm(file, { force: true });
}

/** The journal, when it is one and names only siblings of the out folder made by a swap. */
function parseJournal(text: string, base: string): Journal | undefined {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (typeof value !== "object" || value === null) return undefined;
  const { tmp, old } = value as Record<string, unknown>;
  const sibling = (name: unknown, kind: string): name is string =>
    typeof name === "string" && name.startsWith(`${base}.${kind}-`) && /^[0-9a-f-]+$/.test(name.slice(base.length + kind.length + 2));
  return sibling(tmp, "tmp") && sibling(old, "old") ? { tmp, old } : undefined;
}

// ---------------------------------------------------------------------------------------------
// The manifest

/** The manifest of a folder: every file's sha256 by `/`-separated path. */
interface Manifest {
  format: 1;
  files: Record<string, string>;
}

/** What a new folder holds: the receipt, and the record of its files' stats (trust.ts). */
interface Written {
  receipt: EmitReceipt;
  record: OutRecord;
}

/**
 * Hashes every file of the new folder that `known` does not give the hash of, writes its manifest
 * (sorted, no times), and stats every file: the receipt and the record. The stats are taken before
 * the swap, which changes no file's size, time or inode.
 */
async function writeManifest(dir: string, known: ReadonlyMap<string, string> = new Map()): Promise<Written> {
  const listed = (await walk(dir)).filter((e) => e.rel !== MANIFEST);
  const odd = listed.find((e) => e.kind !== "file" && e.kind !== "folder");
  if (odd) throw new Error(`the build made ${odd.rel}, which is neither a file nor a folder`);
  const files = listed.filter((e) => e.kind === "file").map((e) => e.rel);
  const hashes = await inParallel(files, async (rel) => known.get(rel) ?? sha256(await readFile(path.join(dir, rel))));
  const manifest: Manifest = { format: 1, files: Object.fromEntries(files.map((rel, i) => [rel, hashes[i] as string])) };
  const text = `${JSON.stringify(manifest, null, 2)}\n`;
  await writeFile(path.join(dir, MANIFEST), text);
  const all = [...files, MANIFEST].sort();
  const record: OutRecord = { format: 1, files: {} };
  const receipt: EmitReceipt = { manifest: sha256(text), files: [] };
  for (const rel of all) {
    // Synchronous, as the stats of checkOwned (currentHash): metadata the walk just read.
    const s = statSync(path.join(dir, rel));
    receipt.files.push([rel, s.size, s.mtimeMs]);
    if (rel !== MANIFEST) record.files[rel] = fileStat(s);
  }
  return { receipt, record };
}

/** The manifest's hash of a folder as it is now, or undefined (none, unreadable). */
export async function manifestHash(outDir: string): Promise<string | undefined> {
  try {
    return sha256(await readFile(path.join(outDir, MANIFEST)));
  } catch {
    return undefined;
  }
}

/**
 * What the out folder holds (undefined when it is missing), refusing it when it holds anything the
 * build did not write (see the header).
 */
async function checkOwned(
  out: string,
  display: string,
  unrecorded: "refuse" | "replace",
  store: Store | undefined,
): Promise<{ entries: Entry[]; manifest?: Manifest; record?: OutRecord } | undefined> {
  const info = await lstat(out).catch((e: NodeJS.ErrnoException) => {
    if (e.code === "ENOENT") return undefined;
    throw e;
  });
  if (!info) return undefined;
  if (info.isSymbolicLink()) throw new EmitError(`${display} is a symbolic link; give the folder it points to as the output folder`);
  if (!info.isDirectory()) throw new EmitError(`${display} exists and is not a folder; remove it or choose another output folder`);
  const entries = await walk(out);
  if (entries.length === 0) return { entries };
  const read = await readManifest(out, display);
  const manifest = read?.manifest;
  if (!read || !manifest) {
    if (unrecorded === "replace") return { entries };
    const names = entries.filter((e) => !e.rel.includes("/")).map((e) => e.rel);
    throw foreignError(display, names, "and no record of a build");
  }
  const foreign: string[] = [];
  const folders = new Set(Object.keys(manifest.files).flatMap(parentsOf));
  const files = entries.filter((e) => e.kind === "file" && e.rel !== MANIFEST && Object.hasOwn(manifest.files, e.rel));
  const record = readRecord(store, out, read.hash);
  const hashes = await inParallel(files, (e) => currentHash(out, e.rel, manifest, record));
  const changed = new Set(files.filter((e, i) => hashes[i] !== manifest.files[e.rel]).map((e) => e.rel));
  for (const e of entries) {
    if (e.rel === MANIFEST) continue;
    if (changed.has(e.rel)) foreign.push(`${e.rel} (changed since the build wrote it)`);
    else if (e.kind === "folder" ? !folders.has(e.rel) : !(e.kind === "file" && Object.hasOwn(manifest.files, e.rel))) foreign.push(e.rel);
  }
  if (foreign.length > 0) throw foreignError(display, foreign, "");
  return { entries, manifest, ...(record ? { record } : {}) };
}

/**
 * A listed file's hash as it is now: the manifest's when its stat is the one the record of this
 * manifest keeps (trust.ts), else its bytes'.
 */
async function currentHash(out: string, rel: string, manifest: Manifest, record: OutRecord | undefined): Promise<string> {
  const file = path.join(out, rel);
  // Synchronous: the walk just read this metadata, and a stat costs less than the promise of one.
  if (record && Object.hasOwn(record.files, rel) && sameStat(lstatSync(file), record.files[rel])) return manifest.files[rel] as string;
  return sha256(await readFile(file));
}

function foreignError(display: string, names: string[], why: string): EmitError {
  const shown = names.slice(0, 3).join(", ") + (names.length > 3 ? `, and ${names.length - 3} more` : "");
  return new EmitError(
    `${display} holds files the build did not make${why ? ` ${why}` : ""} (${shown}); ` +
      "move them elsewhere, or choose an empty or new output folder",
  );
}

/** The manifest of a folder and the hash of its bytes, or undefined when it has none; refuses one that is not a manifest. */
async function readManifest(out: string, display: string): Promise<{ manifest: Manifest; hash: string } | undefined> {
  let bytes: Buffer;
  try {
    bytes = await readFile(path.join(out, MANIFEST));
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === "ENOENT") return undefined;
    throw e;
  }
  let value: unknown;
  try {
    value = JSON.parse(bytes.toString("utf8"));
  } catch {
    value = undefined;
  }
  if (!isManifest(value)) {
    throw new EmitError(`${display}/${MANIFEST} is not a manifest the build wrote; empty ${display} or choose a new output folder`);
  }
  return { manifest: value, hash: sha256(bytes) };
}

function isManifest(value: unknown): value is Manifest {
  if (typeof value !== "object" || value === null || Array.isArray(value)) return false;
  const { format, files } = value as Record<string, unknown>;
  if (format !== 1 || typeof files !== "object" || files === null || Array.isArray(files)) return false;
  return Object.values(files).every((h) => typeof h === "string" && /^[0-9a-f]{64}$/.test(h));
}

/** The folders a path is inside: `a/b/c` → `a`, `a/b`. */
function parentsOf(rel: string): string[] {
  const parts = rel.split("/");
  return parts.slice(1).map((_, i) => parts.slice(0, i + 1).join("/"));
}

/**
 * The old folder will be deleted after the swap: every folder in it must let its entries go. Root
 * passes any such check (and may delete anyway); a read-only mount fails it.
 */
async function checkRemovable(out: string, display: string, entries: readonly Entry[]): Promise<void> {
  const folders = ["", ...entries.filter((e) => e.kind === "folder").map((e) => e.rel)];
  for (const rel of folders) {
    try {
      await access(path.join(out, rel), constants.W_OK | constants.X_OK);
    } catch (e) {
      const where = rel === "" ? display : `${display}/${rel}`;
      throw new EmitError(
        `${where} is read-only (${(e as NodeJS.ErrnoException).code}): the build could not replace ${display}; make it writable (chmod -R u+w ${display}) or choose another output folder`,
      );
    }
  }
}

/** A file or folder under a root, by `/`-separated path, and what it is. */
interface Entry {
  rel: string;
  kind: "file" | "folder" | "other";
}

/** Everything under `root` (not following links), sorted, folders before what they hold. */
async function walk(root: string): Promise<Entry[]> {
  const out: Entry[] = [];
  const visit = async (rel: string) => {
    const entries = await readdir(path.join(root, rel), { withFileTypes: true });
    for (const entry of entries.sort((a, b) => (a.name < b.name ? -1 : 1))) {
      const child = rel === "" ? entry.name : `${rel}/${entry.name}`;
      const kind = entry.isDirectory() ? "folder" : entry.isFile() ? "file" : "other";
      out.push({ rel: child, kind });
      if (kind === "folder") await visit(child);
    }
  };
  await visit("");
  return out;
}

/** Runs `fn` over `items`, WRITES_AT_ONCE at a time; the results in the items' order. */
async function inParallel<T, R>(items: readonly T[], fn: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      results[i] = await fn(items[i] as T);
    }
  };
  await Promise.all(Array.from({ length: Math.min(WRITES_AT_ONCE, items.length) }, worker));
  return results;
}

function sha256(bytes: Buffer | string): string {
  return createHash("sha256").update(bytes).digest("hex");
}

async function exists(file: string): Promise<boolean> {
  return lstat(file).then(
    () => true,
    () => false,
  );
}
