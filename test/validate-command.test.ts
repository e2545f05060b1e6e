/**
 * `domain-events validate FILE...`: event instances (JSON, or NDJSON with one event per line)
 * against the package's published schemas. Runs main() in-process with --events-json pointing at the
 * events.json of the golden tree (billing: invoice-issued v1 deprecated and v2, payment-captured in
 * draft-07), built here; and once through the built CLI without --events-json, against our own
 * events, to prove that it finds dist/events.json next to dist/cli.js.
 *
 * Findings are asserted as (file, line, pointer, code) and exit codes, never wording.
 * Inputs live in test/fixtures/instances/; what git cannot hold sensibly is written to .tmp/.
 */

import { mkdir, readdir, readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { main } from "../src/cli/main.js";
import { type Code, type Diagnostic, severityOf } from "../src/diagnostics/index.js";
import { defaultEventsJson, type PublishedEvent, validateInstances } from "../src/instances/index.js";
import { build } from "../src/pipeline.js";
import { cli, envelope, ROOT, scratch } from "./helpers.js";

const DIR = "test/fixtures/instances";

let eventsJson: string;
let entries: PublishedEvent[];

beforeAll(async () => {
  const built = await build({ eventsDir: "test/fixtures/golden/events", cwd: ROOT });
  const text = built.files?.get("events.json");
  if (!text) throw new Error("the golden tree did not build");
  eventsJson = path.join(await scratch("validate"), "events.json");
  await writeFile(eventsJson, text);
  entries = JSON.parse(text);
});

/** Runs main() in-process, capturing what it prints. */
async function run(args: readonly string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = "";
  let stderr = "";
  const code = await main(args, { write: (t: string) => (stdout += t) }, { write: (t: string) => (stderr += t) });
  return { code, stdout, stderr };
}

/** Runs validate with --format json and the golden events.json; returns the exit code and the findings. */
async function validate(...args: string[]): Promise<{ code: number; found: Want[]; diagnostics: Diagnostic[] }> {
  const r = await run(["validate", ...args, "--events-json", eventsJson, "--format", "json"]);
  expect(r.stderr).toBe("");
  const out = JSON.parse(r.stdout) as { ok: boolean; errors: number; warnings: number; diagnostics: Diagnostic[] };
  expect(out.ok).toBe(r.code === 0);
  // Severity is the registry's (src/diagnostics/codes.ts), not kept here.
  for (const d of out.diagnostics) expect(d.severity, d.code).toBe(severityOf(d.code));
  const found = out.diagnostics.map(({ code, file, line, pointer }) => ({ code, file, line, pointer }));
  return { code: r.code, found, diagnostics: out.diagnostics };
}

/** One expected finding. */
interface Want {
  code: Code;
  file: string;
  line: number | undefined;
  pointer: string;
}

const at = (code: Code, name: string, line: number, pointer: string): Want => ({ code, file: `${DIR}/${name}`, line, pointer });

const CASES: [string, { args: string[]; want: Want[]; exit: number }][] = [
  ["a JSON file holding one valid event", { args: [`${DIR}/valid.json`], want: [], exit: 0 }],
  ["an NDJSON file of valid events (2020-12 and draft-07 schemas)", { args: [`${DIR}/valid.ndjson`], want: [], exit: 0 }],
  [
    "a JSON array: the pointer starts with the item's index",
    {
      args: [`${DIR}/array.json`],
      want: [{ code: "EVENT_INVALID", file: `${DIR}/array.json`, line: 42, pointer: "/1/data/method" }],
      exit: 1,
    },
  ],
  [
    "NDJSON with errors on lines 2 and 4: the line of the record, the pointer into the event",
    {
      args: [`${DIR}/invalid.ndjson`],
      want: [
        { code: "EVENT_INVALID", file: `${DIR}/invalid.ndjson`, line: 2, pointer: "/data/total/amountMinor" },
        { code: "EVENT_INVALID", file: `${DIR}/invalid.ndjson`, line: 4, pointer: "" },
      ],
      exit: 1,
    },
  ],
  [
    "a deprecated version is a warning, and exits 0",
    {
      args: [`${DIR}/deprecated.json`],
      want: [{ code: "EVENT_DEPRECATED", file: `${DIR}/deprecated.json`, line: 5, pointer: "/type" }],
      exit: 0,
    },
  ],
  [
    "an unknown type",
    {
      args: [`${DIR}/unknown-type.json`],
      want: [{ code: "EVENT_UNKNOWN_TYPE", file: `${DIR}/unknown-type.json`, line: 5, pointer: "/type" }],
      exit: 1,
    },
  ],
  [
    "a JSON syntax error",
    { args: [`${DIR}/syntax.json`], want: [{ code: "EVENT_SYNTAX", file: `${DIR}/syntax.json`, line: 4, pointer: "" }], exit: 1 },
  ],
  [
    "an NDJSON syntax error: the other lines are still validated",
    { args: [`${DIR}/syntax.ndjson`], want: [{ code: "EVENT_SYNTAX", file: `${DIR}/syntax.ndjson`, line: 2, pointer: "" }], exit: 1 },
  ],
  [
    "a duplicate key",
    {
      args: [`${DIR}/duplicate-key.json`],
      want: [{ code: "EVENT_DUPLICATE_KEY", file: `${DIR}/duplicate-key.json`, line: 4, pointer: "/id" }],
      exit: 1,
    },
  ],
  [
    "each event's own type picks its schema",
    { args: [`${DIR}/mixed-types.ndjson`], want: [at("EVENT_UNKNOWN_TYPE", "mixed-types.ndjson", 3, "/type")], exit: 1 },
  ],
  [
    "--type: an event of another type is an error at /type",
    {
      args: [`${DIR}/mixed-types.ndjson`, "--type", "billing.payment.payment-captured.v1"],
      want: [at("EVENT_INVALID", "mixed-types.ndjson", 2, "/type"), at("EVENT_INVALID", "mixed-types.ndjson", 3, "/type")],
      exit: 1,
    },
  ],
  ["--type: events of that type pass", { args: [`${DIR}/valid.json`, "--type", "billing.invoice.invoice-issued.v2"], want: [], exit: 0 }],
  [
    "several files at once, findings sorted by file and line",
    {
      args: [`${DIR}/valid.ndjson`, `${DIR}/deprecated.json`, `${DIR}/invalid.ndjson`],
      want: [
        at("EVENT_DEPRECATED", "deprecated.json", 5, "/type"),
        at("EVENT_INVALID", "invalid.ndjson", 2, "/data/total/amountMinor"),
        at("EVENT_INVALID", "invalid.ndjson", 4, ""),
      ],
      exit: 1,
    },
  ],
];

describe("domain-events validate", () => {
  it.each(CASES)("%s", async (_, { args, want, exit }) => {
    const r = await validate(...args);
    expect(r.found).toEqual(want);
    expect(r.code).toBe(exit);
  });

  it("places an NDJSON finding at the column of the value within its line", async () => {
    const text = await readFile(path.join(ROOT, DIR, "invalid.ndjson"), "utf8");
    const line = text.split("\n")[1] as string;
    const r = await validate(`${DIR}/invalid.ndjson`);
    const d = r.diagnostics.find((x) => x.line === 2);
    expect(d?.column).toBe(line.indexOf('"amountMinor":19.99') + '"amountMinor":'.length + 1);
  });

  it("reports the line of a JSON syntax error, and pretty output is compiler style", async () => {
    const r = await run(["validate", `${DIR}/syntax.json`, `${DIR}/invalid.ndjson`, "--events-json", eventsJson]);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/^test\/fixtures\/instances\/syntax\.json:4:1: error EVENT_SYNTAX: /m);
    expect(r.stdout).toMatch(/^test\/fixtures\/instances\/invalid\.ndjson:2:\d+: error EVENT_INVALID: /m);
    expect(r.stdout).toMatch(/^failed: /m);
  });

  it("--format github prints workflow annotations, warnings as warnings", async () => {
    const r = await run(["validate", `${DIR}/invalid.ndjson`, `${DIR}/deprecated.json`, "--events-json", eventsJson, "--format", "github"]);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/^::error file=test\/fixtures\/instances\/invalid\.ndjson,line=2,col=\d+,title=EVENT_INVALID::.+$/m);
    expect(r.stdout).toMatch(/^::error file=test\/fixtures\/instances\/invalid\.ndjson,line=4,col=1,title=EVENT_INVALID::.+$/m);
    expect(r.stdout).toMatch(/^::warning file=test\/fixtures\/instances\/deprecated\.json,line=5,col=\d+,title=EVENT_DEPRECATED::.+$/m);
  });

  it("gives every unknown type, deprecation and syntax error a hint", async () => {
    const r = await validate(`${DIR}/unknown-type.json`, `${DIR}/deprecated.json`, `${DIR}/syntax.json`, `${DIR}/duplicate-key.json`);
    expect(r.diagnostics.map((d) => d.code).sort()).toEqual([
      "EVENT_DEPRECATED",
      "EVENT_DUPLICATE_KEY",
      "EVENT_SYNTAX",
      "EVENT_UNKNOWN_TYPE",
    ]);
    for (const d of r.diagnostics) expect(d.hint?.trim(), d.code).toBeTruthy();
    // The unknown v3 is pointed at the versions that exist, the deprecated v1 at the latest.
    expect(r.diagnostics.find((d) => d.code === "EVENT_UNKNOWN_TYPE")?.hint).toContain("billing.invoice.invoice-issued.v2");
    expect(r.diagnostics.find((d) => d.code === "EVENT_DEPRECATED")?.hint).toContain("billing.invoice.invoice-issued.v2");
  });
});

