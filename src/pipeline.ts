/**
 * The pipeline: the architecture in one place. Each stage is a module under stages/ (or compile/,
 * generate/) with one function that reports `{ value, diagnostics }` and never prints:
 *
 *   discover   stages/discover.ts   the only reader of the events tree: names checked, bytes read
 *   parse      stages/parse.ts      strict JSON with positions
 *   validate   stages/validate      the meta-schema and the house rules, one entry per code
 *   versions   stages/versions.ts   names, version chains, the tree as events and shared files
 *   chain      compat/chain.ts      each vN → vN+1 classified by the compatibility engine
 *   compile    compile/             ajv (schemas, examples, validators) and json-schema-to-typescript,
 *                                   cached by content hash, in batches, over worker threads
 *   generate   generate/            the package's files, events.json and asyncapi.json
 *   emit       stages/emit.ts       the only writer of an output folder: all files or none
 *
 * The catalog (catalog/) is another generator over the same checked tree: a static site instead of
 * a package. Every stage's diagnostics are gathered so that one run shows every problem; nothing is
 * generated, and nothing written, when any error was found. The cache's memos (compile/memo.ts)
 * make an edit cost the edited file.
 */

import { readFile } from "node:fs/promises";
import path from "node:path";
import { catalogFiles } from "./catalog/index.js";
import { treeChain } from "./compat/chain.js";
import { releasedVersionEdits } from "./compat/release-diff.js";
import { cacheKey, defaultCacheDir, flushCache, flushPack, toolVersions } from "./compile/cache.js";
import { CacheEntryLost, type CompileResult, type CompileStats, prestartWorkers, startCompile } from "./compile/index.js";
import { compileInputs } from "./compile/inputs.js";
import { digestOf, openTree } from "./compile/known-tree.js";
import { cacheStore, type Memos, openMemos } from "./compile/memo.js";
import { checkFingerprint, fingerprint, lastCheck, recordBuild, recordCheck, upToDate } from "./compile/up-to-date.js";
import {
  ALL_CODES,
  type Code,
  type Diagnostic,
  hasErrors,
  type Stage,
  type StageResult,
  sortDiagnostics,
  specOf,
} from "./diagnostics/index.js";
import { type AsyncApiInfo, DEFAULT_ASYNCAPI_INFO } from "./generate/asyncapi.js";
import { Bundle } from "./generate/bundle.js";
import { type CleanupDocument, cleanupDocument } from "./generate/cleanup.js";
import { eventEntries, eventEntry, type GeneratedFiles, generate, nameCollisions } from "./generate/index.js";
import { declarationRoots } from "./generate/types.js";
import type { ChainVerdict, EventEntry } from "./model/events-json.js";
import type { ProgressListener } from "./model/progress.js";
import { type EventTree, type EventVersion, type ParsedFile, type SourceFile, TreeChanged } from "./model/tree.js";
import { judgePatterns } from "./schema/redos.js";
import { isObject } from "./schema/walk.js";
import { discover } from "./stages/discover.js";
import { emit, recoverInterrupted } from "./stages/emit/index.js";
import { parse } from "./stages/parse.js";
import { compileDiagnostics, patternsOf, RULES as SCHEMA_RULES, type ValidatedTree, validate } from "./stages/validate/index.js";
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
  /** Told the time of each stage as it ends (the CLI prints them with DOMAIN_EVENTS_TIMING set). */
  onStage?: (stage: string, ms: number) => void;
  /** Told where a long run is (the stage; files or schemas done, of all, from the cache): the CLI draws it on a terminal. */
  onProgress?: ProgressListener;
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
  /**
   * The events.json entries (without the chain's compatibility): made by a build, a check against a
   * baseline and the catalog; a plain check does without them (a version step the cache does not
   * know by its files' bytes makes the entries of its two events only).
   */
  entries?: EventEntry[];
  /** The number of event versions, when there was no error. */
  events?: number;
  /** The test-data cleanup's graph and plan, when the tree defines a ClientAccount id (generate/cleanup.ts). */
  cleanup?: CleanupDocument;
  /** Answered from the fingerprint of the last good check or build: nothing was parsed nor checked, no tree. */
  upToDate?: boolean;
  /** What this run did not look for, when an error stopped stages or kept files from them (watch mode's "fixed"). */
  unevaluated?: Unevaluated;
  /**
   * With a cache, what a file's content is: its path and bytes (hash), and those of every file it
   * reaches. What is made from a file alone is keyed by it (the events' texts in events.json).
   */
  reach?: (rel: string) => unknown;
}

