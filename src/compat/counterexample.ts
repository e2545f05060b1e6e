/**
 * Counterexamples for compatibility verdicts: a JSON value that one schema accepts and the other
 * rejects, checked with ajv against both schemas before it is returned. A verdict such as
 * "MAX_LENGTH_DECREASED breaks old data" becomes `{ "note": "aaaaaaaaaaa" }`.
 *
 * The search, top to bottom:
 *   1. compile  both schemas, each with a non-strict ajv of its own (dialect from `$schema`);
 *   2. seed     candidates from `accepts`: its examples, default, const and enum, and instances the
 *               generator builds from it (minimal; with every declared property; one per
 *               anyOf/oneOf branch);
 *   3. mutate   the candidates `accepts` takes, one edit at one place at a time: another value of
 *               another type, a bound of either schema, a string or array resized to a bound, a
 *               property added or dropped. Places that a hint points at come first, then places
 *               where the two schemas differ;
 *   4. check    round by round, smallest candidate first, until one is accepted by `accepts` and
 *               rejected by `rejects`, or the budget of checked candidates runs out; the one found
 *               is shrunk (every property and item it can do without removed) and checked again.
 *
 * Nothing here is random: the same input gives the same answer.
 */

import { Ajv, type AnySchema, type ErrorObject, type Options, type ValidateFunction } from "ajv";
import { Ajv2020 } from "ajv/dist/2020.js";
import addFormatsModule from "ajv-formats";
import { escapePointer, joinPointer, splitPointer } from "../diagnostics/index.js";
import type { Dialect } from "../model/tree.js";
import { DIALECT_URIS } from "../schema/ajv.js";
import { isObject, walkSchema } from "../schema/walk.js";

type FormatsPlugin = typeof import("ajv-formats").default;
const addFormats: FormatsPlugin =
  (addFormatsModule as unknown as { default?: FormatsPlugin }).default ?? (addFormatsModule as unknown as FormatsPlugin);

/** A change a schema diff found, used to steer the search towards the place it names. */
export interface CounterexampleHint {
  /** JSON pointer into the schemas, e.g. `/properties/note` or `/$defs/Money/properties/amount`. */
  pointer: string;
  /** The change type, e.g. `MAX_LENGTH_DECREASED`. The search steers by `pointer` alone. */
  type: string;
}

/** A value that one schema accepts and the other rejects. */
export interface Counterexample {
  value: unknown;
  /** A JSON pointer into `value` where it matters, when known: where the rejecting schema fails. */
  at?: string;
}

/** Options of `findCounterexample`. */
export interface CounterexampleOptions {
  /** The dialect of a schema without a known `$schema`; 2020-12 when absent. */
  dialect?: Dialect;
  /** The changes a diff found; the places they point at are searched first. */
  hints?: CounterexampleHint[];
  /** How many candidates are checked at most. */
  budget?: number;
}

/** Candidates checked by default before the search gives up. */
export const DEFAULT_BUDGET = 2000;

/**
 * A value valid under `accepts` and invalid under `rejects`, or undefined when none was found.
 * Both verdicts are checked with ajv before the value is returned. Never throws for any schema
 * input: a schema ajv cannot compile gives undefined.
 */
export function findCounterexample(accepts: unknown, rejects: unknown, options: CounterexampleOptions = {}): Counterexample | undefined {
  try {
    const judge = compileBoth(accepts, rejects, options.dialect ?? "2020-12");
    if (!judge) return undefined;
    const hints = new Set((options.hints ?? []).map((h) => normalizePointer(h.pointer)));
    const budget = Number.isFinite(options.budget) ? Math.max(0, Math.floor(options.budget as number)) : DEFAULT_BUDGET;
    return search(accepts, rejects, judge, hints, budget);
  } catch {
    // The contract is "never throws": a schema too odd for ajv or for the walk has no counterexample.
    return undefined;
  }
}

// ---------------------------------------------------------------------------------------------
// 1. compile

interface Judge {
  accepts: ValidateFunction;
  rejects: ValidateFunction;
  /** Validations that threw; past a few, the search stops (each throw costs a deep stack). */
  throws: number;
}

const AJV_OPTIONS: Options = {
  strict: false,
  allErrors: false,
  // Checked once against the meta-schema by `metaChecker`, not again by every fresh instance.
  validateSchema: false,
  ownProperties: true,
  logger: false,
};

