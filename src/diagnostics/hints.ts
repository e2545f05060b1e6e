/**
 * Hints: what to do about a finding, said in the author's terms — which file to rename to what,
 * which keyword to add with an example value, which value to write instead. Fixed hints stay next
 * to their check; the builders here serve findings whose fix depends on what was found (a JSON
 * syntax error, an ajv error about a value, a name to derive).
 */

import type { ALLOWED_FORMATS } from "../model/formats.js";
import type { AjvError } from "../runtime/issues.js";

/** An ajv error, reduced to what a hint reads (ajv's `ErrorObject` fits): the one renderer's type. */
export type ValueError = AjvError;

/** "order-placed" → "Order placed": a title derived from a kebab-case name. */
export function sentenceCase(name: string): string {
  const words = name.split("-").filter(Boolean).join(" ");
  return words.charAt(0).toUpperCase() + words.slice(1);
}

/** The fix for a syntax error of our strict JSON parser (src/schema/json.ts), by its message. */
export function jsonSyntaxHint(message: string, emptyExample = '{ "title": "Order placed", "type": "object" }'): string {
  if (message.startsWith("unexpected end of file")) return "the text ends too early: close every { with } and every [ with ]";
  if (message.startsWith("trailing comma"))
    return `delete the comma before the closing ${message.slice(-1)}: JSON allows no trailing comma`;
  if (message.includes('unexpected "/"'))
    return 'remove the comment: JSON has none (put notes in "description", or "$comment" in a schema)';
  if (message.includes('unexpected "\'"')) return "write strings and keys in double quotes: \"orderId\", not 'orderId'";
  if (message.endsWith("expected a key in double quotes")) return 'write the key in double quotes: { "orderId": … }';
  if (message.endsWith("expected ':' after key")) return 'put a colon between the key and its value: "title": "Order placed"';
  if (message.endsWith("expected ',' or '}'")) return "add a comma between the members, or close the object with }";
  if (message.endsWith("expected ',' or ']'")) return "add a comma between the items, or close the array with ]";
  if (message === "unterminated string") return 'close the string with a double quote "';
  if (message.startsWith("control character")) return "write a line break inside a string as \\n and a tab as \\t";
  if (message === "invalid escape in string") return 'double every backslash in a string: "^\\\\d+$" is the pattern ^\\d+$';
  if (message === "invalid number") return "write the number as JSON does: 12, -3, 0.5, 1e3 (no leading zero, no +, no NaN)";
  if (message === "the file is empty") return `write the JSON value, e.g. ${emptyExample}`;
  if (message.endsWith("after the JSON value")) return "remove what follows the closing } or ]: a file holds exactly one JSON value";
  if (message.endsWith("expected a value"))
    return "write a value here: a string in double quotes, a number, true, false, null, an object or an array";
  const limit = /nest deeper than ([0-9]+) levels|has more than ([0-9]+) (keys|items)/.exec(message);
  if (limit) return limit[1] ? `nest objects and arrays at most ${limit[1]} levels deep` : `split it: at most ${limit[2]} ${limit[3]}`;
  return "fix the JSON syntax at this position (strict JSON: no comments, no trailing commas, keys in double quotes)";
}

const TYPE_EXAMPLES: Record<string, string> = {
  string: "a string (in double quotes)",
  integer: "an integer, e.g. 1299 (no quotes, no decimals)",
  number: "a number, e.g. 12.5 (no quotes)",
  boolean: "true or false (no quotes)",
  object: "an object, { … }",
  array: "an array, [ … ]",
  null: "null",
};

/** An example value of each allow-listed format. */
export const FORMAT_EXAMPLES: Record<(typeof ALLOWED_FORMATS)[number], string> = {
  date: '"2026-05-01"',
  "date-time": '"2026-05-01T08:00:00Z"',
  duration: '"P30D"',
  email: '"ada@example.com"',
  hostname: '"api.example.com"',
  ipv4: '"192.0.2.1"',
  ipv6: '"2001:db8::1"',
  "json-pointer": '"/data/orderId"',
  regex: '"^[a-z]+$"',
  time: '"08:00:00Z"',
  uri: '"https://example.com/orders/o-1"',
  "uri-reference": '"/orders/o-1"',
  uuid: '"0f9b1c6e-2d3a-4f5b-8c7d-9e0a1b2c3d4e"',
};

const json = (v: unknown) => JSON.stringify(v);

/**
 * What to write instead of a value that an ajv keyword rejected (an example's, an event's, or a
 * schema keyword's value against the meta-schema): "make it an integer, e.g. 1299", "add "orderId"".
 */
