/**
 * The built package as a service sees it: imported by name, from ESM and from CommonJS, and its
 * declarations type-checked under strict with narrowing on event.type.
 */

import { readFile } from "node:fs/promises";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { ROOT, run } from "./helpers.js";

describe("the built package", () => {
  it("has the files DESIGN §5 names", async () => {
    for (const f of ["index.js", "index.cjs", "index.d.ts", "index.d.cts", "events.json", "cli.js"]) {
      expect((await readFile(path.join(ROOT, "dist", f))).length, f).toBeGreaterThan(0);
    }
  });

  it("type-checks a consumer under strict, narrowing on event.type", () => {
    const r = run(process.execPath, [path.join(ROOT, "node_modules/typescript/bin/tsc"), "-p", "test/consumer"]);
    expect(r.stdout + r.stderr).toBe("");
    expect(r.code).toBe(0);
  });

  it("loads from ESM and from CommonJS with the same events", () => {
    const esm = run(process.execPath, ["--input-type=module", "-e", 'import { events } from "domain-events"; console.log(events.length)']);
    const cjs = run(process.execPath, ["-e", 'console.log(require("domain-events").events.length)']);
    expect(esm.code).toBe(0);
    expect(cjs.code).toBe(0);
    expect(Number(esm.stdout)).toBeGreaterThanOrEqual(35);
    expect(cjs.stdout).toBe(esm.stdout);
  });
});
