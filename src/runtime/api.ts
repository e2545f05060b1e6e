/**
 * The public API of a generated package, made over its list of event types: `events`, `validate`,
 * `isDomainEvent`, `parseEvent`, `validators` and the `EventValidationError` class. Every entry of
 * the package (the root, ESM and CommonJS, and each system's subpath) calls `createApi` from the
 * one dist/runtime.cjs (src/runtime/index.ts), so there is one error class, and each event's
 * validator is loaded once, on its first use: `require` is synchronous, so `validate` stays
 * synchronous while importing the package loads no validator at all.
 *
 * The values it is given are hostile: nothing here throws for any value (test/runtime-hostile.test.ts,
 * test/fuzz-runtime.test.ts). The declarations of this API are generated with the package
 * (src/generate/declarations.ts); test/runtime.test.ts calls these functions directly.
 */

import { type AjvError, type Issue, issueLine, quote, toIssues } from "./issues.js";

/** A standalone validator as ajv generates it: a predicate that leaves its errors on itself. */
export interface Validator {
  (value: unknown): boolean;
  errors?: readonly AjvError[] | null;
}

/** Loads the validator of one event type (an entry's load.cjs: a `require` of its module). */
export type Load = (type: string) => Validator;

/** One row of an entry's list: [type, typeName, title, flags]; flags: 1 latest, 2 deprecated. */
export type Row = readonly [type: string, typeName: string, title: string, flags: number];

/** One entry of the flat list of events. */
export interface EventInfo {
  readonly type: string;
  readonly system: string;
  readonly topic: string;
  readonly event: string;
  readonly version: number;
  readonly latest: boolean;
  readonly deprecated: boolean;
  readonly typeName: string;
  readonly title: string;
}

/** The result of a validation: the event, or the problems found. */
export type Result = { ok: true; event: unknown } | { ok: false; errors: Issue[] };

/** What createApi returns: the exports of an entry. */
export interface Api {
  events: readonly EventInfo[];
  validate(value: unknown): Result;
  isDomainEvent(value: unknown): boolean;
  parseEvent(value: unknown): unknown;
  validators: Readonly<Record<string, (value: unknown) => Result>>;
}

/** The error parseEvent throws: its message lists the problems, `errors` holds them as data. */
export class EventValidationError extends Error {
  // Declared, not a class field: the constructor sets it after `name`, as the runtime always did.
  declare readonly errors: Issue[];

  constructor(errors: Issue[]) {
    const head = `invalid event (${errors.length} ${errors.length === 1 ? "problem" : "problems"}):`;
    super([head, ...errors.map((e) => `  ${issueLine(e.pointer, e.message, e.keyword)}`)].join("\n"));
    this.name = "EventValidationError";
    this.errors = errors;
  }
}

/**
 * The API over some events. `list` is compact ([type, typeName, title, flags] rows) so that a
 * package of thousands of events imports in milliseconds; `load` gives a type's validator.
 */
