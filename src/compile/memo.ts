/**
 * What the content-hash cache remembers for the stages before and after compiling, so that an edit
 * costs the edited file: that a file's bytes parse without a finding (parse), that a file passes
 * every per-file check of the schema stage given the bytes of what it refers to (validate), the
 * verdict of a pair of data schemas (the version chain) and of a pattern (the ReDoS proof).
 *
 * Each stage declares the memo it can use (ParseMemo, ValidateMemo, ChainMemo, VerdictStore) and
 * knows nothing of the cache; this module is the one place that keys them, by content hash and by
 * the versions of the tools that decide the answer. Without a cache folder every memo is absent
 * and every stage works everything out.
 */

import { fileHash } from "../model/content-hash.js";
import type { ChainMemo, StepMemo } from "../model/events-json.js";
import type { Store } from "../model/store.js";
import type { ParsedFile, SourceFile } from "../model/tree.js";
import { useVerdictStore } from "../schema/redos.js";
import type { ParseMemo } from "../stages/parse.js";
import { referencedFiles, type SchemaFacts, type ValidateMemo } from "../stages/validate/index.js";
import { type CacheDir, cacheKey, defaultCacheDir, readEntrySync, toolVersions, writeEntrySync } from "./cache.js";
import type { PackName } from "./pack.js";
import { isChainEntry, isParseEntry, isPatternVerdict, isValidateEntry } from "./shapes.js";

/** Where the cache is (default node_modules/.cache/domain-events under `cwd`; false for none). */
export interface CacheOptions {
  cacheDir?: string | false;
  cwd?: string;
  /** Overrides the tool key of the cache (tests: a new tool version). */
  tools?: Record<string, string>;
}

/** The memos of one run over one tree. */
export interface Memos {
  /** The cache folder, or undefined when caching is off. */
  dir: CacheDir | undefined;
  tools: Record<string, string>;
  /** Parse's memo of the files discover read (their bytes hashed once, here). */
  parse(files: readonly SourceFile[]): ParseMemo | undefined;
  /** The schema stage's memo of the files parse read. */
  validate(parsed: readonly ParsedFile[]): ValidateMemo | undefined;
  chain: ChainMemo | undefined;
  /** Version steps' verdicts by the bytes of their files and of what those reach (`depsOf`). */
  steps(depsOf: (rel: string) => readonly string[]): StepMemo | undefined;
  /** The content hash of a file discover read (after `parse` was asked), or null. */
  hashOf(rel: string): string | null;
  /** A store for a stage's own results (`name` keeps the stages' keys apart), or undefined without a cache. */
  store(name: string): Store | undefined;
}

/** Opens the cache for one run; the ReDoS proof keeps its verdicts there from now on. */
export function openMemos(options: CacheOptions): Memos {
  const dir = options.cacheDir === false ? undefined : (options.cacheDir ?? defaultCacheDir(options.cwd));
  const tools = options.tools ?? toolVersions();
  useVerdictStore(dir === undefined ? undefined : redosStore(dir, tools));
  let hashes = new Map<string, string>();
  const hashOf = (rel: string) => hashes.get(rel) ?? null;
  return {
    dir,
    tools,
    parse(files) {
      // Hashed from the bytes discover read: the very bytes parse and validate see.
      hashes = new Map(files.map((f) => [f.rel, fileHash(f)]));
      return dir === undefined ? undefined : parseMemo(dir, tools, files, hashOf);
    },
    validate: (parsed) => (dir === undefined ? undefined : validateMemo(dir, tools, parsed, hashOf)),
    chain: dir === undefined ? undefined : chainMemo(dir, tools),
    steps: (depsOf) => (dir === undefined ? undefined : stepMemo(dir, tools, hashOf, depsOf)),
    hashOf,
    store: (name) => (dir === undefined ? undefined : stageStore(dir, tools, name)),
  };
}

type HashOf = (rel: string) => string | null;

