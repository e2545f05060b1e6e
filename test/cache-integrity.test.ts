/**
 * The build cache is verified, never trusted (issue 14, part 6): every kind of entry in a warm cache
 * (compile verdicts, validators' code, shared code, declarations, the content keys that files'
 * bytes remember, parse and validate verdicts, ReDoS verdicts, chain verdicts, the no-op stamp) is
 * damaged in four ways: valid JSON of the wrong shape
 * (written through the cache's own writer, so that its checksum is right), a flipped bit, a
 * truncated file, and another entry's file copied over it. The next build must succeed with the
 * diagnostics and the out folder of a build without a cache, byte for byte, and write a good entry
 * over the bad one.
 *
 * Each build runs on fresh modules (vi.resetModules): the cache remembers entries in memory, and
 * the ReDoS analyser its verdicts, which would hide what is on disk.
 */

import { createHash } from "node:crypto";
import { cp, readdir, readFile, rm, writeFile } from "node:fs/promises";
import path from "node:path";
import { beforeAll, describe, expect, it, vi } from "vitest";
import { PACK_FILES, type PackName, packEntries, scan } from "../src/compile/pack.js";
import { fixedTools, ROOT, scratch, snapshotDir } from "./helpers.js";

const GOLDEN = path.join(ROOT, "test/fixtures/golden/events");
const TOOLS = fixedTools("cache-integrity");

type Pipeline = typeof import("../src/pipeline.js");
type Cache = typeof import("../src/compile/cache.js");

/** The pipeline and the cache, loaded afresh (see the header). */
async function fresh(): Promise<{ pipeline: Pipeline; cache: Cache }> {
  vi.resetModules();
  return { pipeline: await import("../src/pipeline.js"), cache: await import("../src/compile/cache.js") };
}

const KINDS = ["parse", "validate", "redos", "chain", "compile", "code", "shared", "types", "alias", "stamp"] as const;
type Kind = (typeof KINDS)[number];

/**
 * One entry of a cache folder: a record of its pack (compile/pack.ts), or a stamp's file of its
 * own; its key and value.
 */
interface Entry {
  /** The stamp's file, or undefined for a record of a pack. */
  file: string | undefined;
  /** The pack of a record. */
  pack?: PackName;
  key: string;
  kind: Kind | undefined;
  value: unknown;
}

function kindOf(value: unknown): Kind | undefined {
  if (value === true) return "parse";
  if (typeof value !== "object" || value === null) return undefined;
  const keys = Object.keys(value);
  const by: [string, Kind][] = [
    ["refs", "validate"],
    ["status", "redos"],
    ["verdict", "chain"],
    ["invalidExamples", "compile"],
    ["validator", "code"],
    ["code", "shared"],
    ["types", "types"],
    ["fingerprint", "stamp"],
    ["key", "alias"],
  ];
  return by.find(([key]) => keys.includes(key))?.[1];
}

/** A record of the pack as bytes: its key, and its text. */
interface PackRecord {
  key: string;
  text: Buffer;
}

const PACKS = Object.keys(PACK_FILES) as PackName[];

async function packRecords(cacheDir: string, pack: PackName): Promise<PackRecord[]> {
  const bytes = await readFile(path.join(cacheDir, PACK_FILES[pack]));
  const out: PackRecord[] = [];
  scan(bytes, (key, slot) => out.push({ key, text: bytes.subarray(slot.start, slot.end) }));
  return out;
}

/** Writes records as the pack's own writer would, each with the checksum of its `sum` text (its own when not given). */
async function writeRecords(cacheDir: string, pack: PackName, records: readonly (PackRecord & { sum?: Buffer })[]): Promise<void> {
  const parts = records.flatMap((r) => {
    const sum = createHash("sha256")
      .update("domain-events cache 1\0")
      .update(r.key)
      .update("\0")
      .update(r.sum ?? r.text)
      .digest("hex");
    return [Buffer.from(`#DE1 ${r.key} ${r.text.length} ${sum}\n`), r.text, Buffer.from("\n")];
  });
  await writeFile(path.join(cacheDir, PACK_FILES[pack]), Buffer.concat(parts));
}

async function entries(cacheDir: string): Promise<Entry[]> {
  const out: Entry[] = [];
  for (const pack of PACKS) {
    for (const [key, text] of packEntries(cacheDir, pack)) {
      const value = text === undefined ? undefined : (JSON.parse(text) as unknown);
      out.push({ file: undefined, pack, key, kind: kindOf(value), value });
    }
  }
  const stamps = path.join(cacheDir, "stamps");
  for (const name of (await readdir(stamps).catch(() => [])).sort()) {
    const file = path.join(stamps, name);
    const text = await readFile(file, "utf8");
    const value = JSON.parse(text.slice(text.indexOf("\n") + 1)) as unknown;
    out.push({ file, key: name.slice(0, -".json".length), kind: kindOf(value), value });
  }
  return out;
}

