/**
 * The formats of every ajv the package creates. The allowed formats (src/model/formats.ts) are
 * checked by our own functions (src/runtime/formats.ts), the very ones the shipped validators call
 * from dist/runtime.cjs, so that `check`, the build's example checks and the services agree on
 * every string; their accept sets are ajv-formats' full mode's (test/formats.test.ts proves it).
 *
 * `code.formats` (FORMATS_CODE) is how ajv's standalone code names them: `__formats.date`,
 * `__formats["date-time"]`, the runtime's export, which src/generate/index.ts makes every
 * validator module require. ajv-formats' plugin is still read for the counterexample search, which
 * may meet schemas with formats outside the allowed list: there it adds the formats ours do not
 * cover (and its formatMinimum keywords), ours replace the allowed ones.
 *
 * Schema utility (src/schema/): no I/O.
 */

import { _, type Ajv } from "ajv";
import addFormatsModule from "ajv-formats";
import { FORMATS } from "../runtime/formats.js";

type FormatsPlugin = typeof import("ajv-formats").default;

/** ajv-formats' plugin, whichever way the module system hands it over (the package is CommonJS). */
const formatsPlugin: FormatsPlugin =
  (addFormatsModule as unknown as { default?: FormatsPlugin }).default ?? (addFormatsModule as unknown as FormatsPlugin);

/** The code by which standalone validators reach the format checks: the runtime's `__formats`. */
export const FORMATS_CODE = _`__formats`;

/**
 * Adds our format checks to `ajv`: those named, or (no names) every format ajv-formats knows, ours
 * in place of its own for the allowed ones. An ajv whose code is emitted must be created with
 * `code: { formats: FORMATS_CODE }`.
 */
export function addFormats(ajv: Ajv, names?: readonly string[]): Ajv {
  if (names === undefined) formatsPlugin(ajv);
  for (const name of names ?? Object.keys(FORMATS)) {
    const check = FORMATS[name];
    if (check === undefined) throw new Error(`no format check for "${name}"`);
    ajv.addFormat(name, check);
  }
  return ajv;
}