export function valueFix(e: ValueError, allowed: readonly string[] = []): string {
  const p = e.params as Record<string, unknown>;
  switch (e.keyword) {
    case "type": {
      const types = String(p.type).split(",");
      return `make it ${types.map((t) => TYPE_EXAMPLES[t] ?? t).join(", or ")}`;
    }
    case "required":
      return `add "${String(p.missingProperty)}": it is required`;
    case "dependentRequired":
    case "dependencies":
      return `add "${String(p.missingProperty)}": it is required when "${String(p.property)}" is present`;
    case "additionalProperties":
    case "unevaluatedProperties": {
      const extra = String(p.additionalProperty ?? p.unevaluatedProperty);
      const near = allowed.find((name) => closeTo(extra, name));
      if (near) return `rename "${extra}" to "${near}"`;
      return allowed.length > 0
        ? `remove "${extra}": the properties allowed here are ${allowed.map((a) => `"${a}"`).join(", ")}`
        : `remove "${extra}": no other property is allowed here`;
    }
    case "enum":
      return `use one of ${(p.allowedValues as unknown[]).map(json).join(", ")}`;
    case "const":
      return `set it to ${json(p.allowedValue)}`;
    case "format": {
      const example = FORMAT_EXAMPLES[String(p.format) as keyof typeof FORMAT_EXAMPLES];
      return `write a valid ${String(p.format)}${example ? `, e.g. ${example}` : ""}`;
    }
    case "pattern":
      return `write a value that matches the pattern ${String(p.pattern)}`;
    case "minLength":
      return `use at least ${String(p.limit)} character${p.limit === 1 ? "" : "s"}`;
    case "maxLength":
      return `use at most ${String(p.limit)} characters`;
    case "minimum":
    case "maximum":
    case "exclusiveMinimum":
    case "exclusiveMaximum":
      return `use a number ${String(p.comparison)} ${String(p.limit)}`;
    case "multipleOf":
      return `use a multiple of ${String(p.multipleOf)}`;
    case "minItems":
      return `give at least ${String(p.limit)} item${p.limit === 1 ? "" : "s"}`;
    case "maxItems":
    case "additionalItems":
    case "items":
      return `give at most ${String(p.limit)} items`;
    case "uniqueItems":
      return `remove one of the equal items ${String(p.j)} and ${String(p.i)}`;
    case "minProperties":
      return `give at least ${String(p.limit)} properties`;
    case "maxProperties":
      return `give at most ${String(p.limit)} properties`;
    case "contains":
      return "add an item that matches the schema under contains";
    case "propertyNames":
      return `rename the key "${String(p.propertyName)}" so that it matches propertyNames`;
    case "oneOf":
      return p.passingSchemas === null
        ? "make it match one of the alternatives under oneOf (the other findings here say how)"
        : `make it match only one of the alternatives under oneOf (it matches ${json(p.passingSchemas)})`;
    case "anyOf":
      return "make it match at least one of the alternatives under anyOf (the other findings here say how)";
    case "not":
      return "change it: the schema forbids this value (not)";
    case "false schema":
      return "remove it: nothing is allowed here";
    default:
      return `change it so that it satisfies "${e.keyword}" of the schema`;
  }
}

/** The fix for a schema keyword whose value the dialect's meta-schema rejects. */
export function metaFix(e: ValueError): string {
  const keyword = lastToken(e.instancePath);
  const fix = valueFix(e);
  if (e.keyword === "enum" && keyword === "type") return `fix "type": ${fix}, e.g. "type": "string"`;
  return keyword ? `fix "${keyword}": ${fix}` : fix;
}

