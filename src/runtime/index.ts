/**
 * dist/runtime.cjs: the one CommonJS module every entry of a generated package requires. It holds
 * the helpers ajv's standalone validators call (`__ucs2length`, `__equal`, and `__formats`, which
 * the validators of src/generate/index.ts require from it) and `createApi` with its error class.
 *
 * This file is the bundle's entry, never imported: scripts/runtime-code.ts bundles src/runtime/
 * into one CommonJS text (esbuild, readable, no minifying) and commits it as
 * src/generate/runtime-code.generated.ts, which the generate stage writes as runtime.cjs. So the
 * shipped bytes change only when this source does and the generated module is refreshed
 * (test/runtime.test.ts fails while it is stale), and the CLI needs no compiler to emit it, whether
 * it runs bundled (dist/cli.js) or from source. The runtime depends on nothing but ajv-formats'
 * format checks, and loads those only with the first validator that uses a format.
 */

import { equal, ucs2length } from "./ajv-helpers.js";
import { createApi, EventValidationError } from "./api.js";

module.exports = { __ucs2length: ucs2length, __equal: equal, EventValidationError, createApi };
// ajv-formats' checks, loaded with the first validator that uses a format (not on import).
Object.defineProperty(module.exports, "__formats", {
  enumerable: true,
  get: () => require("ajv-formats/dist/formats.js").fullFormats,
});
