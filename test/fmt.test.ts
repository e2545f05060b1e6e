/**
 * fmt: the canonical form of an events-tree file (src/schema/canonical.ts) and the `fmt` command.
 * Key order as table tests (given text → wanted text), number and string spelling, then the
 * command through the built CLI on scratch trees, then two properties over every file we have
 * (our tree and the fixture trees) and over random values: formatting never changes a value, and
 * formatting formatted text changes nothing.
 */

import { cp, readFile, rm, writeFile } from "node:fs/promises";
import path from "node:path";
import fc from "fast-check";
import { glob } from "glob";
import { afterAll, describe, expect, it } from "vitest";
import type { ParsedFile, SourceFile } from "../src/model/tree.js";
import { canonicalJson, canonicalNumber, SCHEMA_KEY_ORDER, SYSTEM_KEY_ORDER, stringText } from "../src/schema/canonical.js";
import { classify } from "../src/stages/discover.js";
import { parse } from "../src/stages/parse.js";
import { cli, ROOT, scratch } from "./helpers.js";

const EVENT_REL = "shop/order/order-placed.json";

/** A file of an events tree with this text, as discover would give it. */
function source(text: string | Uint8Array, rel = EVENT_REL): SourceFile {
  const bytes = typeof text === "string" ? new TextEncoder().encode(text) : text;
  return { file: `events/${rel}`, rel, bytes, kind: classify(rel) ?? { kind: "shared" } };
}

/** The file parsed; parse must report nothing. */
function parsed(text: string | Uint8Array, rel = EVENT_REL): ParsedFile {
  const r = parse([source(text, rel)]);
  expect(r.diagnostics).toEqual([]);
  return r.value[0] as ParsedFile;
}

/** The canonical text of a file with this text. */
function format(text: string, rel = EVENT_REL): string {
  return canonicalJson(parsed(text, rel));
}

/** The keys of every object in a text, in the order the text writes them (a pointer-ish path → keys). */
function keyOrder(text: string): string[] {
  // Keys are the strings followed by a colon: enough for the texts of these tables.
  return [...text.matchAll(/"((?:[^"\\]|\\.)*)":/g)].map((m) => m[1] as string);
}

const D2020 = "https://json-schema.org/draft/2020-12/schema";
const D07 = "http://json-schema.org/draft-07/schema#";

