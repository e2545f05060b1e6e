/**
 * The runtime part of the generated module: the same for every events tree. It is emitted as text
 * into index.js and index.d.ts so that the output imports nothing but ajv-formats' format checks.
 * Its behaviour is tested through emitted modules (test/runtime.test.ts), its declarations by tsc.
 */

import { ENVELOPE_PROPERTIES, ENVELOPE_REQUIRED } from "../envelope.js";

/** Helpers that ajv's standalone code calls (it would `require` them from ajv/dist/runtime). */
export const RUNTIME_HELPERS_JS = `/** Length in code points, as JSON Schema counts string length. */
function __ucs2length(str) {
  let length = 0;
  for (let i = 0; i < str.length; i++) {
    const c = str.charCodeAt(i);
    if (c >= 0xd800 && c <= 0xdbff && i + 1 < str.length) {
      const n = str.charCodeAt(i + 1);
      if ((n & 0xfc00) === 0xdc00) i++;
    }
    length++;
  }
  return length;
}
/** Deep equality of JSON values, for const, enum and uniqueItems. */
function __equal(a, b) {
  if (a === b) return true;
  if (typeof a !== "object" || typeof b !== "object" || a === null || b === null) return a !== a && b !== b;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  if (Array.isArray(a)) return a.length === b.length && a.every((v, i) => __equal(v, b[i]));
  const keys = Object.keys(a);
  if (keys.length !== Object.keys(b).length) return false;
  return keys.every((k) => Object.prototype.hasOwnProperty.call(b, k) && __equal(a[k], b[k]));
}
`;

/** The public API over the validators table `__validators` (type → ajv validate function). */
export const RUNTIME_API_JS = `function __issues(errors) {
  return (errors || []).map((e) => ({
    pointer: e.instancePath,
    keyword: e.keyword,
    message: e.message || "is invalid",
    params: e.params,
    schemaPath: e.schemaPath,
  }));
}
// A value nested deeper than the call stack, or an object whose getters throw, is invalid: not a crash.
function __exception(e) {
  const message = e instanceof RangeError ? "is nested too deeply to validate" : "could not be read (" + String(e && e.message) + ")";
  return { ok: false, errors: [{ pointer: "", keyword: "exception", message, params: {}, schemaPath: "#" }] };
}
function __run(fn, value) {
  try {
    return fn(value) ? { ok: true, event: value } : { ok: false, errors: __issues(fn.errors) };
  } catch (e) {
    return __exception(e);
  }
}

/** Validates a value against the schema of the event its \`type\` names. */
export function validate(value) {
  try {
    return __validate(value);
  } catch (e) {
    return __exception(e);
  }
}
function __validate(value) {
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    return { ok: false, errors: [{ pointer: "", keyword: "type", message: "must be an object (an event envelope)", params: { type: "object" }, schemaPath: "#/type" }] };
  }
  const type = Object.prototype.hasOwnProperty.call(value, "type") ? value.type : undefined;
  if (typeof type !== "string" || !Object.prototype.hasOwnProperty.call(__validators, type)) {
    const message = typeof type === "string" ? "must name a known event type, not " + JSON.stringify(type) : "must be a string naming the event type";
    return { ok: false, errors: [{ pointer: "/type", keyword: "enum", message, params: {}, schemaPath: "#/properties/type" }] };
  }
  return __run(__validators[type], value);
}

/** True when the value is a valid event of this package. */
export function isDomainEvent(value) {
  return validate(value).ok;
}

/** The error parseEvent throws: its message lists every problem, \`errors\` holds them as data. */
export class EventValidationError extends Error {
  constructor(errors) {
    const lines = errors.map((e) => "  " + (e.pointer || "(root)") + ": " + e.message + " (" + e.keyword + ")");
    super("invalid event (" + errors.length + (errors.length === 1 ? " problem" : " problems") + "):\\n" + lines.join("\\n"));
    this.name = "EventValidationError";
    this.errors = errors;
  }
}

/** Returns the value as a typed event, or throws an EventValidationError that lists every problem. */
export function parseEvent(value) {
  const result = validate(value);
  if (result.ok) return result.event;
  throw new EventValidationError(result.errors);
}

/** One validator per event type (a null-prototype object: only event types are keys). */
export const validators = Object.freeze(
  Object.assign(
    Object.create(null),
    Object.fromEntries(Object.keys(__validators).map((type) => [type, (value) => __run(__validators[type], value)])),
  ),
);
`;

