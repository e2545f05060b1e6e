/**
 * validate: checks every schema file against its dialect's meta-schema and the house rules, then
 * compiles the event schemas with ajv (strict) and checks their examples against them.
 *
 * Rules that look inside a schema are table entries: a code and a check over one subschema.
 * Nothing is compiled for a file that already has an error, nor for a file that refers to one.
 */

import type { Ajv, ErrorObject } from "ajv";
import { dialectOfUri, expectedEditorSchemaRef, withCanonicalDialect } from "../authoring/editor-schema.js";
import { closeTo, compileFix, exampleSkeleton, metaFix, patternFix, relativeRef, sentenceCase, valueFix } from "../diagnostics/hints.js";
import { type Code, type Diagnostic, diagnostic, joinPointer, type StageResult } from "../diagnostics/index.js";
import { kebab } from "../model/names.js";
import type { Dialect, ParsedFile, SystemInfo } from "../model/tree.js";
import { type AjvSet, ALLOWED_FORMATS, createAjvSet } from "../schema/ajv.js";
import { LIMITS } from "../schema/limits.js";
import { PATTERN_LIMITS, type PatternVerdict, patternVerdict } from "../schema/redos.js";
import { findDeepSchemas, findRefCycles } from "../schema/ref-cycles.js";
import { atPointer, dataOnPath, idOf, resolveRef } from "../schema/refs.js";
import { ALLOW_UNPROVEN_PATTERNS, isObject, KNOWN_KEYWORDS, mapSchema, type SchemaVisit, TS_KEYWORDS, walkSchema } from "../schema/walk.js";

/** A schema file that passed every check, with its dialect. */
export interface ValidSchema {
  file: ParsedFile;
  dialect: Dialect;
}

/** What validate hands on: the schemas that passed (events and shared, to be compiled), the systems. */
export interface ValidatedTree {
  schemas: Map<string, ValidSchema>;
  systems: SystemInfo[];
}

let meta: AjvSet | undefined;
/** The instances that check schemas against their meta-schemas: made once per process. */
function metaAjv(): AjvSet {
  meta ??= createAjvSet();
  return meta;
}

type Report = (code: Code, pointer: string, message: string, hint: string, severity?: "error" | "warning") => void;

/** A house rule over one subschema. */
interface SubschemaRule {
  code: Code;
  check(visit: SchemaVisit, ctx: RuleContext): void;
}

interface RuleContext {
  dialect: Dialect;
  file: ParsedFile;
  files: ReadonlyMap<string, ParsedFile>;
  /** Files that exist in the tree but did not parse. */
  unparsed: ReadonlySet<string>;
  report: Report;
}

const FORMATS: ReadonlySet<string> = new Set(ALLOWED_FORMATS);

