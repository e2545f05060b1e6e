/**
 * The command line: parses arguments, calls the library, prints, exits. The only place that does.
 * Exit codes (DESIGN §4): 0 valid (warnings allowed), 1 errors found, 2 bad usage or a bug.
 */

import { parseArgs } from "node:util";
import { FORMATS, type Format, render } from "./format.js";
import { build, check } from "./pipeline.js";

declare const __VERSION__: string | undefined;
const VERSION = typeof __VERSION__ === "string" ? __VERSION__ : "0.0.0-dev";

const HELP = `domain-events: domain-event JSON Schemas → typed events, precompiled validators, a flat list

Usage:
  domain-events check [--events DIR] [--format pretty|json|github]
  domain-events build [--events DIR] [--out DIR] [--format pretty|json|github]
  domain-events --help | --version

Commands:
  check   validate the whole events tree; writes nothing
  build   check, then generate index.js, index.d.ts and events.json; with --out, write them
          there (atomically: on any error the folder is left as it was)

Options:
  --events DIR   the events tree (default: ./events)
  --out DIR      where build writes the module (a new folder, or one it wrote before)
  --format F     pretty (default), json, or github (GitHub Actions annotations)
  -h, --help     show this help
  -v, --version  show the version

Exit codes: 0 valid (warnings allowed), 1 errors found, 2 bad usage.
`;

class UsageError extends Error {}

/** Where the CLI prints: process.stdout and process.stderr, or anything with write(). */
export interface Writer {
  write(text: string): unknown;
}

/** Runs the CLI with `argv` (without node and the script) and returns the exit code. */
export async function main(argv: readonly string[], out: Writer = process.stdout, err: Writer = process.stderr): Promise<number> {
  try {
    const { values, positionals } = parseArgs({
      args: [...argv],
      allowPositionals: true,
      strict: true,
      options: {
        events: { type: "string" },
        out: { type: "string" },
        format: { type: "string" },
        help: { type: "boolean", short: "h" },
        version: { type: "boolean", short: "v" },
      },
    });
    const [command, ...rest] = positionals;
    if (values.help || command === "help") {
      out.write(HELP);
      return 0;
    }
    if (values.version) {
      out.write(`${VERSION}\n`);
      return 0;
    }
    if (command === undefined) throw new UsageError("no command given");
    if (rest.length > 0) throw new UsageError(`unexpected argument ${JSON.stringify(rest[0])}`);
    const format = (values.format ?? "pretty") as Format;
    if (!FORMATS.includes(format)) throw new UsageError(`--format must be one of ${FORMATS.join(", ")}`);
    const eventsDir = values.events ?? "events";

    if (command === "check") {
      if (values.out !== undefined) throw new UsageError("check writes nothing: --out belongs to build");
      const result = await check({ eventsDir });
      const n = result.tree?.events.length ?? 0;
      out.write(render(format, result.diagnostics, `checked ${eventsDir}${result.ok ? `: ${n} event versions` : ""}`));
      return result.ok ? 0 : 1;
    }
    if (command === "build") {
      const result = await build({ eventsDir, outDir: values.out });
      const n = result.files ? JSON.parse(result.files.get("events.json") ?? "[]").length : 0;
      const what = values.out === undefined ? "generated in memory (no --out given)" : `wrote ${values.out}`;
      out.write(render(format, result.diagnostics, result.ok ? `${n} event versions, ${what}` : `nothing written`));
      return result.ok ? 0 : 1;
    }
    throw new UsageError(`unknown command ${JSON.stringify(command)}`);
  } catch (e) {
    if (e instanceof UsageError || (e as { code?: string }).code?.startsWith("ERR_PARSE_ARGS")) {
      err.write(`domain-events: ${(e as Error).message}\nRun "domain-events --help" for usage.\n`);
      return 2;
    }
    if ((e as Error).name === "EmitError") {
      err.write(`domain-events: ${(e as Error).message}\n`);
      return 2;
    }
    err.write(`domain-events: internal error: ${(e as Error).message ?? String(e)} (this is a bug in domain-events, not in your events)\n`);
    if (process.env.DOMAIN_EVENTS_DEBUG) err.write(`${(e as Error).stack}\n`);
    return 2;
  }
}
