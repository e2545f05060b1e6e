/**
 * src/stages/parse.ts: a file in which nothing needs a finding is read with JSON.parse (quickValue);
 * every other goes through the positional parser. Both ways must give the same findings and the
 * same value for any text: thousands of seeded texts (random documents with escapes, colons and
 * quotes inside strings, odd whitespace) and their variants with a repeated key, a reserved key, a
 * hidden character, too deep or too wide containers, and random single-character damage.
 */

import { describe, expect, it } from "vitest";
import type { SourceFile } from "../src/model/tree.js";
import { LIMITS } from "../src/schema/limits.js";
import { parseFile } from "../src/stages/parse.js";
import { seeded } from "./helpers.js";

function source(text: string): SourceFile {
  const kind = { kind: "event", system: "a", topic: "b", stem: "c" } as const;
  return { file: "events/a/b/c.json", rel: "a/b/c.json", bytes: Buffer.from(text, "utf8"), kind };
}

const KEY_PARTS = ["a", "b", "type", "x:y", 'q"uote', "back\\slash", "é", "\u{1F600}", "", " ", "\\u0041", "1", "0"];
const STRINGS = ["", ":", '":', "\\", '"', "a\nb", "\u00e9", "\u{1F600}", "}{", "][", ",", "\\u003a"];
const SPACE = ["", " ", "\n", "\t", "\r\n  "];

/** A random JSON text: objects, arrays, strings with quotes and colons, numbers, literals, odd whitespace. */
function document(next: () => number, depth = 0): string {
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(next() * xs.length)] as T;
  const ws = () => pick(SPACE);
  const r = next();
  if (depth === 0 || (r < 0.35 && depth < 6)) {
    const n = Math.floor(next() * 5);
    const keys = new Set<string>();
    while (keys.size < n) keys.add(pick(KEY_PARTS) + pick(KEY_PARTS) + (next() < 0.3 ? String(keys.size) : ""));
    const members = [...keys].map((k) => `${ws()}${JSON.stringify(k)}${ws()}:${ws()}${document(next, depth + 1)}${ws()}`);
    return `{${members.join(",")}${members.length === 0 ? ws() : ""}}`;
  }
  if (r < 0.5 && depth < 6) {
    const n = Math.floor(next() * 4);
    return `[${Array.from({ length: n }, () => `${ws()}${document(next, depth + 1)}${ws()}`).join(",")}]`;
  }
  if (r < 0.75) return JSON.stringify(pick(STRINGS) + pick(STRINGS));
  if (r < 0.9) return pick(["0", "-0", "1.5e3", "-12", "1E-7", "123456789012345678901234567890"]);
  return pick(["true", "false", "null"]);
}

/** The variants of a text that each need a finding, or break it. */
function variants(text: string, next: () => number): string[] {
  const out: string[] = [];
  // A key repeated: the first key of the first object written again before its closing brace.
  const m = /"((?:[^"\\]|\\.)*)"\s*:/.exec(text);
  if (m) {
    const close = text.indexOf("}", m.index);
    if (close > 0) out.push(`${text.slice(0, close)},${m[0]} 1${text.slice(close)}`);
  }
  out.push(text.replace("{", '{"constructor": 1,'));
  out.push(text.replace("{", '{"__proto__": {"a": 1},'));
  out.push(text.replace("{", '{"\\u200b": 1,'));
  out.push(text.replace("{", '{"a\u200bb": 1,'));
  out.push(text.replace("{", '{"zz": "x\u202ey",'));
  // Single-character damage.
  const at = Math.floor(next() * text.length);
  out.push(text.slice(0, at) + text.slice(at + 1));
  out.push(`${text.slice(0, at)}"${text.slice(at)}`);
  out.push(`${text.slice(0, at)},${text.slice(at)}`);
  return out;
}

function same(text: string): void {
  const quick = parseFile(source(text));
  const full = parseFile(source(text), true);
  expect(quick.diagnostics, text).toEqual(full.diagnostics);
  expect(quick.value === undefined, text).toBe(full.value === undefined);
  if (quick.value && full.value) {
    expect(JSON.stringify(quick.value.json), text).toBe(JSON.stringify(full.value.json));
    expect(quick.value.json).toEqual(full.value.json);
    for (const pointer of ["", "/a", "/type", "/0"]) expect(quick.value.locate(pointer), text).toEqual(full.value.locate(pointer));
  }
}

describe("parse: JSON.parse where nothing needs a finding, the positional parser elsewhere", () => {
  it("gives the same findings and values on 3,000 seeded documents and their variants", () => {
    const next = seeded(16);
    let clean = 0;
    for (let i = 0; i < 3000; i++) {
      const text = document(next);
      same(text);
      if (parseFile(source(text)).diagnostics.length === 0) clean++;
      for (const v of variants(text, next)) same(v);
    }
    // The generator makes mostly clean documents: the quick path is what was compared.
    expect(clean).toBeGreaterThan(2000);
  });

  it("gives the same findings at the limits of depth and size, one inside and one past each", () => {
    const nest = (levels: number) => `${'{"a":'.repeat(levels - 1)}{}${"}".repeat(levels - 1)}`;
    const nestArrays = (levels: number) => `{"a":${"[".repeat(levels - 1)}${"]".repeat(levels - 1)}}`;
    const wide = (n: number) => `{${Array.from({ length: n }, (_, i) => `"k${i}":${i}`).join(",")}}`;
    const long = (n: number) => `{"a":[${Array.from({ length: n }, (_, i) => i).join(",")}]}`;
    for (const text of [
      nest(LIMITS.depth),
      nest(LIMITS.depth + 1),
      nestArrays(LIMITS.depth),
      nestArrays(LIMITS.depth + 1),
      wide(LIMITS.members),
      wide(LIMITS.members + 1),
      long(LIMITS.members),
      long(LIMITS.members + 1),
      `{"a":${"[".repeat(100000)}`,
    ])
      same(text);
    expect(parseFile(source(nest(LIMITS.depth))).diagnostics).toEqual([]);
    expect(parseFile(source(nest(LIMITS.depth + 1))).diagnostics[0]?.code).toBe("PARSE_LIMIT_DEPTH");
  });

  it("finds a repeated key however it is written, and only then", () => {
    for (const text of [
      '{"a":1,"a":2}',
      '{"a":1,"\\u0061":2}',
      '{"x":{"a":1,"b":{"a":2}},"y":":","a":3}',
      '{"s":"\\":\\"", "s" : 1}',
      '{"a":[{"b":1},{"b":2,"b":3}]}',
      '{"k":"a\\\\","k\\\\":1}',
    ])
      same(text);
    expect(parseFile(source('{"a":1,"\\u0061":2}')).diagnostics.map((d) => d.code)).toEqual(["PARSE_DUPLICATE_KEY"]);
    expect(parseFile(source('{"k":"a\\\\","k\\\\":1}')).diagnostics).toEqual([]);
  });
});