/** The declarations of the runtime API. */
export const RUNTIME_API_DTS = `/** One problem found in a value, located by a JSON pointer into the value. */
export interface ValidationIssue {
  /** JSON pointer into the validated value ("" is the value itself). */
  pointer: string;
  /** The JSON Schema keyword that failed. */
  keyword: string;
  message: string;
  params: Record<string, unknown>;
  /** Where the rule is in the event's schema. */
  schemaPath: string;
}

/** The result of a validation: the typed event, or every problem found. */
export type ValidationResult<E> = { ok: true; event: E } | { ok: false; errors: ValidationIssue[] };

/** One entry of the flat list of events. */
export interface EventInfo {
  readonly type: EventType;
  readonly system: string;
  readonly topic: string;
  readonly event: string;
  readonly version: number;
  /** True for the highest version of the event. */
  readonly latest: boolean;
  readonly deprecated: boolean;
  /** The name of the event's TypeScript type. */
  readonly typeName: string;
  readonly title: string;
  readonly description: string;
}

/** The flat list of every event version, sorted by type. */
export declare const events: readonly EventInfo[];

/** Validates a value against the schema of the event its \`type\` names. */
export declare function validate(value: unknown): ValidationResult<DomainEvent>;

/** True when the value is a valid event of this package. */
export declare function isDomainEvent(value: unknown): value is DomainEvent;

/** Returns the value as a typed event, or throws an EventValidationError that lists every problem. */
export declare function parseEvent(value: unknown): DomainEvent;

/** The error parseEvent throws: its message lists every problem, \`errors\` holds them as data. */
export declare class EventValidationError extends Error {
  readonly errors: readonly ValidationIssue[];
  constructor(errors: ValidationIssue[]);
}

/** One validator per event type. */
export declare const validators: { readonly [T in EventType]: (value: unknown) => ValidationResult<EventOf<T>> };
`;

/** The envelope interface, made from the one envelope definition (src/envelope.ts). */
export function envelopeDts(): string {
  const required: readonly string[] = ENVELOPE_REQUIRED;
  const fields = Object.entries(ENVELOPE_PROPERTIES).map(([name, p]) => {
    const type = name === "type" ? "T" : name === "data" ? "D" : "const" in p ? JSON.stringify(p.const) : "string";
    return `  /** ${p.description} */\n  ${name}${required.includes(name) ? "" : "?"}: ${type};`;
  });
  return `/** The CloudEvents 1.0 envelope every event travels in; \`type\` names the event, \`data\` is its payload. */
export interface EventEnvelope<T extends string = string, D = unknown> {
${fields.join("\n")}
}
`;
}

/** The union of all events and the types derived from it. */
export function eventUnionDts(union: string): string {
  return [
    `/** Every event of this package, discriminated by \`type\`. */\nexport type DomainEvent =${union};\n`,
    '/** The type strings of all events. */\nexport type EventType = DomainEvent["type"];\n',
    "/** The event whose type is T. */\nexport type EventOf<T extends EventType> = Extract<DomainEvent, { type: T }>;\n",
  ].join("\n");
}

/** The globals the declarations above use: a generated type of the same name would shadow them. */
const GLOBALS_USED = ["Error", "Extract", "Record"];

/** Names that index.d.ts declares itself or takes from the global scope: no generated type may take one. */
export function reservedNames(): ReadonlySet<string> {
  const text = RUNTIME_API_DTS + envelopeDts() + eventUnionDts(" never");
  const declared = [...text.matchAll(/export (?:declare )?(?:interface|type|const|function|class) (\w+)/g)].map((m) => m[1] as string);
  return new Set([...declared, ...GLOBALS_USED]);
}
