/**
 * `not` (Confluent's `NotSchemaDiff`): the excluded schema is compared the other way round. If the
 * new excluded schema fits inside the old one, fewer values are excluded: NOT_TYPE_NARROWED
 * (compatible); otherwise NOT_TYPE_EXTENDED. An unchanged `not` reports nothing (Confluent reports
 * NOT_TYPE_NARROWED even then).
 */

import { compareNodes } from "./compare.js";
import { type Context, type Found, here } from "./context.js";
import type { NotNode } from "./model.js";

/** Changes between two `not` schemas. */
export function compareNot(ctx: Context, old: NotNode, current: NotNode): Found[] {
  const reversed = compareNodes(ctx, current.not, old.not);
  if (reversed.length === 0) return [];
  return [here(ctx.isCompatible(reversed) ? "NOT_TYPE_NARROWED" : "NOT_TYPE_EXTENDED", old, current, "not")];
}
