/**
 * validate: the schema stage. Checks every schema file against the house rules and its dialect's
 * meta-schema, and every system.json; hands on the schemas that passed, with the files they refer
 * to, for the compile stage (which compiles them with ajv, strict, and checks their examples).
 *
 * Each rule is one entry `{ code, scope, check }` for one code of the registry (rule.ts says what
 * each scope is given); `RULES` lists them all, and this module runs them:
 *
 *   system.json   the system rules (system.ts)
 *   schema file   one walk over its subschemas: the dialect rule, then the subschema rules
 *                 (dialect.ts, keywords.ts, patterns.ts, refs.ts); the event rules for an event
 *                 (event.ts); the meta-schema rule when nothing above found an error. A file whose
 *                 dialect is unknown gets the dialect rule on its top, and nothing else.
 *   the tree      the tree rules (refs.ts) over the files that passed: graph work over each file's
 *                 reference summary, kept in a Store by content (summaries.ts), so that after an
 *                 edit only the edited file is walked
 *
 * Nothing is compiled for a file that has an error, nor for a file that refers to one.
 */

import { type Code, type Diagnostic, diagnostic, type StageResult } from "../../diagnostics/index.js";
import type { Store } from "../../model/store.js";
import type { Dialect, ParsedFile, SystemInfo } from "../../model/tree.js";
import { dialectOfSchema } from "../../schema/dialects.js";
import { LIMITS } from "../../schema/limits.js";
import { walkSchema } from "../../schema/walk.js";
import { DIALECT_RULES } from "./dialect.js";
import { EVENT_RULES } from "./event.js";
import { KEYWORD_RULES } from "./keywords.js";
import { PATTERN_RULES } from "./patterns.js";
import { REF_RULES, referencedFiles } from "./refs.js";
import type { DialectRule, FileContext, FileRule, MetaRule, Report, SchemaRule, SubschemaRule, TreeRule } from "./rule.js";
import { loadRefSummaries } from "./summaries.js";
import { SYSTEM_RULES, systemInfo } from "./system.js";

export { compileDiagnostics, schemaForAjv, stripAnnotations } from "./compiled.js";
export { patternsOf } from "./patterns.js";
export { referencedFiles } from "./refs.js";
export type { SchemaRule } from "./rule.js";

/** Every rule of the schema stage, one entry per code. */
export const RULES: readonly SchemaRule[] = [
  ...SYSTEM_RULES,
  ...DIALECT_RULES,
  ...KEYWORD_RULES,
  ...PATTERN_RULES,
  ...REF_RULES,
  ...EVENT_RULES,
];

const inScope = <R extends SchemaRule>(scope: R["scope"]) => RULES.filter((r): r is R => r.scope === scope);
const SYSTEM = inScope<FileRule>("system");
const DIALECT = inScope<DialectRule>("dialect");
const SUBSCHEMA = inScope<SubschemaRule>("subschema");
const EVENT = inScope<FileRule>("event");
const META = inScope<MetaRule>("meta");
const TREE = inScope<TreeRule>("tree");

/** A schema file that passed every check, with its dialect and whether it says it is deprecated. */
export interface ValidSchema extends SchemaFacts {
  file: ParsedFile;
}

/** What the later stages need of a schema file besides its JSON (kept with a clean file's memo: its JSON is then not read). */
export interface SchemaFacts {
  dialect: Dialect;
  /** `"deprecated": true` at the file's root. */
  deprecated: boolean;
  /** The file's title (empty without one): the runtime list shows it. */
  title: string;
  /** The file's definitions, in its order: `$defs` then `definitions`, each [container, key] (generate/bundle.ts names them). */
  definitions: DefinitionKey[];
}

/** A definition of a schema file: its container and key. */
export type DefinitionKey = ["$defs" | "definitions", string];

/** The facts of a schema file, from its JSON. */
function factsOf(json: Record<string, unknown>, dialect: Dialect): SchemaFacts {
  return { dialect, deprecated: json.deprecated === true, title: String(json.title ?? ""), definitions: definitionKeys(json) };
}

/** A schema's definitions, in its order: `$defs` then `definitions`. */
export function definitionKeys(json: Record<string, unknown>): DefinitionKey[] {
  const keys: DefinitionKey[] = [];
  for (const container of ["$defs", "definitions"] as const) {
    const defs = json[container];
    if (typeof defs === "object" && defs !== null) for (const key of Object.keys(defs)) keys.push([container, key]);
  }
  return keys;
}

/** What validate hands on: the schemas that passed (events and shared, to be compiled), the systems. */
export interface ValidatedTree {
  schemas: Map<string, ValidSchema>;
  systems: SystemInfo[];
}

/**
 * Files known to pass every per-file check (the build cache: by their content and the content of
 * the files they refer to); the checks are not run again for them.
 */
export interface ValidateMemo {
  /** The file's facts when it is known clean (so that a clean file's JSON need not be read at all). */
  clean(file: ParsedFile): SchemaFacts | undefined;
  markClean(file: ParsedFile, facts: SchemaFacts): void;
}

/** For tests (test/rules.test.ts): told, for every finding, the code of the rule entry that made it. */
export type RuleTrace = (rule: Code, finding: Diagnostic) => void;