/** Removes entries: a stamp's file, or the pack's records of the keys. */
async function remove(cacheDir: string, gone: readonly Entry[]): Promise<void> {
  for (const e of gone) if (e.file) await rm(e.file);
  for (const pack of PACKS) {
    const keys = new Set(gone.filter((e) => e.pack === pack).map((e) => e.key));
    if (keys.size > 0)
      await writeRecords(
        cacheDir,
        pack,
        (await packRecords(cacheDir, pack)).filter((r) => !keys.has(r.key)),
      );
  }
}

/** Valid JSON of the wrong shape, per kind: each would break the build or its output if trusted. */
function wrongShape(entry: Entry): unknown {
  const value = entry.value as Record<string, unknown>;
  switch (entry.kind) {
    case "parse":
      return { clean: "yes" };
    case "validate":
      return { refs: "all of them" };
    case "redos":
      return { status: "vulnerable" };
    case "chain":
      return { verdict: "sideways" };
    case "compile":
      return { invalidExamples: { index: 0 } };
    case "code":
      return { validator: { body: "return false", imports: ["a; process.exit(9); const b"], shared: [] } };
    case "shared":
      return { code: 42 };
    case "types":
      return { types: ["export type X = 1;"] };
    case "stamp":
      return { ...value, diagnostics: "none" };
    case "alias":
      return { ...value, key: "../../etc/passwd", shared: ["a; process.exit(9)"] };
    default:
      throw new Error(`no wrong shape for ${entry.kind}`);
  }
}

const CORRUPTIONS = ["wrong shape", "bit flip", "truncated", "another entry"] as const;
type Corruption = (typeof CORRUPTIONS)[number];

/**
 * Damages the `damaged` entries (all of one kind) in the cache folder. In the pack: a record of the
 * wrong shape appended through the cache's own writer (its checksum right); a flipped bit in each
 * record's text; the pack cut short in the middle of the first of them (moved to its end, as an
 * append a crash cut short); each record's text replaced by another entry's. A stamp's file is
 * damaged the same ways.
 */
async function corrupt(how: Corruption, damaged: readonly Entry[], all: readonly Entry[], cache: Cache, cacheDir: string): Promise<void> {
  const stamps = damaged.filter((e) => e.file);
  for (const entry of stamps) await corruptStamp(how, entry, all, cache, cacheDir);
  for (const pack of PACKS) {
    const keys = new Set(damaged.filter((e) => e.pack === pack).map((e) => e.key));
    if (keys.size > 0) await corruptPack(how, pack, keys, damaged, all, cache, cacheDir);
  }
}

async function corruptPack(
  how: Corruption,
  pack: PackName,
  keys: ReadonlySet<string>,
  damaged: readonly Entry[],
  all: readonly Entry[],
  cache: Cache,
  cacheDir: string,
): Promise<void> {
  if (how === "wrong shape") {
    for (const entry of damaged) if (entry.pack === pack) cache.writeEntrySync(cacheDir, entry.key, wrongShape(entry), pack);
    cache.flushCache(cacheDir);
    return;
  }
  const records = await packRecords(cacheDir, pack);
  const hit = (r: PackRecord) => keys.has(r.key);
  if (how === "bit flip") {
    await writeRecords(
      cacheDir,
      pack,
      records.map((r) => {
        if (!hit(r)) return r;
        const text = Buffer.from(r.text);
        const at = Math.floor(text.length / 2);
        text[at] = (text[at] as number) ^ 0x01;
        return { ...r, text, sum: r.text };
      }),
    );
  } else if (how === "truncated") {
    await writeRecords(cacheDir, pack, [...records.filter((r) => !hit(r)), ...records.filter(hit)]);
    const file = path.join(cacheDir, PACK_FILES[pack]);
    const bytes = await readFile(file);
    const first = records.filter(hit)[0] as PackRecord;
    const cut = bytes.length - records.filter(hit).reduce((n, r) => n + r.text.length + 150, 0) + Math.floor(first.text.length / 2);
    await writeFile(file, bytes.subarray(0, Math.max(0, cut)));
  } else {
    const kindOfKey = new Map(all.map((e) => [e.key, e.kind]));
    await writeRecords(
      cacheDir,
      pack,
      records.map((r) => {
        if (!hit(r)) return r;
        const other =
          records.find((o) => o.key !== r.key && kindOfKey.get(o.key) === kindOfKey.get(r.key)) ?? records.find((o) => o.key !== r.key);
        return { ...r, text: (other as PackRecord).text, sum: r.text };
      }),
    );
  }
}

