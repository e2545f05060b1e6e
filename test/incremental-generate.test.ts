/**
 * Incremental generate (issue 16 item 2, src/generate/index.ts, outputs.ts, splice.ts): events.json
 * and asyncapi.json are made of each event's texts, and spliced from the last build's files (only
 * the edited events' parts made), and a validator module the out folder already holds is linked
 * without its code being read. The texts made of parts must be exactly what JSON.stringify prints
 * of their value, whatever the strings in them, made whole or spliced; a build that cannot read a
 * validator's code (damaged) compiles it again instead of failing.
 */

import { createHash } from "node:crypto";
import { cp, readFile, rm, utimes, writeFile } from "node:fs/promises";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { PACK_FILES } from "../src/compile/pack.js";
import { asyncapiText } from "../src/generate/asyncapi.js";
import { type Piece, SplicedFile } from "../src/generate/splice.js";
import type { Store } from "../src/model/store.js";
import { build } from "../src/pipeline.js";
import { type Chunk, SourceChanged, writeChunks } from "../src/stages/emit/bytes.js";
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

describe("events.json and asyncapi.json, made of each event's texts", () => {
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
    // Made whole without a cache and with one, then spliced after an edit of the hostile event (its
    // parts made again) and of another (the hostile parts copied from the old files).
    const steps: [string, false | string, string[]][] = [
      ["", false, []],
      ["", cacheDir, []],
      [V2, cacheDir, ["asyncapi.json", "events.json"]],
      ["billing/payment/payment-captured.json", cacheDir, ["asyncapi.json", "events.json"]],
    ];
    for (const [edited, cache, spliced] of steps) {
      if (edited === V2) await edit(path.join(events, V2), /"maxLength": \d+/, '"maxLength": 150');
      else if (edited) await edit(path.join(events, edited), /"description": "([^"]*)"/, '"description": "$1 Edited."');
      const r = await build({ eventsDir: events, outDir: out, cacheDir: cache, workers: 0 });
      expect(r.ok, JSON.stringify(r.diagnostics)).toBe(true);
      expect(r.emitted?.spliced ?? [], edited).toEqual(spliced);
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

describe("a file spliced from the last build's (generate/splice.ts)", () => {
  /** A store in memory, as the build cache is one. */
  function memoryStore(): Store {
    const values = new Map<string, unknown>();
    return {
      get: (parts, shape) => {
        const v = values.get(JSON.stringify(parts));
        return shape(v) ? v : undefined;
      },
      set: (parts, value) => void values.set(JSON.stringify(parts), structuredClone(value)),
    };
  }
  const sha = (b: Buffer | string) => createHash("sha256").update(b).digest("hex");
  /** What emit writes of a spliced file: its text, after checking the hash writeChunks gives for it. */
  let copies = 0;
  const writtenText = async (dir: string, chunks: readonly Chunk[] | undefined): Promise<string> => {
    const target = path.join(dir, `written-${copies++}`);
    const hash = writeChunks(target, chunks ?? []);
    const bytes = await readFile(target);
    expect(hash).toBe(sha(bytes));
    return bytes.toString();
  };

  it("copies the members whose label is unchanged, makes only the others, and checks the old bytes first", async () => {
    const dir = await scratch("splice-unit");
    const file = path.join(dir, "list.json");
    const made: string[] = [];
    let members: [string, string][] = [
      ["a", '"Ä"'],
      ["b", '"b"'],
      ["c", '"c"'],
    ];
    const pieces = (): Piece[] => [
      "[",
      ...members.flatMap(([label, text], i): Piece[] => [
        ...(i > 0 ? [","] : []),
        {
          label,
          make: () => {
            made.push(label);
            return text;
          },
        },
      ]),
      "]",
    ];
    const store = memoryStore();
    const spliced = new SplicedFile("list.json", store, () => ({ pieces: pieces() }));
    const first = spliced.text();
    expect(first).toBe('["Ä","b","c"]');
    await writeFile(file, first);
    spliced.written(sha(first));
    // b changes (a new label, as a new key), d is added, c removed.
    members = [
      ["a", '"Ä"'],
      ["b2", '"B"'],
      ["d", '"d"'],
    ];
    made.length = 0;
    const next = new SplicedFile("list.json", store, () => ({ pieces: pieces() }));
    const bytes = next.bytes({ file, hash: sha(first) });
    // The unchanged member is a range of the old file, not its bytes.
    expect(bytes?.filter((c) => !Buffer.isBuffer(c))).toHaveLength(1);
    expect(await writtenText(dir, bytes)).toBe('["Ä","B","d"]');
    expect(made).toEqual(["b2", "d"]);
    // Written after the old file changed (same length, so only its stat tells; the time set apart
    // from the first write's, which the clock's granularity could make equal): refused, for emit
    // to make the file whole.
    const again = next.bytes({ file, hash: sha(first) });
    await writeFile(file, first.replace("Ä", "Ö"));
    await utimes(file, new Date(2000, 0, 1), new Date(2000, 0, 1));
    expect(() => writeChunks(path.join(dir, "refused"), again ?? [])).toThrow(SourceChanged);
    // The old file changed since its hash was taken (the manifest's): not spliced from.
    await writeFile(file, first.replace("b", "x"));
    expect(next.bytes({ file, hash: sha(first) })).toBeUndefined();
    // A hash whose layout the store does not have: not spliced from either.
    expect(next.bytes({ file, hash: sha("other") })).toBeUndefined();
    // A layout whose lengths do not add up to the file's: not used.
    await writeFile(file, `${first} `);
    store.set(["list.json", sha(`${first} `)], { pieces: [["", 1]] });
    expect(next.bytes({ file, hash: sha(`${first} `) })).toBeUndefined();
  });

  it("made whole in pieces (a build without an old file), gives the bytes of its text and a layout the next build splices from", async () => {
    const dir = await scratch("splice-whole");
    const file = path.join(dir, "list.json");
    let members: [string, string][] = [
      ["a", '"Ä \u2028"'],
      ["b", '"b"'],
    ];
    const pieces = (): Piece[] => [
      "[",
      ...members.flatMap(([label, text], i): Piece[] => [...(i > 0 ? [","] : []), { label, make: () => text }]),
      "]",
    ];
    const store = memoryStore();
    const text = new SplicedFile("list.json", memoryStore(), () => ({ pieces: pieces() })).text();
    const whole = new SplicedFile("list.json", store, () => ({ pieces: pieces() }));
    const bytes = Buffer.concat([...whole.wholeBytes()]);
    expect(bytes.equals(Buffer.from(text))).toBe(true);
    await writeFile(file, bytes);
    whole.written(sha(bytes));
    members = [
      ["a", '"Ä \u2028"'],
      ["c", '"c"'],
    ];
    const next = new SplicedFile("list.json", store, () => ({ pieces: pieces() })).bytes({ file, hash: sha(bytes) });
    expect(await writtenText(dir, next)).toBe('["Ä \u2028","c"]');
  });
});
