/**
 * The one renderer of ajv errors. An ajv error (an `ErrorObject`: keyword, instancePath, params,
 * message) becomes a message that names what it is about — the unknown property, the allowed
 * values, the constant — and a line that says where: "/data: must NOT have additional properties
 * ("colour") [additionalProperties]".
 *
 * It ships in dist/runtime.cjs (the published runtime's `validate` and `parseEvent` use it) and
 * the CLI imports it (src/instances/check.ts: `domain-events validate`; src/stages/validate/: a
 * schema's invalid examples and meta-schema errors), so an event gets the same words from a service and from the command
 * line. Being part of the runtime it depends on nothing, and it never quotes more than
 * QUOTED_CHARS of the input: a key or a `type` may be megabytes long.
 *
 * What to do about an error (the "did you mean" hint) is not rendered here: it needs the schema,
 * which the CLI has and the runtime does not (src/diagnostics/hints.ts, src/instances/hints.ts).
 */

/** An ajv error, reduced to what rendering reads (ajv's `ErrorObject` fits). */
export interface AjvError {
  keyword: string;
  instancePath: string;
  params: Record<string, unknown> | object;
  message?: string | undefined;
  schemaPath?: string;
}

/** One problem found in a value, located by a JSON pointer into the value (the runtime's `ValidationIssue`). */
export interface Issue {
  /** JSON pointer into the validated value ("" is the value itself). */
  pointer: string;
  /** The JSON Schema keyword that failed ("exception" when reading the value threw). */
  keyword: string;
  message: string;
  params: Record<string, unknown>;
  /** Where the rule is in the event's schema. */
  schemaPath: string;
}

/** Characters of input quoted in one message; longer text is shortened with "…". */
export const QUOTED_CHARS = 120;

/** Text from the input (a pointer, a key), cut at QUOTED_CHARS. */
export function shorten(text: string): string {
  return text.length <= QUOTED_CHARS ? text : `${text.slice(0, QUOTED_CHARS)}…`;
}

/** JSON text of a value from the input, shortened to QUOTED_CHARS. */
export function quote(value: unknown): string {
  return shorten(JSON.stringify(value) ?? String(value));
}

/**
 * ajv's message with what its params name: `must NOT have additional properties ("colour")`,
 * `must be equal to one of the allowed values: "card", "sepa-debit"`, `must be equal to constant: "1.0"`.
 */
export function errorMessage(e: AjvError): string {
  return `${e.message || "is invalid"}${errorDetail(e)}`;
}

/** What ajv's message leaves out: the property it is about, or the values it allows ("" when nothing). */
export function errorDetail(e: AjvError): string {
  const p = e.params as Record<string, unknown>;
  if (typeof p.additionalProperty === "string") return ` (${quote(p.additionalProperty)})`;
  if (typeof p.unevaluatedProperty === "string") return ` (${quote(p.unevaluatedProperty)})`;
  if (e.keyword === "enum" && Array.isArray(p.allowedValues)) return `: ${p.allowedValues.map((v) => JSON.stringify(v)).join(", ")}`;
  if (e.keyword === "const") return `: ${JSON.stringify(p.allowedValue)}`;
  return "";
}

/** One problem as a line: "/data/amount: must be number [type]"; the value itself is "(event)". */
export function issueLine(pointer: string, message: string, keyword: string): string {
  return `${shorten(pointer) || "(event)"}: ${message} [${keyword}]`;
}

/** The issues of a validator's errors, each with its rendered message. */
export function toIssues(errors: readonly AjvError[] | null | undefined): Issue[] {
  return (errors ?? []).map((e) => ({
    pointer: e.instancePath,
    keyword: e.keyword,
    message: errorMessage(e),
    params: e.params as Record<string, unknown>,
    schemaPath: e.schemaPath ?? "#",
  }));
}
