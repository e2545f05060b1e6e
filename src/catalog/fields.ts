/**
 * The fields of a schema as people read them: one row per property (nested objects, array items
 * and the options of a union as child rows), each with a type label, whether it is required, its
 * constraints in words and its description. References are followed within the entry's own
 * bundled `$defs` (events.json entries are self-contained; refs.ts `resolveLocalRef`), a recursive
 * one is shown once and named.
 */

/** One row of a field table. */
export interface Field {
  /** Dotted path from the table's root, unique within it: `customer.address.city`, `items[]`, `actor.(option 2)`. */
  path: string;
  /** The property's name, `[]` for array items, or `option N` for a union's option. */
  name: string;
  /** What kind of value: `string (date-time)`, `Money`, `array of LineItem`, `"1.0"`. */
  type: string;
  required: boolean;
  /** Constraints in words: `1 to 50 items`, `pattern ^[A-Z]{3}$`, `one of: a, b`. */
  constraints: string[];
  description: string;
  deprecated: boolean;
  children: Field[];
}

import { splitPointer } from "../diagnostics/index.js";
import { resolveLocalRef } from "../schema/refs.js";
import { isObject } from "../schema/walk.js";

type Schema = Record<string, unknown>;

/** Nesting deeper than this is summarised, not expanded: a catalog row is for reading. */
const MAX_DEPTH = 8;

/**
 * The fields of `schema`'s properties (or, for a schema that is not an object, one row for the
 * value itself). `defs` resolves `#/$defs/<name>` references.
 */
export function fieldsOf(schema: unknown, defs: Record<string, unknown> = {}): Field[] {
  const root = resolve(schema, defs, []);
  if (isObjectLike(root.schema)) return properties(root.schema, defs, "", root.stack, 0);
  return [row("", "(value)", schema, false, defs, [], 0)];
}

/** Every field of a tree, depth first, in display order. */
export function flatten(fields: readonly Field[]): Field[] {
  return fields.flatMap((f) => [f, ...flatten(f.children)]);
}

interface Resolved {
  schema: Schema;
  /** The names of the definitions followed to get here (for the label and for cycles). */
  names: string[];
  stack: string[];
  recursive?: string;
}

/**
 * Follows `$ref`s (merging the referring schema's own keywords, such as its description, over the
 * target). Only a reference to a whole definition is followed (its name labels the field and
 * detects recursion); any other one, or one that names nothing, leaves the referring schema's own
 * keywords.
 */
function resolve(schema: unknown, defs: Record<string, unknown>, stack: string[]): Resolved {
  let current: Schema = isObject(schema) ? schema : {};
  const names: string[] = [];
  let seen = [...stack];
  // The document the references are resolved in: the entry's definitions, under either keyword.
  const document = { $defs: defs, definitions: defs };
  for (let hops = 0; typeof current.$ref === "string" && hops < 32; hops++) {
    const target = resolveLocalRef(document, current.$ref);
    const name = target && defName(target.pointer);
    const { $ref: _, ...own } = current;
    if (!target || name === undefined || !isObject(target.schema)) return { schema: own, names, stack: seen };
    if (seen.includes(name)) return { schema: own, names: [...names, name], stack: seen, recursive: name };
    names.push(name);
    seen = [...seen, name];
    // The referring schema's annotations win: `{ $ref: Money, description: "The total." }`.
    current = { ...target.schema, ...own };
  }
  return { schema: current, names, stack: seen };
}

/** The name of the definition at `pointer` (`/$defs/<name>` or `/definitions/<name>`), or undefined. */
function defName(pointer: string): string | undefined {
  const parts = splitPointer(pointer);
  return parts.length === 2 && (parts[0] === "$defs" || parts[0] === "definitions") ? parts[1] : undefined;
}

function isObjectLike(s: Schema): boolean {
  return s.type === "object" || (s.type === undefined && isObject(s.properties));
}

function properties(schema: Schema, defs: Record<string, unknown>, prefix: string, stack: string[], depth: number): Field[] {
  const props = isObject(schema.properties) ? schema.properties : {};
  const required = new Set(Array.isArray(schema.required) ? schema.required.filter((r): r is string => typeof r === "string") : []);
  return Object.entries(props).map(([name, sub]) =>
    row(prefix === "" ? name : `${prefix}.${name}`, name, sub, required.has(name), defs, stack, depth),
  );
}

