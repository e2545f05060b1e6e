/**
 * The build treats schemas as untrusted, and the emitted validators treat events as untrusted:
 * - every bad tree leaves the out folder byte for byte as it was, and no temporary folder;
 * - npm run build leaves dist/ as it was when the events or tsup fail;
 * - a build with remote references opens no socket (a loopback server counts requests);
 * - random mutations of valid schemas never crash the CLI nor print a stack trace (fast-check);
 * - hostile events (prototype keys, deep nesting, throwing getters, huge values) give results,
 *   never exceptions, and pollute nothing.
 */

import { cp, mkdir, readdir, readFile, rm, symlink, writeFile } from "node:fs/promises";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import path from "node:path";
import { pathToFileURL } from "node:url";
import fc from "fast-check";
import { beforeAll, describe, expect, it } from "vitest";
import { cliInProcess, envelope, ROOT, run, scratch, snapshotDir } from "./helpers.js";
import { objectsIn } from "./support/fuzz.js";

/** Fixture trees that hold an error: every case folder but the valid ones and those with warnings only. */
async function badFixtures(): Promise<string[]> {
  const good = ["golden", "valid-mixed", "layout-not-json", "schema-examples"];
  const names = (await readdir(path.join(ROOT, "test/fixtures"))).filter((n) => !good.includes(n));
  return names.sort().map((n) => path.join(ROOT, "test/fixtures", n, "events"));
}

const STACK_LINE = /^\s+at .+\(.+:\d+:\d+\)$/m;

describe("a bad tree changes nothing", () => {
  it("leaves an existing out folder byte for byte as it was, for every bad fixture", async () => {
    const dir = await scratch("corpus");
    const out = path.join(dir, "out");
    expect((await cliInProcess(["build", "--events", path.join(ROOT, "test/fixtures/golden/events"), "--out", out])).code).toBe(0);
    const before = await snapshotDir(out);
    const trees = await badFixtures();
    expect(trees.length).toBeGreaterThan(20);
    for (const events of trees) {
      const r = await cliInProcess(["build", "--events", events, "--out", out]);
      expect({ events, code: r.code }).toEqual({ events, code: 1 });
      expect(r.stderr).toBe("");
      const after = await snapshotDir(out);
      expect([...after.keys()]).toEqual([...before.keys()]);
      for (const [name, bytes] of before) expect(bytes.equals(after.get(name) as Buffer), `${events}: ${name}`).toBe(true);
    }
    expect((await readdir(dir)).sort()).toEqual(["out"]);
  });

  it("npm run build leaves dist/ as it was when an event is bad or tsup fails", async () => {
    const repo = path.join(await scratch("repo"), "repo");
    await mkdir(repo);
    for (const f of ["package.json", "tsconfig.json", "src", "scripts", "events", "keys"])
      await cp(path.join(ROOT, f), path.join(repo, f), { recursive: true });
    await symlink(path.join(ROOT, "node_modules"), path.join(repo, "node_modules"));
    const buildScript = () => run(process.execPath, [path.join(ROOT, "node_modules/tsx/dist/cli.mjs"), "scripts/build.ts"], repo);
    expect(buildScript().code).toBe(0);
    const before = await snapshotDir(path.join(repo, "dist"));

    const event = path.join(repo, "events/clh/client-account/client-account-renamed.json");
    const original = await readFile(event, "utf8");
    await writeFile(event, original.replace('"type": "object"', '"type": "object", "requried": []'));
    const bad = buildScript();
    expect(bad.code).toBe(1);
    expect(bad.stdout).toContain("SCHEMA_UNKNOWN_KEYWORD");
    await writeFile(event, original);

    await writeFile(
      path.join(repo, "src/cleanup/index.ts"),
      `${await readFile(path.join(repo, "src/cleanup/index.ts"), "utf8")}\nexport const broken: number = "s";\n`,
    );
    const failed = buildScript();
    expect(failed.code).toBe(1);
    expect(failed.stderr).toContain("dist/ left as it was");

    const after = await snapshotDir(path.join(repo, "dist"));
    expect([...after.keys()].sort()).toEqual([...before.keys()].sort());
    for (const [name, bytes] of before) expect(bytes.equals(after.get(name) as Buffer), name).toBe(true);
    expect((await readdir(repo)).filter((n) => n.startsWith("dist."))).toEqual([]);
  });
});

