/**
 * Makes the house meta-schemas that editors check our files with (editor/*.schema.json, docs/authoring.md
 * "Editor support") from the build's own lists, so that the two cannot drift: the keywords of
 * 2020-12 (src/schema/walk.ts), the ts* keywords, the formats and dialect URIs (src/schema/ajv.ts), the
 * reserved keys (src/stages/parse.ts). `npx tsx scripts/editor-schemas.ts --write` rewrites them;
 * test/editor-schema.test.ts fails when they are stale.
 *
 * The meta-schemas are written in draft-07, the newest dialect that VS Code, JetBrains IDEs and the
 * JSON language servers all implement fully, and are self-contained: the official 2020-12
 * meta-schema recurses through `$dynamicRef`, which VS Code's validator does not implement, so the
 * keywords are described here (with house texts that teach) rather than referenced, and nothing is
 * ever fetched.
 */

// biome-ignore-all lint/suspicious/noTemplateCurlyInString: "${1:…}" are placeholders of VS Code's snippets, not templates
import { writeFile } from "node:fs/promises";
import path from "node:path";
import {
  EDITOR_FOLDER,
  EDITOR_SCHEMA_FILES,
  EDITOR_SCHEMA_IDS,
  type EditorSchemaKind,
  EVENT_SCHEMA_REF,
} from "../src/authoring/editor-schema.js";
import { ALLOWED_FORMATS, DIALECT_URIS } from "../src/schema/ajv.js";
import { PATTERN_LIMITS } from "../src/schema/redos.js";
import { ID_BASE } from "../src/schema/refs.js";
import { ALLOW_UNPROVEN_PATTERNS, KNOWN_KEYWORDS, SIGNED, TS_KEYWORDS } from "../src/schema/walk.js";
import { RESERVED_KEYS } from "../src/stages/parse.js";

type Json = Record<string, unknown>;

const DRAFT_07 = "http://json-schema.org/draft-07/schema#";

/** The `$schema` URIs of 2020-12: the dialect the house meta-schemas describe. */
export const DIALECT_2020_12_URIS = Object.keys(DIALECT_URIS).filter((uri) => DIALECT_URIS[uri] === "2020-12");

/** What only `domain-events check` can tell: rules that JSON Schema cannot express (listed in the meta-schemas and in docs/authoring.md). */
export const CHECK_ONLY = [
  "examples valid against the schema itself (SCHEMA_EXAMPLE_INVALID)",
  "required names defined in properties (SCHEMA_REQUIRED_UNDEFINED)",
  "$ref targets that exist, stay inside events/, point into _shared/ or the same file, and form no cycle (SCHEMA_REF_MISSING, SCHEMA_REF_OUTSIDE, SCHEMA_REF_TO_EVENT, SCHEMA_REF_CYCLE)",
  "patterns that compile with the u flag and that the ReDoS analyser proves safe, or that an allowUnprovenPatterns beside them allows (SCHEMA_PATTERN, SCHEMA_PATTERN_UNSAFE, SCHEMA_PATTERN_UNPROVEN)",
  "the exact $id derived from the path (SCHEMA_ID)",
  "ajv's strict compilation (SCHEMA_COMPILE)",
  "file names, depths and version chains (LAYOUT_*, VERSION_*), compatibility (COMPAT_*), generated names (GENERATE_TYPE_NAME)",
  "hidden characters and size limits (PARSE_HIDDEN_CHARACTER, PARSE_LIMIT_*, LAYOUT_LIMIT_SIZE)",
  "draft-07 files: editors check them against the official draft-07 meta-schema only",
];

/**
 * A text for both kinds of editor: `markdownDescription` (VS Code renders it in hovers) and
 * `description` (the same without backticks, for editors that show plain text).
 */
