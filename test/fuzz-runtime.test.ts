/**
 * The fuzzing harness over the runtime (issue 14, part 11): random values through the built
 * package's validate, parseEvent, isDomainEvent, validators[type], isCleanupSignal and
 * verifyCleanupSignal (dist/, as a
 * consumer loads it). None of them may throw for bad input, whatever the value does when touched;
 * parseEvent throws only its EventValidationError. Values: fc.anything, envelopes of real events
 * with random data, and hostile objects: getters that throw (an Error, a string, a Symbol, a
 * revoked proxy, an object whose own `message` getter throws), proxies whose every trap throws,
 * prototype keys, values deeper than the stack, huge strings, sparse arrays, getters that answer
 * differently each time.
 *
 * The seed is fixed; FUZZ_RUNS and FUZZ_SEED scale and vary it as for test/fuzz.test.ts.
 */

import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import fc from "fast-check";
import { beforeAll, describe, expect, it } from "vitest";
import { envelope, ROOT } from "./helpers.js";
import { examplesOf, type Runtime } from "./support/fuzz.js";

const RUNS = Number(process.env.FUZZ_RUNS ?? 80) * 5;
const SEED = Number(process.env.FUZZ_SEED ?? 20260514);
/** The time-out grows with the runs (a long CI run must not hit vitest's default). */
const TIMEOUT = Math.max(120_000, RUNS * 200);

/** What is thrown from inside a hostile value: each of them breaks a naive `String(e)` or `e.message`. */
function thrown(kind: number): unknown {
  switch (kind % 8) {
    case 0:
      return new Error("trap");
    case 1:
      return "trap";
    case 2:
      return Symbol("trap");
    case 3: {
      const { proxy, revoke } = Proxy.revocable({}, {});
      revoke();
      return proxy;
    }
    case 4:
      return Object.defineProperty({}, "message", {
        get() {
          throw Object.defineProperty({}, "message", {
            get() {
              throw new Error("deeper");
            },
          });
        },
      });
    case 5:
      return new Proxy(
        {},
        {
          get() {
            throw new Error("trap");
          },
          getPrototypeOf() {
            throw new Error("trap");
          },
        },
      );
    case 6:
      return undefined;
    default:
      return {
        toString() {
          throw new Error("trap");
        },
        valueOf() {
          throw new Error("trap");
        },
      };
  }
}

/** A proxy over `target` whose every trap throws `thrown(kind)`. */
function trapAll(target: object, kind: number): object {
  const trap = () => {
    throw thrown(kind);
  };
  return new Proxy(target, {
    get: trap,
    has: trap,
    ownKeys: trap,
    getOwnPropertyDescriptor: trap,
    getPrototypeOf: trap,
    defineProperty: trap,
    set: trap,
    deleteProperty: trap,
    isExtensible: trap,
    preventExtensions: trap,
  });
}

/** Walks to the `n`-th object or array of `value` (modulo their count): where a hostile part is put. */
function nthContainer(value: unknown, n: number): Record<string, unknown> | undefined {
  const all: Record<string, unknown>[] = [];
  // Shallow, and blind to what throws: an earlier poison may have made part of the value hostile.
  const walk = (v: unknown, depth: number) => {
    // Only what cloneish copies: a poison must never outlive the call it was made for.
    if (!isPlain(v) || depth > 8) return;
    all.push(v as Record<string, unknown>);
    try {
      for (const c of Object.values(v)) walk(c, depth + 1);
    } catch {
      // A getter or a trap threw: look no further down this branch.
    }
  };
  walk(value, 0);
  return all.length > 0 ? all[n % all.length] : undefined;
}

/** Ways to make part of a value hostile. */
type Poison = { at: number; key: string; how: number; kind: number };

function poison(value: unknown, p: Poison): unknown {
  try {
    return poisonPart(value, p);
  } catch {
    // A key the target does not let change (an array's length): this poison does nothing.
    return value;
  }
}

function poisonPart(value: unknown, p: Poison): unknown {
  const target = nthContainer(value, p.at);
  if (!target) return p.how % 2 === 0 ? trapAll({}, p.kind) : value;
  const keys = Object.keys(target);
  const key = p.key === "" && keys.length > 0 ? (keys[p.at % keys.length] as string) : p.key;
  const original = target[key];
  switch (p.how % 6) {
    case 0:
      Object.defineProperty(target, key, {
        enumerable: true,
        configurable: true,
        get() {
          throw thrown(p.kind);
        },
      });
      return value;
    case 1:
      target[key] = trapAll(typeof original === "object" && original !== null ? original : {}, p.kind);
      return value;
    case 2: {
      // Valid when first read, something else after: validators must not trust two reads to agree.
      let reads = 0;
      Object.defineProperty(target, key, {
        enumerable: true,
        configurable: true,
        get() {
          reads++;
          if (reads > 1) throw thrown(p.kind);
          return original;
        },
      });
      return value;
    }
    case 3: {
      let v: unknown = {};
      for (let i = 0; i < 20_000; i++) v = { [key]: [v] };
      target[key] = v;
      return value;
    }
    case 4:
      Object.defineProperty(target, key, { value: "x".repeat(200_000), enumerable: true, configurable: true, writable: true });
      return value;
    default: {
      const sparse: unknown[] = [];
      sparse.length = 100_000;
      target[key] = sparse;
      return value;
    }
  }
}

const poisonArb: fc.Arbitrary<Poison> = fc.record({
  at: fc.nat(1_000),
  key: fc.constantFrom("", "type", "data", "source", "id", "specversion", "__proto__", "constructor", "toString", "then", "length"),
  how: fc.nat(5),
  kind: fc.nat(7),
});

