/**
 * parse: decodes each file as UTF-8 and parses it as strict JSON, so that later stages can point at
 * the line and column of any value. Text-level rules live here too: the size limits of the parser,
 * characters that hide what a reviewer reads (Trojan Source), and keys that name Object.prototype
 * members. A file in which none of them finds anything is read with JSON.parse and its positions
 * are found when first asked for (quickValue); the positional parser words every finding.
 */

import { jsonSyntaxHint } from "../diagnostics/hints.js";
import { type Code, type Diagnostic, diagnostic, joinPointer, type Locate, type StageResult } from "../diagnostics/index.js";
import { lazyProperty } from "../model/lazy.js";
import type { ParsedFile, SourceFile } from "../model/tree.js";
import { codePointName, hasHiddenCharacter, hasHiddenInText, hiddenInText } from "../schema/hidden.js";
import { parseJson } from "../schema/json.js";
import { LIMITS } from "../schema/limits.js";

const utf8 = new TextDecoder("utf-8", { fatal: true, ignoreBOM: true });

/** Keys that name members of Object.prototype: as property names they reach the prototype. */
export const RESERVED_KEYS: ReadonlySet<string> = new Set([
  "__proto__",
  "constructor",
  "prototype",
  "__defineGetter__",
  "__defineSetter__",
  "__lookupGetter__",
  "__lookupSetter__",
  "hasOwnProperty",
  "isPrototypeOf",
  "propertyIsEnumerable",
  "toLocaleString",
  "toString",
  "valueOf",
]);

const LIMIT_CODES: Record<"syntax" | "depth" | "members", Code> = {
  syntax: "PARSE_SYNTAX",
  depth: "PARSE_LIMIT_DEPTH",
  members: "PARSE_LIMIT_MEMBERS",
};

const LIMIT_HINTS: Record<"syntax" | "depth" | "members", (message: string) => string> = {
  syntax: jsonSyntaxHint,
  depth: () =>
    `flatten it: move a nested object to "$defs" and refer to it with { "$ref": "#/$defs/<name>" }; at most ${LIMITS.depth} levels of objects and arrays`,
  members: (message) =>
    message.includes("array")
      ? `shorten the list to at most ${LIMITS.members} items: a long "enum" is better a "pattern", e.g. "^P[0-9]{4}$"`
      : `split the object: at most ${LIMITS.members} keys; move groups of properties to files under _shared/ and combine them with allOf`,
};

/**
 * Files known to parse without a finding (the build cache, by content hash): they are read with
 * JSON.parse, and their positions are found only when a later stage asks for one.
 */
export interface ParseMemo {
  clean(file: SourceFile): boolean;
  markClean(file: SourceFile): void;
}

/** Parses every file; a file that fails is reported and left out of the result. */
export function parse(files: readonly SourceFile[], memo?: ParseMemo): StageResult<ParsedFile[]> {
  const diagnostics: Diagnostic[] = [];
  const value: ParsedFile[] = [];
  for (const source of files) {
    if (memo?.clean(source)) {
      value.push(parseKnownClean(source));
      continue;
    }
    const parsed = parseFile(source);
    diagnostics.push(...parsed.diagnostics);
    if (parsed.value && parsed.diagnostics.length === 0) {
      memo?.markClean(source);
      // A clean file's positions are let go (a value's each: most of a parsed file's memory at
      // thousands of files) and found again if a later stage asks for one, as for a known one.
      value.push({ ...parsed.value, locate: locateOnDemand(source) });
    } else if (parsed.value) value.push(parsed.value);
  }
  return { value, diagnostics };
}

/** A file's `locate`, parsing it again with positions when first asked. */
function locateOnDemand(source: SourceFile): Locate {
  let locate: Locate | undefined;
  return (pointer) => {
    locate ??= parseFile(source, true).value?.locate ?? (() => undefined);
    return locate(pointer);
  };
}

/**
 * A file whose exact bytes parsed cleanly before: the same value, parsed when first read, and its
 * positions on demand. A warm run's later stages answer for such a file from their memos, so most
 * known files are never parsed at all (nor, when discover knew them by stat, read).
 */
function parseKnownClean(source: SourceFile): ParsedFile {
  // The source's own properties as they are: its bytes may not have been read yet (discover, readLater).
  const file = Object.defineProperties({}, Object.getOwnPropertyDescriptors(source)) as ParsedFile;
  file.locate = locateOnDemand(source);
  return lazyProperty(file, "json", () => JSON.parse(utf8.decode(file.bytes)));
}

/**
 * One file: its value, or the findings that keep it out. Unless `positions` is asked for, a file
 * in which nothing needs a finding (quickValue) is read with JSON.parse and its positions are
 * found when a later stage first asks for one; any other goes through the positional parser, which
 * words each finding.
 */
