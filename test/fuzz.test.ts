/**
 * The fuzzing harness over events trees (issue 14, part 11): random mutations of real trees (the
 * fixture trees and this repository's events/, copied under .tmp/) through `check` and `build`,
 * in-process (src/cli/main.ts through cliInProcess, and src/pipeline.ts with a cache of its own).
 * The mutation model and the oracle are in test/support/fuzz.ts. For every mutated tree:
 * - check and build exit 0 or 1 (a tree problem is 1, never 2), print no stack trace and no
 *   "internal error", and every diagnostic has a hint;
 * - check ok implies build ok, and the library's check gives the same verdict cold, warm and
 *   without a cache;
 * - nothing from the tree runs as code: `globalThis.__deFuzzCanary`, which the injected strings
 *   set, stays unset after check, build, calls into the built validators (loaded from the
 *   scratch out folder), and `validate --events-json` with a mutated events.json.
 * Besides mutations of any kind, two properties aim at the defect classes: code through
 * path names, `$id`s and strings; data (examples, default, const, enum) read as schema.
 *
 * The seed is fixed, so `npm test` runs the same trees every time. A longer run (docs/security.md,
 * "Fuzzing"): `FUZZ_RUNS=5000 FUZZ_SEED=<n> npm run fuzz`; FUZZ_SHRINK=1 lets fast-check shrink a
 * failure to its smallest list of mutations (slower); FUZZ_KEEP_GOING=1 goes on after a failure
 * and reports one of each kind at the end. On a failure the message gives the seed, the
 * mutations, and where the mutated tree was kept (.tmp/fuzz-failures/<test>/).
 */

import { cp, mkdir, readFile, rm, writeFile } from "node:fs/promises";
import path from "node:path";
import fc from "fast-check";
import { describe, it } from "vitest";
import { cliInProcess, envelope, ROOT, scratch } from "./helpers.js";
import {
  applyMutations,
  CANARY,
  INJECTIONS,
  judgeTree,
  keyArb,
  type Mutation,
  mutationArb,
  NAMES,
  saveFailure,
  valueArb,
} from "./support/fuzz.js";

/** Runs of the main property; the others are scaled from it. */
const RUNS = Number(process.env.FUZZ_RUNS ?? 80);
const SEED = Number(process.env.FUZZ_SEED ?? 20260514);
/** Without FUZZ_SHRINK the first failure ends the run at once (npm test stays fast); with it, fast-check shrinks. */
const SHRINK = process.env.FUZZ_SHRINK === "1";
/** With FUZZ_KEEP_GOING=1 a failing run does not end the test: every failure is kept, one per kind is reported at the end. */
const KEEP_GOING = process.env.FUZZ_KEEP_GOING === "1";
/** Each test's time-out grows with the runs (a long CI run must not hit vitest's default). */
const TIMEOUT = Math.max(120_000, RUNS * 3_000);

const fixture = (name: string) => path.join(ROOT, "test/fixtures", name, "events");
/** The small trees most runs start from: a valid one above all, and a few that already hold findings. */
const SMALL_TREES = [
  fixture("valid-mixed"),
  fixture("valid-mixed"),
  fixture("valid-mixed"),
  fixture("golden"),
  fixture("golden"),
  fixture("schema-examples"),
  fixture("layout-not-json"),
  fixture("version-gap"),
  fixture("schema-ref-missing"),
];

/**
 * Runs one fast-check property: copies `tree`, applies the mutations, judges the tree, keeps a
 * copy of it when it fails (under the test's label) and cleans up when it passes.
 */
