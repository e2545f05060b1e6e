/**
 * The tree known by stat (compile/known-tree.ts): a run that read the tree records each file's
 * stat with the hash of its bytes, and the next no-op build or unchanged check takes the hashes from
 * the record when the listing and every stat are the same, reading no file. Never stale: an edit
 * that restores the file's size and modification time is still seen (the change time moves), a
 * file written just before the record was taken is never trusted, and any change to the listing
 * reads the tree. Every answer is compared with a run without a cache.
 *
 * Files must be older than RACY_MS before a record trusts them, and a file's change time cannot be
 * set back: the tree is written once and the tests wait that long once (beforeAll).
 */

import { execFileSync } from "node:child_process";
import { writeFileSync } from "node:fs";
import { cp, mkdir, readdir, readFile, rm, stat, writeFile } from "node:fs/promises";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { RACY_MS } from "../src/compile/known-tree.js";
import { PACK_FILES } from "../src/compile/pack.js";
import type { BuildResult, CheckResult } from "../src/pipeline.js";
import { fixedTools, freshPipeline, ROOT, scratch } from "./helpers.js";

const GOLDEN = path.join(ROOT, "test/fixtures/golden/events");
const TOOLS = fixedTools("known-tree");

const fresh = freshPipeline;

let dir: string;
let events: string;
let cacheDir: string;
let out: string;

async function buildOnce(): Promise<{ result: BuildResult; stages: string[] }> {
  const stages: string[] = [];
  const result = await (await fresh()).build({
    eventsDir: events,
    outDir: out,
    cacheDir,
    workers: 0,
    tools: TOOLS,
    onStage: (s) => stages.push(s),
  });
  return { result, stages };
}

async function checkOnce(cache: string | false = cacheDir): Promise<{ result: CheckResult; stages: string[] }> {
  const stages: string[] = [];
  const result = await (await fresh()).check({
    eventsDir: events,
    cacheDir: cache,
    workers: 0,
    tools: TOOLS,
    fromFingerprint: true,
    onStage: (s) => stages.push(s),
  });
  return { result, stages };
}

