/**
 * The compatibility engine's own cases, one table per family of change types: a previous and a
 * current schema, the changes wanted as (type, pointer) pairs, and both verdicts under STRICT.
 * Pointers are JSON pointers into the new schema, or into the old one for something removed.
 *
 * Schemas without `$schema` are 2020-12 (the engine's default), as in the events tree.
 */

import type { ChangeType, CompatOptions } from "../../src/compat/engine/index.js";

/** One case of a table. */
export interface Case {
  previous: unknown;
  current: unknown;
  want: { types: [ChangeType, string][]; backward: boolean; forward: boolean };
  options?: CompatOptions;
}

/** A table: named cases. */
export type Table = [name: string, Case][];

const DRAFT_07 = "http://json-schema.org/draft-07/schema#";
const DRAFT_04 = "http://json-schema.org/draft-04/schema#";

const str = { type: "string" };
const num = { type: "number" };
const obj = (properties: Record<string, unknown>, extra: Record<string, unknown> = {}) => ({ type: "object", properties, ...extra });
const closed = (properties: Record<string, unknown>, extra: Record<string, unknown> = {}) =>
  obj(properties, { additionalProperties: false, ...extra });

/** `$id`, `title`, `description`, `default`; other annotations are not compared. */
export const ANNOTATIONS: Table = [
  ["same schema", { previous: obj({ a: str }), current: obj({ a: str }), want: { types: [], backward: true, forward: true } }],
  [
    "title changed",
    {
      previous: { title: "A", ...str },
      current: { title: "B", ...str },
      want: { types: [["TITLE_CHANGED", "/title"]], backward: true, forward: true },
    },
  ],
  [
    "description removed (pointer into the old schema)",
    {
      previous: obj({ a: { ...str, description: "the a" } }),
      current: obj({ a: str }),
      want: { types: [["DESCRIPTION_CHANGED", "/properties/a/description"]], backward: true, forward: true },
    },
  ],
  [
    "default changed",
    {
      previous: { type: "integer", default: 1 },
      current: { type: "integer", default: 2 },
      want: { types: [["DEFAULT_CHANGED", "/default"]], backward: true, forward: true },
    },
  ],
  [
    "draft-07 root $id changed",
    {
      previous: { $schema: DRAFT_07, $id: "https://example.com/a.json", ...str },
      current: { $schema: DRAFT_07, $id: "https://example.com/b.json", ...str },
      want: { types: [["ID_CHANGED", "/$id"]], backward: true, forward: true },
    },
  ],
  [
    "2020-12 root $id is the document's base URI, not an annotation",
    {
      previous: { $id: "https://example.com/a.json", ...str },
      current: { $id: "https://example.com/b.json", ...str },
      want: { types: [], backward: true, forward: true },
    },
  ],
  [
    "$comment, examples, deprecated and readOnly are not compared",
    {
      previous: { ...str, $comment: "x", examples: ["a"], deprecated: false, readOnly: false },
      current: { ...str, $comment: "y", examples: ["b"], deprecated: true, readOnly: true },
      want: { types: [], backward: true, forward: true },
    },
  ],
];

/** The kind of value: TYPE_CHANGED, TYPE_EXTENDED/NARROWED, and the schemas that accept anything or nothing. */
export const TYPES: Table = [
  ["string to number", { previous: str, current: num, want: { types: [["TYPE_CHANGED", ""]], backward: false, forward: false } }],
  [
    "integer to number",
    { previous: { type: "integer" }, current: num, want: { types: [["TYPE_EXTENDED", ""]], backward: true, forward: false } },
  ],
  [
    "number to integer",
    { previous: num, current: { type: "integer" }, want: { types: [["TYPE_NARROWED", ""]], backward: false, forward: true } },
  ],
  ["anything to {}", { previous: obj({ a: str }), current: {}, want: { types: [], backward: true, forward: false } }],
  ["anything to true", { previous: str, current: true, want: { types: [], backward: true, forward: false } }],
  ["false to anything", { previous: obj({ a: false }), current: obj({ a: str }), want: { types: [], backward: true, forward: false } }],
  [
    "property type changed",
    {
      previous: obj({ a: str }),
      current: obj({ a: { type: "boolean" } }),
      want: { types: [["TYPE_CHANGED", "/properties/a"]], backward: false, forward: false },
    },
  ],
  [
    "keywords without type: maxLength alone is a string schema",
    {
      previous: { maxLength: 5 },
      current: { maxLength: 3 },
      want: { types: [["MAX_LENGTH_DECREASED", "/maxLength"]], backward: false, forward: true },
    },
  ],
];