/** What check is given besides the pipeline's options. */
export interface CheckOptions extends PipelineOptions {
  /** The entries of the last release: a released version edited in place is an error. */
  baseline?: readonly EventEntry[];
  /**
   * With a cache: when the tree, the tools and the baseline are byte for byte those of the last
   * good check or build, answer with its findings (`upToDate`, no tree) instead of checking again.
   * For callers that need only the findings (the check command, watch mode), not the tree.
   */
  fromFingerprint?: boolean;
}

/**
 * Validates the whole events tree; writes nothing but the cache. Given the entries of the last
 * release (`baseline`), also refuses a released version edited in place, with the same code and
 * position as `diff` (compat/release-diff.ts). A good check records its findings under the
 * tree's fingerprint (compile/up-to-date.ts), so that, asked `fromFingerprint`, a check of the
 * same bytes answers without parsing anything.
 */
export async function check(options: CheckOptions = {}): Promise<CheckResult> {
  try {
    return await checkOnce(options, false);
  } catch (e) {
    // A file known by its stat was written during the run: check again, reading every file.
    if (!(e instanceof TreeChanged)) throw e;
    return checkOnce(options, true);
  }
}

async function checkOnce(options: CheckOptions, readAll: boolean): Promise<CheckResult> {
  const eventsDir = options.eventsDir ?? "events";
  const cacheDir = options.cacheDir === false ? undefined : (options.cacheDir ?? defaultCacheDir(options.cwd));
  const stage = stageClock(options.onStage);
  options.onProgress?.({ stage: "discover" });
  const tools = options.tools ?? toolVersions();
  const tree = await openTree(cacheDir, { eventsDir, cwd: options.cwd, tools, readAll });
  const print = cacheDir
    ? checkFingerprint(tree.known ?? digestOf(await tree.read()), tools, {
        cwd: options.cwd ?? process.cwd(),
        eventsDir,
        baseline: options.baseline,
      })
    : undefined;
  if (print && options.fromFingerprint) {
    const stamp = await lastCheck(cacheDir, print);
    if (stamp) {
      // The listing (and each file's stat, or bytes), the hash and one cache entry: nothing else ran.
      stage(tree.known ? "fingerprint by stat" : "fingerprint");
      return withoutRelease({ ok: true, diagnostics: stamp.diagnostics, events: stamp.events, upToDate: true }, options);
    }
  }
  const found = await tree.read();
  const checked = withoutRelease(
    againstBaseline(await checkTree(options, { types: false, entries: options.baseline !== undefined }, found, stage), options),
    options,
  );
  if (print && checked.ok) await recordCheck(cacheDir, print, checked.diagnostics, checked.events ?? 0);
  return checked;
}

/** The check's result with the released versions edited in place, when a baseline was given and the tree is sound. */
function againstBaseline(checked: CheckResult, options: CheckOptions): CheckResult {
  if (!options.baseline || !checked.ok || !checked.tree || !checked.entries) return checked;
  const edits = releasedVersionEdits(options.baseline, { tree: checked.tree, entries: checked.entries }, options.eventsDir ?? "events");
  if (edits.length === 0) return checked;
  return { ...checked, ok: false, diagnostics: sortDiagnostics([...checked.diagnostics, ...edits]) };
}

/** Without a baseline, or with errors before it, released versions edited in place were not looked for. */
function withoutRelease(checked: CheckResult, options: CheckOptions): CheckResult {
  if (options.baseline && checked.ok) return checked;
  const unevaluated = checked.unevaluated ?? { codes: [], files: {} };
  if (unevaluated.codes.includes(RELEASE_CODE)) return checked;
  return { ...checked, unevaluated: { ...unevaluated, codes: [...unevaluated.codes, RELEASE_CODE] } };
}

/** What a run wants besides the findings: declarations (a build), the entries (a baseline, the catalog). */
interface Wanted {
  types: boolean;
  entries: boolean;
  /** The validators' code of units the cache holds is read only when generate makes their modules (compile/index.ts). */
  lazyCode?: boolean;
}

