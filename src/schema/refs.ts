/**
 * Identities and references. Every schema file gets an `$id` derived from its path under a base
 * that can never resolve (`.invalid` is reserved), and `$ref`s are resolved by path arithmetic
 * alone: nothing here opens a file or a socket.
 */

import path from "node:path/posix";
import { joinPointer, splitPointer } from "../diagnostics/index.js";
import { APPLICATORS, isObject } from "./walk.js";

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
