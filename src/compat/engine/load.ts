/**
 * Reads a JSON Schema document into the model of model.ts, as Confluent's readers do:
 *
 * - the dialect comes from `$schema` (2020-12, or draft-04/06/07 read as draft-07), else the caller's;
 * - 2020-12 `prefixItems`/`items` map to draft-07's tuple `items`/`additionalItems`, and
 *   `dependentRequired`/`dependentSchemas` to `dependencies` (the model keeps the source keyword
 *   for pointers);
 * - a schema without `type` is typed by its keywords (`maxLength` makes a string schema that does
 *   not require a string); several constraints in one object become a synthetic `allOf`;
 * - `$ref`s resolve inside the same document (`#`, `#/json/pointer`, `#anchor`, or the root's `$id`
 *   followed by a fragment: refs.ts `resolveLocalRef`); anything else is the empty schema `{}`;
 * - a `patternProperties` key is read as ajv reads it (patterns.ts, the `u` flag); one that is not
 *   a valid pattern there matches no name;
 * - draft-04's boolean `exclusiveMinimum`/`exclusiveMaximum` become the numeric form.
 *
 * Two quirks of Confluent's 2020-12 reader are kept so that verdicts and change types agree with
 * its suite: the root `$id` of a 2020-12 document is its base URI, not an annotation, and an empty
 * `properties: {}` alone does not make an object schema.
 */

import { joinPointer } from "../../diagnostics/index.js";
import type { Dialect } from "../../model/tree.js";
import { patternRegex } from "../../schema/patterns.js";
import { resolveLocalRef } from "../../schema/refs.js";
import { isObject } from "../../schema/walk.js";
import type { ArrayNode, Bounds, CombinedNode, Criterion, Meta, Node, NumberNode, ObjectNode, Rest, StringNode } from "./model.js";

/** One schema document being read: its nodes by pointer, so that each schema object is read once. */
interface Doc {
  root: unknown;
  dialect: Dialect;
  nodes: Map<string, Node>;
}

/** The dialect of a document: from `$schema` when it names one we read, else `fallback`. */
export function dialectOf(root: unknown, fallback: Dialect): Dialect {
  const uri = isObject(root) && typeof root.$schema === "string" ? root.$schema : undefined;
  if (uri === undefined) return fallback;
  if (uri.includes("2020-12")) return "2020-12";
  if (/draft-0[4-7]/.test(uri)) return "draft-07";
  return fallback;
}

/** Reads a whole document; its root is the node returned. */
export function loadSchema(root: unknown, fallback: Dialect): Node {
  const doc: Doc = { root, dialect: dialectOf(root, fallback), nodes: new Map() };
  return read(doc, root, "");
}

/** Keywords that make a schema without `type` a schema of that type (everit's "property sniffing"). */
const STRING_KEYWORDS = ["minLength", "maxLength", "pattern", "format"];
const NUMBER_KEYWORDS = ["minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum", "multipleOf"];
const OBJECT_KEYWORDS = [
  "properties",
  "required",
  "additionalProperties",
  "patternProperties",
  "minProperties",
  "maxProperties",
  "propertyNames",
];
const ARRAY_KEYWORDS = ["items", "minItems", "maxItems", "uniqueItems", "contains"];
const SNIFF: Record<Dialect, Record<"string" | "number" | "object" | "array", readonly string[]>> = {
  "draft-07": {
    string: STRING_KEYWORDS,
    number: NUMBER_KEYWORDS,
    object: [...OBJECT_KEYWORDS, "dependencies"],
    array: [...ARRAY_KEYWORDS, "additionalItems"],
  },
  "2020-12": {
    string: STRING_KEYWORDS,
    number: NUMBER_KEYWORDS,
    object: [...OBJECT_KEYWORDS, "unevaluatedProperties", "dependentRequired", "dependentSchemas"],
    array: [...ARRAY_KEYWORDS, "prefixItems", "unevaluatedItems", "minContains", "maxContains"],
  },
};

const CRITERIA: readonly Criterion[] = ["allOf", "anyOf", "oneOf"];

