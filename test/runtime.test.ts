/**
 * The published runtime (src/runtime/, shipped as dist/runtime.cjs), called directly in-process:
 * ajv's helpers against ajv's own, `createApi` over validators compiled as the build compiles them
 * (first error only), the one renderer of ajv errors, and the committed bundle
 * (src/generate/runtime-code.generated.ts), which must be what scripts/runtime-code.ts makes now.
 *
 * The renderer's table runs each event through the runtime and through `domain-events validate`
 * (validateInstances): both must say the same words. The built package's runtime is tested against
 * hostile values in test/runtime-hostile.test.ts and test/fuzz-runtime.test.ts.
 */

import { readFile, writeFile } from "node:fs/promises";
import { createRequire } from "node:module";
import path from "node:path";
import ajvEqualModule from "ajv/dist/runtime/equal.js";
import ajvUcs2lengthModule from "ajv/dist/runtime/ucs2length.js";
import { describe, expect, it } from "vitest";
import { GENERATED_MODULE, generatedModule, REFRESH_COMMAND, runtimeCode } from "../scripts/runtime-code.js";
import { RUNTIME_CJS } from "../src/generate/runtime.js";
import { type PublishedEvent, validateInstances } from "../src/instances/index.js";
import { equal, ucs2length } from "../src/runtime/ajv-helpers.js";
import { createApi, EventValidationError, type Result, type Validator } from "../src/runtime/api.js";
import { errorMessage, issueLine, QUOTED_CHARS, toIssues } from "../src/runtime/issues.js";
import { createAjvSet } from "../src/schema/ajv.js";
import { ROOT, scratch } from "./helpers.js";

type Default<T> = T | { default: T };
const unwrap = <T>(m: Default<T>): T => (typeof m === "object" && m !== null && "default" in m ? m.default : (m as T));
const ajvEqual = unwrap(ajvEqualModule as unknown as Default<(a: unknown, b: unknown) => boolean>);
const ajvUcs2length = unwrap(ajvUcs2lengthModule as unknown as Default<(s: string) => number>);

const TYPE = "shop.order.order-placed.v1";

/** One event whose schema holds every keyword the renderer's table needs (2020-12, for unevaluatedProperties). */
const ENTRY: PublishedEvent = {
  type: TYPE,
  system: "shop",
  topic: "order",
  event: "order-placed",
  version: 1,
  latest: true,
  deprecated: false,
  schema: {
    $schema: "https://json-schema.org/draft/2020-12/schema",
    type: "object",
    additionalProperties: false,
    required: ["specversion", "type", "time", "data"],
    properties: {
      specversion: { const: "1.0" },
      type: { const: TYPE },
      time: { type: "string", format: "date-time" },
      data: {
        type: "object",
        additionalProperties: false,
        required: ["orderId", "method"],
        properties: {
          orderId: { type: "string" },
          method: { enum: ["card", "sepa-debit"] },
          amount: { type: "integer" },
          address: { allOf: [{ properties: { street: { type: "string" } } }], unevaluatedProperties: false },
        },
      },
    },
  },
};

const VALID = { specversion: "1.0", type: TYPE, time: "2026-05-01T08:00:00Z", data: { orderId: "o-1", method: "card" } };

/** The API over ENTRY, its validator compiled as the build compiles it (the first error only); `loads` counts loads. */
function api() {
  const loads: string[] = [];
  const ajv = createAjvSet({ allErrors: false })["2020-12"];
  const result = createApi([[TYPE, "OrderPlaced", "Order placed", 1]], (type) => {
    loads.push(type);
    return ajv.compile(ENTRY.schema) as Validator;
  });
  return { ...result, loads };
}

function errorsOf(r: Result) {
  if (r.ok) throw new Error("expected an invalid result");
  return r.errors;
}

describe("ajv's helpers, as ajv computes them", () => {
  it("ucs2length counts code points: a surrogate pair is one, a lone surrogate is one", () => {
    for (const s of ["", "abc", "€", "😀", "a😀b", "\ud83d", "\ude00x", "\ud83d\ud83d", "ß".repeat(5)]) {
      expect(ucs2length(s), JSON.stringify(s)).toBe(ajvUcs2length(s));
    }
  });

  it("equal is deep JSON equality, with NaN equal to itself", () => {
    const pairs: [unknown, unknown][] = [
      [1, 1],
      [1, "1"],
      [Number.NaN, Number.NaN],
      [null, null],
      [null, {}],
      [
        [1, [2]],
        [1, [2]],
      ],
      [
        [1, 2],
        [2, 1],
      ],
      [
        { a: 1, b: { c: [1] } },
        { b: { c: [1] }, a: 1 },
      ],
      [{ a: 1 }, { a: 1, b: undefined }],
      [{ a: undefined }, { b: undefined }],
      [[], {}],
    ];
    for (const [a, b] of pairs) expect(equal(a, b), JSON.stringify([a, b])).toBe(ajvEqual(a, b));
  });
});

