/**
 * ajv and ajv-formats load on first use (src/schema/ajv-load.ts): the runs of the built CLI that
 * never create an ajv — `--version`, a no-op `build` answered from its stamp, a `check` answered
 * from its fingerprint — do not load them (their evaluation was ~150 ms of CPU at every start),
 * and a build that compiles still works from dist/. A `--require` probe records, as the process
 * exits, which of their files are in Node's module cache (an ESM import of these CommonJS packages
 * lands there too).
 */

import { cp, readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { cli, ROOT, run, scratch } from "./helpers.js";

const GOLDEN = "test/fixtures/golden/events";

/** Written at exit to the file named by AJV_PROBE_OUT: the loaded files of ajv, ajv-formats and their fast-uri. */
const PROBE = `
const Module = require("node:module");
const { writeFileSync } = require("node:fs");
process.on("exit", () => {
  const loaded = Object.keys(Module._cache).filter((k) => /[\\\\/]node_modules[\\\\/](ajv|ajv-formats|fast-uri)[\\\\/]/.test(k));
  writeFileSync(process.env.AJV_PROBE_OUT, JSON.stringify(loaded));
});
`;

let dir: string;

/** Runs the built CLI in `dir` with the probe; returns its result and the ajv files it loaded. */
async function probed(args: readonly string[]): Promise<{ code: number; stdout: string; loaded: string[] }> {
  const out = path.join(dir, "probe-out.json");
  await writeFile(out, "[]");
  process.env.AJV_PROBE_OUT = out;
  try {
    const r = run(process.execPath, ["--require", path.join(dir, "probe.cjs"), path.join(ROOT, "dist", "cli.js"), ...args], dir);
    return { code: r.code, stdout: r.stdout, loaded: JSON.parse(await readFile(out, "utf8")) as string[] };
  } finally {
    delete process.env.AJV_PROBE_OUT;
  }
}

describe("ajv is loaded only when a run needs it", () => {
  beforeAll(async () => {
    dir = await scratch("lazy-ajv");
    await cp(path.join(ROOT, GOLDEN), path.join(dir, "events"), { recursive: true });
    await writeFile(path.join(dir, "probe.cjs"), PROBE);
    expect(cli(["--version"], dir).code).toBe(0);
  });

  it("a build that compiles loads ajv, and writes the validators from dist/", async () => {
    const r = await probed(["build", "--events", "events", "--out", "out"]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/wrote out/);
    expect(r.loaded.some((f) => /[\\/]ajv[\\/]dist[\\/]core\.js$/.test(f))).toBe(true);
    const catalog = JSON.parse(await readFile(path.join(dir, "out", "events.json"), "utf8")) as unknown;
    expect(catalog).toBeTruthy();
  });

  it("--version loads none of it", async () => {
    const r = await probed(["--version"]);
    expect(r.code).toBe(0);
    expect(r.loaded).toEqual([]);
  });

  it("a no-op build (from its stamp) loads none of it", async () => {
    const r = await probed(["build", "--events", "events", "--out", "out"]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/up to date/);
    expect(r.loaded).toEqual([]);
  });

  it("a check answered from its fingerprint loads none of it", async () => {
    // The good build recorded what check would say; the second check is answered from it.
    const first = await probed(["check", "--events", "events"]);
    const second = await probed(["check", "--events", "events"]);
    expect(second.code).toBe(0);
    expect(second.stdout).toBe(first.stdout);
    expect(second.loaded).toEqual([]);
  });
});