async function checkTree(
  options: PipelineOptions,
  want: Wanted,
  discovered?: StageResult<SourceFile[]>,
  stage: (stage: string) => void = stageClock(options.onStage),
): Promise<CheckResult> {
  const memos = openMemos(options);
  try {
    return await checkWith(memos, options, want, discovered, stage);
  } finally {
    // What this run worked out is kept for the next, whatever the outcome.
    flushCache(memos.dir);
  }
}

async function checkWith(
  memos: Memos,
  options: PipelineOptions,
  want: Wanted,
  discovered: StageResult<SourceFile[]> | undefined,
  stage: (stage: string) => void,
): Promise<CheckResult> {
  const progress = options.onProgress ?? noProgress;
  if (!discovered) progress({ stage: "discover" });
  const found = discovered ?? (await discover({ eventsDir: options.eventsDir ?? "events", cwd: options.cwd }));
  stage("discover");
  progress({ stage: "parse", total: found.value.length });
  const parseMemo = memos.parse(found.value);
  // Worker threads start now only for many files the cache has not seen: a warm run starts none.
  if (options.workers !== 0) prestartWorkers(found.value.filter((f) => !parseMemo?.clean(f)).length, options.workers);
  const parsed = parse(found.value, parseMemo);
  stage("parse");
  progress({ stage: "validate", total: found.value.length });
  const validateMemo = memos.validate(parsed.value);
  // The patterns of the files the rules will check, judged at once by the analyser, none waiting on another.
  await judgePatterns(parsed.value.filter((f) => f.kind.kind !== "system" && !validateMemo?.clean(f)).flatMap((f) => patternsOf(f.json)));
  const validated = validate(
    parsed.value,
    found.value.map((f) => f.rel),
    validateMemo,
    undefined,
    memos.store("validate"),
  );
  stage("validate");
  const versioned = versions(found.value, validated.value.schemas);
  stage("versions");
  const diagnostics = sortDiagnostics([...found.diagnostics, ...parsed.diagnostics, ...validated.diagnostics, ...versioned.diagnostics]);
  if (hasErrors(diagnostics)) return { ok: false, diagnostics, unevaluated: unevaluatedOf(diagnostics, ["generate", "compile", "compat"]) };

  const tree = treeOf(versioned.value, validated.value);
  const bundle = new Bundle(tree.events, tree.shared, (rel) => validated.value.schemas.get(rel)?.definitions);
  // Checked by check too, not only by build: what check passes, build must build.
  const collisions = nameCollisions(tree, bundle);
  // The cleanup's graph, from the ids the events carry: check finds a reference it cannot place.
  const cleanup = cleanupDocument(tree, (rel) => parsed.value.find((f) => f.rel === rel), memos);
  if (collisions.length > 0 || cleanup.diagnostics.length > 0) {
    const all = sortDiagnostics([...diagnostics, ...collisions, ...cleanup.diagnostics]);
    return { ok: false, diagnostics: all, unevaluated: unevaluatedOf(all, ["compile", "compat"]) };
  }
  stage("bundle");

  const types = want.types;
  const inputs = compileInputs(tree, validated.value.schemas, types ? declarationRoots(tree, bundle) : undefined);
  // The first batches are handed out before the chain runs: the workers compile while it does.
  const compiling = await startCompile({
    ...inputs,
    code: types,
    lazyCode: want.lazyCode,
    cacheDir: memos.dir,
    hashOf: memos.hashOf,
    workers: options.workers,
    tools: memos.tools,
    onProgress: options.onProgress,
  });
  // While the workers compile, this thread classifies the version chain: from the files' bytes
  // where it can, else from the two events' entries (their bundled schemas). A plain check makes
  // no other entry; a build, a check against a baseline and the catalog make them all.
  const entries = want.entries ? eventEntries(tree, bundle) : undefined;
  const byType = new Map(entries?.map((e) => [e.type, e]));
  const eventOf = new Map(tree.events.map((e) => [e.type, e]));
  const entryOf = (type: string) => byType.get(type) ?? eventEntry(eventOf.get(type) as EventVersion, bundle);
  const depsOf = new Map(inputs.units.map((u) => [u.rel, u.deps]));
  const files = new Map(tree.events.map((e) => [e.type, e.source.file]));
  const chained = treeChain(
    tree.events,
    entryOf,
    (type) => files.get(type) ?? type,
    memos.chain,
    memos.steps((rel) => depsOf.get(rel) ?? []),
  );
  stage("chain");
  const compiled = await compiling.result;
  flushPack(memos.dir, "code");
  stage("compile");
  const compileDiags = [...validated.value.schemas.values()].flatMap(({ file }) => {
    const output = compiled.outputs.get(file.rel);
    return output ? compileDiagnostics(file, output) : [];
  });
  if (compileDiags.length > 0) {
    // The chain ran, but a run with errors reports no warning of it.
    const all = sortDiagnostics([...diagnostics, ...compileDiags]);
    return { ok: false, diagnostics: all, unevaluated: unevaluatedOf(all, ["compat"]) };
  }

  return {
    ok: true,
    diagnostics: sortDiagnostics([...diagnostics, ...chained.diagnostics]),
    tree,
    chain: chained.value,
    bundle,
    ...(entries ? { entries } : {}),
    ...(cleanup.value ? { cleanup: cleanup.value } : {}),
    compiled,
    events: tree.events.length,
    ...(memos.dir !== undefined
      ? { reach: (rel: string) => [rel, memos.hashOf(rel), (depsOf.get(rel) ?? []).map((d) => [d, memos.hashOf(d)])] }
      : {}),
  };
}