function compileBoth(accepts: unknown, rejects: unknown, fallback: Dialect): Judge | undefined {
  const a = compile(accepts, fallback);
  const r = a && compile(rejects, fallback);
  return a && r ? { accepts: a, rejects: r, throws: 0 } : undefined;
}

function compile(schema: unknown, fallback: Dialect): ValidateFunction | undefined {
  if (typeof schema !== "boolean" && !isObject(schema)) return undefined;
  const uri = isObject(schema) && typeof schema.$schema === "string" ? schema.$schema : undefined;
  const dialect = (uri !== undefined && Object.hasOwn(DIALECT_URIS, uri) ? DIALECT_URIS[uri] : undefined) ?? fallback;
  // The dialect is chosen here: without `$schema`, ajv checks the schema against that dialect's
  // meta-schema instead of failing on a URI it does not know.
  const plain = isObject(schema) ? omit(schema, "$schema") : schema;
  try {
    if (!metaChecker(dialect).validateSchema(plain as AnySchema)) return undefined;
    // One instance per schema: two versions of one schema share an `$id`, which one ajv refuses.
    const ajv = dialect === "draft-07" ? new Ajv(AJV_OPTIONS) : new Ajv2020(AJV_OPTIONS);
    addFormats(ajv);
    return ajv.compile(plain as AnySchema);
  } catch {
    return undefined;
  }
}

const metaCheckers: Partial<Record<Dialect, Ajv>> = {};

/** An ajv per dialect that only checks schemas against the meta-schema; it never keeps one. */
function metaChecker(dialect: Dialect): Ajv {
  let ajv = metaCheckers[dialect];
  if (!ajv) {
    ajv = dialect === "draft-07" ? new Ajv(AJV_OPTIONS) : new Ajv2020(AJV_OPTIONS);
    metaCheckers[dialect] = ajv;
  }
  return ajv;
}

// ---------------------------------------------------------------------------------------------
// 4. check (the loop that drives 2 and 3)

const MAX_ROUNDS = 4;
const MAX_THROWS = 3;

interface Candidate {
  value: unknown;
  json: string;
  /** 0: at a hinted place, 1: where the schemas differ, 2: elsewhere. */
  priority: number;
  seq: number;
}

function search(a: unknown, r: unknown, judge: Judge, hints: ReadonlySet<string>, budget: number): Counterexample | undefined {
  const seen = new Set<string>();
  let seq = 0;
  const enqueue = (list: Candidate[], value: unknown, priority: number): void => {
    const json = toJson(value);
    if (json === undefined || seen.has(json)) return;
    seen.add(json);
    list.push({ value, json, priority, seq: seq++ });
  };
  const places = new Places(a, r, hints);
  let level: Candidate[] = [];
  for (const v of seeds(a)) enqueue(level, v, 0);
  let left = budget;
  for (let round = 0; round < MAX_ROUNDS && level.length > 0 && left > 0; round++) {
    level.sort((x, y) => x.priority - y.priority || x.json.length - y.json.length || x.seq - y.seq);
    const accepted: Candidate[] = [];
    for (const c of level) {
      if (left <= 0 || judge.throws > MAX_THROWS) return undefined;
      left--;
      const v = verdict(judge, c.value);
      if (v === "accepted") accepted.push(c);
      if (v !== "counterexample") continue;
      // Check the plain JSON copy that is handed out, not the candidate that shares parts with others.
      const small = shrink(JSON.parse(c.json), judge);
      // The last verdict leaves the rejecting schema's errors for `withAt`.
      if (verdict(judge, small) === "counterexample") return withAt(small, judge.rejects.errors);
    }
    // Mutations of values `accepts` takes; when there are none yet, of everything tried.
    const parents = accepted.length > 0 ? accepted : level;
    const next: Candidate[] = [];
    const cap = left * 4;
    for (const p of parents) {
      for (const m of mutations(p.value, places)) {
        enqueue(next, m.value, m.priority);
        if (next.length >= cap) break;
      }
      if (next.length >= cap) break;
    }
    level = next;
  }
  return undefined;
}

/**
 * How the two schemas judge a value. A validator that throws (ajv recursing without end on a
 * schema that is only a reference to itself) judges nothing, and is counted.
 */
function verdict(judge: Judge, value: unknown): "counterexample" | "accepted" | "other" {
  try {
    if (!judge.accepts(value)) return "other";
    return judge.rejects(value) ? "accepted" : "counterexample";
  } catch {
    judge.throws++;
    return "other";
  }
}

