/**
 * One command spec (src/commands/): the parser, `--help` and the exit codes all come from each
 * command's declaration, and only the CLI prints. In-process (src/cli/main.ts through
 * cliInProcess): the usage errors never reach a command's run.
 */

import { readdir, readFile } from "node:fs/promises";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { globalHelp } from "../src/cli/help.js";
import { GLOBAL_FLAGS } from "../src/cli/parse.js";
import { COMMANDS } from "../src/commands/index.js";
import type { FlagSpec } from "../src/commands/spec.js";
import { cliInProcess, ROOT } from "./helpers.js";

const ALL_FLAGS: FlagSpec[] = COMMANDS.flatMap((c) => [...c.flags] as FlagSpec[]);

/** A value the flag accepts, for a command line that only the flag under test makes wrong. */
function argsOf(flag: FlagSpec): string[] {
  if (flag.type === "boolean") return [`--${flag.name}`];
  return [`--${flag.name}`, flag.values?.[0] ?? "x"];
}

/** Positionals and required flags that satisfy the command's declaration. */
function positionalsOf(name: string): string[] {
  const command = COMMANDS.find((c) => c.name === name);
  const required = ((command?.flags ?? []) as readonly FlagSpec[]).filter((f) => f.required).flatMap(argsOf);
  return [...(command?.positionals ?? []).filter((p) => !p.optional).map((p) => `${p.name.replace(/\W/g, "")}.json`), ...required];
}

/** Exit 2, nothing on stdout, a first line that names the problem and a second that points at the command's help. */
function expectUsage(r: { code: number; stdout: string; stderr: string }, says: string | RegExp, command?: string): void {
  expect(r.code, r.stderr).toBe(2);
  expect(r.stdout).toBe("");
  const [first, second, rest] = r.stderr.split("\n");
  expect(first).toMatch(/^domain-events: /);
  expect(first).toMatch(says);
  expect(second).toBe(`Run "domain-events${command ? ` ${command}` : ""} --help" for usage.`);
  expect(rest).toBe("");
}

describe("the declarations", () => {
  it("give each command a purpose, a description, flags and the exit codes 0 (or 1) and 2", () => {
    expect(COMMANDS.map((c) => c.name)).toEqual(["check", "build", "compat", "diff", "catalog", "validate", "fmt", "new"]);
    for (const command of COMMANDS) {
      expect(command.purpose.length, command.name).toBeGreaterThan(0);
      expect(command.description.length, command.name).toBeGreaterThan(command.purpose.length);
      const codes = command.exits.map((e) => e.code);
      expect(codes, command.name).toContain(0);
      expect(codes, command.name).toContain(2);
      expect([...codes].sort(), command.name).toEqual(codes);
    }
  });

  it("give a flag of one name the same type and alias in every command (they are parsed together)", () => {
    for (const flag of ALL_FLAGS) {
      for (const other of ALL_FLAGS.filter((f) => f.name === flag.name)) {
        expect([other.type, other.short], flag.name).toEqual([flag.type, flag.short]);
      }
    }
  });

  it("declare a variadic positional only last, and no required one after an optional one", () => {
    for (const command of COMMANDS) {
      command.positionals.forEach((p, i) => {
        if (p.variadic) expect(i, command.name).toBe(command.positionals.length - 1);
        if (!p.optional)
          expect(
            command.positionals.slice(0, i).some((q) => q.optional),
            command.name,
          ).toBe(false);
      });
    }
  });
});

describe("--help comes from the declarations", () => {
  it("domain-events --help lists every command with its purpose", async () => {
    const r = await cliInProcess(["--help"]);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(globalHelp());
    for (const command of COMMANDS) {
      expect(r.stdout).toContain(`domain-events ${command.name}`);
      expect(r.stdout).toContain(command.purpose.split(" ").slice(0, 4).join(" "));
    }
  });

  it.each(COMMANDS.map((c) => [c.name]))("domain-events %s --help shows every declared flag and exit code", async (name) => {
    const command = COMMANDS.find((c) => c.name === name);
    const r = await cliInProcess([name, "--help"]);
    expect(r.code).toBe(0);
    expect(r.stderr).toBe("");
    expect(r.stdout.startsWith(`domain-events ${name}: ${command?.purpose}\n`)).toBe(true);
    for (const flag of (command?.flags ?? []) as readonly FlagSpec[]) {
      expect(r.stdout, `--${flag.name}`).toMatch(new RegExp(`^  (-${flag.short}, )?--${flag.name}\\b`, "m"));
    }
    for (const exit of command?.exits ?? []) expect(r.stdout).toMatch(new RegExp(`^  ${exit.code}  \\S`, "m"));
    expect(await cliInProcess(["help", name])).toEqual(r);
  });
});

