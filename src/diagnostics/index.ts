/**
 * Findings are data. Every stage reports `Diagnostic`s; only the CLI renders them.
 *
 * Each code is listed once in `CODES` with its one-sentence purpose. A code is never renamed or
 * reused: add a new one instead. The README's table of diagnostic codes is checked against this one.
 */

export type Severity = "error" | "warning";

/** A place in a file: a JSON pointer and, where the file could be read, its line and column. */
export interface Location {
  /** Path relative to the current folder, with forward slashes. */
  file: string;
  /** JSON pointer into that file ("" is the whole document). */
  pointer: string;
  /** 1-based line, when the file could be parsed far enough to know it. */
  line?: number;
  /** 1-based column (UTF-16 code units), with `line`. */
  column?: number;
}

/** One finding of one rule in one place. */
export interface Diagnostic extends Location {
  severity: Severity;
  code: Code;
  /** One clause saying what is wrong. */
  message: string;
  /** What to do about it. */
  hint?: string;
  /** A second place that takes part in the finding (the other file of a collision, say). */
  related?: Location;
}

/** The result of a stage: what it made, and what it found on the way. */
export interface StageResult<T> {
  value: T;
  diagnostics: Diagnostic[];
}

/** Every rule id, with the stage it belongs to and its purpose. */
export const CODES = {
  PARSE_ENCODING: "A file must be valid UTF-8 text.",
  PARSE_SYNTAX: "A file must be strict JSON: no comments, no trailing commas, nothing after the value.",
  PARSE_DUPLICATE_KEY: "An object must not name the same key twice (JSON.parse would silently keep the last).",
  PARSE_NOT_OBJECT: "A schema file's top level must be a JSON object.",
  PARSE_LIMIT_DEPTH: "Objects and arrays must not nest deeper than the limit (64 levels).",
  PARSE_LIMIT_MEMBERS: "An object must not have more keys, nor an array more items, than the limit (1,000).",
  PARSE_HIDDEN_CHARACTER:
    "A file must not hold, written as they are, characters that hide what a reviewer reads (Trojan Source): controls, format characters such as bidirectional controls and zero-width spaces, line and paragraph separators, and invisible fillers (Unicode's default-ignorable code points).",
  PARSE_RESERVED_KEY: "No key may name a member of Object.prototype (__proto__, constructor, prototype, toString …).",
  LAYOUT_READ_FAILED: "Every file of the events tree must be readable.",
  LAYOUT_LIMIT_SIZE: "A file must not be larger than the limit (1 MiB).",
  LAYOUT_NO_EVENTS: "The events folder must exist and hold at least one event.",
  LAYOUT_NAME: "System, topic and event names must be lowercase kebab-case.",
  LAYOUT_DEPTH: "Event files live at <system>/<topic>/<event>.json; nothing else sits at another depth.",
  LAYOUT_NOT_JSON: "Only .json files belong in the events tree.",
  LAYOUT_SYMLINK: "The events tree must not contain symbolic links (npm pack drops them and they can point outside).",
  LAYOUT_SYSTEM_FILE: "A system.json must hold title, description, owner and a CloudEvents source, and nothing else.",
  VERSION_EXPLICIT_V1: "Version 1 of an event is <event>.json, never <event>.v1.json.",
  VERSION_BAD_NUMBER: "A version suffix is .v2, .v3 … with no leading zero and no .v0.",
  VERSION_GAP: "Versions of an event run 1, 2, 3 … without gaps.",
  VERSION_NAME_COLLISION: "Two events must not share a TypeScript name in the flat list.",
  SCHEMA_DIALECT: "$schema, when present, must be JSON Schema 2020-12 or draft-07, at the top of the file only.",
  SCHEMA_META: "A schema must be valid against its dialect's meta-schema.",
  SCHEMA_UNKNOWN_KEYWORD: "Every keyword must be one the dialect defines (catches typos such as `requried`).",
  SCHEMA_TS_KEYWORD: "The json-schema-to-typescript escape hatches tsType, tsEnumNames and tsExtends paste raw code into the output.",
  SCHEMA_FORMAT: "A format must be one the validators implement, from the allow-list.",
  SCHEMA_REQUIRED_UNDEFINED: "A required property must be defined in properties (or the object must allow it otherwise).",
  SCHEMA_PATTERN: "A pattern must be a valid regular expression with the u flag.",
  SCHEMA_PATTERN_UNSAFE: "A pattern must not backtrack catastrophically (ReDoS): every consuming service would pay for it.",
  SCHEMA_PATTERN_UNPROVEN:
    "A pattern the ReDoS analyser cannot prove safe (back-references, lookarounds, a search cut short) needs its author's allowance, exact, with a reason and a length bound.",
  SCHEMA_ID: "A schema's $id, when present, must equal the id derived from its path; subschemas have none.",
  SCHEMA_REF_REMOTE: "A $ref must not be a URL or absolute path: the build never touches the network or leaves the tree.",
  SCHEMA_REF_OUTSIDE: "A relative $ref must resolve inside the events tree.",
  SCHEMA_REF_MISSING: "A $ref must point at an existing file and an existing location in it.",
  SCHEMA_REF_CYCLE: "References must not form a cycle that never descends into the data (it would recurse forever).",
  SCHEMA_REF_DEPTH:
    "Schemas must not nest deeper than the limit (128), counted through references across files: a longer chain overflows the compilers.",
  SCHEMA_REF_TO_EVENT: "A $ref must point into _shared/ or into the same file, not into another event.",
  SCHEMA_NOT_OBJECT: 'An event\'s data is a JSON object (`type: "object"`).',
  SCHEMA_CONTENT_MODEL:
    "An object schema states additionalProperties (or unevaluatedProperties): the content model decides which changes are compatible.",
  SCHEMA_TITLE: "An event must have a title.",
  SCHEMA_DESCRIPTION: "An event must have a description.",
  SCHEMA_EXAMPLES: "An event should have at least one example.",
  SCHEMA_EXAMPLE_INVALID: "Every example must be valid against its own schema.",
  SCHEMA_COMPILE: "A schema must compile with ajv in strict mode.",
  SCHEMA_DEPRECATED: "deprecated, when present, must be a boolean.",
  COMPAT_VERSION_UNNEEDED:
    "A new version should be a breaking change: one fully compatible with the previous version did not need to be a new version.",
  COMPAT_RELEASED_VERSION_CHANGED: "A released version's schema may change only in annotations (title, description, examples, deprecated).",
  COMPAT_VERSION_REMOVED: "A released event or version must not disappear (unless --allow-removal, which makes the release major).",
  GENERATE_TYPE_NAME: "Every generated TypeScript name (events, shared files, $defs entries) must be unique.",
  EVENT_SYNTAX:
    "An event file (validate) must be strict JSON holding one event or an array of events, or NDJSON with one JSON event per non-empty line.",
  EVENT_LIMIT_SIZE:
    "An event must not be larger than the limit (4 MiB): one line of an NDJSON file, or a whole JSON file (NDJSON files have no size limit).",
  EVENT_DUPLICATE_KEY: "An event must not name the same key twice in one object (parsers differ in which one they keep).",
  EVENT_UNKNOWN_TYPE: "An event's type must name an event version of this package.",
  EVENT_INVALID: "An event must be valid against the published schema of its type: the envelope and its data.",
  EVENT_DEPRECATED: "An event should not use a deprecated version: consumers are moving to the latest.",
} as const;

