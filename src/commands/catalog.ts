/** `domain-events catalog`: writes the event catalog, a static site of the tree. The CLI renders the result. */

import { type CatalogResult, catalog } from "../pipeline.js";
import { EVENTS_FLAG, EXIT_USAGE, FORMAT_FLAG } from "./flags.js";
import { defineCommand } from "./spec.js";

/** What catalog gives the CLI. */
export interface CatalogOutput {
  outDir: string;
  result: CatalogResult;
}

export const catalogCommand = defineCommand({
  name: "catalog",
  purpose: "write the event catalog: a static site of every system, topic, event and version",
  description:
    "Checks the tree, then writes a static site (open index.html, or put the folder on any static host) of every " +
    "system, topic, event and version, with the differences between versions. On any error nothing is written.",
  positionals: [],
  flags: [
    EVENTS_FLAG,
    {
      name: "out",
      type: "string",
      default: "catalog",
      placeholder: "DIR",
      description: "where to write the site (a new folder, or one catalog wrote before)",
    },
    FORMAT_FLAG,
  ],
  exits: [{ code: 0, meaning: "written (warnings allowed)" }, { code: 1, meaning: "errors found: nothing written" }, EXIT_USAGE],
  async run({ flags }, context): Promise<CatalogOutput> {
    const options = {
      eventsDir: flags.events,
      outDir: flags.out,
      onStage: context.onStage,
      onProgress: context.onProgress,
    };
    return { outDir: flags.out, result: await catalog(options) };
  },
});
