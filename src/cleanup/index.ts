/**
 * `domain-events/cleanup`: the test-data cleanup contract of the minutes, as code.
 *
 * Deletion starts only at a ClientAccount; test ClientAccounts are flagged (`isTest`); only CLH, the
 * owner, sends the signal that one was deleted (`clh.client-account.test-client-account-deleted.v2`,
 * whose schema fixes `isTest` to true and whose envelope pins `source` to CLH's), signed with its
 * key of the environment (`signCleanupSignal`); every system that holds an entity of the graph the
 * build derived from the schemas (`PARTICIPANTS`) verifies it (`verifyCleanupSignal`: signature,
 * environment, age), deletes its part of `deletionPlan()` and its persisted events of the account
 * (`handleCleanupSignal` over a `CleanupStore`, `postgresStore` for PostgreSQL), and acknowledges;
 * CLH tells from the acknowledgements whether the cleanup is complete (`cleanupStatus`).
 */

import type { EventEnvelope } from "../../build/generated/index.js";
import { type TestClientAccountDeletedV2, validators } from "../../build/generated/systems/clh.js";

export { CanonicalJsonError, canonicalJson } from "./canonical-json.js";
export { ENTITIES, ENTITY_INFO, type Entity, type EntityInfo, REFERENCES, type Reference } from "./graph.js";
export {
  type CleanupStore,
  type CleanupTransaction,
  type DeletedCounts,
  type HandlerOptions,
  type HandlerOutcome,
  handleCleanupSignal,
} from "./handler.js";
export { type DeletionPlan, DeletionPlanError, type DeletionPlanOptions, deletionPlan, type PlanStage, planGraph } from "./plan.js";
export { type PostgresMapping, postgresStore, type SqlClient } from "./postgres.js";
export {
  ENVIRONMENTS,
  type Environment,
  KEY_ID_ATTRIBUTE,
  type RefusalReason,
  SIGNAL_CLOCK_SKEW_MS,
  SIGNAL_KEYS,
  SIGNAL_MAX_AGE_MS,
  SIGNATURE_ATTRIBUTE,
  type SignalPrivateKey,
  type SignalPublicKey,
  type SignedCleanupSignal,
  signCleanupSignal,
  signedBytes,
  type UnsignedCleanupSignal,
  type VerifyOptions,
  type VerifyResult,
  verifyCleanupSignal,
} from "./signature.js";
export {
  ACKNOWLEDGEMENT_TYPE,
  type CleanupStatus,
  cleanupStatus,
  FAILURE_TYPE,
  PARTICIPANTS,
  type Participant,
} from "./status.js";

/** The type of the cleanup signal. */
export const SIGNAL_TYPE = "clh.client-account.test-client-account-deleted.v2";

/** The CloudEvents source of CLH, the owner of ClientAccounts: the only one that may send the signal. */
export const OWNER_SOURCE = "/systems/clh";

/**
 * Shape only: true for a value that is a valid cleanup signal by its schema (from the owner's
 * source, about a test account). It cannot tell CLH's signal from a forgery with CLH's source:
 * never delete on it. A system acts only on what {@link verifyCleanupSignal} returns (signature,
 * environment, age). Never throws: a value whose getters or proxy traps throw (even only on a
 * second read) is not one. The signature attributes must be there (the schema requires them); the
 * signature itself is not checked.
 */
export function isCleanupSignal(event: unknown): event is TestClientAccountDeletedV2 {
  try {
    const result = validators[SIGNAL_TYPE](event);
    // The schema already pins both; checking them again here keeps the guard safe on its own. The
    // second read goes through the value's getters again, hence the try.
    return result.ok && result.event.source === OWNER_SOURCE && result.event.data.isTest === true;
  } catch {
    return false;
  }
}

/**
 * True when a persisted event belongs to the ClientAccount: the envelope's `clientaccountid`, which
 * every event carries, is what lets an event store find the events to delete. Never throws: a value
 * whose getters or proxy traps throw belongs to no account.
 */
export function belongsToClientAccount(event: unknown, clientAccountId: string): event is EventEnvelope {
  try {
    return (
      typeof event === "object" &&
      event !== null &&
      Object.hasOwn(event, "clientaccountid") &&
      (event as { clientaccountid: unknown }).clientaccountid === clientAccountId
    );
  } catch {
    return false;
  }
}
