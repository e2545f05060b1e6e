/**
 * A strict JSON parser that remembers where every value is.
 *
 * JSON.parse cannot say where a value came from, and silently keeps the last of two equal keys.
 * This parser returns the value, a map from JSON pointer to line and column, and every duplicate
 * key it saw. It builds plain objects without ever invoking the `__proto__` setter.
 */

import { joinPointer } from "../diagnostics/index.js";
import { lastAtOrBefore } from "./sorted.js";

/** A 1-based position in a text. */
export interface Position {
  line: number;
  column: number;
}

/** A duplicate key: where it stands, and where its first occurrence stood. */
export interface DuplicateKey {
  pointer: string;
  at: Position;
  first: Position;
}

/** What parsing a text gives. `error` is set when the text is not JSON; `value` is then undefined. */
export interface ParsedJson {
  value: unknown;
  /** Position of the value at each pointer ("" is the root). */
  positions: Map<string, Position>;
  duplicates: DuplicateKey[];
  error?: { kind: JsonErrorKind; message: string; at: Position };
}

/** How deeply arrays and objects may nest by default; far beyond any schema, well within the call stack. */
export const MAX_DEPTH = 256;

/** Bounds on the document: past them parsing stops with an error of that kind. */
export interface JsonLimits {
  maxDepth?: number;
  /** Keys of one object or items of one array. */
  maxMembers?: number;
}

/** What went wrong: bad syntax, or a limit passed. */
export type JsonErrorKind = "syntax" | "depth" | "members";

class JsonSyntaxError extends Error {
  constructor(
    message: string,
    readonly offset: number,
    readonly kind: JsonErrorKind = "syntax",
  ) {
    super(message);
  }
}

/** The escapes JSON allows besides \u: what each stands for. */
const SIMPLE_ESCAPES: Readonly<Record<string, string>> = Object.assign(Object.create(null), {
  '"': '"',
  "\\": "\\",
  "/": "/",
  b: "\b",
  f: "\f",
  n: "\n",
  r: "\r",
  t: "\t",
});

/** A JSON number at the parser's position (sticky: it matches there or not at all). */
const NUMBER = /-?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?(?:[eE][+-]?[0-9]+)?/y;

