/**
 * Checks event instances: each record of each input file is parsed with positions (records.ts), its
 * schema is picked by its `type` or by --type (catalog.ts), and it is validated with ajv; every
 * finding is located in the file. The message of a schema violation is the published runtime's
 * (src/runtime/issues.ts), its hint comes from the schema (hints.ts).
 *
 *   validateFiles (read.ts streams each file)  →  InstanceChecker.line / .document  →  checkEvent
 */

import path from "node:path";
import type { ErrorObject } from "ajv";
import { valueFix } from "../diagnostics/hints.js";
import { type Diagnostic, diagnostic, joinPointer, type StageResult, sortDiagnostics } from "../diagnostics/index.js";
import { errorMessage, issueLine, quote, shorten } from "../runtime/issues.js";
import { Catalog } from "./catalog.js";
import { hintFor } from "./hints.js";
import { readRecords } from "./read.js";
import { type EventRecord, Findings, parse } from "./records.js";
import {
  INSTANCE_LIMITS,
  type InstanceFile,
  type InstancesSummary,
  isNdjson,
  type PublishedEvent,
  ValidateInputError,
  type ValidateInstancesOptions,
} from "./types.js";

/**
 * Validates every event in `files` against the schemas of `entries`. Pure: reads nothing, writes
 * nothing; every problem of the input is a diagnostic. Throws `ValidateInputError` when
 * `options.type` names no event, or when a schema of `entries` does not compile (a broken events.json).
 */
export function validateInstances(
  files: readonly InstanceFile[],
  entries: readonly PublishedEvent[],
  options: ValidateInstancesOptions = {},
): StageResult<InstancesSummary> {
  const checker = new InstanceChecker(entries, options);
  for (const input of files) {
    if (!isNdjson(input.file)) {
      checker.document(input.file, input.text, Buffer.byteLength(input.text));
      continue;
    }
    input.text.split("\n").forEach((line, i) => {
      checker.line(input.file, line, i, Buffer.byteLength(line));
    });
  }
  return checker.result(files.length);
}

/**
 * Validates the files at `paths` (relative to `cwd`), reading NDJSON line by line: memory stays
 * bounded whatever their size (INSTANCE_LIMITS). A file that cannot be read, is a folder or a
 * device, or is not UTF-8 is bad usage (ValidateInputError, which names the line of the first bad
 * byte). Paths in the findings are relative to `cwd`, with forward slashes.
 */
export async function validateFiles(
  paths: readonly string[],
  entries: readonly PublishedEvent[],
  options: ValidateInstancesOptions = {},
  cwd: string = process.cwd(),
): Promise<StageResult<InstancesSummary>> {
  const checker = new InstanceChecker(entries, options);
  for (const p of paths) {
    const full = path.resolve(cwd, p);
    const file = path.relative(cwd, full).split(path.sep).join("/") || p;
    await readRecords(p, full, isNdjson(file), {
      line: (line, index, bytes) => checker.line(file, line, index, bytes),
      document: (text, bytes) => checker.document(file, text, bytes),
    });
  }
  return checker.result(paths.length);
}

/** Checks records one at a time, keeping what the findings need and nothing of the records. */
class InstanceChecker {
  private readonly catalog: Catalog;
  private readonly forced: PublishedEvent | undefined;
  private readonly findings = new Findings();
  private events = 0;

  /** Throws ValidateInputError when `options.type` names no event. */
  constructor(entries: readonly PublishedEvent[], options: ValidateInstancesOptions) {
    this.catalog = new Catalog(entries);
    this.forced = options.type === undefined ? undefined : this.catalog.get(options.type);
    if (options.type !== undefined && this.forced === undefined) {
      throw new ValidateInputError(
        `--type ${quote(options.type)} is not an event type of this package; ${this.catalog.near(options.type)}`,
      );
    }
  }

  /** One line of an NDJSON file (`index` counts from 0), of `bytes` bytes in the file. */
  line(file: string, text: string, index: number, bytes: number): void {
    if (bytes > INSTANCE_LIMITS.recordBytes) {
      this.tooLarge(file, bytes, index + 1);
      return;
    }
    if (text.trim() === "") return;
    const parsed = parse(file, text, index, this.findings);
    if (parsed === undefined) return;
    this.event({ file, value: parsed.value, prefix: "", locate: parsed.locate });
  }

  /** A whole JSON file: one event, or an array of events. */
  document(file: string, text: string, bytes: number): void {
    if (bytes > INSTANCE_LIMITS.recordBytes) {
      this.tooLarge(file, bytes);
      return;
    }
    const parsed = parse(file, text, 0, this.findings);
    if (parsed === undefined) return;
    const { value, locate } = parsed;
    if (!Array.isArray(value)) {
      this.event({ file, value, prefix: "", locate });
      return;
    }
    value.forEach((item, i) => {
      this.event({ file, value: item, prefix: joinPointer("", i), locate });
    });
  }

