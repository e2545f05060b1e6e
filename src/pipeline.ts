/**
 * The pipeline: the architecture in one place (DESIGN §6).
 *
 *   discover (glob, read)  →  parse (JSON with positions)  →  validate (meta-schema, house rules,
 *   ajv compile, examples)  →  versions (names, chains, collisions)  →  generate (types,
 *   validators, index, events.json)  →  emit (atomic write)
 *
 * The catalog (catalog/) is another generator over the same checked tree: a static site instead of
 * a package.
 *
 * The costly part of validate and generate, compiling (ajv for each schema and its examples, and
 * each event's validator; json-schema-to-typescript for each event's declarations), is the compile
 * stage (build/): cached by content hash, in batches, over worker threads when there is much to do.
 *
 * After versions, the version chain (chain.ts) classifies each vN → vN+1 with the compatibility
 * engine (compat/), for events.json and for a warning when a new version was not needed.
 *
 * Every stage reports diagnostics instead of throwing; all of them are gathered so that one run
 * shows every problem. Nothing is generated, and nothing written, when any error was found.
 */

import { createHash } from "node:crypto";
import { readFile } from "node:fs/promises";
import path from "node:path";
import { catalogFiles } from "./catalog/index.js";
import { ENTITIES, REFERENCES } from "./cleanup/graph.js";
import { type ChainMemo, chain } from "./compat/chain.js";
import { cacheKey, defaultCacheDir, readEntry, readEntrySync, toolVersions, writeEntrySync } from "./compile/cache.js";
import type { SharedInput } from "./compile/compile.js";
import { type CompileResult, type CompileStats, type CompileUnit, compileAll, prestartWorkers } from "./compile/index.js";
import { isChainEntry, isParseEntry, isPatternVerdict, isValidateEntry } from "./compile/shapes.js";
import { fingerprint, recordBuild, upToDate } from "./compile/up-to-date.js";
import { cmp, type Diagnostic, hasErrors, type StageResult, sortDiagnostics } from "./diagnostics/index.js";
import { type AsyncApiInfo, DEFAULT_ASYNCAPI_INFO } from "./generate/asyncapi.js";
import { Bundle } from "./generate/bundle.js";
import { eventEntries, type GeneratedFiles, generate, nameCollisions } from "./generate/index.js";
import { sharedTypesRoot, systemTypesRoot } from "./generate/types.js";
import type { ChainVerdict, EventEntry } from "./model/events-json.js";
import type { EventTree, ParsedFile, SourceFile } from "./model/tree.js";
import { useVerdictStore } from "./schema/redos.js";
import { isObject } from "./schema/walk.js";
import { discover } from "./stages/discover.js";
import { emit, recoverInterrupted } from "./stages/emit.js";
import { type ParseMemo, parse } from "./stages/parse.js";
import {
  compileDiagnostics,
  referencedFiles,
  schemaForAjv,
  stripAnnotations,
  type ValidateMemo,
  type ValidSchema,
  validate,
} from "./stages/validate.js";
import { versions } from "./stages/versions.js";

/** Where the events are, what paths in diagnostics are relative to, and how to compile. */
export interface PipelineOptions {
  /** The events folder (default `events`). */
  eventsDir?: string;
  /** Folder that diagnostics' paths are relative to (default: process.cwd()). */
  cwd?: string;
  /** The build cache's folder (default node_modules/.cache/domain-events); false for none. */
  cacheDir?: string | false;
  /** Worker threads to use at most (default: the cores, at most 2); 0 compiles in this thread. */
  workers?: number;
  /** Overrides the tool key of the cache (tests: a new tool version). */
  tools?: Record<string, string>;
}

/** What check gives: every diagnostic, and the tree when there was no error. */
export interface CheckResult {
  ok: boolean;
  diagnostics: Diagnostic[];
  tree?: EventTree;
  /** The compatibility of each version with the one before it. */
  chain?: Map<string, ChainVerdict>;
  /** The tree bundled (every schema under one root's `$defs`): made once, for the chain and generate. */
  bundle?: Bundle;
  /** What the compile stage made (validators; declarations when building) and what the cache saved. */
  compiled?: CompileResult;
  /** The events.json entries (without the chain's compatibility). */
  entries?: EventEntry[];
}

/** Validates the whole events tree; writes nothing but the cache. */
export async function check(options: PipelineOptions = {}): Promise<CheckResult> {
  return checkTree(options, false);
}

