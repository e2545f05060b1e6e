/**
 * Only patterns that the ReDoS analyser proves safe are shipped (issue 14, part 2). A pattern it
 * cannot prove (a back-reference, a lookaround) is SCHEMA_PATTERN_UNPROVEN unless the schema allows
 * exactly that pattern, with a reason and a length bound; no allowance covers a pattern with a known
 * attack (SCHEMA_PATTERN_UNSAFE); and every verdict, the undecided ones too, is cached, so that a
 * second `check` does not run the analyser again. No test here looks at a clock.
 *
 * The patterns below are ones the analysis before this change called safe: recheck's default
 * ("auto") mode sends a back-reference to its fuzz checker, which found no attack on
 * `^([a-z]{3,}):(\1-?)*$` and said "safe", and its automaton checker sees no loop in a bounded
 * repeat, so it called `^(?:a|a){30}$` (40 s on a 30-character value) and
 * `^(?:[a-z]{1,5}){1,20}-(\w)\1$` (over 15 s on a 90-character value) safe.
 */

import { chmod, mkdir, readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import { describe, expect, it } from "vitest";
import type { Diagnostic } from "../src/diagnostics/index.js";
import { build, check } from "../src/pipeline.js";
import {
  analyserRunCount,
  forgetVerdicts,
  judgePatterns,
  type PatternVerdict,
  patternVerdict,
  useVerdictStore,
  withUnboundedGroupCounts,
} from "../src/schema/redos.js";
import { scratch } from "./helpers.js";

/** A closed string property `code` with the given keywords, in an event of its own. */
async function treeWith(code: Record<string, unknown>, example: string, extra: Record<string, unknown> = {}): Promise<string> {
  const dir = await scratch("patterns");
  const folder = path.join(dir, "events", "shop", "order");
  await mkdir(folder, { recursive: true });
  const schema = {
    title: "Order placed",
    description: "Emitted by the shop when a customer places an order.",
    type: "object",
    additionalProperties: false,
    required: ["code"],
    properties: { code: { type: "string", description: "The order's code.", ...code } },
    ...extra,
    examples: [{ code: example }],
  };
  await writeFile(path.join(folder, "order-placed.json"), `${JSON.stringify(schema, null, 2)}\n`);
  return dir;
}

async function findings(dir: string, cacheDir: string | false = false): Promise<Pick<Diagnostic, "code" | "pointer" | "severity">[]> {
  const result = await check({ eventsDir: path.join(dir, "events"), cwd: dir, cacheDir, workers: 0 });
  return result.diagnostics.map(({ code, pointer, severity }) => ({ code, pointer, severity }));
}

const ALLOW = "allowUnprovenPatterns";
const BACK_REFERENCE = "^([a-z]{3,}):(\\1-?)*$";
const AT = "/properties/code/pattern";

describe("patterns ship only when proven safe", () => {
  it("refuses a back-reference pattern that the search for an attack calls safe (it is only unproven)", async () => {
    expect(patternVerdict(BACK_REFERENCE)).toMatchObject({ status: "unknown", reason: "back-reference", searched: true });
    const dir = await treeWith({ pattern: BACK_REFERENCE, maxLength: 64 }, "abc:abc");
    expect(await findings(dir)).toEqual([{ code: "SCHEMA_PATTERN_UNPROVEN", pointer: AT, severity: "error" }]);
  });

  it.each([
    ["a lookahead", "^(?!0+$)[0-9]{1,12}$", "look-ahead assertion"],
    ["a lookbehind", "^[a-z]+(?<!x)$", "look-behind assertion"],
  ])("refuses %s as unproven", async (_name, pattern, reason) => {
    expect(patternVerdict(pattern)).toMatchObject({ status: "unknown", reason });
    const dir = await treeWith({ pattern, maxLength: 12 }, "123");
    expect(await findings(dir)).toEqual([{ code: "SCHEMA_PATTERN_UNPROVEN", pointer: AT, severity: "error" }]);
  });

  it.each([
    ["an ambiguous group repeated a fixed number of times", "^(?:a|a){30}$", "a".repeat(30)],
    ["nested counted repeats before a back-reference", "^(?:[a-z]{1,5}){1,20}-(\\w)\\1$", "abc-xx"],
  ])("refuses %s as unsafe", async (_name, pattern, example) => {
    expect(patternVerdict(pattern).status).toBe("vulnerable");
    const dir = await treeWith({ pattern, maxLength: 90 }, example);
    expect(await findings(dir)).toEqual([{ code: "SCHEMA_PATTERN_UNSAFE", pointer: AT, severity: "error" }]);
  });

  it("refuses a back-reference after an ambiguous loop: unsafe when the search for an attack ends in time, else unproven", async () => {
    // The search is bounded by steps; its wall-clock safety net (PATTERN_LIMITS.searchMs) may cut it
    // short on a loaded machine, and then the pattern is unproven, refused all the same.
    const pattern = "^(a|a)*\\1$";
    const verdict = patternVerdict(pattern);
    const code = verdict.status === "vulnerable" ? "SCHEMA_PATTERN_UNSAFE" : "SCHEMA_PATTERN_UNPROVEN";
    if (verdict.status !== "vulnerable") expect(verdict).toMatchObject({ status: "unknown", searched: false });
    const dir = await treeWith({ pattern, maxLength: 90 }, "aa");
    expect(await findings(dir)).toEqual([{ code, pointer: AT, severity: "error" }]);
  });

  it("still proves the everyday patterns safe: bounded classes, separators, a back-reference to a short group", () => {
    for (const p of ["^[a-z]{1,64}$", "^[a-z0-9]+(-[a-z0-9]+)*$", "^(?:[0-9]{1,3}\\.){3}[0-9]{1,3}$", "^([A-Z]{2,3})-[0-9]{1,6}-\\1$"]) {
      expect(patternVerdict(p), p).toEqual({ status: "safe" });
    }
  });
});

describe("allowUnprovenPatterns", () => {
  const allowed = { pattern: BACK_REFERENCE, maxLength: 64, [ALLOW]: { [BACK_REFERENCE]: "a key names its own prefix again" } };

  it("allows exactly that pattern, and the build ships it without the keyword", async () => {
    const dir = await treeWith(allowed, "abc:abc-abc");
    expect(await findings(dir)).toEqual([]);
    const out = path.join(dir, "out");
    const built = await build({ eventsDir: path.join(dir, "events"), cwd: dir, cacheDir: false, workers: 0, outDir: out });
    expect(built.ok).toBe(true);
    const published = await readFile(path.join(out, "events.json"), "utf8");
    expect(published).toContain("\\\\1-?");
    expect(published).not.toContain(ALLOW);
  });

  it("is never honoured for a pattern with a known attack", async () => {
    for (const pattern of ["^(a+)+$", "^(a|a)*\\1$"]) {
      const dir = await treeWith({ pattern, maxLength: 10, [ALLOW]: { [pattern]: "trust me" } }, "aa");
      // Unsafe; or, for the back-reference when the search was cut short (see above), unproven and not allowable.
      const code = patternVerdict(pattern).status === "vulnerable" ? "SCHEMA_PATTERN_UNSAFE" : "SCHEMA_PATTERN_UNPROVEN";
      expect(await findings(dir), pattern).toEqual([{ code, pointer: AT, severity: "error" }]);
    }
  });

  it.each([
    ["without maxLength", { maxLength: undefined }],
    ["with a maxLength above the bound", { maxLength: 1000 }],
  ])("needs a length bound: refused %s", async (_name, change) => {
    const dir = await treeWith({ ...allowed, ...change }, "abc:abc");
    expect(await findings(dir)).toEqual([{ code: "SCHEMA_PATTERN_UNPROVEN", pointer: AT, severity: "error" }]);
  });

  it("names a pattern exactly, and states a reason", async () => {
    const other = "^([a-z]{2,}):(\\1-?)*$";
    const typo = await treeWith({ ...allowed, [ALLOW]: { [other]: "a key names its own prefix again" } }, "abc:abc");
    expect(await findings(typo)).toEqual([
      { code: "SCHEMA_PATTERN_UNPROVEN", pointer: AT, severity: "error" },
      { code: "SCHEMA_PATTERN_UNPROVEN", pointer: `/properties/code/${ALLOW}/${other}`, severity: "error" },
    ]);
    const blank = await treeWith({ ...allowed, [ALLOW]: { [BACK_REFERENCE]: " " } }, "abc:abc");
    expect(await findings(blank)).toContainEqual({
      code: "SCHEMA_PATTERN_UNPROVEN",
      pointer: `/properties/code/${ALLOW}/${BACK_REFERENCE}`,
      severity: "error",
    });
    const shape = await treeWith({ ...allowed, [ALLOW]: [BACK_REFERENCE] }, "abc:abc");
    expect(await findings(shape)).toContainEqual({
      code: "SCHEMA_PATTERN_UNPROVEN",
      pointer: `/properties/code/${ALLOW}`,
      severity: "error",
    });
  });

  it("bounds a key of patternProperties with propertyNames", async () => {
    const map = (propertyNames?: unknown) => ({
      type: "object",
      additionalProperties: false,
      patternProperties: { [BACK_REFERENCE]: { type: "string" } },
      ...(propertyNames ? { propertyNames } : {}),
      [ALLOW]: { [BACK_REFERENCE]: "keys name their own prefix again" },
    });
    const dir = await treeWith({}, "x", { properties: { code: { type: "string", description: "The code." }, tags: map() } });
    expect(await findings(dir)).toEqual([
      { code: "SCHEMA_PATTERN_UNPROVEN", pointer: `/properties/tags/patternProperties/${BACK_REFERENCE}`, severity: "error" },
    ]);
    const bounded = await treeWith({}, "x", {
      properties: { code: { type: "string", description: "The code." }, tags: map({ maxLength: 40 }) },
    });
    expect(await findings(bounded)).toEqual([]);
  });

  it("is a warning where the analyser proves the pattern safe", async () => {
    const pattern = "^[a-z]+$";
    const dir = await treeWith({ pattern, maxLength: 10, [ALLOW]: { [pattern]: "not needed" } }, "abc");
    expect(await findings(dir)).toEqual([
      { code: "SCHEMA_PATTERN_UNPROVEN", pointer: `/properties/code/${ALLOW}/${pattern}`, severity: "warning" },
    ]);
  });
});

describe("the verdicts of the analyser", () => {
  it("caches an undecided verdict: a second check with the build cache does not run the analyser", async () => {
    // Unique to this test, so that no other test has judged it in this process.
    const pattern = "^(?<q>[a-z]{3,}):(\\k<q>_?)*$";
    const dir = await treeWith({ pattern, maxLength: 64 }, "abc:abc");
    const cache = path.join(dir, "cache");
    const before = analyserRunCount();
    expect(await findings(dir, cache)).toEqual([{ code: "SCHEMA_PATTERN_UNPROVEN", pointer: AT, severity: "error" }]);
    expect(analyserRunCount()).toBe(before + 1);
    forgetVerdicts(); // as a new process would
    expect(await findings(dir, cache)).toEqual([{ code: "SCHEMA_PATTERN_UNPROVEN", pointer: AT, severity: "error" }]);
    expect(analyserRunCount()).toBe(before + 1);
  });

  it("judged all at once and asynchronously (as the pipeline asks), gives the verdicts one by one gives", async () => {
    const patterns = ["^[a-z]{1,64}$", "^(a+)+$", "(?:a|a){30}", "^([a-z]+)-\\1$", "^(?=[a-z])[a-z0-9]{1,20}$", "^(\\d+)*,\\1$"];
    forgetVerdicts();
    const before = analyserRunCount();
    await judgePatterns([...patterns, patterns[0] as string]);
    // Once per distinct pattern; then every verdict is known without another run.
    expect(analyserRunCount()).toBe(before + patterns.length);
    const together = patterns.map((p) => patternVerdict(p));
    expect(analyserRunCount()).toBe(before + patterns.length);
    forgetVerdicts();
    const oneByOne = patterns.map((p) => patternVerdict(p));
    expect(together).toEqual(oneByOne);
    expect(new Set(together.map((v) => v.status))).toEqual(new Set(["safe", "vulnerable", "unknown"]));
    // Where recheck's analyser program is not to be started (another backend asked for), recheck's
    // own check judges, in its JavaScript: the same verdicts, for patterns it decides well within
    // the proof's time limit (slower, it runs out of time on some that the program proves).
    const decided = [0, 1, 3];
    forgetVerdicts();
    process.env.RECHECK_BACKEND = "worker";
    try {
      await judgePatterns(decided.map((i) => patterns[i] as string));
    } finally {
      delete process.env.RECHECK_BACKEND;
    }
    expect(decided.map((i) => patternVerdict(patterns[i] as string))).toEqual(decided.map((i) => oneByOne[i]));
  });

  it.each([
    ["dies on its first question", "process.exit(3);"],
    [
      "answers it with an error",
      'process.stdout.write(JSON.stringify({ jsonrpc: "2.0+push", id, error: { message: "broken" } }) + "\\n");',
    ],
  ])("keeps no verdict when the analyser program %s: the rule then asks recheck itself", async (_, onCheck) => {
    // A program that answers the ping, then fails the first question (RECHECK_BIN names it, as for recheck).
    const dir = await scratch("agent-stops");
    const fake = path.join(dir, `fake-agent-${onCheck.length}.cjs`);
    await writeFile(
      fake,
      `#!${process.execPath}
require("readline").createInterface({ input: process.stdin }).on("line", (line) => {
  const { id, method } = JSON.parse(line);
  if (method !== "ping") { ${onCheck} return; }
  process.stdout.write(JSON.stringify({ jsonrpc: "2.0+push", id, result: {} }) + "\\n");
});
`,
    );
    await chmod(fake, 0o755);
    const pattern = `^[a-f]{2,9}-${onCheck.length}$`;
    forgetVerdicts();
    process.env.RECHECK_BIN = fake;
    try {
      await judgePatterns([pattern]);
    } finally {
      delete process.env.RECHECK_BIN;
    }
    // Not "unknown: the analyser stopped", kept for every later run: proved, by recheck's own call.
    expect(patternVerdict(pattern)).toEqual({ status: "safe" });
  });

  it("keeps a verdict made while the analyser failed for this process only: the next run asks again", async () => {
    const kept = new Map<string, unknown>();
    useVerdictStore({ get: (key) => kept.get(key) as PatternVerdict | undefined, set: (key, v) => void kept.set(key, v) });
    try {
      const pattern = "^[a-f]{3,7}-failed$";
      forgetVerdicts();
      // A backend recheck does not know: its check throws, so neither call gives an answer.
      process.env.RECHECK_BACKEND = "no-such-backend";
      try {
        await judgePatterns([pattern]);
      } finally {
        delete process.env.RECHECK_BACKEND;
      }
      expect(patternVerdict(pattern)).toMatchObject({ status: "unknown", searched: false });
      expect(kept.size).toBe(0);
      forgetVerdicts(); // as the next run would
      expect(patternVerdict(pattern)).toEqual({ status: "safe" });
      expect([...kept.values()]).toEqual([{ status: "safe" }]);
    } finally {
      useVerdictStore(undefined);
    }
  });

  it.each([
    ["(?:a|a){30}", "(?:a|a){30,}"],
    ["(a){2,5}?b{1,3}", "(a){2,}?b{1,3}"],
    ["[(){}]{2}\\){3}", "[(){}]{2}\\){3}"],
    ["\\p{L}{2}(?:\\u{1F600}){1,2}", "\\p{L}{2}(?:\\u{1F600}){1,}"],
    ["(?<n>x)\\k<n>{4}", "(?<n>x)\\k<n>{4}"],
  ])("reads counted repeats of groups as unbounded: %s", (pattern, relaxed) => {
    expect(withUnboundedGroupCounts(pattern)).toBe(relaxed);
  });
});
