/**
 * Counterexample search, helpers of every step: reading and combining the keywords of a schema
 * object (merging an `allOf` for the generator, the tuple and rest of an array in either dialect's
 * spelling, the types a schema admits), and small readers of keyword values.
 */

import { isObject } from "../../schema/walk.js";

/** Merges two schemas for the generator (allOf): close enough to find an instance of both. */
export function merge(a: unknown, b: unknown): Record<string, unknown> | false {
  if (a === false || b === false) return false;
  const out: Record<string, unknown> = { ...(isObject(a) ? a : {}) };
  for (const [k, v] of Object.entries(isObject(b) ? b : {})) {
    if (!Object.hasOwn(out, k)) {
      put(out, k, v);
      continue;
    }
    const u = out[k];
    if ((k === "properties" || k === "patternProperties") && isObject(u) && isObject(v)) {
      const m: Record<string, unknown> = { ...u };
      for (const [name, sub] of Object.entries(v)) put(m, name, Object.hasOwn(m, name) ? { allOf: [m[name], sub] } : sub);
      put(out, k, m);
    } else if (k === "required") put(out, k, [...new Set([...strings(u), ...strings(v)])]);
    else if (k === "type") put(out, k, intersectTypes(u, v));
    else if (
      ["minimum", "exclusiveMinimum", "minLength", "minItems", "minProperties"].includes(k) &&
      typeof u === "number" &&
      typeof v === "number"
    )
      put(out, k, Math.max(u, v));
    else if (
      ["maximum", "exclusiveMaximum", "maxLength", "maxItems", "maxProperties"].includes(k) &&
      typeof u === "number" &&
      typeof v === "number"
    )
      put(out, k, Math.min(u, v));
    else if (k === "enum" && Array.isArray(u) && Array.isArray(v)) {
      const keep = new Set(v.map((x) => JSON.stringify(x)));
      put(
        out,
        k,
        u.filter((x) => keep.has(JSON.stringify(x))),
      );
    } else if (k === "allOf" && Array.isArray(u) && Array.isArray(v)) put(out, k, [...u, ...v]);
    else if (k === "$ref") put(out, "allOf", [...(Array.isArray(out.allOf) ? out.allOf : []), { $ref: v }]);
    else if (
      ["items", "additionalProperties", "additionalItems", "contains", "propertyNames"].includes(k) &&
      !Array.isArray(u) &&
      !Array.isArray(v)
    )
      put(out, k, { allOf: [u, v] });
    // Anything else: the first schema's value wins; ajv has the last word anyway.
  }
  return out;
}

function intersectTypes(u: unknown, v: unknown): string[] {
  const xs = (Array.isArray(u) ? u : [u]).filter((t): t is string => typeof t === "string");
  const ys = (Array.isArray(v) ? v : [v]).filter((t): t is string => typeof t === "string");
  const out: string[] = [];
  for (const x of xs) {
    if (ys.includes(x)) out.push(x);
    else if ((x === "integer" && ys.includes("number")) || (x === "number" && ys.includes("integer"))) out.push("integer");
  }
  return [...new Set(out)];
}

/** Tuple and rest schemas of an array schema, in either dialect's spelling. */
export function arrayShape(s: Record<string, unknown>): { tuple: unknown[]; rest: unknown; tupleKeyword: string; restKeyword: string } {
  if (Array.isArray(s.items))
    return { tuple: s.items, rest: s.additionalItems ?? true, tupleKeyword: "items", restKeyword: "additionalItems" };
  return {
    tuple: Array.isArray(s.prefixItems) ? s.prefixItems : [],
    rest: s.items ?? true,
    tupleKeyword: "prefixItems",
    restKeyword: "items",
  };
}

/** The JSON Schema type names, in the order the generator tries them. */
export const TYPES = ["null", "boolean", "object", "array", "number", "integer", "string"];

/** The declared types in order, else the ones the keywords suggest, else null. */
export function typesOf(s: Record<string, unknown>): string[] {
  const declared = (Array.isArray(s.type) ? s.type : [s.type]).filter((t): t is string => typeof t === "string" && TYPES.includes(t));
  if (s.type !== undefined) return declared;
  const has = (...keywords: string[]) => keywords.some((k) => Object.hasOwn(s, k));
  if (has("properties", "required", "additionalProperties", "patternProperties", "minProperties", "propertyNames", "dependentRequired"))
    return ["object"];
  if (has("items", "prefixItems", "additionalItems", "minItems", "maxItems", "contains", "uniqueItems")) return ["array"];
  if (has("minLength", "maxLength", "pattern", "format")) return ["string"];
  if (has("minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum", "multipleOf")) return ["number"];
  return ["null"];
}

export function omit(s: Record<string, unknown>, keyword: string): Record<string, unknown> {
  return Object.fromEntries(Object.entries(s).filter(([k]) => k !== keyword));
}

/** Sets an own property, even one named `__proto__`. */
export function put(o: Record<string, unknown>, k: string, v: unknown): void {
  Object.defineProperty(o, k, { value: v, enumerable: true, writable: true, configurable: true });
}

export function strings(v: unknown): string[] {
  return Array.isArray(v) ? v.filter((x): x is string => typeof x === "string") : [];
}

export function num(v: unknown): number | undefined {
  return typeof v === "number" && Number.isFinite(v) ? v : undefined;
}

export function count(v: unknown): number | undefined {
  return typeof v === "number" && Number.isFinite(v) && v >= 0 ? Math.floor(v) : undefined;
}
