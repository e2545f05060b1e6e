/**
 * The whole-tree reference rules (SCHEMA_REF_CYCLE, SCHEMA_REF_DEPTH) work from per-file reference
 * summaries kept in a Store by content (src/stages/validate/summaries.ts, src/schema/ref-summary.ts),
 * so that after an edit only the edited file is walked. These tests prove the findings are exactly
 * the same (codes, places, positions, order, wording) with a store and without one, cold and warm,
 * over random trees with cross-file cycles, deep chains, missing references, references into data
 * and to boolean schemas; and after random single-file edits with the warm store, when only the
 * edited file's summary is worked out again. The graph rules themselves are checked against the
 * walk-every-file implementation they replace (test/support/ref-cycles-before.ts) on the same trees,
 * at small depth limits so that the depth rule reports often.
 */

import { createHash } from "node:crypto";
import { describe, expect, it } from "vitest";
import { mulberry32 } from "../scripts/bench/corpus.js";
import type { Diagnostic } from "../src/diagnostics/index.js";
import type { Shape, Store } from "../src/model/store.js";
import type { ParsedFile, SourceFile } from "../src/model/tree.js";
import { dialectOfSchema } from "../src/schema/dialects.js";
import { LIMITS } from "../src/schema/limits.js";
import { findDeepSchemas, findRefCycles } from "../src/schema/ref-cycles.js";
import { classify } from "../src/stages/discover.js";
import { parse } from "../src/stages/parse.js";
import { referencedFiles, type SchemaFacts, type ValidateMemo, validate } from "../src/stages/validate/index.js";
import { loadRefSummaries } from "../src/stages/validate/summaries.js";
import { versions } from "../src/stages/versions.js";
import * as before from "./support/ref-cycles-before.js";

type Tree = Map<string, string>;
type Rand = () => number;

const pick = <T>(rand: Rand, list: readonly T[]): T => list[Math.floor(rand() * list.length)] as T;

/**
 * An in-memory Store that keeps values as JSON text, as the build cache's pack does, and counts what
 * it is asked of the summaries themselves (not of their hashes, nor of the tree's clean verdict).
 */
function memoryStore(): Store & { sets: number; hits: number; written: unknown[][] } {
  const entries = new Map<string, string>();
  const store = {
    sets: 0,
    hits: 0,
    written: [] as unknown[][],
    get<T>(parts: readonly unknown[], shape: Shape<T>): T | undefined {
      const text = entries.get(JSON.stringify(parts));
      if (text === undefined) return undefined;
      const value: unknown = JSON.parse(text);
      if (!shape(value)) return undefined;
      if (parts[0] === "ref-summary") store.hits++;
      return value;
    },
    set(parts: readonly unknown[], value: unknown): void {
      if (parts[0] === "ref-summary") {
        store.sets++;
        store.written.push([...parts]);
      }
      entries.set(JSON.stringify(parts), JSON.stringify(value));
    },
  };
  return store;
}

const sha = (text: string) => createHash("sha256").update(text).digest("hex");

/**
 * The schema stage's per-file memo as compile/memo.ts keeps it (by path and bytes, valid while the
 * files referred to keep theirs), in memory: a warm run skips the per-file rules of clean files.
 */
function memoryValidateMemo(): { over(tree: Tree): ValidateMemo; checked: Set<string> } {
  const clean = new Map<string, { refs: [string, string | null][]; facts: SchemaFacts }>();
  const checked = new Set<string>();
  return {
    checked,
    over(tree) {
      checked.clear();
      const hashOf = (rel: string) => {
        const text = tree.get(rel);
        return text === undefined ? null : sha(text);
      };
      const key = (f: ParsedFile) => `${f.rel}\0${hashOf(f.rel)}`;
      return {
        clean: (f) => {
          const entry = clean.get(key(f));
          const known = entry?.refs.every(([rel, hash]) => hashOf(rel) === hash) ? entry.facts : undefined;
          if (!known) checked.add(f.rel);
          return known;
        },
        markClean: (f, facts) => {
          clean.set(key(f), {
            refs: referencedFiles(f).map((rel) => [rel, hashOf(rel)]),
            facts,
          });
        },
      };
    },
  };
}

/** The tree's files as discover would give them (every path names a schema, shared file or system.json). */
function sources(tree: Tree): SourceFile[] {
  const encoder = new TextEncoder();
  return [...tree]
    .sort(([a], [b]) => (a < b ? -1 : 1))
    .map(([rel, text]) => ({ file: `events/${rel}`, rel, bytes: encoder.encode(text), kind: classify(rel) as SourceFile["kind"] }));
}