function row(
  path: string,
  name: string,
  raw: unknown,
  required: boolean,
  defs: Record<string, unknown>,
  stack: string[],
  depth: number,
): Field {
  const r = resolve(raw, defs, stack);
  const s = r.schema;
  const field: Field = {
    path,
    name,
    type: typeLabel(r, defs),
    required,
    constraints: constraints(s),
    description: typeof s.description === "string" ? s.description : typeof s.title === "string" && r.names.length === 0 ? s.title : "",
    deprecated: s.deprecated === true,
    children: [],
  };
  if (r.recursive !== undefined) {
    field.constraints.push(`recursive: ${r.recursive} again`);
    return field;
  }
  if (depth >= MAX_DEPTH) return field;
  if (isObjectLike(s)) field.children = properties(s, defs, path, r.stack, depth + 1);
  else if (s.type === "array" && isObject(s.items)) {
    const items = row(`${path}[]`, "[]", s.items, true, defs, r.stack, depth + 1);
    // An array of strings needs no row of its own; an array of objects shows the object's fields.
    field.children = items.children.length > 0 || items.constraints.length > 0 ? [items] : [];
  }
  const options = (Array.isArray(s.oneOf) ? s.oneOf : Array.isArray(s.anyOf) ? s.anyOf : undefined) as unknown[] | undefined;
  if (options) {
    field.children.push(...options.map((o, i) => row(`${path}.(option ${i + 1})`, `option ${i + 1}`, o, false, defs, r.stack, depth + 1)));
  }
  return field;
}

/** The type in a few words: a named definition by its name, otherwise its JSON type and format. */
function typeLabel(r: Resolved, defs: Record<string, unknown>): string {
  const s = r.schema;
  if (r.recursive !== undefined) return r.recursive;
  if ("const" in s) return JSON.stringify(s.const);
  const named = r.names.at(-1);
  const base = baseType(s, defs);
  if (named !== undefined && isObjectLike(s)) return named;
  if (named !== undefined) return `${named} · ${base}`;
  return base;
}

function baseType(s: Schema, defs: Record<string, unknown>): string {
  if (Array.isArray(s.enum)) return typeof s.enum[0] === "string" ? "string (enum)" : "enum";
  const types = Array.isArray(s.type) ? s.type : typeof s.type === "string" ? [s.type] : [];
  if (types.length === 0) {
    if (Array.isArray(s.oneOf)) return "one of";
    if (Array.isArray(s.anyOf)) return "any of";
    if (isObject(s.properties)) return "object";
    return "any";
  }
  return types
    .map((t) => {
      if (t === "string" && typeof s.format === "string") return `string (${s.format})`;
      if (t === "array" && isObject(s.items)) {
        const item = resolve(s.items, defs, []);
        return `array of ${item.names.at(-1) ?? baseType(item.schema, defs)}`;
      }
      return t as string;
    })
    .join(" or ");
}

/** The validation keywords of a schema, in words. */
export function constraints(s: Schema): string[] {
  const out: string[] = [];
  const range = (min: unknown, max: unknown, unit: string) => {
    if (typeof min === "number" && typeof max === "number") out.push(min === max ? `exactly ${min} ${unit}` : `${min} to ${max} ${unit}`);
    else if (typeof min === "number") out.push(`at least ${min} ${min === 1 ? unit.replace(/s$/, "") : unit}`);
    else if (typeof max === "number") out.push(`at most ${max} ${max === 1 ? unit.replace(/s$/, "") : unit}`);
  };
  range(s.minLength, s.maxLength, "characters");
  if (typeof s.pattern === "string") out.push(`pattern ${s.pattern}`);
  if (typeof s.minimum === "number") out.push(`≥ ${s.minimum}`);
  if (typeof s.exclusiveMinimum === "number") out.push(`> ${s.exclusiveMinimum}`);
  if (typeof s.maximum === "number") out.push(`≤ ${s.maximum}`);
  if (typeof s.exclusiveMaximum === "number") out.push(`< ${s.exclusiveMaximum}`);
  if (typeof s.multipleOf === "number") out.push(`multiple of ${s.multipleOf}`);
  range(s.minItems, s.maxItems, "items");
  if (s.uniqueItems === true) out.push("unique items");
  range(s.minProperties, s.maxProperties, "properties");
  if (Array.isArray(s.enum)) out.push(`one of: ${s.enum.map((v) => JSON.stringify(v)).join(", ")}`);
  if (s.additionalProperties === false || s.unevaluatedProperties === false) out.push("no other properties");
  if ("default" in s) out.push(`default ${JSON.stringify(s.default)}`);
  return out;
}
