/**
 * The whole-tree reference rules as they were before they worked from per-file summaries (issue
 * 16): one walk of every file on every run, string node keys. Kept only as the oracle of
 * test/validate-summaries.test.ts, which proves the summary-based rules (src/schema/ref-cycles.ts)
 * find exactly the same places on random trees. Not to be used by the source.
 */

import { joinPointer } from "../../src/diagnostics/index.js";
import type { ParsedFile } from "../../src/model/tree.js";
import { atPointer, resolveRef } from "../../src/schema/refs.js";
import { APPLICATORS, isObject, walkSchema } from "../../src/schema/walk.js";

/** Keywords that apply their subschemas to the same value, in place. */
const IN_PLACE: Record<string, "schema" | "array" | "map"> = {
  allOf: "array",
  anyOf: "array",
  oneOf: "array",
  not: "schema",
  if: "schema",
  // biome-ignore lint/suspicious/noThenProperty: "then" is a JSON Schema keyword
  then: "schema",
  else: "schema",
  dependentSchemas: "map",
};

/** A `$ref` that takes part in such a cycle: the file and the pointer to the `$ref` keyword. */
export interface CycleRef {
  rel: string;
  pointer: string;
}

interface Edge {
  to: string;
  /** Set when the edge is a reference: where its `$ref` is written. */
  ref?: CycleRef;
}

const key = (rel: string, pointer: string) => `${rel}#${pointer}`;

/** The reference steps of the subschema at `rel#pointer`: its `$ref` and `$dynamicRef`, to files of the tree. */
function referenceEdges(rel: string, pointer: string, schema: Record<string, unknown>, files: ReadonlyMap<string, unknown>): Edge[] {
  const out: Edge[] = [];
  for (const keyword of ["$ref", "$dynamicRef"]) {
    const ref = schema[keyword];
    if (typeof ref !== "string") continue;
    const target = resolveRef(rel, ref);
    const at = { rel, pointer: joinPointer(pointer, keyword) };
    if (target.kind === "local") out.push({ to: key(rel, target.pointer), ref: at });
    else if (target.kind === "file" && files.has(target.rel)) out.push({ to: key(target.rel, target.pointer), ref: at });
  }
  return out;
}