/** Runs parse, validate and versions over the tree, parsing afresh (nothing is remembered of earlier parsed files). */
function check(tree: Tree, memo?: ValidateMemo, store?: Store): { diagnostics: Diagnostic[]; schemas: string[]; events: string[] } {
  const found = sources(tree);
  const parsed = parse(found);
  const validated = validate(
    parsed.value,
    found.map((f) => f.rel),
    memo,
    undefined,
    store,
  );
  const versioned = versions(found, validated.value.schemas);
  return {
    diagnostics: [...parsed.diagnostics, ...validated.diagnostics, ...versioned.diagnostics],
    schemas: [...validated.value.schemas.keys()],
    events: versioned.value.map((e) => e.type),
  };
}

// ---------------------------------------------------------------------------------------------
// Random trees: shared files whose definitions refer to one another (in place, through the data,
// across files, to what is missing), and events that refer to them.

const SHARED = (i: number) => `_shared/s${i}.json`;

interface Shapes {
  shared: number;
  defs: number;
}

/** A reference written in a shared file `self` (or an event, `fromEvent`), to something of the tree or not. */
function randomRef(rand: Rand, n: Shapes, self: number | undefined): string {
  const prefix = self === undefined ? "../../_shared/" : "";
  const d = () => `#/$defs/d${Math.floor(rand() * n.defs)}`;
  const other = () => `${prefix}s${Math.floor(rand() * n.shared)}.json`;
  const choices: (() => string)[] = [
    () => `${other()}${d()}`,
    () => `${other()}${d()}`,
    () => other(),
    () => (self === undefined ? `${other()}${d()}` : d()),
    () => (self === undefined ? `${other()}${d()}` : d()),
    () => (self === undefined ? "#" : `s${self}.json${d()}`),
    () => "#",
    () => `${other()}#/$defs/flag`,
    () => `${prefix}missing.json`,
    () => `${other()}#/$defs/nope`,
    () => `${other()}#/examples/0`,
    () => `${other()}#/examples/0/allOf/0`,
    () => "https://example.com/remote.json",
    () => "../../shop/orders/order-placed.json#/properties/a",
  ];
  return pick(rand, choices)();
}

/** A random subschema of at most `depth` levels, its references made by `ref`. */
function randomSchema(rand: Rand, depth: number, ref: () => string): Record<string, unknown> {
  const child = () => randomSchema(rand, depth - 1, ref);
  const kinds: (() => Record<string, unknown>)[] = [
    () => ({ type: "string" }),
    () => ({ $ref: ref() }),
    () => ({ $ref: ref() }),
    () => ({ allOf: [child(), child()] }),
    () => ({ anyOf: [child(), { type: "integer" }] }),
    () => ({ oneOf: [child()] }),
    () => ({ not: child() }),
    // biome-ignore lint/suspicious/noThenProperty: "then" is a JSON Schema keyword
    () => ({ if: child(), then: child(), else: child() }),
    () => ({ type: "object", additionalProperties: false, properties: { p: child(), q: child() } }),
    () => ({ type: "array", items: child() }),
    () => ({ $ref: ref(), description: "with a sibling" }),
  ];
  if (depth <= 0) return rand() < 0.5 ? { type: "string" } : { $ref: ref() };
  return pick(rand, kinds)();
}

/** A shared file: definitions d0 … d<n-1>, a boolean `flag`, and a root that is one of them or its own. */
function randomShared(rand: Rand, n: Shapes, i: number): string {
  const ref = () => randomRef(rand, n, i);
  const $defs: Record<string, unknown> = { flag: true };
  for (let d = 0; d < n.defs; d++) $defs[`d${d}`] = randomSchema(rand, 2, ref);
  const root = rand() < 0.3 ? { $ref: `#/$defs/d${Math.floor(rand() * n.defs)}` } : randomSchema(rand, 1, ref);
  // Data that looks like schemas: a reference into it leads where the walk does not go.
  const examples =
    rand() < 0.5 ? { examples: [{ allOf: [{ $ref: ref() }, { not: { $ref: ref() } }], properties: { x: { $ref: ref() } } }] } : {};
  return `${JSON.stringify({ ...root, ...examples, $defs }, null, 2)}\n`;
}

/** An event file whose two properties are random subschemas referring into the shared files. */
function randomEvent(rand: Rand, n: Shapes): string {
  const ref = () => randomRef(rand, n, undefined);
  const schema = {
    title: "Order placed",
    description: "Emitted by a test.",
    type: "object",
    additionalProperties: false,
    properties: { a: randomSchema(rand, 2, ref), b: { $ref: ref() } },
  };
  return `${JSON.stringify(schema, null, 2)}\n`;
}

