/**
 * `domain-events --help` and `domain-events <command> --help`, rendered from the commands'
 * declarations (src/commands/index.ts), so that the help cannot drift from what the parser accepts.
 * scripts/cli-docs.ts renders the same declarations as docs/cli.md, with `synopsis` from here.
 */

import { COMMANDS } from "../commands/index.js";
import type { Command, FlagSpec, PositionalSpec } from "../commands/spec.js";
import { GLOBAL_FLAGS } from "./parse.js";

/** The width help text is wrapped to. */
const WIDTH = 100;

/** What domain-events is, in one line: the first line of the help. */
export const TAGLINE = "domain-events: domain-event JSON Schemas → typed events, precompiled validators, a flat list";

/** The help of the tool: every command's synopsis and purpose, the global flags, the exit codes. */
export function globalHelp(): string {
  const commands = COMMANDS as readonly Command[];
  const width = Math.max(...commands.map((c) => c.name.length)) + 2;
  const lines = [
    TAGLINE,
    "",
    "Usage:",
    ...commands.flatMap(synopsisLines),
    "  domain-events <command> --help",
    "  domain-events --help | --version",
    "",
    "Commands:",
    ...commands.flatMap((c) => wrap(c.purpose, `  ${c.name.padEnd(width)}`, `  ${" ".repeat(width)}`)),
    "",
    "Options:",
    ...flagLines(GLOBAL_FLAGS),
    "",
    "Exit codes: 0 ok (warnings allowed), 1 findings, 2 bad usage or a bug; each command's --help says what they",
    "mean for it, and what each of its flags does.",
  ];
  return `${lines.join("\n")}\n`;
}

/** The help of one command: its synopsis, description, arguments, flags and exit codes. */
export function commandHelp(command: Command): string {
  const lines = [
    `domain-events ${command.name}: ${command.purpose}`,
    "",
    "Usage:",
    ...synopsisLines(command),
    "",
    ...wrap(command.description, "", ""),
  ];
  if (command.positionals.length > 0) {
    const width = Math.max(...command.positionals.map((p) => p.name.length)) + 2;
    lines.push(
      "",
      "Arguments:",
      ...command.positionals.flatMap((p) => wrap(p.description, `  ${p.name.padEnd(width)}`, `  ${" ".repeat(width)}`)),
    );
  }
  lines.push(
    "",
    "Options:",
    ...flagLines([...command.flags, { name: "help", type: "boolean", short: "h", description: "show this help" }]),
  );
  lines.push("", "Exit codes:", ...command.exits.flatMap((e) => wrap(e.meaning, `  ${e.code}  `, "     ")));
  return `${lines.join("\n")}\n`;
}

/** `domain-events check [--events DIR] [--no-cache] …`: the command, its positionals, then its flags. */
export function synopsis(command: Command): string {
  return synopsisParts(command).join(" ");
}

/** The synopsis's parts, each kept on one line when the synopsis is wrapped. */
function synopsisParts(command: Command): string[] {
  return [`domain-events ${command.name}`, ...command.positionals.map(positionalUsage), ...command.flags.map(flagUsage)];
}

/** The synopsis wrapped, its later lines lined up after the command's name. */
function synopsisLines(command: Command): string[] {
  return wrapWords(synopsisParts(command), "  ", " ".repeat(`  domain-events ${command.name} `.length));
}

/** `OLD.json`, `FILE...`, `[FILE...]`, `[<system>/<topic>/<event>]`. */
function positionalUsage(p: PositionalSpec): string {
  const name = p.variadic ? `${p.name}...` : p.name;
  return p.optional ? `[${name}]` : name;
}

/** `[--events DIR]`, `[--format pretty|json|github]`, `--against BASELINE` (required), `[-y|--yes]`. */
export function flagUsage(flag: FlagSpec): string {
  const text = `--${flag.name}${flagValue(flag)}`;
  return flag.required ? text : `[${text}]`;
}

/** `-y, --yes`, `--events DIR`, `--format pretty|json|github`: a flag as the options list names it. */
export function flagName(flag: FlagSpec): string {
  return `${flag.short ? `-${flag.short}, ` : ""}--${flag.name}${flagValue(flag)}`;
}

/** What follows a flag's name: nothing (boolean), its values (enum), or its placeholder. */
function flagValue(flag: FlagSpec): string {
  if (flag.type === "boolean") return "";
  return ` ${flag.values ? flag.values.join("|") : (flag.placeholder ?? "VALUE")}`;
}

/** What a flag does, with its default or that it is required: "the events tree (default: events)". */
export function flagDescription(flag: FlagSpec): string {
  if (flag.required) return `${flag.description} (required)`;
  return flag.default === undefined ? flag.description : `${flag.description} (default: ${flag.default})`;
}

/** The options list: each flag's name, then what it does, in a column. */
function flagLines(flags: readonly FlagSpec[]): string[] {
  const width = Math.max(...flags.map((f) => flagName(f).length)) + 2;
  return flags.flatMap((f) => wrap(flagDescription(f), `  ${flagName(f).padEnd(width)}`, `  ${" ".repeat(width)}`));
}

/** Wraps a paragraph at WIDTH columns: `first` before its first line, `rest` before the others. */
function wrap(text: string, first: string, rest: string): string[] {
  return wrapWords(text.split(" "), first, rest);
}

function wrapWords(words: readonly string[], first: string, rest: string): string[] {
  const lines: string[] = [];
  let line = first;
  // Whether the line holds a word yet: a word longer than the width gets a line of its own.
  let started = false;
  for (const word of words) {
    if (started && line.length + 1 + word.length > WIDTH) {
      lines.push(line);
      line = rest;
      started = false;
    }
    line += started ? ` ${word}` : word;
    started = true;
  }
  lines.push(line);
  return lines;
}
