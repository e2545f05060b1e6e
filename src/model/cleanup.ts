/**
 * The test-data cleanup's reference graph, as the build derives it from the events tree and
 * publishes it in `cleanup.json` (generate/cleanup.ts): who refers to whom, and who holds what.
 *
 * - An entity is an id definition of `_shared/ids.json` (`contractId` is the entity `Contract`),
 *   or a record a system declares in its `system.json` (`records`: what has no events of its
 *   own, such as the payment provider's records of a payment profile).
 * - A topic whose name is an entity's (`payment-profile` for `PaymentProfile`) is that entity's:
 *   an event of the topic that carries another entity's id (a `$ref` to its id definition) is a
 *   reference of the topic's entity to it, optional when no event of the topic requires it.
 * - Every entity refers to the ClientAccount it belongs to: every envelope carries `clientaccountid`.
 * - A system holds the entities of its topics and the records it declares.
 */

/** The entity every other belongs to, and where every deletion starts. */
export const CLEANUP_ROOT = "ClientAccount";

/** One entity of the graph. */
export interface CleanupEntity {
  name: string;
  /** Its id definition (`_shared/ids.json#/$defs/contractId`); absent for a declared record. */
  id?: string;
  /** The topics whose events are about it, as `<system>/<topic>`. */
  topics: string[];
  /** The systems that hold it: those of its topics, and those that declare it as a record. */
  heldBy: string[];
  /** For a declared record: what it is, in the declaring system's words. */
  description?: string;
}

/** `from` refers to `to`: deleting `to` requires deleting (or detaching) `from` first. */
export interface CleanupReference {
  from: string;
  to: string;
  /** No event of `from`'s topics requires the id (or a record declares it optional): it may be cleared. */
  optional: boolean;
  /** What carries the reference: event types, `envelope` (clientaccountid), or a `system.json` that declares it. */
  carriedBy: string[];
}

/** The whole graph: the entities and references, sorted by name. */
export interface CleanupGraph {
  root: typeof CLEANUP_ROOT;
  entities: CleanupEntity[];
  references: CleanupReference[];
}

/** A record a system declares in its system.json (`records`): an entity without events of its own. */
export interface RecordDeclaration {
  description: string;
  /** The entities the record refers to, each `required` or `optional`. */
  refersTo: Record<string, "required" | "optional">;
}
