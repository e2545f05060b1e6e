/**
 * The reference summary of one schema file: everything the whole-tree reference rules
 * (schema/ref-cycles.ts: cycles that never reach into the data, depth counted through references)
 * need to know of the file, worked out from its bytes and its path alone, so that it can be kept by
 * content hash (stages/validate/summaries.ts) and an edit walks only the edited file. The
 * whole-tree answer is then graph work over the summaries (schema/ref-graph.ts).
 *
 * A summary lists the file's subschemas in walk order (walkSchema: the node ids 0, 1, … of the
 * file), and for each its steps: to its direct subschemas (all of them, for the depth; those applied
 * to the same value, for the cycles) and its references (`$ref`, `$dynamicRef`), by target file
 * and pointer. It is plain JSON: the build cache keeps it as it is.
 */

import { joinPointer } from "../diagnostics/index.js";
import { resolveRef } from "./refs.js";
import { APPLICATORS, isObject, walkSchema } from "./walk.js";

/** The reference keywords, in the order their steps are taken. */
export const REF_KEYWORDS = ["$ref", "$dynamicRef"] as const;

/**
 * One reference of a file that leads into the tree: `[node, keyword, file, pointer, local]`. The
 * subschema `node` holds it under `keyword`; it leads to `pointer` in `file` (events-relative;
 * "" for this same file, however written); `local` is the node id of that pointer when it is in
 * this file and the walk visits it, else -1.
 */
export type RefStep = [node: number, keyword: (typeof REF_KEYWORDS)[number], file: string, pointer: string, local: number];

/** What the whole-tree reference rules know of one file. */
export interface RefSummary {
  /**
   * The JSON pointer of each subschema, in walk order: the index is the node id in this file.
   * Absent when the build cache kept the summary without them (an event file's: no other file
   * may refer into an event); `pointersOf` works them out again from the file when needed.
   */
  pointers?: string[];
  /** For each node, the node ids of its direct subschemas, in key order (every applicator). */
  children: number[][];
  /** For each node, the node ids of its subschemas applied to the same value (IN_PLACE order). */
  inPlace: number[][];
  /** The references into the tree (local, or to a file of the tree), in node order, `$ref` first. */
  refs: RefStep[];
}

