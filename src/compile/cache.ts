/**
 * The build cache: what compiling one unit gave (diagnostics' raw material, validator code,
 * declarations), stored under a hash of everything that went into it. A key covers the unit's own
 * schema and examples, every shared schema it can reach, its type and source pin, its types root
 * (which carries the generated names), and the tool key: the versions of ajv, ajv-formats and
 * json-schema-to-typescript and a hash of our own code. An entry is never updated, only added, so
 * it can never be stale: any change to an input is a different key.
 *
 * The entries live in two packs per cache folder (compile/pack.ts: the small entries every run
 * reads, and the code only a build reads), each read in one go and appended to once per run
 * (`flushCache`); each record carries a checksum, and the value must also have the
 * shape its reader passes (compile/shapes.ts). Any other entry reads as absent: the result is made
 * again and its new record wins. The few stamps a run reads first (compile/up-to-date.ts) are
 * small files of their own beside the pack, checked the same way, so that a no-op run does not
 * read the pack.
 */

import { createHash } from "node:crypto";
import { readdirSync, readFileSync, rmSync, statSync } from "node:fs";
import { mkdir, readFile, rename, rm, writeFile } from "node:fs/promises";
import { createRequire } from "node:module";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { checksum, PACK_FILES, Pack, type PackName } from "./pack.js";
import type { Shape } from "./shapes.js";

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
  // One string hashed in one update (the same bytes as each part and its NUL hashed in turn): a
  // run works out thousands of keys, and each update costs about a microsecond.
  let text = "";
  for (const part of parts) {
    const json = typeof part === "string" ? part : JSON.stringify(part);
    if (json === undefined) throw new TypeError("a cache key's part must be JSON");
    text += `${json}\0`;
  }
  return createHash("sha256").update(text).digest("hex");
}

/** The packs this process has opened, by cache folder and name: a long-lived process (check --watch) reads each once. */
const packs = new Map<string, Pack>();

function packOf(dir: string, name: PackName): Pack {
  const at = path.resolve(dir);
  const id = `${name}\0${at}`;
  let pack = packs.get(id);
  if (!pack) {
    pack = new Pack(at, { name });
    packs.set(id, pack);
  }
  return pack;
}

/** An entry's JSON text. */
function encode(value: unknown): string {
  const json = JSON.stringify(value);
  if (json === undefined) throw new Error("a cache entry must be JSON");
  return json;
}

/** The value of an entry's JSON text when its shape is `shape`'s, else undefined. */
function decode<T>(json: string, shape: Shape<T>): T | undefined {
  let value: unknown;
  try {
    value = JSON.parse(json);
  } catch {
    return undefined;
  }
  return shape(value) ? value : undefined;
}

/**
 * Reads an entry from the cache's pack (compile/pack.ts): its value when a record of it is whole
 * (its checksum) and of the expected shape; else undefined, and the caller makes the value again
 * (and writes it: the new record wins over the bad one).
 */
export function readEntrySync<T>(dir: CacheDir, key: string, shape: Shape<T>, pack: PackName = "memo"): T | undefined {
  if (dir === undefined) return undefined;
  const text = packOf(dir, pack).get(key);
  return text === undefined ? undefined : decode(text, shape);
}

/** Counts an entry as used by this run without reading it: the pack's compaction keeps it (compile/pack.ts). */
export function keepEntry(dir: CacheDir, key: string, pack: PackName = "memo", length = 0): void {
  if (dir !== undefined) packOf(dir, pack).keep(key, length);
}

/** Adds an entry to one of the cache's packs (the memo pack unless told); `flushCache` writes it. */
export function writeEntrySync(dir: CacheDir, key: string, value: unknown, pack: PackName = "memo"): void {
  if (dir === undefined) return;
  packOf(dir, pack).set(key, encode(value));
}

/**
 * Writes what one pack was given so far, before the run ends: the validators' code once compiling
 * is done (held twice otherwise, as each unit's output and as the pack's pending record, until emit
 * has written every file: at 5,000 events 170 MB more at the cold build's peak).
 */
export function flushPack(dir: CacheDir, name: PackName): void {
  if (dir !== undefined) packOf(dir, name).flush();
}

/**
 * Writes what this run added to the cache folder's pack, in one write. The pipeline calls it when a
 * run ends, whatever its outcome: what the run worked out is kept for the next one.
 */
export function flushCache(dir: CacheDir): void {
  if (dir === undefined) return;
  for (const name of Object.keys(PACK_FILES) as PackName[]) packOf(dir, name).flush();
  removeLooseEntries(dir);
}

/** The cache folders whose earlier layout this process has looked for (once each: flushes come per batch). */
const cleared = new Set<string>();

/** The cache's earlier layout (one file per entry, in folders 00–ff): removed once, as it is no longer read. */
function removeLooseEntries(dir: string): void {
  if (cleared.has(dir)) return;
  cleared.add(dir);
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return;
  }
  for (const name of names) if (/^[0-9a-f]{2}$/.test(name)) rmSync(path.join(dir, name), { recursive: true, force: true });
}

// ---------------------------------------------------------------------------------------------
// Stamps: the few entries a run reads before anything else, updated in place

/**
 * Reads a stamp (compile/up-to-date.ts): a file of its own beside the pack, so that a no-op run
 * reads one small file and not the pack. Its first line is the checksum of the rest under its key.
 */
export async function readStamp<T>(dir: CacheDir, key: string, shape: Shape<T>): Promise<T | undefined> {
  if (dir === undefined) return undefined;
  let text: string;
  try {
    text = await readFile(stampPath(dir, key), "utf8");
  } catch {
    return undefined;
  }
  const newline = text.indexOf("\n");
  if (newline !== 64) return undefined;
  const json = text.slice(newline + 1);
  if (text.slice(0, newline) !== checksum(key, json)) return undefined;
  return decode(json, shape);
}

/** Writes a stamp atomically (a reader sees the whole stamp or none). A cache that cannot be written is skipped. */
export async function writeStamp(dir: CacheDir, key: string, value: unknown): Promise<void> {
  if (dir === undefined) return;
  const file = stampPath(dir, key);
  const tmp = `${file}.${process.pid}.${Math.random().toString(36).slice(2)}`;
  try {
    const json = encode(value);
    await mkdir(path.dirname(file), { recursive: true });
    await writeFile(tmp, `${checksum(key, json)}\n${json}`);
    await rename(tmp, file);
    pruneStamps(path.dirname(file));
  } catch {
    // The cache only saves time; the build's result does not depend on it.
    await rm(tmp, { force: true }).catch(() => undefined);
  }
}

/** Stamps kept at most: a check's stamp is keyed by the tree's fingerprint, so each state of a tree adds one. */
const STAMPS_KEPT = 256;

/** Removes the least recently written stamps past STAMPS_KEPT. */
function pruneStamps(dir: string): void {
  const names = readdirSync(dir).filter((n) => n.endsWith(".json"));
  if (names.length <= STAMPS_KEPT) return;
  const byAge = names
    .map((n) => ({ file: path.join(dir, n), at: statSync(path.join(dir, n), { throwIfNoEntry: false })?.mtimeMs ?? 0 }))
    .sort((a, b) => a.at - b.at);
  for (const { file } of byAge.slice(0, names.length - STAMPS_KEPT)) rmSync(file, { force: true });
}

/** A stamp's file. */
export function stampPath(dir: string, key: string): string {
  return path.join(dir, "stamps", `${key}.json`);
}
