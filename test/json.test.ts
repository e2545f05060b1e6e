/**
 * parseJson: strict JSON with the position of every value. Positions are 1-based lines and columns
 * in UTF-16 code units; error messages are not asserted, their positions are.
 */

import { describe, expect, it } from "vitest";
import { MAX_DEPTH, parseJson } from "../src/schema/json.js";

/** The text as lines, so that positions in the tests can be read off the source. */
const lines = (...l: string[]) => l.join("\n");

describe("parseJson: values and positions", () => {
  const text = lines(
    "{", //                                         line 1
    '  "title": "Order",', //                       line 2
    '  "properties": {', //                         line 3
    '    "id": { "type": "string" },', //           line 4
    '    "lines": { "items": [1, [true, null]] }', // line 5
    "  },", //                                       line 6
    '  "a/b": 1, "m~n": -2.5e3', //                  line 7
    "}", //                                          line 8
  );
  const parsed = parseJson(text);

  it("gives the same value as JSON.parse", () => {
    expect(parsed.error).toBeUndefined();
    expect(parsed.value).toEqual(JSON.parse(text));
    expect(parsed.duplicates).toEqual([]);
  });

  it.each([
    ["", 1, 1],
    ["/title", 2, 12],
    ["/properties", 3, 17],
    ["/properties/id", 4, 11],
    ["/properties/id/type", 4, 21],
    ["/properties/lines/items", 5, 25],
    ["/properties/lines/items/0", 5, 26],
    ["/properties/lines/items/1", 5, 29],
    ["/properties/lines/items/1/1", 5, 36],
    // Pointer tokens are escaped (RFC 6901): "/" as ~1, "~" as ~0.
    ["/a~1b", 7, 10],
    ["/m~0n", 7, 20],
  ])("%s is at %i:%i", (pointer, line, column) => {
    expect(parsed.positions.get(pointer)).toEqual({ line, column });
  });

  it("positions the root after leading whitespace", () => {
    expect(parseJson("\n\n   [1]").positions.get("")).toEqual({ line: 3, column: 4 });
  });

  it("counts CRLF line ends as one line end", () => {
    const crlf = parseJson('{\r\n  "a": {\r\n    "b": 1\r\n  }\r\n}');
    expect(crlf.error).toBeUndefined();
    expect(crlf.positions.get("/a/b")).toEqual({ line: 3, column: 10 });
  });

  it("counts columns in UTF-16 code units", () => {
    // The emoji is two code units: the value after it is at column 8, not 7.
    const emoji = parseJson('{"😀": 1, "ä": 2}');
    expect(emoji.positions.get("/😀")).toEqual({ line: 1, column: 8 });
    expect(emoji.positions.get("/ä")).toEqual({ line: 1, column: 16 });
  });

  it("reads every literal and number form JSON allows", () => {
    const t = "[true, false, null, 0, -0, 12, 1.5, 1e3, 1E+3, 2.5e-3, -7]";
    expect(parseJson(t).value).toEqual(JSON.parse(t));
  });
});

describe("parseJson: duplicate keys", () => {
  it("reports the pointer, where the duplicate is and where the first was", () => {
    // biome-ignore format: one argument per line of the source text, so that positions can be read off
    const text = lines(
      "{",
      '  "properties": {',
      '    "id": { "type": "string" },',
      '    "id": { "type": "integer" }',
      "  }",
      "}",
    );
    const parsed = parseJson(text);
    expect(parsed.error).toBeUndefined();
    expect(parsed.duplicates).toEqual([{ pointer: "/properties/id", at: { line: 4, column: 5 }, first: { line: 3, column: 5 } }]);
    // The value is what JSON.parse would give (the last one wins), and so is its position.
    expect(parsed.value).toEqual(JSON.parse(text));
    expect(parsed.positions.get("/properties/id")).toEqual({ line: 4, column: 11 });
  });

  it("points every later occurrence at the first one", () => {
    const parsed = parseJson('{"a": 1, "a": 2, "a": 3}');
    expect(parsed.duplicates).toEqual([
      { pointer: "/a", at: { line: 1, column: 10 }, first: { line: 1, column: 2 } },
      { pointer: "/a", at: { line: 1, column: 18 }, first: { line: 1, column: 2 } },
    ]);
  });

  it("does not count the same key in different objects", () => {
    expect(parseJson('{"a": {"id": 1}, "b": {"id": 2}, "c": [{"id": 3}, {"id": 4}]}').duplicates).toEqual([]);
  });

  it("compares keys after unescaping", () => {
    const parsed = parseJson('{"a": 1, "\\u0061": 2}');
    expect(parsed.duplicates).toEqual([{ pointer: "/a", at: { line: 1, column: 10 }, first: { line: 1, column: 2 } }]);
  });
});

