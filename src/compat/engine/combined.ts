/**
 * Combined schemas: `allOf` is a product (a value matches every branch), `anyOf` and `oneOf` are sums
 * (a value matches some branch). As in Confluent's `CombinedSchemaDiff`:
 *
 * - a change of keyword is `COMBINED_TYPE_EXTENDED` when it only loosens (to `anyOf`, between
 *   single branches …), else `COMBINED_TYPE_CHANGED` and nothing more is compared;
 * - more distinct branches is `PRODUCT_TYPE_EXTENDED` or `SUM_TYPE_EXTENDED` (by the new keyword),
 *   fewer is `PRODUCT_TYPE_NARROWED` or `SUM_TYPE_NARROWED` (by the old keyword);
 * - old and new branches are paired by a maximum matching over compatible pairs; the pairs' changes
 *   are reported, and `COMBINED_TYPE_SUBSCHEMAS_CHANGED` when the smaller side is not covered.
 *
 * A single schema against a combination looks for the branch it corresponds to (a union gains a
 * branch: `SUM_TYPE_EXTENDED`; a product loses its other branches: `PRODUCT_TYPE_NARROWED`). Against
 * a one-branch combination we report that branch's changes even when they break compatibility
 * (Confluent then says only TYPE_CHANGED).
 *
 * Implicit combinations (several constraints in one schema object, a type array) have at most one
 * part of each kind, so we pair their parts by kind first and report the pairs' changes even when
 * they break compatibility: `{"type": "string", "enum": […], "maxLength": 5}` → `maxLength: 3` is
 * `MAX_LENGTH_DECREASED` at `/maxLength`, where a matching alone could only say that no branch fits.
 */

import { sortedKeyJson } from "../../schema/stable-json.js";
import { compareAnnotations, compareNodes } from "./compare.js";
import { type Context, type Found, here } from "./context.js";
import { maximumMatching } from "./matching.js";
import { type CombinedNode, type Criterion, deref, type Node } from "./model.js";

/** Explicit combination against explicit combination (or a type array against one). */
export function compareCombined(ctx: Context, old: CombinedNode, current: CombinedNode): Found[] {
  const found: Found[] = [];
  const criterion = criterionChange(old, current);
  if (criterion) {
    found.push(here(criterion, old, current));
    if (criterion === "COMBINED_TYPE_CHANGED") return found;
  }
  const olds = distinct(old);
  const currents = distinct(current);
  // More branches: named by what the new combination is; fewer: by what the old one was.
  if (olds.length < currents.length)
    found.push(here(current.criterion === "allOf" ? "PRODUCT_TYPE_EXTENDED" : "SUM_TYPE_EXTENDED", old, current));
  else if (olds.length > currents.length)
    found.push(here(old.criterion === "allOf" ? "PRODUCT_TYPE_NARROWED" : "SUM_TYPE_NARROWED", old, current));
  const matched = match(ctx, olds, currents);
  found.push(...matched.found);
  if (matched.pairs < Math.min(olds.length, currents.length)) found.push(here("COMBINED_TYPE_SUBSCHEMAS_CHANGED", old, current));
  return found;
}

/**
 * A change of keyword only loosens when: the new one is `anyOf`; both have one branch (then the
 * keyword means nothing); one old branch becomes a `oneOf`; or an `allOf` keeps a single branch
 * (a value that matched all old branches matches that one).
 */
function criterionChange(old: CombinedNode, current: CombinedNode): "COMBINED_TYPE_EXTENDED" | "COMBINED_TYPE_CHANGED" | undefined {
  if (old.criterion === current.criterion) return undefined;
  const oldSingle = old.subschemas.length === 1;
  const newSingle = current.subschemas.length === 1;
  const loosens =
    current.criterion === "anyOf" ||
    (oldSingle && newSingle) ||
    (oldSingle && current.criterion === "oneOf") ||
    (newSingle && old.criterion === "allOf");
  return loosens ? "COMBINED_TYPE_EXTENDED" : "COMBINED_TYPE_CHANGED";
}

