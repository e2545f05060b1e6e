/**
 * The rule about a system's system.json: title, description, owner and a CloudEvents source, the
 * optional records it holds without events of their own (model/cleanup.ts), and nothing else; and
 * what the stage hands on from a valid one.
 */

import { sentenceCase } from "../../diagnostics/hints.js";
import { joinPointer } from "../../diagnostics/index.js";
import type { RecordDeclaration } from "../../model/cleanup.js";
import type { ParsedFile, SystemInfo } from "../../model/tree.js";
import type { FileRule } from "./rule.js";

/** The fields of system.json, all required strings. */
const FIELDS = ["title", "description", "owner", "source"] as const;

/** The optional field of system.json: records the system holds that have no events of their own. */
const RECORDS = "records";
/** An entity's name: PascalCase, as the id definitions of _shared/ids.json name them (`contractId`: Contract). */
const ENTITY_NAME = /^[A-Z][A-Za-z0-9]{0,63}$/;

/** LAYOUT_SYSTEM_FILE: the four fields as non-empty strings, optional records, no other key but `$schema`, a source without spaces. */
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
      if ((FIELDS as readonly string[]).includes(k) || k === "$schema" || k === RECORDS) continue;
      report(joinPointer("", k), `system.json does not know "${k}"`, `remove it; the fields are ${FIELDS.join(", ")} and "${RECORDS}"`);
      ok = false;
    }
    if (RECORDS in file.json) checkRecords(file.json[RECORDS], report);
    // The source is looked at only once the fields are right: a missing one has its finding already.
    if (ok && /\s/.test(file.json.source as string)) {
      report("/source", "source must be a URI reference (no spaces)", `use a URI reference such as "/systems/${system}"`);
    }
  },
};

/** The records a system declares: `{ "<Entity>": { "description": "…", "refersTo": { "<Entity>": "required" | "optional" } } }`. */
function checkRecords(records: unknown, report: Parameters<FileRule["check"]>[1]): void {
  const example = `"${RECORDS}": { "Stripe": { "description": "The payment provider's records of a payment profile.", "refersTo": { "PaymentProfile": "required" } } }`;
  if (typeof records !== "object" || records === null || Array.isArray(records)) {
    report(`/${RECORDS}`, `"${RECORDS}" must be an object of the records this system holds, by entity name`, `write ${example}`);
    return;
  }
  for (const [name, record] of Object.entries(records)) {
    const at = joinPointer(`/${RECORDS}`, name);
    if (!ENTITY_NAME.test(name))
      report(at, `a record is named as an entity, in PascalCase: ${JSON.stringify(name)} is not`, `rename it, e.g. "Stripe"`);
    const r = record as Partial<Record<string, unknown>> | null;
    if (typeof r !== "object" || r === null || Array.isArray(r)) {
      report(at, "a record is an object with a description and what it refers to", `write ${example}`);
      continue;
    }
    for (const k of Object.keys(r)) {
      if (k !== "description" && k !== "refersTo")
        report(joinPointer(at, k), `a record does not know "${k}"`, 'remove it; a record has "description" and "refersTo"');
    }
    if (typeof r.description !== "string" || r.description.trim() === "")
      report(joinPointer(at, "description"), "a record needs a non-empty description", "say what the system keeps, in a sentence");
    const refs = r.refersTo;
    if (typeof refs !== "object" || refs === null || Array.isArray(refs) || Object.keys(refs).length === 0) {
      report(joinPointer(at, "refersTo"), "a record refers to at least one entity", 'write "refersTo": { "PaymentProfile": "required" }');
      continue;
    }
    for (const [to, how] of Object.entries(refs)) {
      if (!ENTITY_NAME.test(to) || (how !== "required" && how !== "optional"))
        report(
          joinPointer(at, "refersTo", to),
          `${JSON.stringify(to)}: ${JSON.stringify(how)} is not an entity name with "required" or "optional"`,
          'write "<Entity>": "required" (or "optional" when the record may lack it)',
        );
    }
  }
}

/** What the stage hands on from a system.json that its rule passed. */
export function systemInfo(file: ParsedFile): SystemInfo {
  const j = file.json as Record<(typeof FIELDS)[number], string>;
  const records = file.json[RECORDS] as Record<string, RecordDeclaration> | undefined;
  return {
    system: systemOf(file),
    title: j.title,
    description: j.description,
    owner: j.owner,
    source: j.source,
    ...(records ? { records } : {}),
  };
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
