/**
 * The scanner behind `guardCode` (ajv.ts): finds the first thing in generated JavaScript that must
 * never be there (a comment other than ajv's sourceURL comment of a safe id, a line comment, a
 * template literal), reading the text once.
 *
 * It sits under schema/ beside the ajv set-up that calls it on every text ajv compiles, and
 * compile/split.ts and generate/ call it again on every validator module they publish: at 1,000
 * events that is tens of megabytes on every build, cached or not, so it must cost little. It
 * replaces a global regex whose look-behind (`(?<=[(=,:]\s*)`) was tried at every position of
 * every validator, and which allocated a match for every string literal. The accept set and the
 * messages are exactly the regex's: the tokens below are its alternatives in its order, and
 * test/code-guard.test.ts keeps the regex as the reference and compares the two on generated and
 * real code.
 *
 * The tokens, tried at each position in this order; a position where none matches is skipped:
 * - a regular-expression literal: a `/` whose nearest preceding non-space character is `(`, `=`,
 *   `,` or `:` (ajv writes literals as a call's argument, `.replace(/~/g, "~0")`, or a constant,
 *   `const c = /^[a-z'*+/=?^_`{|}~-]+$/i`), not followed by `*` or `/`; its body is characters other
 *   than `/`, `\`, `[` and a newline, escapes (`\` and any character but a line terminator) and
 *   classes (`[`…`]`, which may hold `/` and backticks, no newline), then `/` and the flags;
 * - a string literal in `"` or `'`: characters other than its quote, `\` and a newline, or escapes;
 * - a block comment up to the first `*∕`, or the two characters `/*` when none follows;
 * - `//` and a backtick.
 * Only `"`, `'`, `/` and a backtick start a token, so the scan jumps from one to the next with
 * indexOf (native, many times faster than reading code units in JavaScript), and crosses a string
 * literal from one escape to the next the same way. A string or regex literal that does not end (a
 * newline or the end of the text first) is no token, and scanning goes on at its next character,
 * as the regex did. Such literals never occur in ajv's output; on other text each one rescans up
 * to the line's end, no worse than the regex's own backtracking.
 */

import { isSpace } from "../runtime/formats.js";

/** Says whether a block comment (`/*` to `*∕`, both included) is one the generated code may hold. */
export type CommentCheck = (comment: string) => boolean;

const LF = 0x0a;
const CR = 0x0d;
const DOUBLE_QUOTE = 0x22;
const PAREN = 0x28;
const STAR = 0x2a;
const COMMA = 0x2c;
const SLASH = 0x2f;
const COLON = 0x3a;
const EQUALS = 0x3d;
const BRACKET = 0x5b;
const BACKSLASH = 0x5c;
const CLOSE_BRACKET = 0x5d;
const BACKTICK = 0x60;
const LOWER_A = 0x61;
const LOWER_Z = 0x7a;

/** No match at this position (a literal that does not end), or no such character. */
const NONE = -1;

/**
 * Where the next occurrence of one character is, at or after a position: found with indexOf and
 * remembered while the scan moves forward, so that each character is searched for once over the
 * text. After a literal that does not end the scan steps back, and the search is made again.
 */
class NextIndex {
  private from = 0;
  private at = NONE;

  constructor(
    private readonly code: string,
    private readonly char: string,
  ) {}

  /** The index of the first occurrence at or after `position`, or the text's length when there is none. */
  after(position: number): number {
    if (position < this.from || position > this.at) {
      const found = this.code.indexOf(this.char, position);
      this.from = position;
      this.at = found === NONE ? this.code.length : found;
    }
    return this.at;
  }
}

/** The characters the scan jumps to, each with its own search. */
interface Marks {
  doubleQuote: NextIndex;
  singleQuote: NextIndex;
  slash: NextIndex;
  backtick: NextIndex;
  backslash: NextIndex;
  newline: NextIndex;
}

/**
 * The first problem in `code`, as the message guardCode throws with, or undefined when there is
 * none. `isAllowedComment` decides each block comment (ajv.ts knows which ones ajv writes).
 */
export function findUnsafeCode(code: string, isAllowedComment: CommentCheck): string | undefined {
  const n = code.length;
  const marks: Marks = {
    doubleQuote: new NextIndex(code, '"'),
    singleQuote: new NextIndex(code, "'"),
    slash: new NextIndex(code, "/"),
    backtick: new NextIndex(code, "`"),
    backslash: new NextIndex(code, "\\"),
    newline: new NextIndex(code, "\n"),
  };
  let i = 0;
  for (;;) {
    // Only these four characters start a token: whatever lies between them is passed over unread.
    i = Math.min(marks.doubleQuote.after(i), marks.singleQuote.after(i), marks.slash.after(i), marks.backtick.after(i));
    if (i >= n) return undefined;
    const c = code.charCodeAt(i);
    if (c === BACKTICK) return `unexpected \` in generated code: ${around(code, i)}`;
    if (c === SLASH) {
      const problem = slashProblem(code, i, isAllowedComment);
      if (typeof problem === "string") return problem;
      i = problem;
    } else {
      const end = stringEnd(code, i, c === DOUBLE_QUOTE ? marks.doubleQuote : marks.singleQuote, marks);
      i = end === NONE ? i + 1 : end;
    }
  }
}

