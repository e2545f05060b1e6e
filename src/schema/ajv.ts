/**
 * The ajv instances of the build: one per dialect, strict, with the allow-listed formats (our own
 * checks, src/runtime/formats.ts, the ones the shipped validators call: ajv-formats.ts).
 * `code.source` is on where the compile stage emits standalone validators from the very functions
 * that checked the examples (nothing is compiled twice), and off everywhere else.
 *
 * Every text ajv compiles with `new Function` first passes `guardCode`: ajv writes a schema's `$id`
 * into a `/*# sourceURL=… *∕` comment of its code, and an `$id` that spells `*∕` would end that
 * comment and run what follows, in the build and in every service that loads the validator. The
 * names under events/ are checked before any file is read (names.ts) and `$id`s must equal the
 * derived ones (SCHEMA_ID), so no such id should ever get here; the guard makes sure of it for
 * every caller, `validate --events-json FILE` included, whose file could hold any `$id`.
 */

import type { Ajv, Options } from "ajv";
import { ALLOWED_FORMATS } from "../model/formats.js";
import type { Dialect } from "../model/tree.js";
import { addFormats, formatsCodeOf } from "./ajv-formats.js";
import { loadAjv, loadAjv2020 } from "./ajv-load.js";
import { findUnsafeCode } from "./code-guard.js";

export { ALLOWED_FORMATS };

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

/** The options of every instance, but the code's `formats`, which needs ajv loaded (formatsCodeOf). */
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
  // Standalone code calls the format checks as the runtime's `__formats` (ajv-formats.ts).
  code: { source: false, lines: false, optimize: false, process: guardCode },
};

/** What an `$id` in ajv's sourceURL comments may hold: URI characters, none that ends a comment or string. */
const SAFE_ID = /^[A-Za-z0-9._~:/?#@!$&()+,;=%-]*$/;

/** The only comment ajv's code may hold: the sourceURL of the schema's `$id`, as a JSON string of a safe id. */
export const SOURCE_URL_COMMENT = /^\/\*# sourceURL=("[^"\\]*") \*\/$/;

/** A code that ajv's code must never hold: the generated text is refused before anything runs. */
export class UnsafeCodeError extends Error {
  override name = "UnsafeCodeError";
}

/**
 * Checks a text ajv is about to compile (or that split.ts is about to emit): outside its string
 * literals it holds no comment but sourceURL comments of safe ids, no line comment and no template
 * literal. Returns the text unchanged; throws UnsafeCodeError otherwise.
 */
export function guardCode(code: string): string {
  const problem = findUnsafeCode(code, (comment) => {
    const id = SOURCE_URL_COMMENT.exec(comment)?.[1];
    return id !== undefined && SAFE_ID.test(JSON.parse(id) as string);
  });
  if (problem !== undefined) throw new UnsafeCodeError(problem);
  return code;
}

/**
 * Creates a pair of ajv instances, each made when first asked for: creating one costs tens of
 * milliseconds, and a batch of one edited file, or a tree of one dialect, needs only one.
 * `allErrors` (the default) finds every problem, for people reading diagnostics; the build's
 * validators stop at the first one (as hand-written code would), so an invalid event costs no more
 * than a valid one. `source` keeps each function's code for split.ts (the compile stage only).
 */
export function createAjvSet(options: { allErrors?: boolean; source?: boolean } = {}): AjvSet {
  const opts: Options = {
    ...OPTIONS,
    allErrors: options.allErrors ?? true,
    code: { ...OPTIONS.code, source: options.source ?? false, formats: formatsCodeOf() },
  };
  const made: Partial<AjvSet> = {};
  return {
    get "2020-12"() {
      made["2020-12"] ??= withFormats(new (loadAjv2020().Ajv2020)(opts));
      return made["2020-12"];
    },
    get "draft-07"() {
      made["draft-07"] ??= withFormats(new (loadAjv().Ajv)(opts));
      return made["draft-07"];
    },
  };
}

/** An instance with the allowed formats, ours (ajv-formats.ts). */
function withFormats(ajv: Ajv): Ajv {
  return addFormats(ajv, [...ALLOWED_FORMATS]);
}
