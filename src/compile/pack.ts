/**
 * The build cache's pack: every entry of a cache folder in one file, read in one go when a run
 * first needs an entry and appended to when the run ends (`flush`, a few large writes). Thousands of small
 * files cost more to open, read and write than the work they saved; one file costs one read.
 *
 * A record is a header line and the entry's JSON text:
 *
 *   #DE1 <key> <length> <sha256 of key and text>\n<text>\n
 *
 * Crash-safe: the only writes are an append of whole records, and a rewrite into a temporary file
 * renamed over the pack. A record cut short (a crash during the append) ends the
 * scan: it and anything after it read as absent, and the next flush rewrites the pack without
 * them. Verified, never trusted: a record's checksum is checked when it is first read, and a record
 * whose bytes do not match reads as absent (the caller makes the value again and its new record
 * wins over the old one: the last record of a key is its value). The checksum catches damage, not
 * an attacker who can write the cache (they can write node_modules too).
 *
 * Never stale: keys are hashes of everything a value depends on, so an entry is never updated,
 * only added. The pack grows by what each run adds; when it is more than COMPACT_FACTOR times what
 * the run used (and over COMPACT_ABOVE bytes), the flush of a run that read it rewrites it with the
 * records this run read, wrote or kept (`keep`), then the most recent others while they fit in as
 * much again. A run that never read a pack appends to it without reading it, unless by its size
 * against what the run adds and keeps (told the lengths of what it keeps unread) a compaction would
 * drop most of it: then it is read and compacted (a build after a tool changed compiles every
 * validator anew and never reads the old code, which would otherwise stay forever). A run that used little
 * (a check after builds) keeps the recent builds' records that way, and at worst a later run
 * compiles again: slower, never wrong.
 */

import { createHash } from "node:crypto";
import { closeSync, fstatSync, mkdirSync, openSync, readFileSync, readSync, renameSync, rmSync, statSync, writeSync } from "node:fs";
import path from "node:path";

/**
 * The packs of a cache folder, by who reads them: every run reads the small entries (verdicts,
 * memos, keys); a build reads the texts it makes its files of (declarations, the shared
 * validators' code, the hashes and layouts of the files it wrote); only a build that makes a
 * validator module anew reads that validator's code, the largest part by far.
 */
export const PACK_FILES = { memo: "memo-1.pack", texts: "texts-1.pack", code: "code-1.pack" } as const;
export type PackName = keyof typeof PACK_FILES;

const MAGIC = "#DE1 ";
const NEWLINE = 0x0a;
/** A header: magic, 64 hex digits of key, a length, 64 hex digits of checksum. */
const HEADER = /^#DE1 ([0-9a-f]{64}) (\d{1,10}) ([0-9a-f]{64})$/;
const MAX_HEADER = MAGIC.length + 64 + 1 + 10 + 1 + 64;

/**
 * The pack is rewritten when it is larger than this and than COMPACT_FACTOR times what a run used.
 * Every run reads the memo pack whole (4 MB at 1,000 events): dead records from former tool
 * versions would slow each run's start, so the floor is low; a rewrite of 8 MB costs tens of ms.
 */
export const COMPACT_ABOVE = 8 * 1024 * 1024;
const COMPACT_FACTOR = 3;

/** Where a record's text is in the pack's bytes, and what reading it found. */
export interface Slot {
  start: number;
  end: number;
  sum: string;
  /** The text, once its checksum was verified (kept when small); false when it did not match. */
  text?: string | false;
  /** The checksum matched the bytes read (a large text is not kept: it is decoded again when asked again). */
  verified?: boolean;
  /** `start` and `end` are offsets in the file (a record this process appended), not in the bytes read. */
  inFile?: boolean;
  /** Its position in the file (later records win, and are the more recent). */
  order: number;
}

