/**
 * The official JSON Schema Test Suite (../shared/json-schema-test-suite/, draft 2020-12 and
 * draft-07, optional and optional/format included) through the validators as the package ships
 * them, against ajv compiled in-process with the same options.
 *
 * How the shipped validators are made, and why this way: every schema of the suite is handed to the
 * compile stage's own entry (`compileAll`, no cache, in this thread) as the data schema of one
 * event, exactly as the build hands it an event of the tree. The stage compiles it with the build's
 * ajv (strict, first error, own properties, our format checks) and splits the code: the envelope's
 * functions go to the shared module, the event's to its own. The modules are written as the
 * generate stage writes them (`validators/_shared.cjs`, `validators/<type>.cjs`, `runtime.cjs`, the
 * same requires) into a scratch folder and loaded with `require`, so each verdict comes from the
 * shipped code and the shipped runtime. A scratch events tree through the whole pipeline would be
 * more literal but cannot hold the suite: the house rules refuse nearly every one of its schemas
 * (no title, not an object, boolean schemas), which is the point of the house rules, not of this test.
 *
 * Each instance is sent as the `data` of a valid envelope, so the event's verdict is the data's.
 * The reference is `createAjvSet({ allErrors: false })`, the build's options, compiling the bare
 * schema. The two must agree on every case. Where both differ from the suite's expected answer the
 * case must be listed in docs/conformance.md (and every case listed there must still differ): the
 * page says why. Groups that cannot be an event's schema are skipped by the rules of SKIPS, each
 * with its reason, and the skipped groups are counted per rule so none is dropped silently.
 */

import { mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { compileAll } from "../src/compile/index.js";
import { sharedValidatorModule, validatorModule } from "../src/generate/index.js";
import { RUNTIME_CJS } from "../src/generate/runtime.js";
import type { Dialect } from "../src/model/tree.js";
import { createAjvSet } from "../src/schema/ajv.js";
import { ROOT, scratch } from "./helpers.js";

const SUITE = path.resolve(ROOT, "../shared/json-schema-test-suite/tests");

interface SuiteGroup {
  description: string;
  schema: unknown;
  tests: { description: string; data: unknown; valid: boolean }[];
}

/** One group of the suite: where it is, and its dialect. */
interface Group extends SuiteGroup {
  file: string;
  dialect: Dialect;
}

/** The suite's files of a dialect's folder, recursively, sorted. */
function files(dir: string): string[] {
  const out: string[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1))) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) out.push(...files(full));
    else if (entry.name.endsWith(".json")) out.push(full);
  }
  return out;
}

function groups(): Group[] {
  const out: Group[] = [];
  for (const [folder, dialect] of [
    ["draft2020-12", "2020-12"],
    ["draft7", "draft-07"],
  ] as const) {
    for (const file of files(path.join(SUITE, folder))) {
      const rel = path.relative(SUITE, file);
      for (const g of JSON.parse(readFileSync(file, "utf8")) as SuiteGroup[]) out.push({ ...g, file: rel, dialect });
    }
  }
  return out;
}

/** A valid envelope around the instance: the event's verdict is then the data's. */
function envelope(type: string, data: unknown): Record<string, unknown> {
  return {
    specversion: "1.0",
    id: "1",
    source: "/systems/suite",
    type,
    time: "2026-01-01T00:00:00Z",
    datacontenttype: "application/json",
    clientaccountid: "c",
    data,
  };
}

/** What the compile stage made of one group: its event module's body, or ajv's refusal. */
interface Made {
  group: Group;
  type: string;
  refused?: string;
  validator?: { body: string; imports: string[] };
}

/**
 * Every group through the compile stage, one event per group. The groups of one file go in one
 * call (one batch, one ajv, as the build batches events); a file whose schemas cannot share an ajv
 * (two of them with one `$id`) goes again one group per call.
 */
async function compileGroups(all: Group[], shared: Map<string, string>): Promise<Made[]> {
  const byFile = new Map<string, { group: Group; index: number }[]>();
  for (const [index, group] of all.entries()) byFile.set(group.file, [...(byFile.get(group.file) ?? []), { group, index }]);
  const made: Made[] = [];
  for (const members of byFile.values()) {
    const together = await compileTogether(members, shared);
    if (together) made.push(...together);
    else for (const member of members) made.push(...((await compileTogether([member], shared)) ?? [refusedByThrow(member)]));
  }
  return made;
}

const typeOf = (index: number) => `suite.group.g${index}.v1`;
const relOf = (index: number) => `suite/g${index}.json`;

function refusedByThrow(member: { group: Group; index: number }): Made {
  return { group: member.group, type: typeOf(member.index), refused: `threw: ${lastThrow}` };
}
let lastThrow = "";