/** Finds every `$ref` that lies on an in-place cycle, across files. */
export function findRefCycles(files: ReadonlyMap<string, ParsedFile>): CycleRef[] {
  // Every subschema by its node key, from one walk of each file: looking each node up again from
  // its file's root by its pointer cost more than the search itself on a large tree.
  const schemas = new Map<string, Record<string, unknown>>();
  const startsOf = new Map<string, string[]>();
  for (const [rel, file] of files) {
    const starts: string[] = [];
    walkSchema(file.json, ({ schema, pointer }) => {
      const k = key(rel, pointer);
      starts.push(k);
      schemas.set(k, schema);
    });
    startsOf.set(rel, starts);
  }
  const edgesOf = (node: string): Edge[] => {
    const hash = node.indexOf("#");
    const rel = node.slice(0, hash);
    const pointer = node.slice(hash + 1);
    // A reference may point where the walk does not go (into data, say): looked up by its pointer.
    const schema = schemas.get(node) ?? atPointer(files.get(rel)?.json, pointer);
    if (!isObject(schema)) return [];
    const out: Edge[] = [];
    for (const [keyword, shape] of Object.entries(IN_PLACE)) {
      const value = schema[keyword];
      if (shape === "schema" && isObject(value)) out.push({ to: key(rel, joinPointer(pointer, keyword)) });
      if (shape === "array" && Array.isArray(value))
        for (const i of value.keys()) out.push({ to: key(rel, joinPointer(pointer, keyword, i)) });
      if (shape === "map" && isObject(value))
        for (const name of Object.keys(value)) out.push({ to: key(rel, joinPointer(pointer, keyword, name)) });
    }
    out.push(...referenceEdges(rel, pointer, schema, files));
    return out;
  };

  const found = new Map<string, CycleRef>();
  const state = new Map<string, "open" | "done">();
  // Iterative depth-first search: a long chain of references must not overflow the stack here either.
  for (const starts of startsOf.values()) {
    for (const start of starts) {
      if (state.has(start)) continue;
      const stack: { node: string; edges: Edge[]; next: number; via?: Edge }[] = [{ node: start, edges: edgesOf(start), next: 0 }];
      state.set(start, "open");
      while (stack.length > 0) {
        const top = stack[stack.length - 1] as (typeof stack)[number];
        const edge = top.edges[top.next++];
        if (!edge) {
          state.set(top.node, "done");
          stack.pop();
          continue;
        }
        const seen = state.get(edge.to);
        if (seen === "done") continue;
        if (seen === "open") {
          // A cycle: every reference from where it was entered up to here, and this one, is on it.
          const from = stack.findIndex((f) => f.node === edge.to);
          for (const f of [...stack.slice(from + 1).map((f) => f.via), edge]) {
            if (f?.ref) found.set(key(f.ref.rel, f.ref.pointer), f.ref);
          }
          continue;
        }
        state.set(edge.to, "open");
        stack.push({ node: edge.to, edges: edgesOf(edge.to), next: 0, via: edge });
      }
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
 * them). Computed from the whole tree on every run.
 *
 * Reported: each step from a schema deeper than the limit to one within it (one place per chain,
 * the `$ref` that makes it too long, or the subschema), and one reference in each cycle that alone
 * holds more schemas than the limit.
 */
export function findDeepSchemas(files: ReadonlyMap<string, ParsedFile>, limit: number): DeepRef[] {
  const graph = schemaGraph(files);
  const { component, members, depth } = condense(graph.nodes, graph.edgesOf);
  const found = new Map<string, DeepRef>();
  const note = (node: string, edge: GraphEdge, d: number, cycle: boolean) => {
    const hash = node.indexOf("#");
    const at = edge.ref ?? { rel: node.slice(0, hash), pointer: node.slice(hash + 1) };
    found.set(key(at.rel, at.pointer), { ...at, depth: d, cycle });
  };
  for (const node of graph.nodes) {
    const c = component.get(node) as number;
    const d = depth[c] as number;
    if (d <= limit) continue;
    // Only the steps of a longest path: a deep schema's shallow branches are not where it is too deep.
    const below = d - (members.get(c) as string[]).length;
    for (const edge of graph.edgesOf(node)) {
      const target = component.get(edge.to) as number;
      if (target !== c && depth[target] === below && below <= limit) note(node, edge, d, false);
    }
  }
  // A cycle longer than the limit: its first reference (in file and pointer order) stands for it.
  for (const [c, nodes] of members) {
    if (nodes.length <= limit) continue;
    const inside = nodes.flatMap((n) =>
      graph
        .edgesOf(n)
        .filter((e) => e.ref && component.get(e.to) === c)
        .map((e) => [n, e] as const),
    );
    inside.sort(([, a], [, b]) => (key(a.ref!.rel, a.ref!.pointer) < key(b.ref!.rel, b.ref!.pointer) ? -1 : 1));
    const first = inside[0];
    if (first) note(first[0], first[1], nodes.length, true);
  }
  return [...found.values()].sort((a, b) => (key(a.rel, a.pointer) < key(b.rel, b.pointer) ? -1 : 1));
}

type GraphEdge = Edge;

/** Every subschema of every file as a node (`rel#pointer`), with its subschema and reference steps. */
function schemaGraph(files: ReadonlyMap<string, ParsedFile>): { nodes: string[]; edgesOf: (node: string) => GraphEdge[] } {
  const nodes: string[] = [];
  const schemas = new Map<string, Record<string, unknown>>();
  for (const [rel, file] of files) {
    walkSchema(file.json, ({ schema, pointer }) => {
      const k = key(rel, pointer);
      nodes.push(k);
      schemas.set(k, schema);
    });
  }
  const edges = new Map<string, GraphEdge[]>();
  const edgesOf = (node: string): GraphEdge[] => {
    const known = edges.get(node);
    if (known) return known;
    const hash = node.indexOf("#");
    const rel = node.slice(0, hash);
    const pointer = node.slice(hash + 1);
    const schema = schemas.get(node) ?? atPointer(files.get(rel)?.json, pointer);
    const out: GraphEdge[] = [];
    if (isObject(schema)) {
      for (const child of childPointers(schema, pointer)) out.push({ to: key(rel, child) });
      out.push(...referenceEdges(rel, pointer, schema, files));
    }
    edges.set(node, out);
    return out;
  };
  return { nodes, edgesOf };
}

/** The pointers of a schema's direct subschemas, as walkSchema goes (one step down). */
function childPointers(schema: Record<string, unknown>, pointer: string): string[] {
  const out: string[] = [];
  for (const [keyword, value] of Object.entries(schema)) {
    const shape = Object.hasOwn(APPLICATORS, keyword) ? APPLICATORS[keyword] : undefined;
    if (!shape) continue;
    const at = joinPointer(pointer, keyword);
    if (shape === "schema" || (shape === "schemaOrArray" && !Array.isArray(value))) {
      if (isObject(value)) out.push(at);
    } else if (shape === "array" || shape === "schemaOrArray") {
      if (Array.isArray(value)) for (const [i, s] of value.entries()) if (isObject(s)) out.push(joinPointer(at, i));
    } else if (isObject(value)) {
      for (const [name, s] of Object.entries(value)) if (isObject(s)) out.push(joinPointer(at, name));
    }
  }
  return out;
}

/**
 * The strongly connected components of the graph (Tarjan's algorithm, iterative: a long chain
 * must not overflow the stack here either), and the depth of each: its size plus the deepest
 * component it leads to. Tarjan's algorithm closes a component only after every component it
 * leads to, so each depth is known when it is needed.
 */
function condense(
  nodes: readonly string[],
  edgesOf: (node: string) => GraphEdge[],
): { component: Map<string, number>; members: Map<number, string[]>; depth: number[] } {
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const onStack = new Set<string>();
  const stack: string[] = [];
  const component = new Map<string, number>();
  const members = new Map<number, string[]>();
  const depth: number[] = [];
  let counter = 0;
  for (const start of nodes) {
    if (index.has(start)) continue;
    const frames: { node: string; edges: GraphEdge[]; next: number }[] = [];
    const open = (node: string) => {
      index.set(node, counter);
      low.set(node, counter++);
      stack.push(node);
      onStack.add(node);
      frames.push({ node, edges: edgesOf(node), next: 0 });
    };
    open(start);
    while (frames.length > 0) {
      const frame = frames[frames.length - 1] as (typeof frames)[number];
      const edge = frame.edges[frame.next++];
      if (edge) {
        if (!index.has(edge.to)) open(edge.to);
        else if (onStack.has(edge.to)) low.set(frame.node, Math.min(low.get(frame.node) as number, index.get(edge.to) as number));
        continue;
      }
      frames.pop();
      const parent = frames[frames.length - 1];
      if (parent) low.set(parent.node, Math.min(low.get(parent.node) as number, low.get(frame.node) as number));
      if (low.get(frame.node) !== index.get(frame.node)) continue;
      // frame.node roots a component: pop it, and its depth is its size plus the deepest step out.
      const c = depth.length;
      const nodesOf: string[] = [];
      let popped: string | undefined;
      do {
        popped = stack.pop() as string;
        onStack.delete(popped);
        component.set(popped, c);
        nodesOf.push(popped);
      } while (popped !== frame.node);
      let below = 0;
      for (const n of nodesOf) {
        for (const e of edgesOf(n)) {
          const t = component.get(e.to);
          if (t !== undefined && t !== c) below = Math.max(below, depth[t] as number);
        }
      }
      members.set(c, nodesOf);
      depth.push(nodesOf.length + below);
    }
  }
  return { component, members, depth };
}
