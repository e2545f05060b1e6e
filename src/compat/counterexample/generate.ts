/**
 * Counterexample search, the generator behind steps 2 (seed) and 3 (mutate): a small instance of a
 * schema, built by walking it: `$ref` followed (refs.ts), `allOf` merged, one branch of an
 * `anyOf`/`oneOf` taken, then a value of the first type that gives one. Minimal by default (only
 * what is required); "full" adds every declared property and one array item, to a bounded depth.
 * Best effort: ajv judges every value it gives.
 */

import { escapePointer } from "../../diagnostics/index.js";
import { patternRegex } from "../../schema/patterns.js";
import { resolveLocalRef } from "../../schema/refs.js";
import { isObject } from "../../schema/walk.js";
import { patternSamples } from "./regex.js";
import { arrayShape, count, merge, num, omit, strings, typesOf } from "./schema.js";
import { length, MAX_ARRAY, MAX_DEPTH, MAX_STRING, resize, variant } from "./values.js";

/** What the generator gives when it finds no instance (`false`, an empty enum, a limit reached). */
export const NONE: unique symbol = Symbol("none");

/** Instance depth up to which a "full" instance includes optional properties and array items. */
const FULL_DEPTH = 6;
/** Subschemas one instance may visit: a wide schema gives up rather than build a huge value. */
const MAX_GEN_NODES = 2000;

/** One run of the generator over a schema. */
export interface GenContext {
  root: unknown;
  /** Include every declared property and one array item, not only what is required. */
  full: boolean;
  /** Branch to take at an anyOf/oneOf, by choice key; 0 when absent. */
  choices: ReadonlyMap<string, number>;
  /** The choice points met, with their branch counts. */
  met: Map<string, number>;
  nodes: number;
}

/** A small instance of `schema` (reached by `key`, a pointer-like name of its place), or NONE. */
export function generate(schema: unknown, key: string, depth: number, ctx: GenContext): unknown {
  if (schema === false) return NONE;
  if (!isObject(schema)) return null;
  if (depth > MAX_DEPTH || ++ctx.nodes > MAX_GEN_NODES) return NONE;
  const flat = flatten(schema, key, ctx);
  if (!flat) return NONE;
  const { s, at } = flat;
  if (Object.hasOwn(s, "const")) return s.const;
  if (Array.isArray(s.enum)) return s.enum.length > 0 ? s.enum[0] : NONE;
  for (const type of typesOf(s)) {
    const v = generateType(type, s, at, depth, ctx);
    if (v !== NONE) return v;
  }
  return NONE;
}

/** Resolves `$ref`, merges `allOf`, and takes one branch of `anyOf`/`oneOf`, until none is left. */
function flatten(schema: Record<string, unknown>, key: string, ctx: GenContext): { s: Record<string, unknown>; at: string } | undefined {
  let s: Record<string, unknown> | false = schema;
  let at = key;
  for (let i = 0; i < 64; i++) {
    if (s === false) return undefined;
    if (typeof s.$ref === "string") {
      const target = resolveLocalRef(ctx.root, s.$ref);
      s = target ? merge(target.schema, omit(s, "$ref")) : omit(s, "$ref");
      at = `#${target?.pointer ?? ""}`;
      continue;
    }
    if (Array.isArray(s.allOf)) {
      let merged: Record<string, unknown> | false = omit(s, "allOf");
      for (const part of s.allOf) merged = merged && merge(merged, part);
      s = merged;
      continue;
    }
    const keyword =
      Array.isArray(s.anyOf) && s.anyOf.length > 0 ? "anyOf" : Array.isArray(s.oneOf) && s.oneOf.length > 0 ? "oneOf" : undefined;
    if (keyword) {
      const branches = s[keyword] as unknown[];
      const choiceKey = `${at}/${keyword}`;
      ctx.met.set(choiceKey, branches.length);
      const i = Math.min(ctx.choices.get(choiceKey) ?? 0, branches.length - 1);
      s = merge(omit(s, keyword), branches[i]);
      at = `${choiceKey}/${i}`;
      continue;
    }
    return { s, at };
  }
  return s ? { s, at } : undefined;
}

function generateType(type: string, s: Record<string, unknown>, at: string, depth: number, ctx: GenContext): unknown {
  switch (type) {
    case "null":
      return null;
    case "boolean":
      return false;
    case "number":
    case "integer":
      return generateNumber(s, type === "integer");
    case "string":
      return generateString(s);
    case "array":
      return generateArray(s, at, depth, ctx);
    case "object":
      return generateObject(s, at, depth, ctx);
    default:
      return NONE;
  }
}