function read(doc: Doc, value: unknown, ptr: string): Node {
  const known = doc.nodes.get(ptr);
  if (known) return known;
  const node = readFresh(doc, value, ptr);
  doc.nodes.set(ptr, node);
  return node;
}

function readFresh(doc: Doc, value: unknown, ptr: string): Node {
  if (value === false) return { kind: "false", ptr, meta: {}, source: value };
  // `true`, `{}`, and anything that is not a schema at all accept every value.
  if (!isObject(value)) return { kind: "empty", ptr, meta: {}, source: value };
  const o = value;
  const meta = readMeta(doc, o, ptr);
  // draft-07 ignores every keyword next to `$ref`; 2020-12 applies `$ref` next to them.
  if (typeof o.$ref === "string" && doc.dialect === "draft-07") return { ...refNode(doc, o.$ref, ptr, o), meta };

  const parts: Node[] = [];
  if (typeof o.$ref === "string") parts.push(refNode(doc, o.$ref, ptr, o));
  if (Array.isArray(o.enum)) parts.push({ kind: "enum", keyword: "enum", values: o.enum, ptr, meta: {}, source: o });
  if (has(o, "const")) parts.push({ kind: "enum", keyword: "const", values: [o.const], ptr, meta: {}, source: o });
  for (const criterion of CRITERIA) {
    const list = o[criterion];
    if (!Array.isArray(list) || list.length === 0) continue;
    const subschemas = list.map((s, i) => read(doc, s, joinPointer(ptr, criterion, i)));
    parts.push({ kind: "combined", criterion, subschemas, synthetic: false, ptr, meta: {}, source: o });
  }
  if (has(o, "not")) parts.push({ kind: "not", not: read(doc, o.not, joinPointer(ptr, "not")), ptr, meta: {}, source: o });
  parts.push(...typed(doc, o, ptr));
  if (has(o, "if")) {
    parts.push({
      kind: "conditional",
      if: read(doc, o.if, joinPointer(ptr, "if")),
      // biome-ignore lint/suspicious/noThenProperty: "then" is a JSON Schema keyword
      then: has(o, "then") ? read(doc, o.then, joinPointer(ptr, "then")) : undefined,
      else: has(o, "else") ? read(doc, o.else, joinPointer(ptr, "else")) : undefined,
      ptr,
      meta: {},
      source: o,
    });
  }

  const [first] = parts;
  if (!first) return { kind: "empty", ptr, meta, source: o };
  if (parts.length === 1) return { ...first, meta };
  return { kind: "combined", criterion: "allOf", subschemas: parts, synthetic: true, ptr, meta, source: o };
}

function readMeta(doc: Doc, o: Record<string, unknown>, ptr: string): Meta {
  const meta: Meta = {};
  // The root $id of a 2020-12 document is its base URI (Confluent's 2020-12 reader drops it).
  if (typeof o.$id === "string" && !(doc.dialect === "2020-12" && ptr === "")) meta.id = o.$id;
  if (typeof o.title === "string") meta.title = o.title;
  if (typeof o.description === "string") meta.description = o.description;
  if (has(o, "default")) meta.default = { value: o.default };
  return meta;
}

function refNode(doc: Doc, ref: string, ptr: string, source: unknown): Node {
  let target: { node: Node | undefined } | undefined;
  const resolve = (): Node | undefined => {
    if (!target) {
      // A reference that names nothing in this document resolves to no node: the empty schema.
      const at = resolveLocalRef(doc.root, ref);
      target = { node: at === undefined ? undefined : read(doc, at.schema, at.pointer) };
    }
    return target.node;
  };
  return { kind: "ref", resolve, ptr, meta: {}, source };
}

