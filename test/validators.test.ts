/**
 * The same samples through in-process ajv (compiling the self-contained schemas of events.json)
 * and through the emitted standalone validators: both must agree, sample by sample, on the verdict
 * and on where the problems are. Samples are every example of every event (valid once enveloped)
 * and mechanical mutations of them (invalid).
 */

import path from "node:path";
import { pathToFileURL } from "node:url";
import { Ajv, type ValidateFunction } from "ajv";
import { Ajv2020 } from "ajv/dist/2020.js";
import addFormatsModule from "ajv-formats";
import { beforeAll, describe, expect, it } from "vitest";
import type { EventEntry } from "../src/model/events-json.js";
import { build } from "../src/pipeline.js";
import { envelope, ROOT, scratch } from "./helpers.js";

type FormatsPlugin = typeof import("ajv-formats").default;
const addFormats: FormatsPlugin =
  (addFormatsModule as unknown as { default?: FormatsPlugin }).default ?? (addFormatsModule as unknown as FormatsPlugin);

interface Emitted {
  validate(value: unknown): { ok: boolean; errors?: { pointer: string; keyword: string }[] };
  validators: Record<string, (value: unknown) => { ok: boolean }>;
  isDomainEvent(value: unknown): boolean;
  parseEvent(value: unknown): unknown;
  events: readonly { type: string }[];
}

interface Sample {
  name: string;
  type: string;
  value: unknown;
  valid: boolean;
}

/** Valid samples from the examples, and invalid ones made from each. */
function samples(entries: readonly EventEntry[]): Sample[] {
  const out: Sample[] = [];
  for (const entry of entries) {
    const data = entry.schema.$defs as Record<string, Record<string, unknown>>;
    const dataSchema = data[`${entry.typeName}Data`] as { required?: string[]; examples?: unknown[] };
    const examples = (dataSchema.examples ?? []) as Record<string, unknown>[];
    examples.forEach((example, i) => {
      const base = `${entry.type} example ${i}`;
      out.push({ name: base, type: entry.type, value: envelope(entry.type, example), valid: true });
      for (const key of dataSchema.required ?? []) {
        const { [key]: _, ...rest } = example;
        out.push({ name: `${base} without data.${key}`, type: entry.type, value: envelope(entry.type, rest), valid: false });
      }
      out.push({
        name: `${base} with an unknown data property`,
        type: entry.type,
        value: envelope(entry.type, { ...example, zzUnknown: 1 }),
        valid: false,
      });
      out.push({
        name: `${base} with a bad time`,
        type: entry.type,
        value: envelope(entry.type, example, { time: "yesterday" }),
        valid: false,
      });
      out.push({
        name: `${base} without clientaccountid`,
        type: entry.type,
        value: { ...envelope(entry.type, example), clientaccountid: undefined },
        valid: false,
      });
      out.push({
        name: `${base} with an extra envelope attribute`,
        type: entry.type,
        value: envelope(entry.type, example, { traceparent: "x" }),
        valid: false,
      });
      out.push({ name: `${base} with data null`, type: entry.type, value: envelope(entry.type, null), valid: false });
    });
  }
  return out;
}

function inProcess(entries: readonly EventEntry[]): Map<string, ValidateFunction> {
  const a2020 = new Ajv2020({ allErrors: true, strict: false });
  const a07 = new Ajv({ allErrors: true, strict: false });
  for (const a of [a2020, a07]) addFormats(a);
  return new Map(entries.map((e) => [e.type, (String(e.schema.$schema).includes("draft-07") ? a07 : a2020).compile(e.schema)]));
}

for (const tree of ["events", "test/fixtures/golden/events"]) {
  describe(`emitted validators agree with in-process ajv on ${tree}`, () => {
    let emitted: Emitted;
    let entries: EventEntry[];
    beforeAll(async () => {
      const out = path.join(await scratch("validators"), "out");
      const result = await build({ eventsDir: tree, outDir: out, cwd: ROOT });
      expect(result.ok).toBe(true);
      entries = JSON.parse(result.files?.get("events.json") ?? "[]");
      emitted = (await import(pathToFileURL(path.join(out, "index.js")).href)) as Emitted;
    });

    it("on every sample", () => {
      const reference = inProcess(entries);
      const all = samples(entries);
      expect(all.filter((s) => s.valid).length).toBeGreaterThan(0);
      for (const s of all) {
        const ref = reference.get(s.type) as ValidateFunction;
        const want = ref(JSON.parse(JSON.stringify(s.value))) as boolean;
        const got = emitted.validate(s.value);
        expect({ name: s.name, ok: got.ok }).toEqual({ name: s.name, ok: s.valid });
        expect({ name: s.name, ok: want }).toEqual({ name: s.name, ok: s.valid });
        if (!got.ok) {
          const where = (list: { instancePath?: string; pointer?: string; keyword: string }[]) =>
            [...new Set(list.map((e) => `${e.instancePath ?? e.pointer} ${e.keyword}`))].sort();
          expect(where(got.errors ?? [])).toEqual(where(ref.errors ?? []));
        }
        expect(emitted.validators[s.type]?.(s.value).ok).toBe(s.valid);
        expect(emitted.isDomainEvent(s.value)).toBe(s.valid);
      }
    });

    it("rejects values that are not events, and types it does not know", () => {
      for (const value of [
        null,
        42,
        "event",
        [],
        {},
        { type: 7 },
        { type: "no.such.event.v1" },
        { type: "__proto__" },
        { type: "constructor" },
      ]) {
        const r = emitted.validate(value);
        expect(r.ok).toBe(false);
        expect(r.errors?.[0]?.pointer).toBe(typeof value === "object" && value !== null && !Array.isArray(value) ? "/type" : "");
      }
    });

    it("has a validator for each event type and nothing else", () => {
      expect(Object.keys(emitted.validators)).toEqual(entries.map((e) => e.type));
      expect((emitted.validators as Record<string, unknown>).constructor).toBeUndefined();
      expect((emitted.validators as Record<string, unknown>).toString).toBeUndefined();
    });

    it("a per-event validator rejects another event's type", () => {
      const [a, b] = entries;
      if (!a || !b) return;
      const example = (a.schema.$defs as Record<string, { examples: unknown[] }>)[`${a.typeName}Data`]?.examples[0];
      expect(emitted.validators[a.type]?.(envelope(a.type, example)).ok).toBe(true);
      expect(emitted.validators[b.type]?.(envelope(a.type, example)).ok).toBe(false);
    });

    it("parseEvent returns the event or throws an error naming the problem", () => {
      const entry = entries[0] as EventEntry;
      const example = (entry.schema.$defs as Record<string, { examples: unknown[] }>)[`${entry.typeName}Data`]?.examples[0];
      const good = envelope(entry.type, example);
      expect(emitted.parseEvent(good)).toBe(good);
      const bad = envelope(entry.type, example, { time: "yesterday", id: "" });
      let thrown: unknown;
      try {
        emitted.parseEvent(bad);
      } catch (e) {
        thrown = e;
      }
      expect(thrown).toBeInstanceOf(Error);
      const err = thrown as Error & { errors: { pointer: string }[] };
      expect(err.name).toBe("EventValidationError");
      // The validators stop at the first problem, as hand-written code would (`domain-events
      // validate` lists every one): here the envelope's id, which comes before time.
      expect(err.errors.map((e) => e.pointer)).toEqual(["/id"]);
      expect(err.message).toContain("/id");
    });
  });
}
