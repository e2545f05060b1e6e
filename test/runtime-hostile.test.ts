/**
 * The published runtime never throws for bad input, whatever the value does when touched: the five
 * entry points (`validate`, `isDomainEvent`, `parseEvent`, `validators[type]`, `isCleanupSignal`) are
 * run against the BUILT package in dist/ (CommonJS and ESM; npm test builds it first) with values
 * whose getters or proxy traps throw, and whose thrown values are hostile too: a Symbol, a revoked
 * proxy, a proxy whose every trap throws, an object whose `message` getter throws an object whose own
 * `message` getter throws, an object whose toString and Symbol.toPrimitive throw.
 * `validate` gives an error result (keyword "exception" when reading threw), `parseEvent` throws
 * only EventValidationError, the three guards say false. A table of such values, then a seeded
 * fast-check property that wraps parts of valid and random values at random depths.
 */

import { createRequire } from "node:module";
import path from "node:path";
import { pathToFileURL } from "node:url";
import fc from "fast-check";
import { beforeAll, describe, expect, it } from "vitest";
import { envelope, ROOT } from "./helpers.js";

type Result = { ok: true; event: unknown } | { ok: false; errors: { keyword: string; message: unknown }[] };
interface Root {
  validate(value: unknown): Result;
  isDomainEvent(value: unknown): boolean;
  parseEvent(value: unknown): unknown;
  validators: Record<string, (value: unknown) => Result>;
  EventValidationError: new (...args: never[]) => Error;
}
interface Cleanup {
  isCleanupSignal(value: unknown): boolean;
  belongsToClientAccount(value: unknown, id: string): boolean;
  SIGNAL_TYPE: string;
  OWNER_SOURCE: string;
}
interface Entry {
  name: string;
  root: Root;
  cleanup: Cleanup;
}

const SIGNAL_DATA = {
  clientAccountId: "a7e57acc-0001-4e3b-9c4d-000000000001",
  isTest: true,
  environment: "staging",
  deletedAt: "2024-05-02T06:45:12Z",
  requestedBy: "e2e-run-2024-05-02-0640",
  correlationId: "c0ffee00-1d2e-4f5a-8b9c-0d1e2f3a4b5c",
};

/** A valid cleanup signal, fresh each time: hostile parts are put into copies of it. */
function signal(): Record<string, unknown> {
  return envelope("clh.client-account.test-client-account-deleted.v2", { ...SIGNAL_DATA }, { source: "/systems/clh" });
}

const TRAPS = ["get", "has", "ownKeys", "getPrototypeOf", "getOwnPropertyDescriptor", "set", "defineProperty"] as const;

function revoked(): object {
  const r = Proxy.revocable({}, {});
  r.revoke();
  return r.proxy;
}

/** A proxy every trap of which throws what `thrown` makes. */
function allTrapsThrow(thrown: () => unknown, target: object = {}): object {
  const handler: ProxyHandler<object> = {};
  for (const trap of [...TRAPS, "apply", "construct", "deleteProperty", "isExtensible", "preventExtensions", "setPrototypeOf"] as const) {
    (handler as Record<string, unknown>)[trap] = () => {
      throw thrown();
    };
  }
  return new Proxy(target, handler);
}

/** An object whose `message` getter throws an object whose own `message` getter throws. */
function messageThrows(): object {
  return {
    get message() {
      throw {
        get message() {
          throw new Error("x");
        },
      };
    },
  };
}

/** What a hostile getter throws: each is itself hostile to whoever looks at it. */
const THROWN: Record<string, () => unknown> = {
  "an Error": () => new Error("trap"),
  "a RangeError": () => new RangeError("deep"),
  "an object whose message getter throws": messageThrows,
  "a Symbol": () => Symbol("s"),
  "an object whose toString and toPrimitive throw": () => ({
    message: {
      toString() {
        throw new Error("toString");
      },
    },
    toString() {
      throw new Error("toString");
    },
    [Symbol.toPrimitive]() {
      throw new Error("toPrimitive");
    },
  }),
  "a proxy whose traps throw": () => allTrapsThrow(messageThrows),
  "a revoked proxy": revoked,
  "a string": () => "boom",
  undefined: () => undefined,
  null: () => null,
};

