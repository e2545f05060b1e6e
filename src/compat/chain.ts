/**
 * The version chain: for each `vN → vN+1` of an event, how compatible the new version's data is
 * with the previous one's (under the STRICT policy). A new version exists because of a breaking
 * change; one that is fully compatible did not need to be a new version (COMPAT_VERSION_UNNEEDED).
 */

import { type Diagnostic, diagnostic, START_OF_FILE, type StageResult } from "../diagnostics/index.js";
import type { ChainMemo, ChainVerdict, EventEntry } from "../model/events-json.js";

import { compare } from "./engine/index.js";

/** The data schema of an entry, standalone: the entry's bundled definitions stay in `$defs`. */
export function dataSchemaOf(entry: EventEntry): Record<string, unknown> {
  const defs = (entry.schema.$defs ?? {}) as Record<string, Record<string, unknown>>;
  const data = defs[`${entry.typeName}Data`] ?? {};
  const out: Record<string, unknown> = { ...data, $defs: defs };
  if (typeof entry.schema.$schema === "string") out.$schema = entry.schema.$schema;
  return out;
}

/** Classifies every `vN → vN+1` step. `fileOf` names the file of a type, for the warnings. */
export function chain(
  entries: readonly EventEntry[],
  fileOf: (type: string) => string,
  memo?: ChainMemo,
): StageResult<Map<string, ChainVerdict>> {
  const verdicts = new Map<string, ChainVerdict>();
  const diagnostics: Diagnostic[] = [];
  const byKey = new Map(entries.map((e) => [`${e.system}/${e.topic}/${e.event}/${e.version}`, e]));
  for (const entry of entries) {
    const previous = byKey.get(`${entry.system}/${entry.topic}/${entry.event}/${entry.version - 1}`);
    if (!previous) continue;
    const [before, after] = [dataSchemaOf(previous), dataSchemaOf(entry)];
    let verdict = memo?.get(before, after);
    if (verdict === undefined) {
      const result = compare(before, after);
      verdict = result.full ? "full" : result.backward ? "backward" : result.forward ? "forward" : "none";
      memo?.set(before, after, verdict);
    }
    verdicts.set(entry.type, verdict);
    if (verdict === "full") {
      diagnostics.push(
        diagnostic(
          "COMPAT_VERSION_UNNEEDED",
          fileOf(entry.type),
          "",
          `version ${entry.version} is fully compatible with version ${previous.version}`,
          {
            hint: `if version ${entry.version} is not released yet, make the change in ${fileOf(previous.type).split("/").at(-1)} and delete ${fileOf(entry.type).split("/").at(-1)}: a new version is for breaking changes only`,
            locate: START_OF_FILE,
          },
        ),
      );
    }
  }
  return { value: verdicts, diagnostics };
}
