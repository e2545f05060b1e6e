/**
 * Walking a JSON Schema: which keywords hold subschemas, and which keywords each dialect knows.
 * Every house rule that looks inside a schema visits it through `walkSchema`, so that none of them
 * mistakes example data (`examples`, `default`, `const`, `enum`) for a schema.
 */

import { joinPointer } from "../diagnostics/index.js";
import type { Dialect } from "../model/tree.js";

/** How a keyword holds subschemas: one, an array, a map of them, or (draft-07) either. */
export type Shape = "schema" | "array" | "map" | "schemaOrArray" | "mapOfSchemaOrArray";

/** Keywords whose value holds subschemas, and in what shape. */
export const APPLICATORS: Record<string, Shape> = {
  additionalProperties: "schema",
  additionalItems: "schema",
  items: "schemaOrArray",
  contains: "schema",
  propertyNames: "schema",
  if: "schema",
  // biome-ignore lint/suspicious/noThenProperty: "then" is a JSON Schema keyword
  then: "schema",
  else: "schema",
  not: "schema",
  unevaluatedItems: "schema",
  unevaluatedProperties: "schema",
  contentSchema: "schema",
  allOf: "array",
  anyOf: "array",
  oneOf: "array",
  prefixItems: "array",
  properties: "map",
  patternProperties: "map",
  $defs: "map",
  definitions: "map",
  dependentSchemas: "map",
  dependencies: "mapOfSchemaOrArray",
};

/**
 * The house's one keyword of its own: beside a `pattern` (or `patternProperties`) that the ReDoS
 * analyser cannot prove safe, it allows exactly those patterns, each with the reason it is needed
 * (`{ "<pattern>": "<reason>" }`, SCHEMA_PATTERN_UNPROVEN). The build reads it; ajv, the published
 * schemas and the generated types never see it.
 */
export const ALLOW_UNPROVEN_PATTERNS = "allowUnprovenPatterns";

/**
 * The house's keyword of an event that travels signed: `"signed": true` at the root of an event's
 * schema gives its envelope two required CloudEvents extension attributes, `signature` and
 * `signaturekeyid` (model/envelope.ts SIGNATURE_PROPERTIES), which its producer's key fills
 * (the cleanup signal: src/cleanup/signature.ts). Only there and only `true` (SCHEMA_SIGNED); the
 * build reads it; ajv and the published data schemas never see it.
 */
export const SIGNED = "signed";

const COMMON = [
  "$schema",
  "$id",
  "$ref",
  "$comment",
  "$defs",
  "definitions",
  "additionalProperties",
  "items",
  "contains",
  "propertyNames",
  "if",
  "then",
  "else",
  "not",
  "allOf",
  "anyOf",
  "oneOf",
  "properties",
  "patternProperties",
  "type",
  "const",
  "enum",
  "multipleOf",
  "maximum",
  "exclusiveMaximum",
  "minimum",
  "exclusiveMinimum",
  "maxLength",
  "minLength",
  "pattern",
  "maxItems",
  "minItems",
  "uniqueItems",
  "maxProperties",
  "minProperties",
  "required",
  "title",
  "description",
  "default",
  "readOnly",
  "writeOnly",
  "examples",
  "deprecated",
  "format",
  "contentEncoding",
  "contentMediaType",
  ALLOW_UNPROVEN_PATTERNS,
  SIGNED,
];

/** Keywords each dialect defines (plus `deprecated`, which the house also allows in draft-07). */
export const KNOWN_KEYWORDS: Record<Dialect, ReadonlySet<string>> = {
  "2020-12": new Set([
    ...COMMON,
    "$anchor",
    "$dynamicRef",
    "$dynamicAnchor",
    "$vocabulary",
    "prefixItems",
    "dependentSchemas",
    "dependentRequired",
    "unevaluatedItems",
    "unevaluatedProperties",
    "maxContains",
    "minContains",
    "contentSchema",
  ]),
  "draft-07": new Set([...COMMON, "additionalItems", "dependencies"]),
};

/** The keywords of json-schema-to-typescript that paste raw TypeScript into the output. */
export const TS_KEYWORDS: ReadonlySet<string> = new Set(["tsType", "tsEnumNames", "tsExtends"]);

/** A schema object met on the walk, with its JSON pointer in the file. */
export interface SchemaVisit {
  schema: Record<string, unknown>;
  pointer: string;
}

/** Calls `visit` for the root and every subschema object, depth first, in key order. */
export function walkSchema(root: unknown, visit: (v: SchemaVisit) => void, pointer = ""): void {
  if (!isObject(root)) return;
  visit({ schema: root, pointer });
  for (const [keyword, value] of Object.entries(root)) {
    const shape = APPLICATORS[keyword];
    if (!shape) continue;
    const at = joinPointer(pointer, keyword);
    if (shape === "schema" || (shape === "schemaOrArray" && !Array.isArray(value))) walkSchema(value, visit, at);
    else if (shape === "array" || shape === "schemaOrArray") {
      if (Array.isArray(value)) {
        for (const [i, s] of value.entries()) walkSchema(s, visit, joinPointer(at, i));
      }
    } else if (isObject(value)) {
      for (const [name, s] of Object.entries(value)) {
        if (!Array.isArray(s)) walkSchema(s, visit, joinPointer(at, name));
      }
    }
  }
}

/** Rebuilds a schema bottom-up: `map` is applied to every schema object after its children. */
export function mapSchema(
  root: unknown,
  map: (schema: Record<string, unknown>, pointer: string) => Record<string, unknown>,
  pointer = "",
): unknown {
  if (!isObject(root)) return root;
  const out: Record<string, unknown> = {};
  for (const [keyword, value] of Object.entries(root)) {
    const shape = APPLICATORS[keyword];
    const at = joinPointer(pointer, keyword);
    let next = value;
    if (shape === "schema" || (shape === "schemaOrArray" && !Array.isArray(value))) next = mapSchema(value, map, at);
    else if ((shape === "array" || shape === "schemaOrArray") && Array.isArray(value)) {
      next = value.map((s, i) => mapSchema(s, map, joinPointer(at, i)));
    } else if (shape && isObject(value)) {
      next = Object.fromEntries(
        Object.entries(value).map(([name, s]) => [name, Array.isArray(s) ? s : mapSchema(s, map, joinPointer(at, name))]),
      );
    }
    Object.defineProperty(out, keyword, { value: next, enumerable: true, writable: true, configurable: true });
  }
  return map(out, pointer);
}

/** True for a plain JSON object (not null, not an array). */
export function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
