/**
 * The build cache: what compiling one unit gave (diagnostics' raw material, validator code,
 * declarations), stored under a hash of everything that went into it. A key covers the unit's own
 * schema and examples, every shared schema it can reach, its type and source pin, its types root
 * (which carries the generated names), and the tool key: the versions of ajv, ajv-formats and
 * json-schema-to-typescript and a hash of our own code. An entry is never updated, only added, so
 * it can never be stale: any change to an input is a different key.
 */

import { createHash } from "node:crypto";
import { mkdirSync, readdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { mkdir, readFile, rename, writeFile } from "node:fs/promises";
import { createRequire } from "node:module";
import path from "node:path";
import { fileURLToPath } from "node:url";

/** Where the cache lives (by default node_modules/.cache/domain-events), or undefined for none. */
export type CacheDir = string | undefined;

/** The default cache folder for a build run from `cwd`. */
export function defaultCacheDir(cwd: string = process.cwd()): string {
  return path.join(cwd, "node_modules", ".cache", "domain-events");
}

let ownKey: string | undefined;

/** The versions of the tools whose output the cache keeps, and a hash of our own code. */
export function toolVersions(): Record<string, string> {
  const require = createRequire(import.meta.url);
  const versionOf = (name: string) => {
    try {
      return (JSON.parse(readFileSync(require.resolve(`${name}/package.json`), "utf8")) as { version: string }).version;
    } catch {
      return "absent";
    }
  };
  ownKey ??= ownCodeHash();
  return {
    ajv: versionOf("ajv"),
    "ajv-formats": versionOf("ajv-formats"),
    "json-schema-to-typescript": versionOf("json-schema-to-typescript"),
    recheck: versionOf("recheck"),
    "domain-events": ownKey,
  };
}

/** A hash of the code that is running: the bundled CLI's files, or every source file under tsx. */
function ownCodeHash(): string {
  const hash = createHash("sha256");
  const here = fileURLToPath(import.meta.url);
  const src = path.resolve(path.dirname(here), "..");
  const files = here.endsWith(".ts")
    ? listFiles(src)
        .filter((f) => f.endsWith(".ts"))
        .map((f) => path.join(src, f))
    : [here, path.join(path.dirname(here), "build-worker.js")];
  for (const file of files.sort()) {
    try {
      hash.update(file.slice(path.dirname(here).length)).update(readFileSync(file));
    } catch {
      hash.update(`${file}: absent`);
    }
  }
  return hash.digest("hex").slice(0, 16);
}

/** Every file under `root` (paths relative to it, `/`-separated), in a fixed order. */
export function listFiles(root: string): string[] {
  const out: string[] = [];
  const visit = (rel: string) => {
    for (const entry of readdirSync(path.join(root, rel), { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1))) {
      const child = rel === "" ? entry.name : `${rel}/${entry.name}`;
      if (entry.isDirectory()) visit(child);
      else out.push(child);
    }
  };
  visit("");
  return out;
}

/** The key of one unit: a hash of the parts, in order. */
export function cacheKey(...parts: unknown[]): string {
  const hash = createHash("sha256");
  for (const part of parts) hash.update(typeof part === "string" ? part : JSON.stringify(part)).update("\0");
  return hash.digest("hex");
}

/**
 * The text of small entries this process has read or written, by file. Entries are never updated,
 * so a remembered text cannot go stale; a long-lived process (check --watch) then reads the
 * verdicts of unchanged files from memory instead of from a thousand files each run. Large entries
 * (validators' code) are not kept: they are read once per build anyway.
 */
const remembered = new Map<string, string>();
const REMEMBER_BELOW = 16 * 1024;
const REMEMBER_AT_MOST = 200_000;

function remember(file: string, text: string): void {
  if (text.length < REMEMBER_BELOW && remembered.size < REMEMBER_AT_MOST) remembered.set(file, text);
}

/** Reads an entry, or undefined when there is none (or it cannot be read: then it is rebuilt). */
export async function readEntry<T>(dir: CacheDir, key: string): Promise<T | undefined> {
  if (dir === undefined) return undefined;
  const file = entryPath(dir, key);
  try {
    let text = remembered.get(file);
    if (text === undefined) {
      text = await readFile(file, "utf8");
      remember(file, text);
    }
    return JSON.parse(text) as T;
  } catch {
    return undefined;
  }
}

/** Writes an entry atomically (a reader sees the whole entry or none). A cache that cannot be written is skipped. */
export async function writeEntry(dir: CacheDir, key: string, value: unknown): Promise<void> {
  if (dir === undefined) return;
  const file = entryPath(dir, key);
  const tmp = `${file}.${process.pid}.${Math.random().toString(36).slice(2)}`;
  try {
    const text = JSON.stringify(value);
    await mkdir(path.dirname(file), { recursive: true });
    await writeFile(tmp, text);
    await rename(tmp, file);
    remember(file, text);
  } catch {
    // The cache only saves time; the build's result does not depend on it.
  }
}

/** readEntry, synchronously (for the few callers that cannot wait: the ReDoS verdicts). */
export function readEntrySync<T>(dir: CacheDir, key: string): T | undefined {
  if (dir === undefined) return undefined;
  const file = entryPath(dir, key);
  try {
    let text = remembered.get(file);
    if (text === undefined) {
      text = readFileSync(file, "utf8");
      remember(file, text);
    }
    return JSON.parse(text) as T;
  } catch {
    return undefined;
  }
}

/** writeEntry, synchronously. */
export function writeEntrySync(dir: CacheDir, key: string, value: unknown): void {
  if (dir === undefined) return;
  const file = entryPath(dir, key);
  const tmp = `${file}.${process.pid}.${Math.random().toString(36).slice(2)}`;
  try {
    const text = JSON.stringify(value);
    mkdirSync(path.dirname(file), { recursive: true });
    writeFileSync(tmp, text);
    renameSync(tmp, file);
    remember(file, text);
  } catch {
    // The cache only saves time.
  }
}

function entryPath(dir: string, key: string): string {
  return path.join(dir, key.slice(0, 2), `${key.slice(2)}.json`);
}
