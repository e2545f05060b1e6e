/**
 * `check` and `build` agree: whatever a build would fail on, check reports as a diagnostic with a
 * position, and data (examples, `default`, `const`, `enum` values, property and definition names)
 * is never read as schema by json-schema-to-typescript. Each hostile tree is run through check and
 * build in process (without workers and with two), and through the CLI for its exit code; a tree
 * that check passes must build, and its declarations must type-check under tsc --strict.
 */

import { cp, mkdir, writeFile } from "node:fs/promises";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { build, check } from "../src/pipeline.js";
import { cliInProcess, ROOT, run, scratch } from "./helpers.js";

const BASE = path.join(ROOT, "test/fixtures/valid-mixed/events");

/** Every keyword json-schema-to-typescript, ajv or the bundler might mistake a name for. */
const KEYWORD_NAMES = [
  "anyOf",
  "oneOf",
  "allOf",
  "not",
  "$ref",
  "$dynamicRef",
  "properties",
  "patternProperties",
  "additionalProperties",
  "items",
  "additionalItems",
  "prefixItems",
  "definitions",
  "$defs",
  "enum",
  "const",
  "type",
  "required",
  "tsType",
  "tsEnumNames",
  "tsExtends",
  "default",
  "examples",
  "title",
  "description",
  "$id",
  "id",
  "$schema",
  "$comment",
  "extends",
  "nullable",
  "format",
  "if",
  "then",
  "else",
  "contains",
  "minItems",
  "maxItems",
];

/** Data that looks like schema: a reference that leads nowhere, keywords with values of the wrong shape. */
const SCHEMA_LOOKING_DATA = {
  $ref: "#/nowhere",
  anyOf: "x",
  oneOf: { a: 1 },
  allOf: 3,
  properties: ["p"],
  items: "i",
  $defs: [1],
  definitions: "d",
  required: "r",
  enum: { e: 1 },
  type: ["nonsense"],
  tsType: "*/ export const pwned = 1; /*",
  nullable: true,
  not: "n",
  additionalProperties: "a",
  extends: "e",
  id: 7,
};

/** An event schema around `properties`, with `extra` keywords at its top. */
function event(properties: Record<string, unknown>, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return { title: "Hostile", description: "Emitted by a test.", type: "object", additionalProperties: false, properties, ...extra };
}

/** An open object property that carries `data` under `keyword`. */
function holder(keyword: "examples" | "default", data: unknown): Record<string, unknown> {
  return { type: "object", additionalProperties: true, [keyword]: keyword === "examples" ? [data] : data };
}

/** Properties named after every keyword, each a small schema, all required. */
function keywordProperties(): Record<string, unknown> {
  const properties = Object.fromEntries(KEYWORD_NAMES.map((name, i) => [name, i % 2 === 0 ? { type: "string" } : { type: "integer" }]));
  return { type: "object", additionalProperties: false, properties, required: KEYWORD_NAMES };
}

