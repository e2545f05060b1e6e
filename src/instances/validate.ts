/**
 * validate: checks event instances against the package's published schemas, for services that keep
 * fixture or contract-test events in their own repository.
 *
 *   validateFiles (stream each file line by line, UTF-8 checked per line)  →  InstanceChecker (parse
 *   each record with positions, pick its schema, validate with ajv, locate every finding)  →
 *   renderInstances
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
 */

import { open, readFile, stat } from "node:fs/promises";
import path from "node:path";
import { fileURLToPath } from "node:url";
import type { ErrorObject, ValidateFunction } from "ajv";
import { type Format, render } from "../cli/render.js";
import { jsonSyntaxHint, valueFix } from "../diagnostics/hints.js";
import {
  type Diagnostic,
  diagnostic,
  joinPointer,
  type Locate,
  type Severity,
  type StageResult,
  sortDiagnostics,
} from "../diagnostics/index.js";
import type { EventEntry } from "../model/events-json.js";
import { type AjvSet, createAjvSet, DIALECT_URIS } from "../schema/ajv.js";
import { type Position, parseJson } from "../schema/json.js";

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
  /** Characters of input quoted in one message; longer values are shortened with "…". */
  quotedChars: 120,
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

/** The summary line of a run: "validated 3 events in 2 files", and what was not listed. */
export function summaryLine(s: InstancesSummary): string {
  const n = (count: number, word: string) => `${count} ${word}${count === 1 ? "" : "s"}`;
  const line = `validated ${n(s.events, "event")} in ${n(s.files, "file")}`;
  const { errors, warnings } = s.omitted;
  if (errors + warnings === 0) return line;
  const more = [errors > 0 ? n(errors, "more error") : "", warnings > 0 ? n(warnings, "more warning") : ""].filter(Boolean).join(" and ");
  return `${line}; ${more} not listed (only the first ${INSTANCE_LIMITS.keptFindings} findings are)`;
}

/**
 * The output of a run: as `render` prints diagnostics, with the totals counting the findings that
 * were not listed too. JSON gains `omitted` ({ errors, warnings }) when some were not listed.
 */
export function renderInstances(format: Format, result: StageResult<InstancesSummary>): string {
  const { omitted } = result.value;
  const listed = render(format, result.diagnostics, summaryLine(result.value));
  if (omitted.errors + omitted.warnings === 0) return listed;
  const listedErrors = result.diagnostics.filter((d) => d.severity === "error").length;
  const errors = listedErrors + omitted.errors;
  const warnings = result.diagnostics.length - listedErrors + omitted.warnings;
  if (format === "json") {
    return `${JSON.stringify({ ok: errors === 0, errors, warnings, diagnostics: result.diagnostics, omitted }, null, 2)}\n`;
  }
  if (format === "github") return `${listed}::notice title=validate::${summaryLine(result.value)}\n`;
  // The pretty output's last line counts the listed findings: it is written again with the totals.
  const body = listed.slice(0, listed.lastIndexOf("\n", listed.length - 2) + 1);
  const counts = `${errors} ${errors === 1 ? "error" : "errors"}, ${warnings} ${warnings === 1 ? "warning" : "warnings"}`;
  return `${body}${errors ? "failed" : "ok"}: ${summaryLine(result.value)} (${counts})\n`;
}

/** True when a run found an error, listed or not: the exit code is then 1. */
export function instancesFailed(result: StageResult<InstancesSummary>): boolean {
  return result.value.omitted.errors > 0 || result.diagnostics.some((d) => d.severity === "error");
}

// ---------------------------------------------------------------------------------------------
// Findings: the first ones kept, the rest counted.

/** A diagnostic, made only when it will be kept (a hint can cost a search). */
type MakeDiagnostic = () => Diagnostic;

class Findings {
  readonly kept: Diagnostic[] = [];
  readonly omitted = { errors: 0, warnings: 0 };
  private chars = 0;

  add(severity: Severity, make: MakeDiagnostic): void {
    if (this.kept.length >= INSTANCE_LIMITS.keptFindings || this.chars >= INSTANCE_LIMITS.keptChars) {
      if (severity === "error") this.omitted.errors++;
      else this.omitted.warnings++;
      return;
    }
    const d = make();
    this.chars += d.message.length + d.pointer.length + (d.hint?.length ?? 0);
    this.kept.push(d);
  }
}