describe("key order", () => {
  const cases: [string, { given: string; want: string[]; rel?: string }][] = [
    [
      "top level: $schema, $id, title, description, then the documented order, unknown keys last in their order",
      {
        given: `{"x-b":1,"examples":[],"$defs":{},"properties":{},"required":[],"additionalProperties":false,"type":"object",
                "deprecated":true,"description":"d","title":"t","x-a":2,"$id":"https://domain-events.invalid/shop/order/order-placed.json","$schema":"${D2020}"}`,
        want: [
          "$schema",
          "$id",
          "title",
          "description",
          "deprecated",
          "type",
          "additionalProperties",
          "required",
          "properties",
          "examples",
          "$defs",
          "x-b",
          "x-a",
        ],
      },
    ],
    [
      "$ref before its annotations; string, number and array keywords",
      {
        given: `{"properties":{
          "a":{"description":"d","$ref":"../../_shared/money.json"},
          "b":{"maxLength":9,"minLength":1,"pattern":"^x","format":"email","type":"string"},
          "c":{"exclusiveMaximum":9,"minimum":1,"multipleOf":2,"type":"number"},
          "d":{"uniqueItems":true,"maxItems":3,"minItems":1,"items":{"type":"string"},"type":"array"}}}`,
        want: [
          "properties",
          "a",
          "$ref",
          "description",
          "b",
          "type",
          "format",
          "pattern",
          "minLength",
          "maxLength",
          "c",
          "type",
          "multipleOf",
          "minimum",
          "exclusiveMaximum",
          "d",
          "type",
          "items",
          "type",
          "minItems",
          "maxItems",
          "uniqueItems",
        ],
      },
    ],
    [
      "every kind of subschema is ordered: properties values, items, $defs values, combinator branches, if/then/else, not",
      {
        given: `{"$defs":{"n":{"type":"integer","description":"n"}},
          "allOf":[{"required":["a"],"type":"object"}],"anyOf":[{"enum":[1],"description":"x"}],
          "oneOf":[{"const":2,"title":"y"}],"not":{"maxLength":1,"type":"string"},
          "else":{"minimum":0,"type":"number"},"then":{"pattern":"a","type":"string"},"if":{"const":1,"type":"integer"},
          "additionalProperties":{"format":"uuid","type":"string"},
          "patternProperties":{"^x":{"minLength":1,"type":"string"}},
          "items":{"maxLength":2,"type":"string"},"prefixItems":[{"format":"date","type":"string"}],
          "propertyNames":{"pattern":"^a","type":"string"},"contains":{"minimum":1,"type":"number"},
          "dependentSchemas":{"a":{"required":["b"],"type":"object"}},
          "unevaluatedProperties":{"format":"email","type":"string"}}`,
        want: [
          "prefixItems",
          "type",
          "format",
          "items",
          "type",
          "maxLength",
          "contains",
          "type",
          "minimum",
          "additionalProperties",
          "type",
          "format",
          "unevaluatedProperties",
          "type",
          "format",
          "propertyNames",
          "type",
          "pattern",
          "dependentSchemas",
          "a",
          "type",
          "required",
          "patternProperties",
          "^x",
          "type",
          "minLength",
          "allOf",
          "type",
          "required",
          "anyOf",
          "description",
          "enum",
          "oneOf",
          "title",
          "const",
          "not",
          "type",
          "maxLength",
          "if",
          "type",
          "const",
          "then",
          "type",
          "pattern",
          "else",
          "type",
          "minimum",
          "$defs",
          "n",
          "description",
          "type",
        ],
      },
    ],
    [
      "data keeps its order: examples, default, const, enum",
      {
        given: `{"properties":{"p":{"examples":[{"type":"x","title":"y"}],"default":{"type":1,"$schema":2},
          "enum":[{"title":"t","description":"d"}],"const":{"properties":1,"10":0,"$id":2},"type":"object"}}}`,
        want: [
          "properties",
          "p",
          "type",
          "const",
          "properties",
          "10",
          "$id",
          "enum",
          "title",
          "description",
          "default",
          "type",
          "$schema",
          "examples",
          "type",
          "title",
        ],
      },
    ],
    [
      "maps keep the author's order of their keys, integer-like keys included",
      {
        given: `{"properties":{"zeta":{"type":"string"},"10":{"type":"string"},"alpha":{"type":"string"},"2":{"type":"string"}},
          "$defs":{"b":true,"a":false},"patternProperties":{"^z":{},"^a":{}}}`,
        want: [
          "properties",
          "zeta",
          "type",
          "10",
          "type",
          "alpha",
          "type",
          "2",
          "type",
          "patternProperties",
          "^z",
          "^a",
          "$defs",
          "b",
          "a",
        ],
      },
    ],
    [
      "unknown keywords: after the known ones in their order, their values untouched",
      {
        given: `{"x-meta":{"type":"a","title":"b"},"type":"object","tsType":"string","title":"t"}`,
        want: ["title", "type", "x-meta", "type", "title", "tsType"],
      },
    ],
    [
      "2020-12: dependencies and additionalItems are no keywords there, so their values are data",
      {
        given: `{"$schema":"${D2020}","dependencies":{"a":{"type":"object","title":"t"}},"additionalItems":{"type":"string","title":"u"}}`,
        want: ["$schema", "additionalItems", "type", "title", "dependencies", "a", "type", "title"],
      },
    ],
    [
      "draft-07: dependencies (schemas and arrays), additionalItems, definitions and array items are subschemas",
      {
        given: `{"$schema":"${D07}","definitions":{"d":{"type":"string","title":"d"}},
          "dependencies":{"a":{"type":"object","title":"t"},"b":["c","a"]},"additionalItems":{"type":"string","title":"u"},
          "items":[{"type":"string","title":"v"}]}`,
        want: [
          "$schema",
          "items",
          "title",
          "type",
          "additionalItems",
          "title",
          "type",
          "dependencies",
          "a",
          "title",
          "type",
          "b",
          "definitions",
          "d",
          "title",
          "type",
        ],
      },
    ],
    [
      "system.json: title, description, owner, source, then the rest",
      {
        rel: "shop/system.json",
        given: `{"source":"/systems/shop","extra":{"b":1,"a":2},"owner":"team-shop","description":"d","title":"Shop"}`,
        want: ["title", "description", "owner", "source", "extra", "b", "a"],
      },
    ],
    [
      "_shared files are schemas",
      {
        rel: "_shared/money.json",
        given: `{"properties":{"amount":{"type":"integer","description":"a"}},"type":"object","title":"Money","$schema":"${D2020}"}`,
        want: ["$schema", "title", "type", "properties", "amount", "description", "type"],
      },
    ],
  ];
  it.each(cases)("%s", (_, { given, want, rel }) => {
    const out = format(given, rel);
    expect(keyOrder(out)).toEqual(want);
    // Reordering never changes the value.
    expect(JSON.parse(out)).toEqual(JSON.parse(given));
  });

  it("SCHEMA_KEY_ORDER starts with $schema, $id, …, title, description and ends with $defs; names each keyword once", () => {
    expect(SCHEMA_KEY_ORDER.slice(0, 2)).toEqual(["$schema", "$id"]);
    expect(SCHEMA_KEY_ORDER.indexOf("title")).toBe(SCHEMA_KEY_ORDER.indexOf("description") - 1);
    expect(SCHEMA_KEY_ORDER.indexOf("examples")).toBeGreaterThan(SCHEMA_KEY_ORDER.indexOf("else"));
    expect(SCHEMA_KEY_ORDER.at(-2)).toBe("$defs");
    expect(new Set(SCHEMA_KEY_ORDER).size).toBe(SCHEMA_KEY_ORDER.length);
    expect(SYSTEM_KEY_ORDER).toEqual(["title", "description", "owner", "source"]);
  });
});

