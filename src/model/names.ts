/**
 * The naming rule of the events tree (DESIGN §1), in one place: every folder and file name under
 * `events/` is lowercase kebab-case, a shared folder is `_` and a kebab-case name, and an event
 * file is `<event>.json` or `<event>.v<N>.json`.
 *
 * The rule is also the first line of defence against code injection: a path becomes a schema's
 * `$id`, and ajv writes `$id`s into comments of the code it compiles, so a name that could spell
 * `*∕`, a quote or a line break must never get past discover. `pathNameProblem` is applied to every
 * part of every path before the file is even read; what passes it is made only of `a-z`, `0-9`,
 * `-`, `_` (first character of a shared folder), `.` (before `v<N>` and `json`) and `/`.
 */

/** The name rule for systems, topics, events and shared names. */
export const NAME = /^[a-z][a-z0-9]*(-[a-z0-9]+)*$/;

/** A parsed event file name. */
export type ParsedStem =
  | { ok: true; event: string; version: number }
  | { ok: false; code: "LAYOUT_NAME" | "VERSION_EXPLICIT_V1" | "VERSION_BAD_NUMBER"; message: string; hint: string };

/** Parses `invoice-issued.v2` into its event name and version. */
export function parseStem(stem: string): ParsedStem {
  const m = /^(.*?)(?:\.v([0-9]+))?$/s.exec(stem) as RegExpExecArray;
  const event = m[1] as string;
  const digits = m[2];
  if (!NAME.test(event)) {
    return {
      ok: false,
      code: "LAYOUT_NAME",
      message: `${quoteName(event)} is not a kebab-case event name`,
      hint: `rename the file to ${kebab(event) || "my-event"}${digits ? `.v${digits}` : ""}.json`,
    };
  }
  if (digits === undefined) return { ok: true, event, version: 1 };
  if (digits === "1")
    return { ok: false, code: "VERSION_EXPLICIT_V1", message: "version 1 has no .v1 suffix", hint: `rename it to ${event}.json` };
  if (digits === "0" || digits.startsWith("0")) {
    return {
      ok: false,
      code: "VERSION_BAD_NUMBER",
      message: `".v${digits}" is not a version suffix`,
      hint:
        Number(digits) === 0
          ? `version 1 is ${event}.json: rename it to that (or to ${event}.v2.json, .v3 … if it is a later version)`
          : `rename it to ${event}.v${Number(digits)}.json (versions are .v2, .v3 … without leading zeros)`,
    };
  }
  return { ok: true, event, version: Number(digits) };
}

/** What is wrong with a path's names: the first bad part, its role, and the fix. */
export interface NameProblem {
  message: string;
  hint: string;
  /** When the bad name is a folder's: that folder's path (every file under it has the same problem). */
  folder?: string;
}

/**
 * The first name in `rel` (a `/`-separated path under the events folder, ending in `.json`) that
 * breaks the naming rule, or undefined when every part is sound. Folders: kebab-case, or `_` and
 * kebab-case for shared ones. The file: a kebab-case name for shared files and system.json, a
 * kebab-case event name with an optional `.v<digits>` suffix for events (the suffix's own rules,
 * no `.v1` and no leading zero, are the version stage's: those names are already harmless).
 */
export function pathNameProblem(rel: string, shared: boolean): NameProblem | undefined {
  const parts = rel.split("/");
  const file = parts.pop() as string;
  for (const [i, part] of parts.entries()) {
    const name = part.startsWith("_") ? part.slice(1) : part;
    if (NAME.test(name)) continue;
    const role = part.startsWith("_") ? "shared folder" : i === 0 ? "system folder" : i === 1 && !shared ? "topic folder" : "folder";
    const fixed = kebab(name) || "my-name";
    return {
      folder: parts.slice(0, i + 1).join("/"),
      message: `the ${role} ${quoteName(part)} is not kebab-case`,
      hint: `rename the folder to ${part.startsWith("_") ? "_" : ""}${fixed} (lowercase letters, digits and single hyphens${part.startsWith("_") ? ", after the leading _ of a shared folder" : ""})`,
    };
  }
  const stem = file.endsWith(".json") ? file.slice(0, -".json".length) : file;
  if (shared || file === "system.json") {
    if (NAME.test(stem)) return undefined;
    return {
      message: `${quoteName(stem)} is not a kebab-case name`,
      hint: `rename it to ${kebab(stem) || "my-name"}.json (lowercase letters, digits and single hyphens)`,
    };
  }
  const parsed = parseStem(stem);
  return !parsed.ok && parsed.code === "LAYOUT_NAME" ? { message: parsed.message, hint: parsed.hint } : undefined;
}

/** PascalCase of a kebab-case name: `invoice-issued` → `InvoiceIssued`. */
export function pascal(name: string): string {
  return name
    .split(/[^a-zA-Z0-9]+/)
    .filter(Boolean)
    .map((p) => p[0]!.toUpperCase() + p.slice(1))
    .join("");
}

/** A kebab-case suggestion for a bad name (possibly empty). */
export function kebab(name: string): string {
  return name
    .replace(/([a-z0-9])([A-Z])/g, "$1-$2")
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^[^a-z]+|-+$/g, "")
    .slice(0, 60);
}

/**
 * A name as a message shows it: in double quotes, with every character outside printable ASCII,
 * and the quote and backslash, as a JSON escape, and cut at 80 characters. A hostile name thus
 * never writes control sequences to a terminal or a line break into a report.
 */
export function quoteName(name: string): string {
  const cut = name.length > 80 ? name.slice(0, 80) : name;
  return `"${cut.replace(/[^\x20-\x7e]|["\\]/gu, escapeChar)}"${cut === name ? "" : "…"}`;
}

function escapeChar(c: string): string {
  if (c === '"' || c === "\\") return `\\${c}`;
  const code = c.codePointAt(0) as number;
  return code > 0xffff ? `\\u{${code.toString(16)}}` : `\\u${code.toString(16).padStart(4, "0")}`;
}
