/**
 * Limits that do not depend on the cache: how deep schemas nest through references is bounded
 * across files (SCHEMA_REF_DEPTH, LIMITS.schemaDepth), worked out from the whole tree on every
 * run. A long chain of shared files, a long chain or cycle of `$defs`, give the same diagnostics
 * cold, warm (the cache filled by the run before) and after a one-line edit, in check and in build,
 * and never exit 2; a chain just under the limit builds.
 */

import { cp, mkdir, readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import { describe, expect, it } from "vitest";
import type { Diagnostic } from "../src/diagnostics/index.js";
import { build, check } from "../src/pipeline.js";
import { LIMITS } from "../src/schema/limits.js";
import { cliInProcess, ROOT, scratch } from "./helpers.js";

const BASE = path.join(ROOT, "test/fixtures/valid-mixed/events");

/** An event file around `properties`, with `extra` keywords at its top. */
function event(properties: Record<string, unknown>, extra: Record<string, unknown> = {}): string {
  const schema = { title: "Deep", description: "Emitted by a test.", type: "object", additionalProperties: false, properties, ...extra };
  return `${JSON.stringify(schema, null, 2)}\n`;
}

type Shape = (i: number, n: number) => unknown;

/** `_shared/chain/a0.json` → a1.json → … → a<n>.json (a string), each link of the given shape; an event refers to a0. */
function sharedChain(n: number, link: Shape): Record<string, string> {
  const files: Record<string, string> = { "shop/deep/deep-happened.json": event({ v: { $ref: "../../_shared/chain/a0.json" } }) };
  for (let i = 0; i < n; i++) files[`_shared/chain/a${i}.json`] = `${JSON.stringify(link(i, n))}\n`;
  files[`_shared/chain/a${n}.json`] = '{ "type": "string" }\n';
  return files;
}

/** One event whose `$defs` d0 … d<n-1> refer to one another in the given shape. */
function defsChain(n: number, link: Shape, last?: unknown): Record<string, string> {
  const $defs: Record<string, unknown> = {};
  for (let i = 0; i < n; i++) $defs[`d${i}`] = link(i, n);
  if (last !== undefined) $defs[`d${n}`] = last;
  return { "shop/deep/deep-happened.json": event({ v: { $ref: "#/$defs/d0" } }, { $defs }) };
}

const bare: Shape = (i) => ({ $ref: `a${i + 1}.json` });
const wrapped: Shape = (i) => ({ type: "object", additionalProperties: false, properties: { v: { $ref: `a${i + 1}.json` } } });

async function treeWith(files: Record<string, string>): Promise<{ dir: string; events: string }> {
  const dir = await scratch("ref-limits");
  const events = path.join(dir, "events");
  await cp(BASE, events, { recursive: true });
  for (const [rel, text] of Object.entries(files)) {
    await mkdir(path.dirname(path.join(events, rel)), { recursive: true });
    await writeFile(path.join(events, rel), text);
  }
  return { dir, events };
}

/** What a run found, without the wording: code, file and pointer of each error. */
function errors(diagnostics: readonly Diagnostic[], events: string): string[] {
  return diagnostics.filter((d) => d.severity === "error").map((d) => `${d.code} ${path.relative(events, d.file)}#${d.pointer}`);
}

/**
 * Runs check cold, warm, after a one-line edit of `editRel` (a "$comment" added), and build, with a
 * cache, without one, and with two workers: every run gives the same errors.
 */
async function sameEveryTime(files: Record<string, string>, editRel: string): Promise<string[]> {
  const { dir, events } = await treeWith(files);
  const cacheDir = path.join(dir, "cache");
  const runs: string[][] = [];
  const record = async (run: Promise<{ diagnostics: Diagnostic[] }>) => runs.push(errors((await run).diagnostics, events));
  await record(check({ eventsDir: events, cacheDir, workers: 0 }));
  await record(check({ eventsDir: events, cacheDir, workers: 0 }));
  await record(build({ eventsDir: events, cacheDir, workers: 0 }));
  const file = path.join(events, editRel);
  const text = await readFile(file, "utf8");
  await writeFile(file, text.replace(/^\{/, '{ "$comment": "Edited.",'));
  await record(check({ eventsDir: events, cacheDir, workers: 0 }));
  await record(build({ eventsDir: events, cacheDir, workers: 2 }));
  await record(check({ eventsDir: events, cacheDir: false, workers: 0 }));
  for (const r of runs) expect(r).toEqual(runs[0]);
  for (const command of ["check", "build"]) {
    const cli = await cliInProcess([command, "--no-cache", "--events", events, "--format", "json"]);
    expect(cli.stderr).toBe("");
    expect(cli.code).toBe((runs[0] as string[]).length > 0 ? 1 : 0);
  }
  return runs[0] as string[];
}

describe("reference depth is bounded across files, the same cold, warm and after an edit", () => {
  it("a chain of 300 shared files, each only a $ref: one SCHEMA_REF_DEPTH where the chain passes the limit", async () => {
    const found = await sameEveryTime(sharedChain(300, bare), "_shared/chain/a150.json");
    // a<k> is 301 - k schemas deep (a300 is 1): the limit is passed at a<300 - limit>.
    expect(found).toEqual([`SCHEMA_REF_DEPTH _shared/chain/a${300 - LIMITS.schemaDepth}.json#/$ref`]);
  });

  it("a chain of 300 shared files, each wrapped in properties", async () => {
    const found = await sameEveryTime(sharedChain(300, wrapped), "_shared/chain/a10.json");
    expect(found).toHaveLength(1);
    expect(found[0]).toMatch(/^SCHEMA_REF_DEPTH _shared\/chain\/a\d+\.json#/);
  });

  it("a long chain of $defs in one file", async () => {
    const found = await sameEveryTime(
      defsChain(300, (i) => ({ $ref: `#/$defs/d${i + 1}` }), { type: "string" }),
      "shop/deep/deep-happened.json",
    );
    expect(found).toEqual([`SCHEMA_REF_DEPTH shop/deep/deep-happened.json#/$defs/d${300 - LIMITS.schemaDepth}/$ref`]);
  });

  it("a long recursive cycle of $defs through properties: one SCHEMA_REF_DEPTH for the cycle", async () => {
    const link: Shape = (i, n) => ({ type: "object", additionalProperties: false, properties: { n: { $ref: `#/$defs/d${(i + 1) % n}` } } });
    const found = await sameEveryTime(defsChain(300, link), "shop/deep/deep-happened.json");
    expect(found).toEqual(["SCHEMA_REF_DEPTH shop/deep/deep-happened.json#/$defs/d0/properties/n/$ref"]);
  });

  it("a long cycle of $defs in place: SCHEMA_REF_CYCLE on each of its references", async () => {
    const found = await sameEveryTime(
      defsChain(300, (i, n) => ({ $ref: `#/$defs/d${(i + 1) % n}` })),
      "shop/deep/deep-happened.json",
    );
    expect(found).toHaveLength(300);
    expect(new Set(found.map((f) => f.split(" ")[0]))).toEqual(new Set(["SCHEMA_REF_CYCLE"]));
  });

  it("a chain of shared files just under the limit builds, one more link does not", async () => {
    // The event's root and its property, then a0 … a<n>: n + 3 schemas.
    const under = LIMITS.schemaDepth - 3;
    expect(await sameEveryTime(sharedChain(under, bare), "_shared/chain/a10.json")).toEqual([]);
    const { dir, events } = await treeWith(sharedChain(under, bare));
    const built = await build({ eventsDir: events, cacheDir: false, workers: 0, outDir: path.join(dir, "out") });
    expect(built.ok).toBe(true);
    expect(await sameEveryTime(sharedChain(under + 1, bare), "_shared/chain/a10.json")).toEqual([
      "SCHEMA_REF_DEPTH shop/deep/deep-happened.json#",
    ]);
  });
});