/** `maxLength`, `minLength`, `pattern`, and our own `format`. */
export const STRINGS: Table = [
  [
    "maxLength added",
    {
      previous: str,
      current: { ...str, maxLength: 5 },
      want: { types: [["MAX_LENGTH_ADDED", "/maxLength"]], backward: false, forward: true },
    },
  ],
  [
    "maxLength removed",
    {
      previous: { ...str, maxLength: 5 },
      current: str,
      want: { types: [["MAX_LENGTH_REMOVED", "/maxLength"]], backward: true, forward: false },
    },
  ],
  [
    "maxLength increased",
    {
      previous: { ...str, maxLength: 5 },
      current: { ...str, maxLength: 9 },
      want: { types: [["MAX_LENGTH_INCREASED", "/maxLength"]], backward: true, forward: false },
    },
  ],
  [
    "minLength added",
    {
      previous: str,
      current: { ...str, minLength: 1 },
      want: { types: [["MIN_LENGTH_ADDED", "/minLength"]], backward: false, forward: true },
    },
  ],
  [
    "minLength decreased",
    {
      previous: { ...str, minLength: 3 },
      current: { ...str, minLength: 1 },
      want: { types: [["MIN_LENGTH_DECREASED", "/minLength"]], backward: true, forward: false },
    },
  ],
  [
    "pattern added",
    {
      previous: str,
      current: { ...str, pattern: "^[a-z]+$" },
      want: { types: [["PATTERN_ADDED", "/pattern"]], backward: false, forward: true },
    },
  ],
  [
    "pattern changed",
    {
      previous: { ...str, pattern: "^[a-z]+$" },
      current: { ...str, pattern: "^[A-Z]+$" },
      want: { types: [["PATTERN_CHANGED", "/pattern"]], backward: false, forward: false },
    },
  ],
  [
    "format added",
    {
      previous: str,
      current: { ...str, format: "date-time" },
      want: { types: [["FORMAT_ADDED", "/format"]], backward: false, forward: true },
    },
  ],
  [
    "format removed",
    {
      previous: { ...str, format: "email" },
      current: str,
      want: { types: [["FORMAT_REMOVED", "/format"]], backward: true, forward: false },
    },
  ],
  [
    "format changed",
    {
      previous: obj({ at: { ...str, format: "date-time" } }),
      current: obj({ at: { ...str, format: "date" } }),
      want: { types: [["FORMAT_CHANGED", "/properties/at/format"]], backward: false, forward: false },
    },
  ],
];

/** The four bounds (with moves between inclusive and exclusive), draft-04 booleans, `multipleOf`. */
export const NUMBERS: Table = [
  [
    "maximum added",
    { previous: num, current: { ...num, maximum: 9 }, want: { types: [["MAXIMUM_ADDED", "/maximum"]], backward: false, forward: true } },
  ],
  [
    "maximum decreased",
    {
      previous: { ...num, maximum: 9 },
      current: { ...num, maximum: 5 },
      want: { types: [["MAXIMUM_DECREASED", "/maximum"]], backward: false, forward: true },
    },
  ],
  [
    "minimum increased",
    {
      previous: { ...num, minimum: 0 },
      current: { ...num, minimum: 1 },
      want: { types: [["MINIMUM_INCREASED", "/minimum"]], backward: false, forward: true },
    },
  ],
  [
    "minimum removed",
    { previous: { ...num, minimum: 0 }, current: num, want: { types: [["MINIMUM_REMOVED", "/minimum"]], backward: true, forward: false } },
  ],
  [
    "exclusiveMinimum added",
    {
      previous: num,
      current: { ...num, exclusiveMinimum: 0 },
      want: { types: [["EXCLUSIVE_MINIMUM_ADDED", "/exclusiveMinimum"]], backward: false, forward: true },
    },
  ],
  [
    "exclusiveMinimum increased",
    {
      previous: { ...num, exclusiveMinimum: 0 },
      current: { ...num, exclusiveMinimum: 1 },
      want: { types: [["EXCLUSIVE_MINIMUM_INCREASED", "/exclusiveMinimum"]], backward: false, forward: true },
    },
  ],
  [
    "exclusiveMaximum decreased",
    {
      previous: { ...num, exclusiveMaximum: 10 },
      current: { ...num, exclusiveMaximum: 5 },
      want: { types: [["EXCLUSIVE_MAXIMUM_DECREASED", "/exclusiveMaximum"]], backward: false, forward: true },
    },
  ],
  [
    "exclusiveMaximum removed",
    {
      previous: { ...num, exclusiveMaximum: 10 },
      current: num,
      want: { types: [["EXCLUSIVE_MAXIMUM_REMOVED", "/exclusiveMaximum"]], backward: true, forward: false },
    },
  ],
  [
    "exclusiveMinimum 10 to minimum 10 only loosens (> 10 to ≥ 10)",
    {
      previous: { ...num, exclusiveMinimum: 10 },
      current: { ...num, minimum: 10 },
      want: { types: [["EXCLUSIVE_MINIMUM_REMOVED", "/exclusiveMinimum"]], backward: true, forward: false },
    },
  ],
  [
    "minimum 10 to exclusiveMinimum 10 tightens",
    {
      previous: { ...num, minimum: 10 },
      current: { ...num, exclusiveMinimum: 10 },
      want: {
        types: [
          ["EXCLUSIVE_MINIMUM_ADDED", "/exclusiveMinimum"],
          ["MINIMUM_REMOVED", "/minimum"],
        ],
        backward: false,
        forward: true,
      },
    },
  ],
  [
    "maximum 5 to exclusiveMaximum 9 loosens",
    {
      previous: { ...num, maximum: 5 },
      current: { ...num, exclusiveMaximum: 9 },
      want: { types: [["MAXIMUM_REMOVED", "/maximum"]], backward: true, forward: false },
    },
  ],
  [
    "draft-04 boolean exclusiveMaximum equals the numeric form",
    {
      previous: { $schema: DRAFT_04, ...num, maximum: 10, exclusiveMaximum: true },
      current: { ...num, exclusiveMaximum: 10 },
      want: { types: [], backward: true, forward: true },
    },
  ],
  [
    "multipleOf added",
    {
      previous: num,
      current: { ...num, multipleOf: 2 },
      want: { types: [["MULTIPLE_OF_ADDED", "/multipleOf"]], backward: false, forward: true },
    },
  ],
  [
    "multipleOf reduced to a divisor",
    {
      previous: { ...num, multipleOf: 0.5 },
      current: { ...num, multipleOf: 0.25 },
      want: { types: [["MULTIPLE_OF_REDUCED", "/multipleOf"]], backward: true, forward: false },
    },
  ],
  [
    "multipleOf expanded to a multiple",
    {
      previous: { ...num, multipleOf: 0.1 },
      current: { ...num, multipleOf: 0.3 },
      want: { types: [["MULTIPLE_OF_EXPANDED", "/multipleOf"]], backward: false, forward: true },
    },
  ],
  [
    "multipleOf changed",
    {
      previous: { ...num, multipleOf: 3 },
      current: { ...num, multipleOf: 5 },
      want: { types: [["MULTIPLE_OF_CHANGED", "/multipleOf"]], backward: false, forward: false },
    },
  ],
];