/** With DOMAIN_EVENTS_TIMING set, each stage's time goes to stderr (for npm run bench and profiling). */
const timing = process.env.DOMAIN_EVENTS_TIMING ? createTimer() : undefined;
function createTimer() {
  let last = performance.now();
  return (stage: string) => {
    const now = performance.now();
    process.stderr.write(`timing ${stage} ${(now - last).toFixed(0)} ms\n`);
    last = now;
  };
}

async function checkTree(options: PipelineOptions, types: boolean, discovered?: StageResult<SourceFile[]>): Promise<CheckResult> {
  timing?.("start");
  const cacheDir = options.cacheDir === false ? undefined : (options.cacheDir ?? defaultCacheDir(options.cwd));
  const tools = options.tools ?? toolVersions();
  useVerdictStore(
    cacheDir === undefined
      ? undefined
      : {
          get: (pattern) => readEntrySync(cacheDir, cacheKey("redos", tools.recheck, pattern), isPatternVerdict),
          set: (pattern, verdict) => writeEntrySync(cacheDir, cacheKey("redos", tools.recheck, pattern), verdict),
        },
  );
  const found = discovered ?? (await discover({ eventsDir: options.eventsDir ?? "events", cwd: options.cwd }));
  timing?.("discover");
  if (options.workers !== 0) prestartWorkers(found.value.length, options.workers);
  const memo = await fileMemos(found.value, cacheDir, tools);
  const parsed = parse(found.value, memo.parse);
  timing?.("parse");
  const validated = validate(
    parsed.value,
    found.value.map((f) => f.rel),
    await memo.validate(parsed.value),
  );
  timing?.("validate");
  const versioned = versions(found.value, validated.value.schemas);
  timing?.("versions");
  const diagnostics = sortDiagnostics([...found.diagnostics, ...parsed.diagnostics, ...validated.diagnostics, ...versioned.diagnostics]);
  if (hasErrors(diagnostics)) return { ok: false, diagnostics };
  const shared = [...validated.value.schemas.values()].map((s) => s.file).filter((f): f is ParsedFile => f.kind.kind === "shared");
  const sources = new Map(validated.value.systems.map((s) => [s.system, s.source]));
  const events = versioned.value.map((e) => (sources.has(e.system) ? { ...e, sourcePin: sources.get(e.system) } : e));
  const tree: EventTree = { events, shared, systems: validated.value.systems };
  const bundle = new Bundle(tree.events, tree.shared);
  // Checked by check too, not only by build: what check passes, build must build.
  const collisions = nameCollisions(tree, bundle);
  if (collisions.length > 0) return { ok: false, diagnostics: sortDiagnostics([...diagnostics, ...collisions]) };

  timing?.("bundle");
  const inputs = compileInputs(tree, validated.value.schemas, types ? bundle : undefined);
  timing?.("compile inputs");
  const compiling = compileAll({
    ...inputs,
    code: types,
    cacheDir,
    workers: options.workers,
    tools,
  });
  // While the workers compile, this thread classifies the version chain.
  const files = new Map(tree.events.map((e) => [e.type, e.source.file]));
  const chainMemo: ChainMemo | undefined =
    cacheDir === undefined
      ? undefined
      : {
          get: (a, b) => readEntrySync(cacheDir, cacheKey("chain", tools, a, b), isChainEntry)?.verdict,
          set: (a, b, verdict) => writeEntrySync(cacheDir, cacheKey("chain", tools, a, b), { verdict }),
        };
  const entries = eventEntries(tree, bundle);
  const chained = chain(entries, (type) => files.get(type) ?? type, chainMemo);
  timing?.("chain");
  const compiled = await compiling;
  timing?.(`compile ${JSON.stringify(compiled.stats)}`);
  const compileDiags: Diagnostic[] = [];
  for (const { file } of validated.value.schemas.values()) {
    const output = compiled.outputs.get(file.rel);
    if (output) compileDiags.push(...compileDiagnostics(file, output));
  }
  if (compileDiags.length > 0) return { ok: false, diagnostics: sortDiagnostics([...diagnostics, ...compileDiags]) };

  return {
    ok: true,
    diagnostics: sortDiagnostics([...diagnostics, ...chained.diagnostics]),
    tree,
    chain: chained.value,
    bundle,
    entries,
    compiled,
  };
}

/**
 * What the cache knows of each file: that its bytes parse without a finding, and that it passes
 * every per-file check of validate (keyed by its path and bytes, and checked against the bytes of
 * the files it refers to, which some checks read).
 */
