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
import { type CatalogInput, catalogFiles } from "./catalog/index.js";
import { chain } from "./compat/chain.js";
import { releasedVersionEdits } from "./compat/release-diff.js";
import { defaultCacheDir, toolVersions } from "./compile/cache.js";
import { type CompileResult, type CompileStats, compileAll, prestartWorkers } from "./compile/index.js";
import { compileInputs } from "./compile/inputs.js";
import { openMemos } from "./compile/memo.js";
import { fingerprint, recordBuild, upToDate } from "./compile/up-to-date.js";
import { type Diagnostic, hasErrors, type StageResult, sortDiagnostics } from "./diagnostics/index.js";
import { type AsyncApiInfo, DEFAULT_ASYNCAPI_INFO } from "./generate/asyncapi.js";
import { Bundle } from "./generate/bundle.js";
import { eventEntries, type GeneratedFiles, generate, nameCollisions } from "./generate/index.js";
import { declarationRoots } from "./generate/types.js";
import type { ChainVerdict, EventEntry } from "./model/events-json.js";
import type { EventTree, EventVersion, ParsedFile, SourceFile } from "./model/tree.js";
import { isObject } from "./schema/walk.js";
import { discover } from "./stages/discover.js";
import { emit, recoverInterrupted } from "./stages/emit/index.js";
import { parse } from "./stages/parse.js";
import { compileDiagnostics, type ValidatedTree, validate } from "./stages/validate/index.js";
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

/**
 * Validates the whole events tree; writes nothing but the cache. Given the entries of the last
 * release (`baseline`), also refuses a released version edited in place, with the same code and
 * position as `diff` (compat/release-diff.ts).
 */
export async function check(options: PipelineOptions & { baseline?: readonly EventEntry[] } = {}): Promise<CheckResult> {
  const checked = await checkTree(options, false);
  if (!options.baseline || !checked.ok || !checked.tree || !checked.entries) return checked;
  const edits = releasedVersionEdits(options.baseline, { tree: checked.tree, entries: checked.entries }, options.eventsDir ?? "events");
  if (edits.length === 0) return checked;
  return { ...checked, ok: false, diagnostics: sortDiagnostics([...checked.diagnostics, ...edits]) };
}

async function checkTree(options: PipelineOptions, types: boolean, discovered?: StageResult<SourceFile[]>): Promise<CheckResult> {
  const stage = stageClock(options.onStage);
  const memos = openMemos(options);
  const found = discovered ?? (await discover({ eventsDir: options.eventsDir ?? "events", cwd: options.cwd }));
  stage("discover");
  if (options.workers !== 0) prestartWorkers(found.value.length, options.workers);
  const parsed = parse(found.value, await memos.parse(found.value));
  stage("parse");
  const validated = validate(
    parsed.value,
    found.value.map((f) => f.rel),
    await memos.validate(parsed.value),
  );
  stage("validate");
  const versioned = versions(found.value, validated.value.schemas);
  stage("versions");
  const diagnostics = sortDiagnostics([...found.diagnostics, ...parsed.diagnostics, ...validated.diagnostics, ...versioned.diagnostics]);
  if (hasErrors(diagnostics)) return { ok: false, diagnostics };

  const tree = treeOf(versioned.value, validated.value);
  const bundle = new Bundle(tree.events, tree.shared);
  // Checked by check too, not only by build: what check passes, build must build.
  const collisions = nameCollisions(tree, bundle);
  if (collisions.length > 0) return { ok: false, diagnostics: sortDiagnostics([...diagnostics, ...collisions]) };
  stage("bundle");

  const inputs = compileInputs(tree, validated.value.schemas, types ? declarationRoots(tree, bundle) : undefined);
  const compiling = compileAll({ ...inputs, code: types, cacheDir: memos.dir, workers: options.workers, tools: memos.tools });
  // While the workers compile, this thread classifies the version chain.
  const entries = eventEntries(tree, bundle);
  const files = new Map(tree.events.map((e) => [e.type, e.source.file]));
  const chained = chain(entries, (type) => files.get(type) ?? type, memos.chain);
  stage("chain");
  const compiled = await compiling;
  stage("compile");
  const compileDiags = [...validated.value.schemas.values()].flatMap(({ file }) => {
    const output = compiled.outputs.get(file.rel);
    return output ? compileDiagnostics(file, output) : [];
  });
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

/** The checked tree: the events (each with its system's source pin), the shared files, the systems. */
function treeOf(events: readonly EventVersion[], validated: ValidatedTree): EventTree {
  const shared = [...validated.schemas.values()].map((s) => s.file).filter((f): f is ParsedFile => f.kind.kind === "shared");
  const sources = new Map(validated.systems.map((s) => [s.system, s.source]));
  const pinned = events.map((e) => (sources.has(e.system) ? { ...e, sourcePin: sources.get(e.system) } : e));
  return { events: pinned, shared, systems: validated.systems };
}

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
}

/**
 * Checks, compiles, generates and, with `outDir`, writes the package's files. On any error writes
 * nothing. With a cache and an out folder that the last build wrote from the same content, does
 * nothing at all.
 */
export async function build(options: PipelineOptions & { outDir?: string } = {}): Promise<BuildResult> {
  const eventsDir = options.eventsDir ?? "events";
  const cacheDir = options.cacheDir === false ? undefined : (options.cacheDir ?? defaultCacheDir(options.cwd));
  const stage = stageClock(options.onStage);
  // A swap into the out folder that a crash cut short is put right first, even by a build that
  // then fails its check (stages/emit.ts).
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
  stage("generate");
  const events = checked.tree.events.length;
  if (options.outDir !== undefined) {
    // The stamp records what this build's emit wrote (its receipt), not the folder as it is later.
    const receipt = await emit(options.outDir, files);
    if (print) await recordBuild(cacheDir, eventsDir, options.outDir, print, receipt, checked.diagnostics, events);
  }
  stage("emit");
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
 * and version, with the test-data reference graph when one is given. On any error writes nothing.
 */
export async function catalog(options: PipelineOptions & { outDir: string; graph?: CatalogInput["graph"] }): Promise<CatalogResult> {
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
    ...(options.graph ? { graph: options.graph } : {}),
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
