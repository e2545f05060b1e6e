/**
 * An example consumer of the test-data cleanup contract: one system's data, in memory.
 *
 * It holds entities of several kinds for several ClientAccounts, and the domain events it has
 * persisted. On the cleanup signal it verifies the signal with `verifyCleanupSignal` (CLH's
 * signature with a key of this system's environment, the signal's schema, its environment and its
 * age) and acts only on the copy that call returns; it refuses to act for an account it knows as real, deletes
 * the account's entities in the order of `deletionPlan()` (clearing the references a cycle needs
 * cleared first), deletes the account's persisted events with `belongsToClientAccount`, and answers
 * with the acknowledgement event. Every deletion checks that nothing still refers to what it
 * deletes, so a wrong plan would fail loudly rather than leave dangling references.
 *
 * test/cleanup.test.ts type-checks and runs it.
 */

import { type DomainEvent, parseEvent } from "domain-events";
import {
  ACKNOWLEDGEMENT_TYPE,
  belongsToClientAccount,
  deletionPlan,
  type Entity,
  type Environment,
  type SignalPublicKey,
  verifyCleanupSignal,
} from "domain-events/cleanup";

/** One stored entity: its kind, id, owner, and the entities it refers to (by kind and id). */
export interface Row {
  entity: Entity;
  id: string;
  clientAccountId: string;
  refs: Partial<Record<Entity, string | null>>;
}

/** What handling an event did. */
export interface Outcome {
  acted: boolean;
  /** Why nothing was deleted, when nothing was. */
  refused?: string;
  acknowledgement?: DomainEvent;
}

/** A system's store: entities by kind and id, and its persisted domain events. */
export class InMemorySystem {
  readonly rows = new Map<string, Row>();
  readonly events: unknown[] = [];
  /** ClientAccounts this system has seen created, with their isTest flag. */
  readonly accounts = new Map<string, { isTest: boolean }>();

  /**
   * `keys`: CLH's public keys (default: the package's); `now`: the clock (tests pass a fixed one).
   */
  constructor(
    readonly name: string,
    readonly environment: Environment,
    private readonly options: { keys?: readonly SignalPublicKey[]; now?: () => number } = {},
  ) {}

  /** Stores an entity (its references must exist: no dangling reference ever enters the store). */
  insert(row: Row): void {
    for (const [entity, id] of Object.entries(row.refs)) {
      if (id && !this.rows.has(`${entity}:${id}`)) throw new Error(`${row.entity} ${row.id} refers to a missing ${entity} ${id}`);
    }
    this.rows.set(`${row.entity}:${row.id}`, row);
  }

  /** Sets a reference of a stored entity (the target must exist): how cycles are stored. */
  link(from: Entity, id: string, to: Entity, target: string): void {
    const row = this.rows.get(`${from}:${id}`);
    if (!row || !this.rows.has(`${to}:${target}`)) throw new Error(`cannot link ${from} ${id} to ${to} ${target}`);
    row.refs[to] = target;
  }

  /** Persists a domain event (validated: only events of the package are stored). */
  persist(event: unknown): void {
    const parsed = parseEvent(event);
    if (parsed.type === "clh.client-account.client-account-created.v2")
      this.accounts.set(parsed.data.clientAccountId, { isTest: parsed.data.isTest });
    this.events.push(parsed);
  }

  /** Handles an incoming event: the cleanup signal, or anything else (ignored here). */
  handle(event: unknown): Outcome {
    const verified = verifyCleanupSignal(event, { environment: this.environment, keys: this.options.keys, now: this.options.now?.() });
    if (!verified.ok) return { acted: false, refused: `${verified.reason}: ${verified.message}` };
    // From here on only the verified copy is read: the value given could answer differently now.
    const { clientAccountId, correlationId } = verified.signal.data;
    // Belt and braces: never delete an account this system knows as a real one.
    const known = this.accounts.get(clientAccountId);
    if (!known) return { acted: false, refused: "unknown client account" };
    if (!known.isTest) return { acted: false, refused: "the account is not a test account here" };

    const counts: Record<string, number> = {};
    const held = [...new Set([...this.rows.values()].map((r) => r.entity))];
    const plan = deletionPlan("ClientAccount", { include: held });
    for (const stage of plan.stages) {
      const mine = (entity: Entity) => [...this.rows.values()].filter((r) => r.entity === entity && r.clientAccountId === clientAccountId);
      // A cycle: clear the references the plan names, then delete in the stage's order.
      for (const ref of stage.breakReferences) for (const row of mine(ref.from)) row.refs[ref.to] = null;
      for (const entity of stage.order) {
        for (const row of mine(entity)) {
          this.delete(row);
          counts[entity] = (counts[entity] ?? 0) + 1;
        }
      }
    }
    const before = this.events.length;
    for (let i = this.events.length - 1; i >= 0; i--) if (belongsToClientAccount(this.events[i], clientAccountId)) this.events.splice(i, 1);
    const acknowledgement = parseEvent({
      specversion: "1.0",
      id: `${this.name}-ack-${correlationId}`,
      source: `/systems/${this.name}`,
      type: ACKNOWLEDGEMENT_TYPE,
      time: new Date(0).toISOString(),
      datacontenttype: "application/json",
      clientaccountid: clientAccountId,
      data: {
        clientAccountId,
        system: this.name,
        correlationId,
        completedAt: new Date(0).toISOString(),
        deleted: { entities: counts, events: before - this.events.length },
      },
    });
    return { acted: true, acknowledgement };
  }

  private delete(row: Row): void {
    for (const other of this.rows.values()) {
      if (other !== row && other.refs[row.entity] === row.id) {
        throw new Error(`cannot delete ${row.entity} ${row.id}: ${other.entity} ${other.id} still refers to it`);
      }
    }
    this.rows.delete(`${row.entity}:${row.id}`);
  }
}