function doc(text: string): Json {
  return { description: text.replace(/`/g, ""), markdownDescription: text };
}

const ref = (name: string): Json => ({ $ref: `#/definitions/${name}` });

/**
 * A keyword the build refuses where it stands. `not: {}` refuses it; VS Code's message for that is
 * generic, so `deprecationMessage` says why (VS Code shows it on the key, and never suggests it).
 */
function banned(text: string): Json {
  return { ...doc(text), deprecationMessage: text.replace(/`/g, ""), not: {}, doNotSuggest: true };
}

/** Key names that reach Object.prototype: refused anywhere in a file (PARSE_RESERVED_KEY). */
const KEY: Json = {
  type: "string",
  pattern: `^(?!(${[...RESERVED_KEYS].map((k) => k.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")).join("|")})$)`,
  patternErrorMessage:
    "This name is a member of Object.prototype (PARSE_RESERVED_KEY): as a key it would reach the prototype in the code that reads the event. Choose another name.",
};

const NON_BLANK: Json = { type: "string", pattern: "\\S", patternErrorMessage: "Must not be blank." };

/** Per format: what it accepts. Must cover exactly ALLOWED_FORMATS. */
const FORMAT_TEXTS: Record<(typeof ALLOWED_FORMATS)[number], string> = {
  date: "RFC 3339 full-date: `2024-03-18`.",
  "date-time": "RFC 3339 date-time with a time zone: `2024-03-18T09:30:00Z`.",
  duration: "ISO 8601 duration: `P1M`, `PT15M`.",
  email: "An e-mail address: `jane@example.com`.",
  hostname: "An RFC 1123 host name: `api.example.com`.",
  ipv4: "An IPv4 address: `192.0.2.1`.",
  ipv6: "An IPv6 address: `2001:db8::1`.",
  "json-pointer": "An RFC 6901 JSON pointer: `/lineItems/0/amount`.",
  regex: "A regular expression (ECMA-262).",
  time: "RFC 3339 full-time with a time zone: `09:30:00Z`.",
  uri: "An absolute URI: `https://example.com/receipts/123`.",
  "uri-reference": "A URI or a relative reference: `/systems/billing`.",
  uuid: "An RFC 4122 UUID: `123e4567-e89b-12d3-a456-426614174000`.",
};

const TYPE_TEXTS: Record<string, string> = {
  array: "A JSON array: describe its items with `items`.",
  boolean: "true or false.",
  integer: "A number without a fraction: amounts in minor units (cents), counts.",
  null: 'Only null. In a union (`["string", "null"]`) it makes a value nullable, which is not the same as optional.',
  number: "Any JSON number. For money use an integer in minor units (`_shared/money.json`): no floating-point rounding.",
  object: "A JSON object: list its fields in `properties` and say whether others are allowed with `additionalProperties`.",
  string: "A JSON string: constrain it with `format`, `pattern`, `enum` or lengths.",
};

const CONTENT_MODEL_TEXT =
  "Whether this object accepts properties beyond those it lists. `false` (closed, the usual choice for events): a typo in a property name is an error, and adding an optional property later is backward compatible (old events still fit) but not forward compatible (consumers still on the old version reject new events). `true` or a schema (open): consumers tolerate what they do not know, so adding a property is forward compatible, but under the STRICT policy not backward compatible, since an old event may already carry that name with another type. Every object must state it or `unevaluatedProperties` (SCHEMA_CONTENT_MODEL): it decides which changes are compatible.";

const TS_TEXT =
  "json-schema-to-typescript pastes this keyword's value into the generated types as raw TypeScript, so the build refuses it (SCHEMA_TS_KEYWORD). Describe the type with JSON Schema keywords instead.";

const ID_TEXT =
  "Leave `$id` out: the build derives every file's id from its path (`https://domain-events.invalid/<path under events/>`); a file that states one must state exactly that (SCHEMA_ID), and a subschema has none.";

/** Every keyword of 2020-12 that the build accepts, with the schema of its value. Must cover exactly KNOWN_KEYWORDS["2020-12"]. */
function keywordTable(): Record<string, Json> {
  return {
    $schema: {
      ...doc(
        "The dialect, at the top of a file only (SCHEMA_DIALECT). Write the path to the house meta-schema (`../../../editor/event.schema.json` in an event) so that your editor checks the house rules as you type; for the build it means JSON Schema 2020-12.",
      ),
      type: "string",
      doNotSuggest: true,
    },
    $id: { ...doc(ID_TEXT), type: "string", doNotSuggest: true },
    $ref: {
      ...doc(
        "A reference to a schema: `#/$defs/lineItem` in the same file, or a path relative to this file into `_shared/` (`../../_shared/money.json`, `../../_shared/ids.json#/$defs/contractId`). Siblings such as `description` annotate it. URLs and absolute paths are refused (SCHEMA_REF_REMOTE): the build never touches the network; fragments are JSON pointers.",
      ),
      allOf: [ref("reference")],
    },
    $dynamicRef: {
      ...doc("A dynamic reference (2020-12). The same rules as `$ref`: a relative path or a JSON pointer."),
      allOf: [ref("reference")],
    },
    $anchor: {
      ...doc("A plain-name anchor. References to it (`#name`) are refused: fragments are JSON pointers here."),
      type: "string",
      pattern: "^[A-Za-z_][-A-Za-z0-9._]*$",
    },
    $dynamicAnchor: { ...doc("A dynamic anchor (2020-12)."), type: "string", pattern: "^[A-Za-z_][-A-Za-z0-9._]*$" },
    $vocabulary: {
      ...doc("Vocabularies of a meta-schema: not for event schemas."),
      type: "object",
      propertyNames: ref("key"),
      additionalProperties: { type: "boolean" },
    },
    $comment: { ...doc("A note for the people who maintain the schema; not published in any type or validator."), type: "string" },
    $defs: {
      ...doc(
        "Definitions used only by this file, referenced as `#/$defs/<name>`. Each becomes a TypeScript type named after the event plus the key (`InvoiceIssuedV2LineItem`). What several events share belongs in `_shared/`.",
      ),
      allOf: [ref("schemaMap")],
    },
    definitions: { ...doc("The draft-07 name of `$defs`; prefer `$defs` in 2020-12."), allOf: [ref("schemaMap")] },
    title: {
      ...doc(
        "A short human name. Titled subschemas become named TypeScript types; name repeated ones deliberately (two titled `Card` branches come out `Card` and `Card1`).",
      ),
      type: "string",
    },
    description: {
      ...doc("What the value means, for the people who produce and consume it: it lands in the generated JSDoc and the catalog."),
      type: "string",
    },
    default: {
      ...doc("The value a consumer may assume when the property is absent. An annotation: validators do not fill it in."),
      allOf: [ref("data")],
    },
    examples: {
      ...doc("Sample values. In an event file the build validates every example against the schema (SCHEMA_EXAMPLE_INVALID)."),
      type: "array",
      items: ref("data"),
    },
    deprecated: {
      ...doc(
        "`true` marks this value (or, at the top of an event, this version) as on its way out: producers should move on. Must be a boolean (SCHEMA_DEPRECATED).",
      ),
      type: "boolean",
    },
    readOnly: { ...doc("An annotation: the value is managed by its owner and not set by a writer."), type: "boolean" },
    writeOnly: { ...doc("An annotation: the value is written but never read back."), type: "boolean" },
    type: {
      ...doc('What kind of JSON value this is. An event\'s top level is always `"object"` (SCHEMA_NOT_OBJECT).'),
      anyOf: [ref("simpleTypes"), { type: "array", items: ref("simpleTypes"), minItems: 1, uniqueItems: true }],
    },
    const: { ...doc("Exactly this value. Narrowing it later is a breaking change."), allOf: [ref("data")] },
    enum: {
      ...doc(
        "The values allowed. Removing a value breaks old events (backward); adding one breaks consumers still on the old version (forward).",
      ),
      type: "array",
      items: ref("data"),
    },
    multipleOf: { ...doc("The number must be a multiple of this (greater than 0)."), type: "number", exclusiveMinimum: 0 },
    maximum: { ...doc("The largest number allowed (inclusive)."), type: "number" },
    exclusiveMaximum: { ...doc("The number must be smaller than this (2020-12: a number, not a boolean)."), type: "number" },
    minimum: { ...doc("The smallest number allowed (inclusive)."), type: "number" },
    exclusiveMinimum: { ...doc("The number must be greater than this (2020-12: a number, not a boolean)."), type: "number" },
    maxLength: { ...doc("The longest string allowed, in characters."), allOf: [ref("nonNegativeInteger")] },
    minLength: { ...doc("The shortest string allowed, in characters; 1 refuses empty strings."), allOf: [ref("nonNegativeInteger")] },
    pattern: {
      ...doc(
        "A regular expression the string must match (not anchored: write `^…$`). Compiled with the `u` flag (SCHEMA_PATTERN) and proven safe from catastrophic backtracking (SCHEMA_PATTERN_UNSAFE): every consuming service runs it. A pattern the analyser cannot prove (back-references, lookarounds) needs `allowUnprovenPatterns` beside it (SCHEMA_PATTERN_UNPROVEN).",
      ),
      type: "string",
    },
    format: {
      ...doc("A format the validators check. Only these are implemented (SCHEMA_FORMAT); for anything else write a `pattern`."),
      type: "string",
      enum: [...ALLOWED_FORMATS],
      markdownEnumDescriptions: ALLOWED_FORMATS.map((f) => FORMAT_TEXTS[f]),
      enumDescriptions: ALLOWED_FORMATS.map((f) => FORMAT_TEXTS[f].replace(/`/g, "")),
      errorMessage: `Not a format the validators implement (SCHEMA_FORMAT). Use one of: ${ALLOWED_FORMATS.join(", ")}; or a pattern.`,
    },
    items: { ...doc("The schema of every item of the array (2020-12: one schema; tuples use `prefixItems`)."), allOf: [ref("subschema")] },
    prefixItems: { ...doc("Schemas of the first items, position by position (2020-12 tuples)."), allOf: [ref("schemaArray")] },
    contains: { ...doc("At least one item (see `minContains`/`maxContains`) must match this schema."), allOf: [ref("subschema")] },
    maxContains: { ...doc("At most this many items may match `contains`."), allOf: [ref("nonNegativeInteger")] },
    minContains: { ...doc("At least this many items must match `contains` (default 1)."), allOf: [ref("nonNegativeInteger")] },
    maxItems: { ...doc("The most items allowed. Bound arrays that a consumer keeps in memory."), allOf: [ref("nonNegativeInteger")] },
    minItems: { ...doc("The fewest items allowed."), allOf: [ref("nonNegativeInteger")] },
    uniqueItems: { ...doc("`true`: no two items may be equal."), type: "boolean" },
    unevaluatedItems: {
      ...doc("The schema for items that no other keyword (`prefixItems`, `items`, `contains`, combinators) evaluated."),
      allOf: [ref("subschema")],
    },
    properties: {
      ...doc(
        "The fields of the object, each with its schema; give each a `description`. Whether other fields are allowed is `additionalProperties`'s to say.",
      ),
      allOf: [ref("schemaMap")],
    },
    patternProperties: { ...doc("Schemas for the fields whose names match a regular expression (the key)."), allOf: [ref("schemaMap")] },
    additionalProperties: { ...doc(CONTENT_MODEL_TEXT), allOf: [ref("subschema")] },
    unevaluatedProperties: {
      ...doc(
        `The 2020-12 content model that also sees through \`allOf\`, \`$ref\` and the other combinators: \`false\` closes an object composed of several schemas, where \`additionalProperties: false\` would only see its own \`properties\`. ${CONTENT_MODEL_TEXT}`,
      ),
      allOf: [ref("subschema")],
    },
    propertyNames: { ...doc("A schema every field name must match."), allOf: [ref("subschema")] },
    maxProperties: { ...doc("The most fields allowed."), allOf: [ref("nonNegativeInteger")] },
    minProperties: { ...doc("The fewest fields allowed."), allOf: [ref("nonNegativeInteger")] },
    required: {
      ...doc(
        "The fields that must be present, each defined in `properties` (SCHEMA_REQUIRED_UNDEFINED). Making a field required in a released version breaks old events: that is a new version.",
      ),
      allOf: [ref("stringArray")],
    },
    dependentRequired: {
      ...doc("When the field named by the key is present, the listed fields must be too."),
      type: "object",
      propertyNames: ref("key"),
      additionalProperties: ref("stringArray"),
    },
    dependentSchemas: {
      ...doc("When the field named by the key is present, the object must also match its schema."),
      allOf: [ref("schemaMap")],
    },
    allOf: {
      ...doc("The value must match every schema of the list (composition: shared parts plus local ones)."),
      allOf: [ref("schemaArray")],
    },
    anyOf: { ...doc("The value must match at least one schema of the list."), allOf: [ref("schemaArray")] },
    oneOf: {
      ...doc(
        "The value must match exactly one schema of the list: a union. Give each branch a distinguishing `const` (a `kind` field) so that consumers can tell them apart, and a `title` to name its TypeScript type.",
      ),
      allOf: [ref("schemaArray")],
    },
    not: { ...doc("The value must not match this schema."), allOf: [ref("subschema")] },
    if: { ...doc("When the value matches this schema, `then` applies; otherwise `else`."), allOf: [ref("subschema")] },
    // biome-ignore lint/suspicious/noThenProperty: "then" is a JSON Schema keyword
    then: { ...doc("Applies when `if` matches."), allOf: [ref("subschema")] },
    else: { ...doc("Applies when `if` does not match."), allOf: [ref("subschema")] },
    contentEncoding: { ...doc("The encoding of binary data in the string (`base64`). An annotation: not validated."), type: "string" },
    contentMediaType: {
      ...doc("The media type of the string's content (`application/json`). An annotation: not validated."),
      type: "string",
    },
    contentSchema: { ...doc("The schema of the decoded content. An annotation: not validated."), allOf: [ref("subschema")] },
    [ALLOW_UNPROVEN_PATTERNS]: {
      ...doc(
        `The house's own keyword, for the build only (never published): the patterns of this schema (\`pattern\`, keys of \`patternProperties\`) that the ReDoS analyser cannot prove safe and that you allow anyway, each written exactly as it is there, with why it is needed and safe: \`{ "^(\\\\w+)-\\\\1$": "a code repeats its prefix" }\`. The pattern also needs \`maxLength\` (or \`propertyNames\` \`maxLength\`) of at most ${PATTERN_LIMITS.unprovenLength} beside it, and a pattern with a known attack is refused anyway (SCHEMA_PATTERN_UNPROVEN).`,
      ),
      type: "object",
      minProperties: 1,
      additionalProperties: NON_BLANK,
    },
    [SIGNED]: {
      ...doc(
        "The house's keyword of an event that travels signed: `true` at the top of an event's schema, and nowhere else (SCHEMA_SIGNED). Its envelope then requires `signature` and `signaturekeyid`.",
      ),
      const: true,
    },
  };
}

/**
 * The definitions the three meta-schemas share (they live in shared.schema.json). Their notes are
 * `$comment`s, not descriptions: VS Code's hover shows the innermost matching schema's description,
 * which would hide the keyword's own text.
 */
function definitions(): Json {
  const keywords = keywordTable();
  const known = KNOWN_KEYWORDS["2020-12"];
  const missing = [...known].filter((k) => !(k in keywords));
  const extra = Object.keys(keywords).filter((k) => !known.has(k));
  if (missing.length > 0 || extra.length > 0) {
    throw new Error(
      `the keyword table is out of step with KNOWN_KEYWORDS["2020-12"]: missing ${missing.join(", ")}; extra ${extra.join(", ")}`,
    );
  }
  const tsKeywords = Object.fromEntries([...TS_KEYWORDS].sort().map((k) => [k, banned(TS_TEXT)]));
  return {
    file: {
      $comment: "The top level of a schema file: a JSON object, with an optional $id that the build derives anyway.",
      type: "object",
      properties: {
        $id: {
          ...doc(ID_TEXT),
          type: "string",
          pattern: `^${ID_BASE.replace(/[.]/g, "\\.")}`,
          patternErrorMessage: "Leave $id out: the build derives it from the file's path (SCHEMA_ID).",
          doNotSuggest: true,
        },
      },
      allOf: [ref("schema")],
    },
    schema: {
      $comment: "A JSON Schema (2020-12) as the build accepts it.",
      type: ["object", "boolean"],
      properties: { ...keywords, ...tsKeywords },
      additionalProperties: false,
      // SCHEMA_CONTENT_MODEL: an object schema (type "object", or properties without a type) states its content model.
      if: {
        type: "object",
        anyOf: [
          { required: ["type"], properties: { type: { anyOf: [{ const: "object" }, { type: "array", contains: { const: "object" } }] } } },
          { not: { required: ["type"] }, required: ["properties"], properties: { properties: { type: "object" } } },
        ],
      },
      // biome-ignore lint/suspicious/noThenProperty: "then" is a JSON Schema keyword
      then: { anyOf: [{ required: ["additionalProperties"] }, { required: ["unevaluatedProperties"] }] },
    },
    subschema: {
      $comment: "A schema inside a schema file: no $schema nor $id of its own (SCHEMA_DIALECT, SCHEMA_ID).",
      properties: {
        $schema: banned("`$schema` belongs at the top of the file only (SCHEMA_DIALECT)."),
        $id: banned("A subschema has no `$id` of its own (SCHEMA_ID): ids are derived from file paths."),
      },
      allOf: [ref("schema")],
      defaultSnippets: SUBSCHEMA_SNIPPETS,
    },
    schemaArray: { type: "array", minItems: 1, items: ref("subschema") },
    schemaMap: { type: "object", propertyNames: ref("key"), additionalProperties: ref("subschema") },
    stringArray: { type: "array", items: { type: "string" }, uniqueItems: true },
    nonNegativeInteger: { type: "integer", minimum: 0 },
    simpleTypes: {
      enum: Object.keys(TYPE_TEXTS),
      markdownEnumDescriptions: Object.values(TYPE_TEXTS),
      enumDescriptions: Object.values(TYPE_TEXTS).map((t) => t.replace(/`/g, "")),
    },
    reference: {
      type: "string",
      // SCHEMA_REF_REMOTE (no scheme, no absolute path) and a fragment that is a JSON pointer.
      pattern: "^(?![A-Za-z][A-Za-z0-9+.-]*:|/|\\\\)[^#]*(#(/.*)?)?$",
      patternErrorMessage:
        "Refer to this file (#/$defs/name) or, by a relative path, to a file under _shared/ (../../_shared/money.json#/$defs/…): no URL, no absolute path (SCHEMA_REF_REMOTE), and a fragment that is a JSON pointer.",
    },
    key: KEY,
    data: {
      $comment: "Data (examples, defaults, constants): any JSON whose keys do not name members of Object.prototype (PARSE_RESERVED_KEY).",
      propertyNames: ref("key"),
      additionalProperties: ref("data"),
      items: ref("data"),
    },
  };
}

/** Snippets offered where a subschema is typed (a property's value, an item, a branch). */
const SUBSCHEMA_SNIPPETS: Json[] = [
  { label: "string", description: "A string field", body: { description: "${1}", type: "string" } },
  { label: "integer", description: "An integer field", body: { description: "${1}", type: "integer" } },
  { label: "boolean", description: "A boolean field", body: { description: "${1}", type: "boolean" } },
  { label: "enum", description: "One of a set of strings", body: { description: "${1}", type: "string", enum: ["${2}"] } },
  { label: "date-time", description: "An RFC 3339 timestamp", body: { description: "${1}", type: "string", format: "date-time" } },
  {
    label: "object (closed)",
    description: "A nested object that refuses unknown fields",
    body: { description: "${1}", type: "object", additionalProperties: false, required: [], properties: {} },
  },
  { label: "array", description: "A list of items", body: { description: "${1}", type: "array", items: { type: "${2:string}" } } },
  { label: "$ref to _shared/", description: "A shared definition", body: { $ref: "../../_shared/${1:money}.json", description: "${2}" } },
];

const EVENT_TEXT = `The JSON Schema of one event version's **data** (its payload): \`events/<system>/<topic>/<event>.json\` is version 1, \`<event>.v2.json\` version 2, and so on. Its top level needs \`title\`, \`description\` (when the event is emitted, and by whom), \`"type": "object"\` and at least one \`examples\` entry, which the build validates. Editors check what JSON Schema can express; only \`domain-events check\` tells the rest: ${CHECK_ONLY.join("; ")}.`;

const SHARED_TEXT = `A shared definition under \`events/_shared/\` (any file or folder whose name starts with \`_\`): a JSON Schema that events refer to by a relative \`$ref\` (\`../../_shared/money.json\`). It becomes one TypeScript type, declared once. The house rules apply everywhere in it (no ts* keywords, allow-listed formats, objects that state their content model); the event-only ones (title, description, examples at the top) do not. Only \`domain-events check\` tells: ${CHECK_ONLY.join("; ")}.`;

const SYSTEM_TEXT =
  "The system.json of a system (`events/<system>/system.json`): its title, description, owner and the CloudEvents `source` of its events, the records it holds without events of their own (`records`), and nothing else (LAYOUT_SYSTEM_FILE).";

/** A reference into shared.schema.json from another meta-schema. */
const at = (name: string): Json => ({ $ref: `${EDITOR_SCHEMA_FILES.shared}#/definitions/${name}` });

/** The rules of an event file's top level, beyond those of every schema file. */
function eventProperties(): Json {
  return {
    $schema: {
      ...doc(
        `The dialect. \`${EVENT_SCHEMA_REF}\` names this meta-schema, so that editors check the house rules as you type; for the build it means JSON Schema 2020-12, and the package publishes the 2020-12 URI. With the 2020-12 URI itself, editors check the file against the official meta-schema only.`,
      ),
      enum: [EVENT_SCHEMA_REF, ...DIALECT_2020_12_URIS],
    },
    title: { ...doc("The event's human name, in the past tense: `Invoice issued` (SCHEMA_TITLE)."), ...NON_BLANK },
    description: {
      ...doc(
        "When the event is emitted, and by whom (SCHEMA_DESCRIPTION). From version 2 on, also what changed and why: `Version 2: … because …`.",
      ),
      ...NON_BLANK,
    },
    type: { ...doc('An event\'s data is always a JSON object: `"type": "object"` (SCHEMA_NOT_OBJECT).'), const: "object" },
    examples: {
      ...doc(
        "At least one realistic payload (SCHEMA_EXAMPLES; `check` only warns). The build validates each against this schema, and the catalog shows them.",
      ),
      type: "array",
      minItems: 1,
      items: at("data"),
    },
    deprecated: {
      ...doc(
        "`true`: this version is on its way out; producers should move to the latest version. Consumers get a warning (`EVENT_DEPRECATED`) and `@deprecated` in the types. Marking a released version deprecated is a patch release.",
      ),
      type: "boolean",
    },
    signed: {
      ...doc(
        "`true`: the event travels signed. Its envelope requires the CloudEvents extension attributes `signature` and `signaturekeyid`, which the producer fills with its key (docs/test-data.md). Only here, only `true` (SCHEMA_SIGNED); starting or stopping to sign is a new version.",
      ),
      const: true,
    },
  };
}

/** Offered in an empty event file. */
const EVENT_SNIPPETS: Json[] = [
  {
    label: "New event",
    description: "The skeleton of an event version",
    body: {
      $schema: EVENT_SCHEMA_REF,
      title: "${1:Invoice issued}",
      description: "${2:Emitted by … when …}",
      type: "object",
      additionalProperties: false,
      required: [],
      properties: {},
      examples: [{}],
    },
  },
];

/** The three meta-schemas, by kind. */
export function editorSchemas(): Record<EditorSchemaKind, Json> {
  const shared: Json = {
    $schema: DRAFT_07,
    $id: EDITOR_SCHEMA_IDS.shared,
    title: "Shared definition (domain-events)",
    ...doc(SHARED_TEXT),
    type: "object",
    // The file's own rules come first in allOf: VS Code shows the first matching description.
    allOf: [
      {
        properties: {
          $schema: {
            ...doc(
              "The dialect. Write the path to this meta-schema from the file (`../../editor/shared.schema.json` in `_shared/`, one more `../` per folder below it) so that editors check the house rules as you type; for the build it means JSON Schema 2020-12.",
            ),
            anyOf: [{ type: "string", pattern: `^(\\.\\./)+${EDITOR_FOLDER}/shared\\.schema\\.json$` }, { enum: DIALECT_2020_12_URIS }],
          },
        },
      },
      ref("file"),
    ],
    definitions: definitions(),
  };
  const event: Json = {
    $schema: DRAFT_07,
    $id: EDITOR_SCHEMA_IDS.event,
    title: "Event (domain-events)",
    ...doc(EVENT_TEXT),
    type: "object",
    required: ["title", "description", "type", "examples"],
    // The event's own rules come first in allOf: VS Code shows the first matching description.
    allOf: [{ properties: eventProperties() }, at("file")],
    defaultSnippets: EVENT_SNIPPETS,
  };
  const system: Json = {
    $schema: DRAFT_07,
    $id: EDITOR_SCHEMA_IDS.system,
    title: "System (domain-events)",
    ...doc(SYSTEM_TEXT),
    type: "object",
    required: ["title", "description", "owner", "source"],
    additionalProperties: false,
    properties: {
      $schema: { ...doc("Optional, for editors: `../../editor/system.schema.json`. The build ignores it.") },
      title: { ...doc("The system's human name: `Existing business`."), ...NON_BLANK },
      description: {
        ...doc("What the system does, in a sentence or two: it heads the system in the catalog and the AsyncAPI channels."),
        ...NON_BLANK,
      },
      owner: { ...doc("The team that owns the system and its events: `team-existing-business`."), ...NON_BLANK },
      source: {
        ...doc(
          "The CloudEvents `source` of the system's events, a URI reference without spaces: `/systems/existing-business`. Every event's published schema pins its envelope's `source` to it (exactly, or as a prefix when it ends in `/*`).",
        ),
        type: "string",
        pattern: "^\\S+$",
        patternErrorMessage: "A URI reference without spaces, such as /systems/billing (LAYOUT_SYSTEM_FILE).",
      },
      records: {
        ...doc(
          "Optional: the records this system holds that have no events of their own (the payment provider's records), by entity name in PascalCase, each with what it refers to. The test-data cleanup deletes them with the rest (docs/test-data.md).",
        ),
        type: "object",
        propertyNames: { pattern: "^[A-Z][A-Za-z0-9]{0,63}$", patternErrorMessage: "An entity name in PascalCase, such as Stripe." },
        additionalProperties: {
          type: "object",
          required: ["description", "refersTo"],
          additionalProperties: false,
          properties: {
            description: { ...doc("What the system keeps, in a sentence."), ...NON_BLANK },
            refersTo: {
              ...doc("The entities the record refers to: `required`, or `optional` when the record may lack it."),
              type: "object",
              minProperties: 1,
              propertyNames: { pattern: "^[A-Z][A-Za-z0-9]{0,63}$" },
              additionalProperties: { enum: ["required", "optional"] },
            },
          },
        },
      },
    },
    defaultSnippets: [
      {
        label: "New system",
        description: "A system.json",
        body: { title: "${1}", description: "${2}", owner: "${3:team-}", source: "/systems/${4}" },
      },
    ],
  };
  return { event, shared, system };
}

/** The text of a meta-schema file: two-space JSON with a final newline (the tree's canonical layout). */
export function editorSchemaText(schema: Json): string {
  return `${JSON.stringify(schema, null, 2)}\n`;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const schemas = editorSchemas();
  for (const kind of Object.keys(schemas) as EditorSchemaKind[]) {
    const file = path.join(EDITOR_FOLDER, EDITOR_SCHEMA_FILES[kind]);
    if (process.argv.includes("--write")) await writeFile(file, editorSchemaText(schemas[kind]));
    else process.stdout.write(`${file}\n`);
  }
}
