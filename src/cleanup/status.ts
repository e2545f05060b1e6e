/**
 * Who takes part in a cleanup, and whether it is complete: CLH's side of the acknowledgements.
 *
 * The participants are the systems that hold an entity of the graph (graph.ts: those of the
 * entities' topics and those that declare records), each with its part of the plan. Each one, on a
 * verified signal, deletes its part and its persisted events of the account, then acknowledges
 * with `client-account-data-deleted` or, when it could not, `client-account-data-deletion-failed`;
 * `cleanupStatus` tells from the acknowledgements CLH received which systems are done, which
 * failed and which are pending. Only acknowledgements that are valid events, from the source of the
 * system they name, for this signal's correlationId and account count; the others are listed as
 * ignored with the reason, never silently dropped.
 */

import CLEANUP from "../../build/generated/cleanup.json" with { type: "json" };
import {
  type ClientAccountDataDeleted,
  type ClientAccountDataDeletionFailed,
  validators,
} from "../../build/generated/systems/test-data.js";
import type { DeletionPlan, PlanStage } from "./plan-graph.js";
import { jsonCopy } from "./signature.js";

/** The acknowledgement a system sends when it has deleted a test account's data. */
export const ACKNOWLEDGEMENT_TYPE = "test-data.client-account-cleanup.client-account-data-deleted.v1";
/** The acknowledgement a system sends when it could not delete a test account's data. */
export const FAILURE_TYPE = "test-data.client-account-cleanup.client-account-data-deletion-failed.v1";

/** A system that takes part in every cleanup: what it holds, and its part of the plan. */
export interface Participant {
  system: string;
  entities: readonly string[];
  plan: DeletionPlan;
}

/** Every system that must acknowledge a cleanup, by name. */
export const PARTICIPANTS: readonly Participant[] = Object.freeze(
  (CLEANUP as { participants: { system: string; entities: string[]; stages: PlanStage[] }[] }).participants.map((p) =>
    Object.freeze({
      system: p.system,
      entities: Object.freeze([...p.entities]),
      plan: { start: "ClientAccount" as const, stages: p.stages },
    }),
  ),
);

/** Where a cleanup stands, from the acknowledgements received. */
export interface CleanupStatus {
  /** Every participant acknowledged that it deleted its data (its latest acknowledgement says so). */
  complete: boolean;
  /** The participants done, with what they deleted. */
  done: { system: string; at: string; deleted: ClientAccountDataDeleted["data"]["deleted"] }[];
  /** The participants whose latest acknowledgement reports a failure, with its reason. */
  failed: { system: string; at: string; reason: string }[];
  /** The participants not heard from. */
  pending: string[];
  /** What did not count, by its index in the list given, and why. */
  ignored: { index: number; reason: string }[];
}

/**
 * Where the cleanup a signal started stands. `signal` is the signal CLH sent (its correlationId and
 * account); `acknowledgements` what CLH received, in any order, duplicates and strangers included;
 * `participants` the systems to wait for (default: PARTICIPANTS). Per system the latest
 * acknowledgement (by its `time`; on a tie, success) decides: a retry that succeeded after a
 * failure completes it. Never throws for what it is given to read.
 */
export function cleanupStatus(
  signal: { data: { correlationId: string; clientAccountId: string } },
  acknowledgements: readonly unknown[],
  participants: readonly string[] = PARTICIPANTS.map((p) => p.system),
): CleanupStatus {
  const { correlationId, clientAccountId } = signal.data;
  const expected = new Set(participants);
  const latest = new Map<string, { ack: ClientAccountDataDeleted | ClientAccountDataDeletionFailed; time: number }>();
  const ignored: CleanupStatus["ignored"] = [];
  // Why an acknowledgement does not count, or undefined when it does (then it is the system's latest, or older).
  const consider = (ack: ClientAccountDataDeleted | ClientAccountDataDeletionFailed | string): string | undefined => {
    if (typeof ack === "string") return ack;
    const { data } = ack;
    if (data.correlationId !== correlationId) return `for another signal (correlationId ${data.correlationId})`;
    if (data.clientAccountId !== clientAccountId) return `for another account (${data.clientAccountId})`;
    if (ack.source !== `/systems/${data.system}`) return `names ${data.system} but comes from ${ack.source}`;
    if (!expected.has(data.system)) return `${data.system} is not a participant`;
    // A time no clock can place (a leap second) counts as the oldest.
    const time = Number.isFinite(Date.parse(ack.time)) ? Date.parse(ack.time) : Number.NEGATIVE_INFINITY;
    const known = latest.get(data.system);
    if (!known || time > known.time || (time === known.time && ack.type === ACKNOWLEDGEMENT_TYPE)) latest.set(data.system, { ack, time });
    return undefined;
  };
  for (const [index, value] of acknowledgements.entries()) {
    const why = consider(readAcknowledgement(value));
    if (why !== undefined) ignored.push({ index, reason: why });
  }
  const done: CleanupStatus["done"] = [];
  const failed: CleanupStatus["failed"] = [];
  const pending: string[] = [];
  for (const system of [...expected].sort()) {
    const ack = latest.get(system)?.ack;
    if (!ack) pending.push(system);
    else if (ack.type === ACKNOWLEDGEMENT_TYPE)
      done.push({ system, at: ack.time, deleted: (ack as ClientAccountDataDeleted).data.deleted });
    else failed.push({ system, at: ack.time, reason: (ack as ClientAccountDataDeletionFailed).data.reason });
  }
  return { complete: pending.length === 0 && failed.length === 0, done, failed, pending, ignored };
}

/** The acknowledgement, validated (a copy read once), or why it is none. */
function readAcknowledgement(value: unknown): ClientAccountDataDeleted | ClientAccountDataDeletionFailed | string {
  const copy = jsonCopy(value);
  const type = copy?.type;
  if (type !== ACKNOWLEDGEMENT_TYPE && type !== FAILURE_TYPE) return `not an acknowledgement (type ${JSON.stringify(type)})`;
  const result = validators[type](copy);
  if (!result.ok) return `invalid: ${result.errors[0]?.pointer || "the event"} ${result.errors[0]?.message ?? ""}`.trimEnd();
  return result.event;
}
