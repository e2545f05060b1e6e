/**
 * What the tables do not show: the shape of the result (DESIGN §4), the policies, the content model
 * and per-change forward verdicts, dialects, and robustness (inputs that are not schemas, hostile
 * keys, recursion, large unions).
 */

import { describe, expect, it } from "vitest";
import { compare, diff } from "../../src/compat/engine/index.js";

const str = { type: "string" };
const num = { type: "number" };

describe("compare", () => {
  it("gives DESIGN §4's result for an optional property added to an open object", () => {
    const previous = { type: "object", properties: { id: str } };
    const current = { type: "object", properties: { id: str, note: str } };
    expect(compare(previous, current)).toEqual({
      backward: false,
      forward: true,
      full: false,
      changes: [
        {
          type: "OPTIONAL_PROPERTY_ADDED_TO_OPEN_CONTENT_MODEL",
          pointer: "/properties/note",
          backward: false,
          forward: true,
          contentModel: "open",
        },
      ],
    });
  });

  it("gives each change its own verdicts", () => {
    const previous = { type: "object", additionalProperties: false, properties: { id: { ...str, maxLength: 5 } } };
    const current = { type: "object", additionalProperties: false, properties: { id: { ...str, maxLength: 3 }, note: str } };
    expect(compare(previous, current).changes).toEqual([
      { type: "MAX_LENGTH_DECREASED", pointer: "/properties/id/maxLength", backward: false, forward: true },
      {
        type: "OPTIONAL_PROPERTY_ADDED_TO_UNOPEN_CONTENT_MODEL",
        pointer: "/properties/note",
        backward: true,
        forward: false,
        contentModel: "closed",
      },
    ]);
  });

  it("says whether the old content model was open or closed, for objects and arrays only", () => {
    const types = (a: unknown, b: unknown) => compare(a, b).changes.map((c) => [c.type, c.contentModel]);
    expect(
      types({ type: "object", additionalProperties: str }, { type: "object", additionalProperties: str, properties: { a: str } }),
    ).toEqual([
      ["OPTIONAL_PROPERTY_ADDED_TO_UNOPEN_CONTENT_MODEL", "closed"],
      ["PROPERTY_ADDED_IS_COVERED_BY_PARTIALLY_OPEN_CONTENT_MODEL", "closed"],
    ]);
    expect(types({ type: "array", prefixItems: [str] }, { type: "array", prefixItems: [str, num] })).toEqual([
      ["ITEM_ADDED_TO_OPEN_CONTENT_MODEL", "open"],
    ]);
    expect(types(str, num)).toEqual([["TYPE_CHANGED", undefined]]);
  });

  it("applies Confluent's LENIENT policy on request", () => {
    const open = { type: "object", properties: { id: str } };
    const lenient = { policy: "lenient" } as const;
    expect(compare(open, { ...open, properties: { id: str, note: str } }, lenient)).toMatchObject({
      backward: true,
      forward: true,
      full: true,
    });
    expect(compare({ ...open, additionalProperties: true }, { ...open, additionalProperties: false }, lenient).backward).toBe(true);
    expect(compare(open, { ...open, properties: { id: str, code: str }, required: ["code"] }, lenient).backward).toBe(false);
    expect(compare(str, { ...str, maxLength: 3 }, lenient).backward).toBe(false);
  });
});

describe("diff", () => {
  it("is one direction of compare", () => {
    const previous = { type: "object", properties: { a: str, b: num } };
    const current = { type: "object", properties: { a: { ...str, maxLength: 3 } } };
    expect(diff(previous, current)).toEqual(compare(previous, current).changes);
    expect(diff(current, previous).map((c) => c.type)).toEqual(["MAX_LENGTH_REMOVED", "OPTIONAL_PROPERTY_ADDED_TO_OPEN_CONTENT_MODEL"]);
  });

  it("sorts changes by pointer, then type, and gives the same output for the same input", () => {
    const previous = { type: "object", properties: { z: str, a: str, m: { ...num, maximum: 3 } } };
    const current = { type: "object", properties: { z: num, m: { ...num, maximum: 1, minimum: 0 } } };
    const changes = diff(previous, current);
    expect(changes.map((c) => c.pointer)).toEqual(["/properties/a", "/properties/m/maximum", "/properties/m/minimum", "/properties/z"]);
    expect(diff(previous, current)).toEqual(changes);
  });
});