  /**
   * A record above INSTANCE_LIMITS.recordBytes: `bytes` is its size, or infinity when reading
   * stopped at the limit (a FIFO, or a file that grew); `line` for NDJSON.
   */
  tooLarge(file: string, bytes: number, line?: number): void {
    const limit = `the limit of ${INSTANCE_LIMITS.recordBytes / (1024 * 1024)} MiB`;
    const size = bytes === Number.POSITIVE_INFINITY ? "more than" : `${bytes} bytes, more than`;
    this.findings.add("EVENT_LIMIT_SIZE", () =>
      line === undefined
        ? diagnostic("EVENT_LIMIT_SIZE", file, "", `the file holds ${size} ${limit} for a JSON file`, {
            hint: "write the events as NDJSON (name the file .ndjson, one event per line): it is read line by line, whatever its size",
          })
        : diagnostic("EVENT_LIMIT_SIZE", file, "", `the line holds ${size} ${limit} for one event`, {
            hint: "no event is this large: check what wrote the line (a dump pasted into one event, or lines run together)",
            locate: () => ({ line, column: 1 }),
          }),
    );
  }

  private event(record: EventRecord): void {
    this.events++;
    checkEvent(record, this.catalog, this.forced, this.findings);
  }

  result(files: number): StageResult<InstancesSummary> {
    const { kept, omitted } = this.findings;
    return { value: { files, events: this.events, omitted: { ...omitted } }, diagnostics: sortDiagnostics(kept) };
  }
}

// ---------------------------------------------------------------------------------------------
// One event: its schema, deprecation, and every schema violation.

function checkEvent(record: EventRecord, catalog: Catalog, forced: PublishedEvent | undefined, out: Findings): void {
  // Located while the record's positions are at hand; message and hint are made only when kept.
  const report = (code: Diagnostic["code"], pointer: string, message: string | (() => string), hint?: () => string | undefined) =>
    out.add(code, () => {
      const at = record.locate(record.prefix + pointer);
      const text = typeof message === "string" ? message : message();
      return diagnostic(code, record.file, shorten(record.prefix + pointer), text, { hint: hint?.(), locate: () => at });
    });

  const { value } = record;
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    report(
      "EVENT_INVALID",
      "",
      issueLine("", "must be an object, a CloudEvents envelope", "type"),
      () => "an event is an object with specversion, id, source, type, time, datacontenttype, clientaccountid and data",
    );
    return;
  }
  const own = Object.hasOwn(value, "type") ? (value as Record<string, unknown>).type : undefined;
  let entry = forced;
  if (forced && typeof own === "string" && own !== forced.type && catalog.get(own)) {
    // Another known event: its data, checked against the schema of --type, would only add noise.
    report(
      "EVENT_INVALID",
      "/type",
      issueLine("/type", `is ${quote(own)}, but --type requires ${JSON.stringify(forced.type)}`, "const"),
      () => "keep one event type per file with --type, or leave --type out to validate each event against its own type",
    );
    return;
  }
  if (entry === undefined) {
    if (typeof own !== "string") {
      const message = own === undefined ? "(event): has no type, so no schema applies" : "/type: must be a string naming the event type";
      report("EVENT_UNKNOWN_TYPE", "/type", message, () => `set type to an event type of this package, e.g. ${catalog.example()}`);
      return;
    }
    entry = catalog.get(own);
    if (entry === undefined) {
      report(
        "EVENT_UNKNOWN_TYPE",
        "/type",
        () => `/type: ${quote(own)} is not an event type of this package`,
        () => catalog.near(own),
      );
      return;
    }
  }
  if (entry.deprecated) {
    const latest = catalog.latestOf(entry);
    report("EVENT_DEPRECATED", "/type", `/type: ${entry.type} is deprecated`, () =>
      latest && latest.type !== entry.type
        ? `move to the latest version, ${latest.type}`
        : "this event is deprecated as a whole; see its description",
    );
  }

  const validateFn = catalog.validator(entry);
  let ok: boolean;
  try {
    ok = validateFn(value) as boolean;
  } catch (e) {
    // A value nested deeper than the call stack is an invalid event, not a crash.
    report(
      "EVENT_INVALID",
      "",
      issueLine("", `could not be validated (${e instanceof Error ? e.message : "an exception"})`, "exception"),
      () => "make the event less deeply nested: no real event nests this deep",
    );
    return;
  }
  if (ok) return;
  for (const e of dedupe(validateFn.errors ?? [])) {
    const params = e.params as Record<string, unknown>;
    const extra = params.additionalProperty ?? params.unevaluatedProperty;
    // An unknown property is pointed at by its own key, not by the object that holds it.
    const pointer = typeof extra === "string" ? joinPointer(e.instancePath, extra) : e.instancePath;
    if (forced && e.instancePath === "/type" && e.keyword === "const") {
      report(
        "EVENT_INVALID",
        pointer,
        issueLine("/type", `is ${quote(own)}, but --type requires ${JSON.stringify(forced.type)}`, "const"),
        () => `set type to ${forced.type}`,
      );
      continue;
    }
    const schema = entry.schema;
    // The same words as the published runtime's (src/runtime/issues.ts).
    const message = () => issueLine(e.instancePath, errorMessage(e), e.keyword);
    report("EVENT_INVALID", pointer, message, () => hintFor(e, schema) ?? valueFix(e));
  }
}

function dedupe(errors: readonly ErrorObject[]): ErrorObject[] {
  const seen = new Set<string>();
  // `if` only says that `then` or `else` failed; their own errors are reported.
  const relevant = errors.some((e) => e.keyword !== "if") ? errors.filter((e) => e.keyword !== "if") : errors;
  return relevant.filter((e) => {
    const key = `${e.instancePath} ${e.keyword} ${e.message} ${JSON.stringify(e.params)}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