/** What the out folder holds, file by file. */
async function outFiles(folder = out): Promise<Map<string, string>> {
  const files = new Map<string, string>();
  const visit = async (rel: string) => {
    for (const e of await readdir(path.join(folder, rel), { withFileTypes: true })) {
      const child = rel ? `${rel}/${e.name}` : e.name;
      if (e.isDirectory()) await visit(child);
      else files.set(child, await readFile(path.join(folder, child), "utf8"));
    }
  };
  await visit("");
  return files;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const file = (rel: string) => path.join(events, rel);
const EDITED = "billing/payment/payment-captured.json";

beforeAll(async () => {
  dir = await scratch("known-tree");
  events = path.join(dir, "events");
  cacheDir = path.join(dir, "cache");
  out = path.join(dir, "out");
  await cp(GOLDEN, events, { recursive: true });
  // Written just now: a record taken now must not trust these files, and a later one must.
  const fresh = await buildOnce();
  expect(fresh.result.ok).toBe(true);
  const again = await buildOnce();
  expect(again.result.upToDate).toBe(true);
  expect(again.stages).toEqual(["fingerprint"]);
  await sleep(RACY_MS + 200);
}, 30_000);

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe("the tree known by stat", () => {
  it("a no-op build and an unchanged check read no file once a record trusts the tree", async () => {
    // This run reads the tree (the files were racy when last recorded) and records it: now trusted.
    expect((await buildOnce()).stages).toEqual(["fingerprint"]);
    const noop = await buildOnce();
    expect(noop.result).toMatchObject({ ok: true, upToDate: true });
    expect(noop.stages).toEqual(["fingerprint by stat"]);

    await checkOnce();
    const checked = await checkOnce();
    expect(checked.stages).toEqual(["fingerprint by stat"]);
    expect(checked.result.diagnostics).toEqual((await checkOnce(false)).result.diagnostics);
  });

  it("an edited shared definition rebuilds, from files known by stat and read only when needed, what a clean build makes", async () => {
    const rel = "_shared/money.json";
    const text = await readFile(file(rel), "utf8");
    // The tree recorded with every file trusted: only the edited file is read at once.
    await buildOnce();
    expect((await buildOnce()).stages).toEqual(["fingerprint by stat"]);
    await writeFile(file(rel), text.replace('"type": "integer"', '"type": "integer", "minimum": 0'));
    const built = await buildOnce();
    expect(built.result.ok).toBe(true);
    // The events that use Money compiled again: their schemas (so their files) were read.
    expect(built.result.stats?.compiled).toBeGreaterThan(1);
    const clean = path.join(dir, "clean-out");
    const cold = await (await fresh()).build({ eventsDir: events, outDir: clean, cacheDir: false, workers: 0, tools: TOOLS });
    expect(cold.ok).toBe(true);
    const [mine, theirs] = [await outFiles(), await outFiles(clean)];
    expect(mine).toEqual(theirs);
    expect([...mine.values()].some((t) => /"minimum": ?0/.test(t))).toBe(true);
    await writeFile(file(rel), text);
    await rm(clean, { recursive: true });
    // The tests below start from a tree whose every file a record can trust.
    await sleep(RACY_MS + 200);
  }, 20_000);

  it("a file added or removed, or a folder added, is not known by stat, and answers as a run without a cache", async () => {
    const changes: [string, () => Promise<void>, () => Promise<void>][] = [
      [
        "a file added",
        () => cp(file(EDITED), file("billing/payment/payment-refunded.json")),
        () => rm(file("billing/payment/payment-refunded.json")),
      ],
      ["a non-JSON file added", () => writeFile(file("billing/notes.txt"), "x"), () => rm(file("billing/notes.txt"))],
      ["an empty folder added", () => mkdir(file("billing/later")), () => rm(file("billing/later"), { recursive: true })],
      // Last: the tree it leaves is not the recorded one.
      ["a file removed", () => rm(file("billing/invoice/invoice-issued.v2.json")), async () => {}],
    ];
    for (const [name, apply, undo] of changes) {
      // The unchanged tree is known by stat (the first check records it after the last change was undone).
      await checkOnce();
      expect((await checkOnce()).stages, name).toEqual(["fingerprint by stat"]);
      await apply();
      const cached = await checkOnce();
      const cold = await checkOnce(false);
      expect(cached.stages, name).not.toContain("fingerprint by stat");
      expect(cached.result.ok, name).toBe(cold.result.ok);
      expect(cached.result.diagnostics, name).toEqual(cold.result.diagnostics);
      await undo();
    }
  });

  it("an edit that keeps the size and puts the modification time back is still seen", async () => {
    // touch -r copies the times to the nanosecond (utimes from Node rounds them).
    const times = path.join(dir, "times");
    await writeFile(times, "");
    execFileSync("touch", ["-r", file(EDITED), times]);
    const before = await stat(file(EDITED), { bigint: true });
    const text = await readFile(file(EDITED), "utf8");
    const edited = text.replace('"Payment captured"', '"Payment capturEd"');
    expect(edited).not.toBe(text);
    expect(edited.length).toBe(text.length);
    await writeFile(file(EDITED), edited);
    execFileSync("touch", ["-r", times, file(EDITED)]);
    const after = await stat(file(EDITED), { bigint: true });
    expect([after.size, after.mtimeNs, after.ino]).toEqual([before.size, before.mtimeNs, before.ino]);

    const built = await buildOnce();
    expect(built.result.ok).toBe(true);
    expect(built.result.upToDate).toBeUndefined();
    expect(built.stages).toContain("parse");
    expect([...(await outFiles()).values()].some((t) => t.includes("Payment capturEd"))).toBe(true);
    // The file was recorded within RACY_MS of its write: the next no-op reads the tree again, by bytes.
    const noop = await buildOnce();
    expect(noop.result.upToDate).toBe(true);
    expect(noop.stages).toEqual(["fingerprint"]);
    await writeFile(file(EDITED), text);
    execFileSync("touch", ["-r", times, file(EDITED)]);
    expect((await buildOnce()).result.upToDate).toBeUndefined();
  });

  it("a file known by its stat that is written during the run: the run starts again, reading every file", async () => {
    const rel = "billing/invoice/invoice-issued.json";
    const text = await readFile(file(rel), "utf8");
    const untitled = text.replace(/"title": "[^"]*"/, '"title": ""');
    expect(untitled).not.toBe(text);
    // The tree recorded with this file trusted, then the memos lost: the run parses every file, so reads its bytes.
    await checkOnce();
    await rm(path.join(cacheDir, PACK_FILES.memo));
    const stages: string[] = [];
    const result = await (await fresh()).check({
      eventsDir: events,
      cacheDir,
      workers: 0,
      tools: TOOLS,
      // Not from the fingerprint: the whole check runs (a caller that needs the tree).
      fromFingerprint: false,
      onStage: (s) => {
        // Once the tree is known and before its bytes are read: the file is written (its size changes too).
        if (s === "discover" && !stages.includes(s)) writeFileSync(file(rel), untitled);
        stages.push(s);
      },
    });
    expect(stages.filter((s) => s === "discover")).toHaveLength(2);
    const cold = (await checkOnce(false)).result;
    expect(cold.ok).toBe(false);
    expect(result.ok).toBe(false);
    expect(result.diagnostics).toEqual(cold.diagnostics);
    await writeFile(file(rel), text);
  });

  it("a damaged record reads as absent: the tree is read", async () => {
    const stamps = path.join(cacheDir, "stamps");
    for (const name of await readdir(stamps)) {
      const at = path.join(stamps, name);
      const text = await readFile(at, "utf8");
      if (text.includes('"kind":"known-tree"')) await writeFile(at, text.replace('"kind":"known-tree"', '"kind":"known-trez"'));
    }
    const noop = await buildOnce();
    expect(noop.result.upToDate).toBe(true);
    expect(noop.stages).toEqual(["fingerprint"]);
  });
});
