/**
 * Every finding says what to do: each diagnostic that any producer emits — check and build over
 * every fixture tree, validate over the instance fixtures and over events that break each ajv
 * keyword, the release rules against a baseline — has a hint that is not its message again. A new
 * rule without a hint, or a keyword the hint builders do not know, fails here.
 */

import { readdir, readFile } from "node:fs/promises";
import path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { diffAgainst } from "../src/compat/release-diff.js";
import { closeTo, distance } from "../src/diagnostics/hints.js";
import type { Diagnostic } from "../src/diagnostics/index.js";
import { eventEntries } from "../src/generate/index.js";
import { type PublishedEvent, validateInstances } from "../src/instances/index.js";
import { build, check } from "../src/pipeline.js";
import { envelope, ROOT } from "./helpers.js";

const FIXTURES = "test/fixtures";

/** Asserts that every diagnostic teaches: a non-empty hint, different from its message. */
function expectHints(diagnostics: readonly Diagnostic[]): void {
  for (const d of diagnostics) {
    const where = `${d.code} at ${d.file}#${d.pointer}: ${d.message}`;
    expect(d.hint?.trim(), where).toBeTruthy();
    expect(d.hint?.trim(), where).not.toBe(d.message.trim());
  }
}

/** The fixture cases that hold an events tree. */
async function trees(): Promise<string[]> {
  const names = await readdir(path.join(ROOT, FIXTURES));
  const out: string[] = [];
  for (const name of names.sort()) {
    const inside = await readdir(path.join(ROOT, FIXTURES, name)).catch((): string[] => []);
    if (inside.includes("events")) out.push(name);
  }
  return out;
}

const cases = await trees();