async function fuzz(
  label: string,
  trees: readonly string[],
  mutations: fc.Arbitrary<Mutation[]>,
  runs: number,
  seed: number,
  cacheTwice: boolean,
) {
  const dir = await scratch(`fuzz-${label}`);
  let n = 0;
  /** With FUZZ_KEEP_GOING: every failing run, by the kind of violation (paths and numbers left out). */
  const kinds = new Map<string, string>();
  try {
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...trees), mutations, async (tree, list) => {
        const run = path.join(dir, String(n++));
        const events = path.join(run, "events");
        await mkdir(run, { recursive: true });
        await cp(tree, events, { recursive: true });
        await applyMutations(events, list);
        const problems = await judgeTree(events, run, { cacheTwice });
        if (problems.length > 0) {
          const where = KEEP_GOING ? `${label}-s${seed}-${n - 1}` : label;
          const message = await saveFailure(where, events, list, [`tree: ${path.relative(ROOT, tree)}`, ...problems]);
          if (!KEEP_GOING) throw new Error(message);
          for (const p of problems.slice(1)) if (!kinds.has(kindOf(p))) kinds.set(kindOf(p), `${p}\n  (.tmp/fuzz-failures/${where})`);
        }
        await rm(run, { recursive: true, force: true });
      }),
      { numRuns: runs, seed, endOnFailure: !SHRINK },
    );
    if (kinds.size > 0) throw new Error(`seed ${seed}: ${kinds.size} kinds of violation:\n${[...kinds.values()].join("\n")}`);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** A violation without what varies between runs (paths, numbers, quoted names): one line per kind of defect. */
function kindOf(problem: string): string {
  return problem
    .replace(/"[^"]*"/g, '"…"')
    .replace(/\S*\/\S*/g, "…")
    .replace(/\d+/g, "N")
    .slice(0, 160);
}

const anyMutations = fc.array(mutationArb, { minLength: 1, maxLength: 4 });

/** Mutations aimed at code injection: hostile names and planted schemas under them, `$id`s, every string position. */
const injectionArb: fc.Arbitrary<Mutation> = fc.oneof(
  fc.record({ kind: fc.constant("rename-path" as const), file: fc.nat(1_000), part: fc.nat(10), name: fc.constantFrom(...NAMES) }),
  fc.record({
    kind: fc.constant("plant" as const),
    folders: fc.array(fc.constantFrom(...NAMES), { minLength: 1, maxLength: 2 }),
    name: fc.constantFrom("_x.json", "x.json", "order-x.json"),
    template: fc.nat(3),
    id: fc.constantFrom(...INJECTIONS),
  }),
  // A shared file whose folders before the `_` part spell `*\/ code /*`: the path becomes its $id.
  fc.record({
    kind: fc.constant("plant" as const),
    folders: fc.constantFrom<string[]>(["a*/globalThis.__deFuzzCanary=1;/*b"], ["x", "a*/globalThis.__deFuzzCanary=1;/*b", "_shared"]),
    name: fc.constantFrom("_x.json", "x.json"),
    template: fc.nat(3),
  }),
  fc.record({
    kind: fc.constant("set" as const),
    file: fc.nat(1_000),
    at: fc.constant(0),
    key: fc.constant("$id"),
    value: fc.constantFrom(...INJECTIONS),
  }),
  fc.record({ kind: fc.constant("string" as const), file: fc.nat(1_000), at: fc.nat(10_000), value: fc.constantFrom(...INJECTIONS) }),
);

/**
 * Mutations aimed at data read as schema (check passes, build fails): keywords inside examples,
 * `default`, `const` and `enum` values, and property names that are keywords.
 */
const dataAsSchemaArb: fc.Arbitrary<Mutation> = fc.oneof(
  fc.record({
    kind: fc.constant("set" as const),
    file: fc.nat(1_000),
    at: fc.nat(10_000),
    key: fc.constantFrom("default", "const", "examples", "enum"),
    value: fc.constantFrom<unknown>(
      { $ref: "#/nowhere" },
      [{ $ref: "../../_shared/nope.json" }],
      [{ anyOf: [1, 2] }],
      { properties: { a: { $ref: "#" } } },
      [{ allOf: "x", items: 3 }],
    ),
  }),
  fc.record({ kind: fc.constant("rename-key" as const), file: fc.nat(1_000), at: fc.nat(10_000), member: fc.nat(10_000), key: keyArb }),
  fc.record({ kind: fc.constant("set" as const), file: fc.nat(1_000), at: fc.nat(10_000), key: keyArb, value: valueArb }),
);

