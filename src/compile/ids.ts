/**
 * The identities of the schemas the validators are compiled from: each event's published
 * (enveloped) schema, and the envelope every one of them refers to. The code itself is made by the
 * compile stage (compile/compile.ts) and split per event (compile/split.ts).
 */

import { ID_BASE } from "../schema/refs.js";

/** The `$id` of an event's published (enveloped) schema. */
export function eventSchemaId(type: string): string {
  return `${ID_BASE}~events/${type}`;
}

/** The `$id` of the envelope schema that every event's validator refers to. */
export const ENVELOPE_ID = `${ID_BASE}~envelope`;