/** The branches without repeats (`allOf: [A, A]` is `allOf: [A]`). */
function distinct(node: CombinedNode): Node[] {
  if (node.synthetic) return node.subschemas;
  const seen = new Set<string>();
  return node.subschemas.filter((s) => {
    const key = sortedKeyJson(s.source);
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/** Pairs compatible branches; returns how many pairs and their changes. */
function match(ctx: Context, olds: readonly Node[], currents: readonly Node[]): { pairs: number; found: Found[] } {
  const results = olds.map((o) => currents.map((c) => compareNodes(ctx, o, c)));
  const pairs = maximumMatching(olds.length, currents.length, (i, j) => {
    const found = results[i]![j]!;
    return ctx.isCompatible(found) ? found.length : undefined;
  });
  return { pairs: pairs.length, found: pairs.flatMap(([i, j]) => results[i]![j]!) };
}

/** A single schema becomes a combination. */
export function intoCombined(ctx: Context, old: Node, current: CombinedNode): Found[] | undefined {
  const [only] = current.subschemas;
  if (only && current.subschemas.length === 1) return compareNodes(ctx, old, only);
  if (current.criterion === "allOf") return undefined;
  const best = simplest(
    ctx,
    current.subschemas.map((s) => compareNodes(ctx, old, s)),
  );
  return best && [...best, here("SUM_TYPE_EXTENDED", old, current)];
}

/** A combination becomes a single schema. */
export function outOfCombined(ctx: Context, old: CombinedNode, current: Node): Found[] | undefined {
  const [only] = old.subschemas;
  if (only && old.subschemas.length === 1) return compareNodes(ctx, only, current);
  if (old.criterion !== "allOf") return undefined;
  const best = simplest(
    ctx,
    old.subschemas.map((s) => compareNodes(ctx, s, current)),
  );
  return best && [...best, here("PRODUCT_TYPE_NARROWED", old, current)];
}

/** The compatible result with the fewest changes. */
function simplest(ctx: Context, results: Found[][]): Found[] | undefined {
  let best: Found[] | undefined;
  for (const r of results) if (ctx.isCompatible(r) && (!best || r.length < best.length)) best = r;
  return best;
}

function isSynthetic(node: Node): node is CombinedNode {
  return node.kind === "combined" && node.synthetic;
}

/**
 * When either side is an implicit combination: compares the annotations of the two schema objects,
 * then pairs their parts (a plain schema is a combination of one part). Returns undefined when
 * Confluent's rules for explicit combinations apply instead.
 */
export function compareSynthetic(ctx: Context, old: Node, current: Node): Found[] | undefined {
  // `{}` and `false` against a combination: the kind changed (or nothing did).
  if ([old.kind, current.kind].some((k) => k === "empty" || k === "false")) return undefined;
  let criterion: Criterion;
  if (isSynthetic(old) && isSynthetic(current) && old.criterion === current.criterion) criterion = old.criterion;
  else if ((isSynthetic(old) && old.criterion === "allOf") || (isSynthetic(current) && current.criterion === "allOf")) criterion = "allOf";
  else if (isSynthetic(old) !== isSynthetic(current) && (isSynthetic(old) ? current : old).kind !== "combined") criterion = "anyOf";
  else return undefined;
  const parts = (n: Node) => (isSynthetic(n) && n.criterion === criterion ? n.subschemas : [bare(n)]);
  return [...compareAnnotations(old, current), ...pairParts(ctx, old, current, criterion, parts(old), parts(current))];
}

/** The kind a part is paired by (integer and number pair: that is `TYPE_EXTENDED`/`TYPE_NARROWED`). */
function kindKey(part: Node): string {
  const n = deref(part);
  if (n.kind === "combined") return n.synthetic ? "types" : "combined";
  return n.kind;
}

function pairParts(ctx: Context, old: Node, current: Node, criterion: Criterion, olds: Node[], currents: Node[]): Found[] {
  const found: Found[] = [];
  const oldKeys = olds.map(kindKey);
  const newKeys = currents.map(kindKey);
  const once = (keys: string[], key: string) => keys.indexOf(key) === keys.lastIndexOf(key);
  const restOld: Node[] = [];
  const paired = new Set<number>();
  for (const [i, part] of olds.entries()) {
    const key = oldKeys[i]!;
    const j = newKeys.indexOf(key);
    if (j < 0 || !once(oldKeys, key) || !once(newKeys, key)) {
      restOld.push(part);
      continue;
    }
    paired.add(j);
    found.push(...compareNodes(ctx, part, currents[j]!));
  }
  const restNew = currents.filter((_, j) => !paired.has(j));
  const matched = match(ctx, restOld, restNew);
  found.push(...matched.found);
  const oldLeft = restOld.length > matched.pairs;
  const newLeft = restNew.length > matched.pairs;
  const product = criterion === "allOf";
  if (oldLeft && newLeft) found.push(here("COMBINED_TYPE_SUBSCHEMAS_CHANGED", old, current));
  else if (oldLeft) found.push(here(product ? "PRODUCT_TYPE_NARROWED" : "SUM_TYPE_NARROWED", old, current));
  else if (newLeft) found.push(here(product ? "PRODUCT_TYPE_EXTENDED" : "SUM_TYPE_EXTENDED", old, current));
  return found;
}

const BARE = new WeakMap<Node, Node>();

/** The node without its annotations, once compared at the level of the schema object. */
function bare(node: Node): Node {
  if (Object.keys(node.meta).length === 0) return node;
  const known = BARE.get(node);
  if (known) return known;
  const copy = { ...node, meta: {} };
  BARE.set(node, copy);
  return copy;
}
