/**
 * TypeScript declarations. The shared definitions are declared once (types/_shared.d.cts, one
 * json-schema-to-typescript run); each event is compiled on its own (so that it can be cached and
 * run in parallel) with its references to shared definitions written as the shared type's name.
 * Each system's declarations are one file (types/<system>.d.cts); the root and each system's entry
 * add the map from type to event, the union and the runtime API.
 *
 * Module formats: the package is "type": "module", so a .d.ts is an ES module's declarations and a
 * .d.cts a CommonJS module's. Everything the entries share (types/*.d.cts) is CommonJS, because an
 * ES module may import CommonJS declarations but a CommonJS one may not import ES declarations
 * (TS1479/TS1541 under module node16). Each entry's index.d.ts and index.d.cts are the same text
 * over those shared files: both formats see one declaration of each type and of EventValidationError.
 * The consumer matrix in test/package.test.ts type-checks this under every module setting.
 */

import type { TypesRootSource } from "../compile/index.js";
import { ROOT } from "../compile/types.js";
import { SIGNATURE_PROPERTIES } from "../model/envelope.js";
import type { EventTree, EventVersion } from "../model/tree.js";
import { atPointer } from "../schema/refs.js";
import { isObject, mapSchema } from "../schema/walk.js";
import type { Bundle } from "./bundle.js";
import { apiDts, envelopeDts, eventUnionDts } from "./declarations.js";

/**
 * The keywords json-schema-to-typescript reads to make a type. Everything else is left out of what
 * it is given: it walks the values of keywords it does not know as if they held schemas ("you can
 * put definitions on any key"), so an example, a `default`, a `contains` or an `if` holding data
 * such as `{ "anyOf": "x" }` or `{ "$ref": "#/nowhere" }` would crash it or change the types.
 * Nested `$defs` and `definitions` stay: references may point into them.
 */
const TYPE_KEYWORDS: ReadonlySet<string> = new Set([
  "$ref",
  "$defs",
  "definitions",
  "type",
  "enum",
  "const",
  "properties",
  "patternProperties",
  "additionalProperties",
  "required",
  "items",
  "additionalItems",
  "minItems",
  "maxItems",
  "allOf",
  "anyOf",
  "oneOf",
  "title",
  "description",
  "deprecated",
]);

/** What stays beside a value's literal type: the documentation. */
const DOC_KEYWORDS = ["title", "description", "deprecated"];

/**
 * One subschema as json-schema-to-typescript may read it: only its type keywords, and a `const` or
 * `enum` whose values are not all plain strings, numbers, booleans or null written as our own
 * literal type (`tsType`, from `literalType`) — json-schema-to-typescript would walk an object
 * value as a schema. An author's `tsType` never gets here (SCHEMA_TS_KEYWORD) and is dropped anyway.
 */
export function typesView(schema: Record<string, unknown>): Record<string, unknown> {
  const values = "const" in schema ? [schema.const] : Array.isArray(schema.enum) ? schema.enum : undefined;
  if (values && !values.every(isPlainLiteral)) {
    const docs = Object.fromEntries(DOC_KEYWORDS.filter((k) => k in schema).map((k) => [k, schema[k]]));
    return { ...docs, tsType: values.map(literalType).join(" | ") || "never" };
  }
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(schema)) if (TYPE_KEYWORDS.has(k)) out[k] = v;
  return out;
}

/** A string, a finite number, a boolean or null: json-schema-to-typescript writes these itself. */
function isPlainLiteral(value: unknown): boolean {
  return value === null || typeof value === "string" || typeof value === "boolean" || (typeof value === "number" && Number.isFinite(value));
}

/**
 * The TypeScript type of exactly one JSON value. Strings and keys are JSON string literals (with
 * the line separators escaped), so nothing in a value can end the literal or the type; a number
 * JSON cannot write back (an overflow to Infinity) is `number`.
 */
export function literalType(value: unknown): string {
  if (value === null || typeof value === "boolean") return String(value);
  if (typeof value === "number") return Number.isFinite(value) ? JSON.stringify(value) : "number";
  if (typeof value === "string") return stringLiteral(value);
  if (Array.isArray(value)) return `[${value.map(literalType).join(", ")}]`;
  if (typeof value === "object") {
    const members = Object.entries(value as Record<string, unknown>).map(([k, v]) => `${stringLiteral(k)}: ${literalType(v)}`);
    return members.length === 0 ? "{ [key: string]: never }" : `{ ${members.join("; ")} }`;
  }
  return "unknown";
}

function stringLiteral(text: string): string {
  return JSON.stringify(text)
    .replace(/\u2028/g, "\\u2028")
    .replace(/\u2029/g, "\\u2029");
}

/**
 * Where a subschema has both `$defs` and `definitions`, json-schema-to-typescript refuses it ("must
 * define either definitions or $defs, not both"); the view keeps `definitions` under this key,
 * which it reads as a container of schemas like any other, and references through it follow.
 */
const DEFINITIONS_ALIAS = "x-definitions";

