/**
 * `domain-events validate` streams: memory stays bounded whatever the size of its input.
 *
 * - A ~300 MB NDJSON file, valid and then invalid, through the BUILT CLI (dist/cli.js, which npm
 *   test builds first): the peak resident memory of the process (process.resourceUsage, written by
 *   a preloaded script at exit) stays under 300 MB, and every record is counted. Memory is
 *   asserted, not time. The file is written with a stream into .tmp/ and deleted afterwards.
 * - In-process (src/cli/main.ts, against build/generated/events.json): findings past the cap are
 *   counted, not listed; a record above the size limit is a finding at its line; a byte that is not
 *   UTF-8 is reported with its line; a 1 MB unknown type gets a short message and no suggestion;
 *   a device is refused instead of read forever.
 */

import { spawnSync } from "node:child_process";
import { createWriteStream } from "node:fs";
import { readFile, rm, writeFile } from "node:fs/promises";
import path from "node:path";
import { describe, expect, it } from "vitest";
import type { Diagnostic } from "../src/diagnostics/index.js";
import { INSTANCE_LIMITS } from "../src/instances/index.js";
import { cliInProcess, envelope, ROOT, scratch } from "./helpers.js";

const SIGNAL = "clh.client-account.test-client-account-deleted.v2";
const DATA = {
  clientAccountId: "a7e57acc-0001-4e3b-9c4d-000000000001",
  isTest: true,
  environment: "staging",
  deletedAt: "2024-05-02T06:45:12Z",
  requestedBy: "e2e-run",
  correlationId: "c0ffee00-1d2e-4f5a-8b9c-0d1e2f3a4b5c",
};

/** A valid cleanup signal; `subject` pads it to about `bytes` bytes. */
function valid(bytes = 0): Record<string, unknown> {
  return envelope(SIGNAL, { ...DATA }, { source: "/systems/clh", ...(bytes > 0 ? { subject: "s".repeat(bytes) } : {}) });
}

/** A signal with two errors: isTest false (const) and an unknown environment (enum). */
function invalid(bytes = 0): Record<string, unknown> {
  return { ...valid(bytes), data: { ...DATA, isTest: false, environment: "nowhere" } };
}

/** Writes `line` (with its newline) again and again until the file holds at least `bytes`; returns the count. */
async function writeRepeated(file: string, line: string, bytes: number): Promise<number> {
  const block = line.repeat(Math.max(1, Math.floor((1 << 20) / line.length)));
  const perBlock = block.length / line.length;
  const out = createWriteStream(file);
  let lines = 0;
  for (let written = 0; written < bytes; written += block.length) {
    if (!out.write(block)) await new Promise<void>((resolve) => out.once("drain", () => resolve()));
    lines += perBlock;
  }
  await new Promise<void>((resolve, reject) => {
    out.once("error", reject);
    out.end(() => resolve());
  });
  return lines;
}

/** Runs the built CLI and returns its exit code, output and peak resident memory in MB. */
async function cliWithPeak(
  args: readonly string[],
  dir: string,
): Promise<{ code: number; stdout: string; stderr: string; peakMb: number }> {
  const preload = path.join(dir, "peak.cjs");
  const peakFile = path.join(dir, "peak.txt");
  await writeFile(
    preload,
    `process.on("exit", () => require("node:fs").writeFileSync(${JSON.stringify(peakFile)}, String(process.resourceUsage().maxRSS)));\n`,
  );
  const r = spawnSync(process.execPath, ["--require", preload, path.join(ROOT, "dist/cli.js"), ...args], {
    cwd: dir,
    encoding: "utf8",
    maxBuffer: 64 * 1024 * 1024,
    env: { ...process.env, NO_COLOR: "1" },
  });
  const peakKb = Number(await readFile(peakFile, "utf8"));
  return { code: r.status ?? -1, stdout: r.stdout, stderr: r.stderr, peakMb: peakKb / 1024 };
}

/** Bytes of the big files; the old reader held some 5 times this (1.4 GB for 200 MB). */
const BIG = 300 * 1000 * 1000;
const PEAK_MB = 300;

