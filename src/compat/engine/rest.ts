/** The part of objects and arrays beyond their listed members, compared the same way for both. */

import type { ChangeType } from "./change-types.js";
import { compareNodes } from "./compare.js";
import { at, type Context, type Found } from "./context.js";
import type { Rest } from "./model.js";

/**
 * What objects and arrays share for the values their listed members do not cover
 * (`additionalProperties`/`unevaluatedProperties`, `additionalItems`/`unevaluatedItems`): whether
 * such values are allowed at all, and under which schema. `family` names the change types.
 */
export function compareRestOf(
  ctx: Context,
  family: "ADDITIONAL_PROPERTIES" | "UNEVALUATED_PROPERTIES" | "ADDITIONAL_ITEMS" | "UNEVALUATED_ITEMS",
  before: Rest,
  after: Rest,
  where: { oldPtr: string; newPtr: string; side: "old" | "new" },
  out: { own: Found[]; nested: Found[] },
): void {
  const { oldPtr, newPtr, side } = where;
  if (before.permits !== after.permits)
    out.own.push(at(`${family}_${after.permits ? "ADDED" : "REMOVED"}` as ChangeType, oldPtr, newPtr, side));
  else if (!before.schema && after.schema) out.own.push(at(`${family}_NARROWED` as ChangeType, oldPtr, newPtr, side));
  else if (before.schema && !after.schema) out.own.push(at(`${family}_EXTENDED` as ChangeType, oldPtr, newPtr, side));
  else if (before.schema && after.schema) out.nested.push(...compareNodes(ctx, before.schema, after.schema));
}
