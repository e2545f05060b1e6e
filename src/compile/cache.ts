/**
 * The build cache: what compiling one unit gave (diagnostics' raw material, validator code,
 * declarations), stored under a hash of everything that went into it. A key covers the unit's own
 * schema and examples, every shared schema it can reach, its type and source pin, its types root
 * (which carries the generated names), and the tool key: the versions of ajv, ajv-formats and
 * json-schema-to-typescript and a hash of our own code. An entry is never updated, only added, so
 * it can never be stale: any change to an input is a different key.
 *
 * The cache is verified, never trusted: an entry is its checksum on the first line (sha256 over a
 * format tag, its key and its JSON text), then its JSON text. It is used only when the checksum
 * matches (a bit flipped, a truncated file, or another entry's file copied over it all fail) and
 * the value has the shape its reader passes (compile/shapes.ts). Any other entry reads as absent: the
 * result is made again and written over it. The checksum catches damage, not an attacker who can
 * write the cache (they can write node_modules too).
 */

import { createHash } from "node:crypto";
import { mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { mkdir, readFile, rename, rm, writeFile } from "node:fs/promises";
import { createRequire } from "node:module";
import path from "node:path";
import { fileURLToPath } from "node:url";
import type { Shape } from "./shapes.js";

/** Where the cache lives (by default node_modules/.cache/domain-events), or undefined for none. */
export type CacheDir = string | undefined;

/** The default cache folder for a build run from `cwd`. */
export function defaultCacheDir(cwd: string = process.cwd()): string {
  return path.join(cwd, "node_modules", ".cache", "domain-events");
}

const contentHashes = new WeakMap<Uint8Array, string>();

/**
 * The sha256 of a file's bytes, worked out once per read: the memos of the stages and the no-op
 * fingerprints key by it, so a run hashes each file once. Keyed by the byte array itself, so a
 * file given new bytes gets a new hash.
 */
export function contentHash(bytes: Uint8Array): string {
  let hash = contentHashes.get(bytes);
  if (hash === undefined) {
    hash = createHash("sha256").update(bytes).digest("hex");
    contentHashes.set(bytes, hash);
  }
  return hash;
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
 * The text of small entries this process has verified or written, by file. Entries are never updated,
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

/** The checksum of an entry's JSON text under its key. */
function checksum(key: string, json: string): string {
  return createHash("sha256").update("domain-events cache 1\0").update(key).update("\0").update(json).digest("hex");
}

/** An entry's file text: its checksum, a newline, its JSON text. */
function encode(key: string, value: unknown): string {
  const json = JSON.stringify(value);
  if (json === undefined) throw new Error("a cache entry must be JSON");
  return `${checksum(key, json)}\n${json}`;
}

/** The value of an entry's file text when its checksum matches and its shape is `shape`'s, else undefined. */
function decode<T>(key: string, text: string, shape: Shape<T>): T | undefined {
  const newline = text.indexOf("\n");
  if (newline !== 64) return undefined;
  const json = text.slice(newline + 1);
  if (text.slice(0, newline) !== checksum(key, json)) return undefined;
  let value: unknown;
  try {
    value = JSON.parse(json);
  } catch {
    return undefined;
  }
  return shape(value) ? value : undefined;
}

/**
 * Reads an entry: its value when the entry is there, whole (its checksum) and of the expected shape;
 * else undefined, and the caller makes the value again (and writes it over the bad entry).
 */
export async function readEntry<T>(dir: CacheDir, key: string, shape: Shape<T>): Promise<T | undefined> {
  if (dir === undefined) return undefined;
  const file = entryPath(dir, key);
  let text = remembered.get(file);
  if (text === undefined) {
    try {
      text = await readFile(file, "utf8");
    } catch {
      return undefined;
    }
  }
  const value = decode(key, text, shape);
  if (value !== undefined) remember(file, text);
  return value;
}

/** Writes an entry atomically (a reader sees the whole entry or none). A cache that cannot be written is skipped. */
export async function writeEntry(dir: CacheDir, key: string, value: unknown): Promise<void> {
  if (dir === undefined) return;
  const file = entryPath(dir, key);
  const tmp = `${file}.${process.pid}.${Math.random().toString(36).slice(2)}`;
  try {
    const text = encode(key, value);
    await mkdir(path.dirname(file), { recursive: true });
    await writeFile(tmp, text);
    await rename(tmp, file);
    remember(file, text);
  } catch {
    // The cache only saves time; the build's result does not depend on it.
    await rm(tmp, { force: true }).catch(() => undefined);
  }
}

/** readEntry, synchronously (for the few callers that cannot wait: the ReDoS verdicts). */
export function readEntrySync<T>(dir: CacheDir, key: string, shape: Shape<T>): T | undefined {
  if (dir === undefined) return undefined;
  const file = entryPath(dir, key);
  let text = remembered.get(file);
  if (text === undefined) {
    try {
      text = readFileSync(file, "utf8");
    } catch {
      return undefined;
    }
  }
  const value = decode(key, text, shape);
  if (value !== undefined) remember(file, text);
  return value;
}

/** writeEntry, synchronously. */
export function writeEntrySync(dir: CacheDir, key: string, value: unknown): void {
  if (dir === undefined) return;
  const file = entryPath(dir, key);
  const tmp = `${file}.${process.pid}.${Math.random().toString(36).slice(2)}`;
  try {
    const text = encode(key, value);
    mkdirSync(path.dirname(file), { recursive: true });
    writeFileSync(tmp, text);
    renameSync(tmp, file);
    remember(file, text);
  } catch {
    // The cache only saves time.
    rmSync(tmp, { force: true });
  }
}

function entryPath(dir: string, key: string): string {
  return path.join(dir, key.slice(0, 2), `${key.slice(2)}.json`);
}