/** The rules applied to every subschema of every schema file. */
const SUBSCHEMA_RULES: readonly SubschemaRule[] = [
  {
    code: "SCHEMA_ID",
    check({ schema, pointer }, { report }) {
      if (pointer === "") return;
      // An embedded $id or $schema changes how everything below it resolves, and lands in generated code.
      if ("$id" in schema) {
        report(
          "SCHEMA_ID",
          joinPointer(pointer, "$id"),
          "a subschema must not have its own $id",
          "remove it: ids are derived from file paths",
        );
      }
      if ("$schema" in schema) {
        report(
          "SCHEMA_DIALECT",
          joinPointer(pointer, "$schema"),
          "$schema belongs at the top of the file only",
          'remove "$schema" here: the dialect is set once, at the top of the file',
        );
      }
    },
  },
  {
    code: "SCHEMA_CONTENT_MODEL",
    check({ schema, pointer }, { report }) {
      const types = Array.isArray(schema.type) ? schema.type : [schema.type];
      const isObjectSchema = types.includes("object") || (schema.type === undefined && isObject(schema.properties));
      if (!isObjectSchema || "additionalProperties" in schema || "unevaluatedProperties" in schema) return;
      report(
        "SCHEMA_CONTENT_MODEL",
        pointer,
        "this object does not say whether properties beyond those it lists are allowed",
        'add "additionalProperties": false (closed: the usual choice for events) or true (open); it decides which changes are compatible',
      );
    },
  },
  {
    code: "SCHEMA_TS_KEYWORD",
    check({ schema, pointer }, { report }) {
      for (const k of Object.keys(schema)) {
        if (TS_KEYWORDS.has(k)) {
          report(
            "SCHEMA_TS_KEYWORD",
            joinPointer(pointer, k),
            `"${k}" would paste raw TypeScript into the generated types`,
            `remove "${k}" and say the type with JSON Schema keywords, e.g. "type": "string", "format": "date-time"`,
          );
        }
      }
    },
  },
  {
    code: "SCHEMA_UNKNOWN_KEYWORD",
    check({ schema, pointer }, { dialect, report }) {
      for (const k of Object.keys(schema)) {
        if (TS_KEYWORDS.has(k) || KNOWN_KEYWORDS[dialect].has(k)) continue;
        const near = [...KNOWN_KEYWORDS[dialect]].find((known) => closeTo(k, known));
        report(
          "SCHEMA_UNKNOWN_KEYWORD",
          joinPointer(pointer, k),
          `"${k}" is not a ${dialect} keyword`,
          near ? `rename it to "${near}"` : 'remove it, or put notes in "$comment" or "description"',
        );
      }
    },
  },
  {
    code: "SCHEMA_FORMAT",
    check({ schema, pointer }, { report }) {
      const f = schema.format;
      if (typeof f === "string" && !FORMATS.has(f)) {
        report(
          "SCHEMA_FORMAT",
          joinPointer(pointer, "format"),
          `format "${f}" is not supported`,
          `use one of the formats ${ALLOWED_FORMATS.join(", ")}; or drop "format" and write a "pattern", e.g. "pattern": "^[0-9]+$"`,
        );
      }
    },
  },
  {
    code: "SCHEMA_PATTERN",
    check(visit, { report }) {
      checkPatterns(visit, report);
    },
  },
  {
    code: "SCHEMA_REQUIRED_UNDEFINED",
    check({ schema, pointer }, { report }) {
      const { required, properties, patternProperties } = schema;
      if (!Array.isArray(required) || !isObject(properties)) return;
      const patterns = isObject(patternProperties) ? Object.keys(patternProperties) : [];
      required.forEach((name, i) => {
        if (typeof name !== "string" || Object.hasOwn(properties, name)) return;
        if (patterns.some((p) => safeTest(p, name))) return;
        const near = Object.keys(properties).find((p) => closeTo(name, p));
        report(
          "SCHEMA_REQUIRED_UNDEFINED",
          joinPointer(pointer, "required", i),
          `required property "${name}" is not defined in properties`,
          near
            ? `did you mean "${near}"? write it in "required" exactly as under "properties"`
            : `add "${name}": { "type": … } under "properties", or remove "${name}" from "required"`,
        );
      });
    },
  },
  {
    code: "SCHEMA_DEPRECATED",
    check({ schema, pointer }, { report }) {
      if ("deprecated" in schema && typeof schema.deprecated !== "boolean") {
        report(
          "SCHEMA_DEPRECATED",
          joinPointer(pointer, "deprecated"),
          "deprecated must be true or false",
          'write "deprecated": true (or false) without quotes',
        );
      }
    },
  },
  {
    code: "SCHEMA_REF_MISSING",
    check({ schema, pointer }, { file, files, unparsed, report }) {
      for (const keyword of ["$ref", "$dynamicRef"]) {
        const ref = schema[keyword];
        if (typeof ref !== "string") continue;
        const at = joinPointer(pointer, keyword);
        const target = resolveRef(file.rel, ref);
        switch (target.kind) {
          case "remote":
            report("SCHEMA_REF_REMOTE", at, `"${ref}" is a URL or an absolute path`, remoteRefHint(file.rel, ref));
            break;
          case "outside":
            report(
              "SCHEMA_REF_OUTSIDE",
              at,
              `"${ref}" leaves the events tree`,
              `copy that schema into the events folder, e.g. as _shared/${refBaseName(ref)}, and refer to it as "${relativeRef(file.rel, `_shared/${refBaseName(ref)}`)}"`,
            );
            break;
          case "malformed":
            report(
              "SCHEMA_REF_MISSING",
              at,
              `"${ref}" is not a path followed by # and a JSON pointer`,
              'write the fragment as a JSON pointer, e.g. "#/$defs/lineItem"',
            );
            break;
          case "local":
            if (atPointer(file.json, target.pointer) === undefined) {
              report(
                "SCHEMA_REF_MISSING",
                at,
                `"${ref}" points at nothing in this file`,
                missingPointerHint(file.json, target.pointer, "#"),
              );
            } else reportRefIntoData(report, at, ref, file.json, target.pointer, "#");
            break;
          case "file": {
            const other = files.get(target.rel);
            // A file that exists but did not parse has its own finding; do not add a second one here.
            if (!other && unparsed.has(target.rel)) break;
            if (!other || other.kind.kind === "system") {
              report(
                "SCHEMA_REF_MISSING",
                at,
                `"${ref}" names no schema file (${target.rel})`,
                missingFileHint(file.rel, target.rel, files),
              );
            } else if (other.kind.kind === "event" && other.rel !== file.rel) {
              // Named after the definition, or after the event's first word: a shared file named like the event would take its type name.
              const shared = `_shared/${kebab(target.pointer.split("/").at(-1) || (target.rel.split("/").at(-1) ?? "").split(/[-.]/)[0] || "") || "common"}.json`;
              report(
                "SCHEMA_REF_TO_EVENT",
                at,
                `"${ref}" points into another event (${target.rel})`,
                `move what both events share to ${shared} and refer to it from both, here as "${relativeRef(file.rel, shared)}"`,
              );
            } else if (atPointer(other.json, target.pointer) === undefined) {
              report(
                "SCHEMA_REF_MISSING",
                at,
                `"${ref}" points at nothing in ${target.rel}`,
                missingPointerHint(other.json, target.pointer, `${ref.slice(0, ref.indexOf("#") === -1 ? ref.length : ref.indexOf("#"))}#`),
              );
            } else reportRefIntoData(report, at, ref, other.json, target.pointer, `${ref.slice(0, ref.indexOf("#"))}#`);
          }
        }
      }
    },
  },
];

