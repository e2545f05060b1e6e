/**
 * Rules about the keywords of a subschema: only the dialect's own (no typo, no raw TypeScript),
 * formats the validators implement, a stated content model for objects, required properties that
 * exist, a boolean `deprecated`.
 */

import { closeTo } from "../../diagnostics/hints.js";
import { joinPointer } from "../../diagnostics/index.js";
import { ALLOWED_FORMATS } from "../../schema/ajv.js";
import { patternRegex } from "../../schema/patterns.js";
import { patternVerdict } from "../../schema/redos.js";
import { isObject, KNOWN_KEYWORDS, SIGNED, TS_KEYWORDS } from "../../schema/walk.js";
import type { SubschemaRule } from "./rule.js";

const FORMATS: ReadonlySet<string> = new Set(ALLOWED_FORMATS);

/** SCHEMA_CONTENT_MODEL: an object schema says whether properties beyond those it lists are allowed. */
export const contentModel: SubschemaRule = {
  code: "SCHEMA_CONTENT_MODEL",
  scope: "subschema",
  check({ schema, pointer }, _ctx, report) {
    const types = Array.isArray(schema.type) ? schema.type : [schema.type];
    const isObjectSchema = types.includes("object") || (schema.type === undefined && isObject(schema.properties));
    if (!isObjectSchema || "additionalProperties" in schema || "unevaluatedProperties" in schema) return;
    report(
      pointer,
      "this object does not say whether properties beyond those it lists are allowed",
      'add "additionalProperties": false (closed: the usual choice for events) or true (open); it decides which changes are compatible',
    );
  },
};

/** SCHEMA_TS_KEYWORD: no escape hatch of json-schema-to-typescript. */
export const tsKeyword: SubschemaRule = {
  code: "SCHEMA_TS_KEYWORD",
  scope: "subschema",
  check({ schema, pointer }, _ctx, report) {
    for (const k of Object.keys(schema)) {
      if (!TS_KEYWORDS.has(k)) continue;
      report(
        joinPointer(pointer, k),
        `"${k}" would paste raw TypeScript into the generated types`,
        `remove "${k}" and say the type with JSON Schema keywords, e.g. "type": "string", "format": "date-time"`,
      );
    }
  },
};

/** SCHEMA_UNKNOWN_KEYWORD: every keyword is one the dialect defines (the TypeScript ones have their own rule). */
export const unknownKeyword: SubschemaRule = {
  code: "SCHEMA_UNKNOWN_KEYWORD",
  scope: "subschema",
  check({ schema, pointer }, { dialect }, report) {
    for (const k of Object.keys(schema)) {
      if (TS_KEYWORDS.has(k) || KNOWN_KEYWORDS[dialect].has(k)) continue;
      const near = [...KNOWN_KEYWORDS[dialect]].find((known) => closeTo(k, known));
      report(
        joinPointer(pointer, k),
        `"${k}" is not a ${dialect} keyword`,
        near ? `rename it to "${near}"` : 'remove it, or put notes in "$comment" or "description"',
      );
    }
  },
};

/** SCHEMA_SIGNED: the house's `signed` only at the top of an event's schema, and only `true`. */
export const signed: SubschemaRule = {
  code: "SCHEMA_SIGNED",
  scope: "subschema",
  check({ schema, pointer }, { file }, report) {
    if (!(SIGNED in schema)) return;
    const atTop = pointer === "" && file.kind.kind === "event";
    if (atTop && schema[SIGNED] === true) return;
    report(
      joinPointer(pointer, SIGNED),
      atTop
        ? `"${SIGNED}" is ${JSON.stringify(schema[SIGNED])}: it is true or absent`
        : `"${SIGNED}" says that an event travels signed: it belongs at the top of an event's schema, not ${pointer === "" ? "in a shared file" : "inside one"}`,
      atTop
        ? `write "${SIGNED}": true if the event travels signed, else remove it`
        : `remove it here; to sign the event, put "${SIGNED}": true at the top of its schema`,
    );
  },
};

/** SCHEMA_FORMAT: a format from the allow-list. */
export const format: SubschemaRule = {
  code: "SCHEMA_FORMAT",
  scope: "subschema",
  check({ schema, pointer }, _ctx, report) {
    const f = schema.format;
    if (typeof f !== "string" || FORMATS.has(f)) return;
    report(
      joinPointer(pointer, "format"),
      `format "${f}" is not supported`,
      `use one of the formats ${ALLOWED_FORMATS.join(", ")}; or drop "format" and write a "pattern", e.g. "pattern": "^[0-9]+$"`,
    );
  },
};

/** SCHEMA_REQUIRED_UNDEFINED: a required property is defined under properties (or matched by a safe patternProperties key). */
export const requiredUndefined: SubschemaRule = {
  code: "SCHEMA_REQUIRED_UNDEFINED",
  scope: "subschema",
  check({ schema, pointer }, _ctx, report) {
    const { required, properties, patternProperties } = schema;
    if (!Array.isArray(required) || !isObject(properties)) return;
    const patterns = isObject(patternProperties) ? Object.keys(patternProperties) : [];
    required.forEach((name, i) => {
      if (typeof name !== "string" || Object.hasOwn(properties, name)) return;
      if (patterns.some((p) => safeTest(p, name))) return;
      const near = Object.keys(properties).find((p) => closeTo(name, p));
      report(
        joinPointer(pointer, "required", i),
        `required property "${name}" is not defined in properties`,
        near
          ? `did you mean "${near}"? write it in "required" exactly as under "properties"`
          : `add "${name}": { "type": … } under "properties", or remove "${name}" from "required"`,
      );
    });
  },
};

/** SCHEMA_DEPRECATED: `deprecated` is a boolean. */
export const deprecated: SubschemaRule = {
  code: "SCHEMA_DEPRECATED",
  scope: "subschema",
  check({ schema, pointer }, _ctx, report) {
    if (!("deprecated" in schema) || typeof schema.deprecated === "boolean") return;
    report(joinPointer(pointer, "deprecated"), "deprecated must be true or false", 'write "deprecated": true (or false) without quotes');
  },
};

/** Whether a patternProperties key matches a name; a pattern not proven safe is never run. */
function safeTest(pattern: string, value: string): boolean {
  // The build never runs a pattern that could backtrack for long.
  if (patternVerdict(pattern).status !== "safe") return false;
  return patternRegex(pattern)?.test(value) ?? false;
}

/** The rules of this file. */
export const KEYWORD_RULES = [contentModel, tsKeyword, unknownKeyword, signed, format, requiredUndefined, deprecated] as const;
