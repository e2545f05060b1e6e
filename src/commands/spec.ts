/**
 * The shape of a command's declaration: the one place where a command says what it is called, what
 * it is for, which arguments and flags it takes, what its exit codes mean, and how it runs.
 *
 *   src/commands/<name>.ts (one declaration each)  →  src/commands/index.ts (the list)  →
 *   src/cli/parse.ts (node:util parseArgs options, usage errors), src/cli/help.ts (--help),
 *   scripts/cli-docs.ts (docs/cli.md)
 *
 * A command's `run` returns data (diagnostics, files, summaries); it never prints and never picks
 * an exit code: the CLI (src/cli/present.ts) renders the result and chooses the code. What a
 * command needs from the person at the terminal (questions, Ctrl-C, a frame of a long run) comes
 * in through its CommandContext, which the CLI makes.
 */

import type { Prompter } from "../authoring/new.js";
import type { ProgressListener } from "../model/progress.js";
import { UserError } from "../model/user-error.js";
import type { WatchFrame } from "./watch.js";

/** One flag: `--name VALUE` (type string) or `--name` (type boolean). */
export interface FlagSpec {
  /** The name without the dashes: `events` is `--events`. */
  readonly name: string;
  readonly type: "string" | "boolean";
  /** A one-letter alias: `y` is `-y`. */
  readonly short?: string;
  /** The only values allowed (an enum); anything else is bad usage. */
  readonly values?: readonly string[];
  /** The value when the flag is not given (string flags). */
  readonly default?: string;
  /** What the value is, in the synopsis and the help: `--events DIR`. */
  readonly placeholder?: string;
  /** The flag must be given. */
  readonly required?: boolean;
  /** What the flag does, one sentence without a capital or a full stop (as the help shows it). */
  readonly description: string;
}

/** One positional argument. */
export interface PositionalSpec {
  /** As the synopsis shows it: `OLD.json`, `FILE`, `<system>/<topic>/<event>`. */
  readonly name: string;
  readonly description: string;
  /** May be left out. */
  readonly optional?: boolean;
  /** May be given any number of times (at least once unless optional); only the last positional. */
  readonly variadic?: boolean;
}

/** One exit code and what it means for this command. */
export interface ExitSpec {
  readonly code: 0 | 1 | 2;
  readonly meaning: string;
}

/** What a command may ask of the CLI while it runs, instead of reaching for the terminal itself. */
export interface CommandContext {
  /** A prompter when a person can answer questions (stdin and stdout are a terminal), else undefined. */
  prompter(): Prompter | undefined;
  /** Aborts when the person asks the command to stop (SIGINT, SIGTERM): for commands that run until stopped. */
  stopSignal(): AbortSignal;
  /** Reports one frame of a long-running command (a run of --watch), for the CLI to render at once. */
  onFrame(frame: WatchFrame): void;
  /** Told each pipeline stage's time as it ends, when the person asked for it (DOMAIN_EVENTS_TIMING). */
  onStage: ((stage: string, ms: number) => void) | undefined;
  /**
   * Told where a long run is (pipeline stage, files done of all, from the cache), when someone is
   * watching a terminal for it: undefined otherwise (not a terminal, json or github, --watch).
   */
  onProgress: ProgressListener | undefined;
}

/** The value a flag has after parsing: booleans are false when absent, string flags their default. */
type FlagValue<F extends FlagSpec> = F["type"] extends "boolean"
  ? boolean
  : F extends { readonly values: readonly (infer V extends string)[] }
    ? F extends { readonly default: string } | { readonly required: true }
      ? V
      : V | undefined
    : F extends { readonly default: string } | { readonly required: true }
      ? string
      : string | undefined;

/** The flags of a command after parsing, by name (`flags["no-cache"]`). */
export type FlagValues<Fs extends readonly FlagSpec[]> = { [F in Fs[number] as F["name"]]: FlagValue<F> };

/** What a command's `run` is given: its flags (checked against the declaration) and positionals. */
export interface CommandArgs<Fs extends readonly FlagSpec[] = readonly FlagSpec[]> {
  flags: FlagValues<Fs>;
  positionals: string[];
}

/** A command, declared once. */
export interface Command<Name extends string = string, Fs extends readonly FlagSpec[] = readonly FlagSpec[], Result = unknown> {
  readonly name: Name;
  /** One line: what the command does (the global help's list, the docs' table). */
  readonly purpose: string;
  /** A paragraph: what it reads, what it writes, what it refuses. */
  readonly description: string;
  readonly positionals: readonly PositionalSpec[];
  /**
   * What the positionals are, said when too few or too many are given ("compat takes two schema
   * files: OLD.json NEW.json"); without it, the CLI says `unexpected argument "x"`.
   */
  readonly positionalsUsage?: string;
  readonly flags: Fs;
  readonly exits: readonly ExitSpec[];
  /** Runs the command; returns data for the CLI to render. Throws a UserError for bad usage. */
  run(args: CommandArgs<Fs>, context: CommandContext): Promise<Result>;
}

/**
 * Declares a command. An identity function: it only lets TypeScript infer the flags' literal
 * names, types and enum values, so that `run` receives typed `flags`.
 */
export function defineCommand<const Name extends string, const Fs extends readonly FlagSpec[], Result>(
  command: Command<Name, Fs, Result>,
): Command<Name, Fs, Result> {
  return command;
}

/**
 * Bad usage found by a command once parsed (a flag that does not go with another, a path outside
 * the tree): the CLI says it in one line and points at the command's --help.
 */
export class UsageError extends UserError {
  readonly usage = true;
}

/** True for a UsageError from this copy of the module or another. */
export function isUsageError(e: unknown): boolean {
  try {
    return typeof e === "object" && e !== null && (e as { usage?: unknown }).usage === true;
  } catch {
    return false;
  }
}
