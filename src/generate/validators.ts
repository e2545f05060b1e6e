/**
 * Precompiled validators: ajv standalone code for each event's published schema (the envelope with
 * its type fixed and its data referenced), made by the ajv instances that already compiled the data
 * schemas in validate. The code is rewritten to import nothing but ajv-formats' format checks.
 */

import standaloneModule from "ajv/dist/standalone/index.js";
import { DIALECT_URIS, type AjvSet } from "../ajv.js";
import { envelopeSchema } from "../envelope.js";
import type { Dialect, EventVersion } from "../model.js";
import { ID_BASE, idOf } from "../refs.js";

type Standalone = typeof import("ajv/dist/standalone/index.js").default;
const standaloneCode: Standalone =
  (standaloneModule as unknown as { default?: Standalone }).default ?? (standaloneModule as unknown as Standalone);

const SCHEMA_URI: Record<Dialect, string> = Object.fromEntries(
  Object.entries(DIALECT_URIS)
    .filter(([uri]) => uri.startsWith("https://json-schema.org/draft/2020-12/schema") ? !uri.endsWith("#") : uri === "http://json-schema.org/draft-07/schema#")
    .map(([uri, d]) => [d, uri]),
) as Record<Dialect, string>;

/** Replacements for the modules ajv's standalone code would `require`. */
const REQUIRES: Record<string, string> = {
  'require("ajv/dist/runtime/ucs2length").default': "__ucs2length",
  'require("ajv/dist/runtime/equal").default': "__equal",
  'require("ajv-formats/dist/formats").fullFormats': "__formats",
};

/** The `$id` of an event's published (enveloped) schema. */
export function eventSchemaId(type: string): string {
  return `${ID_BASE}~events/${type}`;
}

/** The published schema of an event, as ajv compiles it (its data by `$id`). */
export function publishedSchema(ev: EventVersion): Record<string, unknown> {
  return envelopeSchema({
    type: ev.type,
    title: String(ev.source.json.title ?? ev.typeName),
    deprecated: ev.deprecated,
    dataRef: idOf(ev.source.rel),
    schemaUri: SCHEMA_URI[ev.dialect],
    id: eventSchemaId(ev.type),
  });
}

/** The standalone validator code: one JS expression per dialect, each an object type → validate function. */
export function generateValidators(events: readonly EventVersion[], ajv: AjvSet): string {
  const chunks: string[] = [];
  for (const dialect of ["2020-12", "draft-07"] as const) {
    const mine = events.filter((e) => e.dialect === dialect);
    if (mine.length === 0) continue;
    const refs: Record<string, string> = {};
    for (const ev of mine) {
      const id = eventSchemaId(ev.type);
      if (!ajv[dialect].getSchema(id)) ajv[dialect].addSchema(publishedSchema(ev), id);
      refs[ev.type] = id;
    }
    let code = standaloneCode(ajv[dialect], refs);
    for (const [from, to] of Object.entries(REQUIRES)) code = code.split(from).join(to);
    const left = /require\("[^"]*"\)/.exec(code);
    if (left) throw new Error(`ajv's standalone code needs ${left[0]}, which the generated module does not provide`);
    chunks.push(`const __validators_${dialect.replace(/-/g, "_")} = (() => {\nconst exports = {};\n${code}\nreturn exports;\n})();`);
  }
  return chunks.join("\n");
}
