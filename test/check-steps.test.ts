/**
 * A check remembers each version step's verdict by the bytes of its two files and of what they
 * refer to (compile/memo.ts stepMemo): a plain check makes no entries (CheckResult.entries stays
 * unset) and gives the verdicts and findings of a check without a cache, warm or after an edit;
 * an edit to either file of a step, or to a shared file it reaches, is another key.
 */

import { cp, readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { openMemos } from "../src/compile/memo.js";
import type { ChainMemo, StepMemo } from "../src/model/events-json.js";
import type { SourceFile } from "../src/model/tree.js";
import { check } from "../src/pipeline.js";
import { ROOT, scratch } from "./helpers.js";

const GOLDEN = path.join(ROOT, "test/fixtures/golden/events");
const TOOLS = { ajv: "a", "ajv-formats": "f", "json-schema-to-typescript": "j", recheck: "r", "domain-events": "check-steps" };

async function edit(file: string, from: string, to: string): Promise<void> {
  const text = await readFile(file, "utf8");
  expect(text).toContain(from);
  await writeFile(file, text.replace(from, to));
}

describe("a check's version steps, remembered by bytes", () => {
  it("a warm check makes no entries and agrees with a check without a cache; an edit asks again", async () => {
    const dir = await scratch("check-steps");
    const events = path.join(dir, "events");
    await cp(GOLDEN, events, { recursive: true });
    const cached = { eventsDir: events, cacheDir: path.join(dir, "cache"), tools: TOOLS, workers: 0 };
    const plain = { eventsDir: events, cacheDir: false as const, workers: 0 };

    const cold = await check(cached);
    expect(cold.ok).toBe(true);
    expect(cold.entries).toBeUndefined();
    expect(cold.diagnostics).toEqual((await check(plain)).diagnostics);
    expect([...(cold.chain ?? [])]).toEqual([["billing.invoice.invoice-issued.v2", expect.any(String)]]);

    const warm = await check(cached);
    expect(warm.entries).toBeUndefined();
    expect([...(warm.chain ?? [])]).toEqual([...(cold.chain ?? [])]);
    expect(warm.diagnostics).toEqual((await check(plain)).diagnostics);

    // v2 made the same as v1: the step is fully compatible now, and the engine says so.
    const v1 = await readFile(path.join(events, "billing/invoice/invoice-issued.json"), "utf8");
    const v2file = path.join(events, "billing/invoice/invoice-issued.v2.json");
    const v2before = await readFile(v2file, "utf8");
    await writeFile(v2file, v1);
    const edited = await check(cached);
    const without = await check(plain);
    expect(edited.diagnostics).toEqual(without.diagnostics);
    expect([...(edited.chain ?? [])]).toEqual([...(without.chain ?? [])]);
    expect(edited.chain?.get("billing.invoice.invoice-issued.v2")).not.toBe(cold.chain?.get("billing.invoice.invoice-issued.v2"));

    // A shared file the step reaches: asked again too.
    await writeFile(v2file, v2before);
    await edit(path.join(events, "_shared/money.json"), '"type": "integer"', '"type": "integer", "minimum": -1000000000');
    const shared = await check(cached);
    expect(shared.diagnostics).toEqual((await check(plain)).diagnostics);
    // A check against a baseline makes the entries (it compares them).
    expect((await check({ ...cached, baseline: [] })).entries).toBeDefined();
  });

  it("a step's key holds the bytes of both files and of what they reach", async () => {
    const cacheDir = path.join(await scratch("check-steps-keys"), "cache");
    const file = (rel: string, text: string) => ({ rel, bytes: Buffer.from(text) }) as unknown as SourceFile;
    const depsOf = (rel: string) => (rel === "a/b/c.v2.json" ? ["_shared/x.json"] : []);
    const memosOf = async (v1: string, v2: string, x: string) => {
      const memos = openMemos({ cacheDir, tools: TOOLS });
      memos.parse([file("a/b/c.json", v1), file("a/b/c.v2.json", v2), file("_shared/x.json", x)]);
      return memos.steps(depsOf) as StepMemo;
    };
    (await memosOf("1", "2", "x")).set("a/b/c.json", "a/b/c.v2.json", "backward");
    expect((await memosOf("1", "2", "x")).get("a/b/c.json", "a/b/c.v2.json")).toBe("backward");
    expect((await memosOf("1!", "2", "x")).get("a/b/c.json", "a/b/c.v2.json")).toBeUndefined();
    expect((await memosOf("1", "2!", "x")).get("a/b/c.json", "a/b/c.v2.json")).toBeUndefined();
    expect((await memosOf("1", "2", "x!")).get("a/b/c.json", "a/b/c.v2.json")).toBeUndefined();
  });

  it("a pair's verdict is kept under the two schemas' content, made only on a miss", async () => {
    const cacheDir = path.join(await scratch("check-steps-chain"), "cache");
    const memo = openMemos({ cacheDir, tools: TOOLS }).chain as ChainMemo;
    const a = { type: "object", properties: { x: { type: "string" } } };
    const b = { type: "object", properties: { x: { type: "string" }, y: { type: "number" } } };
    // The verdict the memo gives, or "made" when it asked `make` (a miss).
    const ask = (p: object, n: object) => {
      let made = false;
      const verdict = memo.verdict(p as Record<string, unknown>, n as Record<string, unknown>, () => {
        made = true;
        return "backward";
      });
      return made ? "made" : verdict;
    };
    expect(ask(a, b)).toBe("made");
    // Equal content, other objects: the same entry; the pair the other way round, or an edited
    // schema (the same object as before, changed), is another.
    expect(ask(structuredClone(a), structuredClone(b))).toBe("backward");
    expect(ask(b, a)).toBe("made");
    expect(ask(a, b)).toBe("backward");
    b.properties.y.type = "string";
    expect(ask(a, b)).toBe("made");
    expect(ask(structuredClone(a), structuredClone(b))).toBe("backward");
  });
});