/** The fix for an ajv strict-mode refusal, by its message. */
export function compileFix(message: string): string {
  if (message.includes('"if" without "then" and "else"')) return 'add "then" (or "else") next to "if", or remove the "if"';
  const missingType = /missing type "([^"]+)" for keyword "([^"]+)"/.exec(message);
  if (missingType) return `add "type": "${missingType[1]}" to the subschema that uses "${missingType[2]}"`;
  if (message.includes("union type")) return 'write the alternatives with anyOf: [{ "type": "string" }, { "type": "null" }]';
  if (message.includes("is ignored"))
    return "remove the keyword the message names: ajv's strict mode refuses keywords that would be ignored";
  return "change what the message names: ajv compiles in strict mode, see https://ajv.js.org/strict-mode.html";
}

/** `a/b/c` → `c`, unescaped. */
function lastToken(pointer: string): string {
  return pointer
    .slice(pointer.lastIndexOf("/") + 1)
    .replace(/~1/g, "/")
    .replace(/~0/g, "~");
}

/**
 * The edit distance of two names (insert, delete, substitute, and swap of neighbours: the typos
 * people make), bounded: any distance above `max` is returned as `max + 1`. Names whose lengths
 * differ by more than `max` are not compared at all, and a row whose every cell is past `max` ends
 * the search. The one measure of "a near name" for every suggestion the package makes.
 */
export function distance(a: string, b: string, max: number): number {
  if (Math.abs(a.length - b.length) > max) return max + 1;
  let before: number[] = [];
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    let best = i;
    for (let j = 1; j <= b.length; j++) {
      let d = Math.min((prev[j] as number) + 1, (row[j - 1] as number) + 1, (prev[j - 1] as number) + (a[i - 1] === b[j - 1] ? 0 : 1));
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) d = Math.min(d, (before[j - 2] as number) + 1);
      row[j] = d;
      best = Math.min(best, d);
    }
    if (best > max) return max + 1;
    before = prev;
    prev = row;
  }
  return Math.min(prev[b.length] as number, max + 1);
}

/** True when `a` is `b` in another case, or one edit (insert, delete, substitute, swap) from it. */
export function closeTo(a: string, b: string): boolean {
  return distance(a.toLowerCase(), b.toLowerCase(), 1) <= 1;
}

/** The relative `$ref` path from one events-relative file to another: ("shop/order/a.json", "_shared/money.json") → "../../_shared/money.json". */
export function relativeRef(from: string, to: string): string {
  const a = from.split("/").slice(0, -1);
  const b = to.split("/");
  let i = 0;
  while (i < a.length && i < b.length - 1 && a[i] === b[i]) i++;
  const up = a.length - i;
  return `${up === 0 ? "./" : "../".repeat(up)}${b.slice(i).join("/")}`;
}

/** The fix for a pattern that does not compile as a JavaScript regular expression with the u flag, by its error message. */
export function patternFix(message: string): string {
  const m = message.toLowerCase();
  if (m.includes("unterminated character class")) return "close the character class with ]; a literal [ is written \\\\[ in JSON";
  if (m.includes("unterminated group") || m.includes("unmatched ')'"))
    return "balance the parentheses; a literal ( or ) is written \\\\( or \\\\) in JSON";
  if (m.includes("invalid property name")) return "use a Unicode property that exists, e.g. \\\\p{L} (letters) or \\\\p{Nd} (digits)";
  if (m.includes("nothing to repeat") || m.includes("lone quantifier"))
    return "put something before the quantifier, or escape a literal * + ? { as \\\\* \\\\+ \\\\? \\\\{ in JSON";
  if (m.includes("invalid escape") || m.includes("invalid class escape") || m.includes("invalid unicode escape"))
    return "with the u flag only special characters may be escaped: write - and other plain characters without a backslash";
  if (m.includes("out of order")) return "write ranges and counts low to high: [a-z], {2,5}";
  return 'fix the regular expression: it must compile in JavaScript with the u flag (new RegExp(pattern, "u"))';
}

/** A skeleton example payload of an object schema: its first properties with a placeholder of their type. */
export function exampleSkeleton(schema: Record<string, unknown>): string {
  const props = isRecord(schema.properties) ? schema.properties : {};
  const required = Array.isArray(schema.required) ? schema.required.filter((r): r is string => typeof r === "string") : [];
  const names = [...new Set([...required, ...Object.keys(props)])].slice(0, 3);
  const placeholder = (s: unknown): string => {
    if (!isRecord(s)) return "…";
    if (s.const !== undefined) return json(s.const);
    if (Array.isArray(s.enum) && s.enum.length > 0) return json(s.enum[0]);
    if (Array.isArray(s.examples) && s.examples.length > 0) return json(s.examples[0]);
    const format = FORMAT_EXAMPLES[s.format as keyof typeof FORMAT_EXAMPLES];
    if (format) return format;
    const type = Array.isArray(s.type) ? s.type[0] : s.type;
    return (
      { string: '"…"', integer: "1", number: "1.5", boolean: "true", array: "[ … ]", object: "{ … }", null: "null" }[String(type)] ??
      "{ … }"
    );
  };
  return names.length === 0 ? "{}" : `{ ${names.map((n) => `${json(n)}: ${placeholder(props[n])}`).join(", ")} }`;
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}
