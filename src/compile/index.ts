/**
 * The compile stage: every unit (event or shared schema) is compiled by ajv and, when building,
 * each system is declared by json-schema-to-typescript, except what the cache already holds. The rest goes out in
 * bounded batches: in this thread for a few units, over worker threads (one per core, at most
 * two) for many, since a batch is independent of every other.
 *
 * The threads cost a few hundred milliseconds of CPU to start, so they start only for real work:
 * ahead of need when many files are new to the cache (prestartWorkers), else once the cache has
 * answered and misses many units. startCompile hands out the first batches before the caller goes
 * on with its own stage (the version chain); when many units miss, even before it works out the
 * declarations' roots, which follow in batches of their own. Each worker holds a second batch so
 * that it never waits for a busy main thread, and each batch's entries are written to the cache as
 * it comes back.
 */

import { existsSync } from "node:fs";
import { availableParallelism } from "node:os";
import { fileURLToPath } from "node:url";
import { Worker } from "node:worker_threads";
import type { ProgressListener } from "../model/progress.js";
import { type CacheDir, cacheKey, flushCache, keepEntry, readEntrySync, toolVersions, writeEntrySync } from "./cache.js";
import { type BatchOutput, compileBatch, type SharedInput, type TypesInput, type UnitInput, type UnitOutput } from "./compile.js";
import {
  isAliasEntry,
  isCodeEntry,
  isCompileEntry,
  isLinksEntry,
  isSharedCodeEntry,
  isTypesAliasEntry,
  isTypesEntry,
  type LinksEntry,
} from "./shapes.js";
import { compileTypes, ROOT } from "./types.js";
import type { BatchMessage } from "./worker.js";

/**
 * A declarations root, made only when the cache does not hold its declarations: `files` and
 * `identity` say what it is made from (its key holds their bytes and the bytes of what they reach),
 * `make` makes it.
 */
export interface TypesRootSource {
  id: string;
  /** The files the root is made from. */
  files: string[];
  /** What else it is made from: each event's identity (type, name, source pin). */
  identity: unknown;
  make(): { root: Record<string, unknown>; shared: string[] };
}

/** A unit to compile, with the shared files it can reach (directly or through other shared files). */
export interface CompileUnit extends UnitInput {
  deps: string[];
}

export interface CompileOptions {
  shared: SharedInput[];
  units: CompileUnit[];
  /** The declarations to make (the build; check makes none): one root per system, and the shared one. */
  types?: { roots: TypesRootSource[]; shared: TypesRootSource };
  /**
   * The content hash of a file of the tree (model/content-hash.ts), when the caller read the
   * bytes: a unit's key is then made of hashes, not of its schema, and a declarations root is made
   * only when its key misses. Without it, keys hash the inputs themselves.
   */
  hashOf?: (rel: string) => string | null;
  cacheDir: CacheDir;
  /** Overrides the tool key (tests: a new tool version). */
  tools?: Record<string, string>;
  /** Worker threads to use at most (default: the cores, at most 2); 0 compiles in this thread. */
  workers?: number;
  /** False when only the verdicts are wanted (check): the validators' code is then not read. */
  code?: boolean;
  /**
   * The code of a validator the cache holds is read when first asked for (its `body`), not now: a
   * build whose out folder already holds the module links it and never reads the code. Reading it
   * may then throw CacheEntryLost (its record is damaged); the build runs again without this.
   */
  lazyCode?: boolean;
  /** Told the units done of all (the cache's first, then each batch's), for the CLI's progress line. */
  onProgress?: ProgressListener;
}

/** What the cache saved and what was done. */
export interface CompileStats {
  units: number;
  /** Units whose compile result came from the cache. */
  cached: number;
  /** Units compiled now. */
  compiled: number;
  /** The units compiled now (events-relative paths), sorted. */
  compiledUnits: string[];
  /** Types roots (systems) declared now, of all. */
  typed: number;
  typesRoots: number;
  batches: number;
  workers: number;
}