export function createApi(list: readonly Row[], load: Load): Api {
  // type → its validator once loaded, null before: only the types of the list are keys. A Map:
  // at 5,000 events, filling a null-prototype object took 2.5 ms of the import, a Map 1 ms.
  const table = new Map<string, Validator | null>();
  const validatorOf = (type: string): Validator => {
    const known = table.get(type);
    if (known) return known;
    const loaded = load(type);
    table.set(type, loaded);
    return loaded;
  };
  // Plain loops and index access: this runs once per event at import, before V8 optimises
  // anything, where destructuring (the iterator protocol) and split cost ten times as much.
  const events: EventInfo[] = new Array(list.length);
  const validators: Record<string, (value: unknown) => Result> = Object.create(null);
  // A type is always four dot-separated names, the last `v<N>` (the build makes it so). The list
  // is sorted by type, so a row's system, topic and event are most often the previous row's: those
  // strings are shared, not cut again from every type.
  let system = "";
  let topic = "";
  let event = "";
  for (let i = 0; i < list.length; i++) {
    const row = list[i] as Row;
    const type = row[0];
    const topicAt = type.indexOf(".") + 1;
    const eventAt = type.indexOf(".", topicAt) + 1;
    const versionAt = type.lastIndexOf(".") + 1;
    system = reuse(system, type, 0, topicAt - 1);
    topic = reuse(topic, type, topicAt, eventAt - 1);
    event = reuse(event, type, eventAt, versionAt - 1);
    let version = 0;
    for (let d = versionAt + 1; d < type.length; d++) version = version * 10 + type.charCodeAt(d) - 48;
    const flags = row[3];
    events[i] = Object.freeze({
      type,
      system,
      topic,
      event,
      version,
      latest: (flags & 1) !== 0,
      deprecated: (flags & 2) !== 0,
      typeName: row[1],
      title: row[2],
    });
    table.set(type, null);
    validators[type] = (value) => run(validatorOf(type), value);
  }

  function validate(value: unknown): Result {
    try {
      if (typeof value !== "object" || value === null || Array.isArray(value)) return notAnObject();
      const type = Object.hasOwn(value, "type") ? (value as { type?: unknown }).type : undefined;
      if (typeof type !== "string" || !table.has(type)) return unknownType(type);
      return run(validatorOf(type), value);
    } catch (e) {
      return exception(e);
    }
  }

  return {
    events: Object.freeze(events),
    validate,
    isDomainEvent: (value) => validate(value).ok,
    parseEvent(value) {
      const result = validate(value);
      if (result.ok) return result.event;
      throw new EventValidationError(result.errors);
    },
    validators: Object.freeze(validators),
  };
}

/** `type.slice(from, to)`, or `previous` when that is the same text. */
function reuse(previous: string, type: string, from: number, to: number): string {
  return previous.length === to - from && type.startsWith(previous, from) ? previous : type.slice(from, to);
}

function notAnObject(): Result {
  const issue = {
    pointer: "",
    keyword: "type",
    message: "must be an object (an event envelope)",
    params: { type: "object" },
    schemaPath: "#/type",
  };
  return { ok: false, errors: [issue] };
}

/** The result for a `type` that names no event of this entry (or is not a string at all). */
function unknownType(type: unknown): Result {
  const message = typeof type === "string" ? `must name a known event type, not ${quote(type)}` : "must be a string naming the event type";
  return { ok: false, errors: [{ pointer: "/type", keyword: "enum", message, params: {}, schemaPath: "#/properties/type" }] };
}

/** Runs one validator: a value that makes it throw (a getter, a proxy trap, deep nesting) is invalid, not a crash. */
function run(fn: Validator, value: unknown): Result {
  try {
    return fn(value) ? { ok: true, event: value } : { ok: false, errors: toIssues(fn.errors) };
  } catch (e) {
    return exception(e);
  }
}

/** A value nested deeper than the call stack, or an object whose getters throw, is invalid: not a crash. */
function exception(e: unknown): Result {
  return { ok: false, errors: [{ pointer: "", keyword: "exception", message: describe(e), params: {}, schemaPath: "#" }] };
}

/**
 * What was thrown is as hostile as the value: a Symbol, a revoked proxy, a proxy whose traps throw,
 * an object whose `message` getter or toString throws. It is never converted to a string; a message
 * is taken only when reading it gives a string, and any throw while looking falls back to a fixed text.
 */
function describe(e: unknown): string {
  try {
    if (e instanceof RangeError) return "is nested too deeply to validate";
    if (typeof e === "string") return `could not be read (${e.slice(0, 200)})`;
    const message = (typeof e === "object" || typeof e === "function") && e !== null ? (e as { message?: unknown }).message : undefined;
    if (typeof message === "string") return `could not be read (${message.slice(0, 200)})`;
  } catch {
    // Looking at it threw too: say nothing about it.
  }
  return "could not be read (reading it threw)";
}
