/**
 * An example consumer of the test-data cleanup contract: one system's data, in memory, behind the
 * reference handler (`handleCleanupSignal`). It shows what a system writes to adopt it when its data
 * is not in PostgreSQL (for PostgreSQL, `postgresStore` is that code): a `CleanupStore`.
 *
 * It holds entities of several kinds for several ClientAccounts, and the domain events it has
 * persisted. The handler verifies the signal (CLH's signature, environment, age), refuses an
 * account this system knows as real or does not know, deletes this system's part of the plan
 * (clearing the references a cycle needs cleared first), then the account's persisted events, and
 * returns the acknowledgement. Every deletion checks that nothing still refers to what it deletes,
 * as a database's foreign keys would, so a wrong plan fails loudly; a transaction that fails is
 * undone whole.
 *
 * test/cleanup.test.ts type-checks and runs it.
 */

import { parseEvent } from "domain-events";
import {
  belongsToClientAccount,
  type CleanupStore,
  type CleanupTransaction,
  type DeletedCounts,
  ENTITIES,
  type Entity,
  type Environment,
  type HandlerOutcome,
  handleCleanupSignal,
  type SignalPublicKey,
} from "domain-events/cleanup";

/** One stored entity: its kind, id, owner, and the entities it refers to (by kind and id). */
export interface Row {
  entity: Entity;
  id: string;
  clientAccountId: string;
  refs: Partial<Record<Entity, string | null>>;
}

/** A system's store: entities by kind and id, and its persisted domain events. */
export class InMemorySystem implements CleanupStore {
  rows = new Map<string, Row>();
  events: unknown[] = [];
  /** ClientAccounts this system has seen created, with their isTest flag. */
  readonly accounts = new Map<string, { isTest: boolean }>();
  /** Signals handled, by correlationId, with what they deleted. */
  private handledSignals = new Map<string, DeletedCounts>();

  /**
   * `keys`: CLH's public keys (default: the package's); `now`: the clock (tests pass a fixed one).
   * This example holds every entity of the graph.
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

  /** Handles an incoming event that claims to be the cleanup signal: the reference handler over this store. */
  handle(event: unknown): Promise<HandlerOutcome> {
    const now = this.options.now;
    return handleCleanupSignal(event, {
      system: this.name,
      environment: this.environment,
      store: this,
      entities: ENTITIES,
      keys: this.options.keys,
      now: now ? () => new Date(now()) : undefined,
    });
  }

  /** CleanupStore: the work on copies, kept only when all of it succeeded. */
  async transaction<T>(work: (tx: CleanupTransaction) => Promise<T>): Promise<T> {
    const saved = {
      rows: new Map([...this.rows].map(([k, r]) => [k, { ...r, refs: { ...r.refs } }])),
      events: [...this.events],
      handled: new Map(this.handledSignals),
    };
    try {
      return await work(this.tx);
    } catch (e) {
      this.rows = saved.rows;
      this.events = saved.events;
      this.handledSignals = saved.handled;
      throw e;
    }
  }

  private readonly tx: CleanupTransaction = {
    account: async (id) => {
      const known = this.accounts.get(id);
      return known === undefined ? "unknown" : known.isTest ? "test" : "real";
    },
    handled: async (correlationId) => this.handledSignals.get(correlationId),
    markHandled: async (correlationId, _account, counts) => {
      this.handledSignals.set(correlationId, counts);
    },
    clearReference: async (reference, account) => {
      let n = 0;
      for (const row of this.of(reference.from, account)) {
        if (row.refs[reference.to]) n++;
        row.refs[reference.to] = null;
      }
      return n;
    },
    deleteEntities: async (entity, account) => {
      const rows = this.of(entity, account);
      for (const row of rows) this.delete(row);
      return rows.length;
    },
    deleteEvents: async (account) => {
      const before = this.events.length;
      this.events = this.events.filter((e) => !belongsToClientAccount(e, account));
      return before - this.events.length;
    },
  };

  private of(entity: Entity, account: string): Row[] {
    return [...this.rows.values()].filter((r) => r.entity === entity && r.clientAccountId === account);
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