/** A stable rule id. */
export type Code = keyof typeof CODES;

/** Line/column lookup for a file, as produced by the parse stage. */
export type Locate = (pointer: string) => { line: number; column: number } | undefined;

/** A locator for findings about a whole file: they point at its first character. */
export const START_OF_FILE: Locate = () => ({ line: 1, column: 1 });

/** Builds a diagnostic, resolving line and column from the pointer when a locator is given. */
export function diagnostic(
  severity: Severity,
  code: Code,
  file: string,
  pointer: string,
  message: string,
  extra: { hint?: string; related?: Location; locate?: Locate | undefined } = {},
): Diagnostic {
  const at = extra.locate?.(pointer);
  const d: Diagnostic = { severity, code, file, pointer, ...(at ?? {}), message };
  if (extra.hint !== undefined) d.hint = extra.hint;
  if (extra.related !== undefined) d.related = extra.related;
  return d;
}

/** Sorts diagnostics by file, then position, then code: the order every output uses. */
export function sortDiagnostics(list: readonly Diagnostic[]): Diagnostic[] {
  return [...list].sort(
    (a, b) =>
      cmp(a.file, b.file) ||
      (a.line ?? 0) - (b.line ?? 0) ||
      (a.column ?? 0) - (b.column ?? 0) ||
      cmp(a.pointer, b.pointer) ||
      cmp(a.code, b.code) ||
      cmp(a.message, b.message),
  );
}

/** True when any diagnostic is an error. */
export function hasErrors(list: readonly Diagnostic[]): boolean {
  return list.some((d) => d.severity === "error");
}

/** Plain code-unit comparison: locale-independent, so output is the same on every machine. */
export function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Escapes one JSON pointer token (RFC 6901). */
export function escapePointer(token: string | number): string {
  const s = String(token);
  // Most tokens need no escape: skip the two replacements (walks build a pointer per subschema).
  if (!s.includes("~") && !s.includes("/")) return s;
  return s.replace(/~/g, "~0").replace(/\//g, "~1");
}

/** Appends tokens to a JSON pointer. */
export function joinPointer(base: string, ...tokens: (string | number)[]): string {
  let out = base;
  for (const t of tokens) out += `/${escapePointer(t)}`;
  return out;
}

/** Splits a JSON pointer into unescaped tokens. */
export function splitPointer(pointer: string): string[] {
  if (pointer === "") return [];
  return pointer
    .slice(1)
    .split("/")
    .map((t) => t.replace(/~1/g, "/").replace(/~0/g, "~"));
}
