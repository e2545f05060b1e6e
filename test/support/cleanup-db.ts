/**
 * A system's database for the cleanup tests: a real PostgreSQL engine, PGlite (Postgres compiled to
 * WebAssembly) by default, or the server DOMAIN_EVENTS_TEST_DATABASE_URL names (a database per system
 * is created there and dropped after). Its tables mirror the derived graph for the entities the
 * system holds, with real FOREIGN KEY constraints between them, the cycles included, so that a wrong
 * order of deletion fails in the database, not in the test's bookkeeping.
 */

import { PGlite } from "@electric-sql/pglite";
import type { PostgresMapping, Reference, SqlClient } from "domain-events/cleanup";

/** A system's database: its connection, its mapping for postgresStore, and how to seed and read it. */
export interface SystemDb {
  client: SqlClient;
  mapping: PostgresMapping;
  /** Every row of every table, sorted: what a real account's data must still be, byte for byte. */
  dump(): Promise<string>;
  close(): Promise<void>;
}

/** The table of an entity: snake_case (`PaymentProfile` → `payment_profile`). */
export function tableOf(entity: string): string {
  return entity.replace(/[A-Z]/g, (c, i: number) => `${i === 0 ? "" : "_"}${c.toLowerCase()}`);
}

/**
 * Opens a database holding `entities`, with a foreign key for each of `references` between two of
 * them (nullable columns: a cycle can be inserted, and a reference cleared), each entity's rows
 * tied to their ClientAccount by `client_account_id` (a foreign key too when ClientAccount is held).
 */
export async function openSystemDb(entities: readonly string[], references: readonly Reference[]): Promise<SystemDb> {
  const { client, close } = await connect();
  const held = new Set(entities);
  const mapping: PostgresMapping = {
    accounts: { table: "known_accounts", id: "id", isTest: "is_test" },
    entities: {},
    events: { table: "events", clientAccount: "client_account_id" },
  };
  await client.query("CREATE TABLE known_accounts (id text PRIMARY KEY, is_test boolean NOT NULL)");
  await client.query("CREATE TABLE events (id text PRIMARY KEY, client_account_id text NOT NULL, type text NOT NULL, body jsonb NOT NULL)");
  // ClientAccount first: the others' client_account_id refers to it when this system holds it.
  const ordered = [...entities].sort((a, b) => (a === "ClientAccount" ? -1 : b === "ClientAccount" ? 1 : a < b ? -1 : 1));
  for (const entity of ordered) {
    const table = tableOf(entity);
    if (entity === "ClientAccount") {
      await client.query(`CREATE TABLE ${table} (id text PRIMARY KEY, name text NOT NULL)`);
      mapping.entities[entity] = { table, clientAccount: "id" };
      continue;
    }
    const owner = held.has("ClientAccount") ? " REFERENCES client_account(id)" : "";
    await client.query(`CREATE TABLE ${table} (id text PRIMARY KEY, client_account_id text NOT NULL${owner}, note text)`);
    mapping.entities[entity] = { table, clientAccount: "client_account_id", references: {} };
  }
  for (const r of references) {
    if (!held.has(r.from) || !held.has(r.to) || r.to === "ClientAccount") continue;
    const column = `${tableOf(r.to)}_id`;
    await client.query(`ALTER TABLE ${tableOf(r.from)} ADD COLUMN ${column} text REFERENCES ${tableOf(r.to)}(id)`);
    (mapping.entities[r.from]?.references as Record<string, string>)[r.to] = column;
  }
  return {
    client,
    mapping,
    async dump() {
      const out: Record<string, unknown[]> = {};
      for (const table of ["known_accounts", "events", ...entities.map(tableOf)]) {
        out[table] = (await client.query(`SELECT * FROM ${table} ORDER BY id`)).rows;
      }
      return JSON.stringify(out);
    },
    close,
  };
}

/**
 * Seeds one account: the account as known (test or real), a row of each entity with every
 * reference among held entities set (inserted first without them, then linked: the cycles), and
 * the given persisted events.
 */
export async function seedAccount(
  db: SystemDb,
  account: string,
  isTest: boolean,
  events: { id: string; type: string; body: unknown }[],
): Promise<void> {
  const { client, mapping } = db;
  await client.query("INSERT INTO known_accounts (id, is_test) VALUES ($1, $2)", [account, isTest]);
  const entities = Object.keys(mapping.entities);
  if (entities.includes("ClientAccount"))
    await client.query("INSERT INTO client_account (id, name) VALUES ($1, $2)", [account, `account ${account}`]);
  for (const entity of entities) {
    if (entity === "ClientAccount") continue;
    await client.query(`INSERT INTO ${tableOf(entity)} (id, client_account_id, note) VALUES ($1, $2, $3)`, [
      `${entity}-${account}`,
      account,
      `${entity} of ${account}`,
    ]);
  }
  for (const [entity, m] of Object.entries(mapping.entities)) {
    for (const [to, column] of Object.entries(m.references ?? {})) {
      await client.query(`UPDATE ${tableOf(entity)} SET ${column} = $1 WHERE id = $2`, [`${to}-${account}`, `${entity}-${account}`]);
    }
  }
  for (const e of events)
    await client.query("INSERT INTO events (id, client_account_id, type, body) VALUES ($1, $2, $3, $4)", [
      e.id,
      account,
      e.type,
      JSON.stringify(e.body),
    ]);
}

/** A fresh database: PGlite in memory, or a new database on the server DOMAIN_EVENTS_TEST_DATABASE_URL names. */
async function connect(): Promise<{ client: SqlClient; close: () => Promise<void> }> {
  const url = process.env.DOMAIN_EVENTS_TEST_DATABASE_URL;
  if (!url) {
    const db = await PGlite.create();
    return { client: db, close: () => db.close() };
  }
  const { default: pg } = await import("pg");
  const admin = new pg.Client({ connectionString: url });
  await admin.connect();
  const name = `de_cleanup_${process.pid}_${Math.random().toString(36).slice(2, 10)}`;
  await admin.query(`CREATE DATABASE ${name}`);
  const target = new URL(url);
  target.pathname = `/${name}`;
  const client = new pg.Client({ connectionString: target.toString() });
  await client.connect();
  return {
    client,
    async close() {
      await client.end();
      await admin.query(`DROP DATABASE ${name}`);
      await admin.end();
    },
  };
}
