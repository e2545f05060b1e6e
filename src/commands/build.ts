/**
 * `domain-events build`: check, then generate the package's files; with --out, write them there
 * (atomically). With --watch it rebuilds on every change (src/commands/watch.ts). The CLI renders
 * the result.
 */

import { type BuildResult, build } from "../pipeline.js";
import { EVENTS_FLAG, EXIT_USAGE, FORMAT_FLAG, NO_CACHE_FLAG, WATCH_FLAG } from "./flags.js";
import { defineCommand } from "./spec.js";
import { watchTreeRuns } from "./watch.js";

/** What build gives the CLI: the build's result, or (--watch) that watching was stopped. */
export type BuildOutput = { kind: "built"; outDir: string | undefined; result: BuildResult } | { kind: "watched" };

export const buildCommand = defineCommand({
  name: "build",
  purpose: "check, then generate index.js, index.d.ts and events.json; with --out, write them there",
  description:
    "Checks the tree, then generates the package: an ESM module with its declarations, one precompiled validator " +
    "per event version, events.json and asyncapi.json. With --out the files are written there atomically: on any " +
    "error the folder is left as it was. A folder holding files build did not write is refused.",
  positionals: [],
  flags: [
    EVENTS_FLAG,
    {
      name: "out",
      type: "string",
      placeholder: "DIR",
      description: "where to write the module (a new folder, or one build wrote before); without it, generate in memory only",
    },
    NO_CACHE_FLAG,
    { ...WATCH_FLAG, description: `${WATCH_FLAG.description}; rewrites --out after each good run` },
    FORMAT_FLAG,
  ],
  exits: [
    { code: 0, meaning: "built (warnings allowed); with --watch, stopped by Ctrl-C" },
    { code: 1, meaning: "errors found: nothing written" },
    EXIT_USAGE,
  ],
  async run({ flags }, context): Promise<BuildOutput> {
    const eventsDir = flags.events;
    const outDir = flags.out;
    const cache = flags["no-cache"] ? { cacheDir: false as const } : {};
    if (flags.watch) {
      await watchTreeRuns({ command: "build", eventsDir, outDir, ...cache }, context);
      return { kind: "watched" };
    }
    return {
      kind: "built",
      outDir,
      result: await build({ eventsDir, outDir, ...cache, onStage: context.onStage, onProgress: context.onProgress }),
    };
  },
});
