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
import type { Piece } from "./splice.js";
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

/** What places an event in the document: its identity (EventVersion and EventEntry both have it). */
export interface AsyncApiEvent {
  type: string;
  system: string;
  topic: string;
  event: string;
  version: number;
}

/**
 * One event's part of the document, as text: its message, its envelope and each definition its
 * entry bundles, each a member of `components.messages` or `components.schemas` as the document
 * prints it. A part depends on its entry alone, so the build keeps it with the entry's text and
 * stitches the document from the parts (asyncapiText).
 */
export interface AsyncApiPart {
  message: string;
  envelope: [string, string];
  /**
   * The definitions the entry bundles, by name, as events.json has them: a definition's member is
   * made once per name (DefinitionTexts), not once per event that bundles it.
   */
  definitions: [string, Record<string, unknown>][];
}

/** The indentation of a member of `components.messages` or `components.schemas`. */
const MEMBER = "      ";

/** One event's part of the document (see AsyncApiPart). */
export function asyncapiPart(entry: EventEntry): AsyncApiPart {
  const { $schema: _s, $id: _i, $defs, ...envelope } = entry.schema;
  const definitions = Object.entries(($defs ?? {}) as Record<string, Record<string, unknown>>);
  return {
    message: member(
      checkKey(entry.type),
      message(
        entry,
        definitions.some(([, schema]) => needs2020(schema)),
      ),
    ),
    envelope: [entry.typeName, member(checkKey(entry.typeName), rewriteRefs(envelope, entry.type))],
    definitions,
  };
}

/**
 * The definitions' members of the document, each made once per name from the first event that
 * bundles it. Two events that bundle different schemas under one name throw: the build refuses
 * colliding names before it generates, so that is a bug. The build's entries share each
 * definition's object, so comparing the text is the rare path.
 */
export class DefinitionTexts {
  private readonly byName = new Map<string, { schema: Record<string, unknown>; first: string; json?: string; text?: string }>();

  /** Notes the definitions of one event's part; false when one differs from what its name was given before. */
  add(type: string, part: AsyncApiPart, onDiffers: "throw" | "report" = "throw"): boolean {
    for (const [name, schema] of part.definitions) {
      const known = this.byName.get(name);
      if (!known) {
        this.byName.set(name, { schema, first: type });
        continue;
      }
      if (known.schema === schema) continue;
      known.json ??= JSON.stringify(known.schema);
      if (known.json === JSON.stringify(schema)) continue;
      if (onDiffers === "report") return false;
      throw new Error(`the definition ${name} differs between ${known.first} and ${type}: its name must name one schema`);
    }
    return true;
  }

  has(name: string): boolean {
    return this.byName.has(name);
  }

  /** The member of a definition noted before. */
  text(name: string): string {
    const known = this.byName.get(name);
    if (!known) throw new Error(`no event bundles the definition ${name}`);
    known.text ??= member(checkKey(name), rewriteRefs(known.schema, `${known.first}: $defs/${name}`));
    return known.text;
  }
}

const USES_2020 = new WeakMap<object, boolean>();

/** Whether a definition uses keywords only 2020-12 defines (once per schema object: the entries share them). */
function needs2020(schema: Record<string, unknown>): boolean {
  let known = USES_2020.get(schema);
  if (known === undefined) {
    known = uses2020Keywords(schema);
    USES_2020.set(schema, known);
  }
  return known;
}

/** `"key": value` as a member of an object printed at MEMBER's depth (JSON.stringify's layout, two spaces a level). */
function member(key: string, value: unknown): string {
  return `${MEMBER}${JSON.stringify(key)}: ${JSON.stringify(value, null, 2).replaceAll("\n", `\n${MEMBER}`)}`;
}

/**
 * The AsyncAPI 3.0 document of the events, as the text of asyncapi.json: `events` with their parts
 * (asyncapiPart of each entry, with its compatibility), `systems` from the systems' system.json.
 * Channels, operations and messages come in the order of the flat list (system, topic, event,
 * version numerically), schemas sorted by name. The same text as JSON.stringify of the whole
 * document with two spaces, made from the parts without parsing them.
 *
 * Throws when two entries bundle different definitions under one name, or an envelope's name is
 * also a definition's: the build refuses colliding names before it generates, so that is a bug.
 */
export function asyncapiText(
  events: readonly { event: AsyncApiEvent; part: AsyncApiPart }[],
  systems: readonly SystemInfo[],
  info: AsyncApiInfo,
): string {
  const definitions = new DefinitionTexts();
  for (const { event, part } of [...events].sort((a, b) => byIdentity(a.event, b.event))) definitions.add(event.type, part);
  const members = events.map(({ event, part }) => ({ event, typeName: part.envelope[0], definitions: part.definitions.map(([n]) => n) }));
  const pieces = asyncapiPieces(members, systems, info, {
    label: (i) => String(i),
    message: (i) => (events[i] as { part: AsyncApiPart }).part.message,
    envelope: (i) => (events[i] as { part: AsyncApiPart }).part.envelope[1],
    definition: (name) => ({ text: () => definitions.text(name), fresh: false }),
  });
  return pieces.map((p) => (typeof p === "string" ? p : p.make())).join("");
}