/** The view of a subschema with at most one of `$defs` and `definitions`. */
function oneDefinitionsContainer(view: Record<string, unknown>): Record<string, unknown> {
  if (!("$defs" in view && "definitions" in view)) return view;
  const { definitions, ...rest } = view;
  return { ...rest, [DEFINITIONS_ALIAS]: definitions };
}

/**
 * Rewrites a reference of the types root (`#/$defs/<name>/…`) that passes through a `definitions`
 * kept under DEFINITIONS_ALIAS.
 */
function refThroughAlias(ref: string, bundle: Bundle): string {
  const [hash, defs, name, ...tokens] = ref.split("/");
  const def = name === undefined ? undefined : bundle.definition(name);
  if (hash !== "#" || defs !== "$defs" || !def || !tokens.includes("definitions")) return ref;
  let node: unknown = def.schema;
  const out: string[] = [];
  for (const token of tokens) {
    const both = isObject(node) && "$defs" in node && "definitions" in node;
    out.push(both && token === "definitions" ? DEFINITIONS_ALIAS : token);
    node = atPointer(node, `/${token}`);
  }
  return [hash, defs, name, ...out].join("/");
}

/** A definition as json-schema-to-typescript should see it. */
function forTypes(
  def: { name: string; schema: Record<string, unknown> },
  bundle: Bundle,
  external: (ref: string) => Record<string, unknown> | undefined,
) {
  const untitled = mapSchema(def.schema, (s, pointer) => {
    let out = oneDefinitionsContainer(typesView(s));
    // Inline titles would become numbered names (Card, Card1): only definitions are named.
    if (pointer !== "" && "title" in out) {
      const { title: _, ...rest } = out;
      out = rest;
    }
    if (typeof out.$ref === "string") {
      const replaced = external(out.$ref);
      if (replaced) {
        const { $ref: _, ...rest } = out;
        return { ...rest, ...replaced };
      }
      out = { ...out, $ref: refThroughAlias(out.$ref, bundle) };
    }
    // A $ref with siblings ({ $ref, description }) would become a numbered copy (Money1):
    // as allOf: [{ $ref }] it stays the one type and keeps its description.
    if (typeof out.$ref === "string" && Object.keys(out).length > 1) {
      const { $ref, ...rest } = out;
      out = { ...rest, allOf: [{ $ref }, ...(Array.isArray(rest.allOf) ? rest.allOf : [])] };
    }
    return out;
  }) as Record<string, unknown>;
  return { ...untitled, title: def.name };
}

/** The root that declares every shared definition once (types/_shared.d.cts). */
export function sharedTypesRoot(bundle: Bundle, shared: ReadonlySet<string>): Record<string, unknown> {
  const $defs: Record<string, unknown> = {};
  // The shared files' definitions only, in the bundle's order (the shared files come in tree order).
  for (const rel of shared) {
    for (const def of bundle.definitionsOf(rel)) if (!def.defsOnly) $defs[def.name] = forTypes(def, bundle, () => undefined);
  }
  return { title: ROOT, type: "object", additionalProperties: false, $defs };
}

/**
 * The root of one event's declarations: its data and its own definitions; a shared definition is
 * not declared again but named (`tsType`), and imported from types/_shared.d.cts.
 */
export function eventTypesRoot(ev: EventVersion, bundle: Bundle): { root: Record<string, unknown>; shared: string[] } {
  const used = new Set<string>();
  const external = (ref: string, depth = 0): Record<string, unknown> | undefined => {
    const [, , name, ...rest] = ref.split("/");
    const def = name === undefined ? undefined : bundle.definition(name);
    if (!def || def.rel === ev.source.rel) return undefined;
    if (rest.length === 0 && !def.defsOnly) {
      used.add(def.name);
      return { tsType: def.name };
    }
    // A pointer into a shared definition: that part is written out here.
    const target = atPointer(def.schema, rest.length === 0 ? "" : `/${rest.join("/")}`);
    if (depth > 16 || typeof target !== "object" || target === null) return { tsType: "unknown" };
    // Seen as json-schema-to-typescript may read it; a reference to another file's definition is
    // replaced by that definition's name (its `$ref` would lead nowhere in this root).
    return mapSchema(target, (s) => {
      const view = oneDefinitionsContainer(typesView(s));
      if (typeof view.$ref !== "string") return view;
      const replaced = external(view.$ref, depth + 1);
      if (!replaced) return view;
      const { $ref: _, ...rest } = view;
      return { ...rest, ...replaced };
    }) as Record<string, unknown>;
  };
  const $defs: Record<string, unknown> = {};
  for (const def of bundle.definitionsOf(ev.source.rel)) if (!def.defsOnly) $defs[def.name] = forTypes(def, bundle, external);
  return { root: { title: ROOT, type: "object", additionalProperties: false, $defs }, shared: [...used].sort() };
}

/** The root of one system's declarations: its events' roots merged (their names are unique). */
export function systemTypesRoot(events: readonly EventVersion[], bundle: Bundle): { root: Record<string, unknown>; shared: string[] } {
  const $defs: Record<string, unknown> = {};
  const shared = new Set<string>();
  for (const ev of events) {
    const one = eventTypesRoot(ev, bundle);
    Object.assign($defs, one.root.$defs);
    for (const name of one.shared) shared.add(name);
  }
  return { root: { title: ROOT, type: "object", additionalProperties: false, $defs }, shared: [...shared].sort() };
}