/** The parts that `type` makes, or (without `type`) the ones the keywords imply. */
function typed(doc: Doc, o: Record<string, unknown>, ptr: string): Node[] {
  const declared = typeof o.type === "string" ? [o.type] : Array.isArray(o.type) ? o.type.filter((t) => typeof t === "string") : undefined;
  if (declared) {
    const nodes = [...new Set(declared)].map((t) => typedNode(doc, o, ptr, t, true)).filter((n) => n !== undefined);
    const [only] = nodes;
    if (nodes.length <= 1) return only ? [only] : [];
    return [{ kind: "combined", criterion: "anyOf", subschemas: nodes, synthetic: true, ptr, meta: {}, source: o } satisfies CombinedNode];
  }
  const sniff = SNIFF[doc.dialect];
  const nodes: Node[] = [];
  for (const kind of ["string", "number", "object", "array"] as const) {
    let keywords = sniff[kind].filter((k) => has(o, k));
    // Confluent's 2020-12 reader: an empty `properties` contributes nothing.
    if (doc.dialect === "2020-12")
      keywords = keywords.filter((k) => k !== "properties" || (isObject(o.properties) && Object.keys(o.properties).length > 0));
    if (keywords.length === 0) continue;
    const node = typedNode(doc, o, ptr, kind, false);
    if (node) nodes.push(node);
  }
  return nodes;
}

function typedNode(doc: Doc, o: Record<string, unknown>, ptr: string, type: string, requires: boolean): Node | undefined {
  const base = { ptr, meta: {}, source: o };
  switch (type) {
    case "string":
      return stringNode(o, requires, base);
    case "number":
    case "integer":
      return numberNode(o, requires, type === "integer", base);
    case "boolean":
      return { kind: "boolean", ...base };
    case "null":
      return { kind: "null", ...base };
    case "object":
      return objectNode(doc, o, ptr, requires, base);
    case "array":
      return arrayNode(doc, o, ptr, requires, base);
    default:
      return undefined;
  }
}

type NodeBase = { ptr: string; meta: Meta; source: unknown };

function stringNode(o: Record<string, unknown>, requires: boolean, base: NodeBase): StringNode {
  const node: StringNode = { kind: "string", requires, bounds: counts(o, ["minLength", "maxLength"]), ...base };
  if (typeof o.pattern === "string") node.pattern = o.pattern;
  if (typeof o.format === "string") node.format = o.format;
  return node;
}

function numberNode(o: Record<string, unknown>, requires: boolean, integer: boolean, base: NodeBase): NumberNode {
  const bounds: Bounds = {};
  for (const k of ["minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum"]) {
    const v = o[k];
    if (typeof v === "number" && Number.isFinite(v)) bounds[k] = v;
  }
  // draft-04: `exclusiveMinimum: true` makes `minimum` exclusive.
  for (const [inclusive, exclusive] of [
    ["minimum", "exclusiveMinimum"],
    ["maximum", "exclusiveMaximum"],
  ] as const) {
    if (o[exclusive] === true && bounds[inclusive] !== undefined) {
      bounds[exclusive] = bounds[inclusive];
      delete bounds[inclusive];
    }
  }
  const node: NumberNode = { kind: "number", requires, integer, bounds, ...base };
  if (typeof o.multipleOf === "number" && Number.isFinite(o.multipleOf) && o.multipleOf > 0) node.multipleOf = o.multipleOf;
  return node;
}

function objectNode(doc: Doc, o: Record<string, unknown>, ptr: string, requires: boolean, base: NodeBase): ObjectNode {
  const properties = new Map<string, Node>();
  if (isObject(o.properties)) {
    for (const [name, s] of Object.entries(o.properties)) properties.set(name, read(doc, s, joinPointer(ptr, "properties", name)));
  }
  const patterns: ObjectNode["patterns"] = [];
  if (isObject(o.patternProperties)) {
    for (const [pattern, s] of Object.entries(o.patternProperties)) {
      patterns.push({ pattern, regex: patternRegex(pattern), node: read(doc, s, joinPointer(ptr, "patternProperties", pattern)) });
    }
  }
  const dependentRequired = new Map<string, string[]>();
  const dependentSchemas = new Map<string, Node>();
  const draft07 = doc.dialect === "draft-07";
  const requiredKeyword = draft07 ? "dependencies" : "dependentRequired";
  const schemasKeyword = draft07 ? "dependencies" : "dependentSchemas";
  for (const keyword of new Set([requiredKeyword, schemasKeyword])) {
    const map = o[keyword];
    if (!isObject(map)) continue;
    for (const [name, v] of Object.entries(map)) {
      if (Array.isArray(v) && keyword === requiredKeyword) dependentRequired.set(name, strings(v));
      else if (!Array.isArray(v) && keyword === schemasKeyword) dependentSchemas.set(name, read(doc, v, joinPointer(ptr, keyword, name)));
    }
  }
  const node: ObjectNode = {
    kind: "object",
    requires,
    properties,
    required: Array.isArray(o.required) ? [...new Set(strings(o.required))] : [],
    patterns,
    rest: rest(doc, o, ptr, draft07 ? ["additionalProperties"] : ["additionalProperties", "unevaluatedProperties"]),
    dependentRequired,
    dependentSchemas,
    dependencyKeywords: { required: requiredKeyword, schemas: schemasKeyword },
    bounds: counts(o, ["minProperties", "maxProperties"]),
    ...base,
  };
  if (has(o, "propertyNames")) node.propertyNames = read(doc, o.propertyNames, joinPointer(ptr, "propertyNames"));
  return node;
}