export function parseFile(source: SourceFile, positions = false): { value?: ParsedFile; diagnostics: Diagnostic[] } {
  const { file } = source;
  // Outside the try: a file known by its stat that changed since is not an encoding error (TreeChanged).
  const bytes = source.bytes;
  let text: string;
  try {
    text = utf8.decode(bytes);
  } catch {
    const at = invalidUtf8Position(bytes);
    return {
      diagnostics: [
        {
          ...diagnostic("PARSE_ENCODING", file, "", "the file is not valid UTF-8", {
            hint: 're-save the file as UTF-8 (in your editor: "Save with Encoding" → UTF-8); the first byte that is not UTF-8 is here',
          }),
          ...at,
        },
      ],
    };
  }
  if (text.charCodeAt(0) === 0xfeff) {
    return {
      diagnostics: [
        {
          ...diagnostic("PARSE_SYNTAX", file, "", "the file starts with a byte order mark", {
            hint: 're-save the file as UTF-8 without a BOM (in your editor: "Save with Encoding" → UTF-8, not "UTF-8 with BOM")',
          }),
          line: 1,
          column: 1,
        },
      ],
    };
  }
  const quick = positions ? undefined : quickValue(text);
  if (quick !== undefined) return { value: { ...source, json: quick, locate: locateOnDemand(source) }, diagnostics: [] };
  const parsed = parseJson(text, { maxDepth: LIMITS.depth, maxMembers: LIMITS.members });
  if (parsed.error) {
    return {
      diagnostics: [
        {
          ...diagnostic(LIMIT_CODES[parsed.error.kind], file, "", parsed.error.message, {
            hint: LIMIT_HINTS[parsed.error.kind](parsed.error.message),
          }),
          ...parsed.error.at,
        },
      ],
    };
  }
  const locate: Locate = (pointer) => {
    // A pointer that the file does not hold (a missing property, say) points at its nearest parent.
    let p = pointer;
    for (;;) {
      const at = parsed.positions.get(p);
      if (at) return at;
      if (p === "") return undefined;
      p = p.slice(0, p.lastIndexOf("/"));
    }
  };
  const diagnostics: Diagnostic[] = parsed.duplicates.map((d) => ({
    ...diagnostic(
      "PARSE_DUPLICATE_KEY",
      file,
      d.pointer,
      `the key ${JSON.stringify(lastToken(d.pointer))} appears twice in the same object`,
      {
        hint: `remove one of the two; the first is at line ${d.first.line}, column ${d.first.column}`,
        related: { file, pointer: d.pointer, ...d.first },
      },
    ),
    ...d.at,
  }));
  diagnostics.push(...hiddenCharacters(text, file, parsed.value, locate));
  diagnostics.push(...reservedKeys(parsed.value, file, locate));
  const json = parsed.value;
  if (typeof json !== "object" || json === null || Array.isArray(json)) {
    diagnostics.push(
      diagnostic("PARSE_NOT_OBJECT", file, "", "the top level of the file is not a JSON object", {
        hint: 'write the schema as one object: { "title": "Order placed", "type": "object", "properties": { … } }',
        locate,
      }),
    );
  }
  if (diagnostics.length > 0) return { diagnostics };
  return { value: { ...source, json: json as Record<string, unknown>, locate }, diagnostics };
}

/**
 * The value of a text in which the positional parser would find nothing, read with JSON.parse (ten
 * times as fast), or undefined when it might find something: JSON.parse refuses the text, the top
 * level is not an object, a hidden character is written in it, a container nests deeper or holds
 * more than the limits, a key names an Object.prototype member or holds a hidden character, or a
 * key appears twice in one object. JSON.parse keeps the last of two equal keys without a word;
 * they are found by counting: every key written in a text that JSON.parse accepts is a string
 * followed by a colon, and is a key of the value unless an equal key of the same object took its
 * place, so the value has as many keys as the text writes exactly when no object repeats one.
 * JSON.parse accepts exactly RFC 8259's grammar, as the positional parser does
 * (test/parse-quick.test.ts holds them to the same findings and values).
 */
function quickValue(text: string): Record<string, unknown> | undefined {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (typeof json !== "object" || json === null || Array.isArray(json) || hasHiddenInText(text)) return undefined;
  const keys = plainKeys(json, 1);
  return keys >= 0 && keys === keysWritten(text) ? (json as Record<string, unknown>) : undefined;
}

/**
 * How many keys the objects of `value` hold (a container at nesting `level`, the top level 1), or
 * -1 when one needs a finding: nested deeper than the limit, more keys or items than the limit, a
 * reserved key or a key with a hidden character. The walk stops at the limit: its depth is bounded.
 */
function plainKeys(value: object, level: number): number {
  if (level > LIMITS.depth) return -1;
  let keys = 0;
  if (Array.isArray(value)) {
    if (value.length > LIMITS.members) return -1;
    for (const item of value) {
      if (typeof item !== "object" || item === null) continue;
      const inner = plainKeys(item, level + 1);
      if (inner < 0) return -1;
      keys += inner;
    }
    return keys;
  }
  const own = Object.keys(value);
  if (own.length > LIMITS.members) return -1;
  for (const key of own) {
    if (RESERVED_KEYS.has(key) || hasHiddenCharacter(key)) return -1;
    const item = (value as Record<string, unknown>)[key];
    if (typeof item !== "object" || item === null) continue;
    const inner = plainKeys(item, level + 1);
    if (inner < 0) return -1;
    keys += inner;
  }
  return keys + own.length;
}