export interface CompileResult {
  outputs: Map<string, UnitOutput>;
  /** Each unit's content key: what its outputs are made from. */
  keys: Map<string, string>;
  /** The code of every shared function an event reaches, by canonical name. */
  sharedCode: Map<string, string>;
  /** Declarations by types root id (system), and the shared declarations. */
  types: Map<string, string>;
  /** The shared types each root names. */
  sharedNames: Map<string, string[]>;
  sharedTypes?: string;
  stats: CompileStats;
}

/** Units per batch: enough to share the setup, few enough to spread over the workers. */
const BATCH = 50;
/** Below this many units to compile, a worker's start costs more than it saves. */
const WORKER_THRESHOLD = 120;

/** A unit's work still to do, with its cache key. */
type Todo = { unit: UnitInput; key: string };

/** Compiles everything the cache does not hold (startCompile, then its result). */
export async function compileAll(options: CompileOptions): Promise<CompileResult> {
  return (await startCompile(options)).result;
}

/** A compile under way: its batches are handed out; the result comes when the last one is back. */
export interface Compiling {
  result: Promise<CompileResult>;
}

/**
 * Starts compiling: asks the cache for every unit, then hands the first batches to the workers
 * (started now if none was started ahead) and resolves, so that the caller's own work (the version
 * chain) runs while they compile instead of before they are given anything.
 */