async function corruptStamp(how: Corruption, entry: Entry, all: readonly Entry[], cache: Cache, cacheDir: string): Promise<void> {
  const file = entry.file as string;
  const bytes = await readFile(file);
  if (how === "wrong shape") await cache.writeStamp(cacheDir, entry.key, wrongShape(entry));
  else if (how === "bit flip") {
    const at = bytes.length - Math.max(2, Math.floor((bytes.length - 66) / 2));
    bytes[at] = (bytes[at] as number) ^ 0x01;
    await writeFile(file, bytes);
  } else if (how === "truncated") await writeFile(file, bytes.subarray(0, Math.floor(bytes.length / 2)));
  else {
    const other = all.find((e) => e.file && e.file !== file);
    const text = other ? await readFile(other.file as string) : Buffer.from(`${"0".repeat(64)}\n{}`);
    await writeFile(file, text);
  }
}

/** After a build: the damaged entries read back whole and of their kind (written again by the build). */
async function rewritten(cacheDir: string, damaged: readonly Entry[]): Promise<void> {
  const now = await entries(cacheDir);
  for (const entry of damaged) {
    const found = now.find((e) => e.key === entry.key && e.pack === entry.pack);
    expect(found?.kind, entry.key).toBe(entry.kind);
  }
}

describe("a damaged cache entry is ignored and rebuilt, never trusted, never fatal", () => {
  let dir = "";
  let events = "";
  let warm = "";
  let cold: Map<string, Buffer>;
  let coldDiagnostics: unknown;

  beforeAll(async () => {
    dir = await scratch("cache-integrity");
    events = path.join(dir, "events");
    await cp(GOLDEN, events, { recursive: true });
    const { pipeline } = await fresh();
    const plain = await pipeline.build({ eventsDir: events, cacheDir: false, outDir: path.join(dir, "cold"), workers: 0, tools: TOOLS });
    expect(plain.ok).toBe(true);
    cold = await snapshotDir(path.join(dir, "cold"));
    coldDiagnostics = plain.diagnostics;
    warm = path.join(dir, "warm");
    // Fresh modules again: the ReDoS verdicts of the build above are in memory, and would not reach the cache.
    const warming = (await fresh()).pipeline;
    expect(
      (await warming.build({ eventsDir: events, cacheDir: warm, outDir: path.join(dir, "warm-out"), workers: 0, tools: TOOLS })).ok,
    ).toBe(true);
    const kinds = new Set((await entries(warm)).map((e) => e.kind));
    for (const kind of KINDS) expect(kinds, kind).toContain(kind);
  });

  let n = 0;
  for (const kind of KINDS) {
    for (const how of CORRUPTIONS) {
      it(`${kind} entries, ${how}: the next build succeeds with the output of a build without a cache`, async () => {
        const caseDir = path.join(dir, `case-${n++}`);
        const cacheDir = path.join(caseDir, "cache");
        const out = path.join(caseDir, "out");
        await cp(warm, cacheDir, { recursive: true });
        // Entries the next build would not read go: the warm build's stamp (of another out folder),
        // and, for the ReDoS verdicts, the validate verdicts (a file known clean is not checked again).
        const unread = kind === "stamp" ? "stamp" : kind === "redos" ? "validate" : undefined;
        await remove(
          cacheDir,
          (await entries(cacheDir)).filter((e) => e.kind === unread),
        );
        if (kind === "stamp") {
          // A stamp for this very out folder (a stamp is keyed by it), which the next build reads.
          const { pipeline } = await fresh();
          expect((await pipeline.build({ eventsDir: events, cacheDir, outDir: out, workers: 0, tools: TOOLS })).ok).toBe(true);
        }
        const all = await entries(cacheDir);
        const { cache } = await fresh();
        const damaged = all.filter((e) => e.kind === kind);
        expect(damaged.length, kind).toBeGreaterThan(0);
        await corrupt(how, damaged, all, cache, cacheDir);

        const { pipeline } = await fresh();
        const r = await pipeline.build({ eventsDir: events, cacheDir, outDir: out, workers: 0, tools: TOOLS });
        expect(r.ok).toBe(true);
        expect(r.upToDate).toBeUndefined();
        expect(r.diagnostics).toEqual(coldDiagnostics);
        const built = await snapshotDir(out);
        expect([...built.keys()].sort()).toEqual([...cold.keys()].sort());
        for (const [name, bytes] of cold) expect(bytes.equals(built.get(name) as Buffer), name).toBe(true);
        // The bad entries were written again, good.
        await rewritten(cacheDir, damaged);
      });
    }
  }
});
