/**
 * src/compile/own-checks.ts: the own-property check that `properties` repeats after a passed
 * `required` is dropped, and nothing else changes. Each schema is compiled by the build's ajv
 * (first error, own properties, code kept); the function is rebuilt from its code with and without
 * the post-process, and both must give the same verdict and the same errors on every value,
 * polluted `Object.prototype` and inherited or non-enumerable properties included.
 */

import { afterEach, describe, expect, it } from "vitest";
import {
  dropKnownOwnChecks,
  inlineKnownKeys,
  lengthFirst,
  matchBrackets,
  ownKeyLoops,
  rewriteValidatorCode,
} from "../src/compile/own-checks.js";
import { createAjvSet } from "../src/schema/ajv.js";

interface Source {
  validateName: unknown;
  validateCode: string;
  scopeValues: Record<string, Set<{ str: string; value?: { ref?: unknown; code?: unknown } }>>;
  evaluated?: unknown;
}
type Fn = ((data: unknown) => boolean) & { errors?: unknown };

/** The function ajv compiled, rebuilt from `code` (its own text or the post-processed one). */
function rebuild(source: Source, code: string): Fn {
  const names: string[] = [];
  const values: unknown[] = [];
  for (const set of Object.values(source.scopeValues)) {
    for (const n of set) {
      names.push(n.str);
      values.push(n.value?.ref);
    }
  }
  const name = String(source.validateName);
  const evaluated = source.evaluated === undefined ? "" : `${name}.evaluated = ${String(source.evaluated)};`;
  // What every validator module binds when it is loaded (VALIDATOR_PRELUDE, src/generate/index.ts).
  names.push("__proto", "__protoOf");
  values.push(Object.prototype, Object.getPrototypeOf);
  return new Function(...names, `${code}\n${evaluated}\nreturn ${name};`)(...values) as Fn;
}

function pair(schema: object): { before: Fn; after: Fn; code: string; hasOwn: string } {
  const ajv = createAjvSet({ allErrors: false, source: true })["2020-12"];
  const fn = ajv.compile(schema) as unknown as { source: Source };
  const source = fn.source;
  const hasOwn = [...(source.scopeValues.func ?? [])].find((n) => String(n.value?.code) === "Object.prototype.hasOwnProperty")?.str;
  if (!hasOwn) throw new Error("no hasOwnProperty in the code");
  const schemas = new Map([...(source.scopeValues.schema ?? [])].map((n) => [n.str, n.value?.ref]));
  const ucs2length = [...(source.scopeValues.func ?? [])].find((n) => String(n.value?.code).includes("ucs2length"))?.str;
  const code = rewriteValidatorCode(source.validateCode, { hasOwn, ucs2length, schemas });
  return { before: rebuild(source, source.validateCode), after: rebuild(source, code), code, hasOwn };
}

function same(p: { before: Fn; after: Fn }, value: unknown): void {
  const a = p.before(value);
  const b = p.after(value);
  expect(b).toBe(a);
  expect(p.after.errors).toEqual(p.before.errors);
}

const CLOSED = {
  $id: "https://domain-events.invalid/closed.json",
  type: "object",
  additionalProperties: false,
  required: ["a", "b-c", "nested"],
  properties: {
    a: { type: "string", minLength: 1 },
    "b-c": { type: "integer" },
    opt: { type: "boolean" },
    nested: {
      type: "object",
      required: ["x"],
      properties: { x: { const: 1 }, y: { type: "string" } },
    },
  },
};

const UNION = {
  oneOf: [
    { type: "object", required: ["kind", "a"], properties: { kind: { const: "a" }, a: { type: "string" } } },
    { type: "object", required: ["kind"], properties: { kind: { const: "b" }, b: { type: "number" } } },
  ],
};

/** More than eight properties: ajv tests each key against the schema's `properties` object. */
const WIDE = {
  type: "object",
  additionalProperties: false,
  required: ["p0"],
  properties: Object.fromEntries(Array.from({ length: 10 }, (_, i) => [`p${i}`, { type: "integer" }])),
};

