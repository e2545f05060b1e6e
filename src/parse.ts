/**
 * parse: decodes each file as UTF-8 and parses it as strict JSON, keeping the position of every
 * value so that later stages can point at a line and column.
 */

import { type Diagnostic, diagnostic, type Locate, type StageResult } from "./diagnostics.js";
import { parseJson } from "./json.js";
import type { ParsedFile, SourceFile } from "./model.js";

const utf8 = new TextDecoder("utf-8", { fatal: true, ignoreBOM: true });

/** Parses every file; a file that fails is reported and left out of the result. */
export function parse(files: readonly SourceFile[]): StageResult<ParsedFile[]> {
  const diagnostics: Diagnostic[] = [];
  const value: ParsedFile[] = [];
  for (const source of files) {
    const parsed = parseFile(source);
    diagnostics.push(...parsed.diagnostics);
    if (parsed.value) value.push(parsed.value);
  }
  return { value, diagnostics };
}

function parseFile(source: SourceFile): { value?: ParsedFile; diagnostics: Diagnostic[] } {
  const { file } = source;
  let text: string;
  try {
    text = utf8.decode(source.bytes);
  } catch {
    return {
      diagnostics: [
        diagnostic("error", "PARSE_ENCODING", file, "", "the file is not valid UTF-8", {
          hint: "save the file as UTF-8 (without a byte order mark)",
        }),
      ],
    };
  }
  if (text.charCodeAt(0) === 0xfeff) {
    return {
      diagnostics: [
        {
          ...diagnostic("error", "PARSE_SYNTAX", file, "", "the file starts with a byte order mark", {
            hint: "save the file as UTF-8 without a byte order mark",
          }),
          line: 1,
          column: 1,
        },
      ],
    };
  }
  const parsed = parseJson(text);
  if (parsed.error) {
    return {
      diagnostics: [
        {
          ...diagnostic("error", "PARSE_SYNTAX", file, "", parsed.error.message, {
            hint: "fix the JSON syntax at this position (strict JSON: no comments, no trailing commas)",
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
      "error",
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
  const json = parsed.value;
  if (typeof json !== "object" || json === null || Array.isArray(json)) {
    diagnostics.push(
      diagnostic("error", "PARSE_NOT_OBJECT", file, "", "the top level of the file is not a JSON object", {
        hint: 'a schema file is an object such as { "title": …, "type": "object", … }',
        locate,
      }),
    );
  }
  if (diagnostics.length > 0) return { diagnostics };
  return { value: { ...source, json: json as Record<string, unknown>, locate }, diagnostics };
}

function lastToken(pointer: string): string {
  return pointer
    .slice(pointer.lastIndexOf("/") + 1)
    .replace(/~1/g, "/")
    .replace(/~0/g, "~");
}