describe("fuzzing: random mutations of real trees through check and build", () => {
  it(
    "small trees: any mutation gives exit 0/1, hints, no stack trace, check ok ⇒ build ok, same verdict cold and warm",
    async () => {
      await fuzz("small", SMALL_TREES, anyMutations, RUNS, SEED, true);
    },
    TIMEOUT,
  );

  it(
    "hostile path names, $ids and strings never run as code (canary) in check, build or the built validators",
    async () => {
      await fuzz(
        "injection",
        [fixture("valid-mixed"), fixture("golden")],
        fc.array(injectionArb, { minLength: 1, maxLength: 2 }),
        Math.ceil(RUNS / 2),
        SEED + 1,
        false,
      );
    },
    TIMEOUT,
  );

  it(
    "data that looks like schema (examples, default, const, enum, keyword names): check ok ⇒ build ok",
    async () => {
      await fuzz(
        "data",
        [fixture("valid-mixed"), fixture("golden")],
        fc.array(dataAsSchemaArb, { minLength: 1, maxLength: 3 }),
        Math.ceil(RUNS / 2),
        SEED + 2,
        false,
      );
    },
    TIMEOUT,
  );

  it(
    "validate --events-json: hostile $ids and strings in the events.json given never run as code",
    async () => {
      const dir = await scratch("fuzz-events-json");
      try {
        const out = path.join(dir, "out");
        const built = await cliInProcess(["build", "--events", fixture("valid-mixed"), "--no-cache", "--out", out]);
        if (built.code !== 0) throw new Error(`valid-mixed does not build: ${built.stdout}${built.stderr}`);
        const published = JSON.parse(await readFile(path.join(out, "events.json"), "utf8")) as {
          type: string;
          schema: { examples?: unknown[] };
        }[];
        const lines = published.map((e) => JSON.stringify(envelope(e.type, e.schema.examples?.[0] ?? {}))).join("\n");
        const json = fc.oneof(
          injectionArb,
          fc.record({
            kind: fc.constant("set" as const),
            file: fc.constant(0),
            // Small indices: the first entries and their schemas' roots, which ajv compiles with their $id.
            at: fc.nat(12),
            key: fc.constantFrom("$id", "$ref", "$anchor"),
            value: fc.constantFrom(...INJECTIONS),
          }),
          mutationArb,
        );
        let n = 0;
        await fc.assert(
          fc.asyncProperty(fc.array(json, { minLength: 1, maxLength: 3 }), async (list) => {
            const folder = path.join(dir, String(n++));
            await mkdir(folder);
            await cp(path.join(out, "events.json"), path.join(folder, "events.json"));
            await applyMutations(folder, list);
            // Written after the mutations (they apply to every file of the folder), kept with the failing copy.
            const instances = path.join(folder, "instances.ndjson");
            await writeFile(instances, lines);
            delete (globalThis as Record<string, unknown>)[CANARY];
            const r = await cliInProcess(["validate", instances, "--events-json", path.join(folder, "events.json"), "--format", "json"]);
            const problems: string[] = [];
            if ((globalThis as Record<string, unknown>)[CANARY] !== undefined)
              problems.push(`code from events.json ran (globalThis.${CANARY} set) in validate`);
            if (![0, 1, 2].includes(r.code)) problems.push(`validate exited ${r.code}`);
            if (/internal error/i.test(r.stdout + r.stderr)) problems.push(`validate: ${r.stderr.trim().slice(0, 300)}`);
            if (/^\s+at .+:\d+:\d+\)?$/m.test(r.stdout + r.stderr)) problems.push("validate: a stack trace in the output");
            if (problems.length > 0)
              throw new Error(
                await saveFailure(
                  "events-json",
                  folder,
                  list,
                  problems,
                  "npx tsx src/cli.ts validate <tree>/instances.ndjson --events-json <tree>/events.json",
                ),
              );
            await rm(folder, { recursive: true, force: true });
          }),
          { numRuns: Math.ceil(RUNS / 2), seed: SEED + 4, endOnFailure: !SHRINK },
        );
      } finally {
        await rm(dir, { recursive: true, force: true });
      }
    },
    TIMEOUT,
  );

  it(
    "the repository's own events/ tree",
    async () => {
      await fuzz("events", [path.join(ROOT, "events")], anyMutations, Math.max(2, Math.ceil(RUNS / 10)), SEED + 3, false);
    },
    TIMEOUT,
  );
});
