/**
 * Rebuilds after random edits, with a warm cache and the out folder the last build left (its
 * record in the cache: src/stages/emit/trust.ts), write byte for byte what a clean build of the
 * same tree writes. The edits touch descriptions of events, of a shared definition and of a
 * system (non-ASCII text included), a bound (a validator, a version step's verdict), whether an
 * old version is deprecated, and add or remove a newest version (which of the others is latest):
 * everything events.json, asyncapi.json, the validators and the declarations are made from, each
 * remembered by the cache under its own key (generate/index.ts). The sequence is seeded, so a
 * failure is repeatable.
 */

import { cp, readFile, rm, writeFile } from "node:fs/promises";
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
const STEPS = 8;

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

const V2 = "billing/invoice/invoice-issued.v2.json";
const V3 = "billing/invoice/invoice-issued.v3.json";
const V1 = "billing/invoice/invoice-issued.json";

/** One edit of a random kind: a description, a bound, deprecating (or not) v1, adding (or removing) a v3. */
async function anyEdit(events: string, rand: () => number): Promise<string> {
  const kind = Math.floor(rand() * 4);
  if (kind === 0) return randomEdit(events, rand);
  if (kind === 1) {
    const file = path.join(events, V2);
    const bound = 100 + Math.floor(rand() * 200);
    await writeFile(file, (await readFile(file, "utf8")).replace(/"maxLength": \d+/, `"maxLength": ${bound}`));
    return `${V2}: maxLength ${bound}`;
  }
  if (kind === 2) {
    const file = path.join(events, V1);
    const text = await readFile(file, "utf8");
    const deprecated = text.includes('"deprecated": true');
    await writeFile(
      file,
      deprecated ? text.replace('  "deprecated": true,\n', "") : text.replace('"title":', '"deprecated": true,\n  "title":'),
    );
    return `${V1}: deprecated ${!deprecated}`;
  }
  const v3 = path.join(events, V3);
  const exists = await readFile(v3, "utf8").then(
    () => true,
    () => false,
  );
  if (exists) await rm(v3);
  else await writeFile(v3, (await readFile(path.join(events, V2), "utf8")).replace("Version 2:", "Version 3, a copy of 2:"));
  return `${V3}: ${exists ? "removed" : "added"}`;
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
    const spliceable = ["asyncapi.json", "events.json"];
    const read = async () => Promise.all(spliceable.map((name) => readFile(path.join(out, name))));
    for (let step = 0; step < STEPS; step++) {
      const edit = await anyEdit(events, rand);
      const before = await read();
      const warm = await build({ eventsDir: events, outDir: out, cacheDir, workers: 0 });
      expect(warm.ok, edit).toBe(true);
      // Each of the two large files that changed was spliced from the last build's (generate/splice.ts).
      const after = await read();
      const changed = spliceable.filter((_, i) => !(before[i] as Buffer).equals(after[i] as Buffer));
      expect(warm.emitted?.spliced, edit).toEqual(changed);
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