/** Hostile trees: files (events-relative) added to valid-mixed. Each must build and type-check. */
const MUST_BUILD: [string, Record<string, unknown>][] = [
  [
    "a $ref key inside examples",
    {
      "shop/hostile/examples-ref.json": event(
        { note: holder("examples", { $ref: "#/nowhere", deeper: [{ $ref: "../../_shared/missing.json" }] }) },
        { examples: [{ note: { $ref: "#/nowhere" } }, { note: SCHEMA_LOOKING_DATA }] },
      ),
    },
  ],
  [
    "a $ref key inside default",
    { "shop/hostile/default-ref.json": event({ note: holder("default", { ...SCHEMA_LOOKING_DATA, more: { $ref: "#/nowhere" } }) }) },
  ],
  [
    "a $ref key inside a const object",
    {
      "shop/hostile/const-ref.json": event(
        { fixed: { const: { $ref: "#/nowhere", nested: { ...SCHEMA_LOOKING_DATA } } }, list: { const: [{ $ref: "#" }, "*/", null, 1.5] } },
        { required: ["fixed"], examples: [{ fixed: { $ref: "#/nowhere", nested: SCHEMA_LOOKING_DATA } }] },
      ),
    },
  ],
  [
    "a $ref key inside enum object values",
    {
      "shop/hostile/enum-ref.json": event({
        choice: { enum: [{ $ref: "#/nowhere" }, SCHEMA_LOOKING_DATA, ["a", { $ref: "#" }], "plain", 2, null, true, {}] },
      }),
    },
  ],
  [
    "properties named after keywords",
    {
      "shop/hostile/keyword-properties.json": event(
        {
          named: keywordProperties(),
          // The same names where ajv and json-schema-to-typescript meet them inside other keywords.
          list: { type: "array", items: keywordProperties() },
          either: { anyOf: [keywordProperties(), { type: "null" }] },
          byKey: { type: "object", additionalProperties: keywordProperties() },
          picky: { type: "array", items: { type: "string" }, contains: { ...keywordProperties(), type: ["object", "string"] } },
          conditional: {
            type: "object",
            additionalProperties: true,
            if: keywordProperties(),
            // biome-ignore lint/suspicious/noThenProperty: "then" is a JSON Schema keyword
            then: keywordProperties(),
            else: keywordProperties(),
          },
        },
        { required: ["named"] },
      ),
    },
  ],
  [
    "$defs named after keywords",
    {
      "shop/hostile/keyword-defs.json": event(
        {
          a: { $ref: "#/$defs/anyOf" },
          b: { $ref: "#/$defs/properties" },
          c: { $ref: "#/$defs/items" },
          d: { $ref: "#/$defs/enum" },
          e: { $ref: "#/$defs/type" },
        },
        {
          $defs: {
            anyOf: { type: "string" },
            properties: { type: "object", additionalProperties: false, properties: { anyOf: { $ref: "#/$defs/items" } } },
            items: { type: "array", items: { $ref: "#/$defs/type" } },
            enum: { enum: [{ $ref: "#/$defs/type" }] },
            type: { type: "integer" },
          },
        },
      ),
    },
  ],
  [
    "a shared file full of schema-looking data, referenced whole and by pointers",
    {
      "_shared/hostile.json": {
        title: "Hostile shared",
        type: "object",
        additionalProperties: false,
        properties: {
          anyOf: { type: "string", default: { $ref: "#/nowhere" }, examples: [SCHEMA_LOOKING_DATA] },
          $ref: { const: { $ref: "#" } },
          properties: { enum: [{ properties: { $ref: "#" } }] },
          items: keywordProperties(),
        },
        examples: [{ anyOf: "x", $ref: { $ref: "#" } }],
        $defs: { tsType: { type: "string", examples: [{ $ref: "#" }] } },
      },
      "shop/hostile/uses-shared.json": event({
        whole: { $ref: "../../_shared/hostile.json" },
        part: { $ref: "../../_shared/hostile.json#/properties/anyOf" },
        fixed: { $ref: "../../_shared/hostile.json#/properties/$ref" },
        keywords: { $ref: "../../_shared/hostile.json#/properties/items" },
        def: { $ref: "../../_shared/hostile.json#/$defs/tsType" },
      }),
    },
  ],
  [
    "both $defs and definitions in one subschema, referenced through each",
    {
      "_shared/both.json": {
        type: "object",
        additionalProperties: false,
        properties: { p: { $ref: "#/$defs/holder" } },
        $defs: {
          holder: {
            type: "object",
            additionalProperties: false,
            properties: { q: { $ref: "#/$defs/holder/$defs/d" }, r: { $ref: "#/$defs/holder/definitions/e" } },
            $defs: { d: { type: "string" } },
            definitions: { e: { type: "integer" } },
          },
        },
      },
      "shop/hostile/both-defs.json": event({
        local: {
          type: "object",
          additionalProperties: false,
          properties: { q: { $ref: "#/properties/local/$defs/d" }, r: { $ref: "#/properties/local/definitions/e" } },
          $defs: { d: { type: "string" } },
          definitions: { e: { type: "integer" } },
        },
        whole: { $ref: "../../_shared/both.json" },
        part: { $ref: "../../_shared/both.json#/$defs/holder/definitions/e" },
      }),
    },
  ],
  [
    "draft-07 tuples and dependencies holding keyword names and object constants",
    {
      "shop/hostile/draft-07.json": event(
        {
          t: {
            type: "array",
            items: [{ type: "object", additionalProperties: false, properties: { anyOf: { type: "string" } } }, { const: { $ref: "#" } }],
            additionalItems: { enum: [["x"]] },
          },
          dep: {
            type: "object",
            additionalProperties: true,
            dependencies: { $ref: ["a"], anyOf: { additionalProperties: true, properties: { anyOf: { type: "string" } } } },
          },
        },
        { $schema: "http://json-schema.org/draft-07/schema#" },
      ),
    },
  ],
  [
    "property names that a pointer must escape",
    {
      "shop/hostile/escaped-names.json": event({
        "50%": { type: "string" },
        "a b": { type: "integer" },
        "x/y~z": { type: "boolean" },
        p: { $ref: "#/properties/50%25" },
        q: { $ref: "#/properties/a%20b" },
        r: { $ref: "#/properties/x~1y~0z" },
      }),
    },
  ],
];

