/**
 * canonical: the one formatting of an events-tree file, so that a review diff shows only real
 * changes (docs/authoring.md, "Formatting"). A pure function of a parsed file: its value, and its text for the
 * order and spelling of what the value alone cannot say (the source order of keys, number literals).
 *
 * - JSON.stringify's layout: two-space indent, one member per line, `{}` and `[]` when empty, `\n`
 *   line endings and a final newline, UTF-8 without BOM.
 * - Strings as JSON.stringify writes them (characters as characters; `"`, `\` and control
 *   characters escaped, `\/` and `\u00e9` written `/` and `é`), except that every hidden
 *   character (hidden.ts: control, format such as zero-width and bidirectional controls, line and
 *   paragraph separators, fillers and other default-ignorable characters) stays a `\u` escape:
 *   written raw, parse would reject it (PARSE_HIDDEN_CHARACTER).
 * - Numbers as JavaScript writes them (`1.0` → `1`, `1E3` → `1000`) when that is the same decimal
 *   number; a literal a double cannot hold (`12345678901234567890`, `1e400`, `-0`) is kept as
 *   written, so that no reader, in any language, reads another number.
 * - Keys of a schema object in `SCHEMA_KEY_ORDER`, unknown keys after them in their source order;
 *   of a system.json in `SYSTEM_KEY_ORDER`. Everything else keeps the author's order: the keys of
 *   `properties`, `$defs` and other maps of subschemas, and every key inside data (`examples`,
 *   `default`, `const`, `enum`, unknown keywords).
 */

import { joinPointer } from "../diagnostics/index.js";
import type { Dialect, ParsedFile } from "../model/tree.js";
import { DIALECT_URIS } from "./ajv.js";
import { HIDDEN_CHARACTERS } from "./hidden.js";
import { APPLICATORS, KNOWN_KEYWORDS } from "./walk.js";

/**
 * The order of the keywords of every schema object, the root and each subschema alike: identity,
 * annotations, what a value is, the keywords of strings, numbers, arrays and objects,
 * combinators, data, and definitions last.
 */
export const SCHEMA_KEY_ORDER: readonly string[] = [
  // Identity: a reference says what the subschema is; its siblings annotate it.
  "$schema",
  "$id",
  "$anchor",
  "$dynamicAnchor",
  "$vocabulary",
  "$ref",
  "$dynamicRef",
  // Annotations.
  "title",
  "description",
  "$comment",
  "deprecated",
  // How the event travels (the house's keyword, walk.ts SIGNED).
  "signed",
  "readOnly",
  "writeOnly",
  // What a value is.
  "type",
  "const",
  "enum",
  "format",
  // Strings.
  "pattern",
  "minLength",
  "maxLength",
  "contentEncoding",
  "contentMediaType",
  "contentSchema",
  // Numbers.
  "multipleOf",
  "minimum",
  "exclusiveMinimum",
  "maximum",
  "exclusiveMaximum",
  // Arrays.
  "prefixItems",
  "items",
  "additionalItems",
  "contains",
  "minContains",
  "maxContains",
  "minItems",
  "maxItems",
  "uniqueItems",
  "unevaluatedItems",
  // Objects.
  "additionalProperties",
  "unevaluatedProperties",
  "propertyNames",
  "minProperties",
  "maxProperties",
  "required",
  "dependentRequired",
  "dependencies",
  "dependentSchemas",
  "properties",
  "patternProperties",
  // Combinators.
  "allOf",
  "anyOf",
  "oneOf",
  "not",
  "if",
  "then",
  "else",
  // Data.
  "default",
  "examples",
  // Definitions.
  "$defs",
  "definitions",
];

/** The order of the keys of a `<system>/system.json`. */
export const SYSTEM_KEY_ORDER: readonly string[] = ["title", "description", "owner", "source"];

/** What an object is, which decides the order of its keys and what its members are. */
type Role = "schema" | "schemas" | "schemaMap" | "dependencies" | "system" | "data";

