/**
 * Golden files: the generated module for a small tree (test/fixtures/golden), committed under
 * test/golden/ and reviewed like code. Update with `npx vitest run test/golden.test.ts -u`.
 * The declarations are type-checked with tsc --strict through a consumer file that narrows.
 */

import path from "node:path";
import { describe, expect, it } from "vitest";
import { build } from "../src/pipeline.js";
import { ROOT, run } from "./helpers.js";

/** Every file the build makes for the golden tree: each one is a golden file. */
const FILES = [
  "asyncapi.json",
  "events.json",
  "index.cjs",
  "index.d.cts",
  "index.d.ts",
  "index.js",
  "list.json",
  "load.cjs",
  "runtime.cjs",
  "systems/billing.cjs",
  "systems/billing.d.cts",
  "systems/billing.d.ts",
  "systems/billing.js",
  "systems/billing.list.json",
  "systems/billing.load.cjs",
  "types/_api.d.cts",
  "types/_shared.d.cts",
  "types/billing.d.cts",
  "validators/_shared.cjs",
  "validators/billing.invoice.invoice-issued.v1.cjs",
  "validators/billing.invoice.invoice-issued.v2.cjs",
  "validators/billing.payment.payment-captured.v1.cjs",
];

describe("generated output for test/fixtures/golden", async () => {
  const result = await build({ eventsDir: "test/fixtures/golden/events", cwd: ROOT, cacheDir: false });

  it("builds without diagnostics", () => {
    expect(result.diagnostics).toEqual([]);
    expect([...(result.files?.keys() ?? [])].sort()).toEqual(FILES);
  });

  for (const name of FILES) {
    it(`matches golden/${name}`, async () => {
      await expect(result.files?.get(name)).toMatchFileSnapshot(path.join(ROOT, "test/golden", name));
    });
  }

  it("type-checks under tsc --strict, with narrowing on event.type", () => {
    const r = run(process.execPath, [
      path.join(ROOT, "node_modules/typescript/bin/tsc"),
      "--noEmit",
      "--strict",
      "--exactOptionalPropertyTypes",
      "--noUncheckedIndexedAccess",
      "--module",
      "nodenext",
      "--moduleResolution",
      "nodenext",
      "--target",
      "es2022",
      "--types",
      "node",
      "test/golden/consumer.ts",
    ]);
    expect(r.stdout + r.stderr).toBe("");
    expect(r.code).toBe(0);
  });
});
