/**
 * Precompiled validators: ajv standalone code for each event's published schema (the envelope with
 * its type fixed and its data referenced), made by the ajv instances that already compiled the data
 * schemas in validate. The code is rewritten to import nothing but ajv-formats' format checks.
 */

import standaloneModule from "ajv/dist/standalone/index.js";
import type { AjvSet } from "../ajv.js";
import { compiledEventSchema, envelopeBaseSchema } from "../envelope.js";
import type { EventVersion } from "../model.js";
import { ID_BASE, idOf } from "../refs.js";

type Standalone = typeof import("ajv/dist/standalone/index.js").default;
const standaloneCode: Standalone =
  (standaloneModule as unknown as { default?: Standalone }).default ?? (standaloneModule as unknown as Standalone);

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

/** The `$id` of the envelope schema that every event's validator refers to. */
export const ENVELOPE_ID = `${ID_BASE}~envelope`;

/** The standalone validator code: one JS expression per dialect, each an object type → validate function. */
export function generateValidators(events: readonly EventVersion[], ajv: AjvSet): string {
  const chunks: string[] = [];
  for (const dialect of ["2020-12", "draft-07"] as const) {
    const mine = events.filter((e) => e.dialect === dialect);
    if (mine.length === 0) continue;
    const refs: Record<string, string> = {};
    if (!ajv[dialect].getSchema(ENVELOPE_ID)) ajv[dialect].addSchema(envelopeBaseSchema(ENVELOPE_ID));
    for (const ev of mine) {
      const id = eventSchemaId(ev.type);
      if (!ajv[dialect].getSchema(id)) {
        ajv[dialect].addSchema(
          compiledEventSchema({ id, envelopeId: ENVELOPE_ID, type: ev.type, dataRef: idOf(ev.source.rel), sourcePin: ev.sourcePin }),
        );
      }
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
