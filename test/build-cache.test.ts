/**
 * The fast paths of the build are correct: the cache is never stale (an edit recompiles exactly what
 * depends on it, a new tool version recompiles everything, and cached output is byte-identical to a
 * build without the cache); a no-op build does nothing only when nothing changed; and the package
 * loads validators lazily, one module per event, giving the verdicts of eagerly compiled ajv.
 * None of these tests looks at a clock.
 */

import { cp, readFile, rm, writeFile } from "node:fs/promises";
import { createRequire } from "node:module";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { build } from "../src/pipeline.js";
import { createAjvSet } from "../src/schema/ajv.js";
import { envelope, ROOT, run, scratch } from "./helpers.js";

const GOLDEN = path.join(ROOT, "test/fixtures/golden/events");

async function tree(): Promise<{ dir: string; events: string; cache: string }> {
  const dir = await scratch("cache");
  const events = path.join(dir, "events");
  await cp(GOLDEN, events, { recursive: true });
  return { dir, events, cache: path.join(dir, "cache") };
}

async function edit(file: string, from: string, to: string): Promise<void> {
  const text = await readFile(file, "utf8");
  expect(text).toContain(from);
  await writeFile(file, text.replace(from, to));
}

describe("the build cache", () => {
  it("recompiles exactly the units an edit reaches: an edited shared definition, every event that uses it", async () => {
    const { events, cache } = await tree();
    const options = { eventsDir: events, cacheDir: cache, workers: 0 };
    const first = await build(options);
    expect(first.ok).toBe(true);
    expect(first.stats?.compiledUnits).toEqual([
      "_shared/money.json",
      "billing/invoice/invoice-issued.json",
      "billing/invoice/invoice-issued.v2.json",
      "billing/payment/payment-captured.json",
    ]);

    const again = await build(options);
    expect(again.stats?.compiledUnits).toEqual([]);
    expect(again.stats?.typed).toBe(0);

    // A constraint in one event: that event only.
    await edit(path.join(events, "billing/payment/payment-captured.json"), '"sepa-debit"]', '"sepa-debit", "cash"]');
    const one = await build(options);
    expect(one.stats?.compiledUnits).toEqual(["billing/payment/payment-captured.json"]);
    const validator = one.files?.get("validators/billing.payment.payment-captured.v1.cjs") ?? "";
    expect(validator).toContain('"cash"');

    // The shared definition: itself and the two events that refer to it (v1 of the invoice does not).
    await edit(path.join(events, "_shared/money.json"), '"type": "integer"', '"type": "integer", "minimum": -1000000000');
    const shared = await build(options);
    expect(shared.stats?.compiledUnits).toEqual([
      "_shared/money.json",
      "billing/invoice/invoice-issued.v2.json",
      "billing/payment/payment-captured.json",
    ]);
    expect(shared.files?.get("validators/_shared.cjs")).toContain("-1000000000");
    // A bound changes no declaration (json-schema-to-typescript is given only the keywords it types
    // from): the declarations come from the cache.
    expect(shared.stats?.typed).toBe(0);

    // A description changes no validator (annotations are not compiled) but does change the declarations.
    await edit(path.join(events, "billing/invoice/invoice-issued.json"), '"The invoice."', '"The invoice, by id."');
    const described = await build(options);
    expect(described.stats?.compiledUnits).toEqual([]);
    expect(described.files?.get("types/billing.d.cts")).toContain("The invoice, by id.");
  });

  it("a new tool version invalidates everything", async () => {
    const { events, cache } = await tree();
    const tools = { ajv: "8.20.0", "ajv-formats": "3.0.1", "json-schema-to-typescript": "16.0.0", "domain-events": "a" };
    await build({ eventsDir: events, cacheDir: cache, workers: 0, tools });
    const same = await build({ eventsDir: events, cacheDir: cache, workers: 0, tools });
    expect(same.stats?.compiled).toBe(0);
    const upgraded = await build({ eventsDir: events, cacheDir: cache, workers: 0, tools: { ...tools, ajv: "8.21.0" } });
    expect(upgraded.stats?.compiled).toBe(upgraded.stats?.units);
    expect(upgraded.stats?.typed).toBe(upgraded.stats?.typesRoots);
    const ours = await build({ eventsDir: events, cacheDir: cache, workers: 0, tools: { ...tools, "domain-events": "b" } });
    expect(ours.stats?.compiled).toBe(ours.stats?.units);
  });

  it("gives the same files from the cache, from a pruned cache, and without one", async () => {
    const { events, cache } = await tree();
    const plain = await build({ eventsDir: events, cacheDir: false, workers: 0 });
    await build({ eventsDir: events, cacheDir: cache, workers: 0 });
    const cached = await build({ eventsDir: events, cacheDir: cache, workers: 0 });
    expect(cached.stats?.compiled).toBe(0);
    expect(new Map(cached.files)).toEqual(new Map(plain.files));
    // Without the shared functions' entries, the events that need them are compiled again.
    await rm(cache, { recursive: true });
    const pruned = await build({ eventsDir: events, cacheDir: cache, workers: 0 });
    expect(new Map(pruned.files)).toEqual(new Map(plain.files));
  });

  it("skips a build only when neither the events nor the out folder changed", async () => {
    const { events, cache, dir } = await tree();
    const out = path.join(dir, "out");
    const options = { eventsDir: events, cacheDir: cache, outDir: out, workers: 0 };
    expect((await build(options)).upToDate).toBeUndefined();
    const noop = await build(options);
    expect(noop.upToDate).toBe(true);
    expect(noop.events).toBe(3);

    await rm(path.join(out, "validators/billing.invoice.invoice-issued.v1.cjs"));
    const repaired = await build(options);
    expect(repaired.upToDate).toBeUndefined();
    expect(await readFile(path.join(out, "validators/billing.invoice.invoice-issued.v1.cjs"), "utf8")).toContain("module.exports");

    await edit(path.join(events, "billing/invoice/invoice-issued.json"), '"The invoice."', '"The invoice!"');
    expect((await build(options)).upToDate).toBeUndefined();
    expect((await build(options)).upToDate).toBe(true);
  });
});