function arrayNode(doc: Doc, o: Record<string, unknown>, ptr: string, requires: boolean, base: NodeBase): ArrayNode {
  let items: Node | undefined;
  let prefix: Node[] = [];
  let prefixKeyword: ArrayNode["prefixKeyword"] = "items";
  let restKeywords: string[];
  if (doc.dialect === "draft-07") {
    if (Array.isArray(o.items)) prefix = o.items.map((s, i) => read(doc, s, joinPointer(ptr, "items", i)));
    else if (has(o, "items")) items = read(doc, o.items, joinPointer(ptr, "items"));
    restKeywords = ["additionalItems"];
  } else {
    if (Array.isArray(o.prefixItems)) {
      prefix = o.prefixItems.map((s, i) => read(doc, s, joinPointer(ptr, "prefixItems", i)));
      prefixKeyword = "prefixItems";
      restKeywords = ["items", "unevaluatedItems"];
    } else if (typeof o.items === "boolean") {
      // Confluent's 2020-12 reader: a boolean `items` alone is the additional-items switch.
      restKeywords = ["items"];
    } else {
      if (has(o, "items")) items = read(doc, o.items, joinPointer(ptr, "items"));
      restKeywords = items ? [] : ["unevaluatedItems"];
    }
  }
  const bounds = counts(o, ["minItems", "maxItems"]);
  const node: ArrayNode = {
    kind: "array",
    requires,
    items,
    prefix,
    prefixKeyword,
    rest: rest(doc, o, ptr, restKeywords),
    bounds,
    uniqueItems: o.uniqueItems === true,
    ...base,
  };
  if (has(o, "contains")) {
    node.contains = read(doc, o.contains, joinPointer(ptr, "contains"));
    if (doc.dialect === "2020-12") Object.assign(bounds, counts(o, ["minContains", "maxContains"]));
    // `contains` alone asks for at least one match (minContains' default), in every dialect.
    bounds.minContains ??= 1;
  }
  return node;
}

/** The first of `keywords` present decides where unlisted properties or items go. */
function rest(doc: Doc, o: Record<string, unknown>, ptr: string, keywords: readonly string[]): Rest {
  for (const keyword of keywords) {
    if (!has(o, keyword)) continue;
    const node = read(doc, o[keyword], joinPointer(ptr, keyword));
    if (node.kind === "false") return { keyword, permits: false };
    if (node.kind === "empty") return { keyword, permits: true };
    return { keyword, permits: true, schema: node };
  }
  return { permits: true };
}

function counts(o: Record<string, unknown>, keywords: readonly string[]): Bounds {
  const out: Bounds = {};
  for (const k of keywords) {
    const v = o[k];
    if (typeof v === "number" && Number.isFinite(v) && v >= 0) out[k] = v;
  }
  return out;
}

function strings(list: readonly unknown[]): string[] {
  return list.filter((s) => typeof s === "string");
}

function has(o: Record<string, unknown>, keyword: string): boolean {
  return Object.hasOwn(o, keyword);
}
