/**
 * Counterexamples for compatibility verdicts: for realistic evolutions of an event's payload
 * schema, a value one version accepts and the other rejects — or none, where none exists.
 *
 * Every value the module returns is checked again here with a fresh ajv of the house
 * (`createAjvSet`): the test never trusts the module's own verdict.
 */

import type { AnySchema } from "ajv";
import { Ajv2020 } from "ajv/dist/2020.js";
import addFormatsModule from "ajv-formats";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { type CounterexampleOptions, findCounterexample } from "../src/compat/counterexample/index.js";
import { createAjvSet } from "../src/schema/ajv.js";

type FormatsPlugin = typeof import("ajv-formats").default;
const addFormats: FormatsPlugin =
  (addFormatsModule as unknown as { default?: FormatsPlugin }).default ?? (addFormatsModule as unknown as FormatsPlugin);

type Schema = Record<string, unknown>;

const DRAFT_07 = "http://json-schema.org/draft-07/schema#";

/** An event payload: an object with the given properties, those in `required` required. */
function payload(properties: Schema, required: string[] = [], extra: Schema = {}): Schema {
  return { type: "object", properties, required, ...extra };
}

const money = payload({ currency: { type: "string", enum: ["EUR", "USD"] }, value: { type: "number" } }, ["currency", "value"], {
  additionalProperties: false,
});

interface Case {
  accepts: unknown;
  rejects: unknown;
  want: "found" | "none";
  /** Where the rejecting schema fails, when the case pins it. */
  at?: string;
  options?: CounterexampleOptions;
}

