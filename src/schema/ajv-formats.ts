/**
 * The formats of every ajv the package creates. The allowed formats (src/model/formats.ts) are
 * checked by our own functions (src/runtime/formats.ts), the very ones the shipped validators call
 * from dist/runtime.cjs, so that `check`, the build's example checks and the services agree on
 * every string; their accept sets are ajv-formats' full mode's (test/formats.test.ts proves it).
 *
 * `code.formats` (formatsCodeOf()) is how ajv's standalone code names them: `__formats.date`,
 * `__formats["date-time"]`, the runtime's export, which src/generate/index.ts makes every
 * validator module require. ajv-formats' plugin is still read for the counterexample search, which
 * may meet schemas with formats outside the allowed list: there it adds the formats ours do not
 * cover (and its formatMinimum keywords), ours replace the allowed ones.
 *
 * Schema utility (src/schema/): no I/O.
 */

import type { Ajv, Code } from "ajv";
import { FORMATS } from "../runtime/formats.js";
import { loadAjv, loadFormatsPlugin } from "./ajv-load.js";

let formatsCode: Code | undefined;

/**
 * The code by which standalone validators reach the format checks: the runtime's `__formats`.
 * Made on first use: ajv's code builder is loaded only by runs that create an ajv (ajv-load.ts).
 */
export function formatsCodeOf(): Code {
  formatsCode ??= loadAjv()._`__formats`;
  return formatsCode;
}

/**
 * Adds our format checks to `ajv`: those named, or (no names) every format ajv-formats knows, ours
 * in place of its own for the allowed ones. An ajv whose code is emitted must be created with
 * `code: { formats: formatsCodeOf() }`.
 */
export function addFormats(ajv: Ajv, names?: readonly string[]): Ajv {
  if (names === undefined) loadFormatsPlugin()(ajv);
  for (const name of names ?? Object.keys(FORMATS)) {
    const check = FORMATS[name];
    if (check === undefined) throw new Error(`no format check for "${name}"`);
    ajv.addFormat(name, check);
  }
  return ajv;
}
