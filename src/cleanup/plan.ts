/**
 * deletionPlan: in which order to delete a (test) ClientAccount and everything that refers to it,
 * so that nothing is deleted while something still refers to it (the minutes, "Deletion to clean
 * up"). The algorithm is plan-graph.ts's, for any graph; `deletionPlan` applies it to the package's
 * graph (graph.ts: the one the build derived from the events tree), checking every name.
 */

import { ENTITIES, REFERENCES } from "./graph.js";
import { type DeletionPlan, DeletionPlanError, type Entity, planFrom, type Reference } from "./plan-graph.js";

export {
  type DeletionPlan,
  DeletionPlanError,
  type GraphEdge,
  type GraphStage,
  type PlanStage,
  planFrom,
  planGraph,
} from "./plan-graph.js";

/** Options of {@link deletionPlan}. */
export interface DeletionPlanOptions {
  /** The reference graph; default the minutes' {@link REFERENCES}. */
  references?: readonly Reference[];
  /** Entities this system holds; default all. The plan keeps the order of the full plan. */
  include?: readonly Entity[];
}

/**
 * From ClientAccount only (the minutes decided: any other start is refused with DeletionPlanError).
 * Entities that do not refer to the ClientAccount, even transitively, are not in the plan.
 */
export function deletionPlan(start: Entity | string, options: DeletionPlanOptions = {}): DeletionPlan {
  if (start !== "ClientAccount") {
    throw new DeletionPlanError(`a deletion starts only from a ClientAccount, not from ${JSON.stringify(start)}`);
  }
  const references = options.references ?? REFERENCES;
  const include = options.include ?? ENTITIES;
  // Deleting is dangerous: a misspelt entity (from untyped callers) must not silently keep its data.
  const known = new Set<string>(ENTITIES);
  for (const name of [...include, ...references.flatMap((r) => [r.from, r.to])]) {
    if (!known.has(name)) throw new DeletionPlanError(`unknown entity ${JSON.stringify(name)}`);
  }
  return planFrom(start, references, include);
}