describe("validate keeps memory bounded on a large NDJSON file (built CLI)", () => {
  it("~300 MB of valid events", { timeout: 600_000 }, async () => {
    const dir = await scratch("stream-valid");
    const file = path.join(dir, "valid.ndjson");
    try {
      const lines = await writeRepeated(file, `${JSON.stringify(valid(3000))}\n`, BIG);
      const r = await cliWithPeak(["validate", "valid.ndjson"], dir);
      expect(r.stderr).toBe("");
      expect(r.stdout).toContain(`ok: validated ${lines} events in 1 file (0 errors, 0 warnings)`);
      expect(r.code).toBe(0);
      expect(r.peakMb).toBeLessThan(PEAK_MB);
    } finally {
      await rm(file, { force: true });
    }
  });

  it("~300 MB of invalid events: findings past the cap are counted, not kept", { timeout: 600_000 }, async () => {
    const dir = await scratch("stream-invalid");
    const file = path.join(dir, "invalid.ndjson");
    try {
      const lines = await writeRepeated(file, `${JSON.stringify(invalid(3000))}\n`, BIG);
      const r = await cliWithPeak(["validate", "invalid.ndjson", "--format", "json"], dir);
      expect(r.stderr).toBe("");
      expect(r.code).toBe(1);
      const out = JSON.parse(r.stdout) as { ok: boolean; errors: number; diagnostics: Diagnostic[]; omitted: { errors: number } };
      expect(out.ok).toBe(false);
      expect(out.errors).toBe(2 * lines);
      expect(out.diagnostics).toHaveLength(INSTANCE_LIMITS.keptFindings);
      expect(out.omitted.errors).toBe(2 * lines - INSTANCE_LIMITS.keptFindings);
      expect(r.peakMb).toBeLessThan(PEAK_MB);
    } finally {
      await rm(file, { force: true });
    }
  });
});

/** Writes files into a scratch folder; returns their paths relative to the repository. */
async function files(named: Record<string, string | Uint8Array>): Promise<string[]> {
  const dir = await scratch("stream-cases");
  return Promise.all(
    Object.entries(named).map(async ([name, content]) => {
      await writeFile(path.join(dir, name), content);
      return path.relative(ROOT, path.join(dir, name)).split(path.sep).join("/");
    }),
  );
}

/** validate in-process with --format json. */
async function validateJson(...args: string[]) {
  const r = await cliInProcess(["validate", ...args, "--format", "json"]);
  expect(r.stderr).toBe("");
  const out = JSON.parse(r.stdout) as {
    ok: boolean;
    errors: number;
    warnings: number;
    diagnostics: Diagnostic[];
    omitted?: { errors: number };
  };
  return { code: r.code, out };
}