/** One event as the document's layout needs it: its identity, its envelope's name, the definitions its entry bundles. */
export interface AsyncApiMember {
  event: AsyncApiEvent;
  typeName: string;
  definitions: readonly string[];
}

/**
 * The document as pieces (generate/splice.ts): the head (info, channels, operations), then each
 * message, envelope and definition as a member labelled by what it is made from: event i's message
 * and envelope by `make.label(i)` (the key of its entry), a definition by its name (`fresh` when
 * an edited event bundles it). asyncapiText joins them; a build splices them from its last file.
 */
export function asyncapiPieces(
  members: readonly AsyncApiMember[],
  systems: readonly SystemInfo[],
  info: AsyncApiInfo,
  make: {
    label(i: number): string;
    message(i: number): string;
    envelope(i: number): string;
    definition(name: string): { text(): string; fresh: boolean };
  },
): Piece[] {
  const systemOf = new Map(systems.map((s) => [s.system, s]));
  const order = members
    .map((_, i) => i)
    .sort((a, b) => byIdentity((members[a] as AsyncApiMember).event, (members[b] as AsyncApiMember).event));
  const envelopes = new Map<string, number>();
  const definitions = new Set<string>();
  const channels = new Map<string, { system: string; topic: string; types: string[] }>();
  for (const i of order) {
    const { event, typeName } = members[i] as AsyncApiMember;
    for (const name of (members[i] as AsyncApiMember).definitions) definitions.add(name);
    if (envelopes.has(typeName)) throw new Error(`two events are named ${typeName} (the second is ${event.type})`);
    envelopes.set(checkKey(typeName), i);
    checkKey(event.type);
    const id = checkKey(`${event.system}.${event.topic}`);
    const channel = channels.get(id) ?? { system: event.system, topic: event.topic, types: [] };
    channel.types.push(event.type);
    channels.set(id, channel);
  }
  const schemas: Piece[] = [];
  for (const name of [...new Set([...envelopes.keys(), ...definitions])].sort(cmp)) {
    const envelope = envelopes.get(name);
    if (envelope !== undefined && definitions.has(name))
      throw new Error(`the envelope of an event and a definition are both named ${name}`);
    if (envelope !== undefined) {
      schemas.push({ label: `e:${make.label(envelope)}`, make: () => make.envelope(envelope) });
    } else {
      const definition = make.definition(checkKey(name));
      schemas.push({ label: `d:${name}`, make: definition.text, fresh: definition.fresh });
    }
  }
  const messages: Piece[] = order.map((i) => ({ label: `m:${make.label(i)}`, make: () => make.message(i) }));

  const usedSystems = [...new Set([...channels.values()].map((c) => c.system))].sort(cmp);
  // Components come last: the rest is printed whole, then the two maps are made of the members.
  const head = JSON.stringify(
    {
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
      components: null,
    },
    null,
    2,
  );
  const stem = head.slice(0, head.length - '\n  "components": null\n}'.length);
  return [
    `${stem}\n  "components": {\n    "messages": `,
    ...objectPieces(messages),
    ',\n    "schemas": ',
    ...objectPieces(schemas),
    "\n  }\n}\n",
  ];
}

/** An object of the components printed as JSON.stringify prints it, its members given as pieces. */
function objectPieces(members: Piece[]): Piece[] {
  if (members.length === 0) return ["{}"];
  return ["{\n", ...members.flatMap((m, i) => (i === 0 ? [m] : [",\n", m])), "\n    }"];
}

/** The document of `entries` as a value (asyncapiText of their parts, read back): for tools and tests. */
export function asyncapiDocument(
  entries: readonly EventEntry[],
  systems: readonly SystemInfo[],
  info: AsyncApiInfo,
): Record<string, unknown> {
  return JSON.parse(
    asyncapiText(
      entries.map((entry) => ({ event: entry, part: asyncapiPart(entry) })),
      systems,
      info,
    ),
  );
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

function byIdentity(a: AsyncApiEvent, b: AsyncApiEvent): number {
  return cmp(a.system, b.system) || cmp(a.topic, b.topic) || cmp(a.event, b.event) || a.version - b.version;
}

function checkKey(key: string): string {
  if (!COMPONENT_KEY.test(key)) throw new Error(`${key} cannot be a key of an AsyncAPI document`);
  return key;
}
