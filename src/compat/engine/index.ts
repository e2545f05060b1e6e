/**
 * Schema compatibility in the model of Confluent Schema Registry (DESIGN §4 "Compatibility"):
 *
 *   load     load.ts         each schema → typed nodes (model.ts); dialect from `$schema`
 *   walk     compare.ts      a pair of nodes → the changes from old to new, one module per kind:
 *                            string, number, enum, object, array, combined (+ matching), not, conditional
 *   judge    this file       a change keeps BACKWARD compatibility when its type is in the policy's
 *                            set (change-types.ts); FORWARD is the same walk from new to old
 *
 * Backward: every event valid under OLD is valid under NEW (a consumer on NEW reads old events).
 * Forward: every event valid under NEW is valid under OLD. Full: both.
 */

import { cmp } from "../../diagnostics/index.js";
import type { Dialect } from "../../model/tree.js";
import { type ChangeType, COMPATIBLE_LENIENT, COMPATIBLE_STRICT } from "./change-types.js";
import { compareNodes } from "./compare.js";
import { Context, type Found } from "./context.js";
import { loadSchema } from "./load.js";

/** The change types with their sentences, and the two policies' compatible sets (see change-types.ts). */
export { CHANGE_TYPES, type ChangeType, COMPATIBLE_LENIENT, COMPATIBLE_STRICT } from "./change-types.js";

/** Which changes count as compatible: Confluent's STRICT (the default) or LENIENT set. */
export type Policy = "strict" | "lenient";

/** Options of `diff` and `compare`. */
export interface CompatOptions {
  /** Confluent's policy; "strict" by default. */
  policy?: Policy;
  /** The dialect of a schema without `$schema`; "2020-12" by default. */
  dialect?: Dialect;
}

/** One difference between the old and the new schema. */
export interface Change {
  /** Confluent's `Difference.Type` name (or one of our own, see `CHANGE_TYPES`). */
  type: ChangeType;
  /**
   * JSON pointer of the place that changed ("" is the root): in the new schema, or in the old one
   * for something removed. Through a `$ref` it is the place of the referenced schema.
   */
  pointer: string;
  /** The change keeps BACKWARD compatibility: its type is in the policy's compatible set. */
  backward: boolean;
  /** The same place seen from the other direction (new → old) has only compatible changes. */
  forward: boolean;
  /** For a change to an object or array: whether the OLD schema's content model there was open or closed (or partially open). */
  contentModel?: "open" | "closed";
}

/** The verdicts of a comparison, and the changes from old to new. */
export interface CompatResult {
  backward: boolean;
  forward: boolean;
  full: boolean;
  changes: Change[];
}

/** The compatible set of a policy. */
export function compatibleSet(policy: Policy = "strict"): ReadonlySet<string> {
  return policy === "lenient" ? COMPATIBLE_LENIENT : COMPATIBLE_STRICT;
}

/** The changes from `oldSchema` to `newSchema` (Confluent's `SchemaDiff.compare(original, update)`). */
export function diff(oldSchema: unknown, newSchema: unknown, options: CompatOptions = {}): Change[] {
  return judge(walk(oldSchema, newSchema, options), walk(newSchema, oldSchema, options), compatibleSet(options.policy));
}

/** Classifies the change from `oldSchema` to `newSchema`: backward, forward, full, and the changes. */
export function compare(oldSchema: unknown, newSchema: unknown, options: CompatOptions = {}): CompatResult {
  const set = compatibleSet(options.policy);
  const forwardFound = walk(oldSchema, newSchema, options);
  const reverseFound = walk(newSchema, oldSchema, options);
  const backward = forwardFound.every((f) => set.has(f.type));
  const forward = reverseFound.every((f) => set.has(f.type));
  return { backward, forward, full: backward && forward, changes: judge(forwardFound, reverseFound, set) };
}

function walk(oldSchema: unknown, newSchema: unknown, options: CompatOptions): Found[] {
  const dialect = options.dialect ?? "2020-12";
  const ctx = new Context(compatibleSet(options.policy));
  const found = compareNodes(ctx, loadSchema(oldSchema, dialect), loadSchema(newSchema, dialect));
  // A schema reached through several references is compared once and reported once.
  const seen = new Set<string>();
  return found.filter((f) => {
    const key = `${f.type} ${f.side} ${f.old} ${f.new}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

function judge(found: readonly Found[], reverse: readonly Found[], set: ReadonlySet<string>): Change[] {
  const changes = found.map((f): Change => {
    const sameplace = reverse.filter((r) => r.old === f.new && r.new === f.old);
    const change: Change = {
      type: f.type,
      pointer: f.side === "old" ? f.old : f.new,
      backward: set.has(f.type),
      forward: sameplace.every((r) => set.has(r.type)),
    };
    if (f.contentModel) change.contentModel = f.contentModel;
    return change;
  });
  return changes.sort((a, b) => cmp(a.pointer, b.pointer) || cmp(a.type, b.type));
}
