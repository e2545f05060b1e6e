/**
 * `domain-events compat OLD NEW` (DESIGN §4) and the version chain in events.json and check:
 * the JSON contract, the pretty explanation, exit codes, and that every counterexample shown is
 * real (checked here again with a fresh ajv, not trusting the tool).
 */

import { mkdir, writeFile } from "node:fs/promises";
import path from "node:path";
import { Ajv2020 } from "ajv/dist/2020.js";
import addFormatsModule from "ajv-formats";
import { beforeAll, describe, expect, it } from "vitest";
import { check } from "../src/pipeline.js";
import { cliInProcess, ROOT, scratch } from "./helpers.js";

type FormatsPlugin = typeof import("ajv-formats").default;
const addFormats: FormatsPlugin =
  (addFormatsModule as unknown as { default?: FormatsPlugin }).default ?? (addFormatsModule as unknown as FormatsPlugin);

const cli = cliInProcess;

const base = {
  type: "object",
  additionalProperties: false,
  required: ["id"],
  properties: { id: { type: "string" }, note: { type: "string", maxLength: 20 } },
};

/** previous → current pairs, with the verdict expected. */
const PAIRS: [string, { previous: object; current: object; want: { backward: boolean; forward: boolean } }][] = [
  ["identical", { previous: base, current: base, want: { backward: true, forward: true } }],
  ["annotation only", { previous: base, current: { ...base, description: "now described" }, want: { backward: true, forward: true } }],
  [
    "optional property added to a closed model",
    {
      previous: base,
      current: { ...base, properties: { ...base.properties, extra: { type: "integer" } } },
      want: { backward: true, forward: false },
    },
  ],
  ["required property added", { previous: base, current: { ...base, required: ["id", "note"] }, want: { backward: false, forward: true } }],
  [
    "maxLength decreased",
    {
      previous: base,
      current: { ...base, properties: { ...base.properties, note: { type: "string", maxLength: 5 } } },
      want: { backward: false, forward: true },
    },
  ],
  [
    "type changed",
    {
      previous: base,
      current: { ...base, properties: { ...base.properties, id: { type: "integer" } } },
      want: { backward: false, forward: false },
    },
  ],
  [
    "open model: optional property added",
    {
      previous: { ...base, additionalProperties: true },
      current: { ...base, additionalProperties: true, properties: { ...base.properties, extra: { type: "integer" } } },
      want: { backward: false, forward: true },
    },
  ],
];

describe("domain-events compat", () => {
  let dir: string;
  beforeAll(async () => {
    dir = await scratch("compat");
  });

  async function files(name: string, previous: object, current: object): Promise<[string, string]> {
    const a = path.join(dir, `${name.replace(/\W+/g, "-")}-old.json`);
    const b = path.join(dir, `${name.replace(/\W+/g, "-")}-new.json`);
    await writeFile(a, JSON.stringify(previous));
    await writeFile(b, JSON.stringify(current));
    return [a, b];
  }

  it.each(PAIRS)("%s: verdict, and every counterexample is real", async (name, { previous, current, want }) => {
    const [a, b] = await files(name, previous, current);
    const r = await cli(["compat", a, b, "--format", "json"]);
    expect(r.code).toBe(0);
    const report = JSON.parse(r.stdout);
    expect({ backward: report.backward, forward: report.forward, full: report.full }).toEqual({
      ...want,
      full: want.backward && want.forward,
    });
    for (const c of report.changes) {
      expect(Object.keys(c)).toEqual(expect.arrayContaining(["type", "pointer", "backward", "forward"]));
      expect(c.pointer === "" || c.pointer.startsWith("/")).toBe(true);
    }
    const ajv = new Ajv2020({ strict: false });
    addFormats(ajv);
    const oldValidate = ajv.compile(previous);
    const newValidate = ajv.compile(current);
    for (const x of report.counterexamples) {
      const [accepts, rejects] = x.direction === "backward" ? [oldValidate, newValidate] : [newValidate, oldValidate];
      expect(accepts(x.value), JSON.stringify(x)).toBe(true);
      expect(rejects(x.value), JSON.stringify(x)).toBe(false);
    }
    // An incompatible direction comes with a counterexample whenever the pair has one.
    expect(report.counterexamples.map((x: { direction: string }) => x.direction).sort()).toEqual(
      [...(want.backward ? [] : ["backward"]), ...(want.forward ? [] : ["forward"])].sort(),
    );
  });

  it("pretty output explains each change, names the content model and shows the counterexample", async () => {
    const [a, b] = await files(
      "pretty",
      { ...base, additionalProperties: true },
      {
        ...base,
        additionalProperties: true,
        properties: { ...base.properties, extra: { type: "integer" } },
      },
    );
    const r = await cli(["compat", a, b]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/backward: no {3}forward: yes {3}full: no/);
    expect(r.stdout).toContain("/properties/extra");
    expect(r.stdout).toContain("content model: open");
    expect(r.stdout).toMatch(/counterexample \(backward\): OLD accepts it, NEW rejects it/);
  });

  it("resolves relative references between files, as in the events tree", async () => {
    const events = path.join(ROOT, "events/existing-business/invoice");
    const r = await cli([
      "compat",
      path.join(events, "invoice-issued.json"),
      path.join(events, "invoice-issued.v2.json"),
      "--format",
      "json",
    ]);
    expect(r.code).toBe(0);
    const report = JSON.parse(r.stdout);
    expect(report.backward).toBe(false);
    expect(report.counterexamples.length).toBeGreaterThan(0);
  });

  it("--policy lenient accepts an optional property added to an open model", async () => {
    const [a, b] = await files(
      "lenient",
      { ...base, additionalProperties: true },
      {
        ...base,
        additionalProperties: true,
        properties: { ...base.properties, extra: { type: "integer" } },
      },
    );
    expect(JSON.parse((await cli(["compat", a, b, "--format", "json"])).stdout).backward).toBe(false);
    expect(JSON.parse((await cli(["compat", a, b, "--policy", "lenient", "--format", "json"])).stdout).backward).toBe(true);
  });

  it.each([
    [["compat", "only-one.json"]],
    [["compat", "missing-a.json", "missing-b.json"]],
    [["compat", "package.json", "package.json", "--policy", "loose"]],
    [["compat", "README.md", "package.json"]],
  ])("exits 2 when the schemas cannot be read: %j", async (args) => {
    const r = await cli(args);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^domain-events: /);
  });
});

