/**
 * The command line: parses arguments, calls the library, prints, exits. The only place that does.
 * Exit codes (DESIGN §4): 0 valid (warnings allowed), 1 errors found, 2 bad usage or a bug.
 */

import { readFile, stat, writeFile } from "node:fs/promises";
import { parseArgs } from "node:util";
import { fmt } from "../authoring/fmt.js";
import { exitCodeOf, renderNew, runNew } from "../authoring/new.js";
import { type WatchCommandOptions, watchCommand } from "../commands/watch.js";
import { loadBaseline } from "../compat/baseline.js";
import { changelogEntry, diffAgainst } from "../compat/release-diff.js";
import { compareFiles } from "../compat/report.js";
import { hasErrors } from "../diagnostics/index.js";
import { eventEntries } from "../generate/index.js";
import { instancesFailed, loadEventsJson, renderInstances, ValidateInputError, validateFiles } from "../instances/validate.js";
import { isUserError, UserError } from "../model/user-error.js";
import { build, catalog, check } from "../pipeline.js";
import { PromptCancelled, terminalPrompter } from "./prompt.js";
import { buildSummary, checkSummary, FORMATS, type Format, render, renderCompat, renderFmt, renderReleaseDiff } from "./render.js";

declare const __VERSION__: string | undefined;
const VERSION = typeof __VERSION__ === "string" ? __VERSION__ : "0.0.0-dev";

const HELP = `domain-events: domain-event JSON Schemas → typed events, precompiled validators, a flat list

Usage:
  domain-events check [--events DIR] [--no-cache] [--watch] [--format pretty|json|github]
  domain-events build [--events DIR] [--out DIR] [--no-cache] [--watch] [--format pretty|json|github]
  domain-events compat OLD.json NEW.json [--policy strict|lenient] [--format pretty|json]
  domain-events diff --against BASELINE [--events DIR] [--allow-removal] [--changelog FILE]
                     [--format pretty|json|github]
  domain-events catalog [--events DIR] [--out DIR] [--format pretty|json|github]
  domain-events validate FILE... [--type TYPE] [--events-json FILE] [--format pretty|json|github]
  domain-events fmt [--check] [--events DIR] [--format pretty|json|github] [FILE...]
  domain-events new [<system>/<topic>/<event>] [--events DIR] [--title T] [--description D]
                    [--system-title T] [--system-description D] [--owner TEAM] [--yes]
  domain-events new --version [<system>/<topic>/<event>] [--events DIR] [--change TEXT] [--yes]
  domain-events --help | --version

Commands:
  check   validate the whole events tree; writes nothing
  build   check, then generate index.js, index.d.ts and events.json; with --out, write them
          there (atomically: on any error the folder is left as it was)
  compat  classify the change from OLD to NEW: backward, forward, full; every change explained,
          with a counterexample for each incompatible direction
  diff    compare the tree with a release: BASELINE is an events.json, a packed .tgz of this
          package, or name@version (fetched with npm pack); names the semver bump
  catalog   write the event catalog: a static site (open index.html, or put the folder on any
            static host) of every system, topic, event and version, with the differences
            between versions; default folder ./catalog
  fmt       rewrite the tree's files (or the FILEs and folders named) in their canonical form
            (README "Formatting"); with --check, write nothing and fail when a file is not in it
  validate  check event instances against the package's schemas: FILE is JSON (one event or an
            array of events) or .ndjson/.jsonl (one event per line)
  new       scaffold an event (and its system's system.json when the system is new), or with
            --version copy an event's latest version to the next one; writes new files only,
            then checks the tree. On a terminal it asks for what is not given

Options:
  --events DIR       the events tree (default: ./events)
  --out DIR          where build writes the module, catalog the site (a new folder, or one
                     it wrote before)
  --no-cache         check, build: compile everything, neither reading nor writing the build
                     cache (node_modules/.cache/domain-events, keyed by content and tool versions)
  --watch            check, build: run again whenever a file under the events folder changes
                     and print what changed (new and fixed diagnostics); build rewrites --out
                     after each good run. Ctrl-C stops (exit 0)
  --format F         pretty (default), json, or github (GitHub Actions annotations)
  --policy P         strict (default) or lenient, as Confluent Schema Registry's policies
  --against B        the baseline of diff
  --allow-removal    diff: a removed version is allowed (the release is then major)
  --changelog FILE   diff: prepend a Markdown changelog entry to FILE
  --type TYPE        validate: every event must be of this type (default: each event's own type)
  --events-json F    validate: the events.json to validate against (default: the package's own)
  --check            fmt: write nothing; list the files that are not formatted (exit 1 if any)
  --title, --description, --system-title, --system-description, --owner TEAM
                     new: the event's and a new system's fields (asked on a terminal when missing)
  --change TEXT      new --version: what changes and why ("Version N: TEXT." ends the description)
  -y, --yes          new: take the default of every value not given, without asking
  -h, --help         show this help
  -v, --version      show the version; after new: make the next version of an event

Exit codes: check, build, catalog, diff, validate: 0 valid (warnings allowed), 1 errors found, 2 bad usage.
            compat: 0 when both schemas were read (whatever the verdict), 2 otherwise.
            new: 0 written and the tree valid, 1 a name refused or the check failed (what new
            wrote is then removed again if the errors are in it), 2 bad usage or a value missing.
            fmt: 0 done (--check: every file formatted), 1 a file does not parse (--check: or is
            not formatted), 2 bad usage.
`;