function randomTree(seed: number): { tree: Tree; shapes: Shapes } {
  const rand = mulberry32(seed);
  const shapes = { shared: 3 + Math.floor(rand() * 6), defs: 2 + Math.floor(rand() * 4) };
  const tree: Tree = new Map();
  for (let i = 0; i < shapes.shared; i++) tree.set(SHARED(i), randomShared(rand, shapes, i));
  tree.set("shop/orders/order-placed.json", randomEvent(rand, shapes));
  tree.set("shop/orders/order-placed.v2.json", randomEvent(rand, shapes));
  tree.set("shop/orders/order-shipped.json", randomEvent(rand, shapes));
  return { tree, shapes };
}

/** One random edit of one file: a new content, a comment, a broken file, a file removed or added. */
function randomEdit(rand: Rand, tree: Tree, shapes: Shapes): Tree {
  const next = new Map(tree);
  const rel = pick(rand, [...tree.keys()]);
  const i = Number(/s(\d+)\.json$/.exec(rel)?.[1] ?? -1);
  const fresh = () => (i >= 0 ? randomShared(rand, shapes, i) : randomEvent(rand, shapes));
  const edits: (() => void)[] = [
    () => next.set(rel, fresh()),
    () => next.set(rel, fresh()),
    () => next.set(rel, fresh()),
    () => next.set(rel, (tree.get(rel) as string).replace(/^\{/, '{ "$comment": "Edited.",')),
    () => next.set(rel, "{ broken"),
    () => next.delete(rel),
    () => next.set(SHARED(shapes.shared), randomShared(rand, { ...shapes, shared: shapes.shared + 1 }, shapes.shared)),
  ];
  pick(rand, edits)();
  return next;
}

/** A chain of shared files longer than the depth limit, and a cycle of them through allOf. */
function deepTree(): Tree {
  const tree: Tree = new Map();
  const n = LIMITS.schemaDepth + 4;
  for (let i = 0; i < n; i++) tree.set(`_shared/chain/a${i}.json`, `${JSON.stringify({ $ref: `a${i + 1}.json` })}\n`);
  tree.set(`_shared/chain/a${n}.json`, '{ "type": "string" }\n');
  tree.set("_shared/loop/x.json", `${JSON.stringify({ allOf: [{ $ref: "y.json" }] })}\n`);
  tree.set("_shared/loop/y.json", `${JSON.stringify({ anyOf: [{ $ref: "x.json#" }, { type: "string" }] })}\n`);
  const event = {
    title: "Deep",
    description: "Emitted by a test.",
    type: "object",
    additionalProperties: false,
    properties: { v: { $ref: "../../_shared/chain/a0.json" }, w: { $ref: "../../_shared/chain/a60.json" } },
  };
  tree.set("shop/deep/deep-happened.json", `${JSON.stringify(event)}\n`);
  return tree;
}

// ---------------------------------------------------------------------------------------------

describe("the whole-tree reference rules from per-file summaries", () => {
  it("give exactly the findings of a run without a store, cold, warm and after random single-file edits", () => {
    let withFindings = 0;
    for (let seed = 1; seed <= 40; seed++) {
      const rand = mulberry32(seed * 7919);
      let { tree, shapes } = randomTree(seed);
      const store = memoryStore();
      const memo = memoryValidateMemo();
      const cold = check(tree, memo.over(tree), store);
      const plain = check(tree);
      expect(cold, `seed ${seed}, cold`).toEqual(plain);
      const warm = check(tree, memo.over(tree), store);
      expect(warm, `seed ${seed}, warm`).toEqual(plain);
      for (let edit = 0; edit < 8; edit++) {
        const next = randomEdit(rand, tree, shapes);
        if (next.size > tree.size) shapes = { ...shapes, shared: shapes.shared + 1 };
        tree = next;
        const sets = store.written.length;
        const after = check(tree, memo.over(tree), store);
        const fresh = check(tree);
        expect(after, `seed ${seed}, edit ${edit}`).toEqual(fresh);
        // A summary is worked out only for a file whose rules ran (the edited one, those with findings): never for a clean one.
        const worked = store.written.slice(sets).map((parts) => parts[2] as string);
        for (const rel of worked) expect(memo.checked, `seed ${seed}, edit ${edit}: ${rel}`).toContain(rel);
        if (memo.checked.size === 1) expect(worked.length).toBeLessThanOrEqual(1);
        if (fresh.diagnostics.some((d) => d.code === "SCHEMA_REF_CYCLE")) withFindings++;
      }
    }
    // The random trees do exercise the cycle rule.
    expect(withFindings).toBeGreaterThan(20);
  });

  it("report a chain of references past the limit and a cross-file cycle the same with and without a store", () => {
    let tree = deepTree();
    const store = memoryStore();
    const plain = check(tree);
    const codes = plain.diagnostics.map((d) => `${d.code} ${d.file}#${d.pointer}`);
    expect(codes).toContain("SCHEMA_REF_DEPTH events/_shared/chain/a4.json#/$ref");
    expect(codes.filter((c) => c.startsWith("SCHEMA_REF_CYCLE"))).toEqual([
      "SCHEMA_REF_CYCLE events/_shared/loop/x.json#/allOf/0/$ref",
      "SCHEMA_REF_CYCLE events/_shared/loop/y.json#/anyOf/0/$ref",
    ]);
    expect(check(tree, undefined, store)).toEqual(plain);
    expect(check(tree, undefined, store)).toEqual(plain);
    expect(store.hits).toBeGreaterThan(LIMITS.schemaDepth);
    // Shortening the chain in the middle: one summary worked out, the depth finding gone.
    tree = new Map(tree).set("_shared/chain/a70.json", '{ "type": "string" }\n');
    const sets = store.sets;
    const shorter = check(tree, undefined, store);
    expect(store.sets - sets).toBe(1);
    expect(shorter).toEqual(check(tree));
    expect(shorter.diagnostics.map((d) => d.code)).not.toContain("SCHEMA_REF_DEPTH");
  });

  it("remember a tree whose summaries passed the tree rules, and find a cycle an edit brings in", () => {
    // The deep tree without its cycle and with a chain under the limit: clean.
    let tree = new Map([...deepTree()].filter(([rel]) => !rel.startsWith("_shared/loop/")));
    tree.set("_shared/chain/a40.json", '{ "type": "string" }\n');
    const store = memoryStore();
    let asked = 0;
    const counting: Store = {
      get: (parts, shape) => {
        const value = store.get(parts, shape);
        if (parts[0] === "tree-rules-clean" && value === true) asked++;
        return value;
      },
      set: (parts, value) => store.set(parts, value),
    };
    const refFindings = (r: { diagnostics: Diagnostic[] }) => r.diagnostics.filter((d) => d.code.startsWith("SCHEMA_REF_"));
    expect(refFindings(check(tree, undefined, counting))).toEqual([]);
    expect(asked).toBe(0);
    // A bound added to a file: no reference changed, the tree rules are not run again.
    tree = new Map(tree).set("_shared/chain/a40.json", '{ "type": "string", "maxLength": 9 }\n');
    expect(check(tree, undefined, counting)).toEqual(check(tree));
    expect(asked).toBe(1);
    // A reference that closes a cycle: a new summary, the rules run, the cycle is found.
    tree = new Map(tree).set("_shared/chain/a40.json", `${JSON.stringify({ allOf: [{ $ref: "a0.json" }] })}\n`);
    const cyclic = check(tree, undefined, counting);
    expect(cyclic).toEqual(check(tree));
    expect(cyclic.diagnostics.map((d) => d.code)).toContain("SCHEMA_REF_CYCLE");
    expect(asked).toBe(1);
  });

  it("find the same places as the walk of every file they replace, at any depth limit", () => {
    let compared = 0;
    for (let seed = 1; seed <= 60; seed++) {
      const { tree } = randomTree(seed + 1000);
      for (const withStore of [false, true]) {
        const files = schemaFiles(tree);
        if (withStore) {
          // Summaries from the store's JSON, not from the files.
          const store = memoryStore();
          loadRefSummaries(schemaFiles(tree).values(), store);
          loadRefSummaries(files.values(), store);
          expect(store.hits).toBe(files.size);
        }
        expect(findRefCycles(files), `seed ${seed}`).toEqual(before.findRefCycles(files));
        for (const limit of [1, 2, 3, 5, 8, LIMITS.schemaDepth]) {
          expect(findDeepSchemas(files, limit), `seed ${seed}, limit ${limit}`).toEqual(before.findDeepSchemas(files, limit));
          compared += before.findDeepSchemas(files, limit).length;
        }
      }
    }
    expect(compared).toBeGreaterThan(100);
  });
});

/** Every schema file of the tree that parses and has a dialect, whatever its findings: the graph rules' input at its widest. */
function schemaFiles(tree: Tree): Map<string, ParsedFile> {
  const parsed = parse(sources(tree)).value;
  return new Map(parsed.filter((f) => f.kind.kind !== "system" && dialectOfSchema(f.json, f.rel)).map((f) => [f.rel, f]));
}
