/**
 * asyncapi: the events as one AsyncAPI 3.0 document (asyncapi.json), for AsyncAPI tools (code
 * generators, Studio, EventCatalog's importer). Made from the events.json entries:
 *
 *   channels             one per system and topic; id and address `<system>.<topic>`
 *   operations           one `send` per channel, `<system>.<topic>.send`: the owning system sends
 *   components.messages  one per event version, keyed and named by its type
 *   components.schemas   each event's envelope under its TypeScript name (the message's payload),
 *                        and every definition the envelopes reach, once
 *
 * Payloads are in AsyncAPI's default schema format, a superset of JSON Schema draft-07. A `$ref`
 * inside a payload resolves against the whole document, so the definitions that events.json bundles
 * under each entry's `$defs` move to `components.schemas` and the references follow them. A message
 * whose schemas use keywords that only JSON Schema 2020-12 defines (`prefixItems`,
 * `unevaluatedProperties` …) says so with `x-json-schema-dialect`, since draft-07 gives them no meaning.
 */

import { cmp } from "../diagnostics/index.js";
import type { EventEntry } from "../model/events-json.js";
import type { SystemInfo } from "../model/tree.js";
import { KNOWN_KEYWORDS, mapSchema, walkSchema } from "../schema/walk.js";
import { firstSentence } from "./summary.js";

/** The document's `info`: the package the events tree belongs to. */
export interface AsyncApiInfo {
  title: string;
  version: string;
  description?: string;
}

/** The `info` of an events tree that no package.json describes. */
export const DEFAULT_ASYNCAPI_INFO: AsyncApiInfo = { title: "domain-events", version: "0.0.0" };

/** The dialect a message names when its schemas need JSON Schema 2020-12 to be read right. */
export const DIALECT_2020_12 = "https://json-schema.org/draft/2020-12/schema";

/** Keywords that 2020-12 defines and draft-07 (hence AsyncAPI's schema format) does not. */
const ONLY_2020_12: ReadonlySet<string> = new Set([...KNOWN_KEYWORDS["2020-12"]].filter((k) => !KNOWN_KEYWORDS["draft-07"].has(k)));

/** The keys AsyncAPI 3.0 allows in the maps of `components` (and for channel and operation ids). */
const COMPONENT_KEY = /^[\w.-]+$/;

const DEFS = "#/$defs/";
const SCHEMAS = "#/components/schemas/";

/**
 * The AsyncAPI 3.0 document of the events: `entries` as in events.json (with their compatibility),
 * `systems` from the systems' system.json. Channels, operations and messages come in the order of
 * the flat list (system, topic, event, version numerically), schemas sorted by name.
 *
 * Throws when two entries bundle different definitions under one name, or an envelope's name is
 * also a definition's: the build refuses colliding names before it generates, so that is a bug.
 */
export function asyncapiDocument(
  entries: readonly EventEntry[],
  systems: readonly SystemInfo[],
  info: AsyncApiInfo,
): Record<string, unknown> {
  const systemOf = new Map(systems.map((s) => [s.system, s]));
  const definitions = new Definitions();
  const envelopes = new Map<string, Record<string, unknown>>();
  const messages: Record<string, unknown> = {};
  const channels = new Map<string, { system: string; topic: string; types: string[] }>();

  for (const entry of [...entries].sort(byIdentity)) {
    const { $schema: _s, $id: _i, $defs, ...envelope } = entry.schema;
    const names = Object.keys(($defs ?? {}) as Record<string, unknown>);
    for (const name of names) definitions.add(name, ($defs as Record<string, unknown>)[name], entry.type);
    if (envelopes.has(entry.typeName)) throw new Error(`two events are named ${entry.typeName} (the second is ${entry.type})`);
    envelopes.set(entry.typeName, rewriteRefs(envelope, entry.type));
    messages[checkKey(entry.type)] = message(
      entry,
      names.some((n) => definitions.needs2020(n)),
    );
    const id = checkKey(`${entry.system}.${entry.topic}`);
    const channel = channels.get(id) ?? { system: entry.system, topic: entry.topic, types: [] };
    channel.types.push(entry.type);
    channels.set(id, channel);
  }

  const schemas: Record<string, unknown> = {};
  for (const name of [...envelopes.keys(), ...definitions.names()].sort(cmp)) {
    const envelope = envelopes.get(name);
    const definition = definitions.schema(name);
    if (envelope && definition) throw new Error(`the envelope of an event and a definition are both named ${name}`);
    schemas[checkKey(name)] = envelope ?? definition;
  }

  const usedSystems = [...new Set([...channels.values()].map((c) => c.system))].sort(cmp);
  return {
    asyncapi: "3.0.0",
    info: {
      title: info.title,
      version: info.version,
      ...(info.description ? { description: info.description } : {}),
      tags: usedSystems.map((system) => systemTag(system, systemOf.get(system))),
    },
    defaultContentType: "application/json",
    channels: Object.fromEntries([...channels].map(([id, c]) => [id, channelObject(c, systemOf.get(c.system))])),
    operations: Object.fromEntries([...channels].map(([id, c]) => [`${id}.send`, sendOperation(id, c, systemOf.get(c.system))])),
    components: { messages, schemas },
  };
}