/**
 * A reference whose pointer passes through data (an example, a `default`, a `const`, a `properties`
 * map itself) rather than from schema to subschema: every tool that follows it would read data as a
 * schema, and json-schema-to-typescript is given no data at all.
 */
function reportRefIntoData(report: Report, at: string, ref: string, json: Record<string, unknown>, pointer: string, prefix: string): void {
  const keyword = dataOnPath(json, pointer);
  if (keyword === undefined) return;
  report(
    "SCHEMA_REF_MISSING",
    at,
    `"${ref}" points into data ("${keyword}"), not at a schema`,
    `point at a schema: move the schema under "$defs" and refer to it as "${prefix}/$defs/<name>"${hintDefs(json, prefix)}`,
  );
}

/** The definitions that exist, as a tail for a hint. */
function hintDefs(json: Record<string, unknown>, prefix: string): string {
  const defs = definitionsOf(json);
  return defs.length > 0 ? ` (defined here: ${defs.map((d) => `"${prefix}${d}"`).join(", ")})` : "";
}

/** Rules for the top level of an event file. */
function eventRules(file: ParsedFile, report: Report): void {
  const { json } = file;
  if (typeof json.title !== "string" || json.title.trim() === "") {
    const name = file.kind.kind === "event" ? file.kind.stem.replace(/\.v[0-9]+$/, "") : "invoice-issued";
    report("SCHEMA_TITLE", "", "the event has no title", `add "title": "${sentenceCase(name)}" (a short human name)`);
  }
  if (typeof json.description !== "string" || json.description.trim() === "") {
    const system = file.kind.kind === "event" ? file.kind.system : "<system>";
    report(
      "SCHEMA_DESCRIPTION",
      "",
      "the event has no description",
      `add "description": "Emitted by ${system} when …": when the event is emitted, and what it means`,
    );
  }
  if (json.type !== "object") {
    report(
      "SCHEMA_NOT_OBJECT",
      "type" in json ? "/type" : "",
      'the event\'s data must be "type": "object"',
      "type" in json
        ? `set "type": "object" and put the value in a named property: "properties": { "value": { "type": ${JSON.stringify(json.type)} } }`
        : 'add "type": "object" and list the fields under "properties"',
    );
  }
  if (!Array.isArray(json.examples) || json.examples.length === 0) {
    report(
      "SCHEMA_EXAMPLES",
      "",
      "the event has no examples",
      `add "examples": [${exampleSkeleton(json)}] with realistic values: the build checks every example against the schema`,
      "warning",
    );
  }
}