const arr = (extra: Record<string, unknown> = {}) => ({ type: "array", ...extra });

/** All-items schema, tuples and their content model, count bounds, `contains`. */
export const ARRAYS: Table = [
  [
    "items schema added",
    { previous: arr(), current: arr({ items: str }), want: { types: [["SCHEMA_ADDED", "/items"]], backward: false, forward: true } },
  ],
  [
    "items schema changed",
    {
      previous: arr({ items: str }),
      current: arr({ items: num }),
      want: { types: [["TYPE_CHANGED", "/items"]], backward: false, forward: false },
    },
  ],
  [
    "minItems increased, maxItems decreased",
    {
      previous: arr({ minItems: 1, maxItems: 9 }),
      current: arr({ minItems: 2, maxItems: 5 }),
      want: {
        types: [
          ["MAX_ITEMS_DECREASED", "/maxItems"],
          ["MIN_ITEMS_INCREASED", "/minItems"],
        ],
        backward: false,
        forward: true,
      },
    },
  ],
  [
    "maxItems added, minItems removed",
    {
      previous: arr({ minItems: 1 }),
      current: arr({ maxItems: 5 }),
      want: {
        types: [
          ["MAX_ITEMS_ADDED", "/maxItems"],
          ["MIN_ITEMS_REMOVED", "/minItems"],
        ],
        backward: false,
        forward: false,
      },
    },
  ],
  [
    "uniqueItems added",
    {
      previous: arr(),
      current: arr({ uniqueItems: true }),
      want: { types: [["UNIQUE_ITEMS_ADDED", "/uniqueItems"]], backward: false, forward: true },
    },
  ],
  [
    "prefixItems position added to an open tuple",
    {
      previous: arr({ prefixItems: [str] }),
      current: arr({ prefixItems: [str, num] }),
      want: { types: [["ITEM_ADDED_TO_OPEN_CONTENT_MODEL", "/prefixItems/1"]], backward: false, forward: true },
    },
  ],
  [
    "prefixItems position that accepts anything added to an open tuple",
    {
      previous: arr({ prefixItems: [str] }),
      current: arr({ prefixItems: [str, {}] }),
      want: { types: [["ITEM_WITH_EMPTY_SCHEMA_ADDED_TO_OPEN_CONTENT_MODEL", "/prefixItems/1"]], backward: true, forward: true },
    },
  ],
  [
    "prefixItems position added to a closed tuple",
    {
      previous: arr({ prefixItems: [str], items: false }),
      current: arr({ prefixItems: [str, num], items: false }),
      want: { types: [["ITEM_ADDED_TO_CLOSED_CONTENT_MODEL", "/prefixItems/1"]], backward: true, forward: false },
    },
  ],
  [
    "prefixItems position removed from a closed tuple",
    {
      previous: arr({ prefixItems: [str, num], items: false }),
      current: arr({ prefixItems: [str], items: false }),
      want: { types: [["ITEM_REMOVED_FROM_CLOSED_CONTENT_MODEL", "/prefixItems/1"]], backward: false, forward: true },
    },
  ],
  [
    "position that held nothing removed from a closed tuple",
    {
      previous: arr({ prefixItems: [str, false], items: false }),
      current: arr({ prefixItems: [str], items: false }),
      want: { types: [["ITEM_WITH_FALSE_REMOVED_FROM_CLOSED_CONTENT_MODEL", "/prefixItems/1"]], backward: true, forward: true },
    },
  ],
  [
    "position removed, covered by the schema of extra items",
    {
      previous: arr({ prefixItems: [str, num], items: false }),
      current: arr({ prefixItems: [str], items: num }),
      want: {
        types: [
          ["ADDITIONAL_ITEMS_ADDED", "/items"],
          ["ITEM_REMOVED_IS_COVERED_BY_PARTIALLY_OPEN_CONTENT_MODEL", "/prefixItems/1"],
        ],
        backward: true,
        forward: false,
      },
    },
  ],
  [
    "position added, not covered by the old schema of extra items",
    {
      previous: arr({ prefixItems: [str], items: num }),
      current: arr({ prefixItems: [str, { type: "boolean" }], items: num }),
      want: {
        types: [
          ["ITEM_ADDED_NOT_COVERED_BY_PARTIALLY_OPEN_CONTENT_MODEL", "/prefixItems/1"],
          ["TYPE_CHANGED", "/prefixItems/1"],
        ],
        backward: false,
        forward: false,
      },
    },
  ],
  [
    "draft-07 tuple: additionalItems narrowed to a schema",
    {
      previous: { $schema: DRAFT_07, ...arr({ items: [str] }) },
      current: { $schema: DRAFT_07, ...arr({ items: [str], additionalItems: num }) },
      want: { types: [["ADDITIONAL_ITEMS_NARROWED", "/additionalItems"]], backward: false, forward: true },
    },
  ],
  [
    "draft-07 tuple: additionalItems true to false",
    {
      previous: { $schema: DRAFT_07, ...arr({ items: [str], additionalItems: true }) },
      current: { $schema: DRAFT_07, ...arr({ items: [str], additionalItems: false }) },
      want: { types: [["ADDITIONAL_ITEMS_REMOVED", "/additionalItems"]], backward: false, forward: true },
    },
  ],
  [
    "unevaluatedItems false dropped",
    {
      previous: arr({ prefixItems: [str], unevaluatedItems: false }),
      current: arr({ prefixItems: [str] }),
      want: { types: [["UNEVALUATED_ITEMS_ADDED", "/unevaluatedItems"]], backward: true, forward: false },
    },
  ],
  [
    "unevaluatedItems schema dropped",
    {
      previous: arr({ prefixItems: [str], unevaluatedItems: num }),
      current: arr({ prefixItems: [str], unevaluatedItems: true }),
      want: { types: [["UNEVALUATED_ITEMS_EXTENDED", "/unevaluatedItems"]], backward: true, forward: false },
    },
  ],
  [
    "contains added",
    { previous: arr(), current: arr({ contains: num }), want: { types: [["SCHEMA_ADDED", "/contains"]], backward: false, forward: true } },
  ],
  [
    "minContains increased, maxContains added",
    {
      previous: arr({ contains: num, minContains: 1 }),
      current: arr({ contains: num, minContains: 2, maxContains: 5 }),
      want: {
        types: [
          ["MAX_CONTAINS_ADDED", "/maxContains"],
          ["MIN_CONTAINS_INCREASED", "/minContains"],
        ],
        backward: false,
        forward: true,
      },
    },
  ],
  [
    "maxContains increased, minContains decreased",
    {
      previous: arr({ contains: num, minContains: 2, maxContains: 3 }),
      current: arr({ contains: num, maxContains: 4 }),
      want: {
        types: [
          ["MAX_CONTAINS_INCREASED", "/maxContains"],
          ["MIN_CONTAINS_DECREASED", "/minContains"],
        ],
        backward: true,
        forward: false,
      },
    },
  ],
  [
    "minContains 1 is its default",
    {
      previous: arr({ contains: num, minContains: 1 }),
      current: arr({ contains: num }),
      want: { types: [], backward: true, forward: true },
    },
  ],
];