/** The canonical text of a parsed file of the events tree. */
export function canonicalJson(file: ParsedFile): string {
  const text = new TextDecoder().decode(file.bytes);
  const lineStarts = [0];
  for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) === 10) lineStarts.push(i + 1);
  const offsetOf = (pointer: string): number => {
    const at = file.locate(pointer);
    if (!at) throw new Error(`no position for ${pointer || "the root"} in ${file.file}`);
    return (lineStarts[at.line - 1] as number) + at.column - 1;
  };
  const uri = file.json.$schema;
  const dialect: Dialect = (typeof uri === "string" && Object.hasOwn(DIALECT_URIS, uri) ? DIALECT_URIS[uri] : undefined) ?? "2020-12";
  const known = KNOWN_KEYWORDS[dialect];
  const rank = (order: readonly string[]) => new Map(order.map((k, i) => [k, i]));
  const schemaRank = rank(SCHEMA_KEY_ORDER);
  const systemRank = rank(SYSTEM_KEY_ORDER);

  /** The keys of an object in the order the author wrote them (JavaScript lists integer-like keys first). */
  const sourceOrder = (obj: Record<string, unknown>, pointer: string): string[] =>
    Object.keys(obj)
      .map((key) => ({ key, at: offsetOf(joinPointer(pointer, key)) }))
      .sort((a, b) => a.at - b.at)
      .map((k) => k.key);

  /** Known keys first in their ranked order, then the rest in source order. */
  const ranked = (obj: Record<string, unknown>, pointer: string, order: ReadonlyMap<string, number>): string[] => {
    const keys = sourceOrder(obj, pointer);
    const first = keys.filter((k) => order.has(k)).sort((a, b) => (order.get(a) as number) - (order.get(b) as number));
    return [...first, ...keys.filter((k) => !order.has(k))];
  };

  /** The role of a schema keyword's value: a subschema holder where the dialect knows it as one, data otherwise. */
  const roleOfKeyword = (keyword: string): Role => {
    const shape = known.has(keyword) ? APPLICATORS[keyword] : undefined;
    if (shape === "schema" || shape === "schemaOrArray") return "schema";
    if (shape === "array") return "schemas";
    if (shape === "map") return "schemaMap";
    if (shape === "mapOfSchemaOrArray") return "dependencies";
    return "data";
  };

  const write = (value: unknown, pointer: string, role: Role, indent: string): string => {
    if (typeof value === "string") return stringText(value);
    if (typeof value === "number") return numberText(text, offsetOf(pointer));
    if (value === null || typeof value === "boolean") return String(value);
    const inner = `${indent}  `;
    if (Array.isArray(value)) {
      if (value.length === 0) return "[]";
      // An array where a schema goes (draft-07 `items`, `prefixItems`, combinators) holds schemas.
      const itemRole: Role = role === "schema" || role === "schemas" ? "schema" : "data";
      const items = value.map((v, i) => `${inner}${write(v, joinPointer(pointer, i), itemRole, inner)}`);
      return `[\n${items.join(",\n")}\n${indent}]`;
    }
    const obj = value as Record<string, unknown>;
    const keys =
      role === "schema"
        ? ranked(obj, pointer, schemaRank)
        : role === "system"
          ? ranked(obj, pointer, systemRank)
          : sourceOrder(obj, pointer);
    if (keys.length === 0) return "{}";
    const members = keys.map((key) => {
      const v = obj[key];
      const childRole: Role =
        role === "schema"
          ? roleOfKeyword(key)
          : role === "schemaMap"
            ? "schema"
            : role === "dependencies"
              ? Array.isArray(v)
                ? "data"
                : "schema"
              : "data";
      return `${inner}${stringText(key)}: ${write(v, joinPointer(pointer, key), childRole, inner)}`;
    });
    return `{\n${members.join(",\n")}\n${indent}}`;
  };

  const root: Role = file.kind.kind === "system" ? "system" : "schema";
  return `${write(file.json, "", root, "")}\n`;
}

/** A string as JSON.stringify writes it, with every hidden character (hidden.ts) kept as a `\u` escape. */
export function stringText(value: string): string {
  return JSON.stringify(value).replace(HIDDEN_CHARACTERS, (c) => {
    let out = "";
    for (let i = 0; i < c.length; i++) out += `\\u${c.charCodeAt(i).toString(16).padStart(4, "0")}`;
    return out;
  });
}

/** The number literal at `offset` of `text`, written as JavaScript writes it when that is the same number. */
function numberText(text: string, offset: number): string {
  const literal = /^-?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?(?:[eE][+-]?[0-9]+)?/.exec(text.slice(offset, offset + 400))?.[0];
  if (literal === undefined) throw new Error(`no number literal at offset ${offset}`);
  return canonicalNumber(literal);
}

/**
 * A JSON number literal in canonical form: JavaScript's shortest spelling of the double it denotes
 * when that spelling is the same decimal number, the literal as written otherwise.
 */
export function canonicalNumber(literal: string): string {
  const n = Number(literal);
  // Negative zero: JSON.stringify would drop its sign; "-1e-400" is no zero at all.
  if (Object.is(n, -0)) return /^-0(?:\.0+)?(?:[eE][+-]?[0-9]+)?$/.test(literal) ? "-0" : literal;
  const js = JSON.stringify(n);
  const a = decimal(literal);
  const b = decimal(js);
  return a && b && a.negative === b.negative && a.digits === b.digits && a.exponent === b.exponent ? js : literal;
}

/** A decimal literal as sign, significant digits without leading or trailing zeros, and a power of ten. */
function decimal(literal: string): { negative: boolean; digits: string; exponent: bigint } | undefined {
  const m = /^(-?)([0-9]+)(?:\.([0-9]+))?(?:[eE]([+-]?[0-9]+))?$/.exec(literal);
  if (!m) return undefined;
  const fraction = m[3] ?? "";
  let digits = `${m[2]}${fraction}`.replace(/^0+/, "");
  // BigInt: an exponent of any length stays exact.
  let exponent = BigInt(m[4] ?? "0") - BigInt(fraction.length);
  if (digits === "") return { negative: m[1] === "-", digits: "0", exponent: 0n };
  const zeros = digits.length - digits.replace(/0+$/, "").length;
  digits = digits.slice(0, digits.length - zeros);
  exponent += BigInt(zeros);
  return { negative: m[1] === "-", digits, exponent };
}
