/**
 * validate: checks event instances against the package's published schemas, for services that keep
 * fixture or contract-test events in their own repository.
 *
 *   readInstanceFiles (read, UTF-8)  →  validateInstances (split into records, parse with positions,
 *   pick each record's schema, validate with ajv, locate every finding)  →  the CLI renders
 *
 * Inputs: a `.ndjson`/`.jsonl` file holds one event per non-empty line; any other file is JSON
 * holding one event or an array of events. The schemas are the entries of `events.json` (DESIGN
 * §5), each the envelope with `type` fixed and `data` bundled under `$defs`; only the types that
 * occur are compiled. `loadEventsJson` finds the package's own events.json next to the running CLI.
 */

import { readFile } from "node:fs/promises";
import path from "node:path";
import { fileURLToPath } from "node:url";
import type { ErrorObject, ValidateFunction } from "ajv";
import { type AjvSet, createAjvSet, DIALECT_URIS } from "./ajv.js";
import { type Diagnostic, diagnostic, joinPointer, type Locate, type Severity, type StageResult, sortDiagnostics } from "./diagnostics.js";
import type { EventEntry } from "./generate/index.js";
import { jsonSyntaxHint, valueFix } from "./hints.js";
import { type Position, parseJson } from "./json.js";

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
  const catalog = new Catalog(entries);
  const forced = options.type === undefined ? undefined : catalog.get(options.type);
  if (options.type !== undefined && forced === undefined) {
    throw new ValidateInputError(
      `--type ${JSON.stringify(options.type)} is not an event type of this package; ${catalog.near(options.type)}`,
    );
  }
  const diagnostics: Diagnostic[] = [];
  let events = 0;
  for (const input of files) {
    for (const record of records(input, diagnostics)) {
      events++;
      checkEvent(record, catalog, forced, diagnostics);
    }
  }
  return { value: { files: files.length, events }, diagnostics: sortDiagnostics(diagnostics) };
}