describe("domain-events validate: edge cases of the input", () => {
  const valid = envelope("billing.payment.payment-captured.v1", {
    paymentId: "0f9b1c6e-2d3a-4f5b-8c7d-9e0a1b2c3d4e",
    amount: { amountMinor: 1999, currency: "EUR" },
    method: "card",
  });
  const one = (value: unknown) => JSON.stringify(value);

  /** Writes files into a scratch folder and returns their paths relative to the repository. */
  async function files(named: Record<string, string | Uint8Array>): Promise<string[]> {
    const dir = await scratch("instances");
    return Promise.all(
      Object.entries(named).map(async ([name, content]) => {
        await writeFile(path.join(dir, name), content);
        return path.relative(ROOT, path.join(dir, name)).split(path.sep).join("/");
      }),
    );
  }

  it("NDJSON: blank lines and CRLF count as lines; .jsonl is NDJSON too", async () => {
    const bad = { ...valid, data: { ...(valid.data as object), method: "cash" } };
    const [file] = await files({ "events.jsonl": `${one(valid)}\r\n\r\n   \r\n${one(bad)}\r\n` });
    const r = await validate(file as string);
    expect(r.found).toEqual([{ code: "EVENT_INVALID", file, line: 4, pointer: "/data/method" }]);
  });

  it("an empty array and an empty NDJSON file hold no events, which is valid", async () => {
    const r = await validate(...(await files({ "none.json": "[]\n", "none.ndjson": "\n" })));
    expect(r).toMatchObject({ code: 0, found: [] });
  });

  it("a value that is not an object, in a file or an array, is an invalid event", async () => {
    const [scalar, array] = await files({ "scalar.json": '"hello"\n', "array.json": `[\n  ${one(valid)},\n  [1]\n]\n` });
    const r = await validate(scalar as string, array as string);
    expect(r.found).toEqual([
      { code: "EVENT_INVALID", file: array, line: 3, pointer: "/1" },
      { code: "EVENT_INVALID", file: scalar, line: 1, pointer: "" },
    ]);
  });

  it("an event without a type, or with a type that is not a string, has no schema", async () => {
    const { type: _, ...untyped } = valid;
    const [file] = await files({ "untyped.ndjson": `${one(untyped)}\n${one({ ...valid, type: 7 })}\n` });
    const r = await validate(file as string);
    expect(r.found).toEqual([
      { code: "EVENT_UNKNOWN_TYPE", file, line: 1, pointer: "/type" },
      { code: "EVENT_UNKNOWN_TYPE", file, line: 2, pointer: "/type" },
    ]);
  });

  it("a property outside the closed envelope is pointed at by its own key", async () => {
    const [file] = await files({ "extra.ndjson": `${one({ ...valid, clientAccountId: "ca-1" })}\n` });
    const r = await validate(file as string);
    expect(r.found).toEqual([{ code: "EVENT_INVALID", file, line: 1, pointer: "/clientAccountId" }]);
    expect(r.diagnostics[0]?.hint).toContain("clientaccountid");
  });

  it("only the types that occur are compiled", () => {
    const broken: PublishedEvent = { ...(entries[0] as PublishedEvent), type: "x.y.broken.v1", schema: { type: "no-such-type" } };
    const input = [{ file: "a.ndjson", text: `${one(valid)}\n` }];
    expect(validateInstances(input, [...entries, broken]).diagnostics).toEqual([]);
    expect(() => validateInstances([{ file: "b.ndjson", text: `${one({ ...valid, type: "x.y.broken.v1" })}\n` }], [broken])).toThrow(
      /does not compile/,
    );
  });

  it.each([
    ["no files", () => ["validate"]],
    ["a missing file", () => ["validate", `${DIR}/nope.json`, "--events-json", eventsJson]],
    ["a folder as FILE", () => ["validate", DIR, "--events-json", eventsJson]],
    ["a bad --format", () => ["validate", `${DIR}/valid.json`, "--events-json", eventsJson, "--format", "xml"]],
    [
      "an unknown --type",
      () => ["validate", `${DIR}/valid.json`, "--events-json", eventsJson, "--type", "billing.invoice.invoice-issued.v9"],
    ],
    ["a missing --events-json", () => ["validate", `${DIR}/valid.json`, "--events-json", `${DIR}/nope-events.json`]],
    ["an events.json that is no list of events", () => ["validate", `${DIR}/valid.json`, "--events-json", `${DIR}/valid.json`]],
    ["an option of another command", () => ["validate", `${DIR}/valid.json`, "--events", "events"]],
  ])("exits 2 on bad usage: %s", async (_, args) => {
    const r = await run(args());
    expect(r.code).toBe(2);
    expect(r.stdout).toBe("");
    expect(r.stderr).toMatch(/^domain-events: /);
    expect(r.stderr).not.toContain("internal error");
  });

  it("exits 2 on a file that is not UTF-8", async () => {
    const [file] = await files({ "latin1.json": Uint8Array.from([0x22, 0xe9, 0x22]) });
    const r = await run(["validate", file as string, "--events-json", eventsJson]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^domain-events: /);
  });
});