describe("validate: bounded findings and records (in-process)", () => {
  it("lists the first findings and counts the rest, in every format", async () => {
    const count = 1200;
    const [file] = await files({ "many.ndjson": `${JSON.stringify(invalid())}\n`.repeat(count) });
    const { code, out } = await validateJson(file as string);
    expect(code).toBe(1);
    expect(out.diagnostics).toHaveLength(INSTANCE_LIMITS.keptFindings);
    expect(out.errors).toBe(2 * count);
    expect(out.omitted).toEqual({ errors: 2 * count - INSTANCE_LIMITS.keptFindings, warnings: 0 });
    // The first findings of the file are the ones listed.
    expect(out.diagnostics.at(-1)?.line).toBe(INSTANCE_LIMITS.keptFindings / 2);

    const pretty = await cliInProcess(["validate", file as string]);
    expect(pretty.code).toBe(1);
    expect(pretty.stdout.trimEnd().split("\n").at(-1)).toBe(
      `failed: validated ${count} events in 1 file; ${2 * count - 1000} more errors not listed (only the first 1000 findings are) (${2 * count} errors, 0 warnings)`,
    );
    const github = await cliInProcess(["validate", file as string, "--format", "github"]);
    expect(github.stdout.split("\n").filter((l) => l.startsWith("::error "))).toHaveLength(INSTANCE_LIMITS.keptFindings);
    expect(github.stdout).toMatch(/^::notice title=validate::.*1400 more errors not listed/m);
  });

  it("an NDJSON line above the record limit is a finding at its line; the other lines are validated", async () => {
    const huge = JSON.stringify(valid(INSTANCE_LIMITS.recordBytes + 10));
    const [file] = await files({ "huge.ndjson": `${JSON.stringify(valid())}\n${huge}\n${JSON.stringify(invalid())}\n` });
    const { code, out } = await validateJson(file as string);
    expect(code).toBe(1);
    expect(out.diagnostics.map((d) => [d.code, d.line])).toEqual([
      ["EVENT_LIMIT_SIZE", 2],
      ["EVENT_INVALID", 3],
      ["EVENT_INVALID", 3],
    ]);
    expect(out.diagnostics[0]?.hint).toBeTruthy();
  });

  it("a JSON file above the record limit is a finding that says to write NDJSON", async () => {
    const [file] = await files({ "huge.json": JSON.stringify([valid(INSTANCE_LIMITS.recordBytes + 10)]) });
    const { code, out } = await validateJson(file as string);
    expect(code).toBe(1);
    expect(out.diagnostics.map((d) => [d.code, d.file])).toEqual([["EVENT_LIMIT_SIZE", file]]);
    expect(out.diagnostics[0]?.hint).toContain("NDJSON");
  });

  it("a byte that is not UTF-8 is bad usage that names its line", async () => {
    const good = Buffer.from(`${JSON.stringify(valid())}\n`);
    const bad = Buffer.from('{"type":"x\xe9"}\n', "latin1");
    const [ndjson, json] = await files({
      "latin1.ndjson": Buffer.concat([good, good, bad, good]),
      "latin1.json": Buffer.concat([Buffer.from("[\n"), Buffer.from("1,\n"), bad, Buffer.from("]\n")]),
    });
    for (const [file, line] of [
      [ndjson, 3],
      [json, 3],
    ] as const) {
      const r = await cliInProcess(["validate", file as string]);
      expect(r.code).toBe(2);
      expect(r.stderr).toMatch(new RegExp(`^domain-events: .*not UTF-8.*line ${line}\\b`));
      expect(r.stderr).not.toContain("internal error");
    }
  });

  it("a valid UTF-8 file with a BOM and multi-byte characters across read chunks is read as before", async () => {
    const line = JSON.stringify({ ...valid(), subject: "é€😀".repeat(30_000) });
    const [file] = await files({ "utf8.ndjson": `\ufeff${line}\n${line}\n` });
    const { code, out } = await validateJson(file as string);
    expect(out.diagnostics).toEqual([]);
    expect(code).toBe(0);
  });

  it("a 1 MB unknown type: a short message, and no suggestion search", async () => {
    const type = `clh.client-account.test-client-account-deleted${"x".repeat(1_000_000)}`;
    const [file] = await files({ "long-type.ndjson": `${JSON.stringify({ ...valid(), type })}\n` });
    const { code, out } = await validateJson(file as string);
    expect(code).toBe(1);
    expect(out.diagnostics.map((d) => d.code)).toEqual(["EVENT_UNKNOWN_TYPE"]);
    const d = out.diagnostics[0] as Diagnostic;
    expect(d.message.length).toBeLessThan(300);
    expect(d.hint).not.toContain("did you mean");
    expect(d.hint?.length).toBeLessThan(2000);
  });

  it("a near type still gets its suggestion", async () => {
    const [file] = await files({
      "typo.ndjson": `${JSON.stringify({ ...valid(), type: "clh.client-account.test-client-acount-deleted.v1" })}\n`,
    });
    const { out } = await validateJson(file as string);
    expect(out.diagnostics[0]?.hint).toContain(`did you mean ${SIGNAL}`);
  });

  it("a 1 MB unknown property name: a short message and pointer, no suggestion", async () => {
    const key = `source${"x".repeat(1_000_000)}`;
    const [file] = await files({ "long-key.ndjson": `${JSON.stringify({ ...valid(), [key]: 1 })}\n` });
    const { code, out } = await validateJson(file as string);
    expect(code).toBe(1);
    const d = out.diagnostics[0] as Diagnostic;
    expect(d.code).toBe("EVENT_INVALID");
    expect(d.message.length + d.pointer.length + (d.hint?.length ?? 0)).toBeLessThan(2000);
    expect(d.hint).not.toContain("did you mean");
  });

  it("a device is refused, not read forever (built CLI)", () => {
    const r = spawnSync(process.execPath, [path.join(ROOT, "dist/cli.js"), "validate", "/dev/zero"], { encoding: "utf8", timeout: 60_000 });
    expect(r.error).toBeUndefined();
    expect(r.signal).toBeNull();
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/^domain-events: \/dev\/zero is not a file/);
  });
});
