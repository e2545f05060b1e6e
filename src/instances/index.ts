/**
 * validate: checks event instances against the package's published schemas, for services that keep
 * fixture or contract-test events in their own repository.
 *
 *   validateFiles (read.ts: stream each file line by line, UTF-8 checked per line)  →
 *   InstanceChecker (check.ts: parse each record with positions (records.ts), pick its schema
 *   (catalog.ts), validate with ajv, locate every finding, hint from the schema (hints.ts))  →
 *   renderInstances (render.ts)
 *
 * Inputs: a `.ndjson`/`.jsonl` file holds one event per non-empty line; any other file is JSON
 * holding one event or an array of events. The schemas are the entries of `events.json` (DESIGN
 * §5), each the envelope with `type` fixed and `data` bundled under `$defs`; only the types that
 * occur are compiled. `loadEventsJson` finds the package's own events.json next to the running CLI.
 *
 * Memory is bounded whatever the input's size (INSTANCE_LIMITS): NDJSON is read line by line and
 * never held whole; one record (a line, or a whole JSON file) above `recordBytes` is an
 * EVENT_LIMIT_SIZE finding and is skipped unread; findings past `keptFindings` are counted, not
 * kept; quoted input in messages is shortened; the "did you mean" search skips long names and uses
 * an edit distance bounded by the threshold, so one huge `type` costs no more than a short one.
 *
 * This file is the folder's public face: the CLI and the tests import from here. types.ts holds
 * the contract (INSTANCE_LIMITS, PublishedEvent, ValidateInputError).
 */

export { validateFiles, validateInstances } from "./check.js";
export { defaultEventsJson, loadEventsJson } from "./read.js";
export {
  INSTANCE_LIMITS,
  type InstanceFile,
  type InstancesSummary,
  NDJSON_EXTENSIONS,
  type PublishedEvent,
  ValidateInputError,
  type ValidateInstancesOptions,
} from "./types.js";
