/**
 * Arrays (Confluent's `ArraySchemaDiff`): the schema of all items, positional items (tuples), where
 * items beyond the positions go, and the count bounds.
 *
 * As for objects, the content model decides what a position added or removed means: open (extra
 * items may be anything), partially open (extra items must match `additionalItems`, 2020-12 `items`,
 * or `unevaluatedItems`), or closed (`false`). Added positions look at the old model, removed ones at
 * the new.
 *
 * Beyond Confluent: `contains` compares as a nested schema; in 2020-12 an absent `minContains`
 * is its default, 1.
 */

import { joinPointer } from "../../diagnostics/index.js";
import { BOUND_RULES, compareBounds } from "./bounds.js";
import { compareNodes } from "./compare.js";
import { at, type Context, type Found, gone, here, inModel } from "./context.js";
import { type ArrayNode, deref, isOpenArray } from "./model.js";
import { compareOptional } from "./object.js";
import { compareRestOf } from "./rest.js";

/** Changes between two array schemas. */
export function compareArrays(ctx: Context, old: ArrayNode, current: ArrayNode): Found[] {
  const own: Found[] = [];
  const nested: Found[] = [];
  compareOptional(ctx, old, current, "items", old.items, current.items, own, nested);
  compareTuples(ctx, old, current, own, nested);
  compareRest(ctx, old, current, own, nested);
  own.push(...compareBounds(BOUND_RULES.array, old.bounds, current.bounds, old.ptr, current.ptr));
  if (old.uniqueItems && !current.uniqueItems) own.push(gone("UNIQUE_ITEMS_REMOVED", old, current, "uniqueItems"));
  else if (!old.uniqueItems && current.uniqueItems) own.push(here("UNIQUE_ITEMS_ADDED", old, current, "uniqueItems"));
  compareOptional(ctx, old, current, "contains", old.contains, current.contains, own, nested);
  if (old.contains && current.contains) own.push(...compareBounds(BOUND_RULES.contains, old.bounds, current.bounds, old.ptr, current.ptr));
  return [...inModel(own, isOpenArray(old)), ...nested];
}

function compareTuples(ctx: Context, old: ArrayNode, current: ArrayNode, own: Found[], nested: Found[]): void {
  const length = Math.max(old.prefix.length, current.prefix.length);
  for (let i = 0; i < length; i++) {
    const before = old.prefix[i];
    const after = current.prefix[i];
    const oldPtr = joinPointer(old.ptr, old.prefixKeyword, i);
    const newPtr = joinPointer(current.ptr, current.prefixKeyword, i);
    if (before && after) nested.push(...compareNodes(ctx, before, after));
    else if (before) {
      // Removed: may new arrays still hold an item there?
      if (isOpenArray(current)) own.push(at("ITEM_REMOVED_FROM_OPEN_CONTENT_MODEL", oldPtr, newPtr, "old"));
      else if (current.rest.schema) {
        const sub = compareNodes(ctx, before, current.rest.schema);
        nested.push(...sub);
        const type = ctx.isCompatible(sub)
          ? "ITEM_REMOVED_IS_COVERED_BY_PARTIALLY_OPEN_CONTENT_MODEL"
          : "ITEM_REMOVED_NOT_COVERED_BY_PARTIALLY_OPEN_CONTENT_MODEL";
        own.push(at(type, oldPtr, newPtr, "old"));
      } else {
        const type =
          deref(before).kind === "false" ? "ITEM_WITH_FALSE_REMOVED_FROM_CLOSED_CONTENT_MODEL" : "ITEM_REMOVED_FROM_CLOSED_CONTENT_MODEL";
        own.push(at(type, oldPtr, newPtr, "old"));
      }
    } else if (after) {
      // Added: could old arrays already hold an item there?
      if (isOpenArray(old)) {
        const type =
          deref(after).kind === "empty" ? "ITEM_WITH_EMPTY_SCHEMA_ADDED_TO_OPEN_CONTENT_MODEL" : "ITEM_ADDED_TO_OPEN_CONTENT_MODEL";
        own.push(at(type, oldPtr, newPtr));
      } else if (old.rest.schema) {
        const sub = compareNodes(ctx, old.rest.schema, after);
        nested.push(...sub);
        const type = ctx.isCompatible(sub)
          ? "ITEM_ADDED_IS_COVERED_BY_PARTIALLY_OPEN_CONTENT_MODEL"
          : "ITEM_ADDED_NOT_COVERED_BY_PARTIALLY_OPEN_CONTENT_MODEL";
        own.push(at(type, oldPtr, newPtr));
      } else own.push(at("ITEM_ADDED_TO_CLOSED_CONTENT_MODEL", oldPtr, newPtr));
    }
  }
}

/** `additionalItems` (2020-12: `items` after `prefixItems`), or `unevaluatedItems`. */
function compareRest(ctx: Context, old: ArrayNode, current: ArrayNode, own: Found[], nested: Found[]): void {
  const keyword = current.rest.keyword ?? old.rest.keyword;
  const family = keyword === "unevaluatedItems" ? "UNEVALUATED_ITEMS" : "ADDITIONAL_ITEMS";
  const fallback = keyword ?? "additionalItems";
  const oldPtr = joinPointer(old.ptr, old.rest.keyword ?? fallback);
  const newPtr = joinPointer(current.ptr, current.rest.keyword ?? fallback);
  const side = current.rest.keyword ? "new" : "old";
  compareRestOf(ctx, family, old.rest, current.rest, { oldPtr, newPtr, side }, { own, nested });
}