describe("dropKnownOwnChecks", () => {
  afterEach(() => {
    delete (Object.prototype as Record<string, unknown>).a;
    delete (Object.prototype as Record<string, unknown>).opt;
    delete (Object.prototype as Record<string, unknown>).x;
    delete (Object.prototype as Record<string, unknown>).kind;
    delete (Object.prototype as Record<string, unknown>).p9;
  });

  it("drops the second check of every required property, and only those", () => {
    const { code, hasOwn } = pair(CLOSED);
    const calls = (text: string, name: string) => text.split(`${hasOwn}.call(data, "${name}")`).length - 1;
    // `a` and `b-c`: once in the required check, no more; `opt` is not required: kept.
    expect(calls(code, "a")).toBe(1);
    expect(calls(code, "b-c")).toBe(1);
    expect(calls(code, "opt")).toBe(1);
    expect(code).toContain(`data.opt !== undefined && (__protoOf(data) === __proto && !("opt" in __proto) || ${hasOwn}.call(data, "opt"))`);
  });

  it("gives the same verdicts and errors on valid, invalid, inherited and hidden properties", () => {
    const p = pair(CLOSED);
    const valid = { a: "x", "b-c": 2, nested: { x: 1 } };
    const values: unknown[] = [
      valid,
      { ...valid, opt: true },
      { ...valid, opt: "no" },
      { ...valid, a: "" },
      { ...valid, "b-c": 1.5 },
      { ...valid, nested: { x: 2 } },
      { ...valid, nested: { y: "no x" } },
      { ...valid, extra: 1 },
      { a: "x" },
      Object.create({ a: "inherited" }, { "b-c": { value: 2, enumerable: true }, nested: { value: { x: 1 }, enumerable: true } }),
      Object.defineProperty({ "b-c": 2, nested: { x: 1 } }, "a", { value: "hidden", enumerable: false }),
      [],
      null,
      "text",
    ];
    for (const v of values) same(p, v);
  });

  it("keeps own-property semantics with a polluted Object.prototype", () => {
    const p = pair(CLOSED);
    (Object.prototype as Record<string, unknown>).a = "polluted";
    (Object.prototype as Record<string, unknown>).opt = "polluted";
    (Object.prototype as Record<string, unknown>).x = 1;
    const lacking = { "b-c": 2, nested: {} };
    same(p, lacking);
    expect(p.after(lacking)).toBe(false);
    same(p, { a: "own", "b-c": 2, nested: { x: 1 } });
    expect(p.after({ a: "own", "b-c": 2, nested: {} })).toBe(false);
  });

  it("leaves each branch of a oneOf to its own required check", () => {
    const p = pair(UNION);
    for (const v of [{ kind: "a", a: "x" }, { kind: "b", b: 1 }, { kind: "b", a: 1 }, { kind: "a" }, { kind: "c" }, {}]) same(p, v);
    (Object.prototype as Record<string, unknown>).kind = "b";
    same(p, { b: 1 });
    expect(p.after({ b: 1 })).toBe(false);
  });

  it("tests the keys of a wide closed object against its names, with the same answers", () => {
    const p = pair(WIDE);
    expect(p.code).toContain('key0 === "p9"');
    expect(p.code).not.toContain(".properties, key0)");
    for (const v of [
      { p0: 1 },
      { p0: 1, p9: 2 },
      { p0: 1, p10: 2 },
      { p0: 1, toString: 1 },
      { p0: 1, ["__proto__"]: 1 },
      JSON.parse('{"p0":1,"__proto__":1}'),
    ])
      same(p, v);
    (Object.prototype as Record<string, unknown>).p9 = 1;
    same(p, { p0: 1 });
  });

  it("leaves a properties object with a __proto__ name to ajv's own test", () => {
    const schemas = new Map([["schema1", { properties: JSON.parse('{"a":{},"__proto__":{}}') }]]);
    const code = "if(!(func0.call(schema1.properties, key0))){}";
    expect(inlineKnownKeys(code, "func0", schemas)).toBe(code);
  });

  it("leaves code it does not recognise as it was", () => {
    expect(dropKnownOwnChecks("function f(data){delete data.a;}", "func0")).toBe("function f(data){delete data.a;}");
    expect(dropKnownOwnChecks('if(data.a !== undefined && func0.call(data, "a")){}', "func0")).toContain("func0.call");
    expect(dropKnownOwnChecks("anything", undefined)).toBe("anything");
  });

  it("matches brackets outside strings and regular-expression literals", () => {
    const code = 'f("{(", /[)}]/g, a/b){x/*# sourceURL="a/b{" */}';
    const mates = matchBrackets(code);
    expect(mates?.get(1)).toBe(code.indexOf("){"));
    expect(mates?.get(code.indexOf("{x"))).toBe(code.length - 1);
    expect(matchBrackets("f({)")).toBeUndefined();
  });
});

/** Closed objects of each kind ajv walks the keys of: names only, names and patterns, a schema for the rest. */
const LOOPS = {
  type: "object",
  required: ["names", "patterns", "rest"],
  properties: {
    names: { type: "object", additionalProperties: false, properties: { a: { type: "integer" }, b: { type: "string" } } },
    patterns: { type: "object", additionalProperties: false, patternProperties: { "^x-": { type: "string" } }, properties: { a: {} } },
    rest: { type: "object", additionalProperties: { type: "integer" }, properties: { a: { type: "string" } } },
  },
};

/** Length limits on either side of a surrogate pair. */
const LENGTHS = {
  type: "object",
  properties: { short: { type: "string", maxLength: 2 }, long: { type: "string", minLength: 2 }, one: { type: "string", minLength: 1 } },
};

