/**
 * Incremental generate (issue 16 item 2, src/generate/index.ts and outputs.ts): events.json and
 * asyncapi.json are stitched from each event's texts, which the cache keeps, and a validator module
 * the out folder already holds is linked without its code being read. The stitched texts must be
 * exactly what JSON.stringify prints of their value, whatever the strings in them; a build that
 * cannot read a validator's code (damaged) compiles it again instead of failing.
 */

import { cp, readFile, rm, writeFile } from "node:fs/promises";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { PACK_FILES } from "../src/compile/pack.js";
import { asyncapiText } from "../src/generate/asyncapi.js";
import { build } from "../src/pipeline.js";
import { ROOT, scratch, snapshotDir } from "./helpers.js";

const GOLDEN = path.join(ROOT, "test/fixtures/golden/events");
const V2 = "billing/invoice/invoice-issued.v2.json";
const EVENTS = ["billing/invoice/invoice-issued.json", V2, "billing/payment/payment-captured.json"];

/** Whether `text` is exactly JSON.stringify's print of its own value (two spaces, a final newline). */
function printedByStringify(text: string): boolean {
  return text === `${JSON.stringify(JSON.parse(text), null, 2)}\n`;
}

async function edit(file: string, from: string | RegExp, to: string): Promise<void> {
  const text = await readFile(file, "utf8");
  const next = text.replace(from, to);
  if (next === text) throw new Error(`${file} has no ${from}`);
  await writeFile(file, next);
}

async function tree(name: string): Promise<{ dir: string; events: string; out: string; cacheDir: string }> {
  const dir = await scratch(name);
  const events = path.join(dir, "events");
  await cp(GOLDEN, events, { recursive: true });
  return { dir, events, out: path.join(dir, "out"), cacheDir: path.join(dir, "cache") };
}

describe("events.json and asyncapi.json, stitched from each event's texts", () => {
  it("are exactly what JSON.stringify prints of their own value, with hostile strings in every part", async () => {
    const { events, out, cacheDir } = await tree("stitch-hostile");
    // Strings that would break a naive splice: the text that ends the document's head, newlines,
    // quotes, backslashes, line separators, a closing brace and bracket.
    const hostile = '\n  "components": null\n}\n] " \\ \u2028 },';
    // As the house asks: the invisible U+2028 written as an escape (PARSE_HIDDEN_CHARACTER).
    const inJson = JSON.stringify(hostile).slice(1, -1).replace("\u2028", "\\u2028");
    await edit(path.join(events, "billing/system.json"), '"Invoices and payments."', `"Invoices${inJson}"`);
    await edit(path.join(events, V2), '"The invoice."', `"The invoice${inJson}"`);
    await edit(path.join(events, "_shared/money.json"), /"description": "([^"]*)"/, `"description": "$1${inJson}"`);
    for (const cache of [false as const, cacheDir, cacheDir]) {
      const r = await build({ eventsDir: events, outDir: out, cacheDir: cache, workers: 0 });
      expect(r.ok, JSON.stringify(r.diagnostics)).toBe(true);
      const eventsJson = await readFile(path.join(out, "events.json"), "utf8");
      const asyncapi = await readFile(path.join(out, "asyncapi.json"), "utf8");
      expect(printedByStringify(eventsJson)).toBe(true);
      expect(printedByStringify(asyncapi)).toBe(true);
      const doc = JSON.parse(asyncapi) as { info: { tags: { description: string }[] }; components: { messages: object } };
      expect(doc.info.tags[0]?.description).toContain(hostile);
      expect(Object.keys(doc.components.messages)).toHaveLength(EVENTS.length);
      expect(eventsJson).toContain(JSON.stringify(`The invoice${hostile}`));
    }
  });

  it("of no event, the document is what JSON.stringify prints too", () => {
    const text = asyncapiText([], [], { title: "t", version: "1.0.0", description: '"components": null' });
    expect(printedByStringify(text)).toBe(true);
    expect(JSON.parse(text).components).toEqual({ messages: {}, schemas: {} });
  });
});

describe("a rebuild reads no validator's code it does not need", () => {
  it("links every unchanged validator module with the code gone from the cache, and equals a clean build", async () => {
    const { dir, events, out, cacheDir } = await tree("lazy-code");
    expect((await build({ eventsDir: events, outDir: out, cacheDir, workers: 0 })).ok).toBe(true);
    // Every validator's code is gone: the packs of the texts and the small entries are left.
    await writeFile(path.join(cacheDir, PACK_FILES.code), "not a pack");
    await edit(path.join(events, V2), /"maxLength": \d+/, '"maxLength": 150');
    await edit(path.join(events, "billing/payment/payment-captured.json"), /"description": "([^"]*)"/, '"description": "$1 Edited."');
    const warm = await build({ eventsDir: events, outDir: out, cacheDir, workers: 0 });
    expect(warm.ok).toBe(true);
    // Only the edited bound compiled; the other modules were linked, their code never asked for.
    expect(warm.stats?.compiledUnits).toEqual([V2]);
    const clean = path.join(dir, "clean");
    expect((await build({ eventsDir: events, outDir: clean, cacheDir: false, workers: 0 })).ok).toBe(true);
    expect(await snapshotDir(out)).toEqual(await snapshotDir(clean));
  });

  it("compiles again what it cannot read when it must make every module (a new out folder, the code damaged)", async () => {
    const { dir, events, out, cacheDir } = await tree("lazy-code-lost");
    expect((await build({ eventsDir: events, outDir: out, cacheDir, workers: 0 })).ok).toBe(true);
    // Every record of the code pack damaged in place (same length: its headers still scan).
    const file = path.join(cacheDir, PACK_FILES.code);
    const bytes = await readFile(file);
    await writeFile(file, Buffer.from(bytes.toString("latin1").replace(/v0/g, "w0"), "latin1"));
    await rm(out, { recursive: true });
    const rebuilt = await build({ eventsDir: events, outDir: out, cacheDir, workers: 0 });
    expect(rebuilt.ok).toBe(true);
    expect(rebuilt.stats?.compiledUnits).toEqual([...EVENTS].sort());
    const clean = path.join(dir, "clean");
    expect((await build({ eventsDir: events, outDir: clean, cacheDir: false, workers: 0 })).ok).toBe(true);
    expect(await snapshotDir(out)).toEqual(await snapshotDir(clean));
    // Without an out folder, every text is made before the build returns: the same recovery.
    await writeFile(file, Buffer.from((await readFile(file)).toString("latin1").replace(/v0/g, "w0"), "latin1"));
    const kept = await build({ eventsDir: events, cacheDir, workers: 0 });
    expect(kept.ok).toBe(true);
    expect(kept.files?.get(`validators/billing.invoice.invoice-issued.v2.cjs`)).toBe(
      (await readFile(path.join(clean, "validators/billing.invoice.invoice-issued.v2.cjs"))).toString("utf8"),
    );
  });
});