/** One compileAll call over some groups; undefined when the stage threw (the message kept in lastThrow). */
async function compileTogether(members: { group: Group; index: number }[], shared: Map<string, string>): Promise<Made[] | undefined> {
  let result: Awaited<ReturnType<typeof compileAll>>;
  try {
    result = await compileAll({
      shared: [],
      units: members.map(({ group, index }) => ({
        rel: relOf(index),
        dialect: group.dialect,
        schema: group.schema as Record<string, unknown>,
        examples: [],
        event: { type: typeOf(index) },
        deps: [],
      })),
      cacheDir: undefined,
      workers: 0,
    });
  } catch (e) {
    lastThrow = (e as Error).message;
    return undefined;
  }
  for (const [name, code] of result.sharedCode) {
    const known = shared.get(name);
    // One name, one code: what lets the package emit a shared function once for all events.
    if (known !== undefined && known !== code) throw new Error(`shared function ${name} differs between batches`);
    shared.set(name, code);
  }
  return members.map(({ group, index }) => {
    const out = result.outputs.get(relOf(index));
    if (out?.compileError !== undefined || !out?.validator)
      return { group, type: typeOf(index), refused: out?.compileError ?? "no validator" };
    return { group, type: typeOf(index), validator: out.validator };
  });
}

/** The modules as the generate stage writes them, in `dir`; returns a loader of each event's validator. */
function writePackage(dir: string, made: Made[], shared: Map<string, string>): (type: string) => (v: unknown) => boolean {
  mkdirSync(path.join(dir, "validators"), { recursive: true });
  writeFileSync(path.join(dir, "runtime.cjs"), RUNTIME_CJS);
  writeFileSync(path.join(dir, "validators/_shared.cjs"), sharedValidatorModule(shared));
  for (const m of made) if (m.validator) writeFileSync(path.join(dir, `validators/${m.type}.cjs`), validatorModule(m.type, m.validator));
  const require = createRequire(path.join(dir, "index.cjs"));
  return (type) => require(`./validators/${type}.cjs`) as (v: unknown) => boolean;
}

/** ajv in-process, the build's options, the bare schema: the reference verdicts. */
function reference(group: Group): ((v: unknown) => boolean) | string {
  try {
    const fn = createAjvSet({ allErrors: false })[group.dialect].compile(group.schema as Record<string, unknown>);
    return (v) => fn(v);
  } catch (e) {
    return (e as Error).message;
  }
}

/** A validator's answer, or "throws" (ajv recursing without end on some schemas). */
function verdict(run: () => boolean): boolean | "throws" {
  try {
    return run();
  } catch {
    return "throws";
  }
}

/**
 * Why a group of the suite cannot be an event's schema: a rule per reason, matched on ajv's refusal.
 * `groups`: how many groups of the suite's stored commit it skips (a new suite version asks for a
 * review). The compile stage refuses the same groups, except where `stageCompiles` says why it need not.
 */
const SKIPS: { reason: string; groups: number; refusal: RegExp; stageCompiles?: true }[] = [
  { reason: "a format outside the allowed list (SCHEMA_FORMAT)", groups: 28, refusal: /^unknown format / },
  {
    reason: "what strict mode refuses (unknown keyword, a keyword ignored beside another): the tree refuses it too",
    groups: 40,
    refusal: /^strict mode: /,
  },
  {
    reason: "a reference to another document (the suite's remotes): the house refuses remote $ref (SCHEMA_REF_REMOTE)",
    groups: 33,
    refusal: /^can't resolve reference /,
  },
  {
    reason: "a $schema that is neither dialect: refused by the dialect check",
    groups: 4,
    refusal: /^no schema with key or ref /,
    // The compile stage does not check schemas against their meta-schema: the validate stage has.
    stageCompiles: true,
  },
  { reason: "an empty enum: ajv refuses it", groups: 1, refusal: /^enum must have non-empty array/ },
  { reason: "two subschemas with one $id: ajv refuses it", groups: 2, refusal: /resolves to more than one schema/ },
  { reason: "a $dynamicRef to another resource: ajv supports fragments only", groups: 2, refusal: /only supports hash fragment reference/ },
  {
    reason: "ajv's compilation does not end ($ref through changing $ids): ajv cannot compile it",
    groups: 3,
    refusal: /^Maximum call stack size exceeded/,
  },
];

/** The cases docs/conformance.md lists as differing from the suite, as "file | group | case | expected". */
function documented(): string[] {
  const page = readFileSync(path.join(ROOT, "docs/conformance.md"), "utf8");
  return page
    .split("\n")
    .filter((line) => line.startsWith("| `"))
    .map((line) => {
      const [file, group, test, expected] = line.slice(2, -2).split(" | ") as [string, string, string, string];
      return `${file.slice(1, -1)} | ${group} | ${test} | ${expected}`;
    });
}