/** Keywords that apply their subschemas to the same value, in place, in the order the cycle search takes them. */
export const IN_PLACE: Record<string, "schema" | "array" | "map"> = {
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

/** The pointers of a schema's direct subschemas, as walkSchema goes (one step down). */
export function childPointers(schema: Record<string, unknown>, pointer: string): string[] {
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
 * The pointers of a schema's subschemas that apply to the same value, in IN_PLACE order: only
 * those that are objects (a `true` under `allOf` takes no step, so it lies on no cycle).
 */
export function inPlacePointers(schema: Record<string, unknown>, pointer: string): string[] {
  const out: string[] = [];
  for (const [keyword, shape] of Object.entries(IN_PLACE)) {
    const value = schema[keyword];
    if (shape === "schema" && isObject(value)) out.push(joinPointer(pointer, keyword));
    if (shape === "array" && Array.isArray(value)) {
      for (const [i, s] of value.entries()) if (isObject(s)) out.push(joinPointer(pointer, keyword, i));
    }
    if (shape === "map" && isObject(value)) {
      for (const [name, s] of Object.entries(value)) if (isObject(s)) out.push(joinPointer(pointer, keyword, name));
    }
  }
  return out;
}

/** A reference of one subschema that leads into the tree: its keyword, and the file ("" for this one) and pointer. */
export interface TreeTarget {
  keyword: (typeof REF_KEYWORDS)[number];
  file: string;
  pointer: string;
}

/** The references of the subschema `schema` of the file at `rel` that lead into the tree (remote, outside, malformed ones lead nowhere). */
export function treeTargets(rel: string, schema: Record<string, unknown>): TreeTarget[] {
  const out: TreeTarget[] = [];
  for (const keyword of REF_KEYWORDS) {
    const ref = schema[keyword];
    if (typeof ref !== "string") continue;
    const target = resolveRef(rel, ref);
    if (target.kind === "local") out.push({ keyword, file: "", pointer: target.pointer });
    // A file that names itself refers to itself.
    else if (target.kind === "file") out.push({ keyword, file: target.rel === rel ? "" : target.rel, pointer: target.pointer });
  }
  return out;
}

/** Works out the summary of the schema file at `rel` (events-relative) whose JSON is `json`: one walk. */
export function summarizeRefs(rel: string, json: Record<string, unknown>): RefSummary {
  const schemas: Record<string, unknown>[] = [];
  const pointers: string[] = [];
  walkSchema(json, ({ schema, pointer }) => {
    schemas.push(schema);
    pointers.push(pointer);
  });
  const ids = new Map(pointers.map((p, i) => [p, i]));
  // Every direct subschema that is an object is visited by the walk: an id always exists.
  const idsOf = (list: readonly string[]) => list.map((p) => ids.get(p) as number);
  const children: number[][] = [];
  const inPlace: number[][] = [];
  const refs: RefStep[] = [];
  for (const [node, schema] of schemas.entries()) {
    const pointer = pointers[node] as string;
    children.push(idsOf(childPointers(schema, pointer)));
    inPlace.push(idsOf(inPlacePointers(schema, pointer)));
    // Most subschemas have no reference at all.
    if (!("$ref" in schema) && !("$dynamicRef" in schema)) continue;
    for (const { keyword, file, pointer: to } of treeTargets(rel, schema)) {
      refs.push([node, keyword, file, to, file === "" ? (ids.get(to) ?? -1) : -1]);
    }
  }
  return { pointers, children, inPlace, refs };
}

const referenced = new WeakMap<RefSummary, string[]>();

/** The files (events-relative, sorted) a summary's references lead to, the file itself left out (worked out once per summary). */
export function filesReferenced(summary: RefSummary): string[] {
  const known = referenced.get(summary);
  if (known) return known;
  const out = new Set<string>();
  for (const [, , file] of summary.refs) if (file !== "") out.add(file);
  const sorted = [...out].sort();
  referenced.set(summary, sorted);
  return sorted;
}

/**
 * True when `value` is a summary that the graph can be built from without a check of its own: node
 * ids in range, references in node order. What the cache gives back is checked with it (a value
 * of another shape reads as absent, and the summary is worked out again).
 */
export function isRefSummary(value: unknown): value is RefSummary {
  if (!isObject(value)) return false;
  const { pointers, children, inPlace, refs } = value;
  if (!Array.isArray(children) || !Array.isArray(inPlace) || !Array.isArray(refs)) return false;
  const n = children.length;
  if (inPlace.length !== n || (pointers !== undefined && (!Array.isArray(pointers) || pointers.length !== n))) return false;
  const isId = (id: unknown) => Number.isInteger(id) && (id as number) >= 0 && (id as number) < n;
  for (const p of pointers ?? []) if (typeof p !== "string") return false;
  for (const list of [...children, ...inPlace]) if (!Array.isArray(list) || !list.every(isId)) return false;
  let last = 0;
  for (const step of refs) {
    if (!Array.isArray(step) || step.length !== 5) return false;
    const [node, keyword, file, pointer, local] = step as unknown[];
    if (!isId(node) || (node as number) < last || !REF_KEYWORDS.includes(keyword as "$ref")) return false;
    if (typeof file !== "string" || typeof pointer !== "string" || !(local === -1 || (file === "" && isId(local)))) return false;
    last = node as number;
  }
  return true;
}

const summaries = new WeakMap<object, { rel: string; summary: RefSummary }>();

/**
 * The summary of a parsed file, worked out once per parsed file (or given by `rememberRefSummary`
 * from the build cache): the tree rules, the runner and the compile stage all ask for it.
 */
export function refSummary(file: { rel: string; json: Record<string, unknown> }): RefSummary {
  const remembered = given.get(file);
  if (remembered) return remembered;
  const known = summaries.get(file.json);
  if (known?.rel === file.rel) return known.summary;
  const summary = summarizeRefs(file.rel, file.json);
  summaries.set(file.json, { rel: file.rel, summary });
  return summary;
}

const walked = new WeakMap<object, string[]>();

/** The pointers of a file's subschemas in walk order (its node ids): from its summary, or one walk of the file. */
export function pointersOf(file: { json: Record<string, unknown> }, summary: RefSummary): string[] {
  if (summary.pointers) return summary.pointers;
  let pointers = walked.get(file.json);
  if (!pointers) {
    const found: string[] = [];
    walkSchema(file.json, ({ pointer }) => found.push(pointer));
    pointers = found;
    walked.set(file.json, pointers);
  }
  return pointers;
}

/**
 * Summaries the build cache kept, by the parsed file they were given for: not by its JSON, which a
 * file known by its bytes parses only when first read (stages/parse.ts), and which most stages of
 * a warm run never read.
 */
const given = new WeakMap<object, RefSummary>();

/** Remembers the summary of a parsed file, as the build cache kept it for the file's bytes and path. */
export function rememberRefSummary(file: { rel: string; json: Record<string, unknown> }, summary: RefSummary): void {
  given.set(file, summary);
}