/** Objects: properties added and removed against open, partially open and closed content models. */
export const CONTENT_MODEL: Table = [
  [
    "optional property added to an open object (DESIGN §4)",
    {
      previous: obj({ id: str }),
      current: obj({ id: str, note: str }),
      want: { types: [["OPTIONAL_PROPERTY_ADDED_TO_OPEN_CONTENT_MODEL", "/properties/note"]], backward: false, forward: true },
    },
  ],
  [
    "optional property added to a closed object",
    {
      previous: closed({ id: str }),
      current: closed({ id: str, note: str }),
      want: { types: [["OPTIONAL_PROPERTY_ADDED_TO_UNOPEN_CONTENT_MODEL", "/properties/note"]], backward: true, forward: false },
    },
  ],
  [
    "unevaluatedProperties: false closes the object like additionalProperties: false",
    {
      previous: obj({ id: str }, { unevaluatedProperties: false }),
      current: obj({ id: str, note: str }, { unevaluatedProperties: false }),
      want: { types: [["OPTIONAL_PROPERTY_ADDED_TO_UNOPEN_CONTENT_MODEL", "/properties/note"]], backward: true, forward: false },
    },
  ],
  [
    "additionalProperties: false to unevaluatedProperties: false changes nothing",
    {
      previous: closed({ id: str }),
      current: obj({ id: str }, { unevaluatedProperties: false }),
      want: { types: [], backward: true, forward: true },
    },
  ],
  [
    "unevaluatedProperties: false dropped",
    {
      previous: obj({ id: str }, { unevaluatedProperties: false }),
      current: obj({ id: str }),
      want: { types: [["UNEVALUATED_PROPERTIES_ADDED", "/unevaluatedProperties"]], backward: true, forward: false },
    },
  ],
  [
    "unevaluatedProperties narrowed to a schema",
    {
      previous: obj({ id: str }),
      current: obj({ id: str }, { unevaluatedProperties: str }),
      want: { types: [["UNEVALUATED_PROPERTIES_NARROWED", "/unevaluatedProperties"]], backward: false, forward: true },
    },
  ],
  [
    "property added, covered by unevaluatedProperties",
    {
      previous: obj({ id: str }, { unevaluatedProperties: str }),
      current: obj({ id: str, note: str }, { unevaluatedProperties: str }),
      want: {
        types: [
          ["OPTIONAL_PROPERTY_ADDED_TO_UNOPEN_CONTENT_MODEL", "/properties/note"],
          ["PROPERTY_ADDED_IS_COVERED_BY_PARTIALLY_OPEN_CONTENT_MODEL", "/properties/note"],
        ],
        backward: true,
        forward: true,
      },
    },
  ],
  [
    "property added, not covered by additionalProperties",
    {
      previous: obj({ id: str }, { additionalProperties: str }),
      current: obj({ id: str, count: num }, { additionalProperties: str }),
      want: {
        types: [
          ["OPTIONAL_PROPERTY_ADDED_TO_UNOPEN_CONTENT_MODEL", "/properties/count"],
          ["PROPERTY_ADDED_NOT_COVERED_BY_PARTIALLY_OPEN_CONTENT_MODEL", "/properties/count"],
          ["TYPE_CHANGED", "/properties/count"],
        ],
        backward: false,
        forward: false,
      },
    },
  ],
  [
    "property removed from an open object",
    {
      previous: obj({ id: str, note: str }),
      current: obj({ id: str }),
      want: { types: [["PROPERTY_REMOVED_FROM_OPEN_CONTENT_MODEL", "/properties/note"]], backward: true, forward: false },
    },
  ],
  [
    "property removed from a closed object",
    {
      previous: closed({ id: str, note: str }),
      current: closed({ id: str }),
      want: { types: [["PROPERTY_REMOVED_FROM_CLOSED_CONTENT_MODEL", "/properties/note"]], backward: false, forward: true },
    },
  ],
  [
    "property that held nothing removed from a closed object",
    {
      previous: closed({ id: str, legacy: false }),
      current: closed({ id: str }),
      want: { types: [["PROPERTY_WITH_FALSE_REMOVED_FROM_CLOSED_CONTENT_MODEL", "/properties/legacy"]], backward: true, forward: true },
    },
  ],
  [
    "property removed, not covered by additionalProperties",
    {
      previous: closed({ id: str, count: num }),
      current: obj({ id: str }, { additionalProperties: str }),
      want: {
        types: [
          ["ADDITIONAL_PROPERTIES_ADDED", "/additionalProperties"],
          ["PROPERTY_REMOVED_NOT_COVERED_BY_PARTIALLY_OPEN_CONTENT_MODEL", "/properties/count"],
          ["TYPE_CHANGED", "/additionalProperties"],
        ],
        backward: false,
        forward: false,
      },
    },
  ],
  [
    "property removed, covered by a matching patternProperties entry",
    {
      previous: closed({ id: str, x_count: num }),
      current: closed({ id: str }, { patternProperties: { "^x_": num } }),
      want: {
        types: [
          ["OPTIONAL_PROPERTY_ADDED_TO_UNOPEN_CONTENT_MODEL", "/patternProperties/^x_"],
          ["PROPERTY_REMOVED_IS_COVERED_BY_PARTIALLY_OPEN_CONTENT_MODEL", "/properties/x_count"],
        ],
        backward: true,
        forward: false,
      },
    },
  ],
  [
    "patternProperties entry removed from an open object",
    {
      previous: obj({}, { patternProperties: { "^x_": str, "^n_": num } }),
      current: obj({}, { patternProperties: { "^x_": str } }),
      want: { types: [["PROPERTY_REMOVED_FROM_OPEN_CONTENT_MODEL", "/patternProperties/^n_"]], backward: true, forward: false },
    },
  ],
  [
    "patternProperties entry removed from a closed object",
    {
      previous: closed({}, { patternProperties: { "^x_": str } }),
      current: closed({}),
      want: { types: [["PROPERTY_REMOVED_FROM_CLOSED_CONTENT_MODEL", "/patternProperties/^x_"]], backward: false, forward: true },
    },
  ],
  [
    "property that accepts anything added to an open object",
    {
      previous: obj({ id: str }),
      current: obj({ id: str, extra: {} }),
      want: { types: [["PROPERTY_WITH_EMPTY_SCHEMA_ADDED_TO_OPEN_CONTENT_MODEL", "/properties/extra"]], backward: true, forward: true },
    },
  ],
  [
    "a name no pattern matches falls to the open additionalProperties",
    {
      previous: obj({ id: str }, { patternProperties: { "^x_": str } }),
      current: obj({ id: str, note: num }, { patternProperties: { "^x_": str } }),
      want: { types: [["OPTIONAL_PROPERTY_ADDED_TO_OPEN_CONTENT_MODEL", "/properties/note"]], backward: false, forward: true },
    },
  ],
  [
    "additionalProperties true to false",
    {
      previous: obj({ id: str }, { additionalProperties: true }),
      current: closed({ id: str }),
      want: { types: [["ADDITIONAL_PROPERTIES_REMOVED", "/additionalProperties"]], backward: false, forward: true },
    },
  ],
  [
    "additionalProperties: false dropped (pointer into the old schema)",
    {
      previous: closed({ id: str }),
      current: obj({ id: str }),
      want: { types: [["ADDITIONAL_PROPERTIES_ADDED", "/additionalProperties"]], backward: true, forward: false },
    },
  ],
  [
    "additionalProperties narrowed to a schema",
    {
      previous: obj({ id: str }),
      current: obj({ id: str }, { additionalProperties: str }),
      want: { types: [["ADDITIONAL_PROPERTIES_NARROWED", "/additionalProperties"]], backward: false, forward: true },
    },
  ],
  [
    "additionalProperties schema dropped",
    {
      previous: obj({ id: str }, { additionalProperties: str }),
      current: obj({ id: str }, { additionalProperties: {} }),
      want: { types: [["ADDITIONAL_PROPERTIES_EXTENDED", "/additionalProperties"]], backward: true, forward: false },
    },
  ],
  [
    "patternProperties entry changed",
    {
      previous: obj({}, { patternProperties: { "^x_": str } }),
      current: obj({}, { patternProperties: { "^x_": num } }),
      want: { types: [["TYPE_CHANGED", "/patternProperties/^x_"]], backward: false, forward: false },
    },
  ],
  [
    "propertyNames loosened",
    {
      previous: obj({}, { propertyNames: { maxLength: 10 } }),
      current: obj({}, { propertyNames: { maxLength: 20 } }),
      want: { types: [["MAX_LENGTH_INCREASED", "/propertyNames/maxLength"]], backward: true, forward: false },
    },
  ],
  [
    "maxProperties decreased, minProperties added",
    {
      previous: obj({}, { maxProperties: 5 }),
      current: obj({}, { maxProperties: 3, minProperties: 1 }),
      want: {
        types: [
          ["MAX_PROPERTIES_DECREASED", "/maxProperties"],
          ["MIN_PROPERTIES_ADDED", "/minProperties"],
        ],
        backward: false,
        forward: true,
      },
    },
  ],
  [
    "minProperties increased, maxProperties removed",
    {
      previous: obj({}, { maxProperties: 5, minProperties: 1 }),
      current: obj({}, { minProperties: 2 }),
      want: {
        types: [
          ["MAX_PROPERTIES_REMOVED", "/maxProperties"],
          ["MIN_PROPERTIES_INCREASED", "/minProperties"],
        ],
        backward: false,
        forward: false,
      },
    },
  ],
];

