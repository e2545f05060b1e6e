/**
 * The catalog's model: systems → topics → events → versions, each version with its fields read
 * out of its schema, and each step between versions with the field-by-field picture and the
 * compatibility verdict (the same comparison the build's version chain makes, with every change
 * and its sentence). Built from what check gives (the tree's systems and the events.json
 * entries), so the catalog shows exactly what the package publishes.
 */

import { dataSchemaOf } from "../compat/chain.js";
import { compare } from "../compat/engine/index.js";
import { explain } from "../compat/report.js";
import type { CleanupGraph } from "../model/cleanup.js";
import type { ChainVerdict, EventEntry } from "../model/events-json.js";
import type { SystemInfo } from "../model/tree.js";
import { diffFields, type FieldChange } from "./diff.js";
import { type Field, fieldsOf } from "./fields.js";

/** What the catalog is made from. */
export interface CatalogInput {
  /** The package's name, for the import lines (`import … from "<name>"`). */
  packageName: string;
  /** The systems' metadata (system.json); a system without one is shown by its folder name. */
  systems: readonly SystemInfo[];
  /** The events.json entries, with the version chain's compatibility. */
  entries: readonly EventEntry[];
  /** The entity reference graph of the test-data process, when the tree has one (generate/cleanup.ts). */
  graph?: CleanupGraph;
}

export interface Catalog {
  packageName: string;
  systems: CatalogSystem[];
  graph?: CatalogInput["graph"];
  /** Counts for the overview. */
  counts: { systems: number; topics: number; events: number; versions: number; deprecated: number };
}

export interface CatalogSystem {
  id: string;
  title: string;
  description: string;
  owner: string;
  source: string;
  topics: { id: string; events: CatalogEvent[] }[];
}

/** One event with all its versions: one page of the catalog. */
export interface CatalogEvent {
  /** `<system>.<topic>.<event>`: the page's name. */
  key: string;
  system: string;
  topic: string;
  event: string;
  /** The latest version's title. */
  title: string;
  owner: string;
  versions: CatalogVersion[];
}

export interface CatalogVersion {
  version: number;
  type: string;
  typeName: string;
  title: string;
  description: string;
  latest: boolean;
  deprecated: boolean;
  /** The envelope's fields (CloudEvents attributes), `data` excluded. */
  envelope: Field[];
  /** The event's own data. */
  data: Field[];
  examples: unknown[];
  /** From the previous version to this one. */
  change?: VersionChange;
}

/** How a version differs from the one before it. */
export interface VersionChange {
  from: number;
  verdict: ChainVerdict;
  /** Every change the comparison found, with its sentence and direction. */
  changes: { type: string; pointer: string; sentence: string; backward: boolean; forward: boolean }[];
  fields: FieldChange[];
}

/** Builds the model. Deterministic: systems, topics and events sorted by id, versions by number. */
export function catalogModel(input: CatalogInput): Catalog {
  const info = new Map(input.systems.map((s) => [s.system, s]));
  const byEvent = new Map<string, EventEntry[]>();
  for (const e of input.entries) {
    const key = `${e.system}.${e.topic}.${e.event}`;
    byEvent.set(key, [...(byEvent.get(key) ?? []), e]);
  }
  const systems = new Map<string, CatalogSystem>();
  for (const key of [...byEvent.keys()].sort()) {
    const versions = (byEvent.get(key) as EventEntry[]).sort((a, b) => a.version - b.version);
    const first = versions[0] as EventEntry;
    const sys = info.get(first.system);
    let system = systems.get(first.system);
    if (!system) {
      system = {
        id: first.system,
        title: sys?.title ?? first.system,
        description: sys?.description ?? "",
        owner: sys?.owner ?? "",
        source: sys?.source ?? "",
        topics: [],
      };
      systems.set(first.system, system);
    }
    let topic = system.topics.find((t) => t.id === first.topic);
    if (!topic) {
      topic = { id: first.topic, events: [] };
      system.topics.push(topic);
    }
    const made = versions.map((e, i) => versionOf(e, versions[i - 1]));
    topic.events.push({
      key,
      system: first.system,
      topic: first.topic,
      event: first.event,
      title: (made.at(-1) as CatalogVersion).title,
      owner: system.owner,
      versions: made,
    });
  }
  const all = [...systems.values()].sort((a, b) => (a.id < b.id ? -1 : 1));
  for (const s of all) s.topics.sort((a, b) => (a.id < b.id ? -1 : 1));
  const events = all.flatMap((s) => s.topics.flatMap((t) => t.events));
  return {
    packageName: input.packageName,
    systems: all,
    ...(input.graph ? { graph: input.graph } : {}),
    counts: {
      systems: all.length,
      topics: all.reduce((n, s) => n + s.topics.length, 0),
      events: events.length,
      versions: input.entries.length,
      deprecated: input.entries.filter((e) => e.deprecated).length,
    },
  };
}

function versionOf(e: EventEntry, previous: EventEntry | undefined): CatalogVersion {
  const defs = (e.schema.$defs ?? {}) as Record<string, unknown>;
  const props = (e.schema.properties ?? {}) as Record<string, unknown>;
  const { data: _, ...envelopeProps } = props;
  const data = dataSchemaOf(e);
  const version: CatalogVersion = {
    version: e.version,
    type: e.type,
    typeName: e.typeName,
    title: e.title,
    description: e.description,
    latest: e.latest,
    deprecated: e.deprecated,
    envelope: fieldsOf({ ...e.schema, properties: envelopeProps }, defs),
    data: fieldsOf(data, defs),
    examples: Array.isArray(data.examples) ? data.examples : [],
  };
  if (previous) {
    const before = dataSchemaOf(previous);
    const result = compare(before, data);
    version.change = {
      from: previous.version,
      verdict: e.compatibility?.previous ?? (result.full ? "full" : result.backward ? "backward" : result.forward ? "forward" : "none"),
      changes: result.changes.map((c) => ({
        type: c.type,
        pointer: c.pointer,
        sentence: explain(c.type),
        backward: c.backward,
        forward: c.forward,
      })),
      fields: diffFields(fieldsOf(before, (previous.schema.$defs ?? {}) as Record<string, unknown>), version.data),
    };
  }
  return version;
}
