/**
 * Counterexample search, step 3 (mutate), where to edit: what both schemas say about one place of
 * an instance (a path into it). For each place, the subschemas of `accepts` and of `rejects` that
 * apply there (`$ref`s and in-place applicators followed), whether a hint points at it, whether the
 * two schemas differ there, and the facts (bounds, lengths, names, patterns) that edits draw on.
 */

import { joinPointer, splitPointer } from "../../diagnostics/index.js";
import { patternRegex } from "../../schema/patterns.js";
import { type LocalTarget, resolveLocalRef } from "../../schema/refs.js";
import { isObject } from "../../schema/walk.js";
import { FORMAT_SAMPLES } from "./generate.js";
import { patternSamples } from "./regex.js";
import { arrayShape, strings } from "./schema.js";
import { annotatedValues } from "./seed.js";
import { MAX_ARRAY, MAX_STRING } from "./values.js";

/** A subschema of one of the two schemas, with its pointer in that schema (as refs.ts resolves one). */
export type Node = LocalTarget;

/** What both schemas say about one place of the instance (a path into it). */
export interface Place {
  /** The subschemas of `accepts` that reach the place directly (before $ref and applicators). */
  direct: Node[];
  /** All subschemas of `accepts` that apply here, $ref and applicators followed. */
  a: Node[];
  r: Node[];
  hinted: boolean;
  /** Property names a hint asks to add here. */
  hintNames: string[];
  differs: boolean;
  /** Replacement values that do not depend on the current value. */
  replacements?: unknown[];
  facts?: Facts;
  children: Map<string, { generated: unknown[]; a: Node[] }>;
}

/** The places of one search, computed once per path. */
export class Places {
  private readonly cache = new Map<string, Place>();
  private readonly signatures = new WeakMap<object, string>();

  constructor(
    readonly a: unknown,
    readonly r: unknown,
    readonly hints: ReadonlySet<string>,
  ) {}

  at(path: readonly (string | number)[]): Place {
    const key = JSON.stringify(path);
    const hit = this.cache.get(key);
    if (hit) return hit;
    let place: Place;
    if (path.length === 0) {
      const direct = [{ schema: this.a, pointer: "" }];
      place = this.place(direct, expand(this.a, direct), expand(this.r, [{ schema: this.r, pointer: "" }]));
    } else {
      const parent = this.at(path.slice(0, -1));
      const token = path[path.length - 1] as string | number;
      const direct = step(parent.a, token);
      place = this.place(direct, expand(this.a, direct), expand(this.r, step(parent.r, token)));
    }
    this.cache.set(key, place);
    return place;
  }

  private place(direct: Node[], a: Node[], r: Node[]): Place {
    const pointers = [...a, ...r].map((n) => n.pointer);
    const hintNames: string[] = [];
    for (const h of this.hints) {
      for (const p of pointers) {
        const prefix = `${p}/properties/`;
        if (!h.startsWith(prefix)) continue;
        const name = splitPointer(`/${h.slice(prefix.length)}`)[0];
        if (name !== undefined && !hintNames.includes(name)) hintNames.push(name);
      }
    }
    return {
      direct,
      a,
      r,
      hinted: pointers.some((p) => this.hints.has(p)),
      hintNames,
      differs: this.signature(a) !== this.signature(r),
      children: new Map(),
    };
  }

  private signature(nodes: Node[]): string {
    return nodes
      .map((n) => {
        if (!isObject(n.schema)) return String(n.schema);
        let s = this.signatures.get(n.schema);
        if (s === undefined) {
          s = JSON.stringify(n.schema);
          this.signatures.set(n.schema, s);
        }
        return s;
      })
      .join("\n");
  }
}

const MAX_EXPAND = 256;

/** Every subschema that applies where `start` does: $ref targets, allOf/anyOf/oneOf, if/then/else. */
export function expand(root: unknown, start: Node[]): Node[] {
  const out: Node[] = [];
  const seen = new Set<unknown>();
  const queue = [...start];
  while (queue.length > 0 && out.length < MAX_EXPAND) {
    const n = queue.shift() as Node;
    if (!isObject(n.schema)) {
      out.push(n);
      continue;
    }
    if (seen.has(n.schema)) continue;
    seen.add(n.schema);
    out.push(n);
    const s = n.schema;
    for (const keyword of ["$ref", "$dynamicRef", "$recursiveRef"]) {
      const ref = s[keyword];
      const target = typeof ref === "string" ? resolveLocalRef(root, ref) : undefined;
      if (target) queue.push(target);
    }
    for (const keyword of ["allOf", "anyOf", "oneOf"]) {
      const list = s[keyword];
      if (Array.isArray(list))
        for (const [i, sub] of list.entries()) queue.push({ schema: sub, pointer: joinPointer(n.pointer, keyword, i) });
    }
    for (const keyword of ["if", "then", "else"]) {
      if (Object.hasOwn(s, keyword)) queue.push({ schema: s[keyword], pointer: joinPointer(n.pointer, keyword) });
    }
    if (isObject(s.dependentSchemas)) {
      for (const [name, sub] of Object.entries(s.dependentSchemas))
        queue.push({ schema: sub, pointer: joinPointer(n.pointer, "dependentSchemas", name) });
    }
  }
  return out;
}

