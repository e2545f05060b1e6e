/**
 * The cold build's fast paths give the same package as the plain one, and a warm run starts no
 * worker thread. The compile stage drops ajv's `source` of each function once its module is
 * written and reads what a shared function reaches from a list kept before the drop: a batch's
 * validators must then be exactly those of each event compiled alone. Workers are handed batches
 * before the version chain runs and start only when the cache misses many units: the output of a
 * build over worker threads, in this thread, and from the cache must be byte for byte the same.
 * None of these tests looks at a clock.
 */

import { createHash } from "node:crypto";
import { mkdir, readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import { build as tsup } from "tsup";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { generateCorpus } from "../scripts/bench/corpus.js";
import { compileBatch, type UnitInput } from "../src/compile/compile.js";
import { useWorkerScript, workerThreadsStarted } from "../src/compile/index.js";
import { compileInputs } from "../src/compile/inputs.js";
import type { EventTree, ParsedFile } from "../src/model/tree.js";
import { build } from "../src/pipeline.js";
import { discover } from "../src/stages/discover.js";
import { parse } from "../src/stages/parse.js";
import { validate } from "../src/stages/validate/index.js";
import { versions } from "../src/stages/versions.js";
import { scratch, snapshotDir } from "./helpers.js";

/**
 * 120 events of the bench corpus: more units than the worker threshold, so the workers are handed
 * the units before the declarations' roots are worked out, which follow in batches of their own.
 */
const EVENTS = 120;

let dir: string;
let events: string;
/** An event file of the corpus (events-relative). */
let sample: string;

beforeAll(async () => {
  dir = await scratch("cold-build");
  events = path.join(dir, "events");
  sample = (await generateCorpus(events, EVENTS)).sampleEventFile;
  // The worker as dist/build-worker.js is, bundled from source (tests have no dist/ of their own).
  const workerDir = path.join(dir, "worker");
  await mkdir(workerDir, { recursive: true });
  await tsup({
    entry: { "build-worker": "src/compile/worker.ts" },
    outDir: workerDir,
    format: ["esm"],
    target: "node20",
    silent: true,
    sourcemap: false,
    splitting: false,
    dts: false,
    external: ["json-schema-to-typescript", "glob", "recheck"],
  });
  useWorkerScript(path.join(workerDir, "build-worker.js"));
});

afterAll(() => useWorkerScript(undefined));

/** The compile stage's inputs for a tree, made by the stages before it (as pipeline.ts does). */
async function inputsOf(eventsDir: string): Promise<ReturnType<typeof compileInputs>> {
  const found = await discover({ eventsDir });
  const parsed = parse(found.value);
  const validated = validate(
    parsed.value,
    found.value.map((f) => f.rel),
  );
  const versioned = versions(found.value, validated.value.schemas);
  const schemas = validated.value.schemas;
  const shared = [...schemas.values()].map((s) => s.file).filter((f): f is ParsedFile => f.kind.kind === "shared");
  const sources = new Map(validated.value.systems.map((s) => [s.system, s.source]));
  const pinned = versioned.value.map((e) => (sources.has(e.system) ? { ...e, sourcePin: sources.get(e.system) } : e));
  const tree: EventTree = { events: pinned, shared, systems: validated.value.systems };
  return compileInputs(tree, schemas);
}

/** Every file of a folder by its sha256 (megabytes compared byte by byte through toEqual take minutes). */
async function digests(folder: string): Promise<Map<string, string>> {
  const files = await snapshotDir(folder);
  return new Map([...files].map(([name, bytes]) => [name, createHash("sha256").update(bytes).digest("hex")]));
}

// Three builds of 120 events in one test: far from the default timeout on a busy machine, never a measure.
describe("a cold build", { timeout: 600_000 }, () => {
  it("splits each event's validator as if it were compiled alone: dropping ajv's source changes no byte", async () => {
    const inputs = await inputsOf(events);
    // The shared files and 20 events: the events reach the shared functions in turn.
    const shared = inputs.units.filter((u) => u.rel.startsWith("_")).map(({ deps: _, ...unit }) => unit);
    const someEvents = inputs.units.filter((u) => !u.rel.startsWith("_")).slice(0, 20);
    const units: UnitInput[] = [...shared, ...someEvents.map(({ deps: _, ...unit }) => unit)];
    const together = await compileBatch(inputs.shared, units);
    const alone = await Promise.all(units.map((unit) => compileBatch(inputs.shared, [unit])));
    expect(together.units.filter((u) => u.validator)).toHaveLength(20);
    expect(together.units).toEqual(alone.map((out) => out.units[0]));
    // Every shared function emitted once in the batch, with the code each event alone gave it.
    const sharedAlone = new Map(alone.flatMap((out) => out.shared));
    expect(new Map(together.shared)).toEqual(sharedAlone);
  });

  it("writes the same package over worker threads, in this thread, and from the cache", async () => {
    const cache = path.join(dir, "cache");
    const before = workerThreadsStarted();
    const threads = await build({ eventsDir: events, outDir: path.join(dir, "out-workers"), cacheDir: cache });
    expect(threads.ok).toBe(true);
    expect(threads.stats?.workers).toBeGreaterThan(0);
    expect(workerThreadsStarted()).toBeGreaterThan(before);

    const here = await build({ eventsDir: events, outDir: path.join(dir, "out-here"), cacheDir: false, workers: 0 });
    expect(here.stats?.workers).toBe(0);
    // Another out folder: no no-op stamp applies, every file comes from the cache's entries.
    const cached = await build({ eventsDir: events, outDir: path.join(dir, "out-cached"), cacheDir: cache });
    expect(cached.stats?.compiled).toBe(0);

    const expected = await digests(path.join(dir, "out-workers"));
    expect(expected.size).toBeGreaterThan(EVENTS);
    for (const other of ["out-here", "out-cached"]) expect(await digests(path.join(dir, other))).toEqual(expected);
  });

  it("starts no worker thread when the cache holds the units, nor for one edited event", async () => {
    const cache = path.join(dir, "cache-warm");
    const options = { eventsDir: events, cacheDir: cache };
    expect((await build(options)).stats?.workers).toBeGreaterThan(0);

    const before = workerThreadsStarted();
    const warm = await build(options);
    expect(warm.stats).toMatchObject({ compiled: 0, workers: 0 });
    expect(workerThreadsStarted()).toBe(before);

    const file = path.join(events, sample);
    const text = await readFile(file, "utf8");
    expect(text).toContain('"maxLength": 2048');
    await writeFile(file, text.replace('"maxLength": 2048', '"maxLength": 2047'));
    const edited = await build(options);
    expect(edited.stats).toMatchObject({ compiledUnits: [sample], workers: 0 });
    expect(workerThreadsStarted()).toBe(before);
  });
});
