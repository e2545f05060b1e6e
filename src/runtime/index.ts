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
 * it runs bundled (dist/cli.js) or from source. The runtime depends on nothing: the format checks
 * are our own (formats.ts, the same functions the compile stage's ajv checks examples with).
 */

import { equal, ucs2length } from "./ajv-helpers.js";
import { createApi, EventValidationError } from "./api.js";
import { FORMATS } from "./formats.js";

module.exports = { __ucs2length: ucs2length, __equal: equal, EventValidationError, createApi };
// The format checks by name (a validator module reads `__formats.date` once, when it is loaded).
// An accessor, as when it loaded ajv-formats on first use: the exports' shape is unchanged.
Object.defineProperty(module.exports, "__formats", { enumerable: true, get: () => FORMATS });