/** Trees check may refuse; whatever check passes must build. With a third entry: the errors check must give. */
const MUST_AGREE: [string, Record<string, unknown>, string[]?][] = [
  [
    "a local $ref into an example",
    { "shop/hostile/ref-into-example.json": event({ a: { $ref: "#/examples/0" } }, { examples: [{ type: "string" }] }) },
  ],
  [
    "a local $ref into a default",
    {
      "shop/hostile/ref-into-default.json": event({
        a: { type: "object", additionalProperties: true, default: { type: "string" } },
        b: { $ref: "#/properties/a/default" },
      }),
    },
    ["SCHEMA_REF_MISSING shop/hostile/ref-into-default.json#/properties/b/$ref"],
  ],
  [
    "a local $ref into a const value",
    { "shop/hostile/ref-into-const.json": event({ a: { const: { type: "string" } }, b: { $ref: "#/properties/a/const" } }) },
    ["SCHEMA_REF_MISSING shop/hostile/ref-into-const.json#/properties/b/$ref"],
  ],
  [
    "a local $ref at a properties map",
    { "shop/hostile/ref-at-map.json": event({ a: { type: "string" }, b: { $ref: "#/properties" } }) },
    ["SCHEMA_REF_MISSING shop/hostile/ref-at-map.json#/properties/b/$ref"],
  ],
  [
    "a $ref into a shared file's examples",
    {
      "_shared/data.json": { title: "Data", type: "string", examples: [{ type: "string" }] },
      "shop/hostile/ref-into-shared-example.json": event({ a: { $ref: "../../_shared/data.json#/examples/0" } }),
    },
    ["SCHEMA_REF_MISSING shop/hostile/ref-into-shared-example.json#/properties/a/$ref"],
  ],
  [
    "a definition named like another shared file (the same type name twice)",
    {
      "_shared/holder.json": {
        type: "object",
        additionalProperties: false,
        properties: { m: { $ref: "#/$defs/money" } },
        $defs: { money: { type: "integer" } },
      },
      "shop/hostile/uses-holder.json": event({ a: { $ref: "../../_shared/holder.json" } }),
    },
    ["GENERATE_TYPE_NAME _shared/holder.json#"],
  ],
  [
    "a number JSON cannot hold, in an enum",
    {
      "shop/hostile/overflow.json":
        '{ "title": "H", "description": "D.", "type": "object", "additionalProperties": false, "properties": { "n": { "enum": [1e400, 2] }, "m": { "const": [-1e400] } } }',
    },
  ],
  [
    "a data field named like a keyword, reached by pointer",
    { "shop/hostile/ref-through-keyword-name.json": event({ anyOf: { type: "string" }, b: { $ref: "#/properties/anyOf" } }) },
  ],
];