/** Checks a system.json; returns its info when it is valid. */
function checkSystemFile(file: ParsedFile, report: Report): SystemInfo | undefined {
  const system = file.kind.kind === "system" ? file.kind.system : "";
  const fields = ["title", "description", "owner", "source"] as const;
  let ok = true;
  for (const f of fields) {
    if (typeof file.json[f] !== "string" || (file.json[f] as string).trim() === "") {
      report(
        "LAYOUT_SYSTEM_FILE",
        f in file.json ? `/${f}` : "",
        `system.json needs a non-empty string "${f}"`,
        `${f in file.json ? "write" : "add"} ${systemFieldExample(f, system)}; system.json holds "title", "description", "owner" and "source"`,
      );
      ok = false;
    }
  }
  for (const k of Object.keys(file.json)) {
    if (!(fields as readonly string[]).includes(k) && k !== "$schema") {
      report(
        "LAYOUT_SYSTEM_FILE",
        joinPointer("", k),
        `system.json does not know "${k}"`,
        `remove it; the fields are ${fields.join(", ")}`,
      );
      ok = false;
    }
  }
  if (ok && /\s/.test(file.json.source as string)) {
    report(
      "LAYOUT_SYSTEM_FILE",
      "/source",
      "source must be a URI reference (no spaces)",
      `use a URI reference such as "/systems/${system}"`,
    );
    ok = false;
  }
  if (!ok) return undefined;
  const j = file.json as Record<(typeof fields)[number], string>;
  return { system, title: j.title, description: j.description, owner: j.owner, source: j.source };
}

/**
 * Validates all parsed files. `discovered` lists every file of the tree (events-relative paths),
 * so that a reference to a file that exists but did not parse is not reported a second time.
 */
/**
 * Files known to pass every per-file check (the build cache: by their content and the content of
 * the files they refer to); the checks are not run again for them.
 */
export interface ValidateMemo {
  clean(file: ParsedFile): boolean;
  markClean(file: ParsedFile): void;
}

export function validate(
  files: readonly ParsedFile[],
  discovered: readonly string[] = [],
  memo?: ValidateMemo,
): StageResult<ValidatedTree> {
  const diagnostics: Diagnostic[] = [];
  const byRel = new Map(files.map((f) => [f.rel, f]));
  const unparsed = new Set(discovered.filter((rel) => !byRel.has(rel)));
  const ajv = metaAjv();
  const systems: SystemInfo[] = [];
  const checked = new Map<string, ValidSchema>();
  const failed = new Set<string>();

  for (const file of files) {
    let errors = 0;
    const report: Report = (code, pointer, message, hint, severity = "error") => {
      if (severity === "error") errors++;
      diagnostics.push(diagnostic(severity, code, file.file, pointer, message, { hint, locate: file.locate }));
    };
    if (file.kind.kind === "system") {
      const info = checkSystemFile(file, report);
      if (info) systems.push(info);
      continue;
    }
    const dialect = dialectOf(file, report);
    if (!dialect) {
      failed.add(file.rel);
      continue;
    }
    if (memo?.clean(file)) {
      checked.set(file.rel, { file, dialect });
      continue;
    }
    const before = diagnostics.length;
    if ("$id" in file.json && file.json.$id !== idOf(file.rel)) {
      report(
        "SCHEMA_ID",
        "/$id",
        `$id must be derived from the path (${idOf(file.rel)})`,
        "remove $id: the build derives it from the file's path",
      );
    }
    const ctx: RuleContext = { dialect, file, files: byRel, unparsed, report };
    walkSchema(file.json, (visit) => {
      for (const rule of SUBSCHEMA_RULES) rule.check(visit, ctx);
    });
    if (file.kind.kind === "event") eventRules(file, report);
    if (errors === 0) metaCheck(ajv[dialect], file, report);
    if (errors > 0) failed.add(file.rel);
    else checked.set(file.rel, { file, dialect });
    if (diagnostics.length === before) memo?.markClean(file);
  }

  for (const cycle of findRefCycles(new Map([...byRel].filter(([rel]) => checked.has(rel))))) {
    const file = byRel.get(cycle.rel) as ParsedFile;
    diagnostics.push(
      diagnostic(
        "error",
        "SCHEMA_REF_CYCLE",
        file.file,
        cycle.pointer,
        "this reference is part of a cycle that never reaches into the data",
        {
          hint: cycleHint(cycle.pointer),
          locate: file.locate,
        },
      ),
    );
    checked.delete(cycle.rel);
    failed.add(cycle.rel);
  }

  for (const deep of findDeepSchemas(new Map([...byRel].filter(([rel]) => checked.has(rel))), LIMITS.schemaDepth)) {
    const file = byRel.get(deep.rel) as ParsedFile;
    diagnostics.push(
      diagnostic(
        "error",
        "SCHEMA_REF_DEPTH",
        file.file,
        deep.pointer,
        deep.cycle
          ? `this reference closes a cycle of ${deep.depth} nested schemas (at most ${LIMITS.schemaDepth}, counted through references)`
          : `schemas nest ${deep.depth} deep from here, counted through references (at most ${LIMITS.schemaDepth})`,
        { hint: depthHint(deep.pointer), locate: file.locate },
      ),
    );
    checked.delete(deep.rel);
    failed.add(deep.rel);
  }

  // A schema is usable when it and everything it refers to (transitively) passed: worked out from
  // the unusable ones backwards, without recursion (a chain of references may be long).
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
  return { value: { schemas, systems }, diagnostics };
}