/** One cache folder's pack, as this process sees it. */
export class Pack {
  private bytes: Buffer = Buffer.alloc(0);
  private readonly slots = new Map<string, Slot>();
  /** Where the good records end: bytes after it are a record cut short, or damage. */
  private goodEnd = 0;
  /**
   * The size of the pack's file as this process last read, appended to or rewrote it: what a
   * compaction weighs against what the run used. Not `bytes`' length: after a rewrite, the bytes
   * read at the start describe a file that is gone (taking them for its size made every later flush
   * of the run compact again: a build after a tool changed rewrote a 200 MB pack once per batch).
   */
  private fileSize = 0;
  private opened = false;
  /** Records this process added and has not yet written, by key. */
  private readonly pending = new Map<string, string>();
  /** Keys read or written in this run: what a compaction keeps first. */
  private readonly used = new Set<string>();
  /** The lengths `keep` was told of the entries it kept without reading the pack: what it would keep. */
  private keptLength = 0;

  private readonly file: string;
  private readonly compactAbove: number;

  /** `compactAbove`: the size over which a flush may compact (tests make it small). */
  constructor(
    readonly dir: string,
    options: { name?: PackName; compactAbove?: number } = {},
  ) {
    this.file = path.join(dir, PACK_FILES[options.name ?? "memo"]);
    this.compactAbove = options.compactAbove ?? COMPACT_ABOVE;
  }

  /** Reads the pack once: one read of the file, one pass over its headers. */
  private open(): void {
    if (this.opened) return;
    this.opened = true;
    try {
      this.bytes = readFileSync(this.file);
    } catch {
      return;
    }
    this.goodEnd = scan(this.bytes, (key, slot) => this.slots.set(key, slot));
    this.fileSize = this.goodEnd;
  }

  /** The text of the entry under `key`, when a record of it is whole; else undefined. */
  get(key: string): string | undefined {
    const text = this.textOf(key);
    if (text !== undefined) this.used.add(key);
    return text;
  }

  /** The verified text under `key`, without counting it as used. */
  private textOf(key: string): string | undefined {
    const fresh = this.pending.get(key);
    if (fresh !== undefined) return fresh;
    this.open();
    const slot = this.slots.get(key);
    if (slot === undefined) return undefined;
    if (slot.text !== undefined) return slot.text === false ? undefined : slot.text;
    const bytes = slot.inFile ? this.readRange(slot.start, slot.end) : this.bytes.subarray(slot.start, slot.end);
    // The checksum over the bytes as they are (a string would be encoded again to be hashed).
    // Bytes read from the file again are checked again: another run may have rewritten it since.
    if (bytes === undefined || ((slot.inFile || !slot.verified) && checksum(key, bytes) !== slot.sum)) {
      slot.text = false;
      return undefined;
    }
    slot.verified = true;
    const text = bytes.toString("utf8");
    // Small texts are kept; a large one (a validator's code) is read once per build anyway.
    if (text.length < KEEP_BELOW) slot.text = text;
    return text;
  }

  /** Bytes of the pack's file, read now (a record this process appended). */
  private readRange(start: number, end: number): Buffer | undefined {
    try {
      const fd = openSync(this.file, "r");
      try {
        const out = Buffer.alloc(end - start);
        return readSync(fd, out, 0, out.length, start) === out.length ? out : undefined;
      } finally {
        closeSync(fd);
      }
    } catch {
      return undefined;
    }
  }

  /**
   * Counts an entry as used without reading it (a validator's code that a build links instead of
   * making its module): a compaction keeps it as it keeps what the run read.
   */
  keep(key: string, length = 0): void {
    this.used.add(key);
    if (!this.opened) this.keptLength += length;
  }

  /** Adds an entry; it is written by the next flush. */
  set(key: string, text: string): void {
    this.pending.set(key, text);
    this.used.add(key);
  }

  /**
   * Writes what this run added: appended (in a few large writes), or the pack rewritten (compacted, or without
   * a damaged tail). A cache that cannot be written is skipped: the cache only saves time.
   */
  flush(): void {
    if (this.pending.size === 0 && this.goodEnd === this.bytes.length) return;
    // A pack this run never read is appended to without reading it (a build that compiled one
    // validator does not read every other's code to add its own).
    if (!this.opened && !this.mostlyDead()) {
      this.appendUnread();
      return;
    }
    this.open();
    try {
      mkdirSync(this.dir, { recursive: true });
      let size = this.fileSize;
      for (const text of this.pending.values()) size += Buffer.byteLength(text) + MAX_HEADER + 2;
      if (this.goodEnd !== this.bytes.length || this.shouldCompact(size)) {
        this.rewrite();
        return;
      }
      if (this.pending.size > 0) {
        this.append();
        return;
      }
    } catch {
      // The cache only saves time; the run's result does not depend on it.
    }
    this.adopt();
  }

