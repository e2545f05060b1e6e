/**
 * asyncapi.json: the AsyncAPI 3.0 export of our events tree as the package ships it (dist/, written
 * by `npm run build`), read back by @asyncapi/parser (the parser of AsyncAPI's generators and
 * Studio), checked against events.json, and its payloads against our emitted validators. Then the
 * pure function on entries made to break it, and the package version through the no-op build.
 */

import { cp, readdir, readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { DiagnosticSeverity, Parser } from "@asyncapi/parser";
import { Ajv } from "ajv";
import addFormatsModule from "ajv-formats";
import { beforeAll, describe, expect, it } from "vitest";
import { asyncapiDocument, DIALECT_2020_12 } from "../src/generate/asyncapi.js";
import type { EventEntry } from "../src/model/events-json.js";
import type { SystemInfo } from "../src/model/tree.js";
import { build } from "../src/pipeline.js";
import { PLACEHOLDER_SIGNATURE, ROOT, scratch } from "./helpers.js";

type FormatsPlugin = typeof import("ajv-formats").default;
const addFormats: FormatsPlugin =
  (addFormatsModule as unknown as { default?: FormatsPlugin }).default ?? (addFormatsModule as unknown as FormatsPlugin);

type Json = Record<string, unknown>;

interface Emitted {
  validators: Record<string, (value: unknown) => { ok: boolean }>;
}

const DIST = path.join(ROOT, "dist");

async function readJson<T>(file: string): Promise<T> {
  try {
    return JSON.parse(await readFile(file, "utf8")) as T;
  } catch (e) {
    throw new Error(`cannot read ${path.relative(ROOT, file)}: run \`npm run build\` first (npm test does): ${(e as Error).message}`);
  }
}

/** The systems' system.json files of a tree. */
async function systemsOf(eventsDir: string): Promise<SystemInfo[]> {
  const out: SystemInfo[] = [];
  for (const d of await readdir(eventsDir, { withFileTypes: true })) {
    if (!d.isDirectory() || d.name.startsWith("_")) continue;
    const file = path.join(eventsDir, d.name, "system.json");
    const json = JSON.parse(await readFile(file, "utf8").catch(() => "null"));
    if (json) out.push({ system: d.name, ...json });
  }
  return out;
}

/** The value at a local reference (`#/a/b`), or undefined. */
function resolve(doc: unknown, ref: string): unknown {
  if (!ref.startsWith("#/")) return undefined;
  let at: unknown = doc;
  for (const token of ref.slice(2).split("/")) {
    const key = token.replaceAll("~1", "/").replaceAll("~0", "~");
    if (typeof at !== "object" || at === null || !Object.hasOwn(at, key)) return undefined;
    at = (at as Json)[key];
  }
  return at;
}

/** Every `$ref` string anywhere in a value, with where it is. */
function refsIn(value: unknown, at = ""): { at: string; ref: string }[] {
  if (Array.isArray(value)) return value.flatMap((v, i) => refsIn(v, `${at}/${i}`));
  if (typeof value !== "object" || value === null) return [];
  return Object.entries(value).flatMap(([k, v]) => (k === "$ref" && typeof v === "string" ? [{ at, ref: v }] : refsIn(v, `${at}/${k}`)));
}

/** A valid event of an entry: its data example in an envelope whose source fits the entry's pin. */
function sampleEvent(entry: EventEntry): Json {
  const source = entry.schema.properties as Record<string, Json>;
  const defs = entry.schema.$defs as Record<string, Json>;
  return {
    specversion: "1.0",
    id: "evt-1",
    source: (source.source?.const as string | undefined) ?? `/systems/${entry.system}`,
    type: entry.type,
    time: "2026-05-01T08:00:00Z",
    datacontenttype: "application/json",
    clientaccountid: "ca-1",
    data: (defs[`${entry.typeName}Data`]?.examples as unknown[] | undefined)?.[0],
    ...((entry.schema.required as string[]).includes("signature") ? PLACEHOLDER_SIGNATURE : {}),
  };
}

/** Events that break the schema of `entry` in different places (each must be invalid). */
function brokenEvents(entry: EventEntry, valid: Json): [string, Json][] {
  const data = valid.data as Json;
  const required = ((entry.schema.$defs as Record<string, Json>)[`${entry.typeName}Data`]?.required as string[] | undefined) ?? [];
  const { time: _time, ...noTime } = valid;
  const out: [string, Json][] = [
    ["an envelope without time", noTime],
    ["an unknown envelope attribute", { ...valid, traceparent: "00-1" }],
    ["another system's source", { ...valid, source: "/elsewhere/x/y" }],
    ["another event's type", { ...valid, type: `${entry.type}0` }],
    ["data that is not an object", { ...valid, data: "x" }],
  ];
  if (required[0] !== undefined) {
    const { [required[0]]: _gone, ...rest } = data;
    out.push([`data without ${required[0]}`, { ...valid, data: rest }]);
  }
  return out;
}

describe("dist/asyncapi.json of events/", () => {
  let text: string;
  let doc: Json;
  let entries: EventEntry[];
  let systems: SystemInfo[];
  let components: { messages: Record<string, Json>; schemas: Record<string, Json> };
  let channels: Record<string, Json>;
  let operations: Record<string, Json>;
  const parser = new Parser();

  beforeAll(async () => {
    text = await readFile(path.join(DIST, "asyncapi.json"), "utf8").catch(() => "");
    doc = await readJson<Json>(path.join(DIST, "asyncapi.json"));
    entries = await readJson<EventEntry[]>(path.join(DIST, "events.json"));
    systems = await systemsOf(path.join(ROOT, "events"));
    components = doc.components as typeof components;
    channels = doc.channels as typeof channels;
    operations = doc.operations as typeof operations;
  });

  it("is a valid AsyncAPI 3.0.0 document: the parser reports no error", async () => {
    expect(doc.asyncapi).toBe("3.0.0");
    const diagnostics = await parser.validate(text);
    const errors = diagnostics.filter((d) => d.severity === DiagnosticSeverity.Error);
    expect(errors.map((d) => `${d.code} at /${d.path.join("/")}: ${d.message}`)).toEqual([]);
    // Warnings would hide a problem for tools that stop at them: none either.
    expect(diagnostics.filter((d) => d.severity === DiagnosticSeverity.Warning).map((d) => d.message)).toEqual([]);
  });

  it("names the package in info, and JSON as the default content type", async () => {
    const pkg = await readJson<{ name: string; version: string; description: string }>(path.join(ROOT, "package.json"));
    expect(doc.info).toMatchObject({ title: pkg.name, version: pkg.version, description: pkg.description });
    expect(doc.defaultContentType).toBe("application/json");
    expect(text).not.toContain(ROOT);
  });

  it("has one message per event of events.json, keyed and named by its type", () => {
    expect(Object.keys(components.messages).sort()).toEqual(entries.map((e) => e.type).sort());
    for (const entry of entries) {
      const message = components.messages[entry.type] as Json;
      expect(message.name, entry.type).toBe(entry.type);
      expect(message.title, entry.type).toContain(entry.title);
      expect(message.description, entry.type).toBe(entry.description);
      expect(message.contentType, entry.type).toBe("application/json");
      expect(message.payload, entry.type).toEqual({ $ref: `#/components/schemas/${entry.typeName}` });
      expect(message["x-latest"], entry.type).toBe(entry.latest);
      expect(message["x-deprecated"] === true, entry.type).toBe(entry.deprecated);
      expect(
        (message.tags as { name: string }[]).some((t) => t.name === "deprecated"),
        entry.type,
      ).toBe(entry.deprecated);
      expect(message["x-compatibility"], entry.type).toEqual(entry.compatibility);
    }
    // The tree has deprecated versions, so the marks above were really exercised.
    expect(entries.some((e) => e.deprecated)).toBe(true);
  });

  it("puts each message in the channel of its system/topic, which its system's send operation sends", () => {
    const topics = new Set(entries.map((e) => `${e.system}.${e.topic}`));
    expect(Object.keys(channels).sort()).toEqual([...topics].sort());
    const owner = new Map(systems.map((s) => [s.system, s.owner]));
    for (const entry of entries) {
      const id = `${entry.system}.${entry.topic}`;
      const channel = channels[id] as Json;
      expect(channel.address).toBe(id);
      expect(channel.messages, entry.type).toHaveProperty([entry.type], { $ref: `#/components/messages/${entry.type}` });
      expect(channel["x-owner"]).toBe(owner.get(entry.system));
      const send = operations[`${id}.send`] as Json;
      expect(send).toMatchObject({ action: "send", channel: { $ref: `#/channels/${id}` }, "x-owner": owner.get(entry.system) });
      expect(send.messages).toContainEqual({ $ref: `#/channels/${id}/messages/${entry.type}` });
    }
    // No message in a channel it does not belong to, and one operation per channel.
    const placed = Object.values(channels).flatMap((c) => Object.keys(c.messages as Json));
    expect(placed.sort()).toEqual(entries.map((e) => e.type).sort());
    expect(Object.keys(operations).sort()).toEqual([...topics].map((t) => `${t}.send`).sort());
  });

  it("resolves every $ref inside the document; payloads refer to components.schemas, never to $defs", () => {
    const refs = refsIn(doc);
    expect(refs.length).toBeGreaterThan(entries.length * 3);
    for (const { at, ref } of refs) {
      expect(resolve(doc, ref), `${ref} at ${at}`).toBeDefined();
      expect(ref).not.toContain("$defs");
    }
  });

  it("holds each bundled definition once, as events.json bundles it, with its references moved", () => {
    for (const entry of entries) {
      for (const [name, def] of Object.entries(entry.schema.$defs as Json)) {
        const moved = JSON.parse(JSON.stringify(def).replaceAll('"#/$defs/', '"#/components/schemas/'));
        expect(components.schemas[name], `${entry.type}: ${name}`).toEqual(moved);
      }
      const { $schema: _s, $id: _i, $defs: _d, ...envelope } = entry.schema;
      const moved = JSON.parse(JSON.stringify(envelope).replaceAll('"#/$defs/', '"#/components/schemas/'));
      expect(components.schemas[entry.typeName], entry.type).toEqual(moved);
    }
    const names = new Set([...entries.map((e) => e.typeName), ...entries.flatMap((e) => Object.keys(e.schema.$defs as Json))]);
    expect(Object.keys(components.schemas).sort()).toEqual([...names].sort());
  });

  it("a parsed message's payload accepts and rejects events as our emitted validators do", async () => {
    const { document, diagnostics } = await parser.parse(text);
    expect(diagnostics.filter((d) => d.severity === DiagnosticSeverity.Error)).toEqual([]);
    if (!document) throw new Error("the parser gave no document");
    const emitted = (await import(pathToFileURL(path.join(DIST, "index.js")).href)) as Emitted;
    // AsyncAPI's default schema format is a superset of draft-07: ajv's default class.
    const ajv = new Ajv({ strict: false, allErrors: false });
    addFormats(ajv);
    let compared = 0;
    for (const entry of entries) {
      const message = document.components().messages().get(entry.type);
      expect(message?.name(), entry.type).toBe(entry.type);
      const payload = message?.payload();
      expect(payload?.schemaFormat(), entry.type).toBe("application/vnd.aai.asyncapi;version=3.0.0");
      expect(payload?.id(), entry.type).toBe(entry.typeName);
      // The parser resolved every reference: the payload is one self-contained schema.
      const schema = payload?.json() as Json;
      expect(refsIn(schema), entry.type).toEqual([]);
      const check = ajv.compile(schema);
      const ours = emitted.validators[entry.type] as (value: unknown) => { ok: boolean };
      const valid = sampleEvent(entry);
      expect([check(valid), ours(valid).ok], `${entry.type}: its example`).toEqual([true, true]);
      for (const [what, event] of brokenEvents(entry, valid)) {
        expect([check(event), ours(event).ok], `${entry.type}: ${what}`).toEqual([false, false]);
        compared++;
      }
    }
    expect(compared).toBeGreaterThan(entries.length * 5);
  });
});

describe("asyncapiDocument", () => {
  let entries: EventEntry[];
  let systems: SystemInfo[];
  const info = { title: "t", version: "1.0.0" };

  beforeAll(async () => {
    entries = await readJson<EventEntry[]>(path.join(DIST, "events.json"));
    systems = await systemsOf(path.join(ROOT, "events"));
  });

  /** Two entries that bundle the same definition, and its name. */
  function sharing(): { a: EventEntry; b: EventEntry; name: string } {
    for (const a of entries) {
      for (const b of entries) {
        if (a === b) continue;
        const name = Object.keys(a.schema.$defs as Json).find((n) => Object.hasOwn(b.schema.$defs as Json, n));
        if (name) return { a, b, name };
      }
    }
    throw new Error("no two events share a definition");
  }

  it("takes equal definitions from separate objects (entries read from events.json) once", () => {
    const { a, b, name } = sharing();
    const copy = structuredClone(b);
    const doc = asyncapiDocument([a, copy], systems, info) as { components: { schemas: Json } };
    expect(Object.keys(doc.components.schemas).filter((n) => n === name)).toHaveLength(1);
  });

  it("throws when two events bundle different schemas under one name (the build refuses that before: a bug)", () => {
    const { a, b, name } = sharing();
    const changed = structuredClone(b);
    (changed.schema.$defs as Record<string, Json>)[name] = { ...(changed.schema.$defs as Record<string, Json>)[name], minProperties: 99 };
    expect(() => asyncapiDocument([a, changed], systems, info)).toThrow(new RegExp(`${name} differs between`));
  });

  it("names the 2020-12 dialect only on messages whose schemas use keywords draft-07 lacks", () => {
    const [first, second] = entries;
    if (!first || !second) throw new Error("too few events");
    const tuple = structuredClone(first);
    const data = (tuple.schema.$defs as Record<string, Json>)[`${tuple.typeName}Data`] as Json;
    data.properties = { ...(data.properties as Json), pair: { type: "array", prefixItems: [{ type: "string" }], items: false } };
    const doc = asyncapiDocument([tuple, second], systems, info) as { components: { messages: Record<string, Json> } };
    expect(doc.components.messages[first.type]?.["x-json-schema-dialect"]).toBe(DIALECT_2020_12);
    expect(doc.components.messages[second.type]).not.toHaveProperty("x-json-schema-dialect");
  });

  it("gives the same bytes whatever the order of the entries", () => {
    const sorted = JSON.stringify(asyncapiDocument(entries, systems, info));
    const shuffled = [...entries].reverse();
    shuffled.push(shuffled.splice(3, 1)[0] as EventEntry);
    expect(JSON.stringify(asyncapiDocument(shuffled, [...systems].reverse(), info))).toBe(sorted);
  });
});

describe("build --out: the package's version", () => {
  it("goes into asyncapi.json from the package.json beside the events folder, even when no event changed", async () => {
    const dir = await scratch("asyncapi-version");
    const events = path.join(dir, "events");
    const out = path.join(dir, "out");
    await cp(path.join(ROOT, "test/fixtures/golden/events"), events, { recursive: true });
    const options = { eventsDir: events, outDir: out, cwd: ROOT, cacheDir: path.join(dir, "cache") };
    const versionOf = async () => (JSON.parse(await readFile(path.join(out, "asyncapi.json"), "utf8")) as { info: Json }).info;

    await writeFile(path.join(dir, "package.json"), JSON.stringify({ name: "billing-events", version: "1.2.0" }));
    expect((await build(options)).ok).toBe(true);
    expect(await versionOf()).toMatchObject({ title: "billing-events", version: "1.2.0" });
    expect((await build(options)).upToDate).toBe(true);

    await writeFile(path.join(dir, "package.json"), JSON.stringify({ name: "billing-events", version: "1.3.0" }));
    const rebuilt = await build(options);
    expect(rebuilt.upToDate).toBeUndefined();
    expect(await versionOf()).toMatchObject({ title: "billing-events", version: "1.3.0" });
  });
});