describe("createApi", () => {
  it("reads each row's system, topic, event and version from its type, in the list's order, and its flags", () => {
    const rows = [
      ["billing-core.invoice.invoice-issued.v12", "InvoiceIssuedV12", "Invoice issued", 2],
      ["a.b.c.v1", "C", "", 1],
      ["a.b.c.v3", "CV3", "C", 3],
      // The names of the row before, of the same length or the same start: each its own.
      ["a.b.d.v2", "DV2", "D", 1],
      ["a.c.d.v10", "DV10", "D", 1],
      ["b.c.d.v1", "D", "D", 1],
      ["bb.cc.dd.v1", "Dd", "D", 1],
    ] as const;
    const { events, validators } = createApi(rows, () => {
      throw new Error("no validator is loaded to list the events");
    });
    expect(events.map((e) => [e.system, e.topic, e.event, e.version, e.latest, e.deprecated, e.typeName, e.title])).toEqual([
      ["billing-core", "invoice", "invoice-issued", 12, false, true, "InvoiceIssuedV12", "Invoice issued"],
      ["a", "b", "c", 1, true, false, "C", ""],
      ["a", "b", "c", 3, true, true, "CV3", "C"],
      ["a", "b", "d", 2, true, false, "DV2", "D"],
      ["a", "c", "d", 10, true, false, "DV10", "D"],
      ["b", "c", "d", 1, true, false, "D", "D"],
      ["bb", "cc", "dd", 1, true, false, "Dd", "D"],
    ]);
    expect(Object.keys(validators)).toEqual(rows.map((r) => r[0]));
  });

  it("lists the events from compact rows and loads no validator until one is used, then once", () => {
    const { events, validate, validators, loads } = api();
    expect(events).toEqual([
      {
        type: TYPE,
        system: "shop",
        topic: "order",
        event: "order-placed",
        version: 1,
        latest: true,
        deprecated: false,
        typeName: "OrderPlaced",
        title: "Order placed",
      },
    ]);
    expect(Object.isFrozen(events) && Object.isFrozen(events[0]) && Object.isFrozen(validators)).toBe(true);
    expect(loads).toEqual([]);
    expect(validate(VALID)).toEqual({ ok: true, event: VALID });
    expect(validators[TYPE]?.(VALID).ok).toBe(true);
    expect(loads).toEqual([TYPE]);
  });

  it("refuses what is not an event object, and a type it does not know, without loading anything", () => {
    const { validate, loads } = api();
    for (const value of [null, 1, "x", [VALID]]) expect(errorsOf(validate(value))).toMatchObject([{ pointer: "", keyword: "type" }]);
    expect(errorsOf(validate({ type: 7 }))[0]?.message).toBe("must be a string naming the event type");
    expect(errorsOf(validate({ type: "shop.order.gone.v1" }))[0]?.message).toBe('must name a known event type, not "shop.order.gone.v1"');
    // Only own properties: an inherited type, or a key of Object.prototype, names no event.
    expect(errorsOf(validate(Object.create({ type: TYPE })))[0]?.keyword).toBe("enum");
    expect(errorsOf(validate({ type: "toString" }))[0]?.keyword).toBe("enum");
    expect(loads).toEqual([]);
  });

  it("quotes at most QUOTED_CHARS of an unknown type, however long", () => {
    const { validate } = api();
    const message = errorsOf(validate({ type: "x".repeat(1_000_000) }))[0]?.message ?? "";
    expect(message.length).toBeLessThan(QUOTED_CHARS + 40);
    expect(message.endsWith("…")).toBe(true);
  });

  it("turns a throwing getter into an exception result, never a throw", () => {
    const { validate, parseEvent } = api();
    const value = {
      ...VALID,
      get data() {
        throw new Error("boom");
      },
    };
    expect(validate(value)).toEqual({
      ok: false,
      errors: [{ pointer: "", keyword: "exception", message: "could not be read (boom)", params: {}, schemaPath: "#" }],
    });
    expect(() => parseEvent(value)).toThrow(EventValidationError);
  });

  it("parseEvent names the unknown property in its message, and keeps the problems as data", () => {
    const { parseEvent } = api();
    const error = (() => {
      try {
        parseEvent({ ...VALID, data: { ...VALID.data, colour: "red" } });
      } catch (e) {
        return e;
      }
      return undefined;
    })();
    expect(error).toBeInstanceOf(EventValidationError);
    const e = error as EventValidationError;
    expect(e.name).toBe("EventValidationError");
    expect(e.message).toBe('invalid event (1 problem):\n  /data: must NOT have additional properties ("colour") [additionalProperties]');
    expect(e.errors).toEqual([
      {
        pointer: "/data",
        keyword: "additionalProperties",
        message: 'must NOT have additional properties ("colour")',
        params: { additionalProperty: "colour" },
        schemaPath: "#/properties/data/additionalProperties",
      },
    ]);
    expect(parseEvent(VALID)).toBe(VALID);
  });
});

