/**
 * Rebuilds after random edits, with a warm cache and the out folder the last build left (its
 * record in the cache: src/stages/emit/trust.ts), write byte for byte what a clean build of the
 * same tree writes. The edits touch descriptions of events, of a shared definition and of a
 * system (non-ASCII text included), the fields events.json, asyncapi.json, the validators and the
 * declarations are made from; the sequence is seeded, so a failure is repeatable.
 */

import { cp, readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { build } from "../src/pipeline.js";
import { EmitError } from "../src/stages/emit/index.js";
import { ROOT, scratch, snapshotDir } from "./helpers.js";

const GOLDEN = path.join(ROOT, "test/fixtures/golden/events");
const FILES = [
  "billing/invoice/invoice-issued.json",
  "billing/invoice/invoice-issued.v2.json",
  "billing/payment/payment-captured.json",
  "billing/system.json",
  "_shared/money.json",
];
const WORDS = ["again", "Straße", "twice", "über", "once more"];
const STEPS = 3;

/** mulberry32: a small seeded PRNG. */
function prng(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Appends a word to one description of one file, both picked at random. */
async function randomEdit(events: string, rand: () => number): Promise<string> {
  const rel = FILES[Math.floor(rand() * FILES.length)] as string;
  const file = path.join(events, rel);
  const text = await readFile(file, "utf8");
  const at = [...text.matchAll(/"description": "([^"\\]*)"/g)];
  const match = at[Math.floor(rand() * at.length)];
  if (!match) throw new Error(`${rel} has no description`);
  const word = WORDS[Math.floor(rand() * WORDS.length)] as string;
  const end = (match.index ?? 0) + match[0].length - 1;
  await writeFile(file, `${text.slice(0, end)} ${word}${text.slice(end)}`);
  return `${rel}: ${word}`;
}

describe("a rebuild after edits", () => {
  it("writes what a clean build writes, edit after edit, with a warm cache", async () => {
    const dir = await scratch("incremental-build");
    const events = path.join(dir, "events");
    await cp(GOLDEN, events, { recursive: true });
    const out = path.join(dir, "out");
    const cacheDir = path.join(dir, "cache");
    expect((await build({ eventsDir: events, outDir: out, cacheDir, workers: 0 })).ok).toBe(true);
    const rand = prng(16);
    for (let step = 0; step < STEPS; step++) {
      const edit = await randomEdit(events, rand);
      const warm = await build({ eventsDir: events, outDir: out, cacheDir, workers: 0 });
      expect(warm.ok, edit).toBe(true);
      const clean = path.join(dir, `clean-${step}`);
      expect((await build({ eventsDir: events, outDir: clean, cacheDir: false, workers: 0 })).ok, edit).toBe(true);
      expect(await snapshotDir(out), edit).toEqual(await snapshotDir(clean));
    }
    // The warm build trusts the files whose stat it recorded, and still finds one edited since.
    const built = path.join(out, "index.js");
    const text = await readFile(built, "utf8");
    expect(text).toContain("Do not edit");
    await writeFile(built, text.replace("Do not edit", "Do not EDIT"));
    await randomEdit(events, rand);
    await expect(build({ eventsDir: events, outDir: out, cacheDir, workers: 0 })).rejects.toThrow(EmitError);
  });
});
