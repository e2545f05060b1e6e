/** Shared helpers of the tests: the repository root, scratch folders, and running the built CLI. */

import { spawnSync } from "node:child_process";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { mkdir, mkdtemp, readdir, readFile } from "node:fs/promises";
import path from "node:path";
import { vi } from "vitest";
import { main } from "../src/cli/main.js";

/** The repository root. */
export const ROOT = path.resolve(import.meta.dirname, "..");

/** A fresh scratch folder under .tmp/ (inside the repository, so that node_modules resolves). */
export async function scratch(name: string): Promise<string> {
  await mkdir(path.join(ROOT, ".tmp"), { recursive: true });
  return mkdtemp(path.join(ROOT, ".tmp", `${name}-`));
}

/** Runs a command and returns its exit code and output. */
export function run(command: string, args: readonly string[], cwd = ROOT): { code: number; stdout: string; stderr: string } {
  const r = spawnSync(command, args, { cwd, encoding: "utf8", env: { ...process.env, NO_COLOR: "1" } });
  return { code: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}

/** Runs the CLI in-process (src/cli/main.ts) and captures what it prints. */
export async function cliInProcess(args: readonly string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = "";
  let stderr = "";
  const code = await main(args, { write: (s: string) => (stdout += s) }, { write: (s: string) => (stderr += s) });
  return { code, stdout, stderr };
}

/** Runs the built CLI (dist/cli.js). */
export function cli(args: readonly string[], cwd = ROOT): { code: number; stdout: string; stderr: string } {
  const bin = path.join(ROOT, "dist", "cli.js");
  if (!existsSync(bin)) throw new Error("dist/cli.js is missing: run `npm run build` first (npm test does)");
  return run(process.execPath, [bin, ...args], cwd);
}

/** Every file under a folder, relative path → bytes. */
export async function snapshotDir(dir: string): Promise<Map<string, Buffer>> {
  const out = new Map<string, Buffer>();
  for (const name of (await readdir(dir, { recursive: true, withFileTypes: true })).filter((d) => d.isFile())) {
    const full = path.join(name.parentPath, name.name);
    out.set(path.relative(dir, full), await readFile(full));
  }
  return out;
}

/**
 * Wraps a payload in a valid envelope of the given type. Its source is `/systems/<system>`, the
 * source our trees' system.json files give (events are pinned to their system's source). An event
 * that travels signed (`"signed": true`: the cleanup signal) gets signature attributes of the right
 * form that sign nothing (PLACEHOLDER_SIGNATURE): the schema accepts them, verifyCleanupSignal does not.
 */
export function envelope(type: string, data: unknown, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    specversion: "1.0",
    id: "evt-1",
    source: `/systems/${type.split(".")[0]}`,
    type,
    time: "2026-05-01T08:00:00Z",
    datacontenttype: "application/json",
    clientaccountid: "ca-1",
    data,
    ...(SIGNED_TYPES.has(type) ? PLACEHOLDER_SIGNATURE : {}),
    ...extra,
  };
}

/** Signature attributes of the form the envelope of a signed event requires, made with no key. */
export const PLACEHOLDER_SIGNATURE = { signature: "A".repeat(86), signaturekeyid: "placeholder" } as const;

/** The types of our events/ tree that travel signed (`"signed": true` at the top of their schema). */
const SIGNED_TYPES: ReadonlySet<string> = new Set(
  readdirSync(path.join(ROOT, "events"), { recursive: true, encoding: "utf8" })
    .map((rel) => /^([a-z0-9-]+)[\\/]([a-z0-9-]+)[\\/]([a-z0-9-]+?)(?:\.v(\d+))?\.json$/.exec(rel))
    .filter((m): m is RegExpExecArray => m !== null && JSON.parse(readFileSync(path.join(ROOT, "events", m[0]), "utf8")).signed === true)
    .map((m) => `${m[1]}.${m[2]}.${m[3]}.v${m[4] ?? 1}`),
);

/**
 * A fixed tool key for tests of the build cache, named after the test: the default hashes our
 * source files, which may change while the tests run.
 */
export function fixedTools(name: string): Record<string, string> {
  return { ajv: "a", "ajv-formats": "f", "json-schema-to-typescript": "j", recheck: "r", "domain-events": name };
}

/** The pipeline loaded afresh: the cache remembers what it read in memory, which would hide what is on disk. */
export async function freshPipeline(): Promise<typeof import("../src/pipeline.js")> {
  vi.resetModules();
  return import("../src/pipeline.js");
}

/** mulberry32: a small seeded generator of floats in [0, 1), so that every run draws the same inputs. */
export { mulberry32 as seeded } from "../scripts/bench/corpus.js";
