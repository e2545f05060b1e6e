/**
 * The registry of rules: every diagnostic code, once, with the stage that reports it, its severity
 * and its one-sentence purpose (Buf's rule model: an id, a purpose, one check). A code is never
 * renamed or reused: add a new one instead.
 *
 * Everything that says something about a code reads it from here: `diagnostic()` takes the
 * severity, the generated table of codes (docs/codes.md, scripts/codes-table.ts) and the code
 * pages (docs/codes/, scripts/codes-docs.ts) show stage, severity and purpose, and the tests check
 * every finding's severity against it. Where a code is checked (test/rules.test.ts): the schema
 * stage's and the versions stage's codes by one rule entry each (src/stages/validate/,
 * src/stages/versions.ts), every other code by the stage named here.
 *
 * This module sits at the bottom of the architecture: it imports nothing.
 */

/** How much a finding weighs: an error fails the command, a warning is shown and passes. */
export type Severity = "error" | "warning";

/**
 * The stage that reports a code: the pipeline's stages (discover → parse → validate → versions →
 * compile → generate), the compatibility checks (version chain and release diff), and the
 * `validate` command that checks event instances.
 */
export type Stage = "discover" | "parse" | "validate" | "versions" | "compile" | "generate" | "compat" | "instances";

/** What the registry says about one code. */
export interface CodeSpec {
  stage: Stage;
  severity: Severity;
  /**
   * Set only on the few errors that are reported as a warning in one named situation, which this
   * says as it reads after "a warning" ("with --allow-removal, …"). The reporter asks for it
   * explicitly (`diagnostic(…, { warning: true })`); no other error may be a warning.
   */
  warningWhen?: string;
  /** One sentence: what the rule asks for. */
  purpose: string;
}

