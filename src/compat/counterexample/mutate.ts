/**
 * Counterexample search, step 3 (mutate): the one-edit changes of a candidate, one place at a time
 * (places.ts): another value of another type, a bound of either schema, a string or array resized
 * to a bound, a property added or dropped. Each edit carries its priority: at a hinted place, where
 * the schemas differ, or elsewhere.
 */

import { isObject } from "../../schema/walk.js";
import { generate, NONE } from "./generate.js";
import { expand, factsOf, type Node, type Place, type Places, step } from "./places.js";
import { TYPES } from "./schema.js";
import { annotatedValues, PALETTE } from "./seed.js";
import { getAt, positions, resize, setAt, variant, withProperty } from "./values.js";

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

/** Every one-edit change of `root`, position by position, each with its priority (0 first). */
export function* mutations(root: unknown, places: Places): Generator<{ value: unknown; priority: number }> {
  for (const path of positions(root)) {
    const place = places.at(path);
    for (const e of edits(getAt(root, path), place, places)) {
      yield { value: setAt(root, path, e.value), priority: e.hinted ? 0 : place.differs ? 1 : 2 };
    }
  }
}
