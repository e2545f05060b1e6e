/**
 * Reference cycles that never descend into the data: `{ "$ref": "#" }`, or `a → allOf → b → a`.
 * Validating against such a schema applies the same subschema to the same value forever (ajv's code
 * would recurse until the stack overflows in a consuming service). A cycle that passes through
 * `properties`, `items` or any other keyword that moves to a part of the value is a recursive
 * structure, and legal.
 *
 * Both rules here are graph work over the whole tree: the steps come from each file's reference
 * summary (schema/ref-summary.ts), which the build cache keeps by content, so an edit walks only
 * the edited file (schema/ref-graph.ts numbers the nodes); and a tree whose summaries all passed
 * before is not searched again (stages/validate/index.ts).
 */

import type { ParsedFile } from "../model/tree.js";
import { type Place, placeKey, type RefGraph, refGraph } from "./ref-graph.js";

/** A `$ref` that takes part in such a cycle: the file and the pointer to the `$ref` keyword. */
export interface CycleRef {
  rel: string;
  pointer: string;
}

/**
 * Finds every `$ref` that lies on an in-place cycle, across files: a depth-first search from every
 * subschema, in file and walk order, over the steps into subschemas applied to the same value and
 * the references. The files' summaries (schema/ref-summary.ts) give the steps.
 */
export function findRefCycles(files: ReadonlyMap<string, ParsedFile>): CycleRef[] {
  const graph = refGraph(files, "inPlace");
  const { first, to, ref } = graph;
  const found = new Map<string, Place>();
  const note = (id: number) => {
    if (id < 0) return;
    const place = graph.refPlaceOf(id);
    found.set(placeKey(place), place);
  };
  const OPEN = 1;
  const DONE = 2;
  const state = new Uint8Array(graph.size);
  // The search's stack, as flat arrays: the node, its next step, and the step that led to it.
  const nodes = new Int32Array(graph.size);
  const next = new Int32Array(graph.size);
  const via = new Int32Array(graph.size);
  // Where an open node is on the stack: a cycle found runs from there to the top.
  const at = new Int32Array(graph.size);
  // Iterative depth-first search: a long chain of references must not overflow the stack here either.
  for (let start = 0; start < graph.walked; start++) {
    if (state[start] !== 0) continue;
    let top = 0;
    nodes[0] = start;
    next[0] = first[start] as number;
    via[0] = -1;
    state[start] = OPEN;
    at[start] = 0;
    while (top >= 0) {
      const node = nodes[top] as number;
      const step = next[top] as number;
      if (step === first[node + 1]) {
        state[node] = DONE;
        top--;
        continue;
      }
      next[top] = step + 1;
      const target = to[step] as number;
      const seen = state[target];
      if (seen === DONE) continue;
      if (seen === OPEN) {
        // A cycle: every reference from where it was entered up to here, and this one, is on it.
        for (let i = (at[target] as number) + 1; i <= top; i++) note(ref[via[i] as number] as number);
        note(ref[step] as number);
        continue;
      }
      state[target] = OPEN;
      top++;
      at[target] = top;
      nodes[top] = target;
      next[top] = first[target] as number;
      via[top] = step;
    }
  }
  return [...found.values()];
}

/** Where schemas nest past the limit: the file, the pointer of the `$ref` (or subschema) that does it, how deep. */
export interface DeepRef {
  rel: string;
  pointer: string;
  /** The schemas nested below and including it, counted through references. */
  depth: number;
  /** True when it stands for a recursive cycle that alone holds more schemas than the limit. */
  cycle: boolean;
}

/**
 * Finds where subschemas, counted through references across files, nest deeper than `limit`.
 * ajv compiles a referenced schema while compiling the one that refers to it, and
 * json-schema-to-typescript walks into it, so a long chain of references (`a0.json` → `a1.json`
 * → … → `a300.json`) overflows their stacks however short each file is; where exactly depends on
 * what else is on the stack, so without this limit the verdict would change between a cold and a
 * warm run. The depth of a schema is the longest path of subschema and reference steps below it;
 * a recursive structure (a cycle through `properties` or `items`) counts every schema of the cycle
 * once, which bounds every path through it that does not repeat a schema (as the compilers follow
 * them). Worked out over the whole tree on every run, from the files' summaries (never from a
 * per-file verdict: a file's depth depends on what it refers to).
 *
 * Reported: each step from a schema deeper than the limit to one within it (one place per chain,
 * the `$ref` that makes it too long, or the subschema), and one reference in each cycle that alone
 * holds more schemas than the limit.
 */