/** Required properties, with and without a default. */
export const REQUIRED: Table = [
  [
    "existing property becomes required",
    {
      previous: obj({ id: str, note: str }, { required: ["id"] }),
      current: obj({ id: str, note: str }, { required: ["id", "note"] }),
      want: { types: [["REQUIRED_ATTRIBUTE_ADDED", "/required/1"]], backward: false, forward: true },
    },
  ],
  [
    "existing property with a default becomes required",
    {
      previous: obj({ id: str, note: { ...str, default: "" } }),
      current: obj({ id: str, note: { ...str, default: "" } }, { required: ["note"] }),
      want: { types: [["REQUIRED_ATTRIBUTE_WITH_DEFAULT_ADDED", "/required/0"]], backward: true, forward: true },
    },
  ],
  [
    "property no longer required (pointer into the old schema)",
    {
      previous: obj({ id: str, note: str }, { required: ["id", "note"] }),
      current: obj({ id: str, note: str }, { required: ["id"] }),
      want: { types: [["REQUIRED_ATTRIBUTE_REMOVED", "/required/1"]], backward: true, forward: false },
    },
  ],
  [
    "required property added to a closed object",
    {
      previous: closed({ id: str }, { required: ["id"] }),
      current: closed({ id: str, code: str }, { required: ["id", "code"] }),
      want: { types: [["REQUIRED_PROPERTY_ADDED_TO_UNOPEN_CONTENT_MODEL", "/properties/code"]], backward: false, forward: false },
    },
  ],
  [
    "required property with a default added to a closed object",
    {
      previous: closed({ id: str }),
      current: closed({ id: str, code: { ...str, default: "n/a" } }, { required: ["code"] }),
      want: {
        types: [["REQUIRED_PROPERTY_WITH_DEFAULT_ADDED_TO_UNOPEN_CONTENT_MODEL", "/properties/code"]],
        backward: true,
        forward: false,
      },
    },
  ],
  [
    "required property added to an open object",
    {
      previous: obj({ id: str }),
      current: obj({ id: str, code: str }, { required: ["code"] }),
      want: { types: [["REQUIRED_PROPERTY_ADDED_TO_OPEN_CONTENT_MODEL", "/properties/code"]], backward: false, forward: true },
    },
  ],
  [
    "required property with a default added to an open object",
    {
      previous: obj({ id: str }),
      current: obj({ id: str, code: { ...str, default: "n/a" } }, { required: ["code"] }),
      want: { types: [["REQUIRED_PROPERTY_WITH_DEFAULT_ADDED_TO_OPEN_CONTENT_MODEL", "/properties/code"]], backward: false, forward: true },
    },
  ],
  [
    "a required name no property declares is not compared (as Confluent)",
    {
      previous: { type: "object", required: ["a"] },
      current: { type: "object", required: ["a", "b"] },
      want: { types: [], backward: true, forward: true },
    },
  ],
];