describe("fuzzing: random values through the built runtime", () => {
  let mod: Runtime;
  let isCleanupSignal: (value: unknown) => boolean;
  let verifyCleanupSignal: (value: unknown, options: { environment: string }) => unknown;
  let examples: [string, unknown][];

  beforeAll(async () => {
    if (!existsSync(path.join(ROOT, "dist/index.cjs")) || !existsSync(path.join(ROOT, "dist/cleanup.cjs"))) {
      // Others may be building at the same time: dist/ is written under the shared lock only.
      const r = spawnSync("flock", ["/tmp/de-build.lock", "npm", "run", "build"], { cwd: ROOT, encoding: "utf8" });
      if (r.status !== 0) throw new Error(`npm run build failed:\n${r.stdout}${r.stderr}`);
    }
    const require = createRequire(path.join(ROOT, "dist/index.cjs"));
    mod = require("./index.cjs") as Runtime;
    ({ isCleanupSignal, verifyCleanupSignal } = require("./cleanup.cjs") as {
      isCleanupSignal: typeof isCleanupSignal;
      verifyCleanupSignal: typeof verifyCleanupSignal;
    });
    examples = [];
    for (const { type } of mod.events) for (const x of await examplesOf(path.join(ROOT, "events"), type)) examples.push([type, x]);
    expect(examples.length).toBeGreaterThan(10);
  });

  function isEventValidationError(e: unknown): boolean {
    try {
      return e instanceof mod.EventValidationError;
    } catch {
      return false;
    }
  }

  /** Calls every entry point on `value` and returns what went wrong (empty: nothing). */
  function judge(value: () => unknown): string[] {
    const problems: string[] = [];
    const call = (name: string, f: (v: unknown) => unknown, check: (r: unknown) => boolean) => {
      const v = value();
      try {
        const r = f(v);
        if (!check(r)) problems.push(`${name} returned ${typeof r}`);
      } catch (e) {
        problems.push(`${name} threw ${describeThrown(e)}`);
      }
    };
    const isResult = (r: unknown) => typeof r === "object" && r !== null && typeof (r as { ok: unknown }).ok === "boolean";
    call("validate", mod.validate, isResult);
    call("isDomainEvent", mod.isDomainEvent, (r) => typeof r === "boolean");
    call("isCleanupSignal", isCleanupSignal, (r) => typeof r === "boolean");
    call("verifyCleanupSignal", (v: unknown) => verifyCleanupSignal(v, { environment: "staging" }), isResult);
    for (const type of [mod.events[0]?.type, "clh.client-account.test-client-account-deleted.v2"]) {
      const validator = type === undefined ? undefined : mod.validators[type];
      if (validator) call(`validators[${type}]`, validator, isResult);
    }
    const v = value();
    try {
      mod.parseEvent(v);
    } catch (e) {
      if (!isEventValidationError(e)) problems.push(`parseEvent threw ${describeThrown(e)}, not an EventValidationError`);
    }
    if (({} as Record<string, unknown>).polluted !== undefined) problems.push("Object.prototype was polluted");
    return problems;
  }

  it(
    "validate, isDomainEvent, validators[type], isCleanupSignal never throw; parseEvent throws only EventValidationError",
    () => {
      const base = fc.oneof(
        fc.anything({
          withBigInt: true,
          withDate: true,
          withMap: true,
          withSet: true,
          withNullPrototype: true,
          withSparseArray: true,
          withBoxedValues: true,
        }),
        fc.constantFrom(...examples).map(([type, data]) => envelope(type, structuredClone(data))),
        fc.tuple(fc.constantFrom(...examples), fc.jsonValue({ maxDepth: 3 })).map(([[type], data]) => envelope(type, data)),
        fc
          .constantFrom(...examples)
          .map(([type, data]) => JSON.parse(`{"__proto__":{"polluted":1},${JSON.stringify(envelope(type, data)).slice(1)}`)),
      );
      fc.assert(
        fc.property(base, fc.array(poisonArb, { maxLength: 2 }), (seed, poisons) => {
          // A fresh value for every call: getters that count reads, and the poisons, act anew each time.
          const value = () => poisons.reduce((v, p) => poison(v, p), cloneish(seed));
          const problems = judge(value);
          expect(problems, `value ${fc.stringify(seed)} with ${JSON.stringify(poisons)}`).toEqual([]);
        }),
        { numRuns: RUNS, seed: SEED },
      );
    },
    TIMEOUT,
  );
});

/** A copy of a value good enough to poison afresh: plain objects and arrays are copied, anything else kept. */
function cloneish(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(cloneish);
  if (isPlain(value)) {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value))
      Object.defineProperty(out, k, { value: cloneish(v), enumerable: true, writable: true, configurable: true });
    return out;
  }
  return value;
}

/** A plain object or an array: what cloneish copies and poison may change. */
function isPlain(value: unknown): value is Record<string, unknown> {
  try {
    if (Array.isArray(value)) return true;
    return typeof value === "object" && value !== null && Object.getPrototypeOf(value) === Object.prototype;
  } catch {
    // A proxy made by an earlier poison: not plain.
    return false;
  }
}

/** Says what was thrown without touching it in a way that could throw again. */
function describeThrown(e: unknown): string {
  try {
    return e instanceof Error ? `${e.name}: ${e.message}` : `a ${typeof e}`;
  } catch {
    return "something that throws when looked at";
  }
}