async function fileMemos(files: readonly SourceFile[], cacheDir: string | undefined, tools: Record<string, string>) {
  if (cacheDir === undefined) return { parse: undefined, validate: async () => undefined };
  // Hashed from the bytes discover read: the very bytes parse and validate see.
  const hashes = new Map(files.map((f) => [f.rel, createHash("sha256").update(f.bytes).digest("hex")]));
  const hashOf = (rel: string) => hashes.get(rel) ?? null;
  const parseKey = (f: SourceFile) => cacheKey("parse", tools, hashOf(f.rel));
  const clean = new Set<string>();
  await Promise.all(
    files.map(async (f) => {
      if (await readEntry(cacheDir, parseKey(f), isParseEntry)) clean.add(f.rel);
    }),
  );
  const parseMemo: ParseMemo = {
    clean: (f) => clean.has(f.rel),
    markClean: (f) => writeEntrySync(cacheDir, parseKey(f), true),
  };
  const validateKey = (f: ParsedFile) => cacheKey("validate", tools, f.rel, hashOf(f.rel));
  const validate = async (parsed: readonly ParsedFile[]): Promise<ValidateMemo> => {
    const known = new Map<string, [string, string | null][]>();
    await Promise.all(
      parsed.map(async (f) => {
        const entry = await readEntry(cacheDir, validateKey(f), isValidateEntry);
        if (entry?.refs.every(([rel, hash]) => hashOf(rel) === hash)) known.set(f.rel, entry.refs);
      }),
    );
    return {
      clean: (f) => known.has(f.rel),
      markClean: (f) => writeEntrySync(cacheDir, validateKey(f), { refs: referencedFiles(f).map((rel) => [rel, hashOf(rel)]) }),
    };
  };
  return { parse: parseMemo, validate };
}

/** What the compile stage needs: every valid schema as ajv sees it, with what it refers to. */
function compileInputs(tree: EventTree, schemas: ReadonlyMap<string, ValidSchema>, bundle: Bundle | undefined) {
  const forAjv = (file: ParsedFile) => stripAnnotations(schemaForAjv(file)) as Record<string, unknown>;
  const shared: SharedInput[] = tree.shared.map((file) => ({
    rel: file.rel,
    dialect: (schemas.get(file.rel) as ValidSchema).dialect,
    schema: forAjv(file),
  }));
  const deps = new Map<string, string[]>();
  const closure = (file: ParsedFile): string[] => {
    const known = deps.get(file.rel);
    if (known) return known;
    const out = new Set<string>();
    deps.set(file.rel, []);
    for (const rel of referencedFiles(file)) {
      out.add(rel);
      const target = schemas.get(rel)?.file;
      if (target) for (const r of closure(target)) out.add(r);
    }
    const sorted = [...out].sort(cmp);
    deps.set(file.rel, sorted);
    return sorted;
  };
  const units: CompileUnit[] = [
    ...tree.shared.map((file) => ({
      rel: file.rel,
      dialect: (schemas.get(file.rel) as ValidSchema).dialect,
      schema: forAjv(file),
      examples: examplesOf(file),
      deps: closure(file),
    })),
    ...tree.events.map((ev) => ({
      rel: ev.source.rel,
      dialect: ev.dialect,
      schema: forAjv(ev.source),
      examples: examplesOf(ev.source),
      event: { type: ev.type, ...(ev.sourcePin ? { sourcePin: ev.sourcePin } : {}) },
      deps: closure(ev.source),
    })),
  ];
  if (!bundle) return { shared, units };
  const systems = [...new Set(tree.events.map((e) => e.system))].sort(cmp);
  const roots = systems.map((system) => {
    const { root, shared } = systemTypesRoot(
      tree.events.filter((e) => e.system === system),
      bundle,
    );
    return { id: system, root, shared };
  });
  return { shared, units, types: { roots, shared: sharedTypesRoot(bundle, new Set(tree.shared.map((f) => f.rel))) } };
}

function examplesOf(file: ParsedFile): unknown[] {
  return Array.isArray(file.json.examples) ? file.json.examples : [];
}

/** What build gives: the check's diagnostics, and the files when all went well. */
export interface BuildResult {
  ok: boolean;
  diagnostics: Diagnostic[];
  /** The files generated (absent when the out folder was up to date). */
  files?: GeneratedFiles;
  /** The number of event versions. */
  events?: number;
  /** Nothing changed since the last build into the same out folder: nothing was done. */
  upToDate?: boolean;
  /** What the compile stage did and what the cache saved. */
  stats?: CompileStats;
}