export async function startCompile(options: CompileOptions): Promise<Compiling> {
  const tools = options.tools ?? toolVersions();
  // Each shared schema hashed once: a unit's key names its dependencies by these hashes.
  const sharedHash = new Map(options.shared.map((s) => [s.rel, cacheKey("shared", s)]));
  const depsOf = new Map(options.units.map((u) => [u.rel, u.deps]));
  // A shared function's code depends on its file and on what that file reaches: nothing else.
  const sharedFnKey = (name: string, key: string) => {
    const rel = key.slice(key.indexOf(":") + 1, key.indexOf("#"));
    return cacheKey(
      "shared-fn",
      tools,
      name,
      sharedHash.get(rel) ?? rel,
      (depsOf.get(rel) ?? []).map((r) => sharedHash.get(r)),
    );
  };
  /**
   * A declarations root's key is a hash of the root (what json-schema-to-typescript is given): a
   * bound that changes no declaration declares nothing. Making the root costs a walk of every
   * schema of its system, so with the files' hashes the bytes of its files remember its key and
   * the shared types it names (an alias), and the root is made only when they are not known or
   * its declarations are not in the cache.
   */
  const typesKey = (source: TypesRootSource) => {
    let made: ReturnType<TypesRootSource["make"]> | undefined;
    const make = () => {
      made ??= source.make();
      return made;
    };
    const fromRoot = () => ({ key: cacheKey("types", tools, make().root), shared: make().shared });
    if (!hashOf) return { ...fromRoot(), make };
    const alias = cacheKey(
      "types-alias",
      tools,
      source.id,
      source.identity,
      source.files.map((rel) => [rel, hashOf(rel), depHashes(rel)]),
    );
    const known = readEntrySync(options.cacheDir, alias, isTypesAliasEntry);
    if (known) return { ...known, make };
    const worked = fromRoot();
    writeEntrySync(options.cacheDir, alias, worked);
    return { ...worked, make };
  };
  const outputs = new Map<string, UnitOutput>();
  const keys = new Map<string, string>();
  const sharedCode = new Map<string, string>();
  const types = new Map<string, string>();
  const todo: Todo[] = [];
  // A hit's work, made only when its shared code is missing: a unit's schema is made on demand (compile/inputs.ts).
  const hits: { entry: UnitOutput; todo: () => Todo }[] = [];
  const wantCode = options.code ?? true;
  const total = options.units.length;
  options.onProgress?.({ stage: "compile", done: 0, total });

  const hashOf = options.hashOf;
  // A unit's key is a hash of what ajv is given (its schema without annotations, its examples,
  // what it reaches): an edit to a description compiles nothing. Working that key out costs a walk
  // and a hash of every schema, so with the files' hashes each file's bytes remember its key (an
  // alias): only an edited file's key is worked out again.
  const unitKey = (unit: CompileUnit): string => {
    // Spread only when the key is worked out: reading `schema` walks the file (compile/inputs.ts).
    const key = () =>
      cacheKey(
        "compile",
        tools,
        withoutDeps(unit),
        unit.deps.map((rel) => sharedHash.get(rel)),
      );
    if (!hashOf) return key();
    return aliased(
      cacheKey("compile-alias", tools, unit.rel, hashOf(unit.rel), unit.dialect, unit.event ?? null, depHashes(unit.rel)),
      key,
    );
  };
  const depHashes = (rel: string) => (depsOf.get(rel) ?? []).map((d) => [d, hashOf?.(d) ?? null]);
  const aliased = (alias: string, key: () => string): string => {
    const known = readEntrySync(options.cacheDir, alias, isAliasEntry)?.key;
    if (known !== undefined) return known;
    const made = key();
    writeEntrySync(options.cacheDir, alias, { key: made });
    return made;
  };
  const validatorOf = (key: string): UnitOutput["validator"] => {
    if (options.lazyCode) {
      const links = readEntrySync(options.cacheDir, linksKey(key), isLinksEntry);
      if (links) return lazyValidator(options.cacheDir, key, links);
    }
    return readEntrySync(options.cacheDir, codeKey(key), isCodeEntry, "code")?.validator;
  };
  for (const unit of options.units) {
    const key = unitKey(unit);
    keys.set(unit.rel, key);
    // Each entry checked for integrity and shape (compile/shapes.ts): a bad one reads as absent.
    const entry = readEntrySync(options.cacheDir, key, isCompileEntry);
    const validator = entry && wantCode && unit.event ? validatorOf(key) : undefined;
    if (entry && (validator || !wantCode || !unit.event)) {
      // Only the fields the shapes checked: an entry's extra keys go no further.
      const output: UnitOutput = {
        rel: unit.rel,
        invalidExamples: entry.invalidExamples,
        ...(entry.compileError !== undefined ? { compileError: entry.compileError } : {}),
        ...(validator ? { validator } : {}),
      };
      outputs.set(unit.rel, output);
      hits.push({ entry: output, todo: () => ({ unit: withoutDeps(unit), key }) });
    } else todo.push({ unit: withoutDeps(unit), key });
  }
  // The shared functions the cached events reach: an event whose shared code is not in the cache
  // (the cache was pruned) is compiled again.
  const wanted = new Map<string, string>();
  for (const { entry } of hits) for (const [name, key] of entry.validator?.shared ?? []) wanted.set(name, key);
  for (const [name, key] of wanted) {
    const hit = readEntrySync(options.cacheDir, sharedFnKey(name, key), isSharedCodeEntry, "texts");
    if (hit) sharedCode.set(name, hit.code);
  }
  for (const hit of hits) if (!(hit.entry.validator?.shared.every(([name]) => sharedCode.has(name)) ?? true)) todo.push(hit.todo());
  // The same batches whatever order the cache answered in.
  todo.sort((a, b) => (a.unit.rel < b.unit.rel ? -1 : 1));

  const typesTodo: { input: TypesInput; key: string }[] = [];
  const sharedNames = new Map<string, string[]>();
  const typesRoots: TypesRootSource[] = options.types ? [...options.types.roots, { ...options.types.shared, id: SHARED_TYPES }] : [];
  /** The declarations' roots to make (their keys worked out: each root walks its system's schemas when the cache does not know it). */
  const findTypesTodo = () => {
    for (const source of typesRoots) {
      const { key, shared, make } = typesKey(source);
      sharedNames.set(source.id, shared);
      const hit = readEntrySync(options.cacheDir, key, isTypesEntry, "texts");
      if (hit) types.set(source.id, hit.types);
      else typesTodo.push({ input: { id: source.id, root: make().root, shared }, key });
    }
    typesTodo.sort((a, b) => (a.input.id < b.input.id ? -1 : 1));
  };

  // Batches of units; the types roots are dealt out over the same batches (or batches of their own).
  const batches: Batch[] = [];
  for (let i = 0; i < todo.length; i += BATCH) batches.push({ units: todo.slice(i, i + BATCH).map((t) => t.unit), types: [] });
  // Many units to compile (a cold build): the workers start on them at once, and the types roots,
  // worked out meanwhile, follow in batches of their own (at 5,000 events, working them out takes
  // this thread 1–2 s, which the workers spent waiting).
  const early = todo.length >= WORKER_THRESHOLD;
  if (!early) {
    findTypesTodo();
    dealTypes(batches, typesTodo, Math.max(1, Math.min(batches.length || 2, 8)));
  }
  const work = todo.length + typesTodo.length * 10;
  const workers =
    work >= WORKER_THRESHOLD
      ? Math.min(options.workers ?? Math.min(2, availableParallelism()), Math.max(batches.length, early ? 2 : 0))
      : 0;
  // Progress: what the cache answered, then each batch's units as the batch comes back.
  const cached = total - todo.length;
  let done = cached;
  options.onProgress?.({ stage: "compile", done, total, cached });
  const writes = cacheWriter(options.cacheDir, todo, typesTodo, (name, key) => (sharedCode.has(name) ? undefined : sharedFnKey(name, key)));
  const batchDone = (out: BatchOutput) => {
    writes.store(out);
    done += out.units.length;
    options.onProgress?.({ stage: "compile", done, total, cached });
  };
  // Early, the types roots are worked out once the first batches are with the workers.
  const typesLater = () => {
    findTypesTodo();
    const extra: Batch[] = [];
    dealTypes(extra, typesTodo, Math.min(typesTodo.length, 8));
    return extra;
  };
  const running = runBatches(options.shared, batches, workers, batchDone, early ? typesLater : undefined);
  // Workers started ahead that this compile does not use (the cache held enough) stop now.
  const stopping = Promise.all(warm.splice(0).map((w) => w.terminate()));
  return { result: finish(running, stopping) };

  /** The batches' results, written to the cache and gathered. */
  async function finish(running: Promise<BatchOutput[]>, stopping: Promise<unknown>): Promise<CompileResult> {
    const results = await running;
    await stopping;
    // Gathered in the batches' order (the first batch to emit a shared function gives its code).
    for (const batch of results) {
      for (const [name, { code }] of batch.shared) if (!sharedCode.has(name)) sharedCode.set(name, code);
      for (const out of batch.units) outputs.set(out.rel, out);
      for (const [id, text] of batch.types) types.set(id, text);
    }
    const sharedTypes = types.get(SHARED_TYPES);
    types.delete(SHARED_TYPES);
    sharedNames.delete(SHARED_TYPES);
    return {
      outputs,
      keys,
      sharedCode,
      types,
      sharedNames,
      sharedTypes,
      stats: {
        units: options.units.length,
        cached: options.units.length - todo.length,
        compiled: todo.length,
        compiledUnits: todo.map((t) => t.unit.rel),
        typed: typesTodo.length,
        typesRoots: typesRoots.length,
        batches: batches.length,
        workers,
      },
    };
  }
}