class UsageError extends Error {}

/** A file named on the command line that cannot be used: bad usage, said in one line with what to do. */
class FileArgumentError extends UserError {}

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
        policy: { type: "string" },
        against: { type: "string" },
        "allow-removal": { type: "boolean" },
        changelog: { type: "string" },
        type: { type: "string" },
        "events-json": { type: "string" },
        "no-cache": { type: "boolean" },
        watch: { type: "boolean" },
        title: { type: "string" },
        description: { type: "string" },
        owner: { type: "string" },
        "system-title": { type: "string" },
        "system-description": { type: "string" },
        change: { type: "string" },
        yes: { type: "boolean", short: "y" },
        check: { type: "boolean" },
        help: { type: "boolean", short: "h" },
        version: { type: "boolean", short: "v" },
      },
    });
    const [command, ...rest] = positionals;
    if (values.help || command === "help") {
      out.write(HELP);
      return 0;
    }
    // After `new`, --version means "the next version of an event", not this tool's version.
    if (values.version && command !== "new") {
      out.write(`${VERSION}\n`);
      return 0;
    }
    if (command === undefined) throw new UsageError("no command given");
    const format = (values.format ?? "pretty") as Format;
    if (!FORMATS.includes(format)) throw new UsageError(`--format must be one of ${FORMATS.join(", ")}`);
    const eventsDir = values.events ?? "events";
    const only = (allowed: string[]) => {
      for (const [k, v] of Object.entries(values)) {
        if (v !== undefined && !allowed.includes(k)) throw new UsageError(`--${k} does not belong to ${command}`);
      }
    };

    if (command === "check") {
      only(["events", "format", "no-cache", "watch"]);
      if (rest.length > 0) throw new UsageError(`unexpected argument ${JSON.stringify(rest[0])}`);
      if (values.watch) return await watching({ command, eventsDir, format, ...(values["no-cache"] ? { cacheDir: false } : {}) }, out, err);
      const result = await check({ eventsDir, ...(values["no-cache"] ? { cacheDir: false } : {}) });
      out.write(render(format, result.diagnostics, checkSummary(eventsDir, result)));
      return result.ok ? 0 : 1;
    }
    if (command === "build") {
      only(["events", "out", "format", "no-cache", "watch"]);
      if (rest.length > 0) throw new UsageError(`unexpected argument ${JSON.stringify(rest[0])}`);
      if (values.watch) {
        const options = { command: "build" as const, eventsDir, outDir: values.out, format };
        return await watching({ ...options, ...(values["no-cache"] ? { cacheDir: false } : {}) }, out, err);
      }
      const result = await build({ eventsDir, outDir: values.out, ...(values["no-cache"] ? { cacheDir: false } : {}) });
      const s = result.stats;
      const cache = s ? ` (compiled ${s.compiled}, ${s.cached} from the cache)` : "";
      out.write(render(format, result.diagnostics, result.ok ? `${buildSummary(values.out, result)}${cache}` : "nothing written"));
      return result.ok ? 0 : 1;
    }
    if (command === "catalog") {
      only(["events", "out", "format"]);
      if (rest.length > 0) throw new UsageError(`unexpected argument ${JSON.stringify(rest[0])}`);
      const outDir = values.out ?? "catalog";
      const result = await catalog({ eventsDir, outDir });
      const summary = result.ok
        ? `${result.events} event versions, wrote ${outDir}/index.html and ${(result.files?.size ?? 1) - 1} more files`
        : "nothing written";
      out.write(render(format, result.diagnostics, summary));
      return result.ok ? 0 : 1;
    }
    if (command === "compat") {
      only(["policy", "format"]);
      if (rest.length !== 2) throw new UsageError("compat takes two schema files: OLD.json NEW.json");
      if (format === "github") throw new UsageError("compat prints pretty or json");
      const policy = values.policy ?? "strict";
      if (policy !== "strict" && policy !== "lenient") throw new UsageError("--policy must be strict or lenient");
      const report = await compareFiles(rest[0] as string, rest[1] as string, policy);
      out.write(
        format === "json" ? `${JSON.stringify(report, null, 2)}\n` : renderCompat(report, rest[0] as string, rest[1] as string, policy),
      );
      return 0;
    }
    if (command === "diff") {
      only(["events", "against", "allow-removal", "changelog", "format"]);
      if (rest.length > 0) throw new UsageError(`unexpected argument ${JSON.stringify(rest[0])}`);
      if (values.against === undefined) throw new UsageError("diff needs --against BASELINE (an events.json, a .tgz, or name@version)");
      const checked = await check({ eventsDir });
      if (!checked.ok || !checked.tree) {
        out.write(render(format, checked.diagnostics, `checked ${eventsDir}: fix these before comparing with a release`));
        return 1;
      }
      const baseline = await loadBaseline(values.against);
      const current = eventEntries(checked.tree, checked.bundle);
      const files = new Map(checked.tree.events.map((e) => [e.type, e.source.file]));
      const fileOf = (e: { type: string; system: string; topic: string; event: string; version: number }) =>
        files.get(e.type) ?? `${eventsDir}/${e.system}/${e.topic}/${e.event}${e.version > 1 ? `.v${e.version}` : ""}.json`;
      const locates = new Map(checked.tree.events.map((e) => [e.type, e.source.locate]));
      const result = diffAgainst(baseline.entries, current, {
        allowRemoval: values["allow-removal"] === true,
        fileOf,
        locateOf: (t) => locates.get(t),
      });
      const diagnostics = [...checked.diagnostics, ...result.diagnostics];
      if (values.changelog !== undefined) {
        const titles = new Map([...baseline.entries, ...current].map((e) => [e.type, e.title]));
        await prependChangelog(values.changelog, changelogEntry(result, titles));
      }
      if (format === "json") out.write(`${JSON.stringify({ ...result, diagnostics }, null, 2)}\n`);
      else if (format === "github") out.write(render("github", diagnostics, ""));
      else out.write(renderReleaseDiff({ ...result, diagnostics }, baseline.source));
      return hasErrors(diagnostics) ? 1 : 0;
    }
    if (command === "validate") {
      only(["type", "events-json", "format"]);
      if (rest.length === 0) throw new UsageError("validate takes one or more event files: JSON, or .ndjson/.jsonl");
      try {
        const entries = await loadEventsJson(values["events-json"]);
        const result = await validateFiles(rest, entries, { type: values.type });
        out.write(renderInstances(format, result));
        return instancesFailed(result) ? 1 : 0;
      } catch (e) {
        // No events.json, an unreadable file, an unknown --type: bad usage, said in one line.
        if (!(e instanceof ValidateInputError)) throw e;
        err.write(`domain-events: ${e.message}\n`);
        return 2;
      }
    }
    if (command === "fmt") {
      only(["check", "events", "format"]);
      const result = await fmt({ eventsDir, paths: rest, check: values.check === true });
      if (result.unknown.length > 0) {
        throw new UsageError(`${JSON.stringify(result.unknown[0])} is no file or folder of the events tree ${eventsDir} (see --events)`);
      }
      out.write(renderFmt(format, { check: values.check === true, ...result }));
      return result.ok ? 0 : 1;
    }
    if (command === "new") {
      only(["events", "version", "title", "description", "owner", "system-title", "system-description", "change", "yes"]);
      if (rest.length > 1) throw new UsageError(`new takes one event, <system>/<topic>/<event>: unexpected ${JSON.stringify(rest[1])}`);
      const nextVersion = values.version === true;
      const stray = (nextVersion ? ["title", "description", "owner", "system-title", "system-description"] : ["change"]).find(
        (k) => values[k as keyof typeof values] !== undefined,
      );
      if (stray) throw new UsageError(`--${stray} does not belong to new${nextVersion ? " --version" : ""}`);
      // Questions only when a person is there to answer them, and not with --yes.
      const tty = out === process.stdout && process.stdin.isTTY === true && process.stdout.isTTY === true;
      const prompter = tty && values.yes !== true ? terminalPrompter(process.stdin, process.stdout) : undefined;
      try {
        const outcome = await runNew({
          eventsDir,
          path: rest[0],
          nextVersion,
          yes: values.yes === true,
          prompter,
          flags: {
            title: values.title,
            description: values.description,
            owner: values.owner,
            systemTitle: values["system-title"],
            systemDescription: values["system-description"],
            change: values.change,
          },
        });
        const printed = renderNew(outcome, eventsDir);
        out.write(printed.stdout);
        err.write(printed.stderr);
        return exitCodeOf(outcome);
      } catch (e) {
        if (!(e instanceof PromptCancelled)) throw e;
        err.write("\ndomain-events: cancelled; nothing written\n");
        return 2;
      } finally {
        prompter?.close();
      }
    }
    throw new UsageError(`unknown command ${JSON.stringify(command)}`);
  } catch (e) {
    if (e instanceof UsageError || (e as { code?: string }).code?.startsWith("ERR_PARSE_ARGS")) {
      err.write(`domain-events: ${(e as Error).message}\nRun "domain-events --help" for usage.\n`);
      return 2;
    }
    if (isUserError(e)) {
      err.write(`domain-events: ${(e as Error).message}\n`);
      return 2;
    }
    err.write(`domain-events: internal error: ${(e as Error).message ?? String(e)} (this is a bug in domain-events, not in your events)\n`);
    if (process.env.DOMAIN_EVENTS_DEBUG) err.write(`${(e as Error).stack}\n`);
    return 2;
  }
}

