/**
 * Counterexample search, step 4 (check): the loop that drives steps 2 and 3. Round by round,
 * smallest candidate first, each candidate is judged (compile.ts) until one is accepted by
 * `accepts` and rejected by `rejects`, or the budget of checked candidates runs out; the one found
 * is shrunk (every property and item it can do without removed) and judged again. The next round
 * mutates the candidates `accepts` took.
 */

import type { ErrorObject } from "ajv";
import { joinPointer } from "../../diagnostics/index.js";
import { type Judge, verdict } from "./compile.js";
import { mutations } from "./mutate.js";
import { Places } from "./places.js";
import { seeds } from "./seed.js";
import { positions, without } from "./values.js";

/** A value that one schema accepts and the other rejects. */
export interface Counterexample {
  value: unknown;
  /** A JSON pointer into `value` where it matters, when known: where the rejecting schema fails. */
  at?: string;
}

const MAX_ROUNDS = 4;
/** Validations that may throw before the search gives up (compile.ts `verdict` counts them). */
const MAX_THROWS = 3;

interface Candidate {
  value: unknown;
  json: string;
  /** 0: at a hinted place, 1: where the schemas differ, 2: elsewhere. */
  priority: number;
  seq: number;
}

/**
 * The search: seeds first, then round by round the mutations of what `accepts` took, each round
 * smallest first, until a counterexample is found and shrunk, or `budget` candidates were judged.
 */
export function search(a: unknown, r: unknown, judge: Judge, hints: ReadonlySet<string>, budget: number): Counterexample | undefined {
  const seen = new Set<string>();
  let seq = 0;
  const enqueue = (list: Candidate[], value: unknown, priority: number): void => {
    const json = toJson(value);
    if (json === undefined || seen.has(json)) return;
    seen.add(json);
    list.push({ value, json, priority, seq: seq++ });
  };
  const places = new Places(a, r, hints);
  let level: Candidate[] = [];
  for (const v of seeds(a)) enqueue(level, v, 0);
  let left = budget;
  for (let round = 0; round < MAX_ROUNDS && level.length > 0 && left > 0; round++) {
    level.sort((x, y) => x.priority - y.priority || x.json.length - y.json.length || x.seq - y.seq);
    const accepted: Candidate[] = [];
    for (const c of level) {
      if (left <= 0 || judge.throws > MAX_THROWS) return undefined;
      left--;
      const v = verdict(judge, c.value);
      if (v === "accepted") accepted.push(c);
      if (v !== "counterexample") continue;
      // Check the plain JSON copy that is handed out, not the candidate that shares parts with others.
      const small = shrink(JSON.parse(c.json), judge);
      // The last verdict leaves the rejecting schema's errors for `withAt`.
      if (verdict(judge, small) === "counterexample") return withAt(small, judge.rejects.errors);
    }
    // Mutations of values `accepts` takes; when there are none yet, of everything tried.
    const parents = accepted.length > 0 ? accepted : level;
    const next: Candidate[] = [];
    const cap = left * 4;
    for (const p of parents) {
      for (const m of mutations(p.value, places)) {
        enqueue(next, m.value, m.priority);
        if (next.length >= cap) break;
      }
      if (next.length >= cap) break;
    }
    level = next;
  }
  return undefined;
}

const MAX_SHRINK_CHECKS = 500;

/**
 * The counterexample with every property and item it can do without removed: a "full" seed
 * deep in a recursive schema is found early, but a reader wants the few keys that matter.
 */
function shrink(value: unknown, judge: Judge): unknown {
  let best = value;
  let checks = 0;
  for (let improved = true; improved && checks < MAX_SHRINK_CHECKS; ) {
    improved = false;
    for (const path of positions(best)) {
      if (path.length === 0) continue;
      if (checks++ >= MAX_SHRINK_CHECKS || judge.throws > MAX_THROWS) break;
      const next = without(best, path);
      if (verdict(judge, next) === "counterexample") {
        best = next;
        improved = true;
        break;
      }
    }
  }
  return best;
}

function withAt(value: unknown, errors: ErrorObject[] | null | undefined): Counterexample {
  const e = errors?.[0];
  if (!e) return { value };
  const params = e.params as Record<string, unknown>;
  // An unwanted key is reported at its object; point at the key itself.
  for (const key of ["additionalProperty", "unevaluatedProperty", "propertyName"]) {
    const name = params[key];
    if (typeof name === "string") return { value, at: joinPointer(e.instancePath, name) };
  }
  // An unwanted item likewise: the first one past the tuple.
  if ((e.keyword === "additionalItems" || e.keyword === "items") && typeof params.limit === "number") {
    return { value, at: joinPointer(e.instancePath, params.limit) };
  }
  return { value, at: e.instancePath };
}

/** JSON text of a candidate, or undefined when it is not JSON (non-finite numbers). */
function toJson(value: unknown): string | undefined {
  let ok = true;
  const json = JSON.stringify(value, (_k, v: unknown) => {
    if (typeof v === "number" && !Number.isFinite(v)) ok = false;
    return v;
  });
  return ok ? json : undefined;
}