/** A unit as the workers are given it: without its dependencies (its schema made now, if it was not). */
function withoutDeps(unit: CompileUnit): UnitInput {
  const { deps: _, ...rest } = unit;
  return rest;
}

function codeKey(key: string): string {
  return cacheKey("code", key);
}

/** The key of what a validator links to (the memo pack: small, read by every build). */
function linksKey(key: string): string {
  return cacheKey("code-links", key);
}

/** A cache record that was there when the compile stage asked and proved damaged when read (lazyCode). */
export class CacheEntryLost extends Error {
  override name = "CacheEntryLost";
}

/** A validator whose links are known and whose body is read from the cache when first asked for. */
function lazyValidator(dir: CacheDir, key: string, links: LinksEntry): NonNullable<UnitOutput["validator"]> {
  // Still wanted, though perhaps never read: the pack's compaction keeps it.
  keepEntry(dir, codeKey(key), "code", links.bodyLength ?? 0);
  const validator = { imports: links.imports, shared: links.shared } as NonNullable<UnitOutput["validator"]>;
  Object.defineProperty(validator, "body", {
    enumerable: true,
    get() {
      const code = readEntrySync(dir, codeKey(key), isCodeEntry, "code");
      if (!code) throw new CacheEntryLost(`the build cache's code of unit ${key} is missing or damaged`);
      return code.validator.body;
    },
  });
  return validator;
}