describe("validators load lazily, one module per event", () => {
  it("importing the package loads no validator; validating loads that event's module (and the shared one) only", () => {
    const script = `
      const before = Object.keys(require.cache).filter((f) => f.includes("validators"));
      const pkg = require(${JSON.stringify(path.join(ROOT, "dist/index.cjs"))});
      const afterImport = Object.keys(require.cache).filter((f) => f.includes("validators"));
      const type = pkg.events[0].type;
      pkg.validate({ type });
      const afterValidate = Object.keys(require.cache).filter((f) => f.includes("validators")).map((f) => f.split("/").pop()).sort();
      console.log(JSON.stringify({ before: before.length, afterImport: afterImport.length, afterValidate, type }));
    `;
    const r = run(process.execPath, ["-e", script]);
    expect(r.stderr).toBe("");
    const seen = JSON.parse(r.stdout) as { before: number; afterImport: number; afterValidate: string[]; type: string };
    expect(seen.before).toBe(0);
    expect(seen.afterImport).toBe(0);
    expect(seen.afterValidate).toEqual(["_shared.cjs", `${seen.type}.cjs`]);
  });

  it("the lazy validators of dist/ give the verdicts of ajv compiling every schema eagerly, in process", async () => {
    const require = createRequire(import.meta.url);
    const lazy = require(path.join(ROOT, "dist/index.cjs")) as { validate(v: unknown): { ok: boolean } };
    const entries = JSON.parse(await readFile(path.join(ROOT, "dist/events.json"), "utf8")) as {
      type: string;
      typeName: string;
      schema: Record<string, unknown>;
    }[];
    const ajv = createAjvSet({ allErrors: false });
    let compared = 0;
    for (const entry of entries) {
      const dialect = String(entry.schema.$schema).includes("draft-07") ? "draft-07" : "2020-12";
      const eager = ajv[dialect].compile(entry.schema);
      const defs = entry.schema.$defs as Record<string, { examples?: unknown[] }>;
      const example = defs[`${entry.typeName}Data`]?.examples?.[0];
      const source = (entry.schema.properties as { source: { const?: string } }).source.const ?? `/systems/${entry.type.split(".")[0]}`;
      const good = { ...(envelope(entry.type, example) as Record<string, unknown>), source };
      const samples: unknown[] = [
        good,
        { ...good, data: {} },
        { ...good, id: "" },
        { ...good, data: { ...(example as object), unexpected: true } },
        ...Object.keys(example as object).map((k) => ({ ...good, data: { ...(example as object), [k]: null } })),
      ];
      for (const sample of samples) {
        expect(lazy.validate(sample).ok, `${entry.type}: ${JSON.stringify(sample).slice(0, 200)}`).toBe(eager(sample));
        compared++;
      }
    }
    expect(compared).toBeGreaterThan(entries.length * 5);
  });
});
