/**
 * The build cache is verified, never trusted (issue 14, part 6): every kind of entry in a warm cache
 * (compile verdicts, validators' code, shared code, declarations, parse and validate verdicts, ReDoS
 * verdicts, chain verdicts, the no-op stamp) is damaged in four ways: valid JSON of the wrong shape
 * (written through the cache's own writer, so that its checksum is right), a flipped bit, a
 * truncated file, and another entry's file copied over it. The next build must succeed with the
 * diagnostics and the out folder of a build without a cache, byte for byte, and write a good entry
 * over the bad one.
 *
 * Each build runs on fresh modules (vi.resetModules): the cache remembers entries in memory, and
 * the ReDoS analyser its verdicts, which would hide what is on disk.
 */

import { cp, readdir, readFile, rm, writeFile } from "node:fs/promises";
import path from "node:path";
import { beforeAll, describe, expect, it, vi } from "vitest";
import { ROOT, scratch, snapshotDir } from "./helpers.js";

const GOLDEN = path.join(ROOT, "test/fixtures/golden/events");
/** A fixed tool key: the default hashes our source files, which may change while the tests run. */
const TOOLS = { ajv: "a", "ajv-formats": "f", "json-schema-to-typescript": "j", recheck: "r", "domain-events": "cache-integrity" };

type Pipeline = typeof import("../src/pipeline.js");
type Cache = typeof import("../src/compile/cache.js");

/** The pipeline and the cache, loaded afresh (see the header). */
async function fresh(): Promise<{ pipeline: Pipeline; cache: Cache }> {
  vi.resetModules();
  return { pipeline: await import("../src/pipeline.js"), cache: await import("../src/compile/cache.js") };
}

const KINDS = ["parse", "validate", "redos", "chain", "compile", "code", "shared", "types", "stamp"] as const;
type Kind = (typeof KINDS)[number];

/** One entry of a cache folder: its file, key and value (the text after the checksum line, if any). */
interface Entry {
  file: string;
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
  ];
  return by.find(([key]) => keys.includes(key))?.[1];
}

async function entries(cacheDir: string): Promise<Entry[]> {
  const out: Entry[] = [];
  for (const dir of (await readdir(cacheDir)).sort()) {
    for (const name of (await readdir(path.join(cacheDir, dir))).sort()) {
      if (!name.endsWith(".json")) continue;
      const file = path.join(cacheDir, dir, name);
      const text = await readFile(file, "utf8");
      const value = JSON.parse(text.slice(text.indexOf("\n") + 1)) as unknown;
      out.push({ file, key: dir + name.slice(0, -".json".length), kind: kindOf(value), value });
    }
  }
  return out;
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
    default:
      throw new Error(`no wrong shape for ${entry.kind}`);
  }
}

const CORRUPTIONS = ["wrong shape", "bit flip", "truncated", "another entry"] as const;
type Corruption = (typeof CORRUPTIONS)[number];

/** Damages `entry` in the cache folder; returns the bytes written, to check they were replaced. */
async function corrupt(
  how: Corruption,
  entry: Entry,
  all: Entry[],
  originals: ReadonlyMap<string, Buffer>,
  cache: Cache,
  cacheDir: string,
): Promise<Buffer> {
  const bytes = Buffer.from(originals.get(entry.file) as Buffer);
  if (how === "wrong shape") await cache.writeEntry(cacheDir, entry.key, wrongShape(entry));
  else if (how === "bit flip") {
    const at = bytes.length - Math.max(2, Math.floor((bytes.length - 66) / 2));
    bytes[at] = (bytes[at] as number) ^ 0x01;
    await writeFile(entry.file, bytes);
  } else if (how === "truncated") await writeFile(entry.file, bytes.subarray(0, Math.floor(bytes.length / 2)));
  else {
    const others = all.filter((e) => e.file !== entry.file);
    const other = others.find((e) => e.kind === entry.kind) ?? (others[0] as Entry);
    await writeFile(entry.file, originals.get(other.file) as Buffer);
  }
  return readFile(entry.file);
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
        for (const entry of await entries(cacheDir)) if (entry.kind === unread) await rm(entry.file);
        if (kind === "stamp") {
          // A stamp for this very out folder (a stamp is keyed by it), which the next build reads.
          const { pipeline } = await fresh();
          expect((await pipeline.build({ eventsDir: events, cacheDir, outDir: out, workers: 0, tools: TOOLS })).ok).toBe(true);
        }
        const all = await entries(cacheDir);
        const { cache } = await fresh();
        const originals = new Map(await Promise.all(all.map(async (e) => [e.file, await readFile(e.file)] as const)));
        const damaged = new Map<string, Buffer>();
        for (const entry of all.filter((e) => e.kind === kind)) {
          damaged.set(entry.file, await corrupt(how, entry, all, originals, cache, cacheDir));
        }

        const { pipeline } = await fresh();
        const r = await pipeline.build({ eventsDir: events, cacheDir, outDir: out, workers: 0, tools: TOOLS });
        expect(r.ok).toBe(true);
        expect(r.upToDate).toBeUndefined();
        expect(r.diagnostics).toEqual(coldDiagnostics);
        const built = await snapshotDir(out);
        expect([...built.keys()].sort()).toEqual([...cold.keys()].sort());
        for (const [name, bytes] of cold) expect(bytes.equals(built.get(name) as Buffer), name).toBe(true);
        // The bad entries were written over with good ones.
        for (const [file, bytes] of damaged) expect((await readFile(file)).equals(bytes), file).toBe(false);
      });
    }
  }
});