const CASES: [string, Case][] = [
  // ---- a counterexample exists and is found ----
  [
    "optional property added to an open model (old data, new reader)",
    {
      accepts: payload({ orderId: { type: "string" } }, ["orderId"]),
      rejects: payload({ orderId: { type: "string" }, note: { type: "string" } }, ["orderId"]),
      want: "found",
      at: "/note",
    },
  ],
  [
    "optional property added to a closed model (new data, old reader)",
    {
      accepts: payload({ orderId: { type: "string" }, note: { type: "string" } }, ["orderId"], { additionalProperties: false }),
      rejects: payload({ orderId: { type: "string" } }, ["orderId"], { additionalProperties: false }),
      want: "found",
      at: "/note",
    },
  ],
  [
    "required property added (old data, new reader)",
    {
      accepts: payload({ orderId: { type: "string" } }, ["orderId"]),
      rejects: payload({ orderId: { type: "string" }, channel: { type: "string" } }, ["orderId", "channel"]),
      want: "found",
      at: "",
    },
  ],
  [
    "maxLength decreased",
    {
      accepts: payload({ name: { type: "string", maxLength: 100 } }, ["name"]),
      rejects: payload({ name: { type: "string", maxLength: 20 } }, ["name"]),
      want: "found",
      at: "/name",
    },
  ],
  [
    "minimum increased",
    {
      accepts: payload({ quantity: { type: "integer", minimum: 1 } }, ["quantity"]),
      rejects: payload({ quantity: { type: "integer", minimum: 5 } }, ["quantity"]),
      want: "found",
      at: "/quantity",
    },
  ],
  [
    "enum narrowed",
    {
      accepts: payload({ status: { enum: ["open", "paid", "void"] } }, ["status"]),
      rejects: payload({ status: { enum: ["open", "paid"] } }, ["status"]),
      want: "found",
      at: "/status",
    },
  ],
  [
    "type changed: number to object Money (old data, new reader)",
    {
      accepts: payload({ amount: { type: "number" } }, ["amount"]),
      rejects: payload({ amount: { $ref: "#/$defs/Money" } }, ["amount"], { $defs: { Money: money } }),
      want: "found",
      at: "/amount",
    },
  ],
  [
    "type changed: number to object Money (new data, old reader)",
    {
      accepts: payload({ amount: { $ref: "#/$defs/Money" } }, ["amount"], { $defs: { Money: money } }),
      rejects: payload({ amount: { type: "number" } }, ["amount"]),
      want: "found",
      at: "/amount",
    },
  ],
  [
    "integer narrowed from number",
    {
      accepts: payload({ weight: { type: "number" } }, ["weight"]),
      rejects: payload({ weight: { type: "integer" } }, ["weight"]),
      want: "found",
      at: "/weight",
    },
  ],
  [
    "additionalProperties true to false",
    {
      accepts: payload({ id: { type: "string" } }, ["id"], { additionalProperties: true }),
      rejects: payload({ id: { type: "string" } }, ["id"], { additionalProperties: false }),
      want: "found",
    },
  ],
  [
    "format added",
    {
      accepts: payload({ email: { type: "string" } }, ["email"]),
      rejects: payload({ email: { type: "string", format: "email" } }, ["email"]),
      want: "found",
      at: "/email",
    },
  ],
  [
    "pattern added",
    {
      accepts: payload({ currency: { type: "string" } }, ["currency"]),
      rejects: payload({ currency: { type: "string", pattern: "^[A-Z]{3}$" } }, ["currency"]),
      want: "found",
      at: "/currency",
    },
  ],
  [
    "pattern narrowed (a longer code)",
    {
      accepts: payload({ invoice: { type: "string", pattern: "^INV-[0-9]{4,8}$" } }, ["invoice"]),
      rejects: payload({ invoice: { type: "string", pattern: "^INV-[0-9]{6,8}$" } }, ["invoice"]),
      want: "found",
      at: "/invoice",
    },
  ],
  [
    "multipleOf coarsened",
    {
      accepts: payload({ price: { type: "number", multipleOf: 0.01 } }, ["price"]),
      rejects: payload({ price: { type: "number", multipleOf: 0.05 } }, ["price"]),
      want: "found",
      at: "/price",
    },
  ],
  [
    "array maxItems decreased",
    {
      accepts: payload({ tags: { type: "array", items: { type: "string", minLength: 1 }, maxItems: 10 } }, ["tags"]),
      rejects: payload({ tags: { type: "array", items: { type: "string", minLength: 1 }, maxItems: 3 } }, ["tags"]),
      want: "found",
      at: "/tags",
    },
  ],
  [
    "uniqueItems added",
    {
      accepts: payload({ tags: { type: "array", items: { type: "string" } } }),
      rejects: payload({ tags: { type: "array", items: { type: "string" }, uniqueItems: true } }),
      want: "found",
      at: "/tags",
    },
  ],
  [
    "nested change inside properties: optional customer.address.postcode shortened",
    {
      accepts: payload({
        customer: payload({ name: { type: "string" }, address: payload({ postcode: { type: "string", maxLength: 10 } }) }, ["name"]),
      }),
      rejects: payload({
        customer: payload({ name: { type: "string" }, address: payload({ postcode: { type: "string", maxLength: 5 } }) }, ["name"]),
      }),
      want: "found",
      at: "/customer/address/postcode",
    },
  ],
  [
    "nested change inside array items: line quantity minimum increased",
    {
      accepts: payload(
        { lines: { type: "array", items: payload({ sku: { type: "string" }, qty: { type: "integer", minimum: 1 } }, ["sku", "qty"]) } },
        ["lines"],
      ),
      rejects: payload(
        { lines: { type: "array", items: payload({ sku: { type: "string" }, qty: { type: "integer", minimum: 2 } }, ["sku", "qty"]) } },
        ["lines"],
      ),
      want: "found",
      at: "/lines/0/qty",
    },
  ],
  [
    "change inside $defs reached by $ref: Money currency narrowed",
    {
      accepts: payload({ total: { $ref: "#/$defs/Money" } }, ["total"], { $defs: { Money: money } }),
      rejects: payload({ total: { $ref: "#/$defs/Money" } }, ["total"], {
        $defs: { Money: { ...money, properties: { ...(money.properties as Schema), currency: { type: "string", enum: ["EUR"] } } } },
      }),
      want: "found",
      at: "/total/currency",
    },
  ],
  [
    "recursive schema: category name shortened at every level",
    {
      accepts: {
        $ref: "#/$defs/Category",
        $defs: {
          Category: payload({ name: { type: "string", maxLength: 50 }, children: { type: "array", items: { $ref: "#/$defs/Category" } } }, [
            "name",
          ]),
        },
      },
      rejects: {
        $ref: "#/$defs/Category",
        $defs: {
          Category: payload({ name: { type: "string", maxLength: 8 }, children: { type: "array", items: { $ref: "#/$defs/Category" } } }, [
            "name",
          ]),
        },
      },
      want: "found",
      at: "/name",
    },
  ],
  [
    "recursive schema: only nested comments lose a property",
    {
      accepts: payload({ text: { type: "string" }, replies: { type: "array", items: { $ref: "#" } } }, ["text"]),
      rejects: payload({ text: { type: "string" }, replies: { type: "array", items: { $ref: "#" }, maxItems: 0 } }, ["text"]),
      want: "found",
      at: "/replies",
    },
  ],
  [
    "anyOf branch removed: IBAN payments no longer accepted",
    {
      accepts: payload(
        { method: { anyOf: [payload({ card: { type: "string" } }, ["card"]), payload({ iban: { type: "string" } }, ["iban"])] } },
        ["method"],
      ),
      rejects: payload({ method: { anyOf: [payload({ card: { type: "string" } }, ["card"])] } }, ["method"]),
      want: "found",
    },
  ],
  [
    "const changed",
    {
      accepts: payload({ schemaVersion: { const: 1 } }, ["schemaVersion"]),
      rejects: payload({ schemaVersion: { const: 2 } }, ["schemaVersion"]),
      want: "found",
      at: "/schemaVersion",
    },
  ],
  [
    "draft-07 tuple items: additionalItems closed",
    {
      accepts: { $schema: DRAFT_07, type: "array", items: [{ type: "string" }, { type: "number" }] },
      rejects: { $schema: DRAFT_07, type: "array", items: [{ type: "string" }, { type: "number" }], additionalItems: false },
      want: "found",
      at: "/2",
    },
  ],
  [
    "draft-07 tuple items (dialect from options): second item number to integer",
    {
      accepts: { type: "array", items: [{ type: "string" }, { type: "number" }], minItems: 2 },
      rejects: { type: "array", items: [{ type: "string" }, { type: "integer" }], minItems: 2 },
      want: "found",
      at: "/1",
      options: { dialect: "draft-07" },
    },
  ],
  [
    "hinted: optional property added to an open model, deep in $defs",
    {
      accepts: payload({ order: { $ref: "#/$defs/Order" } }, ["order"], { $defs: { Order: payload({ id: { type: "string" } }, ["id"]) } }),
      rejects: payload({ order: { $ref: "#/$defs/Order" } }, ["order"], {
        $defs: { Order: payload({ id: { type: "string" }, note: { type: "string", maxLength: 3 } }, ["id"]) },
      }),
      want: "found",
      at: "/order/note",
      options: { hints: [{ pointer: "/$defs/Order/properties/note", type: "OPTIONAL_PROPERTY_ADDED_TO_OPEN_CONTENT_MODEL" }] },
    },
  ],

  // ---- no counterexample exists ----
  [
    "identical schemas",
    { accepts: payload({ id: { type: "string" } }, ["id"]), rejects: payload({ id: { type: "string" } }, ["id"]), want: "none" },
  ],
  [
    "only annotations changed",
    {
      accepts: payload({ id: { type: "string", description: "The id." } }, ["id"], { title: "Order placed", examples: [{ id: "o-1" }] }),
      rejects: payload({ id: { type: "string", description: "The order id.", $comment: "renamed" } }, ["id"], {
        title: "OrderPlaced",
        description: "An order was placed.",
        examples: [{ id: "o-2" }],
      }),
      want: "none",
    },
  ],
  [
    "maxLength increased (widening, narrow side accepts)",
    {
      accepts: payload({ name: { type: "string", maxLength: 20 } }, ["name"]),
      rejects: payload({ name: { type: "string", maxLength: 100 } }, ["name"]),
      want: "none",
    },
  ],
  [
    "enum widened (widening)",
    {
      accepts: payload({ status: { enum: ["open", "paid"] } }, ["status"]),
      rejects: payload({ status: { enum: ["open", "paid", "void"] } }, ["status"]),
      want: "none",
    },
  ],
  [
    "required property made optional (widening)",
    {
      accepts: payload({ id: { type: "string" }, channel: { type: "string" } }, ["id", "channel"]),
      rejects: payload({ id: { type: "string" }, channel: { type: "string" } }, ["id"]),
      want: "none",
    },
  ],
  [
    "optional property added to a closed model (old data, new reader)",
    {
      accepts: payload({ id: { type: "string" } }, ["id"], { additionalProperties: false }),
      rejects: payload({ id: { type: "string" }, note: { type: "string" } }, ["id"], { additionalProperties: false }),
      want: "none",
    },
  ],
  [
    "type widened to nullable",
    {
      accepts: payload({ note: { type: "string" } }),
      rejects: payload({ note: { type: ["string", "null"] } }),
      want: "none",
    },
  ],
  [
    "identical recursive schemas",
    {
      accepts: payload({ text: { type: "string" }, replies: { type: "array", items: { $ref: "#" } } }, ["text"]),
      rejects: payload({ text: { type: "string" }, replies: { type: "array", items: { $ref: "#" } } }, ["text"]),
      want: "none",
    },
  ],
];