/** The subschemas that apply to a property or item of an instance the `nodes` apply to. */
export function step(nodes: Node[], token: string | number): Node[] {
  const out: Node[] = [];
  for (const { schema: s, pointer } of nodes) {
    if (!isObject(s)) continue;
    if (typeof token === "string") {
      let matched = false;
      if (isObject(s.properties) && Object.hasOwn(s.properties, token)) {
        out.push({ schema: s.properties[token], pointer: joinPointer(pointer, "properties", token) });
        matched = true;
      }
      if (isObject(s.patternProperties)) {
        for (const [pattern, sub] of Object.entries(s.patternProperties)) {
          if (!patternRegex(pattern)?.test(token)) continue;
          out.push({ schema: sub, pointer: joinPointer(pointer, "patternProperties", pattern) });
          matched = true;
        }
      }
      if (!matched) {
        for (const keyword of ["additionalProperties", "unevaluatedProperties"]) {
          if (Object.hasOwn(s, keyword)) out.push({ schema: s[keyword], pointer: joinPointer(pointer, keyword) });
        }
      }
    } else {
      const { tuple, rest, tupleKeyword, restKeyword } = arrayShape(s);
      if (token < tuple.length) out.push({ schema: tuple[token], pointer: joinPointer(pointer, tupleKeyword, token) });
      else if (Object.hasOwn(s, restKeyword)) out.push({ schema: rest, pointer: joinPointer(pointer, restKeyword) });
    }
  }
  return out;
}

/** Numbers, lengths, values and names that either schema mentions at one place. */
export interface Facts {
  values: unknown[];
  numbers: number[];
  multiples: number[];
  lengths: number[];
  strings: string[];
  patterns: string[];
  counts: number[];
  names: string[];
  numeric: boolean;
  stringy: boolean;
}

export function factsOf(place: Place): Facts {
  if (place.facts) return place.facts;
  const f: Facts = {
    values: [],
    numbers: [],
    multiples: [],
    lengths: [],
    strings: [],
    patterns: [],
    counts: [],
    names: [],
    numeric: false,
    stringy: false,
  };
  const near = (list: number[], b: unknown, deltas: number[]) => {
    if (typeof b === "number" && Number.isFinite(b)) for (const d of deltas) list.push(b + d);
  };
  for (const { schema: s } of [...place.a, ...place.r]) {
    if (!isObject(s)) continue;
    f.values.push(...annotatedValues(s));
    for (const k of ["minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum"]) near(f.numbers, s[k], [0, -1, 1, -0.5, 0.5]);
    if (typeof s.multipleOf === "number" && s.multipleOf > 0) f.multiples.push(s.multipleOf);
    for (const k of ["minLength", "maxLength"]) near(f.lengths, s[k], [0, -1, 1]);
    for (const k of ["minItems", "maxItems"]) near(f.counts, s[k], [0, -1, 1]);
    const { tuple } = arrayShape(s);
    if (tuple.length > 0) near(f.counts, tuple.length, [0, 1]);
    if (typeof s.format === "string" && Object.hasOwn(FORMAT_SAMPLES, s.format)) f.strings.push(FORMAT_SAMPLES[s.format] as string);
    if (typeof s.pattern === "string") f.patterns.push(s.pattern);
    if (isObject(s.properties)) f.names.push(...Object.keys(s.properties));
    f.names.push(...strings(s.required));
    if (isObject(s.patternProperties)) for (const p of Object.keys(s.patternProperties)) f.names.push(...patternSamples(p).slice(0, 1));
  }
  for (const { schema: s } of place.a) {
    if (!isObject(s)) continue;
    const types = Array.isArray(s.type) ? s.type : [s.type];
    if (types.includes("number") || types.includes("integer")) f.numeric = true;
    if (types.includes("string")) f.stringy = true;
  }
  for (const m of f.multiples) f.numbers.push(m, m / 2, m * 2, m * 3);
  for (const p of f.patterns) f.strings.push(...patternSamples(p));
  f.numeric ||= f.numbers.length > 0;
  f.stringy ||= f.lengths.length > 0 || f.strings.length > 0;
  f.names.push("x");
  f.lengths = [...new Set(f.lengths.filter((n) => n >= 0 && n <= MAX_STRING))];
  f.counts = [...new Set(f.counts.filter((n) => n >= 0 && n <= MAX_ARRAY))];
  f.names = [...new Set(f.names)];
  place.facts = f;
  return f;
}