// ---------------------------------------------------------------------------------------------
// What a run did not look for

/**
 * What a run did not look for: the codes of the stages that an error before them kept from
 * running, the whole-tree rules that saw only the files that passed the rules before them, and, per
 * file, the rules that did not see that file. A finding of an earlier run that is missing now is
 * fixed only where this run looked again; watch mode (commands/watch.ts) keeps the others as not
 * checked again rather than calling them fixed. Errs on the side of "not looked for": that only
 * delays a "fixed" to the run that looks again.
 */
export interface Unevaluated {
  /** Codes not looked for anywhere. */
  codes: Code[];
  /** Per file (as diagnostics name it): codes not looked for in that file. */
  files: Record<string, Code[]>;
}

/** The stages in the order the pipeline runs them: a stage sees only what passed the stages before it. */
const STAGE_ORDER: readonly Stage[] = ["discover", "parse", "validate", "versions", "generate", "compile", "compat"];

/**
 * The rules over the whole tree that see only the files that passed the rules before them, in the
 * order they run: validate's tree rules (each over the files no rule, nor tree rule before it,
 * found in error), then versions' type-name collision (over the events that passed validate, of
 * sound chains).
 */
const WHOLE_TREE: readonly Code[] = [...scopeCodes("tree"), "VERSION_NAME_COLLISION"];
/** The meta-schema rule: run on a file only when no other rule found an error in it. */
const META: readonly Code[] = scopeCodes("meta");
/** The dialect rules: the only ones run on a file whose dialect is unknown. */
const DIALECT: readonly Code[] = scopeCodes("dialect");
/** What check reports only against a baseline: a released version edited in place. */
const RELEASE_CODE: Code = "COMPAT_RELEASED_VERSION_CHANGED";

function scopeCodes(scope: (typeof SCHEMA_RULES)[number]["scope"]): Code[] {
  return SCHEMA_RULES.filter((r) => r.scope === scope).map((r) => r.code);
}

function stageRank(code: Code): number {
  return STAGE_ORDER.indexOf(specOf(code).stage);
}

/** What a run with these diagnostics did not look for, when an error kept the `skipped` stages from running. */
export function unevaluatedOf(diagnostics: readonly Diagnostic[], skipped: readonly Stage[]): Unevaluated {
  const errors = diagnostics.filter((d) => d.severity === "error");
  const codes = new Set(ALL_CODES.filter((c) => skipped.includes(specOf(c).stage)));
  for (const code of partialWholeTree(errors)) codes.add(code);
  return { codes: [...codes], files: unevaluatedFiles(errors) };
}

/**
 * The whole-tree rules that saw part of the tree: those with an error before them, of an earlier
 * stage or of their own stage but another rule than themselves and the whole-tree rules after them.
 */
function partialWholeTree(errors: readonly Diagnostic[]): Code[] {
  return WHOLE_TREE.filter((code, i) => {
    const rank = stageRank(code);
    const after = WHOLE_TREE.slice(i);
    return errors.some((d) => stageRank(d.code) < rank || (stageRank(d.code) === rank && !after.includes(d.code)));
  });
}

