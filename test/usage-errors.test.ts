/**
 * Usage errors are usage errors: a file or folder named on the command line that cannot be used
 * (a folder where a file is wanted, a device, a path under a file, a malformed `$ref` in a schema
 * given to compat) exits 2 with one line saying what to do, never "internal error … a bug", and
 * never hangs: a device such as /dev/zero is refused, not read (run through the built CLI with a
 * time-out, asserted not to have been reached).
 */

import { spawnSync } from "node:child_process";
import { mkdir, readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { isUserError } from "../src/model/user-error.js";
import { build } from "../src/pipeline.js";
import { EmitError } from "../src/stages/emit/index.js";
import { cliInProcess, ROOT, scratch } from "./helpers.js";

const GOLDEN = path.join(ROOT, "test/fixtures/golden/events");

/** Exit 2, nothing on stdout, one line on stderr that is not "internal error". */
function expectUsageError(r: { code: number; stdout: string; stderr: string }, says: RegExp): void {
  expect(r.stderr).not.toContain("internal error");
  expect(r.stderr).toMatch(/^domain-events: [^\n]+\n$/);
  expect(r.stderr).toMatch(says);
  expect(r.stdout).toBe("");
  expect(r.code).toBe(2);
}

/** Runs the built CLI with a time-out; asserts it ended by itself. */
function builtCli(args: readonly string[], cwd: string): { code: number; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [path.join(ROOT, "dist/cli.js"), ...args], { cwd, encoding: "utf8", timeout: 60_000 });
  expect(r.error, "the command did not finish within 60 s").toBeUndefined();
  expect(r.signal).toBeNull();
  return { code: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}

let dir: string;
let schema: string;
let baseline: string;
let afile: string;

beforeAll(async () => {
  dir = await scratch("usage-errors");
  schema = path.join(dir, "ok.json");
  await writeFile(schema, '{ "type": "object" }\n');
  afile = path.join(dir, "afile");
  await writeFile(afile, "not a folder\n");
  await mkdir(path.join(dir, "folder"));
  const built = await build({ eventsDir: GOLDEN, cwd: ROOT, cacheDir: false });
  const text = built.files?.get("events.json");
  if (!text) throw new Error("the golden tree did not build");
  baseline = path.join(dir, "baseline.json");
  await writeFile(baseline, text);
});

describe("compat: schema files that cannot be used", () => {
  it.each([
    ["#/%", "a lone %"],
    ["#/%zz", "%zz"],
    ["#/%E0%A4%A", "a cut multi-byte escape"],
    ["other.json#/%", "a malformed escape after a file"],
  ])('a malformed $ref "%s" (%s) is bad usage', async (ref) => {
    const file = path.join(dir, `bad-ref-${Math.random().toString(36).slice(2)}.json`);
    await writeFile(path.join(dir, "other.json"), '{ "type": "string" }\n');
    await writeFile(file, JSON.stringify({ type: "object", properties: { a: { $ref: ref } } }));
    expectUsageError(await cliInProcess(["compat", schema, file]), /malformed %-escape/);
  });

  it("a folder is bad usage", async () => {
    expectUsageError(await cliInProcess(["compat", path.join(dir, "folder"), schema]), /is a folder: name a schema file/);
  });

  it("/dev/zero is refused, not read forever (built CLI)", () => {
    expectUsageError(builtCli(["compat", "/dev/zero", schema], dir), /\/dev\/zero is not a regular file/);
    expectUsageError(builtCli(["compat", schema, "/dev/zero"], dir), /\/dev\/zero is not a regular file/);
  });

  it("a $ref to a device is refused too", async () => {
    const file = path.join(dir, "ref-device.json");
    await writeFile(file, JSON.stringify({ type: "object", properties: { a: { $ref: path.relative(dir, "/dev/zero") } } }));
    expectUsageError(builtCli(["compat", schema, file], dir), /is not a regular file/);
  });
});

describe("diff --changelog: a file that cannot be written", () => {
  it.each([
    ["a folder", () => path.join(dir, "folder"), /is not a file/],
    ["a path under a file", () => path.join(afile, "CHANGELOG.md"), /cannot write --changelog .*ENOTDIR/],
    ["a device", () => "/dev/zero", /is not a file/],
  ])("%s is bad usage", async (_, changelog, says) => {
    expectUsageError(await cliInProcess(["diff", "--events", GOLDEN, "--against", baseline, "--changelog", changelog()]), says);
  });

  it("a missing changelog is created, an existing one prepended to", async () => {
    const file = path.join(dir, "CHANGELOG.md");
    expect((await cliInProcess(["diff", "--events", GOLDEN, "--against", baseline, "--changelog", file])).code).toBe(0);
    const first = await readFile(file, "utf8");
    expect(first.length).toBeGreaterThan(0);
    expect((await cliInProcess(["diff", "--events", GOLDEN, "--against", baseline, "--changelog", file])).code).toBe(0);
    const second = await readFile(file, "utf8");
    expect(second.length).toBeGreaterThan(first.length);
    expect(second.endsWith(first)).toBe(true);
  });
});

describe("--out and --events-json that cannot be used", () => {
  it.each([
    ["build", "a file", () => afile],
    ["build", "a path under a file", () => path.join(afile, "out")],
    ["build", "a device", () => "/dev/null"],
    ["catalog", "a file", () => afile],
    ["catalog", "a path under a file", () => path.join(afile, "out")],
  ])("%s --out %s is bad usage", async (command, _, out) => {
    expectUsageError(await cliInProcess([command, "--events", GOLDEN, "--out", out()]), /choose another output folder/);
  });

  it("build --out under /proc (where Node's recursive mkdir never returns) is bad usage, not a hang", () => {
    const r = builtCli(["build", "--events", GOLDEN, "--out", "/proc/domain-events-nope/out", "--no-cache"], ROOT);
    expectUsageError(r, /could not write \/proc\/domain-events-nope\/out/);
  });

  it("validate --events-json /dev/zero is refused, not read", async () => {
    expectUsageError(await cliInProcess(["validate", schema, "--events-json", "/dev/zero"]), /is not a file/);
  });
});

describe("one base class for the user's errors", () => {
  it("isUserError knows a UserError of this copy or another, and never throws on a hostile value", () => {
    class FromAnotherCopy extends Error {
      readonly userError = true;
    }
    expect(isUserError(new EmitError("x"))).toBe(true);
    expect(isUserError(new FromAnotherCopy("x"))).toBe(true);
    expect(isUserError(new Error("x"))).toBe(false);
    const revoked = Proxy.revocable({}, {});
    revoked.revoke();
    expect(isUserError(revoked.proxy)).toBe(false);
    expect(
      isUserError(
        new Proxy(
          {},
          {
            get: () => {
              throw new Error("trap");
            },
            getPrototypeOf: () => {
              throw new Error("trap");
            },
          },
        ),
      ),
    ).toBe(false);
    expect(isUserError(Symbol("x"))).toBe(false);
  });
});
