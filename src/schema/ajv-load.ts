/**
 * ajv and ajv-formats, loaded on first use. Evaluating them costs ~150 ms of CPU, and most runs of
 * the CLI never call them: `--version`, a no-op `build` answered from its stamp, a `check` answered
 * from its fingerprint. So no module imports their values at the top (only their types, with
 * `import type`); the few that create an ajv instance get the classes from here, which requires
 * them synchronously the first time (both packages are CommonJS) and keeps them.
 * test/lazy-ajv.test.ts proves those runs of the built CLI load neither package.
 *
 * Schema utility (src/schema/): no I/O besides loading the modules.
 */

import { createRequire } from "node:module";

type AjvModule = typeof import("ajv");
type Ajv2020Module = typeof import("ajv/dist/2020.js");
type FormatsPlugin = typeof import("ajv-formats").default;

const require = createRequire(import.meta.url);

let ajvModule: AjvModule | undefined;
let ajv2020Module: Ajv2020Module | undefined;
let formatsModule: FormatsPlugin | undefined;

/** The module "ajv" (the draft-07 class `Ajv`, the code builder `_`). */
export function loadAjv(): AjvModule {
  ajvModule ??= require("ajv") as AjvModule;
  return ajvModule;
}

/** The module "ajv/dist/2020" (the class `Ajv2020`). */
export function loadAjv2020(): Ajv2020Module {
  ajv2020Module ??= require("ajv/dist/2020.js") as Ajv2020Module;
  return ajv2020Module;
}

/** ajv-formats' plugin, whichever way the package hands it over (CommonJS, with a `default` too). */
export function loadFormatsPlugin(): FormatsPlugin {
  if (formatsModule === undefined) {
    const loaded = require("ajv-formats") as FormatsPlugin & { default?: FormatsPlugin };
    formatsModule = loaded.default ?? loaded;
  }
  return formatsModule;
}
