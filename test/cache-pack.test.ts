/**
 * The build cache's pack (src/compile/pack.ts, issue 16 item 1): every entry in one file, read in
 * one go and appended to once per run; a record cut short or damaged reads as absent and the next
 * flush leaves a whole pack; a pack much larger than what a run used is compacted, keeping what the
 * run used and the most recent others. A Pack object is one process's view: a new one reads the
 * file afresh, as the next run would.
 */

import { existsSync } from "node:fs";
import { readdir, readFile, stat, utimes, writeFile } from "node:fs/promises";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { PACK_FILES, Pack, packEntries, scan } from "../src/compile/pack.js";
import { scratch } from "./helpers.js";

const PACK_FILE = PACK_FILES.memo;
const key = (n: number) => n.toString(16).padStart(64, "0");
const text = (n: number, size = 10) => JSON.stringify({ n, pad: "x".repeat(size) });

/** Ten runs of ten entries of ~1 kB each, keys 0 to 99, each run appending to the pack (100 kB). */
function fillRuns(dir: string): void {
  for (let r = 0; r < 10; r++) {
    const run = new Pack(dir);
    for (let i = 0; i < 10; i++) run.set(key(r * 10 + i), text(r * 10 + i, 1000));
    run.flush();
  }
}

/** How many records the pack file holds (every record, not only the last of each key). */
async function records(dir: string): Promise<number> {
  let n = 0;
  scan(await readFile(path.join(dir, PACK_FILE)), () => n++);
  return n;
}

