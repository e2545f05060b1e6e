/**
 * `check` answers from the fingerprint when nothing changed (issue 16, part 3; pipeline.ts check,
 * compile/up-to-date.ts): a good check or build records its findings under the fingerprint of the
 * tree's bytes, the tools, where the tree sits and the baseline, and a check asked `fromFingerprint`
 * with the same fingerprint returns them without parsing or validating anything. Never stale: each
 * kind of change makes a full check, whose findings are those of a check without a cache. A damaged
 * entry reads as absent.
 *
 * Each check that must read the disk runs on fresh modules (vi.resetModules): the cache remembers
 * the entries it read or wrote in memory, which would hide what is on disk.
 */

import { cp, readdir, readFile, rm, writeFile } from "node:fs/promises";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import type { EventEntry } from "../src/model/events-json.js";
import type { CheckOptions, CheckResult } from "../src/pipeline.js";
import { cliInProcess, fixedTools, freshPipeline, ROOT, scratch } from "./helpers.js";

const GOLDEN = path.join(ROOT, "test/fixtures/golden/events");
const TOOLS = fixedTools("check-fast-path");

const fresh = freshPipeline;

/** A check through fresh modules, with the stages it ran. */
async function checkOnce(options: CheckOptions): Promise<{ result: CheckResult; stages: string[] }> {
  const stages: string[] = [];
  const pipeline = await fresh();
  const result = await pipeline.check({ workers: 0, tools: TOOLS, fromFingerprint: true, ...options, onStage: (s) => stages.push(s) });
  return { result, stages };
}

/** A tree that checks with a warning (an unneeded version): the stamp keeps warnings too. */
async function treeWithWarning(name: string): Promise<{ dir: string; events: string; cacheDir: string }> {
  const dir = await scratch(name);
  const events = path.join(dir, "events");
  await cp(GOLDEN, events, { recursive: true });
  await cp(path.join(events, "billing/payment/payment-captured.json"), path.join(events, "billing/payment/payment-captured.v2.json"));
  return { dir, events, cacheDir: path.join(dir, "cache") };
}

/** The check stamps in a cache folder (entries whose value is `{ kind: "check", … }`). */
async function stampFiles(cacheDir: string): Promise<string[]> {
  const out: string[] = [];
  for (const name of await readdir(path.join(cacheDir, "stamps"))) {
    const file = path.join(cacheDir, "stamps", name);
    const text = await readFile(file, "utf8");
    if (text.includes('{"kind":"check"')) out.push(file);
  }
  return out;
}

let tree: { dir: string; events: string; cacheDir: string };
let plain: CheckResult;

beforeAll(async () => {
  tree = await treeWithWarning("check-fast-path");
  plain = (await checkOnce({ eventsDir: tree.events, cacheDir: false })).result;
  expect(plain.ok).toBe(true);
  expect(plain.diagnostics.map((d) => d.code)).toEqual(["COMPAT_VERSION_UNNEEDED"]);
});

afterAll(async () => {
  await rm(tree.dir, { recursive: true, force: true });
});

describe("check from the fingerprint", () => {
  it("a second check of an unchanged tree returns the same findings and runs no stage", async () => {
    const first = await checkOnce({ eventsDir: tree.events, cacheDir: tree.cacheDir });
    expect(first.result.upToDate).toBeUndefined();
    expect(first.stages).toEqual(expect.arrayContaining(["parse", "validate", "versions", "chain"]));
    expect(first.result.diagnostics).toEqual(plain.diagnostics);

    const second = await checkOnce({ eventsDir: tree.events, cacheDir: tree.cacheDir });
    expect(second.result).toMatchObject({ ok: true, upToDate: true, events: 4 });
    expect(second.result.diagnostics).toEqual(plain.diagnostics);
    // By bytes, or by stat when the files are older than RACY_MS (compile/known-tree.ts).
    expect(second.stages).toEqual([expect.stringMatching(/^fingerprint( by stat)?$/)]);
    expect(second.result.tree).toBeUndefined();
  });

  it("is used only when asked for: a caller that needs the tree gets it", async () => {
    const { result, stages } = await checkOnce({ eventsDir: tree.events, cacheDir: tree.cacheDir, fromFingerprint: false });
    expect(result.upToDate).toBeUndefined();
    expect(result.tree?.events).toHaveLength(4);
    expect(stages).toContain("parse");
  });

  it("a good build records what check would say", async () => {
    const built = await treeWithWarning("check-fast-path-build");
    const pipeline = await fresh();
    const b = await pipeline.build({ eventsDir: built.events, cacheDir: built.cacheDir, workers: 0, tools: TOOLS });
    expect(b.ok).toBe(true);
    const { result, stages } = await checkOnce({ eventsDir: built.events, cacheDir: built.cacheDir });
    expect(result.upToDate).toBe(true);
    expect(stages).toEqual([expect.stringMatching(/^fingerprint( by stat)?$/)]);
    expect(result.diagnostics.map((d) => d.code)).toEqual(["COMPAT_VERSION_UNNEEDED"]);
    await rm(built.dir, { recursive: true, force: true });
  });

  it("a check with errors records nothing: the next one checks in full", async () => {
    const broken = await treeWithWarning("check-fast-path-broken");
    await writeFile(path.join(broken.events, "billing/invoice/invoice-issued.json"), "{ ");
    for (let i = 0; i < 2; i++) {
      const { result, stages } = await checkOnce({ eventsDir: broken.events, cacheDir: broken.cacheDir });
      expect(result.ok).toBe(false);
      expect(result.upToDate).toBeUndefined();
      expect(stages).toContain("parse");
    }
    await rm(broken.dir, { recursive: true, force: true });
  });
});