const MAX_SHRINK_CHECKS = 500;

/**
 * The counterexample with every property and item it can do without removed: a "full" seed
 * deep in a recursive schema is found early, but a reader wants the few keys that matter.
 */
function shrink(value: unknown, judge: Judge): unknown {
  let best = value;
  let checks = 0;
  for (let improved = true; improved && checks < MAX_SHRINK_CHECKS; ) {
    improved = false;
    for (const path of positions(best)) {
      if (path.length === 0) continue;
      if (checks++ >= MAX_SHRINK_CHECKS || judge.throws > MAX_THROWS) break;
      const next = without(best, path);
      if (verdict(judge, next) === "counterexample") {
        best = next;
        improved = true;
        break;
      }
    }
  }
  return best;
}

/** A copy of `root` without the property or item at `path` (not empty). */
function without(root: unknown, path: readonly (string | number)[]): unknown {
  const parent = getAt(root, path.slice(0, -1));
  const last = path[path.length - 1];
  const smaller = Array.isArray(parent)
    ? parent.filter((_, i) => i !== last)
    : Object.fromEntries(Object.entries(parent as Record<string, unknown>).filter(([k]) => k !== last));
  return setAt(root, path.slice(0, -1), smaller);
}

function withAt(value: unknown, errors: ErrorObject[] | null | undefined): Counterexample {
  const e = errors?.[0];
  if (!e) return { value };
  const params = e.params as Record<string, unknown>;
  // An unwanted key is reported at its object; point at the key itself.
  for (const key of ["additionalProperty", "unevaluatedProperty", "propertyName"]) {
    const name = params[key];
    if (typeof name === "string") return { value, at: joinPointer(e.instancePath, name) };
  }
  // An unwanted item likewise: the first one past the tuple.
  if ((e.keyword === "additionalItems" || e.keyword === "items") && typeof params.limit === "number") {
    return { value, at: joinPointer(e.instancePath, params.limit) };
  }
  return { value, at: e.instancePath };
}

/** JSON text of a candidate, or undefined when it is not JSON (non-finite numbers). */
function toJson(value: unknown): string | undefined {
  let ok = true;
  const json = JSON.stringify(value, (_k, v: unknown) => {
    if (typeof v === "number" && !Number.isFinite(v)) ok = false;
    return v;
  });
  return ok ? json : undefined;
}

// ---------------------------------------------------------------------------------------------
// 2. seed

/** Small values of every type: a wrong-typed value is the most common counterexample. */
const PALETTE: readonly unknown[] = [0, "", null, false, true, 1, -1, 0.5, "a", [], {}];

const MAX_SEEDS = 64;

function seeds(a: unknown): unknown[] {
  const out: unknown[] = [];
  if (isObject(a)) out.push(...annotatedValues(a));
  const met = new Map<string, number>();
  const build = (full: boolean, choices: ReadonlyMap<string, number>): void => {
    const v = generate(a, "#", 0, { root: a, full, choices, met, nodes: 0 });
    if (v !== NONE) out.push(v);
  };
  build(false, new Map());
  build(true, new Map());
  for (const [key, count] of [...met]) {
    for (let i = 1; i < count && out.length < MAX_SEEDS; i++) {
      build(false, new Map([[key, i]]));
      build(true, new Map([[key, i]]));
    }
  }
  out.push(...PALETTE);
  return out;
}

/** The values a schema names itself: `examples`, `default`, `const`, `enum`. */
function annotatedValues(s: Record<string, unknown>): unknown[] {
  const out: unknown[] = [];
  if (Array.isArray(s.examples)) out.push(...s.examples);
  if (Object.hasOwn(s, "default")) out.push(s.default);
  if (Object.hasOwn(s, "const")) out.push(s.const);
  if (Array.isArray(s.enum)) out.push(...s.enum);
  return out;
}

// ---------------------------------------------------------------------------------------------
// The generator: a small instance of a schema, built by walking it. Best effort; ajv judges.

const NONE: unique symbol = Symbol("none");

const MAX_GEN_DEPTH = 32;
/** Instance depth up to which a "full" instance includes optional properties and array items. */
const FULL_DEPTH = 6;
const MAX_GEN_NODES = 2000;
const MAX_STRING = 4096;
const MAX_ARRAY = 256;