/** A fresh house validator for one schema (dialect from `$schema`, else the option, else 2020-12). */
function houseValidator(schema: unknown, options: CounterexampleOptions = {}) {
  const dialect = (schema as Schema).$schema === DRAFT_07 ? "draft-07" : (options.dialect ?? "2020-12");
  return createAjvSet()[dialect].compile(schema as AnySchema);
}

describe("findCounterexample", () => {
  it.each(CASES)("%s", (_name, c) => {
    const found = findCounterexample(c.accepts, c.rejects, c.options);
    if (c.want === "none") {
      expect(found).toBeUndefined();
      return;
    }
    expect(found).toBeDefined();
    const value = found?.value;
    expect(houseValidator(c.accepts, c.options)(value), "accepted by `accepts`").toBe(true);
    expect(houseValidator(c.rejects, c.options)(value), "rejected by `rejects`").toBe(false);
    expect(JSON.parse(JSON.stringify(value))).toEqual(value);
    if (c.at !== undefined) expect(found?.at).toBe(c.at);
  });

  it("gives the same answer every time", () => {
    const [, c] = CASES[0] as [string, Case];
    const first = findCounterexample(c.accepts, c.rejects);
    expect(findCounterexample(c.accepts, c.rejects)).toEqual(first);
    expect(first?.value).toEqual({ orderId: "", note: 0 });
  });

  it("prefers a schema's own example", () => {
    const accepts = payload({ email: { type: "string" } }, ["email"], { examples: [{ email: "ada@example.com" }] });
    const rejects = payload({ email: { type: "string", maxLength: 5 } }, ["email"]);
    expect(findCounterexample(accepts, rejects)).toEqual({ value: { email: "ada@example.com" }, at: "/email" });
  });

  it("shows the smallest value it can: keys and items that do not matter are removed", () => {
    const [, c] = CASES.find(([name]) => name.startsWith("recursive schema: only nested")) as [string, Case];
    expect(findCounterexample(c.accepts, c.rejects)).toEqual({ value: { text: "", replies: [{ text: "" }] }, at: "/replies" });
  });

  it("searches the place a hint points at first", () => {
    const accepts = payload({ first: { type: "string", maxLength: 10 }, second: { type: "string", maxLength: 10 } }, ["first", "second"]);
    const rejects = payload({ first: { type: "string", maxLength: 5 }, second: { type: "string", maxLength: 5 } }, ["first", "second"]);
    expect(findCounterexample(accepts, rejects)?.at).toBe("/first");
    const hints = [{ pointer: "/properties/second", type: "MAX_LENGTH_DECREASED" }];
    expect(findCounterexample(accepts, rejects, { hints })).toEqual({ value: { first: "", second: "aaaaaa" }, at: "/second" });
  });

  it("stops at the budget", () => {
    const [, c] = CASES.find(([name]) => name.startsWith("nested change inside properties")) as [string, Case];
    expect(findCounterexample(c.accepts, c.rejects, { budget: 3 })).toBeUndefined();
    expect(findCounterexample(c.accepts, c.rejects, { budget: 0 })).toBeUndefined();
  });

  it("returns undefined for schemas ajv cannot compile, and never throws", () => {
    const ok = payload({ id: { type: "string" } });
    const cyclic: Schema = { type: "object" };
    cyclic.properties = { self: cyclic };
    for (const bad of [
      42,
      null,
      "string",
      [],
      { type: "strnig" },
      { minLength: -1 },
      { $ref: "#/$defs/missing" },
      { $ref: "https://example.com/other.json" },
      { pattern: "[" },
      cyclic,
    ]) {
      expect(() => findCounterexample(bad, ok)).not.toThrow();
      expect(() => findCounterexample(ok, bad)).not.toThrow();
      expect(findCounterexample(bad, ok)).toBeUndefined();
    }
  });

  it("treats boolean schemas as schemas", () => {
    expect(findCounterexample(true, false)).toEqual({ value: 0, at: "" });
    expect(findCounterexample(false, true)).toBeUndefined();
  });
});

