/**
 * Counterexample search, helpers of every step: JSON values as the search handles them. Paths into
 * an instance (every position, the value at one, a copy with one replaced or removed) for mutate
 * and shrink, and the sizes of strings and arrays for the generator and the regex sampler.
 *
 * The limits here bound how large a value the search builds or walks, whatever the schemas say.
 */

import { isObject } from "../../schema/walk.js";

/** The deepest instance the generator builds, and the deepest position mutate edits. */
export const MAX_DEPTH = 32;
/** The longest string the search builds (code points). */
export const MAX_STRING = 4096;
/** The most items of an array the search builds. */
export const MAX_ARRAY = 256;
/** The most positions of one instance that mutate edits. */
const MAX_POSITIONS = 200;

/** String length as JSON Schema counts it: in code points. */
export function length(x: string): number {
  return [...x].length;
}

/** `x` cut or padded (with its last character, else "a") to `n` code points. */
export function resize(x: string, n: number): string {
  const chars = [...x];
  if (chars.length >= n) return chars.slice(0, n).join("");
  return x + (chars[chars.length - 1] ?? "a").repeat(n - chars.length);
}

/** Another value like `v`, for unique items. */
export function variant(v: unknown, i: number): unknown {
  if (typeof v === "number") return v + i;
  if (typeof v === "string") return v + String.fromCharCode(97 + (i % 26));
  if (typeof v === "boolean") return !v;
  return v;
}

/** The paths of every value inside `root`, root first, depth first. */
export function positions(root: unknown): (string | number)[][] {
  const out: (string | number)[][] = [];
  const visit = (v: unknown, path: (string | number)[]) => {
    if (out.length >= MAX_POSITIONS || path.length > MAX_DEPTH) return;
    out.push(path);
    if (Array.isArray(v)) for (const [i, x] of v.entries()) visit(x, [...path, i]);
    else if (isObject(v)) for (const [k, x] of Object.entries(v)) visit(x, [...path, k]);
  };
  visit(root, []);
  return out;
}

export function getAt(root: unknown, path: readonly (string | number)[]): unknown {
  let v = root;
  for (const t of path) v = Array.isArray(v) ? v[t as number] : isObject(v) ? v[t as string] : undefined;
  return v;
}

/** A copy of `root` with the value at `path` replaced; the rest is shared. */
export function setAt(root: unknown, path: readonly (string | number)[], value: unknown): unknown {
  if (path.length === 0) return value;
  const [head, ...tail] = path as [string | number, ...(string | number)[]];
  if (Array.isArray(root)) return root.map((x, i) => (i === head ? setAt(x, tail, value) : x));
  if (isObject(root)) return Object.fromEntries(Object.entries(root).map(([k, x]) => [k, k === head ? setAt(x, tail, value) : x]));
  return root;
}

/** `v` with one more property; an own property even for `__proto__`. */
export function withProperty(v: Record<string, unknown>, name: string, value: unknown): Record<string, unknown> {
  return Object.fromEntries([...Object.entries(v), [name, value]]);
}

/** A copy of `root` without the property or item at `path` (not empty). */
export function without(root: unknown, path: readonly (string | number)[]): unknown {
  const parent = getAt(root, path.slice(0, -1));
  const last = path[path.length - 1];
  const smaller = Array.isArray(parent)
    ? parent.filter((_, i) => i !== last)
    : Object.fromEntries(Object.entries(parent as Record<string, unknown>).filter(([k]) => k !== last));
  return setAt(root, path.slice(0, -1), smaller);
}
