/**
 * `domain-events fmt`: rewrites the tree's files (or the files and folders named) in their
 * canonical form; with --check, writes nothing and reports the files that are not in it. The
 * formatting lives in src/authoring/fmt.ts; the CLI renders the result.
 */

import { type FmtResult, fmt } from "../authoring/fmt.js";
import { EVENTS_FLAG, EXIT_USAGE, FORMAT_FLAG } from "./flags.js";
import { defineCommand, UsageError } from "./spec.js";

/** What fmt gives the CLI: what it did (or, with --check, would do). */
export interface FmtOutput extends FmtResult {
  check: boolean;
}

export const fmtCommand = defineCommand({
  name: "fmt",
  purpose: "rewrite the tree's files in their canonical form; with --check, only report",
  description:
    "Rewrites the files of the events tree, or the FILEs and folders of it named, in their canonical form (schema " +
    "keywords in one order, two-space indentation, one final newline). With --check nothing is written: the files not in " +
    "canonical form are listed, and CI fails on them.",
  positionals: [
    { name: "FILE", optional: true, variadic: true, description: "a file or folder of the events tree (default: the whole tree)" },
  ],
  flags: [
    { name: "check", type: "boolean", description: "write nothing; list the files that are not formatted (exit 1 if any)" },
    EVENTS_FLAG,
    FORMAT_FLAG,
  ],
  exits: [
    { code: 0, meaning: "done (--check: every file formatted)" },
    { code: 1, meaning: "a file does not parse (--check: or is not formatted)" },
    EXIT_USAGE,
  ],
  async run({ flags, positionals }): Promise<FmtOutput> {
    const result = await fmt({ eventsDir: flags.events, paths: positionals, check: flags.check });
    if (result.unknown.length > 0) {
      throw new UsageError(`${JSON.stringify(result.unknown[0])} is no file or folder of the events tree ${flags.events} (see --events)`);
    }
    return { check: flags.check, ...result };
  },
});