/** `obj` with `key` replaced by a getter that throws on its `after + 1`-th read. */
function withGetter(obj: Record<string, unknown>, key: string, thrown: () => unknown, after = 0): Record<string, unknown> {
  // Taken without reading it: the part may be a getter made hostile already.
  const before = Object.getOwnPropertyDescriptor(obj, key);
  let reads = 0;
  Object.defineProperty(obj, key, {
    enumerable: true,
    configurable: true,
    get() {
      reads++;
      if (reads > after) throw thrown();
      return before?.get ? before.get.call(obj) : before?.value;
    },
  });
  return obj;
}

/** The table: name → a fresh hostile value. */
function hostileValues(): [string, () => unknown][] {
  const rows: [string, () => unknown][] = [
    ["a revoked proxy", revoked],
    ["a proxy whose every trap throws", () => allTrapsThrow(messageThrows, signal())],
    ["a valid signal whose data is a revoked proxy", () => ({ ...signal(), data: revoked() })],
  ];
  for (const [name, thrown] of Object.entries(THROWN)) {
    rows.push([`a type getter throwing ${name}`, () => withGetter({ type: "x" }, "type", thrown)]);
    rows.push([`a signal whose type getter throws ${name}`, () => withGetter(signal(), "type", thrown)]);
    rows.push([`a signal whose data getter throws ${name}`, () => withGetter(signal(), "data", thrown)]);
    rows.push([
      `a signal whose data.requestedBy getter throws ${name}`,
      () => ({ ...signal(), data: withGetter({ ...SIGNAL_DATA }, "requestedBy", thrown) }),
    ]);
    // The guard reads `source` and `data.isTest` again after validating: throwing on a later read
    // than the validator's must not escape either.
    for (const after of [1, 2, 3]) {
      rows.push([`a signal whose source getter throws ${name} after ${after} reads`, () => withGetter(signal(), "source", thrown, after)]);
      rows.push([
        `a signal whose data.isTest getter throws ${name} after ${after} reads`,
        () => ({ ...signal(), data: withGetter({ ...SIGNAL_DATA }, "isTest", thrown, after) }),
      ]);
    }
    for (const trap of TRAPS) {
      rows.push([
        `a signal in a proxy whose ${trap} trap throws ${name}`,
        () =>
          new Proxy(signal(), {
            [trap]() {
              throw thrown();
            },
          }),
      ]);
    }
  }
  return rows;
}

/**
 * Runs one value through the five entry points of an entry and asserts the promise: an error result
 * or a valid one, never a throw; parseEvent throws only EventValidationError.
 */
function assertNeverThrows(entry: Entry, make: () => unknown): void {
  const { root, cleanup } = entry;
  const results: Result[] = [];
  results.push(root.validate(make()));
  results.push(root.validators[cleanup.SIGNAL_TYPE]?.(make()) as Result);
  for (const r of results) {
    expect(typeof r.ok).toBe("boolean");
    if (!r.ok) {
      expect(r.errors.length).toBeGreaterThan(0);
      for (const e of r.errors) expect(typeof e.message).toBe("string");
    }
  }
  expect(typeof root.isDomainEvent(make())).toBe("boolean");
  try {
    root.parseEvent(make());
  } catch (e) {
    expect(e).toBeInstanceOf(root.EventValidationError);
  }
  expect(typeof cleanup.isCleanupSignal(make())).toBe("boolean");
  expect(typeof cleanup.belongsToClientAccount(make(), "ca-1")).toBe("boolean");
}

const entries: Entry[] = [];

beforeAll(async () => {
  const require = createRequire(import.meta.url);
  entries.push({
    name: "CommonJS",
    root: require(path.join(ROOT, "dist/index.cjs")) as Root,
    cleanup: require(path.join(ROOT, "dist/cleanup.cjs")) as Cleanup,
  });
  entries.push({
    name: "ESM",
    root: (await import(pathToFileURL(path.join(ROOT, "dist/index.js")).href)) as Root,
    cleanup: (await import(pathToFileURL(path.join(ROOT, "dist/cleanup.js")).href)) as Cleanup,
  });
});

