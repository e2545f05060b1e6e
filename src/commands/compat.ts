/**
 * `domain-events compat OLD.json NEW.json`: classifies the change between two schemas (backward,
 * forward, full), every change explained, with a counterexample for each incompatible direction.
 * The CLI renders the report.
 */

import { type CompatReport, compareFiles } from "../compat/report.js";
import { EXIT_USAGE } from "./flags.js";
import { defineCommand } from "./spec.js";

/** What compat gives the CLI: the report and what it compared. */
export interface CompatOutput {
  report: CompatReport;
  oldFile: string;
  newFile: string;
  policy: "strict" | "lenient";
}

export const compatCommand = defineCommand({
  name: "compat",
  purpose: "classify the change from OLD to NEW: backward, forward, full",
  description:
    "Compares two JSON Schemas and classifies the change: backward (consumers on NEW read old events), forward " +
    "(consumers on OLD read new events), full (both). Every change is explained, with a counterexample for each " +
    "incompatible direction.",
  positionals: [
    { name: "OLD.json", description: "the schema before the change" },
    { name: "NEW.json", description: "the schema after the change" },
  ],
  positionalsUsage: "compat takes two schema files: OLD.json NEW.json",
  flags: [
    {
      name: "policy",
      type: "string",
      values: ["strict", "lenient"],
      default: "strict",
      placeholder: "P",
      description: "the compatibility policy, as Confluent Schema Registry's of the same names",
    },
    {
      name: "format",
      type: "string",
      values: ["pretty", "json"],
      default: "pretty",
      placeholder: "F",
      description: "how to print the report",
    },
  ],
  exits: [{ code: 0, meaning: "both schemas were read (whatever the verdict)" }, EXIT_USAGE],
  async run({ flags, positionals }): Promise<CompatOutput> {
    const [oldFile, newFile] = positionals as [string, string];
    return { report: await compareFiles(oldFile, newFile, flags.policy), oldFile, newFile, policy: flags.policy };
  },
});
