/**
 * Concepts the package implements once (issue 15, "each concept once"): the `$ref` resolver inside
 * one document (src/schema/refs.ts `resolveLocalRef`), which the compat engine, the counterexample
 * search and the catalog share, and sorted-key JSON (src/schema/stable-json.ts), which the compat
 * engine and the release diff share.
 */

import { describe, expect, it } from "vitest";
import { resolveLocalRef } from "../src/schema/refs.js";
import { sortedKeyJson } from "../src/schema/stable-json.js";

describe("resolveLocalRef", () => {
  const doc = {
    $id: "https://example.com/e.json",
    type: "object",
    properties: { a: { $ref: "#/$defs/Name" } },
    items: [{ type: "string" }, { type: "number" }],
    $defs: {
      Name: { type: "string" },
      "a/b~c": { type: "integer" },
      "with space": { type: "boolean" },
      Anchored: { $anchor: "here", type: "null" },
      Dynamic: { $dynamicAnchor: "node", type: "object" },
      Legacy: { $id: "#old", type: "array" },
    },
  };

  it.each([
    ["#", ""],
    ["", ""],
    ["#/$defs/Name", "/$defs/Name"],
    ["#/$defs/a~1b~0c", "/$defs/a~1b~0c"],
    ["#/$defs/with%20space", "/$defs/with space"],
    ["#/items/1", "/items/1"],
    ["https://example.com/e.json#/$defs/Name", "/$defs/Name"],
    ["https://example.com/e.json", ""],
    ["#here", "/$defs/Anchored"],
    ["#node", "/$defs/Dynamic"],
    ["#old", "/$defs/Legacy"],
  ])("%s names the subschema at %j", (ref, pointer) => {
    const found = resolveLocalRef(doc, ref);
    expect(found?.pointer).toBe(pointer);
    expect(found?.schema).toBeDefined();
  });

  it.each([
    "#/$defs/Missing",
    "#/items/01",
    "#/$defs/Name/type/0",
    "#/$defs/constructor",
    "#/%zz",
    "#nowhere",
    "other.json#/$defs/Name",
    "https://example.com/other.json#/$defs/Name",
  ])("%s names nothing in the document", (ref) => {
    expect(resolveLocalRef(doc, ref)).toBeUndefined();
  });

  it("resolves in any JSON value, and in none that is not an object", () => {
    expect(resolveLocalRef(true, "#")).toEqual({ schema: true, pointer: "" });
    expect(resolveLocalRef(true, "#name")).toBeUndefined();
  });

  it("takes the first of two anchors of one name, in walk order", () => {
    const twice = { $defs: { A: { $anchor: "x", title: "first" }, B: { $anchor: "x", title: "second" } } };
    expect(resolveLocalRef(twice, "#x")?.pointer).toBe("/$defs/A");
  });
});

describe("sortedKeyJson", () => {
  it("gives equal text for equal values written in another key order", () => {
    expect(sortedKeyJson({ b: 1, a: { d: [1, { f: 2, e: 3 }], c: null } })).toBe(
      sortedKeyJson({ a: { c: null, d: [1, { e: 3, f: 2 }] }, b: 1 }),
    );
    expect(sortedKeyJson({ b: 1, a: 2 })).toBe('{"a":2,"b":1}');
  });

  it("orders keys by code unit, integer-like ones included", () => {
    expect(sortedKeyJson({ b: 0, 10: 0, 9: 0, a: 0 })).toBe('{"10":0,"9":0,"a":0,"b":0}');
  });

  it("writes what JSON.stringify writes for everything but the key order", () => {
    const value = { s: 'q"\u2028', n: [1.5, -0, 1e21], t: true, u: undefined, nested: [undefined, () => 1] };
    expect(JSON.parse(sortedKeyJson(value))).toEqual(JSON.parse(JSON.stringify(value)));
    expect(sortedKeyJson(undefined)).toBe("null");
  });

  it("keeps an own `__proto__` key", () => {
    expect(sortedKeyJson(JSON.parse('{"__proto__": 1, "a": 2}'))).toBe('{"__proto__":1,"a":2}');
  });
});