describe("every diagnostic has a hint that says what to do", () => {
  it("finds the fixture trees", () => {
    expect(cases.length).toBeGreaterThan(30);
  });

  it.each(cases)("check and build over test/fixtures/%s", async (name) => {
    const eventsDir = `${FIXTURES}/${name}/events`;
    const checked = await check({ eventsDir, cwd: ROOT, cacheDir: false });
    expectHints(checked.diagnostics);
    if (checked.ok) expectHints((await build({ eventsDir, cwd: ROOT, cacheDir: false })).diagnostics);
  });

  describe("validate", () => {
    let entries: PublishedEvent[];
    beforeAll(async () => {
      const built = await build({ eventsDir: `${FIXTURES}/golden/events`, cwd: ROOT });
      entries = JSON.parse(built.files?.get("events.json") as string);
    });

    it("over the instance fixtures, with and without --type", async () => {
      const dir = path.join(ROOT, FIXTURES, "instances");
      const files = await Promise.all(
        (await readdir(dir)).sort().map(async (name) => ({
          file: `${FIXTURES}/instances/${name}`,
          text: await readFile(path.join(dir, name), "utf8"),
        })),
      );
      const own = validateInstances(files, entries);
      expect(new Set(own.diagnostics.map((d) => d.code))).toEqual(
        new Set(["EVENT_INVALID", "EVENT_UNKNOWN_TYPE", "EVENT_SYNTAX", "EVENT_DUPLICATE_KEY", "EVENT_DEPRECATED"]),
      );
      expectHints(own.diagnostics);
      expectHints(validateInstances(files, entries, { type: "billing.payment.payment-captured.v1" }).diagnostics);
    });

    it("over events that break each keyword, in schemas without descriptions to borrow", () => {
      const schema = {
        type: "object",
        additionalProperties: false,
        required: ["type", "data"],
        properties: {
          type: { const: "x.y.everything.v1" },
          data: {
            type: "object",
            additionalProperties: false,
            required: ["id"],
            dependentRequired: { start: ["end"] },
            minProperties: 3,
            properties: {
              id: { type: "string" },
              kind: { enum: ["a", "b"] },
              fixed: { const: 1 },
              when: { type: "string", format: "date-time" },
              code: { type: "string", pattern: "^[A-Z]{3}$" },
              short: { type: "string", minLength: 2, maxLength: 3 },
              count: { type: "integer", minimum: 0, exclusiveMaximum: 10, multipleOf: 2 },
              list: { type: "array", minItems: 2, maxItems: 3, uniqueItems: true, contains: { const: "x" } },
              tuple: { type: "array", prefixItems: [{ type: "string" }], items: false },
              either: { oneOf: [{ type: "string" }, { type: "string", minLength: 1 }] },
              any: { anyOf: [{ type: "string" }, { type: "integer" }] },
              never: false,
              notNull: { not: { type: "null" } },
              keys: { type: "object", propertyNames: { pattern: "^[a-z]+$" }, maxProperties: 1, additionalProperties: true },
              closed: { type: "object", additionalProperties: false },
              unevaluated: { type: "object", unevaluatedProperties: false, allOf: [{ properties: { a: true } }] },
              start: { type: "string" },
              end: { type: "string" },
            },
          },
        },
      };
      const entry: PublishedEvent = {
        type: "x.y.everything.v1",
        system: "x",
        topic: "y",
        event: "everything",
        version: 1,
        latest: true,
        deprecated: false,
        schema,
      };
      const data = {
        id: 7,
        kind: "c",
        fixed: 2,
        when: "yesterday",
        code: "eur",
        short: "abcdef",
        count: 11.5,
        list: ["a", "a", "b", "c"],
        tuple: ["a", "b"],
        either: "x",
        any: true,
        never: 1,
        notNull: null,
        keys: { Upper: 1, b: 2 },
        closed: { extra: 1 },
        unevaluated: { a: 1, b: 2 },
        start: "s",
        surprise: true,
      };
      const text = [
        JSON.stringify({ type: "x.y.everything.v1", data }),
        JSON.stringify({ type: "x.y.everything.v1", data: { short: "a", list: ["a"] } }),
        "[1]",
        '"x"',
      ]
        .map((line) => `${line}\n`)
        .join("");
      const result = validateInstances([{ file: "events.ndjson", text }], [entry]);
      const keywords = new Set(result.diagnostics.map((d) => /\[([a-zA-Z ]+)\]$/.exec(d.message)?.[1]));
      // The events above break every keyword they are meant to break (allErrors is on).
      for (const k of ["type", "enum", "const", "format", "pattern", "minLength", "maxLength", "exclusiveMaximum", "multipleOf"])
        expect(keywords, k).toContain(k);
      for (const k of ["minItems", "maxItems", "uniqueItems", "contains", "oneOf", "anyOf", "not", "false schema", "propertyNames"])
        expect(keywords, k).toContain(k);
      for (const k of ["maxProperties", "minProperties", "additionalProperties", "unevaluatedProperties", "dependentRequired", "required"])
        expect(keywords, k).toContain(k);
      expectHints(result.diagnostics);
    });

    it("over syntax errors of every kind, in JSON and NDJSON", () => {
      const valid = JSON.stringify(envelope("billing.payment.payment-captured.v1", {}));
      const broken = [
        "",
        "{",
        '{"a" 1}',
        '{"a": 1,}',
        "[1,]",
        "[1 2]",
        '{"a": "x',
        '{"a": 01}',
        '{"a": "\\q"}',
        "{} {}",
        "{/* c */}",
        "{'a': 1}",
      ];
      const deep = `${"[".repeat(300)}${"]".repeat(300)}`;
      const files = [...broken, deep].flatMap((text, i) => [
        { file: `broken-${i}.json`, text },
        { file: `broken-${i}.ndjson`, text: `${valid}\n${text}\n` },
      ]);
      const result = validateInstances(files, entries);
      expect(result.diagnostics.filter((d) => d.code === "EVENT_SYNTAX").length).toBeGreaterThanOrEqual(broken.length * 2);
      expectHints(result.diagnostics);
      // Each kind of syntax error has its own fix, not the catch-all sentence.
      const generic = result.diagnostics.filter((d) => d.code === "EVENT_SYNTAX" && d.hint?.startsWith("fix the JSON syntax"));
      expect(generic.map((d) => d.message)).toEqual([]);
    });
  });

  it("the release rules against a baseline: a changed, a removed and an allowed removal", async () => {
    const checked = await check({ eventsDir: `${FIXTURES}/golden/events`, cwd: ROOT });
    const released = eventEntries(checked.tree!, checked.bundle);
    const [changed, removed] = released;
    const current = released
      .filter((e) => e !== removed)
      .map((e) => (e === changed ? { ...e, schema: { ...e.schema, required: [...((e.schema.required as string[]) ?? []), "extra"] } } : e));
    const fileOf = (e: { type: string }) => `events/${e.type}.json`;
    for (const allowRemoval of [false, true]) {
      const diff = diffAgainst(released, current, { fileOf, allowRemoval });
      expect(new Set(diff.diagnostics.map((d) => d.code))).toEqual(new Set(["COMPAT_RELEASED_VERSION_CHANGED", "COMPAT_VERSION_REMOVED"]));
      expectHints(diff.diagnostics);
    }
  });
});

describe("one measure of a near name", () => {
  it("counts inserts, deletes, substitutions and a swap of neighbours as one edit each, bounded by max", () => {
    expect(distance("colour", "color", 2)).toBe(1);
    expect(distance("amount", "amuont", 2)).toBe(1);
    expect(distance("ab", "ba", 2)).toBe(1);
    expect(distance("invoice", "invoice", 2)).toBe(0);
    expect(distance("kitten", "sitting", 5)).toBe(3);
    expect(distance("kitten", "sitting", 2)).toBe(3);
    expect(distance("a", "abcdef", 2)).toBe(3);
  });

  it("closeTo is one edit or a change of case", () => {
    expect(closeTo("Amount", "amount")).toBe(true);
    expect(closeTo("amuont", "amount")).toBe(true);
    expect(closeTo("amnt", "amount")).toBe(false);
  });
});
