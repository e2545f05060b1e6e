/**
 * `domain-events compat OLD NEW`: the verdict of the compatibility engine, and for each
 * incompatible direction a counterexample, checked with ajv before it is shown.
 */

import { patternVerdict } from "../schema/redos.js";
import { isObject, walkSchema } from "../schema/walk.js";
import { findCounterexample } from "./counterexample/index.js";
import { CHANGE_TYPES, type Change, compare, type Policy } from "./engine/index.js";
import { loadStandalone } from "./standalone.js";

/** A value one schema accepts and the other rejects. */
export interface CompatCounterexample {
  /** "backward": OLD accepts it and NEW rejects it (a consumer on NEW cannot read an old event); "forward": the reverse. */
  direction: "backward" | "forward";
  value: unknown;
  acceptedBy: "OLD" | "NEW";
  rejectedBy: "OLD" | "NEW";
}

/** The compat report (DESIGN §4), plus counterexamples. */
export interface CompatReport {
  backward: boolean;
  forward: boolean;
  full: boolean;
  changes: Change[];
  counterexamples: CompatCounterexample[];
}

/** Compares two schema files (their relative references bundled). */
export async function compareFiles(oldFile: string, newFile: string, policy: Policy): Promise<CompatReport> {
  // Both are read at once, and a failure is reported for OLD first: the same message every run.
  const [oldRead, newRead] = await Promise.allSettled([loadStandalone(oldFile), loadStandalone(newFile)]);
  if (oldRead.status === "rejected") throw oldRead.reason;
  if (newRead.status === "rejected") throw newRead.reason;
  const [oldSchema, newSchema] = [oldRead.value, newRead.value];
  return compareSchemas(oldSchema, newSchema, policy);
}

/** Compares two self-contained schemas. */
export function compareSchemas(oldSchema: unknown, newSchema: unknown, policy: Policy): CompatReport {
  const result = compare(oldSchema, newSchema, { policy });
  const hints = result.changes.map((c) => ({ pointer: c.pointer, type: c.type }));
  const counterexamples: CompatCounterexample[] = [];
  // The search runs the schemas' patterns on many strings: only patterns proven safe from ReDoS.
  if (!patternsSafe(oldSchema) || !patternsSafe(newSchema)) return { ...result, counterexamples };
  if (!result.backward) {
    const found = findCounterexample(oldSchema, newSchema, { hints });
    if (found) counterexamples.push({ direction: "backward", value: found.value, acceptedBy: "OLD", rejectedBy: "NEW" });
  }
  if (!result.forward) {
    const found = findCounterexample(newSchema, oldSchema, { hints });
    if (found) counterexamples.push({ direction: "forward", value: found.value, acceptedBy: "NEW", rejectedBy: "OLD" });
  }
  return { backward: result.backward, forward: result.forward, full: result.full, changes: result.changes, counterexamples };
}

function patternsSafe(schema: unknown): boolean {
  let safe = true;
  walkSchema(schema, ({ schema: s }) => {
    const patterns = [s.pattern, ...(isObject(s.patternProperties) ? Object.keys(s.patternProperties) : [])];
    for (const p of patterns) if (typeof p === "string" && patternVerdict(p).status !== "safe") safe = false;
  });
  return safe;
}

/** The one-sentence explanation of a change type. */
export function explain(type: string): string {
  return CHANGE_TYPES[type]?.sentence ?? type.toLowerCase().replace(/_/g, " ");
}