/** Parses `text` as strict JSON (RFC 8259), recording positions. Never throws. */
export function parseJson(text: string, limits: JsonLimits = {}): ParsedJson {
  const maxDepth = limits.maxDepth ?? MAX_DEPTH;
  const maxMembers = limits.maxMembers ?? Number.POSITIVE_INFINITY;
  const lineStarts = [0];
  for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) === 10) lineStarts.push(i + 1);
  const positionOf = (offset: number): Position => {
    const line = lastAtOrBefore(lineStarts, offset);
    return { line: line + 1, column: offset - (lineStarts[line] as number) + 1 };
  };
  // The parser only moves forward: the line of the next position is found from the last one's.
  let cursorLine = 0;
  const positionHere = (offset: number): Position => {
    while (cursorLine + 1 < lineStarts.length && (lineStarts[cursorLine + 1] as number) <= offset) cursorLine++;
    return { line: cursorLine + 1, column: offset - (lineStarts[cursorLine] as number) + 1 };
  };

  const positions = new Map<string, Position>();
  const duplicates: DuplicateKey[] = [];
  let i = 0;
  let depth = 0;

  const fail = (message: string, at = i): never => {
    throw new JsonSyntaxError(message, at);
  };
  const describe = (at: number) => (at >= text.length ? "end of file" : `${JSON.stringify(text[at])}`);
  const skipWhitespace = () => {
    for (;;) {
      const c = text.charCodeAt(i);
      if (c === 32 || c === 9 || c === 10 || c === 13) i++;
      else break;
    }
  };

  const parseValue = (pointer: string): unknown => {
    skipWhitespace();
    positions.set(pointer, positionHere(i));
    const c = text.charCodeAt(i);
    if (c === 123 || c === 91) {
      // Recursion is bounded so that a pathological file is a syntax error, not a stack overflow.
      if (++depth > maxDepth) throw new JsonSyntaxError(`objects and arrays nest deeper than ${maxDepth} levels`, i, "depth");
      const value = c === 123 ? parseObject(pointer) : parseArray(pointer);
      depth--;
      return value;
    }
    if (c === 34) return parseString();
    if (c === 45 || (c >= 48 && c <= 57)) return parseNumber();
    for (const [word, value] of [
      ["true", true],
      ["false", false],
      ["null", null],
    ] as const) {
      if (text.startsWith(word, i)) {
        i += word.length;
        return value;
      }
    }
    return fail(`unexpected ${describe(i)}, expected a value`);
  };

  const parseObject = (pointer: string): Record<string, unknown> => {
    const obj: Record<string, unknown> = {};
    const keyAt = new Map<string, Position>();
    i++;
    skipWhitespace();
    if (text[i] === "}") {
      i++;
      return obj;
    }
    for (;;) {
      skipWhitespace();
      if (text[i] !== '"') fail(text[i] === "}" ? "trailing comma before }" : `unexpected ${describe(i)}, expected a key in double quotes`);
      const keyStart = i;
      const keyPos = positionHere(i);
      const key = parseString();
      skipWhitespace();
      if (text[i] !== ":") fail(`unexpected ${describe(i)}, expected ':' after key`);
      i++;
      if (keyAt.size >= maxMembers && !keyAt.has(key)) {
        throw new JsonSyntaxError(`an object has more than ${maxMembers} keys`, keyStart, "members");
      }
      const childPointer = key.includes("~") || key.includes("/") ? joinPointer(pointer, key) : `${pointer}/${key}`;
      const first = keyAt.get(key);
      if (first) duplicates.push({ pointer: childPointer, at: keyPos, first });
      else keyAt.set(key, keyPos);
      const value = parseValue(childPointer);
      // A key "__proto__" must stay an own data property: assigned, it would set the prototype.
      // Every other key is assigned (Object.prototype has no other setter).
      if (key === "__proto__") Object.defineProperty(obj, key, { value, enumerable: true, writable: true, configurable: true });
      else obj[key] = value;
      skipWhitespace();
      if (text[i] === ",") {
        i++;
        continue;
      }
      if (text[i] === "}") {
        i++;
        return obj;
      }
      fail(`unexpected ${describe(i)}, expected ',' or '}'`);
    }
  };

  const parseArray = (pointer: string): unknown[] => {
    const arr: unknown[] = [];
    i++;
    skipWhitespace();
    if (text[i] === "]") {
      i++;
      return arr;
    }
    for (;;) {
      skipWhitespace();
      if (text[i] === "]") fail("trailing comma before ]");
      if (arr.length >= maxMembers) throw new JsonSyntaxError(`an array has more than ${maxMembers} items`, i, "members");
      arr.push(parseValue(`${pointer}/${arr.length}`));
      skipWhitespace();
      if (text[i] === ",") {
        i++;
        continue;
      }
      if (text[i] === "]") {
        i++;
        return arr;
      }
      fail(`unexpected ${describe(i)}, expected ',' or ']'`);
    }
  };

  const parseString = (): string => {
    const start = i;
    i++;
    let out = "";
    let chunk = i;
    for (;;) {
      if (i >= text.length) fail("unterminated string", start);
      const c = text.charCodeAt(i);
      if (c === 34) {
        out += text.slice(chunk, i);
        i++;
        return out;
      }
      if (c < 0x20) fail("control character in string (escape it)");
      if (c === 92) {
        out += text.slice(chunk, i);
        const e = text[i + 1];
        if (e !== undefined && e in SIMPLE_ESCAPES) {
          out += SIMPLE_ESCAPES[e];
          i += 2;
        } else if (e === "u" && /^[0-9a-fA-F]{4}$/.test(text.slice(i + 2, i + 6))) {
          out += String.fromCharCode(Number.parseInt(text.slice(i + 2, i + 6), 16));
          i += 6;
        } else {
          fail("invalid escape in string");
        }
        chunk = i;
        continue;
      }
      i++;
    }
  };

  const parseNumber = (): number => {
    NUMBER.lastIndex = i;
    const m = NUMBER.exec(text);
    if (!m) return fail("invalid number");
    // At most 400 characters are one number: the rest of a longer run is a syntax error.
    const literal = m[0].length > 400 ? m[0].slice(0, 400) : m[0];
    i += literal.length;
    return Number(literal);
  };

  try {
    if (text.trim() === "") fail("the file is empty", 0);
    const value = parseValue("");
    skipWhitespace();
    if (i < text.length) fail(`unexpected ${describe(i)} after the JSON value`);
    return { value, positions, duplicates };
  } catch (e) {
    if (!(e instanceof JsonSyntaxError)) throw e;
    return {
      value: undefined,
      positions,
      duplicates,
      error: { kind: e.kind, message: e.message, at: positionOf(Math.min(e.offset, text.length)) },
    };
  }
}
