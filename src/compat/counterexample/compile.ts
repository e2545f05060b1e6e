/**
 * Counterexample search, step 1 (compile): both schemas compiled, each with a non-strict ajv of its
 * own (dialect from `$schema`), after a check against its dialect's meta-schema; and the judge
 * that asks both of them about one value.
 */

import type { Ajv, AnySchema, Options, ValidateFunction } from "ajv";
import type { Dialect } from "../../model/tree.js";
import { DIALECT_URIS } from "../../schema/ajv.js";
import { addFormats } from "../../schema/ajv-formats.js";
import { loadAjv, loadAjv2020 } from "../../schema/ajv-load.js";
import { isObject } from "../../schema/walk.js";
import { omit } from "./schema.js";

/** The two compiled schemas, and what judging values with them has cost so far. */
export interface Judge {
  accepts: ValidateFunction;
  rejects: ValidateFunction;
  /** Validations that threw; past a few, the search stops (each throw costs a deep stack). */
  throws: number;
}

const AJV_OPTIONS: Options = {
  strict: false,
  allErrors: false,
  // Checked once against the meta-schema by `metaChecker`, not again by every fresh instance.
  validateSchema: false,
  ownProperties: true,
  logger: false,
};

/** Both schemas compiled, or undefined when ajv cannot compile either of them. */
export function compileBoth(accepts: unknown, rejects: unknown, fallback: Dialect): Judge | undefined {
  const a = compile(accepts, fallback);
  const r = a && compile(rejects, fallback);
  return a && r ? { accepts: a, rejects: r, throws: 0 } : undefined;
}

function compile(schema: unknown, fallback: Dialect): ValidateFunction | undefined {
  if (typeof schema !== "boolean" && !isObject(schema)) return undefined;
  const uri = isObject(schema) && typeof schema.$schema === "string" ? schema.$schema : undefined;
  const dialect = (uri !== undefined && Object.hasOwn(DIALECT_URIS, uri) ? DIALECT_URIS[uri] : undefined) ?? fallback;
  // The dialect is chosen here: without `$schema`, ajv checks the schema against that dialect's
  // meta-schema instead of failing on a URI it does not know.
  const plain = isObject(schema) ? omit(schema, "$schema") : schema;
  try {
    if (!metaChecker(dialect).validateSchema(plain as AnySchema)) return undefined;
    // One instance per schema: two versions of one schema share an `$id`, which one ajv refuses.
    const ajv = newAjv(dialect);
    addFormats(ajv);
    return ajv.compile(plain as AnySchema);
  } catch {
    return undefined;
  }
}

const metaCheckers: Partial<Record<Dialect, Ajv>> = {};

/** An ajv per dialect that only checks schemas against the meta-schema; it never keeps one. */
function metaChecker(dialect: Dialect): Ajv {
  let ajv = metaCheckers[dialect];
  if (!ajv) {
    ajv = newAjv(dialect);
    metaCheckers[dialect] = ajv;
  }
  return ajv;
}

/** A non-strict instance of the dialect's class; ajv is loaded on first use (ajv-load.ts). */
function newAjv(dialect: Dialect): Ajv {
  return dialect === "draft-07" ? new (loadAjv().Ajv)(AJV_OPTIONS) : new (loadAjv2020().Ajv2020)(AJV_OPTIONS);
}

/**
 * How the two schemas judge a value. A validator that throws (ajv recursing without end on a
 * schema that is only a reference to itself) judges nothing, and is counted.
 */
export function verdict(judge: Judge, value: unknown): "counterexample" | "accepted" | "other" {
  try {
    if (!judge.accepts(value)) return "other";
    return judge.rejects(value) ? "accepted" : "counterexample";
  } catch {
    judge.throws++;
    return "other";
  }
}