/** Every code, with its stage, severity and purpose. */
export const CODES = {
  PARSE_ENCODING: {
    stage: "parse",
    severity: "error",
    purpose: "A file must be valid UTF-8 text.",
  },
  PARSE_SYNTAX: {
    stage: "parse",
    severity: "error",
    purpose: "A file must be strict JSON: no comments, no trailing commas, nothing after the value.",
  },
  PARSE_DUPLICATE_KEY: {
    stage: "parse",
    severity: "error",
    purpose: "An object must not name the same key twice (JSON.parse would silently keep the last).",
  },
  PARSE_NOT_OBJECT: {
    stage: "parse",
    severity: "error",
    purpose: "A schema file's top level must be a JSON object.",
  },
  PARSE_LIMIT_DEPTH: {
    stage: "parse",
    severity: "error",
    purpose: "Objects and arrays must not nest deeper than the limit (64 levels).",
  },
  PARSE_LIMIT_MEMBERS: {
    stage: "parse",
    severity: "error",
    purpose: "An object must not have more keys, nor an array more items, than the limit (1,000).",
  },
  PARSE_HIDDEN_CHARACTER: {
    stage: "parse",
    severity: "error",
    purpose:
      "A file must not hold, written as they are, characters that hide what a reviewer reads (Trojan Source): controls, format characters such as bidirectional controls and zero-width spaces, line and paragraph separators, and invisible fillers (Unicode's default-ignorable code points).",
  },
  PARSE_RESERVED_KEY: {
    stage: "parse",
    severity: "error",
    purpose: "No key may name a member of Object.prototype (__proto__, constructor, prototype, toString …).",
  },
  LAYOUT_READ_FAILED: {
    stage: "discover",
    severity: "error",
    purpose: "Every file of the events tree must be readable.",
  },
  LAYOUT_LIMIT_SIZE: {
    stage: "discover",
    severity: "error",
    purpose: "A file must not be larger than the limit (1 MiB).",
  },
  LAYOUT_NO_EVENTS: {
    stage: "discover",
    severity: "error",
    purpose: "The events folder must exist and hold at least one event.",
  },
  LAYOUT_NAME: {
    stage: "discover",
    severity: "error",
    purpose: "System, topic and event names must be lowercase kebab-case.",
  },
  LAYOUT_DEPTH: {
    stage: "discover",
    severity: "error",
    purpose: "Event files live at <system>/<topic>/<event>.json; nothing else sits at another depth.",
  },
  LAYOUT_NOT_JSON: {
    stage: "discover",
    severity: "warning",
    purpose: "Only .json files belong in the events tree.",
  },
  LAYOUT_SYMLINK: {
    stage: "discover",
    severity: "error",
    purpose: "The events tree must not contain symbolic links (npm pack drops them and they can point outside).",
  },
  LAYOUT_SYSTEM_FILE: {
    stage: "validate",
    severity: "error",
    purpose:
      "A system.json must hold title, description, owner and a CloudEvents source, optionally the records it holds without events of their own, and nothing else.",
  },
  VERSION_EXPLICIT_V1: {
    stage: "versions",
    severity: "error",
    purpose: "Version 1 of an event is <event>.json, never <event>.v1.json.",
  },
  VERSION_BAD_NUMBER: {
    stage: "versions",
    severity: "error",
    purpose: "A version suffix is .v2, .v3 … with no leading zero and no .v0.",
  },
  VERSION_GAP: {
    stage: "versions",
    severity: "error",
    purpose: "Versions of an event run 1, 2, 3 … without gaps.",
  },
  VERSION_NAME_COLLISION: {
    stage: "versions",
    severity: "error",
    purpose: "Two events must not share a TypeScript name in the flat list.",
  },
  SCHEMA_DIALECT: {
    stage: "validate",
    severity: "error",
    purpose: "$schema, when present, must be JSON Schema 2020-12 or draft-07, at the top of the file only.",
  },
  SCHEMA_META: {
    stage: "validate",
    severity: "error",
    purpose: "A schema must be valid against its dialect's meta-schema.",
  },
  SCHEMA_UNKNOWN_KEYWORD: {
    stage: "validate",
    severity: "error",
    purpose: "Every keyword must be one the dialect defines (catches typos such as `requried`).",
  },
  SCHEMA_SIGNED: {
    stage: "validate",
    severity: "error",
    purpose:
      "`\"signed\": true` makes an event's envelope require a signature: it belongs at the top of an event's schema only, where it signs the event; anywhere else it would sign nothing.",
  },
  SCHEMA_TS_KEYWORD: {
    stage: "validate",
    severity: "error",
    purpose: "The json-schema-to-typescript escape hatches tsType, tsEnumNames and tsExtends paste raw code into the output.",
  },
  SCHEMA_FORMAT: {
    stage: "validate",
    severity: "error",
    purpose: "A format must be one the validators implement, from the allow-list.",
  },
  SCHEMA_REQUIRED_UNDEFINED: {
    stage: "validate",
    severity: "error",
    purpose: "A required property must be defined in properties (or the object must allow it otherwise).",
  },
  SCHEMA_PATTERN: {
    stage: "validate",
    severity: "error",
    purpose: "A pattern must be a valid regular expression with the u flag.",
  },
  SCHEMA_PATTERN_UNSAFE: {
    stage: "validate",
    severity: "error",
    purpose: "A pattern must not backtrack catastrophically (ReDoS): every consuming service would pay for it.",
  },
  SCHEMA_PATTERN_UNPROVEN: {
    stage: "validate",
    severity: "error",
    warningWhen: "for an allowance the analyser proves unneeded",
    purpose:
      "A pattern the ReDoS analyser cannot prove safe (back-references, lookarounds, a search cut short) needs its author's allowance, exact, with a reason and a length bound.",
  },
  SCHEMA_ID: {
    stage: "validate",
    severity: "error",
    purpose: "A schema's $id, when present, must equal the id derived from its path; subschemas have none.",
  },
  SCHEMA_REF_REMOTE: {
    stage: "validate",
    severity: "error",
    purpose: "A $ref must not be a URL or absolute path: the build never touches the network or leaves the tree.",
  },
  SCHEMA_REF_OUTSIDE: {
    stage: "validate",
    severity: "error",
    purpose: "A relative $ref must resolve inside the events tree.",
  },
  SCHEMA_REF_MISSING: {
    stage: "validate",
    severity: "error",
    purpose: "A $ref must point at an existing file and an existing location in it.",
  },
  SCHEMA_REF_CYCLE: {
    stage: "validate",
    severity: "error",
    purpose: "References must not form a cycle that never descends into the data (it would recurse forever).",
  },
  SCHEMA_REF_DEPTH: {
    stage: "validate",
    severity: "error",
    purpose:
      "Schemas must not nest deeper than the limit (128), counted through references across files: a longer chain overflows the compilers.",
  },
  SCHEMA_REF_TO_EVENT: {
    stage: "validate",
    severity: "error",
    purpose: "A $ref must point into _shared/ or into the same file, not into another event.",
  },
  SCHEMA_NOT_OBJECT: {
    stage: "validate",
    severity: "error",
    purpose: 'An event\'s data is a JSON object (`type: "object"`).',
  },
  SCHEMA_CONTENT_MODEL: {
    stage: "validate",
    severity: "error",
    purpose:
      "An object schema states additionalProperties (or unevaluatedProperties): the content model decides which changes are compatible.",
  },
  SCHEMA_TITLE: {
    stage: "validate",
    severity: "error",
    purpose: "An event must have a title.",
  },
  SCHEMA_DESCRIPTION: {
    stage: "validate",
    severity: "error",
    purpose: "An event must have a description.",
  },
  SCHEMA_EXAMPLES: {
    stage: "validate",
    severity: "warning",
    purpose: "An event should have at least one example.",
  },
  SCHEMA_EXAMPLE_INVALID: {
    stage: "compile",
    severity: "error",
    purpose: "Every example must be valid against its own schema.",
  },
  SCHEMA_COMPILE: {
    stage: "compile",
    severity: "error",
    purpose: "A schema must compile with ajv in strict mode.",
  },
  SCHEMA_DEPRECATED: {
    stage: "validate",
    severity: "error",
    purpose: "deprecated, when present, must be a boolean.",
  },
  COMPAT_VERSION_UNNEEDED: {
    stage: "compat",
    severity: "warning",
    purpose: "A new version should be a breaking change: one fully compatible with the previous version did not need to be a new version.",
  },
  COMPAT_RELEASED_VERSION_CHANGED: {
    stage: "compat",
    severity: "error",
    purpose: "A released version's schema may change only in annotations (title, description, examples, deprecated).",
  },
  COMPAT_VERSION_REMOVED: {
    stage: "compat",
    severity: "error",
    warningWhen: "with --allow-removal, which makes the release major",
    purpose: "A released event or version must not disappear (unless --allow-removal, which makes the release major).",
  },
  GENERATE_TYPE_NAME: {
    stage: "generate",
    severity: "error",
    purpose: "Every generated TypeScript name (events, shared files, $defs entries) must be unique.",
  },
  CLEANUP_ID_UNPLACED: {
    stage: "generate",
    severity: "error",
    purpose:
      "The test-data cleanup's graph is derived from the ids events carry: an entity's id must be its id definition (a $ref into _shared/ids.json), and a record a system declares must refer to entities, or a reference the plan needs goes unseen.",
  },
  EVENT_SYNTAX: {
    stage: "instances",
    severity: "error",
    purpose:
      "An event file (validate) must be strict JSON holding one event or an array of events, or NDJSON with one JSON event per non-empty line.",
  },
  EVENT_LIMIT_SIZE: {
    stage: "instances",
    severity: "error",
    purpose:
      "An event must not be larger than the limit (4 MiB): one line of an NDJSON file, or a whole JSON file (NDJSON files have no size limit).",
  },
  EVENT_DUPLICATE_KEY: {
    stage: "instances",
    severity: "error",
    purpose: "An event must not name the same key twice in one object (parsers differ in which one they keep).",
  },
  EVENT_UNKNOWN_TYPE: {
    stage: "instances",
    severity: "error",
    purpose: "An event's type must name an event version of this package.",
  },
  EVENT_INVALID: {
    stage: "instances",
    severity: "error",
    purpose: "An event must be valid against the published schema of its type: the envelope and its data.",
  },
  EVENT_DEPRECATED: {
    stage: "instances",
    severity: "warning",
    purpose: "An event should not use a deprecated version: consumers are moving to the latest.",
  },
} as const satisfies Record<string, CodeSpec>;