  /**
   * Appends to a pack this process has not read. Its tail is not looked at: after a
   * record cut short, the appended records are not found by the next read either, which rewrites
   * the pack without them: they are made again, never wrong. Nor is it compacted: a run that reads
   * the pack does that, knowing what it used (a rebuild appends the edited validators' code to a
   * pack it never reads, a few kilobytes an edit).
   */
  private appendUnread(): void {
    try {
      mkdirSync(this.dir, { recursive: true });
      this.append();
    } catch {
      // The cache only saves time; the run's result does not depend on it.
      this.adopt();
    }
  }

  /** After a rewrite (or a failed write): the pending records are read from memory from now on. */
  private adopt(): void {
    let order = this.slots.size;
    for (const [key, text] of this.pending) this.slots.set(key, { start: 0, end: 0, sum: "", text, verified: true, order: order++ });
    this.pending.clear();
    this.goodEnd = this.bytes.length;
  }

  /**
   * An unread pack that a compaction would mostly drop (a build after a tool changed compiles every
   * validator anew and never reads the old code): read now, so that this flush compacts it. Told by
   * its size against what this run adds and keeps (the lengths `keep` was told), the same rule as
   * shouldCompact's, without reading it.
   */
  private mostlyDead(): boolean {
    let size: number;
    try {
      size = statSync(this.file).size;
    } catch {
      return false;
    }
    let live = this.keptLength;
    for (const text of this.pending.values()) live += text.length + MAX_HEADER + 2;
    return size + live > this.compactAbove && size + live > COMPACT_FACTOR * live;
  }

  private shouldCompact(size: number): boolean {
    if (size <= this.compactAbove) return false;
    let live = 0;
    for (const key of this.used) live += this.sizeOf(key);
    return size > COMPACT_FACTOR * live;
  }

  private sizeOf(key: string): number {
    const text = this.pending.get(key);
    if (text !== undefined) return text.length + MAX_HEADER + 2;
    const slot = this.slots.get(key);
    return slot ? slot.end - slot.start + MAX_HEADER + 2 : 0;
  }

  /**
   * Appends the pending records; from then on each is read back from the file when asked (its text
   * kept in memory only when small), so that a large build does not hold its code twice.
   */
  private append(): void {
    const fd = openSync(this.file, "a");
    try {
      const slots = new Map<string, Slot>();
      writeRecords(fd, located(this.pending, fstatSync(fd).size, this.slots.size, slots));
      for (const [key, slot] of slots) this.slots.set(key, slot);
      this.fileSize = fstatSync(fd).size;
    } catch (e) {
      // What could not be written stays readable from memory for this process.
      this.adopt();
      throw e;
    } finally {
      closeSync(fd);
    }
    this.pending.clear();
    this.goodEnd = this.bytes.length;
  }

  /**
   * Writes a new pack (used records first, then the most recent others while they fit) and renames
   * it over the old one. From then on the records are read from the new file: the bytes read at the
   * start and the records dropped are let go.
   */
  private rewrite(): void {
    const kept: [string, string][] = [];
    let budget = 0;
    for (const key of this.used) budget += this.pending.has(key) ? 0 : this.sizeOf(key);
    const others = [...this.slots].filter(([key]) => !this.pending.has(key)).sort((a, b) => b[1].order - a[1].order);
    for (const [key, slot] of others) {
      if (slot.text === false) continue;
      const isUsed = this.used.has(key);
      if (!isUsed && budget <= 0) continue;
      const text = this.textOf(key);
      if (text === undefined) continue;
      kept.push([key, text]);
      if (!isUsed) budget -= text.length;
    }
    const tmp = `${this.file}.${process.pid}.${Math.random().toString(36).slice(2)}`;
    const slots = new Map<string, Slot>();
    let size = 0;
    try {
      const fd = openSync(tmp, "w");
      try {
        writeRecords(fd, located([...kept.reverse(), ...this.pending], 0, 0, slots));
        size = fstatSync(fd).size;
      } finally {
        closeSync(fd);
      }
      renameSync(tmp, this.file);
    } catch (e) {
      rmSync(tmp, { force: true });
      throw e;
    }
    this.slots.clear();
    for (const [key, slot] of slots) this.slots.set(key, slot);
    this.pending.clear();
    this.bytes = Buffer.alloc(0);
    this.goodEnd = 0;
    this.fileSize = size;
  }
}