/**
 * Per file, the rules that did not see it: no rule after parse saw a file that was not read or did
 * not parse; only the dialect rules saw a file whose dialect may be unknown (a dialect finding at
 * its top); the meta-schema did not see a file with another finding of validate.
 */
function unevaluatedFiles(errors: readonly Diagnostic[]): Record<string, Code[]> {
  const files = new Map<string, Set<Code>>();
  const add = (file: string, codes: readonly Code[]) => {
    const set = files.get(file) ?? new Set<Code>();
    for (const c of codes) set.add(c);
    files.set(file, set);
  };
  const afterParse = ALL_CODES.filter((c) => stageRank(c) > STAGE_ORDER.indexOf("parse"));
  const butDialect = ALL_CODES.filter((c) => specOf(c).stage === "validate" && !DIALECT.includes(c));
  for (const d of errors) {
    const stage = specOf(d.code).stage;
    if (stage === "discover" || stage === "parse") add(d.file, afterParse);
    else if (DIALECT.includes(d.code) && d.pointer === "") add(d.file, butDialect);
    else if (stage === "validate" && !META.includes(d.code) && !WHOLE_TREE.includes(d.code)) add(d.file, META);
  }
  return Object.fromEntries([...files].map(([file, codes]) => [file, [...codes]]));
}

/** The checked tree: the events (each with its system's source pin), the shared files, the systems. */
function treeOf(events: readonly EventVersion[], validated: ValidatedTree): EventTree {
  const shared = [...validated.schemas.values()].map((s) => s.file).filter((f): f is ParsedFile => f.kind.kind === "shared");
  const sources = new Map(validated.systems.map((s) => [s.system, s.source]));
  const pinned = events.map((e) => (sources.has(e.system) ? { ...e, sourcePin: sources.get(e.system) } : e));
  return { events: pinned, shared, systems: validated.systems };
}

/** The progress listener when none is given. */
function noProgress(): void {}

/** Reports each stage's time since the previous one to `onStage`, when given. */
function stageClock(onStage: PipelineOptions["onStage"]): (stage: string) => void {
  if (!onStage) return () => {};
  let last = performance.now();
  return (stage) => {
    const now = performance.now();
    onStage(stage, now - last);
    last = now;
  };
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
  /** What emit spared: files linked from the last build's folder, files spliced from it (stages/emit). */
  emitted?: { linked: number; spliced: string[] };
  /** What this run did not look for, when an error stopped stages or kept files from them (watch mode's "fixed"). */
  unevaluated?: Unevaluated;
}

/**
 * Checks, compiles, generates and, with `outDir`, writes the package's files. On any error writes
 * nothing. With a cache and an out folder that the last build wrote from the same content, does
 * nothing at all.
 */
export async function build(options: PipelineOptions & { outDir?: string } = {}): Promise<BuildResult> {
  let lazyCode = true;
  let readAll = false;
  for (;;) {
    try {
      return await buildOnce(options, lazyCode, readAll);
    } catch (e) {
      // A validator's code the cache held proved damaged when generate read it: read all of it now,
      // so that what is damaged reads as absent and is compiled again. A file known by its stat was
      // written during the run: build again, reading every file.
      if (e instanceof CacheEntryLost && lazyCode) lazyCode = false;
      else if (e instanceof TreeChanged && !readAll) readAll = true;
      else throw e;
    }
  }
}