describe("known limits: a counterexample exists but the search does not find it", () => {
  // Returning undefined means "none found", never "none exists"; these pin what is out of reach.
  it.each([
    ["a negative lookahead added: only the word it excludes breaks it", { type: "string" }, { type: "string", pattern: "^(?!admin$)" }],
    [
      "a number excluded in the middle of a range",
      { type: "integer", minimum: 0, maximum: 1000 },
      { type: "integer", minimum: 0, maximum: 1000, not: { const: 437 } },
    ],
  ])("%s", (_name, accepts, rejects) => {
    expect(findCounterexample(accepts, rejects)).toBeUndefined();
  });
});

// ---- property: random pairs of small schemas ----

const BASE: Schema = payload(
  {
    id: { type: "string", format: "uuid" },
    amount: { type: "number", minimum: 0 },
    currency: { type: "string", enum: ["EUR", "USD"] },
    note: { type: "string", maxLength: 40 },
    lines: {
      type: "array",
      maxItems: 5,
      items: payload({ sku: { type: "string", pattern: "^[A-Z]{2}-[0-9]+$" }, qty: { type: "integer", minimum: 1 } }, ["sku"]),
    },
    customer: { $ref: "#/$defs/Customer" },
  },
  ["id", "amount"],
  { $defs: { Customer: payload({ name: { type: "string", minLength: 1 } }, ["name"]) } },
);

