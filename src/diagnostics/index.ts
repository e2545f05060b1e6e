/**
 * Findings are data. Every stage reports `Diagnostic`s; only the CLI renders them.
 *
 * Each code is registered once in `CODES` (codes.ts) with its stage, severity and one-sentence
 * purpose; `diagnostic()` takes the severity from there, so no reporter chooses it.
 */

import { type Code, type Severity, severityOf } from "./codes.js";

export {
  ALL_CODES,
  CODES,
  type Code,
  type CodeSpec,
  type Severity,
  type Stage,
  severitiesOf,
  severityOf,
  severityText,
  specOf,
} from "./codes.js";

/** A place in a file: a JSON pointer and, where the file could be read, its line and column. */
export interface Location {
  /** Path relative to the current folder, with forward slashes. */
  file: string;
  /** JSON pointer into that file ("" is the whole document). */
  pointer: string;
  /** 1-based line, when the file could be parsed far enough to know it. */
  line?: number;
  /** 1-based column (UTF-16 code units), with `line`. */
  column?: number;
}

/** One finding of one rule in one place. */
export interface Diagnostic extends Location {
  severity: Severity;
  code: Code;
  /** One clause saying what is wrong. */
  message: string;
  /** What to do about it. */
  hint?: string;
  /** A second place that takes part in the finding (the other file of a collision, say). */
  related?: Location;
}

/** The result of a stage: what it made, and what it found on the way. */
export interface StageResult<T> {
  value: T;
  diagnostics: Diagnostic[];
}

/** Line/column lookup for a file, as produced by the parse stage. */
export type Locate = (pointer: string) => { line: number; column: number } | undefined;

/** A locator for findings about a whole file: they point at its first character. */
export const START_OF_FILE: Locate = () => ({ line: 1, column: 1 });

/** Where a finding points besides its own place, how to locate it, and what to do about it. */
export interface DiagnosticExtra {
  hint?: string | undefined;
  related?: Location | undefined;
  locate?: Locate | undefined;
  /** The code's registered exception holds (`warningWhen` in codes.ts): report it as a warning. */
  warning?: boolean | undefined;
}

/**
 * Builds a diagnostic, resolving line and column from the pointer when a locator is given. The
 * severity is the registry's (codes.ts).
 */
export function diagnostic(code: Code, file: string, pointer: string, message: string, extra: DiagnosticExtra = {}): Diagnostic {
  return make(code, file, pointer, message, extra);
}

function make(code: Code, file: string, pointer: string, message: string, extra: DiagnosticExtra): Diagnostic {
  const at = extra.locate?.(pointer);
  const d: Diagnostic = { severity: severityOf(code, extra.warning === true), code, file, pointer, ...(at ?? {}), message };
  if (extra.hint !== undefined) d.hint = extra.hint;
  if (extra.related !== undefined) d.related = extra.related;
  return d;
}

/** Sorts diagnostics by file, then position, then code: the order every output uses. */
export function sortDiagnostics(list: readonly Diagnostic[]): Diagnostic[] {
  return [...list].sort(
    (a, b) =>
      cmp(a.file, b.file) ||
      (a.line ?? 0) - (b.line ?? 0) ||
      (a.column ?? 0) - (b.column ?? 0) ||
      cmp(a.pointer, b.pointer) ||
      cmp(a.code, b.code) ||
      cmp(a.message, b.message),
  );
}

/** True when any diagnostic is an error. */
export function hasErrors(list: readonly Diagnostic[]): boolean {
  return list.some((d) => d.severity === "error");
}

/** Plain code-unit comparison: locale-independent, so output is the same on every machine. */
export function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Escapes one JSON pointer token (RFC 6901). */
export function escapePointer(token: string | number): string {
  const s = String(token);
  // Most tokens need no escape: skip the two replacements (walks build a pointer per subschema).
  if (!s.includes("~") && !s.includes("/")) return s;
  return s.replace(/~/g, "~0").replace(/\//g, "~1");
}

/** Appends tokens to a JSON pointer. */
export function joinPointer(base: string, ...tokens: (string | number)[]): string {
  let out = base;
  for (const t of tokens) out += `/${escapePointer(t)}`;
  return out;
}

/** Splits a JSON pointer into unescaped tokens. */
export function splitPointer(pointer: string): string[] {
  if (pointer === "") return [];
  return pointer
    .slice(1)
    .split("/")
    .map((t) => t.replace(/~1/g, "/").replace(/~0/g, "~"));
}
