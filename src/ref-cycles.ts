/**
 * Reference cycles that never descend into the data: `{ "$ref": "#" }`, or `a → allOf → b → a`.
 * Validating against such a schema applies the same subschema to the same value forever (ajv's code
 * would recurse until the stack overflows in a consuming service). A cycle that passes through
 * `properties`, `items` or any other keyword that moves to a part of the value is a recursive
 * structure, and legal.
 */

import { joinPointer } from "./diagnostics.js";
import type { ParsedFile } from "./model.js";
import { atPointer, resolveRef } from "./refs.js";
import { isObject, walkSchema } from "./schema-walk.js";

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
    for (const keyword of ["$ref", "$dynamicRef"]) {
      const ref = schema[keyword];
      if (typeof ref !== "string") continue;
      const target = resolveRef(rel, ref);
      const at = { rel, pointer: joinPointer(pointer, keyword) };
      if (target.kind === "local") out.push({ to: key(rel, target.pointer), ref: at });
      else if (target.kind === "file" && files.has(target.rel)) out.push({ to: key(target.rel, target.pointer), ref: at });
    }
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