function generateObject(s: Record<string, unknown>, at: string, depth: number, ctx: GenContext): unknown {
  const props = isObject(s.properties) ? s.properties : {};
  const required = strings(s.required);
  const optional = ctx.full && depth < FULL_DEPTH;
  const names: string[] = [];
  const add = (n: string) => {
    if (!names.includes(n)) names.push(n);
  };
  // Declaration order reads best; required names the properties do not declare come after.
  for (const n of Object.keys(props)) if (optional || required.includes(n)) add(n);
  for (const n of required) add(n);
  const dependent = isObject(s.dependentRequired) ? s.dependentRequired : {};
  for (const n of [...names]) if (Object.hasOwn(dependent, n)) for (const d of strings(dependent[n])) add(d);
  const minProperties = count(s.minProperties) ?? 0;
  for (const n of Object.keys(props)) if (names.length < minProperties) add(n);
  for (let i = 0; names.length < minProperties && i < 26 && s.additionalProperties !== false; i++) add(String.fromCharCode(97 + i));
  const entries: [string, unknown][] = [];
  for (const n of names) {
    const v = generate(propertySchema(s, n), `${at}/properties/${escapePointer(n)}`, depth + 1, ctx);
    if (v !== NONE) entries.push([n, v]);
    else if (required.includes(n)) return NONE;
  }
  return Object.fromEntries(entries);
}

/** The schema a property's value meets: declared, matched by a pattern, or the additional one. */
function propertySchema(s: Record<string, unknown>, name: string): unknown {
  if (isObject(s.properties) && Object.hasOwn(s.properties, name)) return s.properties[name];
  if (isObject(s.patternProperties)) {
    for (const [pattern, sub] of Object.entries(s.patternProperties)) if (patternRegex(pattern)?.test(name)) return sub;
  }
  return s.additionalProperties ?? true;
}

function generateArray(s: Record<string, unknown>, at: string, depth: number, ctx: GenContext): unknown {
  const { tuple, rest } = arrayShape(s);
  const min = count(s.minItems) ?? 0;
  const max = count(s.maxItems) ?? MAX_ARRAY;
  let n = min;
  if (ctx.full && depth < FULL_DEPTH) n = Math.max(n, tuple.length > 0 ? tuple.length : rest === false ? 0 : 1);
  if (s.contains !== undefined) n = Math.max(n, 1);
  n = Math.min(n, max, MAX_ARRAY);
  const items: unknown[] = [];
  const jsons: string[] = [];
  for (let i = 0; i < n; i++) {
    let sub = i < tuple.length ? tuple[i] : rest;
    if (i === 0 && s.contains !== undefined) sub = merge(sub, s.contains);
    let v = generate(sub, i < tuple.length ? `${at}/prefixItems/${i}` : `${at}/items`, depth + 1, ctx);
    if (v === NONE) {
      if (i < min) return NONE;
      break;
    }
    if (s.uniqueItems === true && jsons.includes(JSON.stringify(v))) v = variant(v, i);
    items.push(v);
    jsons.push(JSON.stringify(v));
  }
  return items;
}

function generateNumber(s: Record<string, unknown>, integer: boolean): number {
  const lo = num(s.minimum);
  const hi = num(s.maximum);
  const exLo = num(s.exclusiveMinimum);
  const exHi = num(s.exclusiveMaximum);
  let v = 0;
  if (lo !== undefined && v < lo) v = lo;
  if (exLo !== undefined && v <= exLo) v = integer ? Math.floor(exLo) + 1 : exLo + 1;
  if (hi !== undefined && v > hi) v = hi;
  if (exHi !== undefined && v >= exHi) v = integer ? Math.ceil(exHi) - 1 : exHi - 1;
  if (integer) v = Math.ceil(v);
  const m = num(s.multipleOf);
  if (m !== undefined && m > 0) v = Math.ceil(v / m) * m;
  return v;
}

/** Valid samples of the common formats, readable ones. */
export const FORMAT_SAMPLES: Record<string, string> = {
  "date-time": "2020-01-01T00:00:00Z",
  date: "2020-01-01",
  time: "00:00:00Z",
  duration: "P1D",
  email: "a@example.com",
  "idn-email": "a@example.com",
  hostname: "example.com",
  "idn-hostname": "example.com",
  ipv4: "127.0.0.1",
  ipv6: "::1",
  uri: "https://example.com",
  iri: "https://example.com",
  "uri-reference": "https://example.com",
  "iri-reference": "https://example.com",
  "uri-template": "https://example.com",
  "json-pointer": "/a",
  "relative-json-pointer": "0",
  regex: "a",
  uuid: "123e4567-e89b-12d3-a456-426614174000",
};

function generateString(s: Record<string, unknown>): string {
  const min = count(s.minLength) ?? 0;
  const max = count(s.maxLength) ?? MAX_STRING;
  const re = typeof s.pattern === "string" ? patternRegex(s.pattern) : undefined;
  const candidates: string[] = [];
  if (typeof s.format === "string" && Object.hasOwn(FORMAT_SAMPLES, s.format)) candidates.push(FORMAT_SAMPLES[s.format] as string);
  if (typeof s.pattern === "string") candidates.push(...patternSamples(s.pattern));
  candidates.push("");
  const fits = (x: string) => (!re || re.test(x)) && length(x) >= min && length(x) <= max;
  for (const c of candidates) {
    if (fits(c)) return c;
    const r = resize(c, Math.min(Math.max(length(c), min), max));
    if (fits(r)) return r;
  }
  return resize(candidates[0] as string, Math.min(min, MAX_STRING));
}
