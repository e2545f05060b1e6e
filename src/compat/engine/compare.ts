/**
 * The walk over a pair of schemas (Confluent's `SchemaDiff.compare`), top down:
 *
 * 1. follow `$ref`s, and compare each pair of nodes once (the memo also ends recursion);
 * 2. implicit combinations (`type` with `enum`, type arrays …) pair their parts by kind;
 * 3. a single schema against a union or a product: find the branch it corresponds to;
 * 4. different kinds: `TYPE_CHANGED`, unless the old schema accepted nothing or the new one accepts
 *    everything;
 * 5. same kind: the annotations, then the module of that kind.
 */

import { sortedKeyJson } from "../../schema/stable-json.js";
import { compareArrays } from "./array.js";
import { compareCombined, compareSynthetic, intoCombined, outOfCombined } from "./combined.js";
import { compareConditionals } from "./conditional.js";
import { type Context, type Found, here } from "./context.js";
import { compareEnums } from "./enum.js";
import { deref, type Kind, type Node } from "./model.js";
import { compareNot } from "./not.js";
import { compareNumbers } from "./number.js";
import { compareObjects } from "./object.js";
import { compareStrings } from "./string.js";

/** Compares an old and a new schema at the places their nodes were read from. */
export function compareNodes(ctx: Context, oldNode: Node, newNode: Node): Found[] {
  const old = deref(oldNode);
  const current = deref(newNode);
  return ctx.memoised(old, current, () => compareResolved(ctx, old, current));
}

function compareResolved(ctx: Context, old: Node, current: Node): Found[] {
  if (old.kind !== current.kind && (old.kind === "false" || current.kind === "empty")) return [];
  const special =
    compareSynthetic(ctx, old, current) ??
    (old.kind !== "combined" && current.kind === "combined" ? intoCombined(ctx, old, current) : undefined) ??
    (old.kind === "combined" && current.kind !== "combined" ? outOfCombined(ctx, old, current) : undefined);
  if (special) return special;
  if (old.kind !== current.kind) return [here("TYPE_CHANGED", old, current)];
  return [...compareAnnotations(old, current), ...compareSameKind(ctx, old, current)];
}

type SameKind = { [K in Kind]: (ctx: Context, old: Extract<Node, { kind: K }>, current: Extract<Node, { kind: K }>) => Found[] };

const NOTHING = (): Found[] => [];

/** The comparison of each kind with itself. */
const BY_KIND: SameKind = {
  empty: NOTHING,
  false: NOTHING,
  boolean: NOTHING,
  null: NOTHING,
  ref: NOTHING, // never reached: references are followed first
  string: (_ctx, old, current) => compareStrings(old, current),
  number: (_ctx, old, current) => compareNumbers(old, current),
  object: compareObjects,
  array: compareArrays,
  enum: (_ctx, old, current) => compareEnums(old, current),
  not: compareNot,
  combined: compareCombined,
  conditional: compareConditionals,
};

function compareSameKind(ctx: Context, old: Node, current: Node): Found[] {
  const compare = BY_KIND[old.kind] as (ctx: Context, old: Node, current: Node) => Found[];
  return compare(ctx, old, current);
}

/** The annotations Confluent compares, each at its keyword (in the new schema when it has it). */
const ANNOTATIONS = [
  { keyword: "$id", type: "ID_CHANGED", get: (n: Node) => n.meta.id },
  { keyword: "title", type: "TITLE_CHANGED", get: (n: Node) => n.meta.title },
  { keyword: "description", type: "DESCRIPTION_CHANGED", get: (n: Node) => n.meta.description },
  { keyword: "default", type: "DEFAULT_CHANGED", get: (n: Node) => (n.meta.default ? sortedKeyJson(n.meta.default.value) : undefined) },
] as const;

/** Changes to `$id`, `title`, `description` and `default`. */
export function compareAnnotations(old: Node, current: Node): Found[] {
  const found: Found[] = [];
  for (const { keyword, type, get } of ANNOTATIONS) {
    const before = get(old);
    const after = get(current);
    if (before === after) continue;
    const f = here(type, old, current, keyword);
    found.push(after === undefined ? { ...f, side: "old" } : f);
  }
  return found;
}