/** `dependentRequired`/`dependentSchemas` (and draft-07 `dependencies`). */
export const DEPENDENCIES: Table = [
  [
    "dependentRequired added",
    {
      previous: obj({ a: str, b: str }),
      current: obj({ a: str, b: str }, { dependentRequired: { a: ["b"] } }),
      want: { types: [["DEPENDENCY_ARRAY_ADDED", "/dependentRequired/a"]], backward: false, forward: true },
    },
  ],
  [
    "dependentRequired extended",
    {
      previous: obj({ a: str }, { dependentRequired: { a: ["b"] } }),
      current: obj({ a: str }, { dependentRequired: { a: ["b", "c"] } }),
      want: { types: [["DEPENDENCY_ARRAY_EXTENDED", "/dependentRequired/a"]], backward: false, forward: true },
    },
  ],
  [
    "dependentRequired changed",
    {
      previous: obj({ a: str }, { dependentRequired: { a: ["b"] } }),
      current: obj({ a: str }, { dependentRequired: { a: ["c"] } }),
      want: { types: [["DEPENDENCY_ARRAY_CHANGED", "/dependentRequired/a"]], backward: false, forward: false },
    },
  ],
  [
    "draft-07 dependencies array removed",
    {
      previous: { $schema: DRAFT_07, ...obj({ a: str }, { dependencies: { a: ["b"] } }) },
      current: { $schema: DRAFT_07, ...obj({ a: str }, { dependencies: {} }) },
      want: { types: [["DEPENDENCY_ARRAY_REMOVED", "/dependencies/a"]], backward: true, forward: false },
    },
  ],
  [
    "dependentSchemas removed",
    {
      previous: obj({ a: str }, { dependentSchemas: { a: { required: ["b"] } } }),
      current: obj({ a: str }),
      want: { types: [["DEPENDENCY_SCHEMA_REMOVED", "/dependentSchemas/a"]], backward: true, forward: false },
    },
  ],
  [
    "dependentSchemas changed inside",
    {
      previous: obj({ a: str }, { dependentSchemas: { a: { properties: { b: str } } } }),
      current: obj({ a: str }, { dependentSchemas: { a: { properties: { b: num } } } }),
      want: { types: [["TYPE_CHANGED", "/dependentSchemas/a/properties/b"]], backward: false, forward: false },
    },
  ],
];

