/**
 * Enumerations (Confluent's `EnumSchemaDiff`), with `const` read as an enum of one value, so that
 * `const: "x"` and `enum: ["x"]` are the same schema. Values compare as JSON (key order ignored).
 */

import { sortedKeyJson } from "../../schema/stable-json.js";
import { type Found, here } from "./context.js";
import type { EnumNode } from "./model.js";

/** Changes between two enums: values added, removed, or both. */
export function compareEnums(old: EnumNode, current: EnumNode): Found[] {
  const before = new Set(old.values.map(sortedKeyJson));
  const after = new Set(current.values.map(sortedKeyJson));
  const grew = [...before].every((v) => after.has(v));
  const shrank = [...after].every((v) => before.has(v));
  if (grew && shrank) return [];
  const type = grew ? "ENUM_ARRAY_EXTENDED" : shrank ? "ENUM_ARRAY_NARROWED" : "ENUM_ARRAY_CHANGED";
  return [here(type, old, current, current.keyword)];
}
