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
import { emit } from "../src/stages/emit/index.js";
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
});