/** `enum` and `const`, alone and next to `type`. */
export const ENUMS: Table = [
  [
    "enum extended",
    {
      previous: { ...str, enum: ["a", "b"] },
      current: { ...str, enum: ["a", "b", "c"] },
      want: { types: [["ENUM_ARRAY_EXTENDED", "/enum"]], backward: true, forward: false },
    },
  ],
  [
    "enum narrowed",
    {
      previous: { enum: ["a", "b"] },
      current: { enum: ["a"] },
      want: { types: [["ENUM_ARRAY_NARROWED", "/enum"]], backward: false, forward: true },
    },
  ],
  [
    "enum changed",
    {
      previous: { enum: ["a", "b"] },
      current: { enum: ["a", "c"] },
      want: { types: [["ENUM_ARRAY_CHANGED", "/enum"]], backward: false, forward: false },
    },
  ],
  [
    "enum reordered, object values with keys reordered",
    {
      previous: { enum: [{ x: 1, y: 2 }, "a"] },
      current: { enum: ["a", { y: 2, x: 1 }] },
      want: { types: [], backward: true, forward: true },
    },
  ],
  [
    "const and a one-value enum are the same",
    { previous: { const: "a" }, current: { enum: ["a"] }, want: { types: [], backward: true, forward: true } },
  ],
  [
    "const changed",
    {
      previous: obj({ kind: { const: "a" } }),
      current: obj({ kind: { const: "b" } }),
      want: { types: [["ENUM_ARRAY_CHANGED", "/properties/kind/const"]], backward: false, forward: false },
    },
  ],
  [
    "enum removed next to type",
    { previous: { ...str, enum: ["a"] }, current: str, want: { types: [["PRODUCT_TYPE_NARROWED", ""]], backward: true, forward: false } },
  ],
  [
    "enum added next to type",
    { previous: str, current: { ...str, enum: ["a"] }, want: { types: [["PRODUCT_TYPE_EXTENDED", ""]], backward: false, forward: true } },
  ],
  [
    "maxLength decreased next to an enum is reported where it is",
    {
      previous: { ...str, enum: ["a", "bb"], maxLength: 5 },
      current: { ...str, enum: ["a", "bb"], maxLength: 3 },
      want: { types: [["MAX_LENGTH_DECREASED", "/maxLength"]], backward: false, forward: true },
    },
  ],
];

/** `base` with `if`, `then` and `else` (built from entries: an object literal with `then` is thenable). */
function conditional(base: object, condition: unknown, then?: unknown, otherwise?: unknown): Record<string, unknown> {
  const branches: [string, unknown][] = [
    ["if", condition],
    ["then", then],
    ["else", otherwise],
  ];
  return { ...base, ...Object.fromEntries(branches.filter(([, v]) => v !== undefined)) };
}

/** Unions, products, type arrays, `not`, `if`/`then`/`else`. */
export const COMBINED: Table = [
  [
    "type array gains null",
    { previous: str, current: { type: ["string", "null"] }, want: { types: [["SUM_TYPE_EXTENDED", ""]], backward: true, forward: false } },
  ],
  [
    "type array loses null",
    { previous: { type: ["string", "null"] }, current: str, want: { types: [["SUM_TYPE_NARROWED", ""]], backward: false, forward: true } },
  ],
  [
    "nullable string: maxLength decreased",
    {
      previous: { type: ["string", "null"], maxLength: 10 },
      current: { type: ["string", "null"], maxLength: 5 },
      want: { types: [["MAX_LENGTH_DECREASED", "/maxLength"]], backward: false, forward: true },
    },
  ],
  [
    "oneOf gains a branch",
    {
      previous: { oneOf: [str, num] },
      current: { oneOf: [str, num, { type: "boolean" }] },
      want: { types: [["SUM_TYPE_EXTENDED", ""]], backward: true, forward: false },
    },
  ],
  [
    "oneOf branch replaced",
    {
      previous: { oneOf: [str, num] },
      current: { oneOf: [str, { type: "boolean" }] },
      want: { types: [["COMBINED_TYPE_SUBSCHEMAS_CHANGED", ""]], backward: false, forward: false },
    },
  ],
  [
    "compatible change inside an anyOf branch",
    {
      previous: { anyOf: [{ ...str, maxLength: 5 }, num] },
      current: { anyOf: [{ ...str, maxLength: 10 }, num] },
      want: { types: [["MAX_LENGTH_INCREASED", "/anyOf/0/maxLength"]], backward: true, forward: false },
    },
  ],
  [
    "branches reordered",
    {
      previous: { oneOf: [str, num, obj({ a: str })] },
      current: { oneOf: [obj({ a: str }), num, str] },
      want: { types: [], backward: true, forward: true },
    },
  ],
  [
    "oneOf to anyOf",
    {
      previous: { oneOf: [str, num] },
      current: { anyOf: [str, num] },
      want: { types: [["COMBINED_TYPE_EXTENDED", ""]], backward: true, forward: false },
    },
  ],
  [
    "anyOf to allOf",
    {
      previous: { anyOf: [str, num] },
      current: { allOf: [str, num] },
      want: { types: [["COMBINED_TYPE_CHANGED", ""]], backward: false, forward: true },
    },
  ],
  [
    "allOf gains a branch",
    {
      previous: { allOf: [str] },
      current: { allOf: [str, { maxLength: 5 }] },
      want: { types: [["PRODUCT_TYPE_EXTENDED", ""]], backward: false, forward: true },
    },
  ],
  [
    "single schema into a oneOf",
    {
      previous: str,
      current: { oneOf: [str, num] },
      want: { types: [["SUM_TYPE_EXTENDED", ""]], backward: true, forward: false },
    },
  ],
  [
    "single schema into a one-branch allOf",
    { previous: str, current: { allOf: [str] }, want: { types: [], backward: true, forward: true } },
  ],
  [
    "not excludes fewer values",
    {
      previous: { not: { type: ["string", "number"] } },
      current: { not: str },
      want: { types: [["NOT_TYPE_NARROWED", "/not"]], backward: true, forward: false },
    },
  ],
  [
    "not excludes more values",
    {
      previous: { not: str },
      current: { not: { type: ["string", "number"] } },
      want: { types: [["NOT_TYPE_EXTENDED", "/not"]], backward: false, forward: true },
    },
  ],
  [
    "then branch loosened",
    {
      previous: conditional(obj({ kind: str, code: str }), obj({ kind: { const: "a" } }), obj({ code: { maxLength: 3 } })),
      current: conditional(obj({ kind: str, code: str }), obj({ kind: { const: "a" } }), obj({ code: { maxLength: 5 } })),
      want: { types: [["MAX_LENGTH_INCREASED", "/then/properties/code/maxLength"]], backward: true, forward: false },
    },
  ],
  [
    "if condition changed",
    {
      previous: conditional(obj({ kind: str }), obj({ kind: { const: "a" } }), { required: ["code"] }),
      current: conditional(obj({ kind: str }), obj({ kind: { enum: ["a", "b"] } }), { required: ["code"] }),
      want: { types: [["COMBINED_TYPE_SUBSCHEMAS_CHANGED", "/if"]], backward: false, forward: false },
    },
  ],
  [
    "else branch added",
    {
      previous: conditional(obj({ kind: str }), obj({ kind: { const: "a" } })),
      current: conditional(obj({ kind: str }), obj({ kind: { const: "a" } }), undefined, obj({ kind: { maxLength: 1 } })),
      want: { types: [["SCHEMA_ADDED", "/else"]], backward: false, forward: true },
    },
  ],
  [
    "conditional added",
    {
      previous: obj({ kind: str }),
      current: conditional(obj({ kind: str }), obj({ kind: { const: "a" } }), { required: ["kind"] }),
      want: { types: [["PRODUCT_TYPE_EXTENDED", ""]], backward: false, forward: true },
    },
  ],
];

