/**
 * The compile stage adds the schemas it writes itself — the envelope and each event's published
 * schema (src/model/envelope.ts) — without ajv checking them against the meta-schema again (that
 * check compiled the whole meta-schema in every batch: most of a one-file batch's cost). The
 * authors' schemas are checked by the validate stage (SCHEMA_META) before they get there; these
 * prove that ours are valid in both dialects, for either kind of source pin, so the check skipped
 * could never have failed.
 */

import { describe, expect, it } from "vitest";
import { ENVELOPE_ID, eventSchemaId } from "../src/compile/ids.js";
import { compiledEventSchema, envelopeBaseSchema } from "../src/model/envelope.js";
import { createAjvSet } from "../src/schema/ajv.js";
import { idOf } from "../src/schema/refs.js";

const DIALECTS = ["2020-12", "draft-07"] as const;

describe("the schemas the compile stage writes itself", () => {
  it.each(DIALECTS)("the envelope is valid against the %s meta-schema", (dialect) => {
    const ajv = createAjvSet()[dialect];
    expect(ajv.validateSchema(envelopeBaseSchema(ENVELOPE_ID))).toBe(true);
    expect(ajv.errors ?? null).toBeNull();
  });

  const pins = [undefined, "/systems/billing", "/systems/*", "/odd[path]{x}.+?^$|(y)\\/*", "urn:x:y"];
  it.each(DIALECTS)("an event's published schema is valid against the %s meta-schema, whatever its pin", (dialect) => {
    const ajv = createAjvSet()[dialect];
    for (const sourcePin of pins) {
      const type = "billing.invoice-issued";
      const schema = compiledEventSchema({
        id: eventSchemaId(type),
        envelopeId: ENVELOPE_ID,
        type,
        dataRef: idOf("billing/invoice/invoice-issued.json"),
        sourcePin,
      });
      expect(ajv.validateSchema(schema), String(sourcePin)).toBe(true);
    }
  });
});
