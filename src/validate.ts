/**
 * validate: checks every schema file against its dialect's meta-schema and the house rules, then
 * compiles the event schemas with ajv (strict) and checks their examples against them.
 *
 * Rules that look inside a schema are table entries: a code and a check over one subschema.
 * Nothing is compiled for a file that already has an error, nor for a file that refers to one.
 */

import type { Ajv, ErrorObject } from "ajv";
import { type AjvSet, ALLOWED_FORMATS, createAjvSet, DIALECT_URIS } from "./ajv.js";
import { type Code, type Diagnostic, diagnostic, joinPointer, type StageResult } from "./diagnostics.js";
import type { Dialect, ParsedFile, SystemInfo } from "./model.js";
import { patternVerdict } from "./redos.js";
import { findRefCycles } from "./ref-cycles.js";
import { atPointer, idOf, resolveRef } from "./refs.js";
import { isObject, KNOWN_KEYWORDS, mapSchema, type SchemaVisit, TS_KEYWORDS, walkSchema } from "./schema-walk.js";

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
          "remove it from the subschema",
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
            "remove it and describe the type with JSON Schema keywords",
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
          near ? `did you mean "${near}"?` : "remove it, or put notes in $comment or description",
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
          `use one of: ${ALLOWED_FORMATS.join(", ")}; or a pattern`,
        );
      }
    },
  },
  {
    code: "SCHEMA_PATTERN",
    check({ schema, pointer }, { report }) {
      const patterns: [string, unknown][] = [[joinPointer(pointer, "pattern"), schema.pattern]];
      if (isObject(schema.patternProperties)) {
        for (const p of Object.keys(schema.patternProperties)) patterns.push([joinPointer(pointer, "patternProperties", p), p]);
      }
      for (const [at, p] of patterns) {
        if (typeof p !== "string") continue;
        try {
          new RegExp(p, "u");
        } catch (e) {
          report(
            "SCHEMA_PATTERN",
            at,
            `invalid regular expression: ${(e as Error).message}`,
            "fix the pattern; it is compiled with the u (Unicode) flag",
          );
          continue;
        }
        const verdict = patternVerdict(p);
        if (verdict.status === "vulnerable") {
          report(
            "SCHEMA_PATTERN_UNSAFE",
            at,
            `the pattern backtracks catastrophically (${verdict.complexity})${verdict.attack ? ` on input such as ${verdict.attack}` : ""}`,
            "rewrite it without nested or overlapping repetition, e.g. ^[a-z]+(-[a-z]+)*$ instead of ^([a-z]+-?)*$",
          );
        } else if (verdict.status === "unknown") {
          report(
            "SCHEMA_PATTERN_UNSAFE",
            at,
            `the ReDoS analyser could not prove the pattern safe (${verdict.reason})`,
            "simplify the pattern so that it can be analysed",
            "warning",
          );
        }
      }
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
        report(
          "SCHEMA_REQUIRED_UNDEFINED",
          joinPointer(pointer, "required", i),
          `required property "${name}" is not defined in properties`,
          `define "${name}" in properties, or fix the spelling`,
        );
      });
    },
  },
  {
    code: "SCHEMA_DEPRECATED",
    check({ schema, pointer }, { report }) {
      if ("deprecated" in schema && typeof schema.deprecated !== "boolean") {
        report("SCHEMA_DEPRECATED", joinPointer(pointer, "deprecated"), "deprecated must be true or false", 'write "deprecated": true');
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
            report(
              "SCHEMA_REF_REMOTE",
              at,
              `"${ref}" is a URL or an absolute path`,
              "refer to a file of the events tree by a relative path, e.g. ../../_shared/money.json",
            );
            break;
          case "outside":
            report("SCHEMA_REF_OUTSIDE", at, `"${ref}" leaves the events tree`, "refer only to files inside the events folder");
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
                "fix the pointer or add the definition under $defs",
              );
            }
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
                "fix the path; it is relative to this file",
              );
            } else if (other.kind.kind === "event" && other.rel !== file.rel) {
              report(
                "SCHEMA_REF_TO_EVENT",
                at,
                `"${ref}" points into another event (${target.rel})`,
                "move what both events share to a file under _shared/ and refer to it from both",
              );
            } else if (atPointer(other.json, target.pointer) === undefined) {
              report("SCHEMA_REF_MISSING", at, `"${ref}" points at nothing in ${target.rel}`, "fix the pointer after #");
            }
          }
        }
      }
    },
  },
];