/**
 * diff --changelog FILE: prepends `entry` to FILE, which is created when missing. A folder, a device
 * (reading /dev/zero would never end) or a path that cannot be written is bad usage, not a bug.
 */
async function prependChangelog(file: string, entry: string): Promise<void> {
  const info = await stat(file).catch(() => undefined);
  if (info && !info.isFile())
    throw new FileArgumentError(`--changelog ${file} is not a file: name a Markdown file (it is created when missing)`);
  try {
    const previous = info ? await readFile(file, "utf8") : "";
    await writeFile(file, `${entry}\n${previous}`);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code ?? "error";
    throw new FileArgumentError(`cannot write --changelog ${file} (${code}); name a file in a folder that exists and that you can write`);
  }
}

/** check --watch, build --watch: until SIGINT or SIGTERM (exit 0); a second Ctrl-C ends at once. */
async function watching(options: Omit<WatchCommandOptions, "signal">, out: Writer, err: Writer): Promise<number> {
  const stop = new AbortController();
  const onSignal = () => stop.abort();
  process.once("SIGINT", onSignal).once("SIGTERM", onSignal);
  try {
    return await watchCommand({ ...options, signal: stop.signal }, out, err);
  } finally {
    process.off("SIGINT", onSignal).off("SIGTERM", onSignal);
  }
}