export function findDeepSchemas(files: ReadonlyMap<string, ParsedFile>, limit: number): DeepRef[] {
  const graph = refGraph(files, "subschemas");
  const { first, to, ref } = graph;
  const { component, sizes, depth, members } = condense(graph, limit);
  const found = new Map<string, DeepRef>();
  const note = (node: number, step: number, d: number, cycle: boolean) => {
    const id = ref[step] as number;
    const place = id >= 0 ? graph.refPlaceOf(id) : graph.placeOf(node);
    found.set(placeKey(place), { ...place, depth: d, cycle });
  };
  for (let node = 0; node < graph.walked; node++) {
    const c = component[node] as number;
    const d = depth[c] as number;
    if (d <= limit) continue;
    // Only the steps of a longest path: a deep schema's shallow branches are not where it is too deep.
    const below = d - (sizes[c] as number);
    for (let step = first[node] as number; step < (first[node + 1] as number); step++) {
      const target = component[to[step] as number] as number;
      if (target !== c && depth[target] === below && below <= limit) note(node, step, d, false);
    }
  }
  // A cycle longer than the limit: its first reference (in file and pointer order) stands for it.
  for (const [c, nodes] of members) {
    const inside: { node: number; step: number; key: string }[] = [];
    for (const node of nodes) {
      for (let step = first[node] as number; step < (first[node + 1] as number); step++) {
        const id = ref[step] as number;
        if (id >= 0 && component[to[step] as number] === c) inside.push({ node, step, key: placeKey(graph.refPlaceOf(id)) });
      }
    }
    inside.sort((a, b) => (a.key < b.key ? -1 : 1));
    const chosen = inside[0];
    if (chosen) note(chosen.node, chosen.step, nodes.length, true);
  }
  return [...found.values()].sort((a, b) => (placeKey(a) < placeKey(b) ? -1 : 1));
}

/**
 * The strongly connected components of the graph (Tarjan's algorithm, iterative: a long chain
 * must not overflow the stack here either), and the depth of each: its size plus the deepest
 * component it leads to. Tarjan's algorithm closes a component only after every component it
 * leads to, so each depth is known when it is needed. Every node the walk visits is a start, in
 * order; the others are reached by the steps. `members` lists the nodes of the components larger
 * than `limit` only (the others are known by their size).
 */
function condense(
  graph: RefGraph,
  limit: number,
): { component: Int32Array; sizes: number[]; depth: number[]; members: Map<number, number[]> } {
  const { size, first, to } = graph;
  const index = new Int32Array(size).fill(-1);
  const low = new Int32Array(size);
  const onStack = new Uint8Array(size);
  const component = new Int32Array(size).fill(-1);
  const stack = new Int32Array(size);
  let height = 0;
  // The search's frames, as flat arrays: the node and its next step.
  const frameNode = new Int32Array(size);
  const frameNext = new Int32Array(size);
  const sizes: number[] = [];
  const depth: number[] = [];
  const members = new Map<number, number[]>();
  let counter = 0;
  let top = -1;
  const open = (node: number) => {
    index[node] = counter;
    low[node] = counter++;
    stack[height++] = node;
    onStack[node] = 1;
    top++;
    frameNode[top] = node;
    frameNext[top] = first[node] as number;
  };
  for (let start = 0; start < graph.walked; start++) {
    if (index[start] !== -1) continue;
    open(start);
    while (top >= 0) {
      const node = frameNode[top] as number;
      const step = frameNext[top] as number;
      if (step < (first[node + 1] as number)) {
        frameNext[top] = step + 1;
        const target = to[step] as number;
        if (index[target] === -1) open(target);
        else if (onStack[target] === 1) low[node] = Math.min(low[node] as number, index[target] as number);
        continue;
      }
      top--;
      if (top >= 0) {
        const parent = frameNode[top] as number;
        low[parent] = Math.min(low[parent] as number, low[node] as number);
      }
      if (low[node] !== index[node]) continue;
      // node roots a component: the stack down to it. Its depth is its size plus the deepest step
      // out of it (every component a step leads to is closed already, or is this one).
      const c = depth.length;
      const bottom = stack.lastIndexOf(node, height - 1);
      for (let i = bottom; i < height; i++) component[stack[i] as number] = c;
      let below = 0;
      for (let i = bottom; i < height; i++) {
        const n = stack[i] as number;
        onStack[n] = 0;
        for (let s = first[n] as number; s < (first[n + 1] as number); s++) {
          const t = component[to[s] as number] as number;
          if (t !== -1 && t !== c) below = Math.max(below, depth[t] as number);
        }
      }
      const count = height - bottom;
      if (count > limit) members.set(c, Array.from(stack.subarray(bottom, height)));
      height = bottom;
      sizes.push(count);
      depth.push(count + below);
    }
  }
  return { component, sizes, depth, members };
}
