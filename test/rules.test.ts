/**
 * The rule model (Buf's): every diagnostic code is registered once (src/diagnostics/codes.ts) with
 * its stage, severity and purpose, and is checked in one place — by exactly one rule entry of the
 * schema stage (src/stages/validate/) or the versions stage (src/stages/versions.ts), or by the
 * stage the registry names. Each entry emits its own code only, with the registry's severity.
 *
 * The entries are run over every events tree of test/fixtures and docs/codes (wrong and right),
 * with the stages' trace telling which entry made each finding.
 */

import { mkdir, readdir, readFile, rm, writeFile } from "node:fs/promises";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  ALL_CODES,
  CODES,
  type Code,
  type Diagnostic,
  diagnostic,
  type Stage,
  severitiesOf,
  severityOf,
} from "../src/diagnostics/index.js";
import { discover } from "../src/stages/discover.js";
import { parse } from "../src/stages/parse.js";
import { RULES as SCHEMA_RULES, validate } from "../src/stages/validate/index.js";
import { RULES as VERSION_RULES, versions } from "../src/stages/versions.js";
import { scratch as makeScratch, ROOT } from "./helpers.js";

/** Where each stage outside the rule lists reports its codes. */
const STAGE_SOURCES: Record<Exclude<Stage, "validate" | "versions">, string[]> = {
  discover: ["src/stages/discover.ts", "src/model/names.ts"],
  parse: ["src/stages/parse.ts"],
  compile: ["src/stages/validate/compiled.ts"],
  compat: ["src/compat"],
  generate: ["src/generate"],
  instances: ["src/instances"],
};

/** Every folder named `events` under `dir`. */
async function eventsDirs(dir: string): Promise<string[]> {
  const out: string[] = [];
  for (const entry of await readdir(path.join(ROOT, dir), { withFileTypes: true })) {
    if (!entry.isDirectory()) continue;
    const rel = `${dir}/${entry.name}`;
    if (entry.name === "events") out.push(rel);
    else out.push(...(await eventsDirs(rel)));
  }
  return out;
}

/** The text of every .ts file under a file or folder of the repository. */
async function sources(rel: string): Promise<string[]> {
  const full = path.join(ROOT, rel);
  if (rel.endsWith(".ts")) return [await readFile(full, "utf8")];
  const files = (await readdir(full, { recursive: true })).filter((f) => f.endsWith(".ts"));
  return Promise.all(files.map((f) => readFile(path.join(full, f), "utf8")));
}

/** A finding of the schema or versions stage, with the code of the entry that made it. */
interface Traced {
  tree: string;
  rule: Code;
  finding: Diagnostic;
}

/** Runs discover, parse, validate and versions over a tree; returns their findings and the traced ones. */
async function runRules(eventsDir: string): Promise<{ found: Diagnostic[]; traced: Traced[] }> {
  const traced: Traced[] = [];
  const trace = (rule: Code, finding: Diagnostic) => traced.push({ tree: eventsDir, rule, finding });
  const found = await discover({ eventsDir, cwd: ROOT });
  const parsed = parse(found.value);
  const checked = validate(
    parsed.value,
    found.value.map((f) => f.rel),
    undefined,
    trace,
  );
  const chained = versions(found.value, checked.value.schemas, trace);
  return { found: [...checked.diagnostics, ...chained.diagnostics], traced };
}

describe("the registry of codes", () => {
  it.each(ALL_CODES)("%s has a stage, a severity and a one-sentence purpose", (code) => {
    const spec = CODES[code] as { stage: Stage; severity: string; purpose: string; warningWhen?: string };
    expect(Object.keys(STAGE_SOURCES).concat("validate", "versions")).toContain(spec.stage);
    expect(["error", "warning"]).toContain(spec.severity);
    expect(spec.purpose).toMatch(/^\S.*[.)]$/s);
    // Only an error may name the one situation in which it is reported as a warning.
    if (spec.warningWhen !== undefined) expect(spec.severity).toBe("error");
  });

  it("lets no reporter choose a severity the registry does not give", () => {
    expect(severityOf("SCHEMA_EXAMPLES")).toBe("warning");
    expect(severityOf("SCHEMA_TITLE")).toBe("error");
    expect(diagnostic("SCHEMA_TITLE", "f.json", "", "m").severity).toBe("error");
    // A registered exception, asked for by name…
    expect(diagnostic("COMPAT_VERSION_REMOVED", "f.json", "", "m", { warning: true }).severity).toBe("warning");
    expect(severitiesOf("SCHEMA_PATTERN_UNPROVEN")).toEqual(["error", "warning"]);
    // …and nothing else: a warning for a code without one, or a severity against the registry, is a bug.
    expect(() => diagnostic("SCHEMA_TITLE", "f.json", "", "m", { warning: true })).toThrow(/never a warning/);
  });
});