describe("the cache pack", () => {
  it("keeps a run's entries in one file, read back by the next run", async () => {
    const dir = await scratch("pack-roundtrip");
    const run = new Pack(dir);
    for (let i = 0; i < 50; i++) run.set(key(i), text(i));
    expect(run.get(key(7))).toBe(text(7));
    expect(existsSync(path.join(dir, PACK_FILE))).toBe(false);
    run.flush();
    expect(await readdir(dir)).toEqual([PACK_FILE]);
    const next = new Pack(dir);
    for (let i = 0; i < 50; i++) expect(next.get(key(i))).toBe(text(i));
    expect(next.get(key(50))).toBeUndefined();
  });

  it("appends each run's new entries in one write; a flush with nothing new writes nothing", async () => {
    const dir = await scratch("pack-append");
    const first = new Pack(dir);
    first.set(key(1), text(1));
    first.flush();
    const second = new Pack(dir);
    expect(second.get(key(1))).toBe(text(1));
    second.set(key(2), text(2));
    second.flush();
    expect(await records(dir)).toBe(2);
    const before = await stat(path.join(dir, PACK_FILE));
    const third = new Pack(dir);
    third.get(key(1));
    third.flush();
    expect((await stat(path.join(dir, PACK_FILE))).mtimeMs).toBe(before.mtimeMs);
  });

  it("the last record of a key wins: an entry made again over a bad one is read", async () => {
    const dir = await scratch("pack-last-wins");
    const first = new Pack(dir);
    first.set(key(1), text(1));
    first.flush();
    const second = new Pack(dir);
    second.set(key(1), text(100));
    second.flush();
    expect(new Pack(dir).get(key(1))).toBe(text(100));
  });

  it("a flipped bit makes that record absent, and only it", async () => {
    const dir = await scratch("pack-bit-flip");
    const run = new Pack(dir);
    for (let i = 0; i < 3; i++) run.set(key(i), text(i, 100));
    run.flush();
    const file = path.join(dir, PACK_FILE);
    const bytes = await readFile(file);
    const at = bytes.indexOf(text(1, 100)) + 40;
    bytes[at] = (bytes[at] as number) ^ 0x01;
    await writeFile(file, bytes);
    const entries = packEntries(dir);
    expect([...entries.values()]).toEqual([text(0, 100), undefined, text(2, 100)]);
  });

  it("a pack cut short (a crash during an append) reads up to the cut, and the next flush leaves it whole", async () => {
    const dir = await scratch("pack-truncated");
    const run = new Pack(dir);
    for (let i = 0; i < 10; i++) run.set(key(i), text(i, 200));
    run.flush();
    const file = path.join(dir, PACK_FILE);
    const bytes = await readFile(file);
    const cut = bytes.indexOf(text(6, 200)) + 50;
    await writeFile(file, bytes.subarray(0, cut));
    const next = new Pack(dir);
    for (let i = 0; i < 6; i++) expect(next.get(key(i))).toBe(text(i, 200));
    expect(next.get(key(6))).toBeUndefined();
    next.set(key(6), text(6, 200));
    next.flush();
    const after = packEntries(dir);
    expect([...after.keys()].sort()).toEqual([0, 1, 2, 3, 4, 5, 6].map(key));
    expect([...after.values()].every((t) => t !== undefined)).toBe(true);
  });

  it("a file that is not a pack reads as empty, and is replaced by a whole one", async () => {
    const dir = await scratch("pack-garbage");
    await writeFile(path.join(dir, PACK_FILE), "garbage\n".repeat(100));
    const run = new Pack(dir);
    expect(run.get(key(1))).toBeUndefined();
    run.set(key(1), text(1));
    run.flush();
    expect([...packEntries(dir)]).toEqual([[key(1), text(1)]]);
  });

  it("two processes' runs both land: each appends what it made", async () => {
    const dir = await scratch("pack-two-writers");
    const a = new Pack(dir);
    const b = new Pack(dir);
    a.set(key(1), text(1));
    b.set(key(2), text(2));
    a.flush();
    b.flush();
    const entries = packEntries(dir);
    expect(entries.get(key(1))).toBe(text(1));
    expect(entries.get(key(2))).toBe(text(2));
  });

  it("compacts a pack much larger than a run used: the run's entries and the most recent others stay", async () => {
    const dir = await scratch("pack-compact");
    const limit = 20_000;
    // Ten runs of 10 entries of ~1 kB each (no compaction yet): 100 kB, five times the limit.
    fillRuns(dir);
    const before = (await stat(path.join(dir, PACK_FILE))).size;
    // A run that uses two old entries and adds one.
    const run = new Pack(dir, { compactAbove: limit });
    expect(run.get(key(3))).toBe(text(3, 1000));
    expect(run.get(key(4))).toBe(text(4, 1000));
    run.set(key(1000), text(1000, 1000));
    run.flush();
    const after = packEntries(dir);
    expect((await stat(path.join(dir, PACK_FILE))).size).toBeLessThan(before / 4);
    for (const n of [3, 4, 1000]) expect(after.get(key(n)), `entry ${n}`).toBe(text(n, 1000));
    // The most recent others, as much again as the run used (three entries): the last run's last ones.
    expect(after.has(key(99))).toBe(true);
    expect(after.has(key(0))).toBe(false);
    expect([...after.values()].every((t) => t !== undefined)).toBe(true);
  });

  it("a run that flushes many times compacts once: after a rewrite, the new file's size is what later flushes weigh", async () => {
    const dir = await scratch("pack-compact-once");
    fillRuns(dir);
    const file = path.join(dir, PACK_FILE);
    // A build after a tool changed: it looks up its entries (a miss reads the pack), then flushes after each batch.
    const run = new Pack(dir, { compactAbove: 20_000 });
    expect(run.get(key(5000))).toBeUndefined();
    const inodes = new Set<number>();
    for (let batch = 0; batch < 8; batch++) {
      for (let i = 0; i < 3; i++) run.set(key(4000 + batch * 3 + i), text(4000 + batch * 3 + i, 1000));
      run.flush();
      inodes.add((await stat(file)).ino);
    }
    // A rewrite renames a new file over the pack: one new inode, then appends to it.
    expect(inodes.size).toBe(1);
    const after = packEntries(dir);
    for (let n = 4000; n < 4024; n++) expect(after.get(key(n)), `entry ${n}`).toBe(text(n, 1000));
    expect(after.has(key(0))).toBe(false);
    // The same Pack reads what it wrote, before and after the rewrite, from the new file.
    expect(run.get(key(4000))).toBe(text(4000, 1000));
    expect(run.get(key(4023))).toBe(text(4023, 1000));
    expect((await stat(file)).size).toBeLessThan(24 * 1200 * 2);
  });

  it("a compaction keeps what a run kept without reading it (a validator's code a build linked)", async () => {
    const dir = await scratch("pack-keep");
    fillRuns(dir);
    const run = new Pack(dir, { compactAbove: 20_000 });
    for (let n = 10; n < 30; n++) run.keep(key(n));
    expect(run.get(key(3))).toBe(text(3, 1000));
    run.set(key(1000), text(1000, 1000));
    run.flush();
    const after = packEntries(dir);
    for (let n = 10; n < 30; n++) expect(after.get(key(n)), `entry ${n}`).toBe(text(n, 1000));
    expect(after.get(key(3))).toBe(text(3, 1000));
    expect(after.has(key(0))).toBe(false);
  });

  it("an unread pack that a compaction would mostly drop is read and compacted (a build after a tool changed); one mostly kept is appended to", async () => {
    const fill = async (name: string) => {
      const dir = await scratch(name);
      fillRuns(dir);
      return { dir, before: (await stat(path.join(dir, PACK_FILE))).size };
    };
    // Every entry made anew (new keys), two old ones kept unread with their lengths told: read, compacted.
    const anew = await fill("pack-mostly-dead");
    const rebuilt = new Pack(anew.dir, { compactAbove: 20_000 });
    for (let n = 0; n < 10; n++) rebuilt.set(key(2000 + n), text(2000 + n, 1000));
    rebuilt.keep(key(50), text(50, 1000).length);
    rebuilt.keep(key(51), text(51, 1000).length);
    rebuilt.flush();
    const compacted = packEntries(anew.dir);
    expect((await stat(path.join(anew.dir, PACK_FILE))).size).toBeLessThan(anew.before / 2);
    for (const n of [50, 51, ...Array.from({ length: 10 }, (_, i) => 2000 + i)])
      expect(compacted.get(key(n)), `entry ${n}`).toBe(text(n, 1000));
    expect(compacted.has(key(0))).toBe(false);

    // A run that keeps most of the pack (a rebuild linking every validator but the edited one): appended, unread.
    const kept = await fill("pack-mostly-kept");
    const rebuild = new Pack(kept.dir, { compactAbove: 20_000 });
    for (let n = 0; n < 90; n++) rebuild.keep(key(n), text(n, 1000).length);
    rebuild.set(key(3000), text(3000, 1000));
    rebuild.flush();
    expect(await records(kept.dir)).toBe(101);
    expect(packEntries(kept.dir).get(key(3000))).toBe(text(3000, 1000));
  });

  it("appends to a pack it never read without reading it; after a cut-short tail, the next reader rewrites the pack", async () => {
    const dir = await scratch("pack-append-unread");
    const first = new Pack(dir);
    for (let i = 0; i < 5; i++) first.set(key(i), text(i));
    first.flush();
    const file = path.join(dir, PACK_FILE);
    // A run that only adds: its records follow the others, and every entry reads back.
    const adder = new Pack(dir);
    adder.set(key(5), text(5));
    adder.flush();
    expect(await records(dir)).toBe(6);
    for (let i = 0; i < 6; i++) expect(packEntries(dir).get(key(i))).toBe(text(i));
    // A crash cut the last record short; a run that only adds appends after it, unread.
    const whole = await readFile(file);
    await writeFile(file, whole.subarray(0, whole.length - 5));
    const blind = new Pack(dir);
    blind.set(key(6), text(6));
    blind.flush();
    // Nothing after the cut is found (never a wrong value): the cut record and the new one read as absent.
    const seen = packEntries(dir);
    expect(seen.has(key(5))).toBe(false);
    expect(seen.has(key(6))).toBe(false);
    for (let i = 0; i < 5; i++) expect(seen.get(key(i))).toBe(text(i));
    // The next run that reads the pack finds the damage and rewrites it whole.
    const reader = new Pack(dir);
    expect(reader.get(key(0))).toBe(text(0));
    reader.set(key(7), text(7));
    reader.flush();
    const bytes = await readFile(file);
    expect(scan(bytes, () => {})).toBe(bytes.length);
    expect(packEntries(dir).get(key(7))).toBe(text(7));
  });

  it("after a flush, a large entry is read back from the file and checked again, not held in memory", async () => {
    const dir = await scratch("pack-read-back");
    const run = new Pack(dir);
    // A run that read the pack (a run that never did appends without reading it: above).
    expect(run.get(key(3))).toBeUndefined();
    const big = text(1, 40_000);
    run.set(key(1), big);
    run.set(key(2), text(2));
    run.flush();
    expect(run.get(key(1))).toBe(big);
    expect(run.get(key(2))).toBe(text(2));
    // Another run rewrote the file since: the bytes at the remembered place are not the entry's.
    const file = path.join(dir, PACK_FILE);
    const bytes = await readFile(file);
    await writeFile(file, Buffer.from(bytes.toString("latin1").replace(/x/g, "y"), "latin1"));
    expect(run.get(key(1))).toBeUndefined();
    // A small one was kept in memory, as read.
    expect(run.get(key(2))).toBe(text(2));
  });

  it("a cache folder that cannot be written is skipped: the run goes on", async () => {
    const dir = await scratch("pack-unwritable");
    // A file where the cache folder should be.
    const file = path.join(dir, "not-a-folder");
    await writeFile(file, "");
    const run = new Pack(file);
    run.set(key(1), text(1));
    expect(() => run.flush()).not.toThrow();
    expect(run.get(key(1))).toBe(text(1));
  });
});

describe("the cache's stamps", () => {
  it("keep the 256 most recently written: a check's stamp per state of the tree does not grow without end", async () => {
    const dir = await scratch("stamps-pruned");
    const cache = await import("../src/compile/cache.js");
    for (let i = 0; i < 256; i++) await cache.writeStamp(dir, key(i), { n: i });
    // Written a second apart, stamp 0 the oldest.
    for (let i = 0; i < 256; i++) await utimes(cache.stampPath(dir, key(i)), 1_000_000 + i, 1_000_000 + i);
    await cache.writeStamp(dir, key(1000), { n: 1000 });
    const left = await readdir(path.join(dir, "stamps"));
    expect(left).toHaveLength(256);
    expect(left).not.toContain(`${key(0)}.json`);
    expect(left).toContain(`${key(1)}.json`);
    expect(left).toContain(`${key(1000)}.json`);
    const isN = (v: unknown): v is { n: number } => typeof v === "object" && v !== null && "n" in v;
    expect(await cache.readStamp(dir, key(1000), isN)).toEqual({ n: 1000 });
  });
});
