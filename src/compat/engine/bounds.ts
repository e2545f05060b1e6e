/**
 * Numeric bounds (`maxLength`, `minimum`, `minItems`, `maxProperties` …) as data: each rule names a
 * keyword and the four change types of its family (`<FAMILY>_ADDED`, `_REMOVED`, `_INCREASED`,
 * `_DECREASED`). Which of them keep compatibility is the policy's business, not the rule's.
 *
 * A number's lower (or upper) bound can be written with `minimum` or `exclusiveMinimum`. Moving from
 * one to the other is reported as the old keyword removed and the new one added, except that an
 * added keyword is not reported when it is no tighter than the bound the other keyword set before:
 * `exclusiveMinimum: 10` → `minimum: 10` is only `EXCLUSIVE_MINIMUM_REMOVED` (compatible), while
 * the reverse also reports `EXCLUSIVE_MINIMUM_ADDED` (not compatible).
 */

import { joinPointer } from "../../diagnostics/index.js";
import type { ChangeType } from "./change-types.js";
import { at, type Found } from "./context.js";
import type { Bounds } from "./model.js";

type Family =
  | "MAX_LENGTH"
  | "MIN_LENGTH"
  | "MAXIMUM"
  | "MINIMUM"
  | "EXCLUSIVE_MAXIMUM"
  | "EXCLUSIVE_MINIMUM"
  | "MAX_ITEMS"
  | "MIN_ITEMS"
  | "MAX_CONTAINS"
  | "MIN_CONTAINS"
  | "MAX_PROPERTIES"
  | "MIN_PROPERTIES";

/** One bound keyword and its change types. */
export interface BoundRule {
  keyword: string;
  added: ChangeType;
  removed: ChangeType;
  increased: ChangeType;
  decreased: ChangeType;
  /**
   * For the keywords of a number's bounds: the other keyword of the same bound, which way is tighter,
   * and whether this keyword is the exclusive one of the two.
   */
  alternative?: { keyword: string; direction: "lower" | "upper"; exclusive: boolean };
}

function rule(keyword: string, family: Family, alternative?: BoundRule["alternative"]): BoundRule {
  const r: BoundRule = {
    keyword,
    added: `${family}_ADDED` as const,
    removed: `${family}_REMOVED` as const,
    increased: `${family}_INCREASED` as const,
    decreased: `${family}_DECREASED` as const,
  };
  if (alternative) r.alternative = alternative;
  return r;
}

/** The bound rules of each kind, in the order Confluent reports them. */
export const BOUND_RULES = {
  string: [rule("maxLength", "MAX_LENGTH"), rule("minLength", "MIN_LENGTH")],
  number: [
    rule("maximum", "MAXIMUM", { keyword: "exclusiveMaximum", direction: "upper", exclusive: false }),
    rule("minimum", "MINIMUM", { keyword: "exclusiveMinimum", direction: "lower", exclusive: false }),
    rule("exclusiveMaximum", "EXCLUSIVE_MAXIMUM", { keyword: "maximum", direction: "upper", exclusive: true }),
    rule("exclusiveMinimum", "EXCLUSIVE_MINIMUM", { keyword: "minimum", direction: "lower", exclusive: true }),
  ],
  array: [rule("maxItems", "MAX_ITEMS"), rule("minItems", "MIN_ITEMS")],
  contains: [rule("maxContains", "MAX_CONTAINS"), rule("minContains", "MIN_CONTAINS")],
  object: [rule("maxProperties", "MAX_PROPERTIES"), rule("minProperties", "MIN_PROPERTIES")],
} satisfies Record<string, BoundRule[]>;

/** Compares the bounds of two nodes (at `oldPtr` and `newPtr`) by the given rules. */
export function compareBounds(rules: readonly BoundRule[], old: Bounds, current: Bounds, oldPtr: string, newPtr: string): Found[] {
  const found: Found[] = [];
  for (const r of rules) {
    const before = old[r.keyword];
    const after = current[r.keyword];
    if (before === after) continue;
    const change = (type: ChangeType, side: "old" | "new" = "new") =>
      found.push(at(type, joinPointer(oldPtr, r.keyword), joinPointer(newPtr, r.keyword), side));
    if (before === undefined) {
      if (after !== undefined && !coveredByAlternative(r, old, after)) change(r.added);
    } else if (after === undefined) change(r.removed, "old");
    else change(after > before ? r.increased : r.decreased);
  }
  return found;
}

/** True when the old schema already bounded values at least as tightly with the other keyword. */
function coveredByAlternative(r: BoundRule, old: Bounds, value: number): boolean {
  const alt = r.alternative;
  const before = alt && old[alt.keyword];
  if (!alt || before === undefined) return false;
  const tighter = alt.direction === "lower" ? value > before : value < before;
  // At the same value, the exclusive keyword is the tighter one.
  return !(tighter || (value === before && alt.exclusive));
}
