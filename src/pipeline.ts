/**
 * The pipeline: the architecture in one place (DESIGN §6).
 *
 *   discover (glob, read)  →  parse (JSON with positions)  →  validate (meta-schema, house rules,
 *   ajv compile, examples)  →  versions (names, chains, collisions)  →  generate (types,
 *   validators, index, events.json)  →  emit (atomic write)
 *
 * After versions, the version chain (chain.ts) classifies each vN → vN+1 with the compatibility
 * engine (compat/), for events.json and for a warning when a new version was not needed.
 *
 * Every stage reports diagnostics instead of throwing; all of them are gathered so that one run
 * shows every problem. Nothing is generated, and nothing written, when any error was found.
 */

import type { AjvSet } from "./ajv.js";
import { type ChainVerdict, chain } from "./chain.js";
import { type Diagnostic, hasErrors, sortDiagnostics } from "./diagnostics.js";
import { discover } from "./discover.js";
import { emit } from "./emit.js";
import { Bundle } from "./generate/bundle.js";
import { eventEntries, type GeneratedFiles, generate } from "./generate/index.js";
import type { EventTree, ParsedFile } from "./model.js";
import { parse } from "./parse.js";
import { validate } from "./validate.js";
import { versions } from "./versions.js";

/** Where the events are, and what paths in diagnostics are relative to. */
export interface PipelineOptions {
  /** The events folder (default `events`). */
  eventsDir?: string;
  /** Folder that diagnostics' paths are relative to (default: process.cwd()). */
  cwd?: string;
}

/** What check gives: every diagnostic, and the tree when there was no error. */
export interface CheckResult {
  ok: boolean;
  diagnostics: Diagnostic[];
  tree?: EventTree;
  ajv?: AjvSet;
  /** The compatibility of each version with the one before it. */
  chain?: Map<string, ChainVerdict>;
  /** The tree bundled (every schema under one root's `$defs`): made once, for the chain and generate. */
  bundle?: Bundle;
}

/** Validates the whole events tree; writes nothing. */
export async function check(options: PipelineOptions = {}): Promise<CheckResult> {
  const found = await discover({ eventsDir: options.eventsDir ?? "events", cwd: options.cwd });
  const parsed = parse(found.value);
  const validated = validate(
    parsed.value,
    found.value.map((f) => f.rel),
  );
  const versioned = versions(found.value, validated.value.schemas);
  const diagnostics = sortDiagnostics([...found.diagnostics, ...parsed.diagnostics, ...validated.diagnostics, ...versioned.diagnostics]);
  if (hasErrors(diagnostics)) return { ok: false, diagnostics };
  const shared = [...validated.value.schemas.values()].map((s) => s.file).filter((f): f is ParsedFile => f.kind.kind === "shared");
  const sources = new Map(validated.value.systems.map((s) => [s.system, s.source]));
  const events = versioned.value.map((e) => (sources.has(e.system) ? { ...e, sourcePin: sources.get(e.system) } : e));
  const tree: EventTree = { events, shared, systems: validated.value.systems };
  const files = new Map(tree.events.map((e) => [e.type, e.source.file]));
  const bundle = new Bundle(tree.events, tree.shared);
  const chained = chain(eventEntries(tree, bundle), (type) => files.get(type) ?? type);
  return {
    ok: true,
    diagnostics: sortDiagnostics([...diagnostics, ...chained.diagnostics]),
    tree,
    ajv: validated.value.ajv,
    chain: chained.value,
    bundle,
  };
}

/** What build gives: the check's diagnostics plus generation's, and the files when all went well. */
export interface BuildResult {
  ok: boolean;
  diagnostics: Diagnostic[];
  files?: GeneratedFiles;
}

/** Checks, generates and, with `outDir`, writes the module. On any error writes nothing. */
export async function build(options: PipelineOptions & { outDir?: string } = {}): Promise<BuildResult> {
  const checked = await check(options);
  if (!checked.ok || !checked.tree || !checked.ajv) return { ok: false, diagnostics: checked.diagnostics };
  const generated = await generate(checked.tree, checked.ajv, checked.chain, checked.bundle);
  const diagnostics = sortDiagnostics([...checked.diagnostics, ...generated.diagnostics]);
  if (hasErrors(diagnostics)) return { ok: false, diagnostics };
  if (options.outDir !== undefined) await emit(options.outDir, generated.value);
  return { ok: true, diagnostics, files: generated.value };
}