/**
 * Writes each batch's entries to the cache as the batch comes back, while the workers compile the
 * others, instead of all of them after the last. `sharedKey` gives the key of a shared function's
 * entry, or undefined for one the cache already holds; each is written once.
 */
function cacheWriter(
  dir: CacheDir,
  todo: readonly Todo[],
  typesTodo: readonly { input: TypesInput; key: string }[],
  sharedKey: (name: string, key: string) => string | undefined,
): { store(out: BatchOutput): void } {
  const keyOf = new Map(todo.map((t) => [t.unit.rel, t.key]));
  // Made when the first declarations come back: a cold build works the roots out after the first batches left.
  let typesOf: Map<string, { input: TypesInput; key: string }> | undefined;
  const written = new Set<string>();
  return {
    store(out) {
      for (const [name, { key, code }] of out.shared) {
        const entryKey = sharedKey(name, key);
        if (entryKey === undefined || written.has(name)) continue;
        written.add(name);
        writeEntrySync(dir, entryKey, { code }, "texts");
      }
      for (const unit of out.units) {
        const { rel: _, validator, ...entry } = unit;
        const key = keyOf.get(unit.rel) as string;
        writeEntrySync(dir, key, entry);
        if (validator) {
          writeEntrySync(dir, codeKey(key), { validator }, "code");
          writeEntrySync(dir, linksKey(key), { imports: validator.imports, shared: validator.shared, bodyLength: validator.body.length });
        }
      }
      for (const [id, text] of out.types) {
        typesOf ??= new Map(typesTodo.map((t) => [t.input.id, t]));
        const todo = typesOf.get(id) as { input: TypesInput; key: string };
        writeEntrySync(dir, todo.key, { types: text }, "texts");
      }
      // Written now, while the workers compile the next batches: the pack then holds this batch's
      // code on disk, not a second copy of it in memory until the run ends.
      flushCache(dir);
    },
  };
}

/** The id of the shared declarations' root (no system is named so: names are kebab-case). */
const SHARED_TYPES = "_shared";

let warm: Worker[] = [];

/**
 * Starts the worker threads ahead of need (a thread takes a few hundred milliseconds to load ajv and
 * json-schema-to-typescript), when `files` promise enough work; compileAll uses them, or stops them.
 * `files` counts the files whose bytes the cache has not seen: a warm run, whose units the cache
 * holds, starts no thread (compileAll starts them itself when the cache misses more than it guessed).
 */
export function prestartWorkers(files: number, workers?: number): void {
  const script = workerScript();
  if (!script || files < WORKER_THRESHOLD || warm.length > 0) return;
  const n = Math.min(workers ?? Math.min(2, availableParallelism()), Math.ceil(files / BATCH));
  // Unreferenced: a build that stops before compiling (an error found) exits without waiting for them.
  warm = Array.from({ length: n }, () => {
    const worker = startWorker(script);
    worker.unref();
    return worker;
  });
}