describe("the built runtime never throws for hostile values", () => {
  it("the valid signal is valid, so the hostile parts below are reached", () => {
    for (const { root, cleanup } of entries) {
      expect(root.validate(signal()).ok).toBe(true);
      expect(cleanup.isCleanupSignal(signal())).toBe(true);
    }
  });

  it("the attack: a type getter throwing an object whose message getter throws gives an exception result", () => {
    for (const { root } of entries) {
      const r = root.validate(withGetter({ type: "x" }, "type", messageThrows));
      expect(r).toEqual({
        ok: false,
        errors: [{ pointer: "", keyword: "exception", message: "could not be read (reading it threw)", params: {}, schemaPath: "#" }],
      });
      expect(() => root.parseEvent(withGetter({ type: "x" }, "type", messageThrows))).toThrow(root.EventValidationError);
    }
  });

  it("a thrown Error still gives its message, and a RangeError says the value is nested too deeply", () => {
    for (const { root } of entries) {
      const r = root.validate(withGetter(signal(), "data", () => new Error("trap")));
      expect(r.ok ? [] : r.errors.map((e) => [e.keyword, e.message])).toEqual([["exception", "could not be read (trap)"]]);
      const deep = root.validate(withGetter(signal(), "data", () => new RangeError("x")));
      expect(deep.ok ? [] : deep.errors.map((e) => e.message)).toEqual(["is nested too deeply to validate"]);
    }
  });

  for (const [name, make] of hostileValues()) {
    it(name, () => {
      for (const entry of entries) assertNeverThrows(entry, make);
    });
  }
});

/** How to make one part of a value hostile. */
type Wrap = { path: number[]; kind: string; thrown: string; after: number };

const KINDS = ["getter", ...TRAPS.map((t) => `proxy:${t}`), "revoked"];

/**
 * Replaces the part of `value` that `path` leads to (each number picks a key, modulo their count;
 * the walk stops early at a leaf or at a part made hostile already) with a hostile one.
 */
function applyWrap(value: unknown, wrap: Wrap, hostile: WeakSet<object>): unknown {
  const thrown = THROWN[wrap.thrown] as () => unknown;
  const make = (part: unknown): unknown => {
    if (wrap.kind === "revoked") return revoked();
    if (wrap.kind.startsWith("proxy:")) {
      const target = typeof part === "object" && part !== null ? part : {};
      return new Proxy(target, {
        [wrap.kind.slice(6)]() {
          throw thrown();
        },
      });
    }
    return part;
  };
  const isPlain = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !hostile.has(v);
  if (!isPlain(value) || wrap.path.length === 0) {
    const box = isPlain(value) ? value : { type: value };
    if (wrap.kind === "getter") return withGetter(box, Object.keys(box)[0] ?? "type", thrown, wrap.after);
    const made = make(value) as object;
    hostile.add(made);
    return made;
  }
  let parent = value;
  for (let i = 0; i < wrap.path.length; i++) {
    const keys = Object.keys(parent);
    if (keys.length === 0) break;
    const key = keys[(wrap.path[i] as number) % keys.length] as string;
    // Read without calling a getter: a part made hostile already is a leaf of the walk.
    const child = Object.getOwnPropertyDescriptor(parent, key)?.value;
    if (i < wrap.path.length - 1 && isPlain(child) && Object.keys(child).length > 0) {
      parent = child;
      continue;
    }
    if (wrap.kind === "getter") {
      withGetter(parent, key, thrown, wrap.after);
    } else {
      const made = make(child) as object;
      hostile.add(made);
      Object.defineProperty(parent, key, { value: made, enumerable: true, writable: true, configurable: true });
    }
    break;
  }
  return value;
}

describe("random hostile values (fast-check, fixed seed)", () => {
  const wrapArb = fc.record({
    path: fc.array(fc.nat(20), { maxLength: 5 }),
    kind: fc.constantFrom(...KINDS),
    thrown: fc.constantFrom(...Object.keys(THROWN)),
    after: fc.nat(3),
  });
  const baseArb = fc.oneof(
    fc.constant(null).map(() => signal()),
    fc.jsonValue().map((data) => envelope("clh.client-account.test-client-account-deleted.v2", data)),
    fc.jsonValue(),
  );

  it("wrapping parts at random depths never makes an entry point throw", () => {
    fc.assert(
      fc.property(baseArb, fc.array(wrapArb, { minLength: 1, maxLength: 3 }), (base, wraps) => {
        // A fresh value for each call: getters count their reads.
        const make = (): unknown => {
          const hostile = new WeakSet<object>();
          let value: unknown = structuredClone(base);
          for (const wrap of wraps) value = applyWrap(value, wrap, hostile);
          return value;
        };
        for (const entry of entries) assertNeverThrows(entry, make);
      }),
      { seed: 14, numRuns: 400 },
    );
  });
});