/**
 * Each entry's record, made as it is written (never all of them at once), its slot in the file put
 * in `slots` (a record starting at `at`): read back from the file when asked, its text kept when small.
 */
function* located(entries: Iterable<[string, string]>, at: number, order: number, slots: Map<string, Slot>): Generator<Buffer> {
  for (const [key, text] of entries) {
    const r = record(key, text);
    const body = Buffer.byteLength(text);
    const start = at + r.length - body - 1;
    // Verified again when read back: the file may have been rewritten by another run since.
    const sum = r.toString("latin1", start - at - 65, start - at - 1);
    const slot: Slot = { start, end: start + body, sum, inFile: true, order: order++ };
    slots.set(key, text.length < KEEP_BELOW ? { ...slot, text, verified: true } : slot);
    at += r.length;
    yield r;
  }
}

/** The records of a pack's bytes, in order; returns where the good records end. */
export function scan(bytes: Buffer, each: (key: string, slot: Slot) => void): number {
  let at = 0;
  let order = 0;
  while (at < bytes.length) {
    const eol = bytes.indexOf(NEWLINE, at);
    if (eol < 0 || eol - at > MAX_HEADER) break;
    const header = HEADER.exec(bytes.toString("latin1", at, eol));
    if (!header) break;
    const start = eol + 1;
    const end = start + Number(header[2]);
    if (end >= bytes.length || bytes[end] !== NEWLINE) break;
    each(header[1] as string, { start, end, sum: header[3] as string, order: order++ });
    at = end + 1;
  }
  return at;
}

/** A record's bytes. */
function record(key: string, text: string): Buffer {
  const body = Buffer.from(text, "utf8");
  return Buffer.concat([Buffer.from(`${MAGIC}${key} ${body.length} ${checksum(key, body)}\n`, "latin1"), body, Buffer.from("\n")]);
}

/** The checksum of an entry's text under its key. */
export function checksum(key: string, text: string | Uint8Array): string {
  // Two updates, not four: each costs about a microsecond, and a run checks thousands of records.
  return createHash("sha256").update(`domain-events cache 1\0${key}\0`).update(text).digest("hex");
}

/**
 * Writes records in chunks of about CHUNK bytes: few calls, and no copy of the whole (hundreds of
 * megabytes at thousands of events). An append of several chunks is not one write: a crash between
 * two leaves whole records before the cut, which is all a reader uses.
 */
function writeRecords(fd: number, records: Iterable<Buffer>): void {
  let chunk: Buffer[] = [];
  let size = 0;
  const flush = () => {
    if (chunk.length > 0) writeAll(fd, chunk.length === 1 ? (chunk[0] as Buffer) : Buffer.concat(chunk, size));
    chunk = [];
    size = 0;
  };
  for (const r of records) {
    chunk.push(r);
    size += r.length;
    if (size >= CHUNK) flush();
  }
  flush();
}

const CHUNK = 8 * 1024 * 1024;

/** Texts shorter than this stay in memory once read (verdicts, keys); longer ones are decoded when asked. */
const KEEP_BELOW = 16 * 1024;

function writeAll(fd: number, bytes: Buffer): void {
  let at = 0;
  while (at < bytes.length) at += writeSync(fd, bytes, at, bytes.length - at);
}

/**
 * Every key of a cache folder's pack with its text, as a run would read it (the last record of a
 * key wins), or undefined where that record's checksum fails: for tests and inspection.
 */
export function packEntries(dir: string, name: PackName = "memo"): Map<string, string | undefined> {
  const pack = new Pack(dir, { name });
  const keys: string[] = [];
  let bytes: Buffer;
  try {
    bytes = readFileSync(path.join(dir, PACK_FILES[name]));
  } catch {
    return new Map();
  }
  scan(bytes, (key) => keys.push(key));
  return new Map(keys.map((key) => [key, pack.get(key)]));
}
