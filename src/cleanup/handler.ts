/**
 * The reference handler of the cleanup signal, for any system to adopt (docs/test-data.md,
 * "Adopting the handler"): verify → refuse a real or unknown account → delete this system's part
 * of the plan in one transaction, clearing the references a cycle needs cleared → delete its
 * persisted events of the account → acknowledge with the counts. Idempotent: a redelivered signal
 * deletes nothing more and acknowledges again with the counts of the first time.
 *
 * The store is behind a small interface (CleanupStore); postgres.ts implements it for PostgreSQL.
 */

import type { ClientAccountDataDeleted, ClientAccountDataDeletionFailed } from "../../build/generated/systems/test-data.js";
import { deletionPlan } from "./plan.js";
import type { Entity, Reference } from "./plan-graph.js";
import { type Environment, type SignalPublicKey, verifyCleanupSignal } from "./signature.js";
import { ACKNOWLEDGEMENT_TYPE, FAILURE_TYPE, PARTICIPANTS } from "./status.js";

/** What a system deleted: rows per entity, and persisted events. */
export interface DeletedCounts {
  entities: Record<string, number>;
  events: number;
}

/** What the handler asks of a system's store, inside one transaction. */
export interface CleanupTransaction {
  /** How this system knows the account: flagged as a test account, as a real one, or not at all. */
  account(clientAccountId: string): Promise<"test" | "real" | "unknown">;
  /** The counts recorded when this signal (its correlationId) was handled before, if it was. */
  handled(correlationId: string): Promise<DeletedCounts | undefined>;
  /** Records that the signal was handled, with what was deleted. */
  markHandled(correlationId: string, clientAccountId: string, counts: DeletedCounts): Promise<void>;
  /** Clears a reference (sets it to null) in every row of the account's `reference.from`; returns the rows changed. */
  clearReference(reference: Reference, clientAccountId: string): Promise<number>;
  /** Deletes every row of the account's `entity`; returns the rows deleted. */
  deleteEntities(entity: Entity, clientAccountId: string): Promise<number>;
  /** Deletes the account's persisted domain events (by their envelope's clientaccountid); returns how many. */
  deleteEvents(clientAccountId: string): Promise<number>;
}

/** A system's store: runs the handler's work in one transaction, committed only when all of it succeeded. */
export interface CleanupStore {
  transaction<T>(work: (tx: CleanupTransaction) => Promise<T>): Promise<T>;
}

/** Options of handleCleanupSignal. */
export interface HandlerOptions {
  /** This system, as named in the events tree: it acknowledges from `/systems/<system>`. */
  system: string;
  /** The environment this system runs in. */
  environment: Environment;
  store: CleanupStore;
  /** The entities this system holds (default: its part in PARTICIPANTS). */
  entities?: readonly Entity[];
  /** CLH's public keys (default: the package's). */
  keys?: readonly SignalPublicKey[];
  /** The clock (default: now). */
  now?: () => Date;
}

/** What the handler did: acted (and the acknowledgement to send), or refused (and, for a verified signal, the failure to send). */
export type HandlerOutcome =
  | { acted: true; repeated: boolean; counts: DeletedCounts; acknowledgement: ClientAccountDataDeleted }
  | { acted: false; refused: string; acknowledgement?: ClientAccountDataDeletionFailed };

/** Why the handler stopped inside the transaction: rolled back, nothing deleted. */
class Refusal extends Error {}

/**
 * Handles one incoming event that claims to be the cleanup signal. An event that does not verify
 * (verifyCleanupSignal) is refused with no acknowledgement: nobody is answered who could not prove
 * to be CLH. For a verified signal, a real or unknown account, or a failure of the store, is refused
 * with a failure acknowledgement (the transaction rolled back: nothing deleted), so that CLH sees it
 * instead of waiting. Throws only for options that cannot be right.
 */
export async function handleCleanupSignal(event: unknown, options: HandlerOptions): Promise<HandlerOutcome> {
  const now = options.now ?? (() => new Date());
  const verified = verifyCleanupSignal(event, { environment: options.environment, keys: options.keys, now: now() });
  if (!verified.ok) return { acted: false, refused: `${verified.reason}: ${verified.message}` };
  const { clientAccountId, correlationId } = verified.signal.data;
  const entities = options.entities ?? PARTICIPANTS.find((p) => p.system === options.system)?.entities ?? [];
  const plan = deletionPlan("ClientAccount", { include: entities });
  const envelope = (type: string, data: Record<string, unknown>) => ({
    specversion: "1.0",
    id: `${options.system}:${type}:${correlationId}`,
    source: `/systems/${options.system}`,
    type,
    time: now().toISOString(),
    datacontenttype: "application/json",
    clientaccountid: clientAccountId,
    data: { clientAccountId, system: options.system, correlationId, ...data },
  });
  try {
    const { counts, repeated } = await options.store.transaction(async (tx) => {
      const before = await tx.handled(correlationId);
      if (before) return { counts: before, repeated: true };
      const account = await tx.account(clientAccountId);
      if (account !== "test")
        throw new Refusal(account === "real" ? "the account is a real one here" : "this system does not know the account");
      const counts: DeletedCounts = { entities: {}, events: 0 };
      for (const stage of plan.stages) {
        // A cycle: clear the references the plan names first; then delete in the stage's order.
        for (const reference of stage.breakReferences) await tx.clearReference(reference, clientAccountId);
        for (const entity of stage.order) counts.entities[entity] = await tx.deleteEntities(entity, clientAccountId);
      }
      counts.events = await tx.deleteEvents(clientAccountId);
      await tx.markHandled(correlationId, clientAccountId, counts);
      return { counts, repeated: false };
    });
    const acknowledgement = envelope(ACKNOWLEDGEMENT_TYPE, { completedAt: now().toISOString(), deleted: counts });
    return { acted: true, repeated, counts, acknowledgement: acknowledgement as ClientAccountDataDeleted };
  } catch (e) {
    const reason =
      e instanceof Refusal ? e.message : `deleting failed, nothing was deleted: ${String((e as Error)?.message ?? e).slice(0, 400)}`;
    const failure = envelope(FAILURE_TYPE, { failedAt: now().toISOString(), reason });
    return { acted: false, refused: reason, acknowledgement: failure as ClientAccountDataDeletionFailed };
  }
}