describe("one renderer of ajv errors: the runtime and `domain-events validate` say the same", () => {
  const data = VALID.data;
  const cases: [string, { event: unknown; line: string }][] = [
    [
      "additionalProperties",
      {
        event: { ...VALID, data: { ...data, colour: "red" } },
        line: '/data: must NOT have additional properties ("colour") [additionalProperties]',
      },
    ],
    [
      "unevaluatedProperties",
      {
        event: { ...VALID, data: { ...data, address: { street: "Main", zip: "1" } } },
        line: '/data/address: must NOT have unevaluated properties ("zip") [unevaluatedProperties]',
      },
    ],
    ["const", { event: { ...VALID, specversion: "2.0" }, line: '/specversion: must be equal to constant: "1.0" [const]' }],
    [
      "enum",
      {
        event: { ...VALID, data: { ...data, method: "cash" } },
        line: '/data/method: must be equal to one of the allowed values: "card", "sepa-debit" [enum]',
      },
    ],
    ["required", { event: { ...VALID, data: { method: "card" } }, line: "/data: must have required property 'orderId' [required]" }],
    ["type", { event: { ...VALID, data: { ...data, amount: "12" } }, line: "/data/amount: must be integer [type]" }],
    ["format", { event: { ...VALID, time: "yesterday" }, line: '/time: must match format "date-time" [format]' }],
  ];

  it.each(cases)("%s", (_keyword, { event, line }) => {
    const issues = errorsOf(api().validate(event));
    expect(issues.map((i) => issueLine(i.pointer, i.message, i.keyword))).toEqual([line]);
    const cli = validateInstances([{ file: "event.json", text: JSON.stringify(event) }], [ENTRY]);
    expect(cli.diagnostics.map((d) => `${d.code} ${d.message}`)).toEqual([`EVENT_INVALID ${line}`]);
  });

  it("names a long unknown key by its first QUOTED_CHARS characters only", () => {
    const key = "k".repeat(100_000);
    const message = errorMessage({ keyword: "additionalProperties", instancePath: "", params: { additionalProperty: key }, message: "m" });
    expect(message).toBe(`m (${`"${"k".repeat(QUOTED_CHARS - 1)}`}…)`);
  });

  it("gives every issue a message, even for an error ajv left without one", () => {
    expect(toIssues([{ keyword: "x", instancePath: "/a", params: {}, schemaPath: "#/x" }])).toEqual([
      { pointer: "/a", keyword: "x", message: "is invalid", params: {}, schemaPath: "#/x" },
    ]);
    expect(toIssues(null)).toEqual([]);
  });
});

describe("the shipped text (dist/runtime.cjs)", () => {
  it(`is src/runtime/ bundled now (stale? run: ${REFRESH_COMMAND})`, async () => {
    const fresh = await runtimeCode();
    const committed = await readFile(path.join(ROOT, GENERATED_MODULE), "utf8");
    expect(committed === generatedModule(fresh), `${GENERATED_MODULE} is stale: run ${REFRESH_COMMAND}`).toBe(true);
    expect(RUNTIME_CJS).toBe(fresh);
    // The same input gives the same bytes.
    expect(await runtimeCode()).toBe(fresh);
  });

  it("loads as CommonJS with what validators and entries require, and requires nothing itself (its own format checks)", async () => {
    const dir = await scratch("runtime-text");
    const file = path.join(dir, "runtime.cjs");
    await writeFile(file, RUNTIME_CJS);
    const runtime = createRequire(path.join(ROOT, "package.json"))(file) as Record<string, unknown>;
    expect(Object.keys(runtime).sort()).toEqual(["EventValidationError", "__equal", "__formats", "__ucs2length", "createApi"]);
    expect(typeof Object.getOwnPropertyDescriptor(runtime, "__formats")?.get).toBe("function");
    expect(Object.keys(runtime.__formats as object)).toContain("date-time");
    expect(RUNTIME_CJS).not.toMatch(/\brequire\s*\(/);
    expect(RUNTIME_CJS.startsWith('"use strict";\n// Generated by domain-events. Do not edit.\n')).toBe(true);
  });
});