it("docs/authoring.md's list of the key order is SCHEMA_KEY_ORDER", async () => {
  const page = await readFile(path.join(ROOT, "docs/authoring.md"), "utf8");
  const list = /<!-- key-order:begin -->([\s\S]*?)<!-- key-order:end -->/.exec(page)?.[1] ?? "";
  expect([...list.matchAll(/`([^`]+)`/g)].map((m) => m[1])).toEqual(SCHEMA_KEY_ORDER);
});

describe("layout, strings and numbers", () => {
  it("two-space indent, one member per line, {} and [] when empty, LF and a final newline", () => {
    const out = format('{\r\n\t"type" :"object", "required":["a","b"],"properties":{ },"examples":[ ]}');
    expect(out).toBe('{\n  "type": "object",\n  "required": [\n    "a",\n    "b"\n  ],\n  "properties": {},\n  "examples": []\n}\n');
  });

  it.each([
    ["an escaped letter becomes the letter", String.raw`"caf\u00e9 \/ x"`, '"café / x"'],
    ["non-ASCII stays as written", '"Straße 😀"', '"Straße 😀"'],
    ["quotes, backslashes and control characters are escaped", String.raw`"a\"b\\c\n\t\u0001"`, String.raw`"a\"b\\c\n\t\u0001"`],
    [
      "invisible characters stay escapes",
      String.raw`"a\u200Bb\u202Ec\u2028d\u00ADe\u0085f"`,
      String.raw`"a\u200bb\u202ec\u2028d\u00ade\u0085f"`,
    ],
    ["a lone surrogate stays an escape", String.raw`"\uD800x"`, String.raw`"\ud800x"`],
  ])("strings: %s", (_, given, want) => {
    const out = format(`{"description":${given}}`);
    expect(out).toBe(`{\n  "description": ${want}\n}\n`);
    // What it wrote parses without a finding (no raw hidden character) and means the same.
    expect(parsed(out).json).toEqual(parsed(`{"description":${given}}`).json);
  });

  it("a string holding every hidden character the parser refuses raw comes out parseable", () => {
    const hidden =
      "\u061C\u200B\u200C\u200D\u200E\u200F\u202A\u202B\u202C\u202D\u202E\u2060\u2061\u2062\u2063\u2064\u2066\u2067\u2068\u2069\uFEFF";
    const given = `{"description":${JSON.stringify(hidden).replace(/[^\x20-\x7e]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`)}}`;
    const out = format(given);
    expect(parsed(out).json.description).toBe(hidden);
  });

  it.each([
    ["1", "1"],
    ["1.0", "1"],
    ["1.50", "1.5"],
    ["1E3", "1000"],
    ["1e-7", "1e-7"],
    ["0.000001", "0.000001"],
    ["12.99", "12.99"],
    ["1e21", "1e+21"],
    ["-0.0", "-0"],
    ["-0", "-0"],
    ["0.0", "0"],
    ["9007199254740993", "9007199254740993"], // not a double: kept
    ["12345678901234567890", "12345678901234567890"],
    ["0.30000000000000000001", "0.30000000000000000001"],
    ["1e400", "1e400"],
    ["-1e-400", "-1e-400"],
    ["1e-400", "1e-400"],
  ])("numbers: %s is written %s", (literal, want) => {
    expect(canonicalNumber(literal)).toBe(want);
    const out = format(`{"maximum":${literal}}`);
    expect(out).toBe(`{\n  "maximum": ${want}\n}\n`);
    expect(Object.is(JSON.parse(out).maximum, Number(literal))).toBe(true);
  });

  it("stringText escapes nothing JSON.stringify keeps but the invisible", () => {
    expect(stringText("é\u00a0x")).toBe('"é\u00a0x"');
    expect(stringText("\u{E0041}")).toBe(String.raw`"\udb40\udc41"`);
  });
});

/** Every JSON file we have: our tree and the fixture trees (and instances), as files of a tree. */
async function everyFile(): Promise<SourceFile[]> {
  const names = await glob(["events/**/*.json", "test/fixtures/**/*.json"], { cwd: ROOT, dot: true, nodir: true });
  return Promise.all(
    names.sort().map(async (name) => {
      const inTree = /(?:^|\/)events\/(.*)$/.exec(name)?.[1];
      const rel = inTree !== undefined && classify(inTree) ? inTree : "_shared/x.json";
      return { ...source(await readFile(path.join(ROOT, name)), rel), file: name };
    }),
  );
}

describe("meaning and idempotence", () => {
  it("over our tree and every fixture file that parses: the same value, parses cleanly, and formatting again changes nothing", async () => {
    const files = await everyFile();
    const clean = parse(files).value;
    // The trees hold files that do not parse on purpose; most parse.
    expect(clean.length).toBeGreaterThan(100);
    for (const file of clean) {
      const out = canonicalJson(file);
      const again = parse([{ ...file, bytes: new TextEncoder().encode(out) }]);
      expect(again.diagnostics, file.file).toEqual([]);
      const reparsed = again.value[0] as ParsedFile;
      expect(reparsed.json, file.file).toEqual(file.json);
      expect(canonicalJson(reparsed), file.file).toBe(out);
    }
  });

  it("our events tree is in canonical form (what CI's fmt --check asserts)", async () => {
    for (const file of parse((await everyFile()).filter((f) => f.file.startsWith("events/"))).value) {
      expect(new TextDecoder().decode(file.bytes), file.file).toBe(canonicalJson(file));
    }
  });

  it("random values in schema and data positions keep their value, and a second pass changes nothing", () => {
    fc.assert(
      fc.property(fc.jsonValue(), fc.jsonValue(), (a, b) => {
        const text = JSON.stringify({ type: "object", properties: { a, b }, allOf: [a], items: b, examples: [a, b], "x-a": a });
        const first = parse([source(text)]);
        fc.pre(first.diagnostics.length === 0); // reserved keys, raw hidden characters: not JSON we format
        const out = canonicalJson(first.value[0] as ParsedFile);
        const again = parse([source(out)]);
        expect(again.diagnostics).toEqual([]);
        expect((again.value[0] as ParsedFile).json).toEqual(JSON.parse(text));
        expect(canonicalJson(again.value[0] as ParsedFile)).toBe(out);
      }),
      { numRuns: 300 },
    );
  });
});

describe("domain-events fmt", () => {
  const dirs: string[] = [];
  afterAll(async () => {
    for (const dir of dirs) await rm(dir, { recursive: true, force: true });
  });

  /** A scratch copy of the valid-mixed fixture tree, with one file badly formatted. */
  async function tree(): Promise<{ dir: string; bad: string; badText: string }> {
    const dir = await scratch("fmt");
    dirs.push(dir);
    await cp(path.join(ROOT, "test/fixtures/valid-mixed/events"), path.join(dir, "events"), { recursive: true });
    // Start from canonical files, so that only the file made bad below is not.
    expect(cli(["fmt"], dir).code).toBe(0);
    const bad = "events/shop/order/order-cancelled.json";
    const value = JSON.parse(await readFile(path.join(dir, bad), "utf8"));
    const { title, ...rest } = value;
    const badText = `${JSON.stringify({ ...rest, title }, null, "\t").replace(/\n/g, "\r\n")}`;
    await writeFile(path.join(dir, bad), badText);
    return { dir, bad, badText };
  }

  it("--check names the file that is not formatted, exits 1 and changes nothing; fmt rewrites it; then --check exits 0", async () => {
    const { dir, bad, badText } = await tree();
    const checked = cli(["fmt", "--check"], dir);
    expect(checked.code).toBe(1);
    expect(checked.stdout).toContain(`${bad}: not formatted`);
    expect(checked.stdout).toContain("npm run fmt");
    expect(checked.stdout.match(/not formatted$/gm)).toHaveLength(1);
    expect(await readFile(path.join(dir, bad), "utf8")).toBe(badText);

    const formatted = cli(["fmt"], dir);
    expect(formatted.code).toBe(0);
    expect(formatted.stdout).toContain(`formatted ${bad}`);
    const after = await readFile(path.join(dir, bad), "utf8");
    expect(after).not.toBe(badText);
    expect(JSON.parse(after)).toEqual(JSON.parse(badText));
    expect(after.endsWith("}\n")).toBe(true);

    const again = cli(["fmt", "--check"], dir);
    expect(again.code).toBe(0);
    expect(again.stdout).not.toContain("not formatted");
    // Idempotent: a second fmt writes nothing.
    expect(cli(["fmt"], dir).stdout).not.toContain("formatted events/");
    expect(await readFile(path.join(dir, bad), "utf8")).toBe(after);
  });

  it("--format json and github list the files that are not formatted", async () => {
    const { dir, bad } = await tree();
    const json = cli(["fmt", "--check", "--format", "json"], dir);
    expect(json.code).toBe(1);
    expect(JSON.parse(json.stdout)).toMatchObject({ ok: false, errors: 0, unformatted: [bad], diagnostics: [] });
    const github = cli(["fmt", "--check", "--format", "github"], dir);
    expect(github.code).toBe(1);
    expect(github.stdout).toMatch(new RegExp(`^::error file=${bad.replace(/\./g, "\\.")},`, "m"));
  });

  it.each([
    ["a syntax error", "PARSE_SYNTAX", '{"title": "x",}\n'],
    ["a duplicate key", "PARSE_DUPLICATE_KEY", '{"title":"x","title":"y"}'],
  ])("a file with %s is reported with its code and left untouched, in both modes", async (_, code, text) => {
    const { dir } = await tree();
    const broken = "events/shop/order/order-placed.v3.json";
    await writeFile(path.join(dir, broken), text);
    for (const args of [["fmt", "--check"], ["fmt"]]) {
      const r = cli([...args, "--format", "json"], dir);
      expect(r.code).toBe(1);
      const out = JSON.parse(r.stdout);
      expect(out.diagnostics.map((d: { file: string; code: string }) => [d.file, d.code])).toEqual([[broken, code]]);
      expect(await readFile(path.join(dir, broken), "utf8")).toBe(text);
    }
    // The other files were formatted all the same.
    expect(JSON.parse(cli(["fmt", "--check", "--format", "json"], dir).stdout).unformatted).toEqual([]);
  });

  it("FILE arguments limit fmt to those files and folders; a path outside the tree is bad usage", async () => {
    const { dir, bad, badText } = await tree();
    const other = "events/shop/system.json";
    const otherText = '{"owner":"team-shop","title":"Shop","description":"d","source":"/systems/shop"}';
    await writeFile(path.join(dir, other), otherText);
    expect(cli(["fmt", other], dir).code).toBe(0);
    expect(await readFile(path.join(dir, bad), "utf8")).toBe(badText);
    expect(keyOrder(await readFile(path.join(dir, other), "utf8"))).toEqual(["title", "description", "owner", "source"]);
    const folder = cli(["fmt", "--check", "events/shop/order"], dir);
    expect(folder.code).toBe(1);
    expect(folder.stdout).toContain(`${bad}: not formatted`);
    const outside = cli(["fmt", "package.json"], dir);
    expect(outside.code).toBe(2);
    expect(outside.stderr).toContain("package.json");
    expect(await readFile(path.join(dir, bad), "utf8")).toBe(badText);
  });
});
