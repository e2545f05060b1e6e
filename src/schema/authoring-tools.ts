/**
 * The authoring tools (json-schema-to-typescript, glob, recheck) are loaded only by the commands
 * that build and check an events tree. They are development dependencies of the package: a service
 * that installs it for its events and validators (and runs `domain-events validate`) does not
 * download them. Where they are missing, `check` and `build` say what to install.
 */

import { createRequire } from "node:module";
import { UserError } from "../model/user-error.js";

const require = createRequire(import.meta.url);

/** The authoring tools are not installed: a usage problem, not a bug. */
export class AuthoringToolMissing extends UserError {}

const hint = (name: string) =>
  `${name} is not installed: building and checking an events tree needs the authoring tools (npm install --save-dev json-schema-to-typescript glob recheck)`;

/** Loads an authoring tool (ESM or CommonJS) by its package name. */
export async function authoringTool<T>(name: string): Promise<T> {
  try {
    return (await import(name)) as T;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === "ERR_MODULE_NOT_FOUND" || (e as NodeJS.ErrnoException).code === "MODULE_NOT_FOUND") {
      throw new AuthoringToolMissing(hint(name));
    }
    throw e;
  }
}

/** Loads a CommonJS authoring tool synchronously. */
export function authoringToolSync<T>(name: string): T {
  try {
    return require(name) as T;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === "MODULE_NOT_FOUND") throw new AuthoringToolMissing(hint(name));
    throw e;
  }
}