/** The summary line of a run: "validated 3 events in 2 files". */
export function summaryLine(s: InstancesSummary): string {
  const n = (count: number, word: string) => `${count} ${word}${count === 1 ? "" : "s"}`;
  return `validated ${n(s.events, "event")} in ${n(s.files, "file")}`;
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

/** Splits a file into its events, reporting syntax errors and duplicate keys on the way. */
function records(input: InstanceFile, out: Diagnostic[]): EventRecord[] {
  if (!isNdjson(input.file)) {
    const parsed = parse(input.file, input.text, 0, out);
    if (parsed === undefined) return [];
    const { value, locate } = parsed;
    if (!Array.isArray(value)) return [{ file: input.file, value, prefix: "", locate }];
    return value.map((item, i) => ({ file: input.file, value: item, prefix: joinPointer("", i), locate }));
  }
  const found: EventRecord[] = [];
  input.text.split("\n").forEach((line, i) => {
    if (line.trim() === "") return;
    const parsed = parse(input.file, line, i, out);
    if (parsed !== undefined) found.push({ file: input.file, value: parsed.value, prefix: "", locate: parsed.locate });
  });
  return found;
}

/** Parses one JSON text that starts on line `lineOffset + 1` of the file. */
function parse(file: string, text: string, lineOffset: number, out: Diagnostic[]): { value: unknown; locate: Locate } | undefined {
  const shift = (p: Position): Position => ({ line: p.line + lineOffset, column: p.column });
  const parsed = parseJson(text);
  if (parsed.error) {
    const at = shift(parsed.error.at);
    out.push(
      diagnostic("error", "EVENT_SYNTAX", file, "", parsed.error.message, {
        hint: eventSyntaxHint(file, parsed.error.message),
        locate: () => at,
      }),
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
    out.push(
      diagnostic(
        "error",
        "EVENT_DUPLICATE_KEY",
        file,
        d.pointer,
        `the key ${JSON.stringify(lastToken(d.pointer))} appears twice in one object`,
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

function checkEvent(record: EventRecord, catalog: Catalog, forced: PublishedEvent | undefined, out: Diagnostic[]): void {
  const report = (severity: Severity, code: Diagnostic["code"], pointer: string, message: string, hint?: string) =>
    out.push(diagnostic(severity, code, record.file, record.prefix + pointer, message, { hint, locate: record.locate }));

  const { value } = record;
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    report(
      "error",
      "EVENT_INVALID",
      "",
      "(event): must be an object, a CloudEvents envelope [type]",
      "an event is an object with specversion, id, source, type, time, datacontenttype, clientaccountid and data",
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
      `/type: is ${JSON.stringify(own)}, but --type requires ${JSON.stringify(forced.type)} [const]`,
      "keep one event type per file with --type, or leave --type out to validate each event against its own type",
    );
    return;
  }
  if (entry === undefined) {
    if (typeof own !== "string") {
      const message = own === undefined ? "(event): has no type, so no schema applies" : "/type: must be a string naming the event type";
      report("error", "EVENT_UNKNOWN_TYPE", "/type", message, `set type to an event type of this package, e.g. ${catalog.example()}`);
      return;
    }
    entry = catalog.get(own);
    if (entry === undefined) {
      report(
        "error",
        "EVENT_UNKNOWN_TYPE",
        "/type",
        `/type: ${JSON.stringify(own)} is not an event type of this package`,
        catalog.near(own),
      );
      return;
    }
  }
  if (entry.deprecated) {
    const latest = catalog.latestOf(entry);
    report(
      "warning",
      "EVENT_DEPRECATED",
      "/type",
      `/type: ${entry.type} is deprecated`,
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
      `(event): could not be validated (${(e as Error).message}) [exception]`,
      "make the event less deeply nested: no real event nests this deep",
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
        `/type: is ${JSON.stringify(own)}, but --type requires ${JSON.stringify(forced.type)} [const]`,
        `set type to ${forced.type}`,
      );
      continue;
    }
    const message = `${e.instancePath || "(event)"}: ${e.message ?? "is invalid"}${describeParams(e)} [${e.keyword}]`;
    report("error", "EVENT_INVALID", pointer, message, hintFor(e, entry.schema) ?? valueFix(e));
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
  if (typeof p.additionalProperty === "string") return ` (${JSON.stringify(p.additionalProperty)})`;
  if (typeof p.unevaluatedProperty === "string") return ` (${JSON.stringify(p.unevaluatedProperty)})`;
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
    const near = props.filter((name) => name.toLowerCase() === extra.toLowerCase() || distance(name, extra) <= 2);
    return near.length > 0
      ? `did you mean ${near.join(" or ")}?`
      : `remove ${JSON.stringify(extra)}: the properties allowed here are ${props.join(", ")}`;
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
    this.nearCache.set(type, hint);
    return hint;
  }

  private computeNear(type: string): string {
    const label = (e: PublishedEvent) => `${e.type}${e.latest ? " (latest)" : e.deprecated ? " (deprecated)" : ""}`;
    const base = baseOf(type);
    const versions = this.versionsOf(base);
    if (versions.length > 0) return `use one of the versions of ${base}: ${versions.map(label).join(", ")}`;
    const bases = [...new Set(this.entries.map((e) => baseOf(e.type)))];
    const scored = bases.map((b) => ({ b, d: distance(b, base) })).sort((x, y) => x.d - y.d || (x.b < y.b ? -1 : 1));
    const best = scored[0];
    if (best && best.d <= Math.max(3, Math.floor(base.length / 6))) {
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

/** Levenshtein distance, for near names. */
function distance(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    for (let j = 1; j <= b.length; j++) {
      row[j] = Math.min((prev[j] as number) + 1, (row[j - 1] as number) + 1, (prev[j - 1] as number) + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    prev = row;
  }
  return prev[b.length] as number;
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
  return fileURLToPath(new URL(fromSource ? "../build/generated/events.json" : "./events.json", moduleUrl));
}

/** Reads and checks the shape of an events.json: `file`, or the package's own (see defaultEventsJson). */
export async function loadEventsJson(file?: string): Promise<PublishedEvent[]> {
  const where = file ?? defaultEventsJson();
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

/**
 * Reads the input files as UTF-8 text. A file that cannot be read, or is not UTF-8, is bad usage
 * (ValidateInputError). Paths in the result are relative to `cwd`, with forward slashes.
 */
export async function readInstanceFiles(paths: readonly string[], cwd: string = process.cwd()): Promise<InstanceFile[]> {
  const decoder = new TextDecoder("utf-8", { fatal: true });
  const out: InstanceFile[] = [];
  for (const p of paths) {
    const full = path.resolve(cwd, p);
    const file = path.relative(cwd, full).split(path.sep).join("/") || p;
    let bytes: Uint8Array;
    try {
      bytes = await readFile(full);
    } catch (e) {
      throw new ValidateInputError(`cannot read ${p} (${(e as { code?: string }).code ?? (e as Error).message})`);
    }
    try {
      out.push({ file, text: decoder.decode(bytes) });
    } catch {
      throw new ValidateInputError(`${p} is not UTF-8 text`);
    }
  }
  return out;
}