function parseMemo(dir: CacheDir, tools: Record<string, string>, files: readonly SourceFile[], hashOf: HashOf): ParseMemo {
  const key = (f: SourceFile) => cacheKey("parse", tools, hashOf(f.rel));
  const clean = new Set(files.filter((f) => readEntrySync(dir, key(f), isParseEntry)).map((f) => f.rel));
  return {
    clean: (f) => clean.has(f.rel),
    markClean: (f) => writeEntrySync(dir, key(f), true),
  };
}

/** Keyed by a file's path and bytes, and valid while the files it refers to keep their bytes. */
function validateMemo(dir: CacheDir, tools: Record<string, string>, parsed: readonly ParsedFile[], hashOf: HashOf): ValidateMemo {
  const key = (f: ParsedFile) => cacheKey("validate", tools, f.rel, hashOf(f.rel));
  const known = new Map<string, SchemaFacts>();
  for (const f of parsed) {
    const entry = readEntrySync(dir, key(f), isValidateEntry);
    if (entry?.refs.every(([rel, hash]) => hashOf(rel) === hash))
      known.set(f.rel, { dialect: entry.dialect, deprecated: entry.deprecated, title: entry.title, definitions: entry.definitions });
  }
  return {
    clean: (f) => known.get(f.rel),
    markClean: (f, facts) => writeEntrySync(dir, key(f), { refs: referencedFiles(f).map((rel) => [rel, hashOf(rel)]), ...facts }),
  };
}

function chainMemo(dir: CacheDir, tools: Record<string, string>): ChainMemo {
  return {
    verdict(a, b, make) {
      // One key (two bundled schemas as JSON, hashed) for the lookup and the entry a miss adds.
      const key = cacheKey("chain", tools, a, b);
      const kept = readEntrySync(dir, key, isChainEntry)?.verdict;
      if (kept !== undefined) return kept;
      const made = make();
      writeEntrySync(dir, key, { verdict: made });
      return made;
    },
  };
}

function stepMemo(dir: CacheDir, tools: Record<string, string>, hashOf: HashOf, depsOf: (rel: string) => readonly string[]): StepMemo {
  const bytes = (rel: string) => [rel, hashOf(rel), depsOf(rel).map((d) => [d, hashOf(d)])];
  const key = (a: string, b: string) => cacheKey("step", tools, bytes(a), bytes(b));
  return {
    get: (a, b) => readEntrySync(dir, key(a, b), isChainEntry)?.verdict,
    set: (a, b, verdict) => writeEntrySync(dir, key(a, b), { verdict }),
  };
}

function redosStore(dir: CacheDir, tools: Record<string, string>) {
  return {
    get: (pattern: string) => readEntrySync(dir, cacheKey("redos", tools.recheck, pattern), isPatternVerdict),
    set: (pattern: string, verdict: unknown) => writeEntrySync(dir, cacheKey("redos", tools.recheck, pattern), verdict),
  };
}

/**
 * A stage's store in the cache `options` name (undefined without one), outside a run's memos
 * (generate's and emit's, after the run); in the code pack for large values only a build reads.
 */
export function cacheStore(options: CacheOptions, name: string, pack: PackName = "memo"): Store | undefined {
  const dir = options.cacheDir === false ? undefined : (options.cacheDir ?? defaultCacheDir(options.cwd));
  return dir === undefined ? undefined : stageStore(dir, options.tools ?? toolVersions(), name, pack);
}

function stageStore(dir: CacheDir, tools: Record<string, string>, name: string, pack: PackName = "memo"): Store {
  // The store's name and the tools, hashed once: each key is then a hash of that and the parts.
  const prefix = cacheKey("store", name, tools);
  return {
    get: (parts, shape) => readEntrySync(dir, cacheKey(prefix, ...parts), shape, pack),
    set: (parts, value) => writeEntrySync(dir, cacheKey(prefix, ...parts), value, pack),
  };
}
