/**
 * Strings (Confluent's `StringSchemaDiff`): `maxLength`, `minLength` and `pattern`, plus our own
 * `format`. Confluent does not compare `format`; we do, because a format is a constraint the
 * house validators enforce (FORMAT_REMOVED keeps compatibility, FORMAT_ADDED and FORMAT_CHANGED do not).
 */

import { BOUND_RULES, compareBounds } from "./bounds.js";
import type { ChangeType } from "./change-types.js";
import { type Found, gone, here } from "./context.js";
import type { StringNode } from "./model.js";

/** Changes between two string schemas. */
export function compareStrings(old: StringNode, current: StringNode): Found[] {
  return [
    ...compareBounds(BOUND_RULES.string, old.bounds, current.bounds, old.ptr, current.ptr),
    ...compareKeyword(old, current, "pattern", ["PATTERN_ADDED", "PATTERN_REMOVED", "PATTERN_CHANGED"]),
    ...compareKeyword(old, current, "format", ["FORMAT_ADDED", "FORMAT_REMOVED", "FORMAT_CHANGED"]),
  ];
}

/** A string-valued keyword: added, removed or changed. */
function compareKeyword(
  old: StringNode,
  current: StringNode,
  keyword: "pattern" | "format",
  [added, removed, changed]: ChangeType[],
): Found[] {
  const before = old[keyword];
  const after = current[keyword];
  if (before === after) return [];
  if (before === undefined) return [here(added!, old, current, keyword)];
  if (after === undefined) return [gone(removed!, old, current, keyword)];
  return [here(changed!, old, current, keyword)];
}