/** The bundled definitions of every entry, once each, with their references rewritten. */
class Definitions {
  private readonly byName = new Map<
    string,
    { source: unknown; text?: string; first: string; schema: Record<string, unknown>; needs2020: boolean }
  >();

  /** Adds the definition `name` as the entry of `type` bundles it; the same name must mean the same schema. */
  add(name: string, source: unknown, type: string) {
    const known = this.byName.get(name);
    if (!known) {
      const schema = rewriteRefs(source as Record<string, unknown>, `${type}: $defs/${name}`);
      this.byName.set(name, { source, first: type, schema, needs2020: uses2020Keywords(schema) });
      return;
    }
    // The build's entries share each definition's object: comparing the text is the rare path.
    if (known.source === source) return;
    known.text ??= JSON.stringify(known.source);
    if (JSON.stringify(source) !== known.text) {
      throw new Error(`the definition ${name} differs between ${known.first} and ${type}: its name must name one schema`);
    }
  }

  needs2020(name: string): boolean {
    return this.byName.get(name)?.needs2020 ?? false;
  }

  names(): string[] {
    return [...this.byName.keys()];
  }

  schema(name: string): Record<string, unknown> | undefined {
    return this.byName.get(name)?.schema;
  }
}

/** A copy of `schema` whose references point into `components.schemas` instead of `$defs`. */
function rewriteRefs(schema: Record<string, unknown>, where: string): Record<string, unknown> {
  return mapSchema(schema, (s) => {
    if (typeof s.$ref !== "string") return s;
    // The bundle rewrote every reference to `#/$defs/<name>…`; anything else is a bug.
    if (!s.$ref.startsWith(DEFS)) throw new Error(`${where}: the reference ${s.$ref} does not point into $defs`);
    s.$ref = SCHEMAS + s.$ref.slice(DEFS.length);
    return s;
  }) as Record<string, unknown>;
}

function uses2020Keywords(schema: Record<string, unknown>): boolean {
  let found = false;
  walkSchema(schema, ({ schema: s }) => {
    if (!found) found = Object.keys(s).some((k) => ONLY_2020_12.has(k));
  });
  return found;
}

function message(entry: EventEntry, needs2020: boolean): Record<string, unknown> {
  const summary = firstSentence(entry.description);
  return {
    name: entry.type,
    title: entry.version > 1 ? `${entry.title} v${entry.version}` : entry.title,
    ...(summary && summary !== entry.description ? { summary } : {}),
    ...(entry.description ? { description: entry.description } : {}),
    contentType: "application/json",
    tags: [{ name: entry.system }, ...(entry.deprecated ? [{ name: "deprecated" }] : [])],
    payload: { $ref: SCHEMAS + entry.typeName },
    "x-latest": entry.latest,
    // AsyncAPI 3.0's Message Object has no `deprecated` (its Schema Object has, and the payload carries it).
    ...(entry.deprecated ? { "x-deprecated": true } : {}),
    ...(entry.compatibility ? { "x-compatibility": entry.compatibility } : {}),
    ...(needs2020 ? { "x-json-schema-dialect": DIALECT_2020_12 } : {}),
  };
}

function channelObject(c: { system: string; topic: string; types: string[] }, system: SystemInfo | undefined): Record<string, unknown> {
  const id = `${c.system}.${c.topic}`;
  return {
    address: id,
    title: `${system?.title ?? c.system}: ${c.topic}`,
    ...(system?.description ? { description: system.description } : {}),
    messages: Object.fromEntries(c.types.map((type) => [type, { $ref: `#/components/messages/${type}` }])),
    tags: [{ name: c.system }],
    ...(system?.owner ? { "x-owner": system.owner } : {}),
  };
}

function sendOperation(
  id: string,
  c: { system: string; topic: string; types: string[] },
  system: SystemInfo | undefined,
): Record<string, unknown> {
  return {
    action: "send",
    channel: { $ref: `#/channels/${id}` },
    title: `${system?.title ?? c.system} sends ${c.topic} events`,
    messages: c.types.map((type) => ({ $ref: `#/channels/${id}/messages/${type}` })),
    tags: [{ name: c.system }],
    ...(system?.owner ? { "x-owner": system.owner } : {}),
  };
}

function systemTag(name: string, system: SystemInfo | undefined): Record<string, unknown> {
  return { name, ...(system ? { description: `${system.title}: ${system.description}` } : {}) };
}

function byIdentity(a: EventEntry, b: EventEntry): number {
  return cmp(a.system, b.system) || cmp(a.topic, b.topic) || cmp(a.event, b.event) || a.version - b.version;
}

function checkKey(key: string): string {
  if (!COMPONENT_KEY.test(key)) throw new Error(`${key} cannot be a key of an AsyncAPI document`);
  return key;
}
