/**
 * `domain-events validate FILE...`: checks event instances against the package's schemas. The
 * checking lives in src/instances/ (index.ts); this declares the command and turns what it refuses
 * (no events.json, an unreadable input, an unknown --type) into bad usage. The CLI renders the result.
 */

import type { StageResult } from "../diagnostics/index.js";
import { type InstancesSummary, loadEventsJson, ValidateInputError, validateFiles } from "../instances/index.js";
import { UserError } from "../model/user-error.js";
import { EXIT_USAGE, FORMAT_FLAG } from "./flags.js";
import { defineCommand } from "./spec.js";

/** What validate gives the CLI: the findings and how many events and files were read. */
export type ValidateOutput = StageResult<InstancesSummary>;

export const validateCommand = defineCommand({
  name: "validate",
  purpose: "check event instances against the package's schemas",
  description:
    "Validates events against the published schemas: each FILE is JSON (one event or an array of events) or " +
    ".ndjson/.jsonl (one event per line, read as a stream). Each event is checked against the schema of its own " +
    "type, or of --type.",
  positionals: [{ name: "FILE", variadic: true, description: "a JSON file of events, or .ndjson/.jsonl with one event per line" }],
  positionalsUsage: "validate takes one or more event files: JSON, or .ndjson/.jsonl",
  flags: [
    { name: "type", type: "string", placeholder: "TYPE", description: "every event must be of this type (default: each event's own type)" },
    {
      name: "events-json",
      type: "string",
      placeholder: "FILE",
      description: "the events.json to validate against (default: the package's own)",
    },
    FORMAT_FLAG,
  ],
  exits: [{ code: 0, meaning: "every event is valid (warnings allowed)" }, { code: 1, meaning: "an event is invalid" }, EXIT_USAGE],
  async run({ flags, positionals }): Promise<ValidateOutput> {
    try {
      const entries = await loadEventsJson(flags["events-json"]);
      return await validateFiles(positionals, entries, { type: flags.type });
    } catch (e) {
      // No events.json, an unreadable file, an unknown --type: bad usage, said in one line.
      if (e instanceof ValidateInputError) throw new UserError(e.message, { cause: e });
      throw e;
    }
  },
});
