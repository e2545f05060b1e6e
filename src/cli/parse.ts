/**
 * The argument parser, made from the commands' declarations (src/commands/index.ts): node:util
 * parseArgs with the flags of every command, then the checks each declaration implies: the flag
 * belongs to the command, an enum's value is one of its values, a required flag is given, the
 * positionals are as many as declared. What it refuses is a UsageError (one line, exit 2).
 *
 *   argv  →  parseArgs (every command's flags, plus --help and --version)  →  the command (the
 *   first positional)  →  its declaration's checks  →  defaults  →  { command, args }
 *
 * The flags are parsed together, before the command is known, so that a flag may come before the
 * command (`domain-events --events x check`) as it always could; a flag name means the same in
 * every command that has it (test/cli-spec.test.ts checks that the declarations agree).
 */

import { type ParseArgsConfig, parseArgs } from "node:util";
import { COMMANDS, findCommand } from "../commands/index.js";
import { type Command, type CommandArgs, type FlagSpec, UsageError } from "../commands/spec.js";

/** What the command line asks for. */
export type Invocation =
  /** The help: of one command, or (none) of the tool. */
  | { kind: "help"; command?: Command }
  /** The tool's version. */
  | { kind: "version" }
  | { kind: "run"; command: Command; args: CommandArgs };

/** --help and --version, which every command line may hold (after `new`, --version is new's own flag). */
export const GLOBAL_FLAGS: readonly FlagSpec[] = [
  { name: "help", type: "boolean", short: "h", description: "show this help" },
  { name: "version", type: "boolean", short: "v", description: "show the version of domain-events" },
];

/** Reads the command line (without node and the script). Throws UsageError, or parseArgs' own ERR_PARSE_ARGS_* errors. */
export function parseCommandLine(argv: readonly string[]): Invocation {
  const { values, positionals } = parseArgs({ args: [...argv], allowPositionals: true, strict: true, options: parseOptions() });
  const [name, ...rest] = positionals;
  if (values.help === true || name === "help") {
    // `domain-events help check` and `domain-events check --help` alike.
    const about = name === "help" ? rest[0] : name;
    return { kind: "help", command: about === undefined ? undefined : findCommand(about) };
  }
  const command = name === undefined ? undefined : findCommand(name);
  // --version is the tool's version, unless the command has a --version of its own (new).
  if (values.version === true && !command?.flags.some((f) => f.name === "version")) return { kind: "version" };
  if (name === undefined) throw new UsageError("no command given");
  if (!command) throw new UsageError(`unknown command ${JSON.stringify(name)}`);
  return { kind: "run", command, args: { flags: flagValues(command, values), positionals: checkedPositionals(command, rest) } };
}

/**
 * The command a command line names, read leniently (unknown flags allowed): for pointing a usage
 * error at that command's --help even when the parser refused the line before it knew the command.
 */
export function commandOf(argv: readonly string[]): string | undefined {
  try {
    const name = parseArgs({ args: [...argv], allowPositionals: true, strict: false, options: parseOptions() }).positionals[0];
    return name === undefined ? undefined : findCommand(name)?.name;
  } catch {
    return undefined;
  }
}

/** The options of parseArgs: the flags of every command, and the global ones. */
function parseOptions(): NonNullable<ParseArgsConfig["options"]> {
  const options: NonNullable<ParseArgsConfig["options"]> = {};
  for (const flag of [...COMMANDS.flatMap((c) => c.flags as readonly FlagSpec[]), ...GLOBAL_FLAGS]) {
    options[flag.name] = flag.short === undefined ? { type: flag.type } : { type: flag.type, short: flag.short };
  }
  return options;
}

type Values = Record<string, string | boolean | (string | boolean)[] | undefined>;

/** The command's flags, checked against its declaration, with the defaults of those not given. */
function flagValues(command: Command, values: Values): CommandArgs["flags"] {
  const declared = new Map(command.flags.map((f) => [f.name, f]));
  for (const [name, value] of Object.entries(values)) {
    if (value !== undefined && !declared.has(name)) throw new UsageError(`--${name} does not belong to ${command.name}`);
  }
  const flags: Record<string, string | boolean | undefined> = {};
  for (const flag of command.flags) {
    const value = values[flag.name] as string | boolean | undefined;
    if (flag.type === "boolean") {
      flags[flag.name] = value === true;
      continue;
    }
    if (value === undefined && flag.required) {
      throw new UsageError(`${command.name} needs --${flag.name} ${flag.placeholder ?? "VALUE"}: ${flag.description}`);
    }
    if (value !== undefined && flag.values && !flag.values.includes(value as string)) {
      throw new UsageError(`--${flag.name} must be ${oneOf(flag.values)}`);
    }
    flags[flag.name] = value ?? flag.default;
  }
  return flags as CommandArgs["flags"];
}

/** "strict or lenient", "one of pretty, json, github". */
export function oneOf(values: readonly string[]): string {
  return values.length === 2 ? `${values[0]} or ${values[1]}` : `one of ${values.join(", ")}`;
}

/** The positionals, when as many as the declaration takes. */
function checkedPositionals(command: Command, given: string[]): string[] {
  const declared = command.positionals;
  const min = declared.filter((p) => !p.optional).length;
  const max = declared.at(-1)?.variadic ? Number.POSITIVE_INFINITY : declared.length;
  if (given.length > max) {
    const extra = JSON.stringify(given[max]);
    throw new UsageError(command.positionalsUsage ? `${command.positionalsUsage}: unexpected ${extra}` : `unexpected argument ${extra}`);
  }
  if (given.length < min) {
    const names = declared.map((p) => p.name).join(" ");
    throw new UsageError(command.positionalsUsage ?? `${command.name} needs ${names}`);
  }
  return given;
}