describe("the version chain", () => {
  it("events.json records each version's compatibility with the previous one", async () => {
    const dir = await scratch("chain");
    const out = path.join(dir, "out");
    expect((await cli(["build", "--events", path.join(ROOT, "test/fixtures/golden/events"), "--out", out])).code).toBe(0);
    const entries = JSON.parse(await (await import("node:fs/promises")).readFile(path.join(out, "events.json"), "utf8"));
    const v1 = entries.find((e: { type: string }) => e.type === "billing.invoice.invoice-issued.v1");
    const v2 = entries.find((e: { type: string }) => e.type === "billing.invoice.invoice-issued.v2");
    expect(v1.compatibility).toBeUndefined();
    expect(v2.compatibility).toEqual({ previous: "none" });
    expect(Object.keys(v2)).toEqual([
      "type",
      "system",
      "topic",
      "event",
      "version",
      "latest",
      "deprecated",
      "typeName",
      "title",
      "description",
      "compatibility",
      "schema",
    ]);
  });

  it("check warns COMPAT_VERSION_UNNEEDED when a new version is fully compatible", async () => {
    const dir = await scratch("unneeded");
    const events = path.join(dir, "events");
    await mkdir(path.join(events, "shop/order"), { recursive: true });
    const v1 = {
      title: "Order placed",
      description: "D",
      type: "object",
      additionalProperties: false,
      properties: { id: { type: "string" } },
      examples: [{}],
    };
    await writeFile(path.join(events, "shop/order/order-placed.json"), JSON.stringify(v1, null, 2));
    await writeFile(
      path.join(events, "shop/order/order-placed.v2.json"),
      JSON.stringify({ ...v1, description: "Version 2: reworded only." }, null, 2),
    );
    const result = await check({ eventsDir: events, cwd: ROOT });
    expect(result.ok).toBe(true);
    expect(result.diagnostics.map((d) => [d.code, d.severity, path.basename(d.file)])).toEqual([
      ["COMPAT_VERSION_UNNEEDED", "warning", "order-placed.v2.json"],
    ]);
  });

  it("our own tree: every new version is a breaking change in at least one direction", async () => {
    const result = await check({ eventsDir: "events", cwd: ROOT });
    expect(result.diagnostics).toEqual([]);
    const verdicts = [...(result.chain?.values() ?? [])];
    expect(verdicts.length).toBeGreaterThanOrEqual(7);
    expect(verdicts).not.toContain("full");
  });
});