/**
 * Validates all parsed files. `discovered` lists every file of the tree (events-relative paths),
 * so that a reference to a file that exists but did not parse is not reported a second time.
 * `store` keeps the files' reference summaries across runs (summaries.ts); the findings are the
 * same with it and without.
 */
export function validate(
  files: readonly ParsedFile[],
  discovered: readonly string[] = [],
  memo?: ValidateMemo,
  trace?: RuleTrace,
  store?: Store,
): StageResult<ValidatedTree> {
  const diagnostics: Diagnostic[] = [];
  const byRel = new Map(files.map((f) => [f.rel, f]));
  const unparsed = new Set(discovered.filter((rel) => !byRel.has(rel)));
  const systems: SystemInfo[] = [];
  const checked = new Map<string, ValidSchema>();
  const failed = new Set<string>();

  for (const file of files) {
    let errors = 0;
    /** A report bound to one rule's code and to this file: a rule cannot emit another code. */
    const reporter =
      (rule: SchemaRule): Report =>
      (pointer, message, hint, options) => {
        const d = diagnostic(rule.code, file.file, pointer, message, { hint, locate: file.locate, warning: options?.warning });
        if (d.severity === "error") errors++;
        diagnostics.push(d);
        trace?.(rule.code, d);
      };
    if (file.kind.kind === "system") {
      for (const rule of SYSTEM) rule.check(file, reporter(rule));
      if (errors === 0) systems.push(systemInfo(file));
      continue;
    }
    // A file known clean has no finding of any rule, the dialect rule's included.
    const known = memo?.clean(file);
    if (known) {
      checked.set(file.rel, { file, ...known });
      continue;
    }
    const dialect = dialectOfSchema(file.json, file.rel);
    const before = diagnostics.length;
    const dialectRules = DIALECT.map((rule) => ({ rule, report: reporter(rule) }));
    if (!dialect) {
      for (const { rule, report } of dialectRules) rule.check({ schema: file.json, pointer: "" }, file, report);
      failed.add(file.rel);
      continue;
    }
    const ctx: FileContext = { dialect, file, files: byRel, unparsed };
    const subschemaRules = SUBSCHEMA.map((rule) => ({ rule, report: reporter(rule) }));
    walkSchema(file.json, (visit) => {
      for (const { rule, report } of dialectRules) rule.check(visit, file, report);
      for (const { rule, report } of subschemaRules) rule.check(visit, ctx, report);
    });
    if (file.kind.kind === "event") for (const rule of EVENT) rule.check(file, reporter(rule));
    if (errors === 0) for (const rule of META) rule.check(ctx, reporter(rule));
    const facts = factsOf(file.json, dialect);
    if (errors > 0) failed.add(file.rel);
    else checked.set(file.rel, { file, ...facts });
    if (diagnostics.length === before) memo?.markClean(file, facts);
  }

  // The tree rules and `usable` read each file's reference summary: kept by the store, or one walk.
  const summaries = loadRefSummaries(
    [...checked.values()].map((s) => s.file),
    store,
  );
  // The tree rules' outcome depends only on the summaries: a tree found clean is clean again.
  const clean = summaries === undefined ? undefined : [TREE_CLEAN, TREE.map((r) => r.code), LIMITS, summaries];
  if (clean && store?.get(clean, isTrue)) return { value: { schemas: usable(checked, failed), systems }, diagnostics };
  const before = diagnostics.length;
  for (const rule of TREE) {
    const passed = new Map([...byRel].filter(([rel]) => checked.has(rel)));
    rule.check(passed, (rel, pointer, message, hint) => {
      const file = byRel.get(rel) as ParsedFile;
      const d = diagnostic(rule.code, file.file, pointer, message, { hint, locate: file.locate });
      diagnostics.push(d);
      trace?.(rule.code, d);
      checked.delete(rel);
      failed.add(rel);
    });
  }
  if (clean && diagnostics.length === before) store?.set(clean, true);

  return { value: { schemas: usable(checked, failed), systems }, diagnostics };
}

/** The store's entry that says a tree of these summaries passes every tree rule. */
const TREE_CLEAN = "tree-rules-clean";

const isTrue = (v: unknown): v is true => v === true;

/**
 * The schemas that can be compiled: those that passed, and everything they refer to (transitively)
 * passed too. Worked out from the unusable ones backwards, without recursion (a chain of
 * references may be long).
 */
function usable(checked: ReadonlyMap<string, ValidSchema>, failed: ReadonlySet<string>): Map<string, ValidSchema> {
  const referrers = new Map<string, string[]>();
  for (const [rel, s] of checked) {
    for (const target of referencedFiles(s.file)) {
      const list = referrers.get(target) ?? [];
      list.push(rel);
      referrers.set(target, list);
    }
  }
  const unusable = new Set([...referrers.keys()].filter((rel) => failed.has(rel) || !checked.has(rel)));
  const queue = [...unusable];
  for (let rel = queue.pop(); rel !== undefined; rel = queue.pop()) {
    for (const from of referrers.get(rel) ?? []) {
      if (unusable.has(from)) continue;
      unusable.add(from);
      queue.push(from);
    }
  }
  const schemas = new Map<string, ValidSchema>();
  for (const [rel, s] of checked) if (!unusable.has(rel)) schemas.set(rel, s);
  return schemas;
}