describe("where the package's events.json is found", () => {
  it("next to the running CLI (dist/cli.js), or in build/generated/ when running from source", () => {
    expect(defaultEventsJson("file:///pkg/node_modules/domain-events/dist/cli.js")).toBe(
      path.normalize("/pkg/node_modules/domain-events/dist/events.json"),
    );
    expect(defaultEventsJson("file:///repo/src/instances/read.ts")).toBe(path.normalize("/repo/build/generated/events.json"));
  });

  it("the built CLI validates our own events' examples without --events-json, from any folder", async () => {
    const lines: string[] = [];
    for (const entry of await readdir(path.join(ROOT, "events"), { recursive: true, withFileTypes: true })) {
      const rel = path.relative(path.join(ROOT, "events"), path.join(entry.parentPath, entry.name)).split(path.sep);
      const m = rel.length === 3 && !rel[0]?.startsWith("_") ? /^([a-z0-9-]+)(?:\.v(\d+))?\.json$/.exec(rel[2] as string) : null;
      if (!entry.isFile() || !m) continue;
      const schema = JSON.parse(await readFile(path.join(entry.parentPath, entry.name), "utf8")) as { examples?: unknown[] };
      const type = `${rel[0]}.${rel[1]}.${m[1]}.v${m[2] ?? 1}`;
      for (const example of schema.examples ?? []) lines.push(JSON.stringify(envelope(type, example)));
    }
    expect(lines.length).toBeGreaterThan(10);
    const dir = await scratch("own-events");
    await mkdir(path.join(dir, "fixtures"));
    await writeFile(path.join(dir, "fixtures/events.ndjson"), `${lines.join("\n")}\n`);
    const published = JSON.parse(await readFile(path.join(ROOT, "dist/events.json"), "utf8").catch(() => "[]")) as PublishedEvent[];

    const r = cli(["validate", "fixtures/events.ndjson", "--format", "json"], dir);
    expect(r.stderr).toBe("");
    const out = JSON.parse(r.stdout) as { errors: number; diagnostics: Diagnostic[] };
    expect(out.errors).toBe(0);
    expect(r.code).toBe(0);
    // Examples of deprecated versions are still valid events: they only warn.
    const deprecated = new Set(published.filter((e) => e.deprecated).map((e) => e.type));
    for (const d of out.diagnostics) {
      expect(d).toMatchObject({ code: "EVENT_DEPRECATED", file: "fixtures/events.ndjson", pointer: "/type" });
      expect(deprecated.has(JSON.parse(lines[(d.line as number) - 1] as string).type)).toBe(true);
    }

    // One broken record: exit 1, at its line.
    const broken = { ...JSON.parse(lines[0] as string), specversion: "0.3" };
    await writeFile(path.join(dir, "fixtures/events.ndjson"), `${[...lines, JSON.stringify(broken)].join("\n")}\n`);
    const bad = cli(["validate", "fixtures/events.ndjson", "--format", "json"], dir);
    expect(bad.code).toBe(1);
    expect(
      (JSON.parse(bad.stdout) as { diagnostics: Diagnostic[] }).diagnostics
        .filter((d) => d.severity === "error")
        .map((d) => [d.line, d.pointer, d.code]),
    ).toEqual([[lines.length + 1, "/specversion", "EVENT_INVALID"]]);
  });
});