/**
 * What the `/` at `i` starts: a comment (the message when it is not allowed), `//` (always a
 * message), a regex literal, or nothing. Returns the message, or the index to go on from.
 */
function slashProblem(code: string, i: number, isAllowedComment: CommentCheck): string | number {
  const next = i + 1 < code.length ? code.charCodeAt(i + 1) : NONE;
  if (next === STAR) {
    const close = code.indexOf("*/", i + 2);
    // No `*∕` after it: the token is the two characters `/*` alone, which no check allows.
    const comment = close === NONE ? "/*" : code.slice(i, close + 2);
    if (close === NONE || !isAllowedComment(comment)) return `unexpected comment in generated code: ${comment.slice(0, 80)}`;
    return close + 2;
  }
  if (next === SLASH) return `unexpected // in generated code: ${around(code, i)}`;
  const end = startsRegexLiteral(code, i) ? regexLiteralEnd(code, i) : NONE;
  return end === NONE ? i + 1 : end;
}

/** The text around a bad token at `index` that the message shows: 80 characters before it, 40 from it. */
function around(code: string, index: number): string {
  return code.slice(Math.max(0, index - 80), index + 40);
}

/**
 * Where the string literal opened at `start` ends (the index after its closing quote), or NONE:
 * from one escape to the next, the closing quote must come before any newline.
 */
function stringEnd(code: string, start: number, quote: NextIndex, marks: Marks): number {
  const n = code.length;
  let j = start + 1;
  for (;;) {
    const close = quote.after(j);
    const backslash = marks.backslash.after(j);
    const newline = marks.newline.after(j);
    if (close < backslash && close < newline) return close + 1;
    if (newline < backslash || backslash >= n || !escapes(code, backslash)) return NONE;
    j = backslash + 2;
  }
}

/**
 * Whether the `/` at `slash` may open a regex literal: the nearest character before it that is not
 * white space (JavaScript's `\s`) is `(`, `=`, `,` or `:`. Each run of white space is read back
 * over once at most, by the slash that follows it.
 */
function startsRegexLiteral(code: string, slash: number): boolean {
  let j = slash - 1;
  while (j >= 0 && isSpace(code.charCodeAt(j))) j--;
  if (j < 0) return false;
  const c = code.charCodeAt(j);
  return c === PAREN || c === EQUALS || c === COMMA || c === COLON;
}

/** Where the regex literal opened at `start` ends (the index after its flags), or NONE. */
function regexLiteralEnd(code: string, start: number): number {
  const n = code.length;
  let j = start + 1;
  while (j < n) {
    const c = code.charCodeAt(j);
    if (c === SLASH) {
      // The body holds one item at least (`//` never gets here); the flags are lower-case letters.
      if (j === start + 1) return NONE;
      j++;
      while (j < n && isLowerLetter(code.charCodeAt(j))) j++;
      return j;
    }
    if (c === LF) return NONE;
    if (c === BACKSLASH) {
      if (!escapes(code, j)) return NONE;
      j += 2;
    } else if (c === BRACKET) {
      j = classEnd(code, j);
      if (j === NONE) return NONE;
    } else j++;
  }
  return NONE;
}

/** Where the character class opened at `start` of a regex literal ends (the index after its `]`), or NONE. */
function classEnd(code: string, start: number): number {
  const n = code.length;
  let j = start + 1;
  while (j < n) {
    const c = code.charCodeAt(j);
    if (c === CLOSE_BRACKET) return j + 1;
    if (c === LF) return NONE;
    if (c === BACKSLASH) {
      if (!escapes(code, j)) return NONE;
      j += 2;
    } else j++;
  }
  return NONE;
}

/** Whether the `\` at `backslash` escapes a character: one follows it, and not a line terminator (the regex's `\\.`). */
function escapes(code: string, backslash: number): boolean {
  if (backslash + 1 >= code.length) return false;
  const c = code.charCodeAt(backslash + 1);
  return c !== LF && c !== CR && c !== 0x2028 && c !== 0x2029;
}

function isLowerLetter(c: number): boolean {
  return c >= LOWER_A && c <= LOWER_Z;
}
