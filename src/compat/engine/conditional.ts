/**
 * `if`/`then`/`else` (Confluent compares nothing inside them). A changed condition moves values from
 * one branch to the other, so unless the condition is the same both ways it is reported as
 * COMBINED_TYPE_SUBSCHEMAS_CHANGED at `/if`. The branches compare as nested schemas; a branch that
 * appears is SCHEMA_ADDED, one that goes is SCHEMA_REMOVED.
 */

import { compareNodes } from "./compare.js";
import { type Context, type Found, gone, here } from "./context.js";
import type { ConditionalNode } from "./model.js";

/** Changes between two conditionals. */
export function compareConditionals(ctx: Context, old: ConditionalNode, current: ConditionalNode): Found[] {
  const found: Found[] = [];
  const sameCondition = ctx.isCompatible(compareNodes(ctx, old.if, current.if)) && ctx.isCompatible(compareNodes(ctx, current.if, old.if));
  if (!sameCondition) found.push(here("COMBINED_TYPE_SUBSCHEMAS_CHANGED", old, current, "if"));
  for (const branch of ["then", "else"] as const) {
    const before = old[branch];
    const after = current[branch];
    if (before && after) found.push(...compareNodes(ctx, before, after));
    else if (before) found.push(gone("SCHEMA_REMOVED", old, current, branch));
    else if (after) found.push(here("SCHEMA_ADDED", old, current, branch));
  }
  return found;
}
