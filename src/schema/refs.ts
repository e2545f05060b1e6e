/**
 * Identities and references. Every schema file gets an `$id` derived from its path under a base
 * that can never resolve (`.invalid` is reserved), and `$ref`s are resolved by path arithmetic
 * alone: nothing here opens a file or a socket.
 *
 * Two resolvers, for two questions:
 * - `resolveRef`: where a `$ref` written in a file of the events tree leads (this file, another file
 *   of the tree, or outside it), by path arithmetic; fragments are JSON pointers only.
 * - `resolveLocalRef`: the subschema a `$ref` names inside one self-contained document (`#`,
 *   `#/json/pointer`, `#anchor`, or the root's `$id` followed by one of those), as the compat engine,
 *   the counterexample search and the catalog read a compared or bundled schema.
 */

import path from "node:path/posix";
import { joinPointer, splitPointer } from "../diagnostics/index.js";
import { APPLICATORS, isObject, walkSchema } from "./walk.js";

/** The base of every derived `$id`. */
export const ID_BASE = "https://domain-events.invalid/";

/** The `$id` of the schema at `rel` (a path relative to the events folder). */
export function idOf(rel: string): string {
  return ID_BASE + rel;
}

/** Where a `$ref` leads. */
export type RefTarget =
  | { kind: "local"; pointer: string }
  | { kind: "file"; rel: string; pointer: string }
  | { kind: "remote" }
  | { kind: "outside" }
  | { kind: "malformed" };

/** Resolves `ref` written in the file at `fromRel`. */
export function resolveRef(fromRel: string, ref: string): RefTarget {
  const hash = ref.indexOf("#");
  const target = hash === -1 ? ref : ref.slice(0, hash);
  const fragment = hash === -1 ? "" : ref.slice(hash + 1);
  let pointer: string;
  try {
    pointer = decodeURIComponent(fragment);
  } catch {
    return { kind: "malformed" };
  }
  // Anchors (#name) are not supported: every fragment is a JSON pointer.
  if (pointer !== "" && !pointer.startsWith("/")) return { kind: "malformed" };
  if (target === "") return { kind: "local", pointer };
  if (/^[a-zA-Z][a-zA-Z0-9+.-]*:/.test(target) || target.startsWith("/") || target.startsWith("\\")) return { kind: "remote" };
  if (target.includes("\\") || target.includes("?")) return { kind: "outside" };
  let decoded: string;
  try {
    decoded = decodeURI(target);
  } catch {
    return { kind: "malformed" };
  }
  const rel = path.normalize(path.join(path.dirname(fromRel), decoded));
  if (rel === ".." || rel.startsWith("../") || path.isAbsolute(rel)) return { kind: "outside" };
  return { kind: "file", rel, pointer };
}

/** The value at `pointer` in `json`, or undefined when there is none. */
export function atPointer(json: unknown, pointer: string): unknown {
  let node: unknown = json;
  for (const token of splitPointer(pointer)) {
    if (Array.isArray(node)) node = /^(0|[1-9][0-9]*)$/.test(token) ? node[Number(token)] : undefined;
    else if (isObject(node) && Object.hasOwn(node, token)) node = node[token];
    else return undefined;
  }
  return node;
}

/** A subschema inside one document: the value, and the JSON pointer to it from the document's root. */
export interface LocalTarget {
  schema: unknown;
  pointer: string;
}

/**
 * The subschema that `ref` names inside the document `root`, or undefined when it names none there
 * (another document, a missing pointer or anchor, a malformed %-escape). What the caller does with
 * undefined, and with a reference that leads back to itself, is the caller's.
 *
 * - `ref` is local when the part before `#` is empty or the root's `$id` without its fragment;
 * - the fragment is percent-decoded; empty, it names the root; starting with `/`, it is a JSON
 *   pointer (array indices in canonical form only, own properties only, as ajv reads them);
 *   otherwise it is an anchor: a `$anchor`, a `$dynamicAnchor`, or draft-07's `$id: "#name"`,
 *   the first one met in walk order when several share a name.
 *
 * The anchors of a document are found once and kept while the document lives (a document is not
 * changed while it is read).
 */
export function resolveLocalRef(root: unknown, ref: string): LocalTarget | undefined {
  const hash = ref.indexOf("#");
  const base = hash === -1 ? ref : ref.slice(0, hash);
  if (base !== "" && base !== rootBase(root)) return undefined;
  let fragment: string;
  try {
    fragment = decodeURIComponent(hash === -1 ? "" : ref.slice(hash + 1));
  } catch {
    return undefined;
  }
  if (fragment === "" || fragment.startsWith("/")) {
    const schema = atPointer(root, fragment);
    return schema === undefined ? undefined : { schema, pointer: fragment };
  }
  return anchorsOf(root).get(fragment);
}

/** The root's `$id` without its fragment, or undefined when it has none (or an empty one). */
function rootBase(root: unknown): string | undefined {
  if (!isObject(root) || typeof root.$id !== "string") return undefined;
  const base = root.$id.split("#")[0];
  return base === "" ? undefined : base;
}

const anchorIndex = new WeakMap<object, Map<string, LocalTarget>>();

/** Every anchor name of a document, with the subschema that declares it. */
function anchorsOf(root: unknown): Map<string, LocalTarget> {
  if (!isObject(root)) return new Map();
  let anchors = anchorIndex.get(root);
  if (anchors) return anchors;
  const found = new Map<string, LocalTarget>();
  walkSchema(root, ({ schema, pointer }) => {
    const id = typeof schema.$id === "string" && schema.$id.startsWith("#") ? schema.$id.slice(1) : undefined;
    for (const name of [schema.$anchor, schema.$dynamicAnchor, id]) {
      if (typeof name === "string" && name !== "" && !found.has(name)) found.set(name, { schema, pointer });
    }
  });
  anchors = found;
  anchorIndex.set(root, anchors);
  return anchors;
}

/**
 * The keyword that `pointer` passes through as data rather than as schema (`examples`, `default`,
 * `const`, a `properties` map itself…), or undefined when every step goes from a schema into one of
 * its subschemas. A reference must lead to a schema: a tool that followed it into data would read
 * an example as a schema.
 */
export function dataOnPath(json: unknown, pointer: string): string | undefined {
  const tokens = splitPointer(pointer);
  let node: unknown = json;
  for (let i = 0; i < tokens.length; i++) {
    const keyword = tokens[i] as string;
    const shape = Object.hasOwn(APPLICATORS, keyword) ? APPLICATORS[keyword] : undefined;
    if (!isObject(node) || !shape || !Object.hasOwn(node, keyword)) return keyword;
    const value = node[keyword];
    if (shape === "schema" || (shape === "schemaOrArray" && !Array.isArray(value))) {
      node = value;
      continue;
    }
    // A map or an array of subschemas: the next token picks one of them.
    const member = tokens[++i];
    if (member === undefined) return keyword;
    node = atPointer(value, joinPointer("", member));
    if (Array.isArray(node)) return keyword;
  }
  return undefined;
}
