/**
 * ajv-formats' plugin, whichever way the module system hands it over: the package is CommonJS, so
 * an ES module import may see the plugin as the module's `default` or as the module itself. One
 * place reads it, for every ajv the package creates (ajv.ts, the counterexample search).
 *
 * Schema utility (src/schema/): no I/O.
 */

import addFormatsModule from "ajv-formats";

type FormatsPlugin = typeof import("ajv-formats").default;

/** The ajv-formats plugin: `addFormats(ajv)` adds every format, `addFormats(ajv, names)` those named. */
export const addFormats: FormatsPlugin =
  (addFormatsModule as unknown as { default?: FormatsPlugin }).default ?? (addFormatsModule as unknown as FormatsPlugin);