/** JSON text of a value from the input, shortened to INSTANCE_LIMITS.quotedChars. */
function quote(value: unknown): string {
  return shortPointer(JSON.stringify(value) ?? String(value));
}

/** A pointer (or any text) from the input, cut at INSTANCE_LIMITS.quotedChars: a key may be megabytes long. */
function shortPointer(pointer: string): string {
  return pointer.length <= INSTANCE_LIMITS.quotedChars ? pointer : `${pointer.slice(0, INSTANCE_LIMITS.quotedChars)}…`;
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
    this.findings.add("error", () =>
      line === undefined
        ? diagnostic("error", "EVENT_LIMIT_SIZE", file, "", `the file holds ${size} ${limit} for a JSON file`, {
            hint: "write the events as NDJSON (name the file .ndjson, one event per line): it is read line by line, whatever its size",
          })
        : diagnostic("error", "EVENT_LIMIT_SIZE", file, "", `the line holds ${size} ${limit} for one event`, {
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
// Records: the events of one file, each with where it sits in the file.

/** One event of an input file. */
interface EventRecord {
  file: string;
  value: unknown;
  /** Pointer of the event in the file: "/3" for the fourth item of an array, "" otherwise. */
  prefix: string;
  /** Position of a pointer into the file (for NDJSON: into the record, on the record's line). */
  locate: Locate;
}

/** What an empty event file should hold, for the hint of EVENT_SYNTAX. */
const EMPTY_EVENT = '{ "specversion": "1.0", "type": "<system>.<topic>.<event>.v<N>", "data": { … }, … }';

/** The fix for a syntax error in an event file: JSON's own, or how events are laid out in a file. */
function eventSyntaxHint(file: string, message: string): string {
  if (message.endsWith("after the JSON value")) {
    return isNdjson(file)
      ? "put each event on its own line: in NDJSON a line holds exactly one event"
      : "wrap the events in an array [ …, … ], or name the file .ndjson and write one event per line";
  }
  if (isNdjson(file) && message.startsWith("unexpected end of file"))
    return "write the whole event on one line: in NDJSON each line holds one event";
  return jsonSyntaxHint(message, EMPTY_EVENT);
}

function isNdjson(file: string): boolean {
  const lower = file.toLowerCase();
  return NDJSON_EXTENSIONS.some((ext) => lower.endsWith(ext));
}

/** Parses one JSON text that starts on line `lineOffset + 1` of the file. */
function parse(file: string, text: string, lineOffset: number, out: Findings): { value: unknown; locate: Locate } | undefined {
  const shift = (p: Position): Position => ({ line: p.line + lineOffset, column: p.column });
  const parsed = parseJson(text);
  if (parsed.error) {
    const at = shift(parsed.error.at);
    const { message } = parsed.error;
    out.add("error", () =>
      diagnostic("error", "EVENT_SYNTAX", file, "", message, { hint: eventSyntaxHint(file, message), locate: () => at }),
    );
    return undefined;
  }
  const locate: Locate = (pointer) => {
    // A pointer to something absent (a missing property) is placed at its nearest present ancestor.
    for (let p = pointer; ; p = p.slice(0, p.lastIndexOf("/"))) {
      const at = parsed.positions.get(p);
      if (at) return shift(at);
      if (p === "") return undefined;
    }
  };
  for (const d of parsed.duplicates) {
    const first = shift(d.first);
    out.add("error", () =>
      diagnostic(
        "error",
        "EVENT_DUPLICATE_KEY",
        file,
        shortPointer(d.pointer),
        `the key ${quote(lastToken(d.pointer))} appears twice in one object`,
        {
          hint: `keep one of the two (the first is at line ${first.line}, column ${first.column}); JSON parsers differ in which one they keep`,
          locate: () => shift(d.at),
        },
      ),
    );
  }
  return { value: parsed.value, locate };
}

// ---------------------------------------------------------------------------------------------
// One event: its schema, deprecation, and every schema violation.

function checkEvent(record: EventRecord, catalog: Catalog, forced: PublishedEvent | undefined, out: Findings): void {
  // Located while the record's positions are at hand; message and hint are made only when kept.
  const report = (
    severity: Severity,
    code: Diagnostic["code"],
    pointer: string,
    message: string | (() => string),
    hint?: () => string | undefined,
  ) =>
    out.add(severity, () => {
      const at = record.locate(record.prefix + pointer);
      const text = typeof message === "string" ? message : message();
      return diagnostic(severity, code, record.file, shortPointer(record.prefix + pointer), text, { hint: hint?.(), locate: () => at });
    });

  const { value } = record;
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    report(
      "error",
      "EVENT_INVALID",
      "",
      "(event): must be an object, a CloudEvents envelope [type]",
      () => "an event is an object with specversion, id, source, type, time, datacontenttype, clientaccountid and data",
    );
    return;
  }
  const own = Object.hasOwn(value, "type") ? (value as Record<string, unknown>).type : undefined;
  let entry = forced;
  if (forced && typeof own === "string" && own !== forced.type && catalog.get(own)) {
    // Another known event: its data, checked against the schema of --type, would only add noise.
    report(
      "error",
      "EVENT_INVALID",
      "/type",
      `/type: is ${quote(own)}, but --type requires ${JSON.stringify(forced.type)} [const]`,
      () => "keep one event type per file with --type, or leave --type out to validate each event against its own type",
    );
    return;
  }
  if (entry === undefined) {
    if (typeof own !== "string") {
      const message = own === undefined ? "(event): has no type, so no schema applies" : "/type: must be a string naming the event type";
      report("error", "EVENT_UNKNOWN_TYPE", "/type", message, () => `set type to an event type of this package, e.g. ${catalog.example()}`);
      return;
    }
    entry = catalog.get(own);
    if (entry === undefined) {
      report(
        "error",
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
    report("warning", "EVENT_DEPRECATED", "/type", `/type: ${entry.type} is deprecated`, () =>
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
      "error",
      "EVENT_INVALID",
      "",
      `(event): could not be validated (${e instanceof Error ? e.message : "an exception"}) [exception]`,
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
        "error",
        "EVENT_INVALID",
        pointer,
        `/type: is ${quote(own)}, but --type requires ${JSON.stringify(forced.type)} [const]`,
        () => `set type to ${forced.type}`,
      );
      continue;
    }
    const schema = entry.schema;
    const message = () => `${shortPointer(e.instancePath) || "(event)"}: ${e.message ?? "is invalid"}${describeParams(e)} [${e.keyword}]`;
    report("error", "EVENT_INVALID", pointer, message, () => hintFor(e, schema) ?? valueFix(e));
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

function describeParams(e: ErrorObject): string {
  const p = e.params as Record<string, unknown>;
  if (typeof p.additionalProperty === "string") return ` (${quote(p.additionalProperty)})`;
  if (typeof p.unevaluatedProperty === "string") return ` (${quote(p.unevaluatedProperty)})`;
  if (e.keyword === "enum" && Array.isArray(p.allowedValues)) return `: ${p.allowedValues.map((v) => JSON.stringify(v)).join(", ")}`;
  if (e.keyword === "const") return `: ${JSON.stringify(p.allowedValue)}`;
  return "";
}

/**
 * A hint from the schema: the description of a missing property, the allowed names next to an
 * unknown one, or the description of the value that failed. None for the event or its data as a
 * whole (their descriptions describe the event, not what to fix).
 */
function hintFor(e: ErrorObject, root: Record<string, unknown>): string | undefined {
  const p = e.params as Record<string, unknown>;
  const node = schemaAt(root, e.instancePath);
  if (e.keyword === "required" && typeof p.missingProperty === "string") {
    const prop = node ? propertySchema(root, node.resolved, p.missingProperty) : undefined;
    // What the property means (its own description) before what shape it has (its definition's).
    const what = prop ? (typeof prop.description === "string" ? prop.description : descriptionOf(root, prop)) : undefined;
    return what ? `add ${p.missingProperty}: ${what}` : undefined;
  }
  const extra = p.additionalProperty ?? p.unevaluatedProperty;
  if (typeof extra === "string") {
    const props = node && isObject(node.resolved.properties) ? Object.keys(node.resolved.properties) : [];
    if (props.length === 0) return undefined;
    const near =
      extra.length > INSTANCE_LIMITS.suggestChars
        ? []
        : props.filter((name) => name.toLowerCase() === extra.toLowerCase() || distance(name, extra, 2) <= 2);
    return near.length > 0
      ? `did you mean ${near.join(" or ")}?`
      : `remove ${quote(extra)}: the properties allowed here are ${props.join(", ")}`;
  }
  if (e.instancePath === "" || e.instancePath === "/data" || !node) return undefined;
  const what = descriptionOf(root, node.raw);
  return what ? `${valueFix(e)}; expected: ${what}` : undefined;
}

/** The schema that governs the value at `pointer`: as written (`raw`) and with `$ref`s followed. */
function schemaAt(
  root: Record<string, unknown>,
  pointer: string,
): { raw: Record<string, unknown>; resolved: Record<string, unknown> } | undefined {
  let raw: Record<string, unknown> = root;
  for (const token of pointer === "" ? [] : pointer.slice(1).split("/").map(unescapeToken)) {
    const next = propertySchema(root, deref(root, raw), token);
    if (!next) return undefined;
    raw = next;
  }
  return { raw, resolved: deref(root, raw) };
}

/** The subschema for one member of an object or item of an array (properties, items, prefixItems, additionalProperties). */
function propertySchema(
  root: Record<string, unknown>,
  schema: Record<string, unknown>,
  token: string,
): Record<string, unknown> | undefined {
  const s = deref(root, schema);
  if (isObject(s.properties) && Object.hasOwn(s.properties, token) && isObject(s.properties[token])) return s.properties[token];
  if (/^(0|[1-9][0-9]*)$/.test(token)) {
    const i = Number(token);
    const tuple = Array.isArray(s.prefixItems) ? s.prefixItems : Array.isArray(s.items) ? s.items : undefined;
    if (tuple && i < tuple.length && isObject(tuple[i])) return tuple[i];
    if (isObject(s.items)) return s.items;
  }
  if (isObject(s.additionalProperties)) return s.additionalProperties;
  return undefined;
}

/** Follows local `$ref`s ("#/$defs/Money"); the published schemas hold no other kind. */
function deref(root: Record<string, unknown>, schema: Record<string, unknown>): Record<string, unknown> {
  let s = schema;
  for (let hops = 0; hops < 32 && typeof s.$ref === "string" && s.$ref.startsWith("#"); hops++) {
    let target: unknown = root;
    for (const token of s.$ref.slice(1).split("/").slice(1).map(unescapeToken)) {
      target = isObject(target) && Object.hasOwn(target, token) ? target[token] : undefined;
    }
    if (!isObject(target)) break;
    s = target;
  }
  return s;
}

/** The description of a schema: of the definition it refers to when that is more specific, else its own. */
function descriptionOf(root: Record<string, unknown>, schema: Record<string, unknown>): string | undefined {
  const resolved = deref(root, schema);
  // A definition (CurrencyCode: "An ISO 4217 alphabetic currency code.") says what the value must look like.
  if (resolved !== schema && typeof resolved.description === "string" && !isObject(resolved.properties)) return resolved.description;
  if (typeof schema.description === "string") return schema.description;
  return typeof resolved.description === "string" ? resolved.description : undefined;
}

// ---------------------------------------------------------------------------------------------
// The catalog: entries by type, near names, and validators compiled on first use.

class Catalog {
  private readonly byType = new Map<string, PublishedEvent>();
  private readonly compiled = new Map<string, ValidateFunction>();
  private readonly nearCache = new Map<string, string>();
  private ajv: AjvSet | undefined;

  constructor(private readonly entries: readonly PublishedEvent[]) {
    for (const e of entries) this.byType.set(e.type, e);
  }

  get(type: string): PublishedEvent | undefined {
    return this.byType.get(type);
  }

  example(): string {
    return this.entries.find((e) => e.latest && !e.deprecated)?.type ?? this.entries[0]?.type ?? "<system>.<topic>.<event>.v<N>";
  }

  /** The latest version of the event that `entry` is a version of. */
  latestOf(entry: PublishedEvent): PublishedEvent | undefined {
    const versions = this.versionsOf(baseOf(entry.type));
    return versions.find((e) => e.latest) ?? versions.at(-1);
  }

  private versionsOf(base: string): PublishedEvent[] {
    return this.entries.filter((e) => baseOf(e.type) === base).sort((a, b) => a.version - b.version);
  }

  /** A hint naming the types nearest to an unknown one: other versions of the same event, or the closest names. */
  near(type: string): string {
    const cached = this.nearCache.get(type);
    if (cached !== undefined) return cached;
    const hint = this.computeNear(type);
    // Bounded: a file of a million different unknown types must not grow the cache without end.
    if (type.length <= INSTANCE_LIMITS.suggestChars && this.nearCache.size < 10_000) this.nearCache.set(type, hint);
    return hint;
  }

  private computeNear(type: string): string {
    const label = (e: PublishedEvent) => `${e.type}${e.latest ? " (latest)" : e.deprecated ? " (deprecated)" : ""}`;
    const base = baseOf(type);
    const versions = this.versionsOf(base);
    if (versions.length > 0) return `use one of the versions of ${base}: ${versions.map(label).join(", ")}`;
    // A name far longer than any type is near none: no search (its cost grows with the length).
    const limit = Math.max(3, Math.floor(base.length / 6));
    const bases = base.length > INSTANCE_LIMITS.suggestChars ? [] : [...new Set(this.entries.map((e) => baseOf(e.type)))];
    const scored = bases.map((b) => ({ b, d: distance(b, base, limit) })).sort((x, y) => x.d - y.d || (x.b < y.b ? -1 : 1));
    const best = scored[0];
    if (best && best.d <= limit) {
      const close = scored
        .filter((s) => s.d === best.d)
        .map((s) => this.latestOf(this.versionsOf(s.b)[0] as PublishedEvent) as PublishedEvent);
      return `did you mean ${close.map(label).join(" or ")}?`;
    }
    const system = base.split(".")[0] ?? "";
    const same = this.entries.filter((e) => e.system === system && e.latest).map((e) => e.type);
    if (same.length > 0) return `use one of the events of ${system}: ${same.join(", ")}`;
    const systems = [...new Set(this.entries.map((e) => e.system))].sort();
    return `no event of that name; the systems of this package: ${systems.join(", ")}`;
  }

  /** The validator of one type, compiled on first use. */
  validator(entry: PublishedEvent): ValidateFunction {
    const done = this.compiled.get(entry.type);
    if (done) return done;
    const uri = entry.schema.$schema;
    const dialect = uri === undefined ? "2020-12" : typeof uri === "string" ? DIALECT_URIS[uri] : undefined;
    if (dialect === undefined)
      throw new ValidateInputError(`events.json: the schema of ${entry.type} has an unsupported $schema ${JSON.stringify(uri)}`);
    this.ajv ??= createAjvSet();
    let fn: ValidateFunction;
    try {
      fn = this.ajv[dialect].compile(entry.schema);
    } catch (e) {
      throw new ValidateInputError(`events.json: the schema of ${entry.type} does not compile: ${(e as Error).message}`);
    }
    this.compiled.set(entry.type, fn);
    return fn;
  }
}

/** `a.b.c.v2` → `a.b.c`; a type without a version suffix is its own base. */
function baseOf(type: string): string {
  return type.replace(/\.v[0-9]+$/, "");
}

/**
 * Levenshtein distance, for near names, bounded: any distance above `max` is returned as `max + 1`.
 * Names whose lengths differ by more than `max` are not compared at all, and a row whose every cell
 * is past `max` ends the search, so the cost is at most the shorter length times the longer.
 */
function distance(a: string, b: string, max: number): number {
  if (Math.abs(a.length - b.length) > max) return max + 1;
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    let best = i;
    for (let j = 1; j <= b.length; j++) {
      row[j] = Math.min((prev[j] as number) + 1, (row[j - 1] as number) + 1, (prev[j - 1] as number) + (a[i - 1] === b[j - 1] ? 0 : 1));
      best = Math.min(best, row[j] as number);
    }
    if (best > max) return max + 1;
    prev = row;
  }
  return Math.min(prev[b.length] as number, max + 1);
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

function unescapeToken(token: string): string {
  return token.replace(/~1/g, "/").replace(/~0/g, "~");
}

function lastToken(pointer: string): string {
  return unescapeToken(pointer.slice(pointer.lastIndexOf("/") + 1));
}

// ---------------------------------------------------------------------------------------------
// Loaders: the only I/O of the command.

/**
 * Where the package's own events.json is: next to the running CLI (dist/cli.js → dist/events.json)
 * or, when running from source (src/*.ts), the one `npm run build` writes to build/generated/.
 */
export function defaultEventsJson(moduleUrl: string = import.meta.url): string {
  const fromSource = moduleUrl.endsWith(".ts");
  return fileURLToPath(new URL(fromSource ? "../../build/generated/events.json" : "./events.json", moduleUrl));
}

/** Reads and checks the shape of an events.json: `file`, or the package's own (see defaultEventsJson). */
export async function loadEventsJson(file?: string): Promise<PublishedEvent[]> {
  const where = file ?? defaultEventsJson();
  // A folder or a device (reading /dev/zero would never end) is refused before it is read.
  const info = await stat(where).catch(() => undefined);
  if (info && !info.isFile()) throw new ValidateInputError(`--events-json ${file ?? where} is not a file: name an events.json`);
  let text: string;
  try {
    text = await readFile(where, "utf8");
  } catch (e) {
    const code = (e as { code?: string }).code ?? (e as Error).message;
    if (file !== undefined) throw new ValidateInputError(`cannot read --events-json ${file} (${code})`);
    throw new ValidateInputError(
      `cannot find the package's events.json at ${where} (${code}); run "npm run build" first, or pass --events-json FILE`,
    );
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (e) {
    throw new ValidateInputError(`${file ?? where} is not JSON: ${(e as Error).message}`);
  }
  if (!Array.isArray(value)) throw new ValidateInputError(`${file ?? where} is not an events.json: it must hold an array of events`);
  return value.map((e, i) => {
    if (!isObject(e) || typeof e.type !== "string" || !isObject(e.schema)) {
      throw new ValidateInputError(`${file ?? where} is not an events.json: entry ${i} lacks a type or a schema`);
    }
    return {
      type: e.type,
      system: typeof e.system === "string" ? e.system : (e.type.split(".")[0] ?? ""),
      topic: typeof e.topic === "string" ? e.topic : "",
      event: typeof e.event === "string" ? e.event : "",
      version: typeof e.version === "number" ? e.version : 1,
      latest: e.latest === true,
      deprecated: e.deprecated === true,
      schema: e.schema,
    };
  });
}

/** What readRecords hands on: each line of an NDJSON file, or the whole text of a JSON file. */
interface RecordSink {
  /** One line (`index` from 0) of `bytes` bytes; a line above the limit comes as "" with its size. */
  line(text: string, index: number, bytes: number): void;
  /** The whole file, or "" with its size (at least the limit + 1) when it is above the limit. */
  document(text: string, bytes: number): void;
}

/** Bytes read at a time. */
const CHUNK_BYTES = 64 * 1024;

/**
 * Reads one input file in chunks. NDJSON is cut into lines at the byte 0x0A (which no multi-byte
 * UTF-8 sequence contains) and each line is decoded on its own, so that a byte that is not UTF-8 is
 * reported with its line; a line above the record limit is counted, not held. A JSON file is read
 * up to the record limit and one byte more. Folders and devices are refused (a device such as
 * /dev/zero never ends); a FIFO is read like a file, so `validate <(…)` works.
 */
async function readRecords(shown: string, full: string, ndjson: boolean, sink: RecordSink): Promise<void> {
  const failed = (e: unknown) => new ValidateInputError(`cannot read ${shown} (${(e as { code?: string }).code ?? (e as Error).message})`);
  const handle = await open(full, "r").catch((e: unknown) => {
    throw failed(e);
  });
  try {
    const info = await handle.stat();
    if (info.isDirectory()) throw new ValidateInputError(`${shown} is a folder: name the event files in it`);
    if (!info.isFile() && !info.isFIFO()) throw new ValidateInputError(`${shown} is not a file: name a JSON or NDJSON file of events`);
    // A JSON file is parsed whole: one known to be too large is not read at all.
    if (!ndjson && info.isFile() && info.size > INSTANCE_LIMITS.recordBytes) {
      sink.document("", info.size);
      return;
    }
    const reader = new LineReader(shown, ndjson, sink);
    for (;;) {
      const buffer = Buffer.allocUnsafe(CHUNK_BYTES);
      const { bytesRead } = await handle.read(buffer, 0, CHUNK_BYTES, null).catch((e: unknown) => {
        throw failed(e);
      });
      if (bytesRead === 0) break;
      if (!reader.push(buffer.subarray(0, bytesRead))) break;
    }
    reader.end();
  } finally {
    await handle.close();
  }
}

/** Cuts chunks of bytes into lines (or one document), holding at most one record's bytes. */
class LineReader {
  private parts: Buffer[] = [];
  private bytes = 0;
  private index = 0;
  // The BOM is dropped at the start of the file only, as a whole-file decode did.
  private readonly first = new TextDecoder("utf-8", { fatal: true });
  private readonly rest = new TextDecoder("utf-8", { fatal: true, ignoreBOM: true });

  constructor(
    private readonly shown: string,
    private readonly ndjson: boolean,
    private readonly sink: RecordSink,
  ) {}

  /** Takes one chunk; false when nothing more is needed (a JSON file past the limit). */
  push(chunk: Buffer): boolean {
    if (!this.ndjson) {
      this.hold(chunk);
      return this.bytes <= INSTANCE_LIMITS.recordBytes;
    }
    let from = 0;
    for (let nl = chunk.indexOf(10, from); nl !== -1; nl = chunk.indexOf(10, from)) {
      this.hold(chunk.subarray(from, nl));
      this.emitLine();
      from = nl + 1;
    }
    this.hold(chunk.subarray(from));
    return true;
  }

  end(): void {
    if (!this.ndjson) {
      const over = this.bytes > INSTANCE_LIMITS.recordBytes;
      // Past the limit the reading stopped: how much more there was is not known.
      this.sink.document(over ? "" : this.decode(Buffer.concat(this.parts), undefined), over ? Number.POSITIVE_INFINITY : this.bytes);
      return;
    }
    // The text after the last newline is a line too, unless there is none.
    if (this.bytes > 0) this.emitLine();
  }

  /** Keeps bytes of the current record while it is within the limit; past it only counts them. */
  private hold(bytes: Buffer): void {
    this.bytes += bytes.length;
    if (this.bytes <= INSTANCE_LIMITS.recordBytes + 1) this.parts.push(bytes);
    else this.parts = [];
  }

  private emitLine(): void {
    const over = this.bytes > INSTANCE_LIMITS.recordBytes;
    const text = over ? "" : this.decode(this.parts.length === 1 ? (this.parts[0] as Buffer) : Buffer.concat(this.parts), this.index);
    this.sink.line(text, this.index, this.bytes);
    this.parts = [];
    this.bytes = 0;
    this.index++;
  }

  /** Decodes one line (`index`) or the whole JSON file (undefined); a bad byte is bad usage, with its line. */
  private decode(bytes: Buffer, index: number | undefined): string {
    try {
      return (index === 0 || index === undefined ? this.first : this.rest).decode(bytes);
    } catch {
      const line = index === undefined ? firstBadLine(bytes) : index + 1;
      throw new ValidateInputError(`${this.shown} is not UTF-8 text: line ${line} holds a byte that is not UTF-8; save the file as UTF-8`);
    }
  }
}

/** The line (from 1) of the first byte that is not UTF-8 in `bytes`, which holds one. */
function firstBadLine(bytes: Buffer): number {
  const decoder = new TextDecoder("utf-8", { fatal: true });
  let line = 1;
  for (let from = 0; from <= bytes.length; line++) {
    const nl = bytes.indexOf(10, from);
    const end = nl === -1 ? bytes.length : nl;
    try {
      decoder.decode(bytes.subarray(from, end));
    } catch {
      return line;
    }
    if (nl === -1) break;
    from = nl + 1;
  }
  return line;
}
