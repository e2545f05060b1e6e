/**
 * `domain-events check`: validates the whole events tree and writes nothing (but the build cache).
 * With --watch it runs again on every change (src/commands/watch.ts). The CLI renders the result.
 */

import { baselineBeside, loadBaseline } from "../compat/baseline.js";
import { type CheckResult, check } from "../pipeline.js";
import { EVENTS_FLAG, EXIT_USAGE, FORMAT_FLAG, NO_CACHE_FLAG, WATCH_FLAG } from "./flags.js";
import { defineCommand } from "./spec.js";
import { watchTreeRuns } from "./watch.js";

/** What check gives the CLI: the check's result, or (--watch) that watching was stopped. */
export type CheckOutput = { kind: "checked"; eventsDir: string; result: CheckResult } | { kind: "watched" };

export const checkCommand = defineCommand({
  name: "check",
  purpose: "validate the whole events tree; writes nothing",
  description:
    "Reads every file of the events tree and reports every finding at once: house rules, the JSON Schema meta-schema, " +
    "version chains and their compatibility, examples. Writes nothing but the build cache.",
  positionals: [],
  flags: [
    EVENTS_FLAG,
    {
      name: "against",
      type: "string",
      placeholder: "BASELINE",
      description:
        "the last release, to refuse a released version edited in place as diff does: an events.json, a packed .tgz, or name@version; default baseline/events.json beside the events folder, when there is one",
    },
    NO_CACHE_FLAG,
    WATCH_FLAG,
    FORMAT_FLAG,
  ],
  exits: [
    { code: 0, meaning: "valid (warnings allowed); with --watch, stopped by Ctrl-C" },
    { code: 1, meaning: "errors found" },
    EXIT_USAGE,
  ],
  async run({ flags }, context): Promise<CheckOutput> {
    const eventsDir = flags.events;
    const cache = flags["no-cache"] ? { cacheDir: false as const } : {};
    if (flags.watch) {
      await watchTreeRuns({ command: "check", eventsDir, ...cache }, context);
      return { kind: "watched" };
    }
    // A released version edited in place is refused here too, when the last release is known.
    const against = flags.against ?? (await baselineBeside(eventsDir));
    const baseline = against === undefined ? undefined : (await loadBaseline(against)).entries;
    return {
      kind: "checked",
      eventsDir,
      // Only the findings are wanted: a tree as the last good check or build left it answers from its fingerprint.
      result: await check({
        eventsDir,
        ...cache,
        onStage: context.onStage,
        onProgress: context.onProgress,
        baseline,
        fromFingerprint: true,
      }),
    };
  },
});