/**
 * Checks, compiles, generates and, with `outDir`, writes the package's files. On any error writes
 * nothing. With a cache and an out folder that the last build wrote from the same content, does
 * nothing at all.
 */
export async function build(options: PipelineOptions & { outDir?: string } = {}): Promise<BuildResult> {
  const eventsDir = options.eventsDir ?? "events";
  const cacheDir = options.cacheDir === false ? undefined : (options.cacheDir ?? defaultCacheDir(options.cwd));
  // A swap into the out folder that a crash cut short is put right first, even by a build that
  // then fails its check (emit.ts).
  if (options.outDir !== undefined) await recoverInterrupted(options.outDir);
  const info = await packageInfo(eventsDir, options.cwd);
  // The package's version is part of the output (asyncapi.json): a new version is a new build.
  // Discover reads the tree once: for the no-op fingerprint, and for the build when it is not one.
  const found = await discover({ eventsDir, cwd: options.cwd });
  const print =
    cacheDir && options.outDir !== undefined
      ? fingerprint(found, { ...(options.tools ?? toolVersions()), package: JSON.stringify(info) })
      : undefined;
  if (print && options.outDir !== undefined) {
    const stamp = await upToDate(cacheDir, eventsDir, options.outDir, print);
    if (stamp) return { ok: true, diagnostics: stamp.diagnostics, events: stamp.events, upToDate: true };
  }
  const checked = await checkTree(options, true, found);
  if (!checked.ok || !checked.tree || !checked.bundle || !checked.compiled) return { ok: false, diagnostics: checked.diagnostics };
  const files = generate(checked.tree, checked.chain ?? new Map(), checked.bundle, checked.compiled, checked.entries, info);
  timing?.("generate");
  const events = checked.tree.events.length;
  if (options.outDir !== undefined) {
    // The stamp records what this build's emit wrote (its receipt), not the folder as it is later.
    const receipt = await emit(options.outDir, files);
    if (print) await recordBuild(cacheDir, eventsDir, options.outDir, print, receipt, checked.diagnostics, events);
  }
  timing?.("emit");
  return { ok: true, diagnostics: checked.diagnostics, files, events, stats: checked.compiled.stats };
}

/** What catalog gives: the check's diagnostics, and the pages when all went well. */
export interface CatalogResult {
  ok: boolean;
  diagnostics: Diagnostic[];
  /** The catalog's files by path (absent on errors: nothing was written). */
  files?: Map<string, string>;
  events?: number;
}

/**
 * Checks the tree and writes its catalog (catalog/): a static site of every system, topic, event
 * and version. On any error writes nothing.
 */
export async function catalog(options: PipelineOptions & { outDir: string }): Promise<CatalogResult> {
  const info = await packageInfo(options.eventsDir ?? "events", options.cwd);
  const checked = await checkTree(options, false);
  if (!checked.ok || !checked.tree || !checked.entries) return { ok: false, diagnostics: checked.diagnostics };
  const verdicts = checked.chain ?? new Map<string, ChainVerdict>();
  const entries = checked.entries.map((e) => {
    const previous = verdicts.get(e.type);
    return previous ? { ...e, compatibility: { previous } } : e;
  });
  const files = catalogFiles({
    packageName: info.title,
    systems: checked.tree.systems,
    entries,
    graph: { entities: ENTITIES, references: REFERENCES, root: "ClientAccount" },
  });
  await emit(options.outDir, files);
  return { ok: true, diagnostics: checked.diagnostics, files, events: checked.tree.events.length };
}

/**
 * The package an events tree belongs to: name, version and description of the package.json beside
 * the events folder (this repository's own for `events/`). A tree without one gets a fixed default,
 * so that the output never depends on where the tree sits.
 */
export async function packageInfo(eventsDir: string, cwd: string = process.cwd()): Promise<AsyncApiInfo> {
  let pkg: unknown;
  try {
    pkg = JSON.parse(await readFile(path.join(path.resolve(cwd, eventsDir), "..", "package.json"), "utf8"));
  } catch {
    return DEFAULT_ASYNCAPI_INFO;
  }
  if (!isObject(pkg)) return DEFAULT_ASYNCAPI_INFO;
  const text = (v: unknown) => (typeof v === "string" && v !== "" ? v : undefined);
  const description = text(pkg.description);
  return {
    title: text(pkg.name) ?? DEFAULT_ASYNCAPI_INFO.title,
    version: text(pkg.version) ?? DEFAULT_ASYNCAPI_INFO.version,
    ...(description ? { description } : {}),
  };
}