/** Realistic values per keyword, so that most changed schemas are still schemas. */
const KEYWORD_VALUES: Record<string, fc.Arbitrary<unknown>> = {
  type: fc.constantFrom("string", "integer", "number", "object", "array", "boolean", "null", ["string", "null"]),
  required: fc.subarray(["id", "amount", "currency", "note", "lines", "customer", "name", "sku", "qty"]),
  minimum: fc.integer({ min: -5, max: 50 }),
  maximum: fc.integer({ min: -5, max: 50 }),
  exclusiveMinimum: fc.integer({ min: -5, max: 50 }),
  minLength: fc.nat({ max: 50 }),
  maxLength: fc.nat({ max: 50 }),
  minItems: fc.nat({ max: 6 }),
  maxItems: fc.nat({ max: 6 }),
  multipleOf: fc.constantFrom(0.01, 0.5, 2, 10),
  enum: fc.constantFrom(["EUR"], ["EUR", "USD", "GBP"], ["a", 1, null]),
  const: fc.constantFrom("EUR", 0, null),
  format: fc.constantFrom("date-time", "date", "email", "uuid", "uri"),
  pattern: fc.constantFrom("^[a-z]+$", "^[A-Z]{2}-[0-9]{3}$", "x", "^.{0,4}$"),
  uniqueItems: fc.boolean(),
  additionalProperties: fc.constantFrom(false, true, { type: "string" }),
  $ref: fc.constantFrom("#/$defs/Customer", "#"),
  anyOf: fc.constantFrom([{ type: "string" }, { type: "null" }], [{ minimum: 3 }, { maximum: 1 }]),
  not: fc.constantFrom({ type: "null" }, { const: "EUR" }),
  properties: fc.constantFrom({ extra: { type: "string" } }, { id: { type: "integer" } }, {}),
};