describe("dialects", () => {
  const tuple = (items: unknown[]) => ({ type: "array", items });

  it("reads a schema without $schema in the dialect asked for (2020-12 by default)", () => {
    expect(diff(tuple([str]), tuple([num]), { dialect: "draft-07" }).map((c) => [c.type, c.pointer])).toEqual([
      ["TYPE_CHANGED", "/items/0"],
    ]);
    // In 2020-12 an array is not a valid `items`: it constrains nothing.
    expect(diff(tuple([str]), tuple([num]))).toEqual([]);
  });

  it("takes the dialect from $schema when present", () => {
    const draft07 = (items: unknown[]) => ({ $schema: "http://json-schema.org/draft-07/schema#", ...tuple(items) });
    expect(diff(draft07([str]), draft07([num])).map((c) => c.type)).toEqual(["TYPE_CHANGED"]);
    const modern = (prefixItems: unknown[]) => ({ $schema: "https://json-schema.org/draft/2020-12/schema", type: "array", prefixItems });
    expect(diff(modern([str]), modern([num]), { dialect: "draft-07" }).map((c) => [c.type, c.pointer])).toEqual([
      ["TYPE_CHANGED", "/prefixItems/0"],
    ]);
  });

  it("maps draft-07 dependencies and 2020-12 dependentRequired/dependentSchemas to the same model", () => {
    const draft07 = {
      $schema: "http://json-schema.org/draft-07/schema#",
      type: "object",
      dependencies: { a: ["b"], c: { required: ["d"] } },
    };
    const modern = { type: "object", dependentRequired: { a: ["b"] }, dependentSchemas: { c: { required: ["d"] } } };
    expect(compare(draft07, modern).full).toBe(true);
    expect(diff(draft07, { ...modern, dependentRequired: { a: ["b", "e"] } }).map((c) => [c.type, c.pointer])).toEqual([
      ["DEPENDENCY_ARRAY_EXTENDED", "/dependentRequired/a"],
    ]);
  });

  it("maps draft-07 tuples and 2020-12 prefixItems to the same model", () => {
    const draft07 = { $schema: "http://json-schema.org/draft-07/schema#", type: "array", items: [str], additionalItems: false };
    const modern = { $schema: "https://json-schema.org/draft/2020-12/schema", type: "array", prefixItems: [str], items: false };
    expect(compare(draft07, modern).full).toBe(true);
  });
});

describe("robustness", () => {
  it("reads anything that is not a schema as the empty schema", () => {
    for (const value of [null, 42, "x", [], undefined]) {
      expect(compare(value, str)).toMatchObject({ backward: false, forward: true });
      expect(compare(str, value)).toMatchObject({ backward: true, forward: false });
    }
  });

  it("handles property names that are members of Object.prototype", () => {
    const previous = JSON.parse('{"type":"object","properties":{"__proto__":{"type":"string"},"constructor":{"type":"string"}}}');
    const current = JSON.parse('{"type":"object","properties":{"__proto__":{"type":"number"}},"required":["toString"]}');
    expect(diff(previous, current).map((c) => [c.type, c.pointer])).toEqual([
      ["TYPE_CHANGED", "/properties/__proto__"],
      ["PROPERTY_REMOVED_FROM_OPEN_CONTENT_MODEL", "/properties/constructor"],
    ]);
  });

  it("terminates on mutually recursive schemas", () => {
    const schema = (leaf: unknown) => ({
      $ref: "#/$defs/A",
      $defs: {
        A: { type: "object", properties: { b: { $ref: "#/$defs/B" }, leaf } },
        B: { oneOf: [{ $ref: "#/$defs/A" }, { type: "array", items: { $ref: "#/$defs/B" } }] },
      },
    });
    expect(compare(schema(str), schema(str)).full).toBe(true);
    expect(diff(schema(str), schema(num)).map((c) => [c.type, c.pointer])).toEqual([["TYPE_CHANGED", "/$defs/A/properties/leaf"]]);
  });

  it("pairs the branches of a large union quickly", () => {
    const branches = Array.from({ length: 60 }, (_, i) => ({
      type: "object",
      properties: { kind: { const: `k${i}` }, v: str },
      required: ["kind"],
    }));
    const started = performance.now();
    expect(compare({ oneOf: branches }, { oneOf: [...branches].reverse() }).full).toBe(true);
    expect(performance.now() - started).toBeLessThan(5_000);
  });

  it("reports a reference cycle that names no schema as the empty schema", () => {
    const loop = { $ref: "#/$defs/A", $defs: { A: { $ref: "#/$defs/B" }, B: { $ref: "#/$defs/A" } } };
    expect(compare(loop, str)).toMatchObject({ backward: false, forward: true });
  });
});
