/**
 * Counterexample search, step 2 (seed): the first candidates, from `accepts` alone: the values it
 * names itself (`examples`, `default`, `const`, `enum`), the generator's instances of it (minimal,
 * full, and again for each branch of each `anyOf`/`oneOf` met), and a palette of small values of
 * every type.
 */

import { isObject } from "../../schema/walk.js";
import { generate, NONE } from "./generate.js";

/** Small values of every type: a wrong-typed value is the most common counterexample. */
export const PALETTE: readonly unknown[] = [0, "", null, false, true, 1, -1, 0.5, "a", [], {}];

const MAX_SEEDS = 64;

export function seeds(a: unknown): unknown[] {
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
export function annotatedValues(s: Record<string, unknown>): unknown[] {
  const out: unknown[] = [];
  if (Array.isArray(s.examples)) out.push(...s.examples);
  if (Object.hasOwn(s, "default")) out.push(s.default);
  if (Object.hasOwn(s, "const")) out.push(s.const);
  if (Array.isArray(s.enum)) out.push(...s.enum);
  return out;
}
