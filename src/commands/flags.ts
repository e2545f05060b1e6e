/**
 * Flags and exit codes that several commands share, declared once so that `--events` or
 * `--format` mean the same everywhere (src/commands/spec.ts says what a declaration holds).
 */

import type { ExitSpec } from "./spec.js";

/** The output formats of the commands that report diagnostics. */
export const FORMATS = ["pretty", "json", "github"] as const;
export type Format = (typeof FORMATS)[number];

/** `--events DIR`: the events tree. */
export const EVENTS_FLAG = {
  name: "events",
  type: "string",
  default: "events",
  placeholder: "DIR",
  description: "the events tree",
} as const;

/** `--format F`: how diagnostics are printed. */
export const FORMAT_FLAG = {
  name: "format",
  type: "string",
  values: FORMATS,
  default: "pretty",
  placeholder: "F",
  description: "how to print the findings: pretty (compiler style), json, or github (annotations for GitHub Actions)",
} as const;

/** `--no-cache`: compile everything, neither reading nor writing the build cache. */
export const NO_CACHE_FLAG = {
  name: "no-cache",
  type: "boolean",
  description:
    "compile everything, neither reading nor writing the build cache (node_modules/.cache/domain-events, keyed by content and tool versions)",
} as const;

/** `--watch`: check and build run again on every change. */
export const WATCH_FLAG = {
  name: "watch",
  type: "boolean",
  description:
    "run again whenever a file under the events folder changes and print what changed (new and fixed diagnostics); Ctrl-C stops (exit 0)",
} as const;

/** The exit code every command shares: bad usage, or a bug of domain-events (said as such). */
export const EXIT_USAGE: ExitSpec = {
  code: 2,
  meaning: "bad usage (an unknown flag, a file that cannot be used), or a bug in domain-events",
};