describe("the other rewrites: key loops, own checks without a call, length limits", () => {
  const POLLUTE = ["a", "b", "x-y", "c", "short", "long", "one", "names"];
  afterEach(() => {
    for (const k of POLLUTE) delete (Object.prototype as Record<string, unknown>)[k];
  });
  const loopValues = (): unknown[] => {
    const ok = { names: { a: 1, b: "x" }, patterns: { a: null, "x-y": "s" }, rest: { a: "s", n: 2 } };
    return [
      ok,
      { ...ok, names: { a: 1, c: 1 } },
      { ...ok, names: { c: 1, d: 2 } },
      { ...ok, patterns: { "x-y": 1 } },
      { ...ok, patterns: { y: "s" } },
      { ...ok, rest: { a: "s", n: "no" } },
      { ...ok, rest: { a: 1 } },
      { ...ok, names: Object.create({ c: 1 }, { a: { value: 1, enumerable: true } }) },
      { ...ok, names: Object.defineProperty({ a: 1 }, "c", { value: 1, enumerable: false }) },
      { ...ok, names: Object.assign(Object.create(null), { a: 1, b: "x" }) },
      { ...ok, names: Object.assign(Object.create(null), { a: 1, c: "x" }) },
      { ...ok, rest: Object.create({ n: "inherited" }, { a: { value: "s", enumerable: true } }) },
      { names: { a: 1 } },
    ];
  };

  it("walks a closed object's keys with for…in, asking hasOwnProperty only of a key it does not know", () => {
    const p = pair(LOOPS);
    expect(p.code).not.toContain("Object.keys(");
    expect(p.code.match(/for\(const key\d+ in data\d*\)/g)?.length).toBe(4);
    for (const v of loopValues()) same(p, v);
  });

  it("gives the same answers with enumerable keys on Object.prototype, known and unknown", () => {
    const p = pair(LOOPS);
    (Object.prototype as Record<string, unknown>).c = 1;
    (Object.prototype as Record<string, unknown>)["x-y"] = 1;
    (Object.prototype as Record<string, unknown>).b = 1;
    for (const v of loopValues()) same(p, v);
    expect(p.after(loopValues()[0])).toBe(true);
  });

  it("answers an own-property check without a call only where nothing but the object can answer the read", () => {
    const p = pair(CLOSED);
    expect(p.code).toContain('(__protoOf(data) === __proto && !("a" in __proto) ||');
    class Carrier {
      get a() {
        return "from the class";
      }
    }
    const rest = { "b-c": 2, nested: { x: 1 } };
    const values: unknown[] = [
      { a: "x", ...rest },
      Object.assign(new Carrier(), rest),
      Object.assign(Object.create(null), { a: "x", ...rest }),
      Object.assign(Object.create(null), rest),
      Object.assign(Object.create({ a: "inherited" }), rest),
      Object.defineProperty({ ...rest }, "a", { value: "hidden", enumerable: false }),
      { a: undefined, ...rest },
    ];
    for (const v of values) same(p, v);
    expect(p.after(Object.assign(new Carrier(), rest))).toBe(false);
    // Object.prototype with an `a`, a getter that runs only when asked through an object: still refused.
    Object.defineProperty(Object.prototype, "a", { configurable: true, enumerable: false, get: () => "polluted" });
    for (const v of values) same(p, v);
    expect(p.after({ ...rest })).toBe(false);
    expect(p.after({ a: "own", ...rest })).toBe(true);
  });

  it("counts code points only where the UTF-16 length cannot decide a limit", () => {
    const p = pair(LENGTHS);
    expect(p.code).toMatch(/\.length > 2 && /);
    expect(p.code).toMatch(/\.length < 2 \|\| \(data\d*\.length < 4 && /);
    const pair2 = "\u{1F600}";
    for (const s of ["", "a", "ab", "abc", pair2, pair2 + pair2, `${pair2}a`, `a${pair2}`, `${pair2}${pair2}a`, "\ud83d", "\ud83da"]) {
      same(p, { short: s });
      same(p, { long: s });
      same(p, { one: s });
    }
  });

  it("leaves key loops and limits of any other shape as they were", () => {
    const loop = 'for(const key0 of Object.keys(data)){if(!(key0 === "a")){}f(key0);}';
    expect(ownKeyLoops(loop, "func0")).toBe(loop);
    const impure = "for(const key0 of Object.keys(data)){if(!(g(key0))){}}";
    expect(ownKeyLoops(impure, "func0")).toBe(impure);
    expect(ownKeyLoops('for(const key0 of Object.keys(data)){if(!(key0 === "a")){}}', "func0")).toBe(
      'for(const key0 in data){if((!(key0 === "a")) && func0.call(data, key0)){}}',
    );
    expect(lengthFirst("if(func1(data0) <= 2){", "func1")).toBe("if(func1(data0) <= 2){");
    expect(lengthFirst("if(func1(data0) > 2){", undefined)).toBe("if(func1(data0) > 2){");
  });
});
