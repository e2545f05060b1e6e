/**
 * The hidden-character rule covers what docs/security.md says (issue 14, part 10a): C1 controls, the line
 * and paragraph separators, format characters and the invisible fillers and other default-ignorable
 * characters, written raw anywhere in a file, are PARSE_HIDDEN_CHARACTER; written as a `\u` escape
 * they are allowed in a value and refused in a key. `fmt` writes each of them as an escape, so the
 * canonical form never holds what `check` refuses (one definition: src/schema/hidden.ts).
 */

import { mkdir, writeFile } from "node:fs/promises";
import path from "node:path";
import { describe, expect, it } from "vitest";
import type { Diagnostic } from "../src/diagnostics/index.js";
import type { ParsedFile, SourceFile } from "../src/model/tree.js";
import { check } from "../src/pipeline.js";
import { canonicalJson, stringText } from "../src/schema/canonical.js";
import { parse } from "../src/stages/parse.js";
import { scratch } from "./helpers.js";

/** The five characters the red team got past `check`, and a few more of each kind. */
const REPORTED: [string, number][] = [
  ["U+2028 LINE SEPARATOR", 0x2028],
  ["U+0085 NEXT LINE (a C1 control)", 0x85],
  ["U+3164 HANGUL FILLER", 0x3164],
  ["U+115F HANGUL CHOSEONG FILLER", 0x115f],
  ["U+034F COMBINING GRAPHEME JOINER", 0x34f],
];
const MORE: [string, number][] = [
  ["U+2029 PARAGRAPH SEPARATOR", 0x2029],
  ["U+009B CONTROL SEQUENCE INTRODUCER", 0x9b],
  ["U+007F DELETE", 0x7f],
  ["U+00AD SOFT HYPHEN", 0xad],
  ["U+1160 HANGUL JUNGSEONG FILLER", 0x1160],
  ["U+FFA0 HALFWIDTH HANGUL FILLER", 0xffa0],
  ["U+180B MONGOLIAN FREE VARIATION SELECTOR ONE", 0x180b],
  ["U+FE0F VARIATION SELECTOR-16", 0xfe0f],
  ["U+E0100 VARIATION SELECTOR-17", 0xe0100],
  ["U+E0041 TAG LATIN CAPITAL LETTER A", 0xe0041],
  ["U+200B ZERO WIDTH SPACE", 0x200b],
  ["U+202E RIGHT-TO-LEFT OVERRIDE", 0x202e],
];

/** An event whose `orderId` has `description` and name as given (raw text, written as it is). */
function eventText(name: string, description: string): string {
  return `{
  "title": "Order placed",
  "description": "Emitted by the shop when a customer places an order.",
  "type": "object",
  "additionalProperties": false,
  "properties": {
    "${name}": { "type": "string", "description": "${description}" }
  },
  "examples": [{}]
}
`;
}

/** The event file at events/shop/order/order-placed.json with this text. */
function source(text: string): SourceFile {
  return {
    file: "events/shop/order/order-placed.json",
    rel: "shop/order/order-placed.json",
    bytes: new TextEncoder().encode(text),
    kind: { kind: "event", system: "shop", topic: "order", stem: "order-placed" },
  };
}

function parseText(text: string): Diagnostic[] {
  return parse([source(text)]).diagnostics;
}

/** A string written with a \u escape for every UTF-16 unit, as JSON text. */
function escaped(value: string): string {
  let out = "";
  for (let i = 0; i < value.length; i++) out += `\\u${value.charCodeAt(i).toString(16).padStart(4, "0")}`;
  return out;
}

const hidden = (d: Diagnostic) => ({ code: d.code, line: d.line, pointer: d.pointer });

describe("PARSE_HIDDEN_CHARACTER", () => {
  it.each([...REPORTED, ...MORE])("refuses %s written raw in a description", (_name, cp) => {
    const found = parseText(eventText("orderId", `The order${String.fromCodePoint(cp)}'s id.`));
    expect(found.map(hidden)).toEqual([{ code: "PARSE_HIDDEN_CHARACTER", line: 7, pointer: "" }]);
  });

  it.each([...REPORTED, ...MORE])("refuses %s written raw in a property name", (_name, cp) => {
    const found = parseText(eventText(`order${String.fromCodePoint(cp)}Id`, "The order's id."));
    expect(found.map(hidden)).toEqual([{ code: "PARSE_HIDDEN_CHARACTER", line: 7, pointer: "" }]);
  });

  it.each(REPORTED)("allows %s as a \\u escape in a value, refuses it in a key", (_name, cp) => {
    const written = escaped(String.fromCodePoint(cp));
    expect(parseText(eventText("orderId", `The order${written}'s id.`))).toEqual([]);
    const found = parseText(eventText(`order${written}Id`, "The order's id."));
    expect(found.map((d) => ({ code: d.code, pointer: d.pointer }))).toEqual([
      { code: "PARSE_HIDDEN_CHARACTER", pointer: `/properties/order${String.fromCodePoint(cp)}Id` },
    ]);
  });

  it("keeps tab, line feed and carriage return between tokens, and visible spaces in text", () => {
    expect(parseText(eventText("orderId", "The order's id.").replace(/\n/g, "\r\n").replace(/ {2}/g, "\t"))).toEqual([]);
    expect(parseText(eventText("orderId", "The order\u00a0id\u3000(\u2800)."))).toEqual([]);
  });

  it("is what `check` reports for the five characters of the report", async () => {
    const dir = await scratch("hidden");
    const folder = path.join(dir, "events", "shop", "order");
    await mkdir(folder, { recursive: true });
    for (const [i, [, cp]] of REPORTED.entries()) {
      await writeFile(
        path.join(folder, `order-placed${i === 0 ? "" : `.v${i + 1}`}.json`),
        eventText("orderId", `A${String.fromCodePoint(cp)}B`),
      );
    }
    const result = await check({ eventsDir: path.join(dir, "events"), cwd: dir, cacheDir: false, workers: 0 });
    expect(result.ok).toBe(false);
    expect(result.diagnostics.filter((d) => d.code === "PARSE_HIDDEN_CHARACTER")).toHaveLength(REPORTED.length);
  });
});

describe("the canonical form", () => {
  it.each([...REPORTED, ...MORE])("writes %s as a \\u escape", (_name, cp) => {
    const text = stringText(`a${String.fromCodePoint(cp)}b`);
    expect(text).toMatch(/^"a(\\u[0-9a-f]{4})+b"$/);
    expect(JSON.parse(text)).toBe(`a${String.fromCodePoint(cp)}b`);
  });

  it("gives a file that parses without a finding, whatever hidden characters its values hold", () => {
    const all = [...REPORTED, ...MORE].map(([, cp]) => String.fromCodePoint(cp)).join("");
    const parsed = parse([source(eventText("orderId", escaped(all)))]);
    expect(parsed.diagnostics).toEqual([]);
    const canonical = canonicalJson(parsed.value[0] as ParsedFile);
    expect(parseText(canonical)).toEqual([]);
    expect((parse([source(canonical)]).value[0] as ParsedFile).json).toEqual((parsed.value[0] as ParsedFile).json);
  });
});
