/**
 * The ajv instances of the build: one per dialect, strict, with the allow-listed formats.
 * `code.source` is on so that generate can emit standalone validators from the very functions
 * that checked the examples (nothing is compiled twice).
 */

import { Ajv, type Options } from "ajv";
import { Ajv2020 } from "ajv/dist/2020.js";
import addFormatsModule from "ajv-formats";
import type { Dialect } from "./model.js";

type FormatsPlugin = typeof import("ajv-formats").default;
const addFormats: FormatsPlugin =
  (addFormatsModule as unknown as { default?: FormatsPlugin }).default ?? (addFormatsModule as unknown as FormatsPlugin);

/** Formats the validators implement. Anything else is a SCHEMA_FORMAT error. */
export const ALLOWED_FORMATS = [
  "date",
  "date-time",
  "duration",
  "email",
  "hostname",
  "ipv4",
  "ipv6",
  "json-pointer",
  "regex",
  "time",
  "uri",
  "uri-reference",
  "uuid",
] as const;

/** The `$schema` URIs each dialect answers to. */
export const DIALECT_URIS: Record<string, Dialect> = {
  "https://json-schema.org/draft/2020-12/schema": "2020-12",
  "https://json-schema.org/draft/2020-12/schema#": "2020-12",
  "http://json-schema.org/draft-07/schema#": "draft-07",
  "http://json-schema.org/draft-07/schema": "draft-07",
  "https://json-schema.org/draft-07/schema#": "draft-07",
  "https://json-schema.org/draft-07/schema": "draft-07",
};

/** One ajv instance per dialect. */
export type AjvSet = Record<Dialect, Ajv>;

const OPTIONS: Options = {
  strict: true,
  // Our own rules report these with a pointer; ajv would only throw a sentence.
  strictRequired: false,
  strictTypes: false,
  strictTuples: false,
  allErrors: true,
  // Only an event's own properties count: an inherited or prototype key is never read as data.
  ownProperties: true,
  inlineRefs: false,
  logger: false,
  code: { source: true, lines: false },
};

/** Creates the ajv instances for one build. */
export function createAjvSet(): AjvSet {
  const a2020 = new Ajv2020(OPTIONS);
  const a07 = new Ajv(OPTIONS);
  for (const ajv of [a2020, a07]) addFormats(ajv, [...ALLOWED_FORMATS]);
  return { "2020-12": a2020, "draft-07": a07 };
}
