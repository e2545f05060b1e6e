/**
 * What passes between the schema stage and the compile stage (src/compile/): the schema as ajv is
 * given it, and the compile stage's findings (SCHEMA_COMPILE, SCHEMA_EXAMPLE_INVALID: the registry
 * names "compile" as their stage) made from what ajv said. They are not rule entries: ajv, not a
 * check of ours, decides them, once the rules of this folder have passed.
 */

import type { ErrorObject } from "ajv";
import { compileFix, valueFix } from "../../diagnostics/hints.js";
import { type Diagnostic, diagnostic, joinPointer } from "../../diagnostics/index.js";
import type { ParsedFile } from "../../model/tree.js";
import { errorDetail } from "../../runtime/issues.js";
import { withCanonicalDialect } from "../../schema/dialects.js";
import { atPointer, idOf } from "../../schema/refs.js";
import { ALLOW_UNPROVEN_PATTERNS, isObject, mapSchema, SIGNED } from "../../schema/walk.js";

/** The diagnostics of a unit's compilation (compile/compile.ts): ajv's refusal, or invalid examples. */
export function compileDiagnostics(
  file: ParsedFile,
  output: { compileError?: string; invalidExamples: { index: number; errors: ErrorObject[] }[] },
): Diagnostic[] {
  const out: Diagnostic[] = [];
  const locate = file.locate;
  if (output.compileError !== undefined) {
    out.push(
      diagnostic("SCHEMA_COMPILE", file.file, "", `ajv could not compile the schema: ${output.compileError}`, {
        hint: compileFix(output.compileError),
        locate,
      }),
    );
  }
  for (const { index, errors } of output.invalidExamples) {
    for (const e of dedupeErrors(errors)) {
      // An unknown property is pointed at by its own key, not by the object that holds it.
      const extra =
        e.keyword === "additionalProperties"
          ? joinPointer("", String((e.params as { additionalProperty: string }).additionalProperty))
          : "";
      out.push(
        diagnostic(
          "SCHEMA_EXAMPLE_INVALID",
          file.file,
          joinPointer("/examples", index) + e.instancePath + extra,
          `example ${index}${e.instancePath}: ${e.message ?? "invalid"}${describeParams(e)}`,
          { hint: `${valueFix(e, allowedProperties(file.json, e))}; or fix the schema, if the example is right`, locate },
        ),
      );
    }
  }
  return out;
}

/**
 * Keywords that do not change what validates the data: the house's allowances of patterns are notes
 * for the build only, and `signed` is about the envelope (model/envelope.ts), not the data.
 */
const ANNOTATIONS = ["title", "description", "examples", "$comment", ALLOW_UNPROVEN_PATTERNS, SIGNED];

/** The schema as ajv compiles it: annotations do not change what validates, and stay out of the code. */
export function stripAnnotations(schema: unknown): unknown {
  return mapSchema(schema, (sub) => {
    const out = { ...sub };
    for (const k of ANNOTATIONS) delete out[k];
    return out;
  });
}

/**
 * A file's schema as ajv reads it: its derived `$id`, and an editor alias `$schema` (schema/dialects.ts)
 * as the canonical 2020-12 URI, since ajv looks a meta-schema up by its URI.
 */
export function schemaForAjv(file: ParsedFile): Record<string, unknown> {
  return { ...withCanonicalDialect(file.json, file.rel), $id: idOf(file.rel) };
}

/** ajv's errors, each place and keyword once. */
function dedupeErrors(errors: readonly ErrorObject[]): ErrorObject[] {
  const seen = new Set<string>();
  return errors.filter((e) => {
    const key = `${e.instancePath} ${e.keyword} ${e.message}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/** The tail of an ajv message that names what ajv's own message leaves out: the property, the allowed values. */
export function describeParams(e: ErrorObject): string {
  // The one renderer of ajv errors, shared with the published runtime and `validate`.
  return errorDetail(e);
}

/** The properties an object allows, where an example failed additionalProperties in this file's own schema. */
function allowedProperties(json: Record<string, unknown>, e: ErrorObject): string[] {
  if (!e.schemaPath.startsWith("#/")) return [];
  const parent = atPointer(json, e.schemaPath.slice(1, e.schemaPath.lastIndexOf("/")));
  return isObject(parent) && isObject(parent.properties) ? Object.keys(parent.properties) : [];
}