function dialectOf(file: ParsedFile, report: Report): Dialect | undefined {
  const uri = file.json.$schema;
  if (uri === undefined) return "2020-12";
  // Own keys only ("constructor" names no dialect), or the alias of the house meta-schema (editor-schema.ts).
  const dialect = typeof uri === "string" ? dialectOfUri(uri, file.rel) : undefined;
  if (!dialect) {
    const alias = expectedEditorSchemaRef(uri, file.rel);
    report(
      "SCHEMA_DIALECT",
      "/$schema",
      `unsupported $schema ${JSON.stringify(uri)}`,
      alias
        ? `write "${alias}": the house meta-schema is named by its path from this file`
        : 'use "https://json-schema.org/draft/2020-12/schema" (or draft-07), or leave $schema out for 2020-12',
    );
  }
  return dialect;
}

function metaCheck(ajv: Ajv, file: ParsedFile, report: Report): void {
  const ok = ajv.validateSchema(schemaForAjv(file)) as boolean;
  if (ok) return;
  // One finding per place: the meta-schema's alternatives (anyOf) would repeat it.
  const seen = new Set<string>();
  for (const e of ajv.errors ?? []) {
    if (seen.has(e.instancePath)) continue;
    seen.add(e.instancePath);
    report("SCHEMA_META", e.instancePath, `${e.message ?? "invalid"}${describeParams(e)}`, metaFix(e));
  }
}

/** The diagnostics of a unit's compilation (compile/compile.ts): ajv's refusal, or invalid examples. */
export function compileDiagnostics(
  file: ParsedFile,
  output: { compileError?: string; invalidExamples: { index: number; errors: ErrorObject[] }[] },
): Diagnostic[] {
  const out: Diagnostic[] = [];
  const report = (code: Code, pointer: string, message: string, hint: string) =>
    out.push(diagnostic("error", code, file.file, pointer, message, { hint, locate: file.locate }));
  if (output.compileError !== undefined) {
    report("SCHEMA_COMPILE", "", `ajv could not compile the schema: ${output.compileError}`, compileFix(output.compileError));
  }
  for (const { index, errors } of output.invalidExamples) {
    for (const e of dedupeErrors(errors)) {
      // An unknown property is pointed at by its own key, not by the object that holds it.
      const extra =
        e.keyword === "additionalProperties"
          ? joinPointer("", String((e.params as { additionalProperty: string }).additionalProperty))
          : "";
      report(
        "SCHEMA_EXAMPLE_INVALID",
        joinPointer("/examples", index) + e.instancePath + extra,
        `example ${index}${e.instancePath}: ${e.message ?? "invalid"}${describeParams(e)}`,
        `${valueFix(e, allowedProperties(file.json, e))}; or fix the schema, if the example is right`,
      );
    }
  }
  return out;
}

const referenced = new WeakMap<object, string[]>();

/** The schema files (events-relative paths) that a file refers to (worked out once per parsed file). */
export function referencedFiles(file: ParsedFile): string[] {
  const known = referenced.get(file.json);
  if (known) return known;
  const out = new Set<string>();
  walkSchema(file.json, ({ schema }) => {
    for (const keyword of ["$ref", "$dynamicRef"]) {
      const ref = schema[keyword];
      if (typeof ref !== "string") continue;
      const t = resolveRef(file.rel, ref);
      if (t.kind === "file" && t.rel !== file.rel) out.add(t.rel);
    }
  });
  const sorted = [...out].sort();
  referenced.set(file.json, sorted);
  return sorted;
}

/** Keywords that do not change what validates; the house's allowances of patterns are notes for the build only. */
const ANNOTATIONS = ["title", "description", "examples", "$comment", ALLOW_UNPROVEN_PATTERNS];

