/**
 * The contract of `domain-events validate` (src/instances/): what one run may hold in memory, what it
 * reads (the fields of events.json entries, the input files), what it returns, and the error for bad
 * usage. The other files of src/instances/ take their types from here, not from one another.
 */

import type { EventEntry } from "../model/events-json.js";
import { QUOTED_CHARS } from "../runtime/issues.js";

/** What one run of validate may hold in memory, whatever the size of its input. */
export const INSTANCE_LIMITS = {
  /**
   * Bytes of one record: a line of NDJSON, or a whole JSON file (which is parsed whole). Parsing with
   * positions takes about 20 times the text's size, so 4 MiB stays near 100 MB; no real event is
   * near it, and an array of events that is can be written as NDJSON, which has no size limit.
   */
  recordBytes: 4 * 1024 * 1024,
  /** Findings listed; those after them are counted by severity (the exit code counts them all). */
  keptFindings: 1000,
  /** Characters of the findings listed (messages, hints, pointers): a second bound, for huge keys. */
  keptChars: 8 * 1024 * 1024,
  /** Characters of input quoted in one message; longer values are shortened with "…" (the runtime's bound, src/runtime/issues.ts). */
  quotedChars: QUOTED_CHARS,
  /** Names longer than this get no "did you mean" (no event type or property name is near so long). */
  suggestChars: 200,
} as const;

/** The fields of an events.json entry that validation reads (the file holds more). */
export type PublishedEvent = Pick<EventEntry, "type" | "system" | "topic" | "event" | "version" | "latest" | "deprecated" | "schema">;

/** One input file: its path for diagnostics (relative to the current folder) and its text. */
export interface InstanceFile {
  file: string;
  text: string;
}

export interface ValidateInstancesOptions {
  /** Every event must be of this type, and is validated against its schema whatever its own `type` says. */
  type?: string | undefined;
}

/** What was validated. */
export interface InstancesSummary {
  files: number;
  events: number;
  /** Findings past INSTANCE_LIMITS (counted in the exit code and the totals, not listed). */
  omitted: { errors: number; warnings: number };
}

/** Bad usage of the command (exit 2): no events.json, an unreadable input, an unknown --type. */
export class ValidateInputError extends Error {
  override name = "ValidateInputError";
}

/** File extensions read as newline-delimited JSON (one event per non-empty line). */
export const NDJSON_EXTENSIONS = [".ndjson", ".jsonl"] as const;

/** True for a file read as NDJSON (one event per non-empty line), by its extension in any case. */
export function isNdjson(file: string): boolean {
  const lower = file.toLowerCase();
  return NDJSON_EXTENSIONS.some((ext) => lower.endsWith(ext));
}