/** Rules for the top level of an event file. */
function eventRules(file: ParsedFile, report: Report): void {
  const { json } = file;
  if (typeof json.title !== "string" || json.title.trim() === "") {
    report("SCHEMA_TITLE", "", "the event has no title", 'add "title": "Invoice issued" (a short human name)');
  }
  if (typeof json.description !== "string" || json.description.trim() === "") {
    report("SCHEMA_DESCRIPTION", "", "the event has no description", 'add "description": when the event is emitted, and by whom');
  }
  if (json.type !== "object") {
    report(
      "SCHEMA_NOT_OBJECT",
      "type" in json ? "/type" : "",
      'the event\'s data must be "type": "object"',
      'set "type": "object" and describe the fields under properties',
    );
  }
  if (!Array.isArray(json.examples) || json.examples.length === 0) {
    report("SCHEMA_EXAMPLES", "", "the event has no examples", 'add "examples": [ { … } ] with one realistic payload', "warning");
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
        'system.json is { "title", "description", "owner", "source" }',
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
    report("LAYOUT_SYSTEM_FILE", "/source", "source must be a URI reference (no spaces)", 'use a URI reference such as "/systems/billing"');
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
          hint: "a recursive schema must go through properties or items (a tree of nodes); remove the reference or give it content",
          locate: file.locate,
        },
      ),
    );
    checked.delete(cycle.rel);
    failed.add(cycle.rel);
  }

  // A schema is usable when it and everything it refers to (transitively) passed.
  const usable = (rel: string, seen = new Set<string>()): boolean => {
    if (failed.has(rel) || !checked.has(rel)) return false;
    if (seen.has(rel)) return true;
    seen.add(rel);
    return referencedFiles(checked.get(rel)!.file).every((r) => usable(r, seen));
  };
  const schemas = new Map<string, ValidSchema>();
  for (const [rel, s] of checked) if (usable(rel)) schemas.set(rel, s);
  return { value: { schemas, systems }, diagnostics };
}

function dialectOf(file: ParsedFile, report: Report): Dialect | undefined {
  const uri = file.json.$schema;
  if (uri === undefined) return "2020-12";
  const dialect = typeof uri === "string" ? DIALECT_URIS[uri] : undefined;
  if (!dialect) {
    report(
      "SCHEMA_DIALECT",
      "/$schema",
      `unsupported $schema ${JSON.stringify(uri)}`,
      'use "https://json-schema.org/draft/2020-12/schema" (or draft-07), or leave $schema out for 2020-12',
    );
  }
  return dialect;
}

function metaCheck(ajv: Ajv, file: ParsedFile, report: Report): void {
  const ok = ajv.validateSchema(withId(file)) as boolean;
  if (ok) return;
  // One finding per place: the meta-schema's alternatives (anyOf) would repeat it.
  const seen = new Set<string>();
  for (const e of ajv.errors ?? []) {
    if (seen.has(e.instancePath)) continue;
    seen.add(e.instancePath);
    report(
      "SCHEMA_META",
      e.instancePath,
      `${e.message ?? "invalid"}${describeParams(e)}`,
      "fix the keyword's value so that it matches the JSON Schema specification",
    );
  }
}

/** The diagnostics of a unit's compilation (build/compile.ts): ajv's refusal, or invalid examples. */
export function compileDiagnostics(
  file: ParsedFile,
  output: { compileError?: string; invalidExamples: { index: number; errors: ErrorObject[] }[] },
): Diagnostic[] {
  const out: Diagnostic[] = [];
  const report = (code: Code, pointer: string, message: string, hint: string) =>
    out.push(diagnostic("error", code, file.file, pointer, message, { hint, locate: file.locate }));
  if (output.compileError !== undefined) {
    report("SCHEMA_COMPILE", "", `ajv could not compile the schema: ${output.compileError}`, "fix the schema; ajv runs in strict mode");
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
        "fix the example, or the schema if the example is right",
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

const ANNOTATIONS = ["title", "description", "examples", "$comment"];

/** The schema as ajv compiles it: annotations do not change what validates, and stay out of the code. */
export function stripAnnotations(schema: unknown): unknown {
  return mapSchema(schema, (sub) => {
    const out = { ...sub };
    for (const k of ANNOTATIONS) delete out[k];
    return out;
  });
}

function withId(file: ParsedFile): Record<string, unknown> {
  return { ...file.json, $id: idOf(file.rel) };
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

function safeTest(pattern: string, value: string): boolean {
  // The build never runs a pattern that could backtrack for long.
  if (patternVerdict(pattern).status !== "safe") return false;
  try {
    return new RegExp(pattern, "u").test(value);
  } catch {
    return false;
  }
}

/** True when `a` is one edit (insert, delete, substitute or swap) from `b`, case-insensitively. */
function closeTo(a: string, b: string): boolean {
  const x = a.toLowerCase();
  const y = b.toLowerCase();
  if (x === y) return true;
  if (Math.abs(x.length - y.length) > 1) return false;
  let i = 0;
  while (i < x.length && x[i] === y[i]) i++;
  const rest = (s: string, n: number) => s.slice(i + n);
  return (
    rest(x, 1) === rest(y, 1) ||
    rest(x, 1) === rest(y, 0) ||
    rest(x, 0) === rest(y, 1) ||
    (x[i] === y[i + 1] && x[i + 1] === y[i] && rest(x, 2) === rest(y, 2))
  );
}
