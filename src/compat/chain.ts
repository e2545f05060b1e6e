/**
 * The version chain: for each `vN → vN+1` of an event, how compatible the new version's data is
 * with the previous one's (under the STRICT policy). A new version exists because of a breaking
 * change; one that is fully compatible did not need to be a new version (COMPAT_VERSION_UNNEEDED).
 */

import { type Diagnostic, diagnostic, START_OF_FILE, type StageResult } from "../diagnostics/index.js";
import { SIGNATURE_PROPERTIES } from "../model/envelope.js";
import type { ChainMemo, ChainVerdict, EventEntry, StepMemo } from "../model/events-json.js";
import type { EventVersion } from "../model/tree.js";

import { compare } from "./engine/index.js";

/** The data schema of an entry, standalone: the entry's bundled definitions stay in `$defs`. */
export function dataSchemaOf(entry: EventEntry): Record<string, unknown> {
  const defs = (entry.schema.$defs ?? {}) as Record<string, Record<string, unknown>>;
  const data = defs[`${entry.typeName}Data`] ?? {};
  const out: Record<string, unknown> = { ...data, $defs: defs };
  if (typeof entry.schema.$schema === "string") out.$schema = entry.schema.$schema;
  return out;
}

/** One `vN → vN+1` step of an event: the two types, and its verdict (worked out when asked). */
export interface ChainStep {
  type: string;
  version: number;
  previous: { type: string; version: number };
  verdict(): ChainVerdict;
}

/**
 * Classifies every step of a checked tree: each verdict asked of `steps` (by the files' bytes)
 * first, and only then of the entries (`entryOf`, whose bundled schemas are made on first call).
 */
export function treeChain(
  events: readonly EventVersion[],
  entryOf: (type: string) => EventEntry,
  fileOf: (type: string) => string,
  memo?: ChainMemo,
  steps?: StepMemo,
): StageResult<Map<string, ChainVerdict>> {
  const byKey = new Map(events.map((e) => [`${e.system}/${e.topic}/${e.event}/${e.version}`, e]));
  const out: ChainStep[] = [];
  for (const ev of events) {
    const previous = byKey.get(`${ev.system}/${ev.topic}/${ev.event}/${ev.version - 1}`);
    if (!previous) continue;
    const verdict = (): ChainVerdict => {
      const known = steps?.get(previous.source.rel, ev.source.rel);
      if (known !== undefined) return known;
      const made = pairVerdict(entryOf(previous.type), entryOf(ev.type), memo);
      steps?.set(previous.source.rel, ev.source.rel, made);
      return made;
    };
    out.push({ type: ev.type, version: ev.version, previous: { type: previous.type, version: previous.version }, verdict });
  }
  return chainSteps(out, fileOf);
}

/**
 * How compatible `next`'s data is with `previous`'s: asked of the memo first, else of the engine.
 * A step that starts or stops signing the event changes its closed envelope by two required
 * attributes: neither version's readers accept the other's events, whatever the data ("none").
 */
export function pairVerdict(previous: EventEntry, next: EventEntry, memo?: ChainMemo): ChainVerdict {
  if (signed(previous) !== signed(next)) return "none";
  const [before, after] = [dataSchemaOf(previous), dataSchemaOf(next)];
  const make = (): ChainVerdict => {
    const result = compare(before, after);
    return result.full ? "full" : result.backward ? "backward" : result.forward ? "forward" : "none";
  };
  return memo ? memo.verdict(before, after, make) : make();
}

/** Whether an entry's envelope carries the signature attributes (model/envelope.ts). */
function signed(entry: EventEntry): boolean {
  const required = entry.schema.required;
  return Array.isArray(required) && Object.keys(SIGNATURE_PROPERTIES).every((name) => required.includes(name));
}

/** The verdict of each step, and a warning for each version that did not need to be one. */
export function chainSteps(steps: readonly ChainStep[], fileOf: (type: string) => string): StageResult<Map<string, ChainVerdict>> {
  const verdicts = new Map<string, ChainVerdict>();
  const diagnostics: Diagnostic[] = [];
  for (const step of steps) {
    const verdict = step.verdict();
    verdicts.set(step.type, verdict);
    if (verdict === "full") {
      diagnostics.push(
        diagnostic(
          "COMPAT_VERSION_UNNEEDED",
          fileOf(step.type),
          "",
          `version ${step.version} is fully compatible with version ${step.previous.version}`,
          {
            hint: `if version ${step.version} is not released yet, make the change in ${fileOf(step.previous.type).split("/").at(-1)} and delete ${fileOf(step.type).split("/").at(-1)}: a new version is for breaking changes only`,
            locate: START_OF_FILE,
          },
        ),
      );
    }
  }
  return { value: verdicts, diagnostics };
}