describe("the JSON Schema Test Suite through the shipped validators", async () => {
  const dir = await scratch("json-schema-suite");
  const shared = new Map<string, string>();
  const made = await compileGroups(groups(), shared);
  const load = writePackage(dir, made, shared);
  const skipped: Record<string, number> = {};
  const unexplained: string[] = [];
  const differ: string[] = [];
  const bothDiffer: string[] = [];
  let cases = 0;
  for (const m of made) {
    const ref = reference(m.group);
    if (typeof ref === "string" || m.refused !== undefined) {
      const refusal = typeof ref === "string" ? ref : (m.refused as string).replace(/^threw: /, "");
      const rule = SKIPS.find((r) => r.refusal.test(refusal));
      // The compile stage refuses what ajv in-process refuses (it throws on what the tree's checks stop first).
      const bothRefuse = typeof ref === "string" && m.refused !== undefined;
      if (rule && (bothRefuse || rule.stageCompiles)) skipped[rule.reason] = (skipped[rule.reason] ?? 0) + 1;
      else unexplained.push(`${m.group.file} | ${m.group.description} | ${refusal}`);
      continue;
    }
    const ours = load(m.type);
    for (const t of m.group.tests) {
      cases++;
      const expected = verdict(() => ref(t.data));
      const shipped = verdict(() => ours(envelope(m.type, t.data)));
      if (expected !== shipped)
        differ.push(`${m.group.file} | ${m.group.description} | ${t.description}: ajv ${expected}, shipped ${shipped}`);
      else if (expected !== t.valid) bothDiffer.push(`${m.group.file} | ${m.group.description} | ${t.description} | ${t.valid}`);
    }
  }

  it("runs most of the suite", () => {
    expect(cases).toBeGreaterThan(3000);
  });

  it("gives ajv's in-process verdict on every case", () => {
    expect(differ).toEqual([]);
  });

  it("differs from the suite exactly where docs/conformance.md says", () => {
    expect(bothDiffer.sort()).toEqual(documented().sort());
  });

  it("skips only groups the build could not hold, by a listed reason", () => {
    expect(unexplained).toEqual([]);
    expect(skipped).toEqual(Object.fromEntries(SKIPS.map((r) => [r.reason, r.groups])));
  });
});

/**
 * Own properties only: the shipped validators read an object's own keys, never what it inherits, so
 * a polluted Object.prototype neither supplies a missing required property nor adds one that
 * `properties` or `additionalProperties` would judge.
 */
describe("own-property semantics of the shipped validators, with Object.prototype polluted", async () => {
  const dir = await scratch("own-properties");
  const schema = {
    type: "object",
    additionalProperties: false,
    required: ["isTest"],
    properties: { isTest: { type: "boolean" }, count: { type: "integer" } },
  };
  const group: Group = { description: "own properties", schema, tests: [], file: "own", dialect: "2020-12" };
  const shared = new Map<string, string>();
  const made = await compileGroups([group], shared);
  const validator = writePackage(dir, made, shared)((made[0] as Made).type);
  const type = (made[0] as Made).type;
  const proto = Object.prototype as Record<string, unknown>;

  /** Runs `check` with `keys` set on Object.prototype, and removes them whatever happens. */
  function polluted(keys: Record<string, unknown>, check: () => void): void {
    for (const [k, v] of Object.entries(keys)) proto[k] = v;
    try {
      check();
    } finally {
      for (const k of Object.keys(keys)) delete proto[k];
    }
  }

  it("rejects an object lacking a required property that Object.prototype has", () => {
    polluted({ isTest: true }, () => {
      expect(validator(envelope(type, {}))).toBe(false);
      expect(validator(envelope(type, { isTest: false }))).toBe(true);
    });
    expect(Object.hasOwn(Object.prototype, "isTest")).toBe(false);
  });

  it("does not judge inherited keys named in properties, nor count them as additional", () => {
    polluted({ count: "not an integer", extra: 1 }, () => {
      expect(validator(envelope(type, { isTest: true }))).toBe(true);
      expect(validator(envelope(type, { isTest: true, count: "x" }))).toBe(false);
      expect(validator(envelope(type, { isTest: true, extra: 1 }))).toBe(false);
    });
  });

  it("rejects an envelope lacking a property that Object.prototype supplies", () => {
    const { clientaccountid: _, ...lacking } = envelope(type, { isTest: true });
    polluted({ clientaccountid: "c" }, () => {
      expect(validator(lacking)).toBe(false);
    });
  });
});
