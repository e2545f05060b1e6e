/**
 * The graph of the whole tree's subschemas, built from the files' reference summaries
 * (schema/ref-summary.ts): numbers for nodes and steps, so that the whole-tree reference rules
 * (schema/ref-cycles.ts) are cheap graph work however the summaries were had (worked out now, or
 * kept by the build cache).
 *
 * The nodes are every subschema the walk visits, file by file in the order the files are given and
 * in walk order within a file (ids 0 … walked-1); then the places a reference leads to that the
 * walk does not visit (a `true` at `#/not`, say), worked out from the file's JSON when met. A node
 * is named by its file and JSON pointer; a step to a file that is not among the given files is not
 * taken.
 */

import { joinPointer } from "../diagnostics/index.js";
import type { ParsedFile } from "../model/tree.js";
import { childPointers, inPlacePointers, pointersOf, type RefSummary, refSummary, treeTargets } from "./ref-summary.js";
import { atPointer } from "./refs.js";
import { lastAtOrBefore } from "./sorted.js";
import { isObject } from "./walk.js";

/** Which steps the graph takes besides references: into every subschema, or only into those applied to the same value. */
export type StepKind = "subschemas" | "inPlace";

/** A place in the tree: a file (events-relative) and a JSON pointer in it. */
export interface Place {
  rel: string;
  pointer: string;
}

/**
 * The graph of the given files, its steps in flat arrays: the steps of node `n` are the indexes
 * `first[n]` … `first[n + 1] - 1` of `to` (the node each leads to) and `ref` (the reference's id
 * when the step is a reference, else -1), in the order the rules take them.
 */
export interface RefGraph {
  /** The nodes the walk visits: ids 0 … walked-1, in file then walk order. */
  walked: number;
  /** All nodes: the walked ones, then the places references lead to that the walk does not visit. */
  size: number;
  first: Int32Array;
  to: Int32Array;
  ref: Int32Array;
  /** Where a node is. */
  placeOf(node: number): Place;
  /** Where a reference is written: its `$ref` (or `$dynamicRef`) keyword. */
  refPlaceOf(ref: number): Place;
}

/** `rel#pointer`: the order places are reported in. */
export const placeKey = (p: Place): string => `${p.rel}#${p.pointer}`;

/** Builds the graph of `files` (events-relative path to file, in order) from their summaries. */
export function refGraph(files: ReadonlyMap<string, ParsedFile>, kind: StepKind): RefGraph {
  const list = [...files.values()];
  const summaries = list.map((f) => refSummary(f));
  const fileIndex = new Map(list.map((f, i) => [f.rel, i]));
  const nodeBase: number[] = [];
  const refBase: number[] = [];
  let walked = 0;
  let summaryRefs = 0;
  for (const s of summaries) {
    nodeBase.push(walked);
    refBase.push(summaryRefs);
    walked += s.children.length;
    summaryRefs += s.refs.length;
  }
  // The steps, node by node in id order (the other places after the walked nodes, as they are found).
  const first: number[] = [];
  const to: number[] = [];
  const ref: number[] = [];
  const step = (target: number, id: number) => {
    to.push(target);
    ref.push(id);
  };

  const pointersAt = (file: number) => pointersOf(list[file] as ParsedFile, summaries[file] as RefSummary);
  // Pointer → node id of a file, for the files references lead into (made when first needed).
  const indexes = new Map<number, Map<string, number>>();
  const idsOf = (file: number) => {
    let ids = indexes.get(file);
    if (!ids) {
      ids = new Map(pointersAt(file).map((p, i) => [p, i]));
      indexes.set(file, ids);
    }
    return ids;
  };

  // Places the walk does not visit, found as references lead to them; their steps are worked out after.
  const others: { file: number; pointer: string }[] = [];
  const otherIds = new Map<string, number>();
  const otherRefs: Place[] = [];
  const nodeAt = (file: number, pointer: string): number => {
    const id = idsOf(file).get(pointer);
    if (id !== undefined) return (nodeBase[file] as number) + id;
    const k = `${file}#${pointer}`;
    let other = otherIds.get(k);
    if (other === undefined) {
      other = walked + others.length;
      otherIds.set(k, other);
      others.push({ file, pointer });
    }
    return other;
  };
  /** The node a reference of `file` leads to, or -1 when its file is not in the graph. */
  const targetOf = (file: number, into: string, pointer: string): number => {
    const target = into === "" ? file : fileIndex.get(into);
    return target === undefined ? -1 : nodeAt(target, pointer);
  };

  for (const [f, s] of summaries.entries()) {
    const base = nodeBase[f] as number;
    const local = kind === "subschemas" ? s.children : s.inPlace;
    let r = 0;
    for (let node = 0; node < s.children.length; node++) {
      first.push(to.length);
      for (const child of local[node] as number[]) step(base + child, -1);
      for (; r < s.refs.length && s.refs[r]?.[0] === node; r++) {
        const [, , into, pointer, id] = s.refs[r] as RefSummary["refs"][number];
        const target = id >= 0 ? base + id : targetOf(f, into, pointer);
        if (target >= 0) step(target, (refBase[f] as number) + r);
      }
    }
  }

  // The other places: their steps from the file's JSON (may find further places; the list grows as it is read).
  for (let i = 0; i < others.length; i++) {
    first.push(to.length);
    const { file, pointer } = others[i] as (typeof others)[number];
    const rel = (list[file] as ParsedFile).rel;
    const schema = atPointer((list[file] as ParsedFile).json, pointer);
    if (!isObject(schema)) continue;
    const children = kind === "subschemas" ? childPointers(schema, pointer) : inPlacePointers(schema, pointer);
    for (const child of children) step(nodeAt(file, child), -1);
    for (const { keyword, file: into, pointer: at } of treeTargets(rel, schema)) {
      const target = targetOf(file, into, at);
      if (target < 0) continue;
      otherRefs.push({ rel, pointer: joinPointer(pointer, keyword) });
      step(target, summaryRefs + otherRefs.length - 1);
    }
  }
  first.push(to.length);

  // The last file whose first node (reference) is at or before this one: files may have none.
  const fileOfNode = (node: number): number => lastAtOrBefore(nodeBase, node);
  const fileOfRef = (ref: number): number => lastAtOrBefore(refBase, ref);
  return {
    walked,
    size: walked + others.length,
    first: Int32Array.from(first),
    to: Int32Array.from(to),
    ref: Int32Array.from(ref),
    placeOf(node) {
      if (node >= walked) {
        const { file, pointer } = others[node - walked] as (typeof others)[number];
        return { rel: (list[file] as ParsedFile).rel, pointer };
      }
      const f = fileOfNode(node);
      return { rel: (list[f] as ParsedFile).rel, pointer: pointersAt(f)[node - (nodeBase[f] as number)] as string };
    },
    refPlaceOf(ref) {
      if (ref >= summaryRefs) return otherRefs[ref - summaryRefs] as Place;
      const f = fileOfRef(ref);
      const s = summaries[f] as RefSummary;
      const [node, keyword] = s.refs[ref - (refBase[f] as number)] as RefSummary["refs"][number];
      return { rel: (list[f] as ParsedFile).rel, pointer: joinPointer(pointersAt(f)[node] as string, keyword) };
    },
  };
}
