/**
 * The cleanup store for PostgreSQL (handler.ts CleanupStore): a system tells where its entities,
 * its known accounts and its persisted events are (PostgresMapping), and gives one connection
 * (`query(text, params)`: node-postgres' Client and PGlite both fit). No driver is a dependency.
 *
 * Everything runs in one transaction (BEGIN … COMMIT, ROLLBACK on any error): the database's own
 * foreign keys decide whether the plan's order works, and a failure deletes nothing. Identifiers
 * come from the mapping, are checked (letters, digits, underscores; optionally schema-qualified) and
 * quoted; values are parameters, never text in the SQL.
 */

import type { CleanupStore, CleanupTransaction, DeletedCounts } from "./handler.js";
import type { Entity, Reference } from "./plan-graph.js";

/** One connection: node-postgres' Client (rowCount) or PGlite (affectedRows). Not a pool: a transaction needs one connection. */
export interface SqlClient {
  query(text: string, params?: unknown[]): Promise<{ rows: Record<string, unknown>[]; rowCount?: number | null; affectedRows?: number }>;
}

/** Where a system keeps what the cleanup deletes. */
export interface PostgresMapping {
  /** The accounts this system knows: their id and whether they are test accounts. */
  accounts: { table: string; id: string; isTest: string };
  /** Per entity this system holds: its table, the column of its ClientAccount, and the column of each reference it holds. */
  entities: Record<Entity, { table: string; clientAccount: string; references?: Record<Entity, string> }>;
  /** The persisted domain events: their table and the column of their envelope's clientaccountid. */
  events: { table: string; clientAccount: string };
  /** Where handled signals are recorded (correlation_id text primary key, client_account_id text, counts jsonb); created when missing. */
  handled?: string;
}

/** A store over one PostgreSQL connection. */
export function postgresStore(client: SqlClient, mapping: PostgresMapping): CleanupStore {
  const handledTable = quote(mapping.handled ?? "domain_events_cleanup_handled");
  const tx: CleanupTransaction = {
    async account(id) {
      const a = mapping.accounts;
      const { rows } = await client.query(`SELECT ${quote(a.isTest)} AS is_test FROM ${quote(a.table)} WHERE ${quote(a.id)} = $1`, [id]);
      if (rows.length === 0) return "unknown";
      return rows.every((r) => r.is_test === true) ? "test" : "real";
    },
    async handled(correlationId) {
      const { rows } = await client.query(`SELECT counts FROM ${handledTable} WHERE correlation_id = $1`, [correlationId]);
      const counts = rows[0]?.counts;
      return counts === undefined ? undefined : ((typeof counts === "string" ? JSON.parse(counts) : counts) as DeletedCounts);
    },
    async markHandled(correlationId, clientAccountId, counts) {
      await client.query(`INSERT INTO ${handledTable} (correlation_id, client_account_id, counts) VALUES ($1, $2, $3)`, [
        correlationId,
        clientAccountId,
        JSON.stringify(counts),
      ]);
    },
    async clearReference(reference: Reference, clientAccountId) {
      const from = entityOf(mapping, reference.from);
      const column = from.references?.[reference.to];
      if (column === undefined) return 0;
      return changed(
        await client.query(
          `UPDATE ${quote(from.table)} SET ${quote(column)} = NULL WHERE ${quote(from.clientAccount)} = $1 AND ${quote(column)} IS NOT NULL`,
          [clientAccountId],
        ),
      );
    },
    async deleteEntities(entity, clientAccountId) {
      const e = entityOf(mapping, entity);
      return changed(await client.query(`DELETE FROM ${quote(e.table)} WHERE ${quote(e.clientAccount)} = $1`, [clientAccountId]));
    },
    async deleteEvents(clientAccountId) {
      const e = mapping.events;
      return changed(await client.query(`DELETE FROM ${quote(e.table)} WHERE ${quote(e.clientAccount)} = $1`, [clientAccountId]));
    },
  };
  return {
    async transaction(work) {
      await client.query(
        `CREATE TABLE IF NOT EXISTS ${handledTable} (correlation_id text PRIMARY KEY, client_account_id text NOT NULL, counts jsonb NOT NULL, handled_at timestamptz NOT NULL DEFAULT now())`,
      );
      await client.query("BEGIN");
      try {
        const result = await work(tx);
        await client.query("COMMIT");
        return result;
      } catch (e) {
        await client.query("ROLLBACK");
        throw e;
      }
    },
  };
}

function entityOf(mapping: PostgresMapping, entity: Entity): PostgresMapping["entities"][string] {
  const e = mapping.entities[entity];
  if (!e) throw new Error(`the mapping has no table for ${entity}, which this system's part of the plan deletes`);
  return e;
}

function changed(result: { rowCount?: number | null; affectedRows?: number }): number {
  return result.rowCount ?? result.affectedRows ?? 0;
}

/** An identifier, checked and quoted: `name` or `schema.name`. */
export function quote(identifier: string): string {
  if (!/^[A-Za-z_][A-Za-z0-9_]{0,62}(\.[A-Za-z_][A-Za-z0-9_]{0,62})?$/.test(identifier))
    throw new Error(`not an identifier the cleanup store accepts: ${JSON.stringify(identifier)}`);
  return identifier
    .split(".")
    .map((part) => `"${part}"`)
    .join(".");
}
