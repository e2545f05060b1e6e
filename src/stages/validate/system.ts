/**
 * The rule about a system's system.json: title, description, owner and a CloudEvents source, and
 * nothing else; and what the stage hands on from a valid one.
 */

import { sentenceCase } from "../../diagnostics/hints.js";
import { joinPointer } from "../../diagnostics/index.js";
import type { ParsedFile, SystemInfo } from "../../model/tree.js";
import type { FileRule } from "./rule.js";

/** The fields of system.json, all required strings. */
const FIELDS = ["title", "description", "owner", "source"] as const;

/** LAYOUT_SYSTEM_FILE: the four fields as non-empty strings, no other key but `$schema`, a source without spaces. */
export const systemFile: FileRule = {
  code: "LAYOUT_SYSTEM_FILE",
  scope: "system",
  check(file, report) {
    const system = systemOf(file);
    let ok = true;
    for (const f of FIELDS) {
      if (typeof file.json[f] === "string" && (file.json[f] as string).trim() !== "") continue;
      report(
        f in file.json ? `/${f}` : "",
        `system.json needs a non-empty string "${f}"`,
        `${f in file.json ? "write" : "add"} ${systemFieldExample(f, system)}; system.json holds "title", "description", "owner" and "source"`,
      );
      ok = false;
    }
    for (const k of Object.keys(file.json)) {
      if ((FIELDS as readonly string[]).includes(k) || k === "$schema") continue;
      report(joinPointer("", k), `system.json does not know "${k}"`, `remove it; the fields are ${FIELDS.join(", ")}`);
      ok = false;
    }
    // The source is looked at only once the fields are right: a missing one has its finding already.
    if (ok && /\s/.test(file.json.source as string)) {
      report("/source", "source must be a URI reference (no spaces)", `use a URI reference such as "/systems/${system}"`);
    }
  },
};

/** What the stage hands on from a system.json that its rule passed. */
export function systemInfo(file: ParsedFile): SystemInfo {
  const j = file.json as Record<(typeof FIELDS)[number], string>;
  return { system: systemOf(file), title: j.title, description: j.description, owner: j.owner, source: j.source };
}

function systemOf(file: ParsedFile): string {
  return file.kind.kind === "system" ? file.kind.system : "";
}

/** What to write for a field of system.json. */
function systemFieldExample(field: (typeof FIELDS)[number], system: string): string {
  const examples = {
    title: sentenceCase(system),
    description: `What ${system} does, in a sentence`,
    owner: `team-${system}`,
    source: `/systems/${system}`,
  };
  return `"${field}": "${examples[field]}"`;
}

/** The rules of this file. */
export const SYSTEM_RULES = [systemFile] as const;