/** Worker threads started by this process: what tests read to know that a warm run starts none. */
let started = 0;

export function workerThreadsStarted(): number {
  return started;
}

function startWorker(script: string): Worker {
  started++;
  return new Worker(script);
}

/** The worker's script when set by useWorkerScript. */
let scriptOverride: string | undefined;

/**
 * Runs the worker threads from `file`: for tests, which run from source and have no
 * dist/build-worker.js, with the worker bundled from src/compile/worker.ts. Undefined restores the default.
 */
export function useWorkerScript(file: string | undefined): void {
  scriptOverride = file;
}

/** The worker's script beside this module once bundled (dist/build-worker.js); absent when run from source. */
function workerScript(): string | undefined {
  if (scriptOverride !== undefined) return scriptOverride;
  const file = fileURLToPath(new URL("./build-worker.js", import.meta.url));
  return existsSync(file) ? file : undefined;
}

/**
 * Batches a worker holds at once: the one it compiles and the next, so that it never waits for this
 * thread to hand it one while this thread is busy with its own stages (the version chain).
 */
const IN_FLIGHT = 2;

/** A batch of work for a worker: units for ajv, roots for json-schema-to-typescript. */
interface Batch {
  units: UnitInput[];
  types: TypesInput[];
}

/** Deals the types roots out over the first `count` batches (made where missing). */
function dealTypes(batches: Batch[], todo: readonly { input: TypesInput }[], count: number): void {
  todo.forEach((t, i) => {
    const b = i % count;
    batches[b] ??= { units: [], types: [] };
    batches[b].types.push(t.input);
  });
}

async function runBatches(
  shared: SharedInput[],
  batches: Batch[],
  workers: number,
  onBatch: (out: BatchOutput) => void = () => {},
  more?: () => Batch[],
): Promise<BatchOutput[]> {
  const script = workerScript();
  const results: BatchOutput[] = [];
  if (workers === 0 || !script) {
    if (more) batches.push(...more());
    for (const batch of batches) {
      const out = await compileBatch(shared, batch.units, batch.types, (root) => compileTypes(root, ROOT));
      results.push(out);
      onBatch(out);
    }
    return results;
  }
  let next = 0;
  // Until `more` is in, a worker with nothing in hand is not done.
  let final = more === undefined;
  const pool = warm.splice(0, workers);
  for (const w of pool) w.ref();
  while (pool.length < workers) pool.push(startWorker(script));
  // Each worker is handed one batch, then each a second: a few batches spread over every worker.
  const topUps: (() => void)[] = [];
  try {
    const done = pool.map(
      (worker) =>
        new Promise<void>((resolve, reject) => {
          let held = 0;
          // Tops the worker up to `limit` batches; resolves once it holds none and none is left.
          const send = (limit: number) => {
            while (held < limit && next < batches.length) {
              const id = next++;
              const batch = batches[id] as Batch;
              worker.postMessage({ id, shared, units: batch.units, types: batch.types } satisfies BatchMessage);
              held++;
            }
            if (held === 0 && final) resolve();
          };
          worker.on("message", (m: { id: number; out?: BatchOutput; error?: string }) => {
            if (m.error !== undefined) return reject(new Error(`a build worker failed: ${m.error}`));
            held--;
            results[m.id] = m.out as BatchOutput;
            onBatch(m.out as BatchOutput);
            send(IN_FLIGHT);
          });
          worker.on("error", reject);
          send(1);
          topUps.push(() => send(IN_FLIGHT));
        }),
    );
    // Batches made once the first are out (`more`): made before any answer can be read (this
    // thread is busy until then), so no worker is found idle with nothing left in between.
    if (more) batches.push(...more());
    final = true;
    for (const topUp of topUps) topUp();
    await Promise.all(done);
  } finally {
    await Promise.all(pool.map((w) => w.terminate()));
  }
  return results;
}