/** One change to one subschema object: a keyword set or removed; now and then, any JSON at all. */
const change = fc.oneof(
  {
    weight: 6,
    arbitrary: fc
      .constantFrom(...Object.keys(KEYWORD_VALUES))
      .chain((key) =>
        fc.record({ at: fc.nat(), remove: fc.boolean(), key: fc.constant(key), value: KEYWORD_VALUES[key] as fc.Arbitrary<unknown> }),
      ),
  },
  {
    weight: 1,
    arbitrary: fc.record({
      at: fc.nat(),
      remove: fc.constant(false),
      key: fc.string({ maxLength: 12 }),
      value: fc.jsonValue({ maxDepth: 2 }),
    }),
  },
);

function objectsIn(value: unknown, out: Schema[] = []): Schema[] {
  if (Array.isArray(value)) for (const v of value) objectsIn(v, out);
  else if (typeof value === "object" && value !== null) {
    out.push(value as Schema);
    for (const v of Object.values(value)) objectsIn(v, out);
  }
  return out;
}

function mutate(schema: Schema, changes: { at: number; remove: boolean; key: string; value: unknown }[]): Schema {
  const copy = JSON.parse(JSON.stringify(schema)) as Schema;
  for (const c of changes) {
    const targets = objectsIn(copy);
    const target = targets[c.at % targets.length] as Schema;
    const keys = Object.keys(target);
    // Removing a keyword the object has is a change; removing one it lacks would be none.
    if (c.remove && keys.length > 0) delete target[keys[c.at % keys.length] as string];
    else Object.defineProperty(target, c.key, { value: c.value, enumerable: true, writable: true, configurable: true });
  }
  return copy;
}

/** A fresh, non-strict ajv for one schema: random schemas need not pass the house's strict mode. */
function freshValidator(schema: Schema) {
  const ajv = new Ajv2020({ strict: false, validateSchema: false, logger: false });
  addFormats(ajv);
  return ajv.compile(schema);
}

describe("findCounterexample on random pairs of schemas", () => {
  it("never throws, and whatever it returns is a counterexample", () => {
    const runs = 100;
    let found = 0;
    fc.assert(
      fc.property(fc.array(change, { maxLength: 3 }), fc.array(change, { minLength: 1, maxLength: 3 }), (c1, c2) => {
        const before = mutate(BASE, c1);
        const after = mutate(before, c2);
        // Both directions: a change is usually a narrowing one way and a widening the other.
        for (const [accepts, rejects] of [
          [before, after],
          [after, before],
        ] as const) {
          const result = findCounterexample(accepts, rejects, { budget: 400 });
          if (result === undefined) continue;
          found++;
          expect(freshValidator(accepts)(result.value)).toBe(true);
          expect(freshValidator(rejects)(result.value)).toBe(false);
          expect(JSON.parse(JSON.stringify(result.value))).toEqual(result.value);
        }
      }),
      { numRuns: runs, seed: Number(process.env.FC_SEED ?? 20261127) },
    );
    // Most changes change something: the property must not pass by finding nothing.
    expect(found).toBeGreaterThan(runs / 4);
  });
});