const named = (name: unknown) => ({ $defs: { Name: name } });

/** Same-document references: definitions that change, recursion, anchors, unresolvable references. */
export const REFS: Table = [
  [
    "a $ref into $defs whose target changes: reported at the definition",
    {
      previous: { ...obj({ first: { $ref: "#/$defs/Name" } }), ...named({ ...str, maxLength: 50 }) },
      current: { ...obj({ first: { $ref: "#/$defs/Name" } }), ...named({ ...str, maxLength: 20 }) },
      want: { types: [["MAX_LENGTH_DECREASED", "/$defs/Name/maxLength"]], backward: false, forward: true },
    },
  ],
  [
    "a definition used twice is reported once",
    {
      previous: { ...obj({ first: { $ref: "#/$defs/Name" }, last: { $ref: "#/$defs/Name" } }), ...named(str) },
      current: { ...obj({ first: { $ref: "#/$defs/Name" }, last: { $ref: "#/$defs/Name" } }), ...named(num) },
      want: { types: [["TYPE_CHANGED", "/$defs/Name"]], backward: false, forward: false },
    },
  ],
  [
    "inlining a definition changes nothing",
    {
      previous: { ...obj({ first: { $ref: "#/$defs/Name" } }), ...named({ ...str, maxLength: 50 }) },
      current: obj({ first: { ...str, maxLength: 50 } }),
      want: { types: [], backward: true, forward: true },
    },
  ],
  [
    "draft-07 definitions",
    {
      previous: { $schema: DRAFT_07, ...obj({ a: { $ref: "#/definitions/A" } }), definitions: { A: str } },
      current: { $schema: DRAFT_07, ...obj({ a: { $ref: "#/definitions/A" } }), definitions: { A: num } },
      want: { types: [["TYPE_CHANGED", "/definitions/A"]], backward: false, forward: false },
    },
  ],
  [
    "$anchor reference",
    {
      previous: { ...obj({ a: { $ref: "#name" } }), $defs: { N: { $anchor: "name", ...str, maxLength: 5 } } },
      current: { ...obj({ a: { $ref: "#name" } }), $defs: { N: { $anchor: "name", ...str, maxLength: 4 } } },
      want: { types: [["MAX_LENGTH_DECREASED", "/$defs/N/maxLength"]], backward: false, forward: true },
    },
  ],
  [
    "recursive schema with a change deep inside",
    {
      previous: {
        $ref: "#/$defs/Node",
        $defs: { Node: obj({ name: { ...str, maxLength: 5 }, children: { type: "array", items: { $ref: "#/$defs/Node" } } }) },
      },
      current: {
        $ref: "#/$defs/Node",
        $defs: { Node: obj({ name: { ...str, maxLength: 3 }, children: { type: "array", items: { $ref: "#/$defs/Node" } } }) },
      },
      want: { types: [["MAX_LENGTH_DECREASED", "/$defs/Node/properties/name/maxLength"]], backward: false, forward: true },
    },
  ],
  [
    "reference to the root",
    {
      previous: obj({ n: { type: "integer" }, self: { $ref: "#" } }),
      current: obj({ n: num, self: { $ref: "#" } }),
      want: { types: [["TYPE_EXTENDED", "/properties/n"]], backward: true, forward: false },
    },
  ],
  [
    "a reference that does not resolve is the empty schema",
    {
      previous: obj({ a: { $ref: "other.json#/$defs/A" } }),
      current: obj({ a: str }),
      want: { types: [["TYPE_CHANGED", "/properties/a"]], backward: false, forward: true },
    },
  ],
  [
    "a reference through the root $id",
    {
      previous: { $id: "https://example.com/e.json", ...obj({ a: { $ref: "https://example.com/e.json#/$defs/Name" } }), ...named(str) },
      current: { $id: "https://example.com/e.json", ...obj({ a: { $ref: "https://example.com/e.json#/$defs/Name" } }), ...named(num) },
      want: { types: [["TYPE_CHANGED", "/$defs/Name"]], backward: false, forward: false },
    },
  ],
];

/** Every table, by family. */
export const TABLES: Record<string, Table> = {
  annotations: ANNOTATIONS,
  types: TYPES,
  strings: STRINGS,
  numbers: NUMBERS,
  arrays: ARRAYS,
  "content model": CONTENT_MODEL,
  required: REQUIRED,
  dependencies: DEPENDENCIES,
  enums: ENUMS,
  combined: COMBINED,
  references: REFS,
};