/** valid-mixed with `files` added, in a scratch folder. */
async function treeWith(files: Record<string, unknown>): Promise<{ dir: string; events: string }> {
  const dir = await scratch("agree");
  const events = path.join(dir, "events");
  await cp(BASE, events, { recursive: true });
  for (const [rel, json] of Object.entries(files)) {
    await mkdir(path.dirname(path.join(events, rel)), { recursive: true });
    await writeFile(path.join(events, rel), typeof json === "string" ? json : `${JSON.stringify(json, null, 2)}\n`);
  }
  return { dir, events };
}

/** tsc --strict over the package's declarations: its output (empty when they type-check). */
function typeCheck(out: string): string {
  const r = run(process.execPath, [
    path.join(ROOT, "node_modules/typescript/bin/tsc"),
    "--noEmit",
    "--strict",
    path.join(out, "index.d.ts"),
  ]);
  return r.stdout + r.stderr;
}

/** Every diagnostic has a file and a line: a position a person can go to. */
function positioned(diagnostics: readonly { file: string; line?: number }[]): boolean {
  return diagnostics.every((d) => d.file !== "" && (d.line ?? 0) >= 1);
}

/** Check and build (no workers, two workers, the CLI) of one tree: their verdicts agree. */
async function agree(events: string, dir: string): Promise<{ checked: boolean; built: boolean; out: string }> {
  const checked = await check({ eventsDir: events, cacheDir: false, workers: 0 });
  expect(positioned(checked.diagnostics)).toBe(true);
  const built = await build({ eventsDir: events, cacheDir: false, workers: 0 });
  const withWorkers = await build({ eventsDir: events, cacheDir: false, workers: 2 });
  expect(withWorkers.ok).toBe(built.ok);
  expect([...(withWorkers.files ?? new Map())]).toEqual([...(built.files ?? new Map())]);
  if (checked.ok) expect(built.ok).toBe(true);
  const out = path.join(dir, "out");
  const cliCheck = await cliInProcess(["check", "--no-cache", "--events", events]);
  const cliBuild = await cliInProcess(["build", "--no-cache", "--events", events, "--out", out]);
  expect(cliCheck.stderr + cliBuild.stderr).not.toMatch(/internal error|\n\s+at /);
  expect([0, 1]).toContain(cliCheck.code);
  if (cliCheck.code === 0) expect(cliBuild.code).toBe(0);
  return { checked: checked.ok, built: built.ok, out };
}

describe("check ok implies build ok, for data that looks like schema", () => {
  for (const [name, files] of MUST_BUILD) {
    it(`${name}: check and build pass`, async () => {
      const { dir, events } = await treeWith(files);
      expect(await agree(events, dir)).toMatchObject({ checked: true, built: true });
    });
  }

  it("all of them in one tree: the declarations type-check under tsc --strict", async () => {
    const { dir, events } = await treeWith(Object.assign({}, ...MUST_BUILD.map(([, files]) => files)));
    const verdict = await agree(events, dir);
    expect(verdict).toMatchObject({ checked: true, built: true });
    expect(typeCheck(verdict.out)).toBe("");
  });

  for (const [name, files, want] of MUST_AGREE) {
    it(`${name}: check and build give the same verdict`, async () => {
      const { dir, events } = await treeWith(files);
      const verdict = await agree(events, dir);
      expect(verdict.built).toBe(verdict.checked);
      if (want) {
        const checked = await check({ eventsDir: events, cacheDir: false, workers: 0 });
        const found = checked.diagnostics
          .filter((d) => d.severity === "error")
          .map((d) => `${d.code} ${path.relative(events, d.file)}#${d.pointer}`);
        expect(found).toEqual(want);
      }
    });
  }
});