async function buildOnce(options: PipelineOptions & { outDir?: string }, lazyCode: boolean, readAll: boolean): Promise<BuildResult> {
  const eventsDir = options.eventsDir ?? "events";
  const cacheDir = options.cacheDir === false ? undefined : (options.cacheDir ?? defaultCacheDir(options.cwd));
  const stage = stageClock(options.onStage);
  const progress = options.onProgress ?? noProgress;
  // A swap into the out folder that a crash cut short is put right first, even by a build that
  // then fails its check (stages/emit.ts).
  if (options.outDir !== undefined) await recoverInterrupted(options.outDir);
  const info = await packageInfo(eventsDir, options.cwd);
  // The package's version is part of the output (asyncapi.json): a new version is a new build.
  // Discover reads the tree once: for the no-op fingerprint, and for the build when it is not one.
  progress({ stage: "discover" });
  const tools = options.tools ?? toolVersions();
  const tree = await openTree(cacheDir, { eventsDir, cwd: options.cwd, tools, readAll });
  const print =
    cacheDir && options.outDir !== undefined
      ? fingerprint(tree.known ?? digestOf(await tree.read()), { ...tools, package: JSON.stringify(info) })
      : undefined;
  if (print && options.outDir !== undefined) {
    const stamp = await upToDate(cacheDir, eventsDir, options.outDir, print);
    if (stamp) {
      stage(tree.known ? "fingerprint by stat" : "fingerprint");
      return { ok: true, diagnostics: stamp.diagnostics, events: stamp.events, upToDate: true };
    }
  }
  const found = await tree.read();
  // No entries: generate makes only those the cache does not hold the texts of.
  const checked = await checkTree(options, { types: true, entries: false, lazyCode }, found, stage);
  if (!checked.ok || !checked.tree || !checked.bundle || !checked.compiled) {
    return { ok: false, diagnostics: checked.diagnostics, unevaluated: checked.unevaluated };
  }
  // What check would say of this tree (without a baseline): a later check of the same bytes answers from it.
  if (cacheDir) {
    const checkPrint = checkFingerprint(digestOf(found), tools, { cwd: options.cwd ?? process.cwd(), eventsDir });
    await recordCheck(cacheDir, checkPrint, checked.diagnostics, checked.tree.events.length);
  }
  progress({ stage: "generate" });
  const { reach } = checked;
  const hashes = cacheStore(options, "outputs", "texts");
  const files = generate(checked.tree, {
    chain: checked.chain ?? new Map(),
    cleanup: checked.cleanup,
    bundle: checked.bundle,
    compiled: checked.compiled,
    entries: checked.entries,
    info,
    cache:
      reach && hashes
        ? {
            hashes,
            // Everything an event's entry is made from: its identity, the bytes of its file and of what it reaches, its verdict.
            entryKey: (ev, verdict) =>
              cacheKey(
                ev.type,
                ev.typeName,
                ev.latest,
                ev.deprecated,
                ev.sourcePin ?? null,
                ev.signed === true,
                ev.dialect,
                reach(ev.source.rel),
                verdict ?? null,
              ),
          }
        : undefined,
  });
  // Without an out folder the caller keeps the texts: made now (a damaged cache record then builds again, above).
  if (options.outDir === undefined) files.materialise();
  stage("generate");
  const events = checked.tree.events.length;
  let emitted: BuildResult["emitted"];
  if (options.outDir !== undefined) {
    progress({ stage: "emit", total: files.size });
    // The stamp records what this build's emit wrote (its receipt), not the folder as it is later.
    // The store keeps the stats of the files as written: the next emit reads only what changed since.
    const receipt = await emit(options.outDir, files, { store: cacheStore(options, "emit"), known: files });
    emitted = { linked: receipt.linked ?? 0, spliced: receipt.spliced ?? [] };
    // What generate and emit kept (hashes, layouts, stats) is written before the stamp says the build is done.
    flushCache(cacheDir);
    if (print) await recordBuild(cacheDir, eventsDir, options.outDir, print, receipt, checked.diagnostics, events);
  } else flushCache(cacheDir);
  stage("emit");
  return { ok: true, diagnostics: checked.diagnostics, files, events, stats: checked.compiled.stats, ...(emitted ? { emitted } : {}) };
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
 * and version, with the test-data reference graph the tree defines (generate/cleanup.ts). On any error writes nothing.
 */
export async function catalog(options: PipelineOptions & { outDir: string }): Promise<CatalogResult> {
  const info = await packageInfo(options.eventsDir ?? "events", options.cwd);
  const checked = await checkTree(options, { types: false, entries: true });
  if (!checked.ok || !checked.tree || !checked.entries) return { ok: false, diagnostics: checked.diagnostics };
  options.onProgress?.({ stage: "catalog" });
  const verdicts = checked.chain ?? new Map<string, ChainVerdict>();
  const entries = checked.entries.map((e) => {
    const previous = verdicts.get(e.type);
    return previous ? { ...e, compatibility: { previous } } : e;
  });
  const files = catalogFiles({
    packageName: info.title,
    systems: checked.tree.systems,
    entries,
    ...(checked.cleanup ? { graph: checked.cleanup } : {}),
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