describe("the parser comes from the declarations", () => {
  it.each(COMMANDS.map((c) => [c.name]))("%s refuses every flag it does not declare", async (name) => {
    const command = COMMANDS.find((c) => c.name === name);
    const own = new Set<string>((command?.flags ?? []).map((f) => f.name));
    // --help and --version belong to every command line (--version is the tool's, except after new).
    const foreign = ALL_FLAGS.filter((f) => !own.has(f.name) && !GLOBAL_FLAGS.some((g) => g.name === f.name));
    expect(foreign.length).toBeGreaterThan(0);
    for (const flag of foreign) {
      expectUsage(await cliInProcess([name, ...positionalsOf(name), ...argsOf(flag)]), `--${flag.name} does not belong to ${name}`, name);
    }
  });

  it.each(COMMANDS.flatMap((c) => (c.flags as readonly FlagSpec[]).filter((f) => f.values).map((f) => [c.name, f] as const)))(
    "%s refuses a value of --%s outside its values",
    async (name, flag) => {
      const r = await cliInProcess([name, ...positionalsOf(name), `--${flag.name}`, "xml"]);
      expectUsage(r, `--${flag.name} must be `, name);
      for (const value of flag.values ?? []) expect(r.stderr).toContain(value);
    },
  );

  it.each([
    [["compat", "a.json"], "compat takes two schema files"],
    [["compat", "a.json", "b.json", "c.json"], 'compat takes two schema files: OLD.json NEW.json: unexpected "c.json"'],
    [["validate"], "validate takes one or more event files"],
    [["new", "a/b/c", "d/e/f"], 'new takes one event, <system>/<topic>/<event>: unexpected "d/e/f"'],
    [["check", "extra"], 'unexpected argument "extra"'],
    [["diff"], "diff needs --against BASELINE"],
  ])("refuses positionals and required flags the declaration does not allow: %j", async (args, says) => {
    expectUsage(await cliInProcess(args), says, args[0]);
  });

  it("refuses an unknown flag and an unknown command, pointing at the right help", async () => {
    expectUsage(await cliInProcess(["check", "--nope"]), "Unknown option '--nope'", "check");
    expectUsage(await cliInProcess(["--nope", "build"]), "Unknown option '--nope'", "build");
    expectUsage(await cliInProcess(["frobnicate"]), 'unknown command "frobnicate"');
    expectUsage(await cliInProcess([]), "no command given");
  });

  it("takes flags before the command, as it always did", async () => {
    const r = await cliInProcess(["--format", "json", "compat", "--policy", "lenient", "a.json", "b.json"]);
    // The files do not exist: past the parser, compat itself refuses them (one line, no usage pointer).
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^domain-events: [^\n]*a\.json[^\n]*\n$/);
  });

  it("--version is the tool's version, except after new (the next version of an event)", async () => {
    expect((await cliInProcess(["--version"])).stdout).toMatch(/^\d+\.\d+\.\d+/);
    expect((await cliInProcess(["check", "-v"])).stdout).toMatch(/^\d+\.\d+\.\d+/);
    const r = await cliInProcess(["new", "--version", "--title", "X"]);
    expectUsage(r, "--title does not belong to new --version", "new");
  });
});

/**
 * Files under src/ that may print or exit, besides the CLI (src/cli/, src/cli.ts), each with why.
 * Empty: a module that prints cannot be used as a library, nor tested without a terminal. (The
 * pipeline's DOMAIN_EVENTS_TIMING stage timings, which went to stderr, were the last exception.)
 */
const MAY_PRINT: Record<string, string> = {};

/** What printing, reading the terminal or exiting looks like in source. */
const PRINTS = /\bprocess\.(stdout|stderr|stdin|exit)\b|\bconsole\.[a-z]+\s*\(/;

describe("only the CLI prints", () => {
  it.each([
    ["process.stdout.write(text)", true],
    ['process.stderr.write("x")', true],
    ["process.exit(1)", true],
    ["const input = process.stdin", true],
    ["console.log(x)", true],
    ["console.error (x)", true],
    ["process.exitCode = 1", false],
    ["const cwd = process.cwd()", false],
    ["consoleLike.log(x)", false],
  ])("recognises %j as printing: %s", (line, prints) => {
    expect(PRINTS.test(line)).toBe(prints);
  });

  it("no module under src/ outside src/cli/ and src/cli.ts writes to stdout or stderr, reads stdin, calls console or exits", async () => {
    const src = path.join(ROOT, "src");
    const files = (await readdir(src, { recursive: true }))
      .map((f) => `src/${f.split(path.sep).join("/")}`)
      .filter((f) => /\.(ts|mts|cts|js|mjs|cjs)$/.test(f) && !f.startsWith("src/cli/") && f !== "src/cli.ts");
    expect(files.length).toBeGreaterThan(30);
    const offenders: string[] = [];
    for (const file of files) {
      const text = await readFile(path.join(ROOT, file), "utf8");
      text.split("\n").forEach((line, i) => {
        // Comments may name them (this very rule is described in some).
        const code = line.replace(/\/\/.*$/, "").replace(/^\s*\*.*$/, "");
        if (PRINTS.test(code) && !(file in MAY_PRINT)) offenders.push(`${file}:${i + 1}: ${line.trim()}`);
      });
    }
    expect(offenders).toEqual([]);
  });

  it("every file allowed to print still does (an exception no longer needed is removed from the list)", async () => {
    for (const file of Object.keys(MAY_PRINT)) {
      const text = await readFile(path.join(ROOT, file), "utf8");
      expect(PRINTS.test(text), `${file} no longer prints: remove it from MAY_PRINT`).toBe(true);
    }
  });
});
