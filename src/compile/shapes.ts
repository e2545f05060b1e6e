/**
 * The shapes of the build cache's entries: one small type guard per kind of entry, which a reader
 * passes to readEntry (compile/cache.ts). An entry's checksum says that its bytes are the ones written
 * under its key; its shape says that they are what this version of the code reads. An entry that
 * passes both is used; any other is ignored, and the result is made again and written over it.
 * The guards check everything the code reads from an entry, and that what generated code is
 * spliced from (a validator's imports, shared names) is only identifiers.
 */

import type { ErrorObject } from "ajv";
import { CODES, type Diagnostic } from "../diagnostics/index.js";
import type { ChainVerdict } from "../model/events-json.js";
import type { PatternVerdict } from "../schema/redos.js";
import type { DefinitionKey, SchemaFacts } from "../stages/validate/index.js";
import type { UnitOutput } from "./compile.js";

/** A guard an entry's reader passes: true when the value has the shape the reader expects. */
export type Shape<T> = (value: unknown) => value is T;

/** A unit's verdict from the compile stage (without its validator's code, an entry of its own). */
export type CompileEntry = Omit<UnitOutput, "rel" | "validator">;
/** An event's validator's code. */
export type CodeEntry = Required<Pick<UnitOutput, "validator">>;

const IDENTIFIER = /^[A-Za-z_$][\w$]*$/;

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function isString(value: unknown): value is string {
  return typeof value === "string";
}

function isCount(value: unknown): value is number {
  return typeof value === "number" && Number.isSafeInteger(value) && value >= 0;
}

function isArrayOf<T>(value: unknown, item: (v: unknown) => v is T): value is T[] {
  return Array.isArray(value) && value.every(item);
}

function isPair<A, B>(value: unknown, a: (v: unknown) => v is A, b: (v: unknown) => v is B): value is [A, B] {
  return Array.isArray(value) && value.length === 2 && a(value[0]) && b(value[1]);
}

/** One of ajv's errors, as compileDiagnostics reads it. */
function isAjvError(value: unknown): value is ErrorObject {
  return (
    isRecord(value) &&
    isString(value.keyword) &&
    isString(value.instancePath) &&
    isString(value.schemaPath) &&
    isRecord(value.params) &&
    (value.message === undefined || isString(value.message))
  );
}

/** The compile stage's verdict on one unit: a compile error, and the examples that failed. */
export const isCompileEntry: Shape<CompileEntry> = (value): value is CompileEntry =>
  isRecord(value) &&
  (value.compileError === undefined || isString(value.compileError)) &&
  isArrayOf(
    value.invalidExamples,
    (e): e is CompileEntry["invalidExamples"][number] => isRecord(e) && isCount(e.index) && isArrayOf(e.errors, isAjvError),
  );

/** An event's validator: its module body, the shared functions it imports (identifiers), all it reaches. */
export const isCodeEntry: Shape<CodeEntry> = (value): value is CodeEntry =>
  isRecord(value) && isRecord(value.validator) && isString(value.validator.body) && isLinksEntry(value.validator);

/**
 * What an event's validator links to (kept apart from its body: a build that links the module needs
 * no body), and the body's length (what the code pack's compaction counts it as: compile/pack.ts).
 */
export type LinksEntry = Omit<CodeEntry["validator"], "body"> & { bodyLength?: number };

/** The shared functions a validator imports (identifiers), and all it reaches ([name, key]). */
export const isLinksEntry: Shape<LinksEntry> = (value): value is LinksEntry =>
  isRecord(value) &&
  isArrayOf(value.imports, (i): i is string => isString(i) && IDENTIFIER.test(i)) &&
  isArrayOf(value.shared, (s): s is [string, string] => isPair(s, isString, isString) && IDENTIFIER.test(s[0])) &&
  (value.bodyLength === undefined || isCount(value.bodyLength));

/** A shared function's code. */
export const isSharedCodeEntry: Shape<{ code: string }> = (value): value is { code: string } => isRecord(value) && isString(value.code);

/** One types root's declarations. */
export const isTypesEntry: Shape<{ types: string }> = (value): value is { types: string } => isRecord(value) && isString(value.types);

const KEY = /^[0-9a-f]{64}$/;

/** The content key a unit's file's bytes were found to have (compile/index.ts). */
export const isAliasEntry: Shape<{ key: string }> = (value): value is { key: string } =>
  isRecord(value) && isString(value.key) && KEY.test(value.key);

/** The content key of a declarations root its files' bytes were found to have, and the shared types it names. */
export const isTypesAliasEntry: Shape<{ key: string; shared: string[] }> = (value): value is { key: string; shared: string[] } =>
  isAliasEntry(value) && isArrayOf((value as { shared?: unknown }).shared, (n): n is string => isString(n) && IDENTIFIER.test(n));

/** A file's bytes parse without a finding. */
export const isParseEntry: Shape<true> = (value): value is true => value === true;

/** A file passes validate's per-file checks, given the bytes (hashes) of the files it refers to. */
export const isValidateEntry: Shape<ValidateEntry> = (value): value is ValidateEntry =>
  isRecord(value) &&
  isArrayOf(value.refs, (r): r is [string, string | null] => isPair(r, isString, (h): h is string | null => h === null || isString(h))) &&
  (value.dialect === "2020-12" || value.dialect === "draft-07") &&
  typeof value.deprecated === "boolean" &&
  isString(value.title) &&
  isArrayOf(value.definitions, (d): d is DefinitionKey =>
    isPair(d, (c): c is DefinitionKey[0] => c === "$defs" || c === "definitions", isString),
  );

/** A file that passed every per-file check: the bytes of the files it refers to then, and its facts. */
export interface ValidateEntry extends SchemaFacts {
  refs: [string, string | null][];
}

/** The ReDoS analyser's verdict on a pattern. */
export const isPatternVerdict: Shape<PatternVerdict> = (value): value is PatternVerdict => {
  if (!isRecord(value)) return false;
  switch (value.status) {
    case "safe":
      return true;
    case "vulnerable":
      return isString(value.complexity) && (value.attack === undefined || isString(value.attack));
    case "unknown":
      return isString(value.reason) && (value.searched === undefined || typeof value.searched === "boolean");
    default:
      return false;
  }
};

const CHAIN_VERDICTS: readonly unknown[] = ["backward", "forward", "full", "none"] satisfies ChainVerdict[];

/** The compatibility verdict of one version step. */
export const isChainEntry: Shape<{ verdict: ChainVerdict }> = (value): value is { verdict: ChainVerdict } =>
  isRecord(value) && CHAIN_VERDICTS.includes(value.verdict);

function isLocation(value: unknown): boolean {
  return (
    isRecord(value) &&
    isString(value.file) &&
    isString(value.pointer) &&
    (value.line === undefined || isCount(value.line)) &&
    (value.column === undefined || isCount(value.column))
  );
}

/** A diagnostic as the renderers read it (kept in a build's stamp). */
export const isDiagnostic: Shape<Diagnostic> = (value): value is Diagnostic =>
  isLocation(value) &&
  isRecord(value) &&
  (value.severity === "error" || value.severity === "warning") &&
  isString(value.code) &&
  Object.hasOwn(CODES, value.code) &&
  isString(value.message) &&
  (value.hint === undefined || isString(value.hint)) &&
  (value.related === undefined || isLocation(value.related));

export { isArrayOf, isCount, isRecord, isString };