describe("never stale: every kind of change checks in full", () => {
  /** Changes the tree (or the check's options), checks, undoes the change. */
  type Change = { name: string; apply(): Promise<Partial<CheckOptions>>; undo(): Promise<void> };
  const file = (rel: string) => path.join(tree.events, rel);
  const changes: Change[] = [
    {
      name: "one byte of one file",
      apply: async () => {
        const text = await readFile(file("billing/payment/payment-captured.v2.json"), "utf8");
        await writeFile(file("billing/payment/payment-captured.v2.json"), text.replace('"Payment captured"', '"Payment capturEd"'));
        return {};
      },
      undo: () => cp(file("billing/payment/payment-captured.json"), file("billing/payment/payment-captured.v2.json")),
    },
    {
      name: "a file added",
      apply: async () => {
        await cp(file("billing/payment/payment-captured.json"), file("billing/payment/payment-refunded.json"));
        return {};
      },
      undo: () => rm(file("billing/payment/payment-refunded.json")),
    },
    {
      name: "a file removed",
      apply: async () => {
        await rm(file("billing/payment/payment-captured.v2.json"));
        return {};
      },
      undo: () => cp(file("billing/payment/payment-captured.json"), file("billing/payment/payment-captured.v2.json")),
    },
    {
      name: "a tool's version",
      apply: async () => ({ tools: { ...TOOLS, ajv: "b" } }),
      undo: async () => {},
    },
    {
      name: "a baseline given",
      apply: async () => ({ baseline: [] as EventEntry[] }),
      undo: async () => {},
    },
    {
      name: "another folder the findings are relative to",
      apply: async () => ({ cwd: tree.dir, eventsDir: "events" }),
      undo: async () => {},
    },
  ];

  for (const change of changes) {
    it(change.name, async () => {
      // Warm: the unchanged tree answers from its fingerprint.
      await checkOnce({ eventsDir: tree.events, cacheDir: tree.cacheDir });
      expect((await checkOnce({ eventsDir: tree.events, cacheDir: tree.cacheDir })).result.upToDate).toBe(true);

      const options = { eventsDir: tree.events, cacheDir: tree.cacheDir, ...(await change.apply()) };
      const { result, stages } = await checkOnce(options);
      const cold = (await checkOnce({ ...options, cacheDir: false })).result;
      expect(result.upToDate).toBeUndefined();
      expect(stages).toContain("parse");
      expect(result.ok).toBe(cold.ok);
      expect(result.diagnostics).toEqual(cold.diagnostics);
      // The changed state is answered from its own fingerprint next time, with the same findings.
      const again = await checkOnce(options);
      if (result.ok) expect(again.result).toMatchObject({ upToDate: true, diagnostics: cold.diagnostics });
      await change.undo();
    });
  }

  it("a different baseline than the one recorded", async () => {
    const baseline = [{ type: "billing.payment.payment-captured.v9" }] as unknown as EventEntry[];
    await checkOnce({ eventsDir: tree.events, cacheDir: tree.cacheDir, baseline: [] });
    expect((await checkOnce({ eventsDir: tree.events, cacheDir: tree.cacheDir, baseline: [] })).result.upToDate).toBe(true);
    const other = await checkOnce({ eventsDir: tree.events, cacheDir: tree.cacheDir, baseline });
    expect(other.result.upToDate).toBeUndefined();
    expect(other.stages).toContain("parse");
  });
});

describe("a damaged stamp reads as absent", () => {
  const damages: [string, (text: string) => string][] = [
    ["a flipped character", (t) => `${t.slice(0, -3)}${t.at(-3) === "0" ? "1" : "0"}${t.slice(-2)}`],
    ["truncated", (t) => t.slice(0, Math.floor(t.length / 2))],
    ["not JSON", () => "garbage"],
    [
      "the right checksum over the wrong shape is still refused by its shape",
      (t) => t, // replaced below through the cache's own writer
    ],
  ];
  for (const [name, damage] of damages) {
    it(name, async () => {
      const own = await treeWithWarning("check-fast-path-damaged");
      await checkOnce({ eventsDir: own.events, cacheDir: own.cacheDir });
      const stamps = await stampFiles(own.cacheDir);
      expect(stamps).toHaveLength(1);
      const stamp = stamps[0] as string;
      if (name.startsWith("the right checksum")) {
        vi.resetModules();
        const cache = await import("../src/compile/cache.js");
        await cache.writeStamp(own.cacheDir, path.basename(stamp, ".json"), { kind: "check", diagnostics: "none", events: 4 });
      } else await writeFile(stamp, damage(await readFile(stamp, "utf8")));

      const { result, stages } = await checkOnce({ eventsDir: own.events, cacheDir: own.cacheDir });
      expect(result.upToDate).toBeUndefined();
      expect(stages).toContain("parse");
      const cold = (await checkOnce({ eventsDir: own.events, cacheDir: false })).result;
      expect(result.diagnostics).toEqual(cold.diagnostics);
      // Written again, whole: the next check answers from it.
      expect((await checkOnce({ eventsDir: own.events, cacheDir: own.cacheDir })).result.upToDate).toBe(true);
      await rm(own.dir, { recursive: true, force: true });
    });
  }
});

describe("the check command", () => {
  it("prints the same thing from the fingerprint as from a full check", async () => {
    const own = await treeWithWarning("check-fast-path-cli");
    const args = ["check", "--events", path.relative(ROOT, own.events)];
    const first = await cliInProcess(args);
    const second = await cliInProcess(args);
    expect(first.code).toBe(0);
    expect(second).toEqual(first);
    expect(first.stdout).toContain("COMPAT_VERSION_UNNEEDED");
    expect(first.stdout).toContain("4 event versions");
    await rm(own.dir, { recursive: true, force: true });
  });
});
