/**
 * The validators of the dialects' meta-schemas, precompiled (scripts/meta-code.ts): ajv's
 * standalone code for the instances the schema stage checks files with, committed in
 * meta-validators.generated.ts. Running it costs a few milliseconds where compiling the
 * meta-schema costs some 60 on every run that checks an edited file. The code is ajv's for ajv's
 * own meta-schemas, made by our script and reviewed like a golden file: nothing of an events tree
 * is in it. test/meta-validators.test.ts proves its verdicts and errors equal ajv's validateSchema
 * on every schema of the JSON Schema Test Suite and of our trees.
 */

import { createRequire } from "node:module";
import type { ErrorObject } from "ajv";
import type { Dialect } from "../model/tree.js";
import { META_VALIDATORS_CJS } from "./meta-validators.generated.js";

/** The `$id` of each dialect's meta-schema, as ajv registers it. */
export const DIALECT_META_IDS = {
  "2020-12": "https://json-schema.org/draft/2020-12/schema",
  "draft-07": "http://json-schema.org/draft-07/schema",
} as const satisfies Record<Dialect, string>;

/** A meta-schema's validator: true when the schema is valid, else its errors on `errors`. */
export type MetaValidator = ((schema: unknown) => boolean) & { errors?: ErrorObject[] | null };

const made: Partial<Record<Dialect, MetaValidator>> = {};

/** The validator of a dialect's meta-schema, made from its precompiled code once per process. */
export function metaValidator(dialect: Dialect): MetaValidator {
  let validate = made[dialect];
  if (!validate) {
    const module = { exports: {} as unknown };
    // The code requires ajv's runtime helpers only (its deep equality, for `const` and `enum`).
    const require = createRequire(import.meta.url);
    const only = (name: string) => {
      if (name !== "ajv/dist/runtime/equal") throw new Error(`the meta-schema's code asks for ${name}`);
      return require(name);
    };
    new Function("module", "exports", "require", META_VALIDATORS_CJS[dialect])(module, module.exports, only);
    validate = module.exports as MetaValidator;
    made[dialect] = validate;
  }
  return validate;
}