/** How many keys a text that JSON.parse accepts writes: the strings followed by a colon. */
function keysWritten(text: string): number {
  let count = 0;
  for (let i = 0; i < text.length; i++) {
    if (text.charCodeAt(i) !== 0x22) continue;
    for (i++; text.charCodeAt(i) !== 0x22; i++) if (text.charCodeAt(i) === 0x5c) i++;
    let j = i + 1;
    for (let c = text.charCodeAt(j); c === 0x20 || c === 0x09 || c === 0x0a || c === 0x0d; c = text.charCodeAt(j)) j++;
    if (text.charCodeAt(j) === 0x3a) count++;
  }
  return count;
}

/**
 * Hidden characters (hidden.ts: control, format, separator and default-ignorable characters)
 * written as they are, and in keys even when written as \u escapes.
 */
function hiddenCharacters(text: string, file: string, json: unknown, locate: Locate): Diagnostic[] {
  const out: Diagnostic[] = [];
  const hint =
    "delete the invisible character (retype the text around it); if a value needs it, write it as a \\u escape such as \\u200b (keys may not hold it at all)";
  let line = 1;
  let lineStart = 0;
  let scanned = 0;
  for (const m of hiddenInText(text)) {
    for (; scanned < m.index; scanned++) {
      if (text.charCodeAt(scanned) === 10) {
        line++;
        lineStart = scanned + 1;
      }
    }
    const name = codePointName(m.codePoint);
    out.push({
      ...diagnostic(
        "PARSE_HIDDEN_CHARACTER",
        file,
        "",
        `the invisible character ${name} can make the file read differently than it is built`,
        { hint },
      ),
      line,
      column: m.index - lineStart + 1,
    });
  }
  // Written as escapes they are visible in the file, but a key must not hold them at all.
  if (out.length > 0) return out;
  walkKeys(json, "", (key, pointer) => {
    if (hasHiddenCharacter(key)) {
      out.push(diagnostic("PARSE_HIDDEN_CHARACTER", file, pointer, "a key holds an invisible character (as an escape)", { hint, locate }));
    }
  });
  return out;
}

/** Keys that name Object.prototype members, anywhere in the file (properties, $defs, examples, defaults). */
function reservedKeys(json: unknown, file: string, locate: Locate): Diagnostic[] {
  const out: Diagnostic[] = [];
  walkKeys(json, "", (key, pointer) => {
    if (!RESERVED_KEYS.has(key)) return;
    out.push(
      diagnostic("PARSE_RESERVED_KEY", file, pointer, `the key "${key}" names a member of Object.prototype`, {
        hint: `rename it, e.g. "${key.replace(/^_+|_+$/g, "")}Name": code that reads "${key}" from an object reaches the prototype instead`,
        locate,
      }),
    );
  });
  return out;
}

/** Calls `visit` for every key of every object in a parsed value (its depth is bounded by the parser). */
function walkKeys(value: unknown, pointer: string, visit: (key: string, pointer: string) => void): void {
  if (Array.isArray(value)) {
    value.forEach((v, i) => {
      walkKeys(v, joinPointer(pointer, i), visit);
    });
  } else if (typeof value === "object" && value !== null) {
    for (const [key, v] of Object.entries(value)) {
      const at = joinPointer(pointer, key);
      visit(key, at);
      walkKeys(v, at, visit);
    }
  }
}

/** Line and column (in characters of the valid prefix) of the first byte that is not UTF-8. */
function invalidUtf8Position(bytes: Uint8Array): { line: number; column: number } {
  let i = 0;
  while (i < bytes.length) {
    const b = bytes[i] as number;
    const need = b < 0x80 ? 0 : b >= 0xc2 && b < 0xe0 ? 1 : b >= 0xe0 && b < 0xf0 ? 2 : b >= 0xf0 && b < 0xf5 ? 3 : -1;
    if (need < 0 || i + need >= bytes.length) break;
    let ok = true;
    for (let k = 1; k <= need; k++) if (((bytes[i + k] as number) & 0xc0) !== 0x80) ok = false;
    if (!ok) break;
    try {
      utf8.decode(bytes.subarray(i, i + need + 1));
    } catch {
      break; // overlong forms and surrogates
    }
    i += need + 1;
  }
  const prefix = utf8.decode(bytes.subarray(0, i));
  const lastNewline = prefix.lastIndexOf("\n");
  return { line: prefix.split("\n").length, column: prefix.length - lastNewline };
}

function lastToken(pointer: string): string {
  return pointer
    .slice(pointer.lastIndexOf("/") + 1)
    .replace(/~1/g, "/")
    .replace(/~0/g, "~");
}