/** The declaration of one event's envelope interface, with its documentation. */
export function eventInterface(ev: EventVersion, latest: EventVersion | undefined): string {
  // The description is the data's (json-schema-to-typescript puts it there): not repeated here.
  const doc = ev.title || ev.typeName;
  const instead = latest && latest !== ev ? ` Use ${latest.typeName}, the latest version.` : "";
  const summary = `${doc.replace(/\.$/, "")}: type \`${ev.type}\`, data ${ev.typeName}Data.`;
  const head = `${jsdoc([summary, ...(ev.deprecated ? [`@deprecated${instead}`] : [])].join("\n"))}export interface ${ev.typeName} extends EventEnvelope<${JSON.stringify(ev.type)}, ${ev.typeName}Data>`;
  if (!ev.signed) return `${head} {}\n`;
  const fields = Object.entries(SIGNATURE_PROPERTIES).map(([name, p]) => `  ${jsdoc(p.description).trimEnd()}\n  ${name}: string;`);
  return `${head} {\n${fields.join("\n")}\n}\n`;
}

/** The name of a system's map from type to event (an underscore: no generated name has one). */
export function systemMapName(system: string): string {
  return `EventMap_${system.replace(/-/g, "_")}`;
}

/** types/_shared.d.cts: the envelope and every shared definition. */
export function sharedDts(sharedTypes: string): string {
  return [HEADER, envelopeDts(), sharedTypes].join("\n");
}

/** types/<system>.d.cts: the system's data types, event interfaces and its map from type to event. */
export function systemTypesDts(
  system: string,
  dataTypes: string,
  shared: readonly string[],
  events: readonly { ev: EventVersion; latest?: EventVersion }[],
): string {
  const map = events.map(({ ev }) => `  ${JSON.stringify(ev.type)}: ${ev.typeName};`);
  return [
    HEADER,
    `import type { ${["EventEnvelope", ...shared].join(", ")} } from "./_shared.cjs";\n`,
    dataTypes,
    ...events.map(({ ev, latest }) => eventInterface(ev, latest)),
    `/** The events of the system ${system} by their \`type\`. */\nexport interface ${systemMapName(system)} {\n${map.join("\n")}\n}\n`,
  ].join("\n");
}

/** index.d.ts and index.d.cts (the same text): every type, the map, the union, and the API. */
export function rootDts(systems: readonly string[]): string {
  return [
    HEADER,
    'export type * from "./types/_shared.cjs";',
    ...systems.map((s) => `export type * from "./types/${s}.cjs";`),
    ...systems.map((s) => `import type { ${systemMapName(s)} } from "./types/${s}.cjs";`),
    "",
    eventUnionDts(systems.map(systemMapName)),
    apiDts("./types/_api.cjs"),
  ].join("\n");
}

/** systems/<system>.d.ts and .d.cts (the same text): the system's types, and the same API over its events only. */
export function systemDts(system: string): string {
  return [
    `${HEADER}// The events of the system ${system}.\n`,
    'export type { EventEnvelope } from "../types/_shared.cjs";',
    `export type * from "../types/${system}.cjs";`,
    `import type { ${systemMapName(system)} } from "../types/${system}.cjs";`,
    "",
    eventUnionDts([systemMapName(system)]),
    apiDts("../types/_api.cjs"),
  ].join("\n");
}

const HEADER = "// Generated by domain-events from the events tree. Do not edit.\n";

function jsdoc(text: string): string {
  const lines = text.replace(/\*\//g, "*\\/").split("\n");
  if (lines.length === 1) return `/** ${lines[0]} */\n`;
  return `/**\n${lines.map((l) => (l === "" ? " *" : ` * ${l}`)).join("\n")}\n */\n`;
}

/** The roots the compile stage gives json-schema-to-typescript: one per system, and the shared definitions'. */
/** The roots of the declarations: one per system, and the shared definitions' root, each made on demand. */
export function declarationRoots(tree: EventTree, bundle: Bundle): { roots: TypesRootSource[]; shared: TypesRootSource } {
  const systems = [...new Set(tree.events.map((e) => e.system))].sort();
  const roots = systems.map((system): TypesRootSource => {
    const events = tree.events.filter((e) => e.system === system);
    return {
      id: system,
      files: events.map((e) => e.source.rel),
      identity: events.map((e) => [e.source.rel, e.type, e.typeName, e.sourcePin ?? null, e.signed === true]),
      make: () => systemTypesRoot(events, bundle),
    };
  });
  const sharedFiles = tree.shared.map((f) => f.rel);
  const shared: TypesRootSource = {
    id: "_shared",
    files: sharedFiles,
    identity: null,
    make: () => ({ root: sharedTypesRoot(bundle, new Set(sharedFiles)), shared: [] }),
  };
  return { roots, shared };
}
