/**
 * Every command of `domain-events`, in the order the help and docs/cli.md list them. The CLI's
 * parser, its help, its renderers (one per name, checked by TypeScript) and scripts/cli-docs.ts
 * all read this list; a command added here is parsed, documented and must be rendered.
 */

import { buildCommand } from "./build.js";
import { catalogCommand } from "./catalog.js";
import { checkCommand } from "./check.js";
import { compatCommand } from "./compat.js";
import { diffCommand } from "./diff.js";
import { fmtCommand } from "./fmt.js";
import { newCommand } from "./new.js";
import type { Command } from "./spec.js";
import { validateCommand } from "./validate.js";

export const COMMANDS = [
  checkCommand,
  buildCommand,
  compatCommand,
  diffCommand,
  catalogCommand,
  validateCommand,
  fmtCommand,
  newCommand,
] as const;

/** Any one of the commands, with its own flags and result. */
export type AnyCommand = (typeof COMMANDS)[number];

/** The names of the commands. */
export type CommandName = AnyCommand["name"];

/** The command of that name, seen without its particular flags and result (what the parser and help need). */
export function findCommand(name: string): Command | undefined {
  return COMMANDS.find((c) => c.name === name) as Command | undefined;
}
