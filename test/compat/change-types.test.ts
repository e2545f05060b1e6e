/**
 * CHANGE_TYPES and the policies: every type the diff emits — over all our fixtures, both ways, both
 * policies, and over the peers' suites when their data is present — has a sentence, and every
 * sentence belongs to a type some fixture emits. Sentences are checked for shape, never wording.
 */

import { readdirSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import {
  CHANGE_TYPES,
  COMPATIBLE_LENIENT,
  COMPATIBLE_STRICT,
  type CompatOptions,
  diff,
  type Policy,
} from "../../src/compat/engine/index.js";
import { peerDir, readLenientJson } from "../../test-peers/peers.js";
import { TABLES } from "./cases.js";

/** Types no schema pair can produce, and why. */
const UNREACHABLE: Record<string, string> = {
  MIN_CONTAINS_ADDED: "wherever `contains` is, minContains has a value (its default is 1)",
  MIN_CONTAINS_REMOVED: "wherever `contains` is, minContains has a value (its default is 1)",
};

/** Confluent names in its policy sets that it never reports any more. */
const DEPRECATED = new Set(["PROPERTY_ADDED_TO_OPEN_CONTENT_MODEL"]);

type Pair = { previous: unknown; current: unknown; options?: CompatOptions };

function fixtures(): Pair[] {
  return Object.values(TABLES).flatMap((table) => table.map(([, c]) => c));
}

/** The peers' schema pairs, when their data is present. */
function peerPairs(): Pair[] {
  const pairs: Pair[] = [];
  const confluent = peerDir("confluent");
  if ("dir" in confluent) {
    for (const name of readdirSync(confluent.dir).filter((f) => f.endsWith(".json"))) {
      const dialect = name.includes("2020-12") ? "2020-12" : "draft-07";
      for (const c of readLenientJson(path.join(confluent.dir, name)) as { original_schema: unknown; update_schema: unknown }[]) {
        pairs.push({ previous: c.original_schema, current: c.update_schema, options: { dialect } });
      }
    }
  }
  const apicurio = peerDir("apicurio");
  if ("dir" in apicurio) {
    const { tests } = readLenientJson(path.join(apicurio.dir, "compatibility-test-data.json")) as {
      tests: { original: unknown; updated: unknown }[];
    };
    for (const t of tests) pairs.push({ previous: t.original, current: t.updated, options: { dialect: "draft-07" } });
  }
  return pairs;
}

function emitted(pairs: readonly Pair[]): Set<string> {
  const types = new Set<string>();
  for (const { previous, current, options } of pairs) {
    for (const policy of ["strict", "lenient"] as Policy[]) {
      for (const change of [...diff(previous, current, { ...options, policy }), ...diff(current, previous, { ...options, policy })]) {
        types.add(change.type);
      }
    }
  }
  return types;
}

describe("CHANGE_TYPES", () => {
  it("has a sentence for every type emitted over our fixtures and the peers' suites", () => {
    for (const type of emitted([...fixtures(), ...peerPairs()])) expect(CHANGE_TYPES[type]?.sentence, type).toBeTruthy();
  });

  it("has no sentence for a type that no fixture emits (except the unreachable ones)", () => {
    const seen = emitted(fixtures());
    const unused = Object.keys(CHANGE_TYPES).filter((t) => !seen.has(t) && !(t in UNREACHABLE));
    expect(unused).toEqual([]);
  });

  it("holds one sentence per type, in upper snake case", () => {
    for (const [type, { sentence }] of Object.entries(CHANGE_TYPES)) {
      expect(type).toMatch(/^[A-Z]+(_[A-Z]+)*$/);
      expect(sentence, type).toMatch(/^[A-Z].*\.$/);
      expect(sentence, type).not.toMatch(/\. [A-Z]/);
    }
  });
});

describe("policies", () => {
  it("LENIENT accepts everything STRICT accepts, and more", () => {
    for (const type of COMPATIBLE_STRICT) expect(COMPATIBLE_LENIENT.has(type), type).toBe(true);
    expect(COMPATIBLE_LENIENT.size).toBeGreaterThan(COMPATIBLE_STRICT.size);
  });

  it("are Confluent's sets (65 and 74 types) plus our FORMAT_REMOVED", () => {
    expect(COMPATIBLE_STRICT.size).toBe(65 + 1);
    expect(COMPATIBLE_LENIENT.size).toBe(74 + 1);
    expect(COMPATIBLE_STRICT.has("FORMAT_REMOVED")).toBe(true);
  });

  it("name only types we describe (or Confluent's deprecated ones)", () => {
    for (const type of COMPATIBLE_LENIENT) expect(type in CHANGE_TYPES || DEPRECATED.has(type), type).toBe(true);
  });
});
