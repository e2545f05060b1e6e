/**
 * Numbers (Confluent's `NumberSchemaDiff`): the four bounds, `multipleOf`, and integer ↔ number.
 * Unlike Confluent we compare `multipleOf` as rationals (0.5 → 0.25 is REDUCED), and compare
 * `exclusiveMaximum` with the old `exclusiveMaximum` (Confluent compares it with `maximum`).
 */

import { BOUND_RULES, compareBounds } from "./bounds.js";
import { type Found, gone, here } from "./context.js";
import type { NumberNode } from "./model.js";

/** Changes between two number schemas. */
export function compareNumbers(old: NumberNode, current: NumberNode): Found[] {
  const found = compareBounds(BOUND_RULES.number, old.bounds, current.bounds, old.ptr, current.ptr);
  const before = old.multipleOf;
  const after = current.multipleOf;
  if (before !== after) {
    if (before === undefined) found.push(here("MULTIPLE_OF_ADDED", old, current, "multipleOf"));
    else if (after === undefined) found.push(gone("MULTIPLE_OF_REMOVED", old, current, "multipleOf"));
    else if (isMultiple(after, before)) found.push(here("MULTIPLE_OF_EXPANDED", old, current, "multipleOf"));
    else if (isMultiple(before, after)) found.push(here("MULTIPLE_OF_REDUCED", old, current, "multipleOf"));
    else found.push(here("MULTIPLE_OF_CHANGED", old, current, "multipleOf"));
  }
  if (old.integer !== current.integer) found.push(here(old.integer ? "TYPE_EXTENDED" : "TYPE_NARROWED", old, current));
  return found;
}

/** True when `a` is an integer multiple of `b` (within floating-point noise). */
function isMultiple(a: number, b: number): boolean {
  const ratio = a / b;
  return Math.abs(ratio - Math.round(ratio)) < 1e-9 * Math.max(1, Math.abs(ratio));
}