describe("one code, one check", () => {
  const entries = [...SCHEMA_RULES, ...VERSION_RULES].map((r) => r.code);

  it("has one rule entry for each code of the schema and versions stages, and no other", () => {
    expect(new Set(entries).size, "no code has two entries").toBe(entries.length);
    for (const r of SCHEMA_RULES) expect(CODES[r.code].stage, r.code).toBe("validate");
    for (const r of VERSION_RULES) expect(CODES[r.code].stage, r.code).toBe("versions");
    const ruled = ALL_CODES.filter((c) => CODES[c].stage === "validate" || CODES[c].stage === "versions");
    expect([...entries].sort()).toEqual([...ruled].sort());
  });

  it.each(ALL_CODES.filter((c) => !entries.includes(c)))("%s is reported by the stage the registry names", async (code) => {
    const stage = CODES[code].stage as keyof typeof STAGE_SOURCES;
    const texts = (await Promise.all(STAGE_SOURCES[stage].map(sources))).flat();
    expect(
      texts.some((t) => t.includes(`"${code}"`)),
      `${code} in ${STAGE_SOURCES[stage].join(", ")}`,
    ).toBe(true);
  });
});

describe("each rule entry emits its own code, with the registry's severity", () => {
  let scratch: string;
  const traced: Traced[] = [];

  beforeAll(async () => {
    scratch = await makeScratch("rules");
    // An allowance the analyser proves unneeded: SCHEMA_PATTERN_UNPROVEN's registered warning.
    const events = path.join(scratch, "unneeded-allowance", "events");
    await mkdir(path.join(events, "shop", "order"), { recursive: true });
    await writeFile(
      path.join(events, "shop", "order", "order-placed.json"),
      JSON.stringify({
        title: "Order placed",
        description: "Emitted when a customer places an order.",
        type: "object",
        additionalProperties: false,
        properties: { id: { type: "string", pattern: "^[a-z]+$", allowUnprovenPatterns: { "^[a-z]+$": "a reason" } } },
        examples: [{ id: "abc" }],
      }),
    );
    const trees = [
      ...(await eventsDirs("test/fixtures")),
      ...(await eventsDirs("docs/codes")),
      path.relative(ROOT, events).split(path.sep).join("/"),
    ];
    for (const tree of trees) {
      const run = await runRules(tree);
      // Every finding of the two stages was made by a rule entry, once.
      expect(
        run.traced.map((t) => t.finding),
        tree,
      ).toEqual(run.found);
      traced.push(...run.traced);
    }
  });

  afterAll(async () => {
    if (scratch) await rm(scratch, { recursive: true, force: true });
  });

  it("finds no code but the entry's own", () => {
    expect(traced.length).toBeGreaterThan(0);
    for (const { tree, rule, finding } of traced) expect(finding.code, `${tree}: ${finding.message}`).toBe(rule);
  });

  it("gives every finding the registry's severity (a warning only where the registry names when)", () => {
    for (const { finding } of traced) {
      if (finding.severity === severityOf(finding.code)) continue;
      expect(CODES[finding.code], `${finding.code}: ${finding.message}`).toHaveProperty("warningWhen");
      expect(finding.severity).toBe("warning");
    }
    const unneeded = traced.filter(({ finding }) => finding.code === "SCHEMA_PATTERN_UNPROVEN" && finding.severity === "warning");
    expect(unneeded.map(({ finding }) => finding.pointer)).toEqual(["/properties/id/allowUnprovenPatterns/^[a-z]+$"]);
  });

  it("runs every entry on some tree (the fixtures exercise the whole list)", () => {
    const fired = new Set(traced.map((t) => t.rule));
    expect([...SCHEMA_RULES, ...VERSION_RULES].map((r) => r.code).filter((c) => !fired.has(c))).toEqual([]);
  });
});
