/**
 * The compile stage's keys by bytes (compile/index.ts): with the files' hashes, a unit whose bytes
 * the cache has seen is looked up without making its schema for ajv (a walk of the whole file), and
 * a unit whose bytes changed is made and compiled again.
 */

import path from "node:path";
import { describe, expect, it } from "vitest";
import { flushCache } from "../src/compile/cache.js";
import { type CompileUnit, startCompile } from "../src/compile/index.js";
import { scratch } from "./helpers.js";

const TOOLS = { ajv: "a", "ajv-formats": "f", "json-schema-to-typescript": "j", recheck: "r", "domain-events": "compile-keys" };

/** Units whose schema, when read, is counted. */
function units(reads: Map<string, number>, maximum: number): CompileUnit[] {
  return ["_shared/a.json", "_shared/b.json"].map((rel) => {
    const unit = { rel, dialect: "2020-12", examples: [1], deps: [] } as unknown as CompileUnit;
    Object.defineProperty(unit, "schema", {
      enumerable: true,
      get: () => {
        reads.set(rel, (reads.get(rel) ?? 0) + 1);
        return { $id: `https://example.com/${rel}`, type: "integer", maximum };
      },
    });
    return unit;
  });
}

async function compileOnce(cacheDir: string, hashes: Record<string, string>, maximum: number) {
  const reads = new Map<string, number>();
  const compiling = await startCompile({
    shared: [],
    units: units(reads, maximum),
    cacheDir,
    hashOf: (rel) => hashes[rel] ?? null,
    tools: TOOLS,
    workers: 0,
    code: false,
  });
  const result = await compiling.result;
  flushCache(cacheDir);
  return { reads, compiled: result.stats.compiledUnits };
}

describe("compile keys by bytes", () => {
  it("a warm unit is not made again; an edited one is", async () => {
    const cacheDir = path.join(await scratch("compile-keys"), "cache");
    const first = await compileOnce(cacheDir, { "_shared/a.json": "h1", "_shared/b.json": "h2" }, 10);
    expect(first.compiled).toEqual(["_shared/a.json", "_shared/b.json"]);
    const warm = await compileOnce(cacheDir, { "_shared/a.json": "h1", "_shared/b.json": "h2" }, 10);
    expect(warm.compiled).toEqual([]);
    expect([...warm.reads]).toEqual([]);
    // b's bytes changed (and what ajv is given with them).
    const edited = await compileOnce(cacheDir, { "_shared/a.json": "h1", "_shared/b.json": "h3" }, 11);
    expect(edited.reads.has("_shared/a.json")).toBe(false);
    expect(edited.reads.get("_shared/b.json")).toBeGreaterThan(0);
  });
});