describe("the build never touches the network", () => {
  it("a remote $ref, $schema and $id make no request to a loopback server", async () => {
    let requests = 0;
    const server = createServer((_req, res) => {
      requests++;
      res.setHeader("content-type", "application/json");
      res.end('{ "type": "string" }');
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    try {
      const events = path.join(await scratch("network"), "events");
      const event = (props: Record<string, unknown>, extra: Record<string, unknown> = {}) =>
        JSON.stringify(
          { title: "T", description: "D", type: "object", additionalProperties: false, properties: props, examples: [{}], ...extra },
          null,
          2,
        );
      await mkdir(path.join(events, "shop/order"), { recursive: true });
      await writeFile(path.join(events, "shop/order/order-placed.json"), event({ a: { $ref: `${base}/money.json` } }));
      await writeFile(path.join(events, "shop/order/order-paid.json"), event({ a: { type: "string" } }, { $schema: `${base}/schema` }));
      await writeFile(
        path.join(events, "shop/order/order-sent.json"),
        event({ a: { type: "string" } }, { $id: `${base}/order-sent.json` }),
      );
      await writeFile(path.join(events, "shop/order/order-read.json"), event({ a: { $ref: "file:///etc/passwd" } }));
      const r = await cliInProcess(["build", "--events", events, "--format", "json"]);
      expect(r.code).toBe(1);
      const codes = JSON.parse(r.stdout)
        .diagnostics.map((d: { code: string }) => d.code)
        .sort();
      expect(codes).toEqual(["SCHEMA_DIALECT", "SCHEMA_ID", "SCHEMA_REF_REMOTE", "SCHEMA_REF_REMOTE"]);
      expect(requests).toBe(0);
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
  });
});

describe("hostile strings stay data in the generated code", () => {
  it("titles, descriptions, property names and enum values that look like code give a module that type-checks and imports", async () => {
    const dir = await scratch("hostile");
    const events = path.join(dir, "events");
    await mkdir(path.join(events, "a/b"), { recursive: true });
    // biome-ignore-start lint/suspicious/noTemplateCurlyInString: the point is text that looks like a template
    const schema = {
      title: "X `${process.exit(1)}` \\ \" ' </script> */",
      description: "D \u2028 line */ export const pwned = 1; /*",
      type: "object",
      additionalProperties: false,
      properties: {
        'we"ird */ key`${x}`': { enum: ['a"b', "*/ x", "`${y}`", "\\"], description: "*/ declare const pwned: 1; /*" },
        n: { const: "\u2029" },
      },
      required: ["n"],
      examples: [{ n: "\u2029" }],
    };
    // biome-ignore-end lint/suspicious/noTemplateCurlyInString: the point is text that looks like a template
    // The separators as escapes: written raw, they are hidden characters (PARSE_HIDDEN_CHARACTER).
    const text = JSON.stringify(schema, null, 2)
      .replace(/\u2028/g, "\\u2028")
      .replace(/\u2029/g, "\\u2029");
    await writeFile(path.join(events, "a/b/x-happened.json"), text);
    const out = path.join(dir, "out");
    expect((await cliInProcess(["build", "--events", events, "--out", out])).code).toBe(0);
    const dts = await readFile(path.join(out, "index.d.ts"), "utf8");
    expect(dts).not.toMatch(/^export const pwned/m);
    const tsc = run(process.execPath, [
      path.join(ROOT, "node_modules/typescript/bin/tsc"),
      "--noEmit",
      "--strict",
      path.join(out, "index.d.ts"),
    ]);
    expect(tsc.stdout + tsc.stderr).toBe("");
    const mod = (await import(pathToFileURL(path.join(out, "index.js")).href)) as Runtime & { pwned?: unknown };
    expect(mod.pwned).toBeUndefined();
    expect(mod.events[0]).toMatchObject({ type: "a.b.x-happened.v1", title: schema.title });
    expect(mod.validate(envelope("a.b.x-happened.v1", { n: "\u2029" })).ok).toBe(true);
  });
});

/** Random changes to a schema: a value replaced, a key removed, or a key added, anywhere. */
const mutation = fc.record({
  kind: fc.constantFrom("replace", "remove", "add"),
  at: fc.nat(),
  key: fc.oneof(
    fc.constantFrom(
      "type",
      "properties",
      "$ref",
      "required",
      "items",
      "pattern",
      "format",
      "$defs",
      "allOf",
      "examples",
      "__proto__",
      "tsType",
      "$id",
      "enum",
    ),
    fc.string(),
  ),
  value: fc.oneof(
    fc.jsonValue(),
    fc.constantFrom("#", "#/$defs/x", "../../_shared/money.json", "http://127.0.0.1:9/x", "^(a+)+$", "[", "object", { $ref: "#" }),
  ),
});

function mutate(schema: unknown, changes: { kind: string; at: number; key: string; value: unknown }[]): unknown {
  const copy = JSON.parse(JSON.stringify(schema));
  for (const change of changes) {
    const targets = objectsIn(copy);
    const target = targets[change.at % targets.length] as Record<string, unknown>;
    const keys = Object.keys(target);
    if (change.kind === "remove" && keys.length > 0) delete target[keys[change.at % keys.length] as string];
    else if (change.kind === "replace" && keys.length > 0) target[keys[change.at % keys.length] as string] = change.value;
    else Object.defineProperty(target, change.key, { value: change.value, enumerable: true, writable: true, configurable: true });
  }
  return copy;
}

describe("random schemas never crash the tools", () => {
  it("check and build exit 0 or 1 with diagnostics, never an internal error or a stack trace", async () => {
    const source = path.join(ROOT, "test/fixtures/valid-mixed/events");
    const files = (await readdir(source, { recursive: true })).filter((f) => f.endsWith(".json")).sort();
    const dir = await scratch("fuzz");
    let n = 0;
    await fc.assert(
      fc.asyncProperty(fc.nat({ max: files.length - 1 }), fc.array(mutation, { minLength: 1, maxLength: 4 }), async (which, changes) => {
        const events = path.join(dir, String(n++), "events");
        await cp(source, events, { recursive: true });
        const file = path.join(events, files[which] as string);
        await writeFile(file, JSON.stringify(mutate(JSON.parse(await readFile(file, "utf8")), changes), null, 2));
        const r = await cliInProcess(["build", "--events", events, "--out", path.join(events, "..", "out"), "--format", "json"]);
        expect([0, 1]).toContain(r.code);
        if (process.env.FUZZ_STATS)
          process.stderr.write(
            `fuzz ${r.code} ${JSON.parse(r.stdout)
              .diagnostics.map((d: { code: string }) => d.code)
              .join(",")}\n`,
          );
        expect(r.stderr).toBe("");
        expect(r.stdout).not.toMatch(STACK_LINE);
        const report = JSON.parse(r.stdout);
        expect(report.ok).toBe(r.code === 0);
        for (const d of report.diagnostics) expect(d.hint, d.code).toBeTruthy();
        await rm(path.dirname(events), { recursive: true, force: true });
      }),
      { numRuns: Number(process.env.FUZZ_RUNS ?? 60), seed: Number(process.env.FUZZ_SEED ?? 20261127) },
    );
  });
});

interface Runtime {
  validate(value: unknown): { ok: boolean; errors?: { keyword: string; pointer: string }[] };
  parseEvent(value: unknown): unknown;
  EventValidationError: new (...args: never[]) => Error;
  events: { type: string }[];
}

describe("the emitted validators treat events as untrusted", () => {
  let mod: Runtime;
  let recursive: Runtime;
  const type = "billing.invoice.invoice-issued.v2";
  const data = {
    invoiceId: "8a0c6b8e-3f0e-4a53-9a55-1d7c5b1f8e21",
    total: { amountMinor: 1999, currency: "EUR" },
    lines: [{ text: "Plan Pro, May", price: { amountMinor: 1999, currency: "EUR" } }],
  };

  beforeAll(async () => {
    const dir = await scratch("runtime");
    expect(
      (await cliInProcess(["build", "--events", path.join(ROOT, "test/fixtures/golden/events"), "--out", path.join(dir, "golden")])).code,
    ).toBe(0);
    mod = await import(pathToFileURL(path.join(dir, "golden/index.js")).href);
    const events = path.join(dir, "tree/events");
    await mkdir(path.join(events, "docs/page"), { recursive: true });
    const node = {
      type: "object",
      additionalProperties: false,
      properties: { children: { type: "array", items: { $ref: "#/$defs/node" } } },
    };
    await writeFile(
      path.join(events, "docs/page/page-published.json"),
      JSON.stringify({
        title: "T",
        description: "D",
        type: "object",
        additionalProperties: false,
        properties: { tree: { $ref: "#/$defs/node" } },
        $defs: { node },
        examples: [{}],
      }),
    );
    expect((await cliInProcess(["build", "--events", events, "--out", path.join(dir, "tree/out")])).code).toBe(0);
    recursive = await import(pathToFileURL(path.join(dir, "tree/out/index.js")).href);
  });

  it("a __proto__ key in an event is an unknown property, and pollutes nothing", () => {
    const hostile = JSON.parse(`{"__proto__": {"polluted": true}, ${JSON.stringify(envelope(type, data)).slice(1)}`);
    const r = mod.validate(hostile);
    expect(r.ok).toBe(false);
    expect(r.errors?.map((e) => e.keyword)).toContain("additionalProperties");
    const inData = envelope(type, JSON.parse(`{"__proto__": {"polluted": true}, ${JSON.stringify(data).slice(1)}`));
    expect(mod.validate(inData).ok).toBe(false);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it("inherited properties do not count: an event must own its attributes", () => {
    const inherited = Object.create(envelope(type, data));
    expect(mod.validate(inherited).ok).toBe(false);
  });

  it("a payload nested deeper than the stack gives an error result, not a RangeError", () => {
    let tree: Record<string, unknown> = {};
    for (let i = 0; i < 100_000; i++) tree = { children: [tree] };
    const r = recursive.validate(envelope("docs.page.page-published.v1", { tree }));
    expect(r.ok).toBe(false);
    expect(r.errors?.[0]?.keyword).toBe("exception");
    expect(() => recursive.parseEvent(envelope("docs.page.page-published.v1", { tree }))).toThrow(recursive.EventValidationError);
    expect(recursive.validate(envelope("docs.page.page-published.v1", { tree: { children: [{ children: [] }] } })).ok).toBe(true);
  });

  it("an object whose getters throw gives an error result", () => {
    const trap = new Proxy(envelope(type, data), {
      get() {
        throw new Error("trap");
      },
      getOwnPropertyDescriptor() {
        throw new Error("trap");
      },
    });
    expect(mod.validate(trap).ok).toBe(false);
    expect(() => mod.parseEvent(trap)).toThrow(mod.EventValidationError);
  });

  it("large values validate", () => {
    const lines = Array.from({ length: 100_000 }, (_, i) => ({ text: `line ${i}`, price: { amountMinor: i, currency: "EUR" } }));
    expect(mod.validate(envelope(type, { ...data, lines })).ok).toBe(true);
    expect(mod.validate(envelope(type, { ...data, total: { amountMinor: 1, currency: "E".repeat(1_000_000) } })).ok).toBe(false);
  });

  it("random values: validate never throws and parseEvent throws only EventValidationError", () => {
    fc.assert(
      fc.property(
        fc.oneof(
          fc.jsonValue(),
          fc.anything(),
          fc.record({
            type: fc.constantFrom(...mod.events.map((e) => e.type), "__proto__", "constructor", "toString"),
            data: fc.jsonValue(),
          }),
          fc.jsonValue().map((v) => envelope(type, v)),
        ),
        (value) => {
          const r = mod.validate(value);
          expect(typeof r.ok).toBe("boolean");
          try {
            mod.parseEvent(value);
          } catch (e) {
            expect(e).toBeInstanceOf(mod.EventValidationError);
          }
        },
      ),
      { numRuns: 2000, seed: 20261127 },
    );
  });
});