interface GenContext {
  root: unknown;
  /** Include every declared property and one array item, not only what is required. */
  full: boolean;
  /** Branch to take at an anyOf/oneOf, by choice key; 0 when absent. */
  choices: ReadonlyMap<string, number>;
  /** The choice points met, with their branch counts. */
  met: Map<string, number>;
  nodes: number;
}

function generate(schema: unknown, key: string, depth: number, ctx: GenContext): unknown {
  if (schema === false) return NONE;
  if (!isObject(schema)) return null;
  if (depth > MAX_GEN_DEPTH || ++ctx.nodes > MAX_GEN_NODES) return NONE;
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
      const target = resolveRef(ctx.root, s.$ref);
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

const TYPES = ["null", "boolean", "object", "array", "number", "integer", "string"];

/** The declared types in order, else the ones the keywords suggest, else null. */
function typesOf(s: Record<string, unknown>): string[] {
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
    for (const [pattern, sub] of Object.entries(s.patternProperties)) if (regex(pattern)?.test(name)) return sub;
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

/** Tuple and rest schemas of an array schema, in either dialect's spelling. */
function arrayShape(s: Record<string, unknown>): { tuple: unknown[]; rest: unknown; tupleKeyword: string; restKeyword: string } {
  if (Array.isArray(s.items))
    return { tuple: s.items, rest: s.additionalItems ?? true, tupleKeyword: "items", restKeyword: "additionalItems" };
  return {
    tuple: Array.isArray(s.prefixItems) ? s.prefixItems : [],
    rest: s.items ?? true,
    tupleKeyword: "prefixItems",
    restKeyword: "items",
  };
}

/** Another value like `v`, for unique items. */
function variant(v: unknown, i: number): unknown {
  if (typeof v === "number") return v + i;
  if (typeof v === "string") return v + String.fromCharCode(97 + (i % 26));
  if (typeof v === "boolean") return !v;
  return v;
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
const FORMAT_SAMPLES: Record<string, string> = {
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

const STRETCHES = [0, 1, 2, 4, 8, 16, 64];

function generateString(s: Record<string, unknown>): string {
  const min = count(s.minLength) ?? 0;
  const max = count(s.maxLength) ?? MAX_STRING;
  const re = typeof s.pattern === "string" ? regex(s.pattern) : undefined;
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

function patternSamples(pattern: string): string[] {
  const re = regex(pattern);
  const out: string[] = [];
  for (const stretch of STRETCHES) {
    const x = sampleRegex(pattern, stretch);
    if (x !== undefined && re?.test(x) && !out.includes(x)) out.push(x);
  }
  return out;
}

/** String length as JSON Schema counts it: in code points. */
function length(x: string): number {
  return [...x].length;
}

/** `x` cut or padded (with its last character, else "a") to `n` code points. */
function resize(x: string, n: number): string {
  const chars = [...x];
  if (chars.length >= n) return chars.slice(0, n).join("");
  return x + (chars[chars.length - 1] ?? "a").repeat(n - chars.length);
}

// ---------------------------------------------------------------------------------------------
// A tiny sampler for the regular expressions of event schemas: literals, classes, groups,
// alternation (first branch), quantifiers. Anything fancier (lookaround, backreferences) gives
// up; callers test every sample against the real RegExp.

const CHAR_POOL = [..."aA0bB1zZ9-_. @:/+xX"];
const BAIL = Symbol("bail");
const CONTROL_ESCAPES: Record<string, string> = { n: "\n", t: "\t", r: "\r", f: "\f", v: "\v", "0": "\0" };

function sampleRegex(source: string, stretch: number): string | undefined {
  let i = 0;
  const alternation = (): string => {
    const first = sequence();
    while (source[i] === "|") {
      i++;
      sequence();
    }
    return first;
  };
  const sequence = (): string => {
    let out = "";
    while (i < source.length && source[i] !== "|" && source[i] !== ")") {
      const piece = atom();
      const [lo, hi] = quantifier();
      out += piece.repeat(Math.min(hi, Math.max(lo, stretch)));
    }
    return out;
  };
  const pick = (cls: string): string => {
    const re = regex(`^${cls}$`);
    const c = CHAR_POOL.find((ch) => re?.test(ch));
    if (c === undefined) throw BAIL;
    return c;
  };
  const atom = (): string => {
    const c = source[i] as string;
    if (c === "^" || c === "$") {
      i++;
      return "";
    }
    if (c === ".") {
      i++;
      return "a";
    }
    if (c === "(") {
      i++;
      if (source.startsWith("?:", i)) i += 2;
      else if (source.startsWith("?<", i) && source[i + 2] !== "=" && source[i + 2] !== "!") i = source.indexOf(">", i) + 1;
      else if (source[i] === "?") throw BAIL;
      const inner = alternation();
      if (source[i] !== ")") throw BAIL;
      i++;
      return inner;
    }
    if (c === "[") {
      let j = i + 1;
      while (j < source.length && source[j] !== "]") j += source[j] === "\\" ? 2 : 1;
      const cls = source.slice(i, j + 1);
      i = j + 1;
      return pick(cls);
    }
    if (c === "\\") {
      const e = source[i + 1] ?? "";
      if (e === "b" || e === "B") {
        i += 2;
        return "";
      }
      if (/[1-9kc]/.test(e) || e === "") throw BAIL;
      if (Object.hasOwn(CONTROL_ESCAPES, e)) {
        i += 2;
        return CONTROL_ESCAPES[e] as string;
      }
      // An escaped punctuation character stands for itself.
      if (!/[A-Za-z0-9]/.test(e)) {
        i += 2;
        return e;
      }
      let end = i + 2;
      if (e === "p" || e === "P" || (e === "u" && source[i + 2] === "{")) end = source.indexOf("}", i) + 1;
      else if (e === "u") end = i + 6;
      else if (e === "x") end = i + 4;
      if (end <= i) throw BAIL;
      const sequenceText = source.slice(i, end);
      i = end;
      if (e === "u" || e === "x") {
        const hex = sequenceText.replace(/^\\[ux]\{?|\}$/g, "");
        const code = Number.parseInt(hex, 16);
        if (!Number.isFinite(code) || code > 0x10ffff) throw BAIL;
        return String.fromCodePoint(code);
      }
      return pick(sequenceText);
    }
    const ch = String.fromCodePoint(source.codePointAt(i) as number);
    i += ch.length;
    return ch;
  };
  const quantifier = (): [number, number] => {
    let q: [number, number] = [1, 1];
    const c = source[i];
    if (c === "*") q = [0, Number.POSITIVE_INFINITY];
    else if (c === "+") q = [1, Number.POSITIVE_INFINITY];
    else if (c === "?") q = [0, 1];
    else {
      const m = /^\{(\d+)(,(\d*))?\}/.exec(source.slice(i));
      if (!m) return q;
      const lo = Number(m[1]);
      q = [lo, m[2] === undefined ? lo : m[3] ? Number(m[3]) : Number.POSITIVE_INFINITY];
      i += m[0].length - 1;
    }
    i++;
    if (source[i] === "?") i++;
    return q;
  };
  try {
    const out = alternation();
    return i === source.length && length(out) <= MAX_STRING ? out : undefined;
  } catch (e) {
    if (e === BAIL) return undefined;
    throw e;
  }
}

// ---------------------------------------------------------------------------------------------
// 3. mutate

interface Node {
  schema: unknown;
  pointer: string;
}

/** What both schemas say about one place of the instance (a path into it). */
interface Place {
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
class Places {
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

const MAX_POSITIONS = 200;
const MAX_EXPAND = 256;

/** Every subschema that applies where `start` does: $ref targets, allOf/anyOf/oneOf, if/then/else. */
function expand(root: unknown, start: Node[]): Node[] {
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
      const target = typeof ref === "string" ? resolveRef(root, ref) : undefined;
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
function step(nodes: Node[], token: string | number): Node[] {
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
          if (!regex(pattern)?.test(token)) continue;
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
interface Facts {
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

function factsOf(place: Place): Facts {
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

/** Instances the generator builds for the `accepts` side of a place: minimal, full, one per type. */
function generatedAt(a: unknown, direct: Node[], aNodes: Node[]): unknown[] {
  const schema = { allOf: direct.map((n) => n.schema) };
  const out: unknown[] = [];
  const run = (s: unknown, full: boolean) => {
    const v = generate(s, "#", 0, { root: a, full, choices: new Map(), met: new Map(), nodes: 0 });
    if (v !== NONE) out.push(v);
  };
  run(schema, false);
  run(schema, true);
  const types = new Set<string>();
  for (const { schema: s } of aNodes) {
    if (isObject(s))
      for (const t of Array.isArray(s.type) ? s.type : [s.type]) if (typeof t === "string" && TYPES.includes(t)) types.add(t);
  }
  for (const t of types) run({ allOf: [...schema.allOf, { type: t }] }, false);
  return out;
}

interface Edit {
  value: unknown;
  hinted: boolean;
}

/** One-edit changes of the value `v` at a place. */
function edits(v: unknown, place: Place, places: Places): Edit[] {
  const out: Edit[] = [];
  const put = (value: unknown, hinted = place.hinted) => out.push({ value, hinted });
  const f = factsOf(place);
  if (!place.replacements) {
    const r: unknown[] = [...PALETTE, ...generatedAt(places.a, place.direct, place.a), ...f.values];
    if (f.numeric) r.push(...f.numbers);
    if (f.stringy) r.push(...f.strings);
    place.replacements = r;
  }
  for (const x of place.replacements) put(x);
  if (typeof v === "number") for (const x of [v - 1, v + 1, v + 0.5, ...f.multiples.map((m) => v + m)]) put(x);
  if (typeof v === "string" || f.stringy) {
    const base = typeof v === "string" ? v : "";
    for (const n of f.lengths) {
      put(resize(base, n));
      for (const s of f.strings) put(resize(s, n));
    }
  }
  if (Array.isArray(v)) {
    const counts = new Set([0, v.length - 1, v.length + 1, ...f.counts]);
    for (const n of counts) {
      if (n < 0 || n === v.length) continue;
      put(resizeArray(v, n, place, places, false));
      if (n > v.length) put(resizeArray(v, n, place, places, true));
    }
  }
  if (isObject(v)) {
    const names = new Set([...place.hintNames, ...f.names]);
    for (const name of names) {
      if (Object.hasOwn(v, name)) continue;
      const hinted = place.hinted || place.hintNames.includes(name);
      for (const x of childValues(place, name, places)) put(withProperty(v, name, x), hinted);
    }
    for (const name of Object.keys(v)) put(Object.fromEntries(Object.entries(v).filter(([k]) => k !== name)));
  }
  return out;
}

/** Instances generated for a property or item not yet in the instance (cached per place). */
function generatedChild(place: Place, token: string | number, places: Places): { generated: unknown[]; a: Node[] } {
  const key = JSON.stringify(token);
  let hit = place.children.get(key);
  if (!hit) {
    const direct = step(place.a, token);
    const a = expand(places.a, direct);
    hit = { generated: generatedAt(places.a, direct, a), a };
    place.children.set(key, hit);
  }
  return hit;
}

/** Values to try for a property or item not yet in the instance. */
function childValues(place: Place, token: string | number, places: Places): unknown[] {
  const { generated, a } = generatedChild(place, token, places);
  const values = [...generated, 0, "", null, false, {}, []];
  for (const { schema } of a) if (isObject(schema)) values.push(...annotatedValues(schema));
  return values;
}

/** `v` cut to `n` items, or grown with generated items (or copies of its last one); `distinct` varies them. */
function resizeArray(v: unknown[], n: number, place: Place, places: Places, distinct: boolean): unknown[] {
  if (n <= v.length) return v.slice(0, n);
  const out = [...v];
  while (out.length < n) {
    const next = generatedChild(place, out.length, places).generated[0] ?? out[out.length - 1] ?? null;
    out.push(distinct ? variant(next, out.length) : next);
  }
  return out;
}

function* mutations(root: unknown, places: Places): Generator<{ value: unknown; priority: number }> {
  for (const path of positions(root)) {
    const place = places.at(path);
    for (const e of edits(getAt(root, path), place, places)) {
      yield { value: setAt(root, path, e.value), priority: e.hinted ? 0 : place.differs ? 1 : 2 };
    }
  }
}

/** The paths of every value inside `root`, root first, depth first. */
function positions(root: unknown): (string | number)[][] {
  const out: (string | number)[][] = [];
  const visit = (v: unknown, path: (string | number)[]) => {
    if (out.length >= MAX_POSITIONS || path.length > MAX_GEN_DEPTH) return;
    out.push(path);
    if (Array.isArray(v)) for (const [i, x] of v.entries()) visit(x, [...path, i]);
    else if (isObject(v)) for (const [k, x] of Object.entries(v)) visit(x, [...path, k]);
  };
  visit(root, []);
  return out;
}

function getAt(root: unknown, path: readonly (string | number)[]): unknown {
  let v = root;
  for (const t of path) v = Array.isArray(v) ? v[t as number] : isObject(v) ? v[t as string] : undefined;
  return v;
}

/** A copy of `root` with the value at `path` replaced; the rest is shared. */
function setAt(root: unknown, path: readonly (string | number)[], value: unknown): unknown {
  if (path.length === 0) return value;
  const [head, ...tail] = path as [string | number, ...(string | number)[]];
  if (Array.isArray(root)) return root.map((x, i) => (i === head ? setAt(x, tail, value) : x));
  if (isObject(root)) return Object.fromEntries(Object.entries(root).map(([k, x]) => [k, k === head ? setAt(x, tail, value) : x]));
  return root;
}

/** `v` with one more property; an own property even for `__proto__`. */
function withProperty(v: Record<string, unknown>, name: string, value: unknown): Record<string, unknown> {
  return Object.fromEntries([...Object.entries(v), [name, value]]);
}

// ---------------------------------------------------------------------------------------------
// Schema helpers

/** Merges two schemas for the generator (allOf): close enough to find an instance of both. */
function merge(a: unknown, b: unknown): Record<string, unknown> | false {
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

const anchorCache = new WeakMap<object, Map<string, Node>>();

/** A local `$ref` target: a JSON pointer fragment, an anchor, or the root's own `$id`. */
function resolveRef(root: unknown, ref: string): Node | undefined {
  const hash = ref.indexOf("#");
  const base = hash < 0 ? ref : ref.slice(0, hash);
  const id = isObject(root) && typeof root.$id === "string" ? root.$id.replace(/#$/, "") : undefined;
  if (base !== "" && base !== id) return undefined;
  let fragment: string;
  try {
    fragment = decodeURIComponent(hash < 0 ? "" : ref.slice(hash + 1));
  } catch {
    return undefined;
  }
  if (fragment === "") return { schema: root, pointer: "" };
  if (fragment.startsWith("/")) {
    let s: unknown = root;
    for (const t of splitPointer(fragment)) {
      if (Array.isArray(s)) s = /^\d+$/.test(t) ? s[Number(t)] : undefined;
      else if (isObject(s) && Object.hasOwn(s, t)) s = s[t];
      else return undefined;
    }
    return s === undefined ? undefined : { schema: s, pointer: fragment };
  }
  if (!isObject(root)) return undefined;
  let anchors = anchorCache.get(root);
  if (!anchors) {
    const found = new Map<string, Node>();
    walkSchema(root, ({ schema, pointer }) => {
      for (const name of [
        schema.$anchor,
        schema.$dynamicAnchor,
        typeof schema.$id === "string" ? schema.$id.replace(/^#/, "") : undefined,
      ]) {
        if (typeof name === "string" && !found.has(name)) found.set(name, { schema, pointer });
      }
    });
    anchorCache.set(root, found);
    anchors = found;
  }
  return anchors.get(fragment);
}

const regexCache = new Map<string, RegExp | null>();

/** A pattern as ajv reads it (unicode flag), or undefined when it does not compile. */
function regex(pattern: string): RegExp | undefined {
  let re = regexCache.get(pattern);
  if (re === undefined) {
    try {
      re = new RegExp(pattern, "u");
    } catch {
      re = null;
    }
    if (regexCache.size > 1000) regexCache.clear();
    regexCache.set(pattern, re);
  }
  return re ?? undefined;
}

function normalizePointer(p: string): string {
  const s = p.startsWith("#") ? p.slice(1) : p;
  return s === "" || s.startsWith("/") ? s : `/${s}`;
}

function omit(s: Record<string, unknown>, keyword: string): Record<string, unknown> {
  return Object.fromEntries(Object.entries(s).filter(([k]) => k !== keyword));
}

/** Sets an own property, even one named `__proto__`. */
function put(o: Record<string, unknown>, k: string, v: unknown): void {
  Object.defineProperty(o, k, { value: v, enumerable: true, writable: true, configurable: true });
}

function strings(v: unknown): string[] {
  return Array.isArray(v) ? v.filter((x): x is string => typeof x === "string") : [];
}

function num(v: unknown): number | undefined {
  return typeof v === "number" && Number.isFinite(v) ? v : undefined;
}

function count(v: unknown): number | undefined {
  return typeof v === "number" && Number.isFinite(v) && v >= 0 ? Math.floor(v) : undefined;
}
