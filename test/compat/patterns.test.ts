/**
 * One answer to "is this pattern valid": the compat engine and the counterexample search read a
 * JSON Schema `pattern` as ajv does (src/schema/patterns.ts, the `u` flag). Before, the engine fell
 * back to reading a pattern without the `u` flag, so a pattern such as `^\-` (valid only without
 * it) covered property names in the engine's verdicts while ajv, and so the search, refused every
 * schema that held it.
 */

import { describe, expect, it } from "vitest";
import { findCounterexample } from "../../src/compat/counterexample/index.js";
import { compare } from "../../src/compat/engine/index.js";
import { compilePattern, patternRegex } from "../../src/schema/patterns.js";

const num = { type: "number" };
const str = { type: "string" };

/** `x` removed from a closed object whose new version has `pattern` in `patternProperties`. */
function removedUnder(pattern: string, name: string) {
  const previous = { type: "object", properties: { id: str, [name]: num }, additionalProperties: false };
  const current = { type: "object", properties: { id: str }, patternProperties: { [pattern]: num }, additionalProperties: false };
  return { previous, current };
}

const types = (previous: unknown, current: unknown) => compare(previous, current).changes.map((c) => c.type);

describe("compilePattern", () => {
  it.each([
    ["^[a-z]+$", true],
    ["^\\p{Lu}", true],
    ["^\\-", false],
    ["[\\w-a]", false],
    ["(", false],
  ])("%s: valid with the u flag is %s", (pattern, valid) => {
    expect(compilePattern(pattern).ok).toBe(valid);
    expect(patternRegex(pattern) !== undefined).toBe(valid);
  });

  it("says why a pattern is invalid, in JavaScript's words", () => {
    const compiled = compilePattern("^\\-");
    expect(compiled.ok).toBe(false);
    if (!compiled.ok) expect(compiled.message).toMatch(/Invalid regular expression/);
  });

  it("gives the same RegExp for the same pattern (cached)", () => {
    expect(patternRegex("^x_")).toBe(patternRegex("^x_"));
  });
});

describe("the engine and the search agree on whether a pattern is valid", () => {
  it("a valid pattern: both read it, the removed property is covered", () => {
    const { previous, current } = removedUnder("^-", "-n");
    expect(types(previous, current)).toContain("PROPERTY_REMOVED_IS_COVERED_BY_PARTIALLY_OPEN_CONTENT_MODEL");
    expect(compare(previous, current).backward).toBe(true);
    // The search compiles both schemas: a value the new one accepts and the old one rejects.
    expect(findCounterexample(current, previous)).toBeDefined();
  });

  it.each(["^\\-", "[\\w-a]"])("%s, valid only without the u flag: neither reads it", (pattern) => {
    const { previous, current } = removedUnder(pattern, "-n");
    // The engine: the pattern covers no name, so the property left a closed object.
    expect(types(previous, current)).toContain("PROPERTY_REMOVED_FROM_CLOSED_CONTENT_MODEL");
    expect(types(previous, current)).not.toContain("PROPERTY_REMOVED_IS_COVERED_BY_PARTIALLY_OPEN_CONTENT_MODEL");
    // The search, as ajv: no schema with that pattern compiles.
    expect(findCounterexample(current, previous)).toBeUndefined();
    expect(findCounterexample({ type: "string", pattern }, { type: "number" })).toBeUndefined();
  });
});