/** The schema as ajv compiles it: annotations do not change what validates, and stay out of the code. */
export function stripAnnotations(schema: unknown): unknown {
  return mapSchema(schema, (sub) => {
    const out = { ...sub };
    for (const k of ANNOTATIONS) delete out[k];
    return out;
  });
}

/**
 * A file's schema as ajv reads it: its derived `$id`, and an editor alias `$schema` (editor-schema.ts)
 * as the canonical 2020-12 URI, since ajv looks a meta-schema up by its URI.
 */
export function schemaForAjv(file: ParsedFile): Record<string, unknown> {
  return { ...withCanonicalDialect(file.json, file.rel), $id: idOf(file.rel) };
}

function dedupeErrors(errors: readonly ErrorObject[]): ErrorObject[] {
  const seen = new Set<string>();
  return errors.filter((e) => {
    const key = `${e.instancePath} ${e.keyword} ${e.message}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

function describeParams(e: ErrorObject): string {
  const p = e.params as Record<string, unknown>;
  if (e.keyword === "additionalProperties") return ` ("${String(p.additionalProperty)}")`;
  if (e.keyword === "enum" && Array.isArray(p.allowedValues)) return `: ${p.allowedValues.map((v) => JSON.stringify(v)).join(", ")}`;
  return "";
}

// ---------------------------------------------------------------------------------------------
// Patterns: valid with the u flag, and proven safe from catastrophic backtracking (redos.ts), or
// allowed by the author, exactly and with a reason, where the analyser can neither prove nor refute.

/** A pattern of a subschema: its `pattern`, or a key of its `patternProperties`, with what bounds its input. */
interface PatternSite {
  /** The pattern's pointer, and its subschema's. */
  at: string;
  schemaAt: string;
  pattern: unknown;
  /** The `maxLength` that bounds the strings it is run on, and where that bound belongs. */
  bound: unknown;
  boundHint: string;
}

/** The patterns of one subschema. */
function patternSites({ schema, pointer }: SchemaVisit): PatternSite[] {
  const sites: PatternSite[] = [
    {
      at: joinPointer(pointer, "pattern"),
      schemaAt: pointer,
      pattern: schema.pattern,
      bound: schema.maxLength,
      boundHint: '"maxLength": …',
    },
  ];
  if (isObject(schema.patternProperties)) {
    const names = isObject(schema.propertyNames) ? schema.propertyNames.maxLength : undefined;
    for (const p of Object.keys(schema.patternProperties)) {
      sites.push({
        at: joinPointer(pointer, "patternProperties", p),
        schemaAt: pointer,
        pattern: p,
        bound: names,
        boundHint: '"propertyNames": { "maxLength": … }',
      });
    }
  }
  return sites;
}

/** SCHEMA_PATTERN, SCHEMA_PATTERN_UNSAFE and SCHEMA_PATTERN_UNPROVEN over one subschema. */
function checkPatterns(visit: SchemaVisit, report: Report): void {
  const allowed = allowances(visit, report);
  const used = new Set<string>();
  for (const site of patternSites(visit)) {
    const p = site.pattern;
    if (typeof p !== "string") continue;
    try {
      new RegExp(p, "u");
    } catch (e) {
      report("SCHEMA_PATTERN", site.at, `invalid regular expression: ${(e as Error).message}`, patternFix((e as Error).message));
      continue;
    }
    if (allowed.has(p)) used.add(p);
    judgePattern({ ...site, pattern: p }, patternVerdict(p), allowed.has(p), report);
  }
  for (const p of allowed.keys()) {
    if (used.has(p)) continue;
    report(
      "SCHEMA_PATTERN_UNPROVEN",
      joinPointer(visit.pointer, ALLOW_UNPROVEN_PATTERNS, p),
      "this allowance names no pattern of this schema",
      'write the pattern exactly as it is in "pattern" or as a key of "patternProperties" of this same schema, or remove the allowance',
    );
  }
}

/** The findings for one valid pattern, given the analyser's verdict and whether the author allows it. */
function judgePattern(site: PatternSite & { pattern: string }, verdict: PatternVerdict, allowed: boolean, report: Report): void {
  const { at } = site;
  if (verdict.status === "vulnerable") {
    report(
      "SCHEMA_PATTERN_UNSAFE",
      at,
      `the pattern backtracks catastrophically (${verdict.complexity})${verdict.attack ? ` on input such as ${verdict.attack}` : ""}${allowed ? `: no allowance in "${ALLOW_UNPROVEN_PATTERNS}" covers a pattern with a known attack` : ""}`,
      "rewrite it without nested or overlapping repetition, e.g. ^[a-z]+(-[a-z]+)*$ instead of ^([a-z]+-?)*$; a counted repeat of a group such as (a|b){1,10} counts as unbounded",
    );
  } else if (verdict.status === "safe") {
    if (allowed) {
      report(
        "SCHEMA_PATTERN_UNPROVEN",
        joinPointer(site.schemaAt, ALLOW_UNPROVEN_PATTERNS, site.pattern),
        "the analyser proves this pattern safe: its allowance is not needed",
        `remove the pattern from "${ALLOW_UNPROVEN_PATTERNS}" (and "${ALLOW_UNPROVEN_PATTERNS}" itself when it is empty)`,
        "warning",
      );
    }
  } else if (!allowed) {
    report(
      "SCHEMA_PATTERN_UNPROVEN",
      at,
      `the ReDoS analyser cannot prove the pattern safe (${verdict.reason})`,
      `rewrite it without back-references and lookarounds (spell out what they stand for); or, if it must stay, allow exactly this pattern in the same schema, "${ALLOW_UNPROVEN_PATTERNS}": { ${JSON.stringify(site.pattern)}: "why it is needed and why it is safe" }, and bound its input with ${site.boundHint.replace("…", String(PATTERN_LIMITS.unprovenLength))} (or less)`,
    );
  } else if (verdict.searched !== true) {
    report(
      "SCHEMA_PATTERN_UNPROVEN",
      at,
      `the ReDoS analyser could not finish its search for an attack (${verdict.reason}): an allowance needs a finished search`,
      "simplify the pattern until the analyser proves it safe or finishes its search: fewer alternatives, smaller counted repeats",
    );
  } else if (!boundedLength(site.bound)) {
    report(
      "SCHEMA_PATTERN_UNPROVEN",
      at,
      `an allowed unproven pattern needs its input bounded to at most ${PATTERN_LIMITS.unprovenLength} characters`,
      `add ${site.boundHint.replace("…", String(PATTERN_LIMITS.unprovenLength))} (or less) beside it: the validators check the length before they run the pattern`,
    );
  }
}

/** A `maxLength` within the house bound for unproven patterns. */
function boundedLength(value: unknown): boolean {
  return Number.isInteger(value) && (value as number) >= 0 && (value as number) <= PATTERN_LIMITS.unprovenLength;
}

/**
 * The patterns a subschema allows although the analyser cannot prove them safe: its
 * `allowUnprovenPatterns`, a map from the exact pattern to the reason it is needed. A value of
 * another shape allows nothing, and is a finding.
 */
function allowances({ schema, pointer }: SchemaVisit, report: Report): Map<string, string> {
  const out = new Map<string, string>();
  if (!(ALLOW_UNPROVEN_PATTERNS in schema)) return out;
  const value = schema[ALLOW_UNPROVEN_PATTERNS];
  const at = joinPointer(pointer, ALLOW_UNPROVEN_PATTERNS);
  const example = `"${ALLOW_UNPROVEN_PATTERNS}": { "<the pattern, exactly as written>": "why it is needed and why it is safe" }`;
  if (!isObject(value)) {
    report("SCHEMA_PATTERN_UNPROVEN", at, `"${ALLOW_UNPROVEN_PATTERNS}" must be an object`, `write ${example}`);
    return out;
  }
  for (const [pattern, reason] of Object.entries(value)) {
    if (typeof reason === "string" && reason.trim() !== "") out.set(pattern, reason);
    else {
      report(
        "SCHEMA_PATTERN_UNPROVEN",
        joinPointer(at, pattern),
        "an allowance must state its reason",
        `write the reason as a sentence: ${example}`,
      );
    }
  }
  return out;
}

function safeTest(pattern: string, value: string): boolean {
  // The build never runs a pattern that could backtrack for long.
  if (patternVerdict(pattern).status !== "safe") return false;
  try {
    return new RegExp(pattern, "u").test(value);
  } catch {
    return false;
  }
}

// ---------------------------------------------------------------------------------------------
// Hints that depend on the tree: the path to write instead, the definitions that exist.

/** A reference cycle: recurse through a property of the definition instead, as a tree of nodes does. */
function cycleHint(pointer: string): string {
  const name = /^\/(?:\$defs|definitions)\/([^/]+)/.exec(pointer)?.[1] ?? "node";
  return `give "${name}" content and recurse through one of its properties, e.g. { "type": "object", "additionalProperties": false, "properties": { "parent": { "$ref": "#/$defs/${name}" } } }; or remove the reference`;
}

/** Schemas nested too deep through references: shorten the chain where it is reported. */
function depthHint(pointer: string): string {
  const at = pointer.endsWith("/$ref")
    ? "refer to the schema at the end of the chain directly instead of through this one"
    : "nest less here";
  return `${at}, or merge the files of the chain: a chain of references or of nested schemas may be at most ${LIMITS.schemaDepth} schemas deep`;
}

/** The last path segment of a reference, without query or fragment: the name to copy its schema under. */
function refBaseName(ref: string): string {
  const name = ref.split(/[?#]/)[0]?.split("/").filter(Boolean).at(-1) ?? "";
  return name.endsWith(".json") ? name : `${kebab(name) || "definition"}.json`;
}

/** An absolute path becomes the same path relative to this file; a URL's schema is copied under _shared/. */
function remoteRefHint(from: string, ref: string): string {
  const path = ref.split("#")[0] ?? "";
  if (path.startsWith("/") && !path.startsWith("//")) {
    return `write it relative to this file: "${relativeRef(from, path.slice(1))}${ref.slice(path.length)}"`;
  }
  const shared = `_shared/${refBaseName(ref)}`;
  return `copy that schema into the events folder as ${shared} and refer to it as "${relativeRef(from, shared)}": the build never fetches`;
}

/** The definitions a file has under $defs (or draft-07's definitions), as references. */
function definitionsOf(json: Record<string, unknown>): string[] {
  const out: string[] = [];
  for (const keyword of ["$defs", "definitions"]) {
    const defs = json[keyword];
    if (isObject(defs)) out.push(...Object.keys(defs).map((k) => joinPointer(`/${keyword}`, k)));
  }
  return out;
}

/** A pointer (after `prefix`, "#" or "../../_shared/money.json#") that finds nothing: the near or existing definitions. */
function missingPointerHint(json: Record<string, unknown>, pointer: string, prefix: string): string {
  const defs = definitionsOf(json);
  const name = pointer.split("/").at(-1) ?? "";
  const near = defs.find((d) => closeTo(d.split("/").at(-1) ?? "", name));
  if (near) return `did you mean "${prefix}${near}"?`;
  if (defs.length > 0) return `point at a definition that exists: ${defs.map((d) => `"${prefix}${d}"`).join(", ")}`;
  return `add the definition: "$defs": { "${name || "name"}": { … } }, and refer to it as "${prefix}/$defs/${name || "name"}"`;
}

/** A path that names no schema file: the nearest file by name, or how relative paths go from here. */
function missingFileHint(from: string, target: string, files: ReadonlyMap<string, ParsedFile>): string {
  const base = (rel: string) => rel.split("/").at(-1) ?? rel;
  const schemas = [...files.values()].filter((f) => f.kind.kind !== "system").map((f) => f.rel);
  const near = schemas.find((rel) => rel !== from && closeTo(base(rel).replace(/\.json$/, ""), base(target).replace(/\.json$/, "")));
  if (near) return `did you mean "${relativeRef(from, near)}"?`;
  if (base(target) === "system.json") return "system.json is not a schema: refer to a file under _shared/";
  const example = schemas.find((rel) => rel.startsWith("_")) ?? "_shared/money.json";
  return `paths are relative to this file (${from}): ${example} is "${relativeRef(from, example)}"`;
}

/** What to write for a field of system.json. */
function systemFieldExample(field: "title" | "description" | "owner" | "source", system: string): string {
  const examples = {
    title: sentenceCase(system),
    description: `What ${system} does, in a sentence`,
    owner: `team-${system}`,
    source: `/systems/${system}`,
  };
  return `"${field}": "${examples[field]}"`;
}

/** The properties an object allows, where an example failed additionalProperties in this file's own schema. */
function allowedProperties(json: Record<string, unknown>, e: ErrorObject): string[] {
  if (!e.schemaPath.startsWith("#/")) return [];
  const parent = atPointer(json, e.schemaPath.slice(1, e.schemaPath.lastIndexOf("/")));
  return isObject(parent) && isObject(parent.properties) ? Object.keys(parent.properties) : [];
}