/** A stable rule id. */
export type Code = keyof typeof CODES;

/** How a code's severity reads in the table of codes and on its page: "error", or "error; a warning …". */
export function severityText(code: Code): string {
  const spec: CodeSpec = CODES[code];
  return spec.warningWhen === undefined ? spec.severity : `${spec.severity}; a warning ${spec.warningWhen}`;
}

/** Every code, in the registry's order. */
export const ALL_CODES: readonly Code[] = Object.keys(CODES) as Code[];

/** The registry's entry of a code. */
export function specOf(code: Code): CodeSpec {
  return CODES[code];
}

/**
 * The severity of a finding of `code`: the registry's; a warning only when the code has a
 * `warningWhen` and the reporter says that situation holds. Asking for a warning for any other
 * code is a bug in the reporter, and throws.
 */
export function severityOf(code: Code, warning = false): Severity {
  const spec: CodeSpec = CODES[code];
  if (!warning) return spec.severity;
  if (spec.warningWhen === undefined) throw new Error(`${code} is never a warning (src/diagnostics/codes.ts)`);
  return "warning";
}

/** The severities a finding of `code` may have: the registry's, and "warning" where it names when. */
export function severitiesOf(code: Code): readonly Severity[] {
  const spec: CodeSpec = CODES[code];
  return spec.warningWhen === undefined ? [spec.severity] : [spec.severity, "warning"];
}
