/**
 * Emit after one edit: a file the last build wrote with the very same bytes is hard-linked into
 * the new folder instead of written again (the atomic swap of the whole folder stays), and the
 * result is byte for byte what a clean build writes. Observed through inode numbers: a linked
 * file keeps its inode across the swap, a written one gets a new one.
 */

import { cp, readFile, stat, writeFile } from "node:fs/promises";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { build } from "../src/pipeline.js";
import { emit, type KnownHashes } from "../src/stages/emit/index.js";
import type { FileStat } from "../src/stages/emit/trust.js";
import { ROOT, scratch, snapshotDir } from "./helpers.js";

const GOLDEN = path.join(ROOT, "test/fixtures/golden/events");

async function inodes(dir: string, names: readonly string[]): Promise<Map<string, number>> {
  return new Map(await Promise.all(names.map(async (n) => [n, (await stat(path.join(dir, n))).ino] as [string, number])));
}

describe("emit after one edit", () => {
  it("links the unchanged files, writes the changed ones, and equals a clean build", async () => {
    const dir = await scratch("incremental-emit");
    const events = path.join(dir, "events");
    await cp(GOLDEN, events, { recursive: true });
    const out = path.join(dir, "out");
    const cacheDir = path.join(dir, "cache");
    expect((await build({ eventsDir: events, outDir: out, cacheDir })).ok).toBe(true);
    const first = await snapshotDir(out);
    const names = [...first.keys()].filter((n) => !n.startsWith(".domain-events"));
    const before = await inodes(out, names);

    const file = path.join(events, "billing/payment/payment-captured.json");
    await writeFile(file, (await readFile(file, "utf8")).replace('"sepa-debit"]', '"sepa-debit", "cash"]'));
    expect((await build({ eventsDir: events, outDir: out, cacheDir })).ok).toBe(true);
    const second = await snapshotDir(out);
    const after = await inodes(
      out,
      names.filter((n) => second.has(n)),
    );

    const same = (n: string) => second.has(n) && (second.get(n) as Buffer).equals(first.get(n) as Buffer);
    const changed = names.filter((n) => second.has(n) && !same(n));
    const unchanged = names.filter(same);
    expect(changed).toContain("events.json");
    expect(changed.some((n) => n.startsWith("validators/billing.payment.payment-captured"))).toBe(true);
    expect(unchanged.length).toBeGreaterThan(changed.length);
    for (const n of unchanged) expect(after.get(n), `${n} was written again`).toBe(before.get(n));
    for (const n of changed) expect(after.get(n), `${n} kept its old inode`).not.toBe(before.get(n));

    // Byte for byte what a clean build of the edited tree writes.
    const clean = path.join(dir, "clean");
    expect((await build({ eventsDir: events, outDir: clean, cacheDir: false })).ok).toBe(true);
    expect(await snapshotDir(out)).toEqual(await snapshotDir(clean));
  });

  it("links a file whose bytes are unchanged from one emit to the next, and writes one whose bytes changed", async () => {
    const dir = await scratch("incremental-emit-fresh");
    const out = path.join(dir, "out");
    await emit(out, new Map([["a.txt", "A\n"]]));
    const ino = (await stat(path.join(out, "a.txt"))).ino;
    await emit(
      out,
      new Map([
        ["a.txt", "A\n"],
        ["b.txt", "B\n"],
      ]),
    );
    expect((await stat(path.join(out, "a.txt"))).ino).toBe(ino);
    await emit(out, new Map([["a.txt", "changed\n"]]));
    expect((await stat(path.join(out, "a.txt"))).ino).not.toBe(ino);
    expect(await readFile(path.join(out, "a.txt"), "utf8")).toBe("changed\n");
  });

  it("splices a file from the old one's ranges, and makes it whole when the old file is not the one checked", async () => {
    const dir = await scratch("incremental-emit-splice");
    const out = path.join(dir, "out");
    const texts = new Map([["list.txt", "head|middle|tail\n"]]);
    await emit(out, texts);
    const old = path.join(out, "list.txt");
    const at = (await stat(old)).size;
    const now = await stat(old);
    const range = (stat: FileStat) => ({ file: old, start: 0, end: 5, stat });
    const known = (stat: FileStat): KnownHashes => ({
      hashOf: () => undefined,
      remember: () => {},
      splice: () => [range(stat), Buffer.from("MIDDLE|"), { file: old, start: 12, end: at, stat }],
      whole: () => [Buffer.from("made whole\n")],
    });
    const next = new Map([["list.txt", "unused"]]);
    const receipt = await emit(out, next, { known: known([now.size, now.mtimeMs, now.ino]) });
    expect(receipt.spliced).toEqual(["list.txt"]);
    expect(await readFile(path.join(out, "list.txt"), "utf8")).toBe("head|MIDDLE|tail\n");
    // Ranges checked under another stat than the file's now: nothing is copied from it, the file is made whole.
    const fallback = await emit(out, next, { known: known([at, 0, 0]) });
    expect(fallback.spliced).toEqual([]);
    expect(await readFile(path.join(out, "list.txt"), "utf8")).toBe("made whole\n");
  });
});
