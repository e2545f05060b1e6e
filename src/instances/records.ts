/**
 * The records of an input file and the findings of a run. A record (a line of NDJSON, or a whole
 * JSON file) is parsed with positions: a syntax error or a duplicate key is a finding here, and the
 * event it holds goes on to check.ts with a `locate` into the file. Findings are kept up to
 * INSTANCE_LIMITS and counted past them, so that memory stays bounded whatever the input.
 */

import { jsonSyntaxHint } from "../diagnostics/hints.js";
import { type Code, type Diagnostic, diagnostic, type Locate, severityOf } from "../diagnostics/index.js";
import { quote, shorten } from "../runtime/issues.js";
import { type Position, parseJson } from "../schema/json.js";
import { INSTANCE_LIMITS, isNdjson } from "./types.js";

// ---------------------------------------------------------------------------------------------
// Findings: the first ones kept, the rest counted.

/** A diagnostic, made only when it will be kept (a hint can cost a search). */
export type MakeDiagnostic = () => Diagnostic;

/** The findings of a run: the first INSTANCE_LIMITS.keptFindings (and keptChars) kept, the rest counted by severity. */
export class Findings {
  readonly kept: Diagnostic[] = [];
  readonly omitted = { errors: 0, warnings: 0 };
  private chars = 0;

  add(code: Code, make: MakeDiagnostic): void {
    const severity = severityOf(code);
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

// ---------------------------------------------------------------------------------------------
// Records: the events of one file, each with where it sits in the file.

/** One event of an input file. */
export interface EventRecord {
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

/** Parses one JSON text that starts on line `lineOffset + 1` of the file. */
export function parse(file: string, text: string, lineOffset: number, out: Findings): { value: unknown; locate: Locate } | undefined {
  const shift = (p: Position): Position => ({ line: p.line + lineOffset, column: p.column });
  const parsed = parseJson(text);
  if (parsed.error) {
    const at = shift(parsed.error.at);
    const { message } = parsed.error;
    out.add("EVENT_SYNTAX", () =>
      diagnostic("EVENT_SYNTAX", file, "", message, { hint: eventSyntaxHint(file, message), locate: () => at }),
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
    out.add("EVENT_DUPLICATE_KEY", () =>
      diagnostic("EVENT_DUPLICATE_KEY", file, shorten(d.pointer), `the key ${quote(lastToken(d.pointer))} appears twice in one object`, {
        hint: `keep one of the two (the first is at line ${first.line}, column ${first.column}); JSON parsers differ in which one they keep`,
        locate: () => shift(d.at),
      }),
    );
  }
  return { value: parsed.value, locate };
}

/** `/a/b~1c` → `b/c`: the key a pointer ends with, unescaped. */
function lastToken(pointer: string): string {
  return pointer
    .slice(pointer.lastIndexOf("/") + 1)
    .replace(/~1/g, "/")
    .replace(/~0/g, "~");
}