describe("parseJson: syntax errors", () => {
  it.each([
    ["a trailing comma in an object", lines("{", '  "a": 1,', "}"), 3, 1],
    ["a trailing comma in an array", "[1, 2, ]", 1, 8],
    ["a truncated object", '{"a": [1, 2', 1, 12],
    ["a truncated string (at its opening quote)", '{"a": "abc', 1, 7],
    ["a missing value", '{"a": }', 1, 7],
    ["a missing colon", '{"a" 1}', 1, 6],
    ["a key without quotes", "{a: 1}", 1, 2],
    ["single quotes", "{'a': 1}", 1, 2],
    ["a comment", lines("{", "  // note", '  "a": 1', "}"), 2, 3],
    ["a second value", "{} {}", 1, 4],
    ["a leading zero", "[01]", 1, 3],
    ["a leading plus", "[+1]", 1, 2],
    ["a bare dot", "[1.]", 1, 3],
    ["NaN", "[NaN]", 1, 2],
    ["a misspelt literal", "[tru]", 1, 2],
    ["an unknown escape", '["\\x"]', 1, 3],
    ["a short unicode escape", '["\\u12"]', 1, 3],
    ["a raw control character in a string", '["a\tb"]', 1, 4],
  ])("%s", (_, text, line, column) => {
    const parsed = parseJson(text);
    expect(parsed.value).toBeUndefined();
    expect(parsed.error?.message).toBeTruthy();
    expect(parsed.error?.at).toEqual({ line, column });
  });

  it.each([
    ["an empty file", ""],
    ["whitespace only", " \n\t\r\n "],
  ])("%s is an error at 1:1", (_, text) => {
    const parsed = parseJson(text);
    expect(parsed.value).toBeUndefined();
    expect(parsed.error?.at).toEqual({ line: 1, column: 1 });
  });

  it("reports a truncated file at its end", () => {
    const parsed = parseJson(lines("{", '  "a": {', '    "b": [1, 2'));
    expect(parsed.error?.at).toEqual({ line: 3, column: 15 });
  });

  it("turns nesting deeper than the limit into an error instead of a stack overflow", () => {
    const ok = parseJson("[".repeat(MAX_DEPTH) + "]".repeat(MAX_DEPTH));
    expect(ok.error).toBeUndefined();
    const deep = MAX_DEPTH + 1;
    const tooDeep = parseJson("[".repeat(deep) + "]".repeat(deep));
    expect(tooDeep.error?.at).toEqual({ line: 1, column: deep });
    expect(() => parseJson("[".repeat(100_000))).not.toThrow();
    expect(() => parseJson('{"a":'.repeat(100_000))).not.toThrow();
  });

  it("fails exactly where JSON.parse fails, on every prefix of a document", () => {
    const text = lines("{", '  "a": [1, -2.5e3, true, null, "x\\n\\u00e9"],', '  "b": { "c": {} }', "}");
    for (let n = 0; n <= text.length; n++) {
      const prefix = text.slice(0, n);
      let expected: unknown;
      let throws = false;
      try {
        expected = JSON.parse(prefix);
      } catch {
        throws = true;
      }
      const parsed = parseJson(prefix);
      expect(parsed.error !== undefined, JSON.stringify(prefix)).toBe(throws);
      if (!throws) expect(parsed.value).toEqual(expected);
    }
  });
});

describe("parseJson: __proto__", () => {
  it("keeps __proto__ as an own property and leaves the prototype alone", () => {
    const parsed = parseJson('{"__proto__": {"polluted": true}, "a": 1}');
    const value = parsed.value as Record<string, unknown>;
    expect(Object.getPrototypeOf(value)).toBe(Object.prototype);
    expect(Object.hasOwn(value, "__proto__")).toBe(true);
    expect(Object.keys(value)).toEqual(["__proto__", "a"]);
    expect(Object.getOwnPropertyDescriptor(value, "__proto__")?.value).toEqual({ polluted: true });
    expect((value as { polluted?: unknown }).polluted).toBeUndefined();
    expect(({} as { polluted?: unknown }).polluted).toBeUndefined();
    expect(parsed.positions.get("/__proto__")).toEqual({ line: 1, column: 15 });
  });

  it("does so in nested objects too, as JSON.parse does", () => {
    const text = '{"a": {"__proto__": [1]}}';
    const inner = (parseJson(text).value as { a: object }).a;
    expect(Object.getPrototypeOf(inner)).toBe(Object.prototype);
    expect(Object.getOwnPropertyDescriptor(inner, "__proto__")?.value).toEqual([1]);
    expect(JSON.stringify(parseJson(text).value)).toBe(JSON.stringify(JSON.parse(text)));
  });

  it("reports a duplicate __proto__ key", () => {
    expect(parseJson('{"__proto__": 1, "__proto__": 2}').duplicates.map((d) => d.pointer)).toEqual(["/__proto__"]);
  });
});

describe("parseJson: escapes and unicode", () => {
  it("decodes every escape like JSON.parse", () => {
    const text = String.raw`["\"", "\\", "\/", "\b", "\f", "\n", "\r", "\t", "\u0041", "\u00E9", "\ud83d\ude00", "a\u0000b"]`;
    const parsed = parseJson(text);
    expect(parsed.error).toBeUndefined();
    expect(parsed.value).toEqual(JSON.parse(text));
    expect((parsed.value as string[])[10]).toBe("😀");
  });

  it("keeps a lone surrogate escape as JSON.parse does", () => {
    const text = String.raw`["\ud800"]`;
    expect(parseJson(text).value).toEqual(JSON.parse(text));
  });

  it("reads raw non-ASCII text, in keys and values", () => {
    const text = '{"größe": "Straße", "名前": "😀 ok", "\u2028": "line separator"}';
    const parsed = parseJson(text);
    expect(parsed.error).toBeUndefined();
    expect(parsed.value).toEqual(JSON.parse(text));
  });

  it("unescapes keys before building their pointers", () => {
    const parsed = parseJson(String.raw`{"a\/b": {"\u007e": 1}}`);
    expect(parsed.positions.get("/a~1b/~0")).toEqual({ line: 1, column: 21 });
  });
});
