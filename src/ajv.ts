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
  // optimize: false compiles 1.75× faster for code that runs as fast (measured: DESIGN.md §6).
  code: { source: true, lines: false, optimize: false },
};

/**
 * Creates a pair of ajv instances. `allErrors` (the default) finds every problem, for people
 * reading diagnostics; the build's validators stop at the first one (as hand-written code would),
 * so an invalid event costs no more than a valid one.
 */
export function createAjvSet(options: { allErrors?: boolean } = {}): AjvSet {
  const opts: Options = { ...OPTIONS, allErrors: options.allErrors ?? true };
  const a2020 = new Ajv2020(opts);
  const a07 = new Ajv(opts);
  for (const ajv of [a2020, a07]) addFormats(ajv, [...ALLOWED_FORMATS]);
  return { "2020-12": a2020, "draft-07": a07 };
}
