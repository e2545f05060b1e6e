/**
 * Counterexamples for compatibility verdicts: a JSON value that one schema accepts and the other
 * rejects, checked with ajv against both schemas before it is returned. A verdict such as
 * "MAX_LENGTH_DECREASED breaks old data" becomes `{ "note": "aaaaaaaaaaa" }`. Part of the
 * compatibility engine's family (src/compat/): the `compat` command's report (report.ts) asks it
 * for each incompatible direction.
 *
 * The search, in the order it runs, one file per step:
 *   1. compile   compile.ts   both schemas, each with a non-strict ajv of its own (dialect from
 *                             `$schema`), and the judge that asks both about a value;
 *   2. seed      seed.ts      candidates from `accepts`: its examples, default, const and enum, and
 *                             instances the generator builds from it (minimal; with every declared
 *                             property; one per anyOf/oneOf branch);
 *   3. mutate    places.ts    what both schemas say about each place of a candidate: places that a
 *                             hint points at come first, then places where the two schemas differ;
 *                mutate.ts    the candidates `accepts` takes, one edit at one place at a time: another
 *                             value of another type, a bound of either schema, a string or array
 *                             resized to a bound, a property added or dropped;
 *   4. check     check.ts     round by round, smallest candidate first, until one is accepted by
 *                             `accepts` and rejected by `rejects`, or the budget of checked candidates
 *                             runs out; the one found is shrunk and checked again.
 * What the steps share:
 *                generate.ts  a small instance of a schema (seed, and mutate for a new property or item);
 *                regex.ts     strings that match a `pattern` (the generator, and mutate's facts);
 *                schema.ts    keywords of a schema object read and merged;
 *                values.ts    paths into a JSON value, sizes of strings and arrays.
 *
 * Patterns are read as ajv reads them (src/schema/patterns.ts) and `$ref`s resolved inside the
 * schema's own document (src/schema/refs.ts), as the compat engine does. Nothing here is random:
 * the same input gives the same answer.
 */

import type { Dialect } from "../../model/tree.js";
import { type Counterexample, search } from "./check.js";
import { compileBoth } from "./compile.js";

export type { Counterexample } from "./check.js";

/** A change a schema diff found, used to steer the search towards the place it names. */
export interface CounterexampleHint {
  /** JSON pointer into the schemas, e.g. `/properties/note` or `/$defs/Money/properties/amount`. */
  pointer: string;
  /** The change type, e.g. `MAX_LENGTH_DECREASED`. The search steers by `pointer` alone. */
  type: string;
}

/** Options of `findCounterexample`. */
export interface CounterexampleOptions {
  /** The dialect of a schema without a known `$schema`; 2020-12 when absent. */
  dialect?: Dialect;
  /** The changes a diff found; the places they point at are searched first. */
  hints?: CounterexampleHint[];
  /** How many candidates are checked at most. */
  budget?: number;
}

/** Candidates checked by default before the search gives up. */
export const DEFAULT_BUDGET = 2000;

/**
 * A value valid under `accepts` and invalid under `rejects`, or undefined when none was found.
 * Both verdicts are checked with ajv before the value is returned. Never throws for any schema
 * input: a schema ajv cannot compile gives undefined.
 */
export function findCounterexample(accepts: unknown, rejects: unknown, options: CounterexampleOptions = {}): Counterexample | undefined {
  try {
    const judge = compileBoth(accepts, rejects, options.dialect ?? "2020-12");
    if (!judge) return undefined;
    const hints = new Set((options.hints ?? []).map((h) => normalizePointer(h.pointer)));
    const budget = Number.isFinite(options.budget) ? Math.max(0, Math.floor(options.budget as number)) : DEFAULT_BUDGET;
    return search(accepts, rejects, judge, hints, budget);
  } catch {
    // The contract is "never throws": a schema too odd for ajv or for the walk has no counterexample.
    return undefined;
  }
}

/** A hint's pointer as the places name theirs: no `#`, a leading `/` unless it is the root. */
function normalizePointer(p: string): string {
  const s = p.startsWith("#") ? p.slice(1) : p;
  return s === "" || s.startsWith("/") ? s : `/${s}`;
}
