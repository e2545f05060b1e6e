/**
 * The reference handler (src/cleanup/handler.ts) and its PostgreSQL store (postgres.ts) on a real
 * PostgreSQL engine (test/support/cleanup-db.ts: PGlite, or the server that
 * DOMAIN_EVENTS_TEST_DATABASE_URL names, as .ci/run gives it). Tables mirror the derived graph with
 * real foreign keys, the cycles included: the plan's order is proven by the database. Then CLH and
 * every participant, each with its own database, over an in-process bus, end to end.
 */

import { generateKeyPairSync } from "node:crypto";
import {
  type CleanupStatus,
  cleanupStatus,
  deletionPlan,
  ENTITIES,
  handleCleanupSignal,
  PARTICIPANTS,
  postgresStore,
  REFERENCES,
  type SignalPrivateKey,
  type SignalPublicKey,
  signCleanupSignal,
  type UnsignedCleanupSignal,
} from "domain-events/cleanup";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openSystemDb, type SystemDb, seedAccount, tableOf } from "./support/cleanup-db.js";

const TEST = "a7e57acc-0001-4e3b-9c4d-000000000001";
const REAL = "0ea10acc-0002-4e3b-9c4d-000000000002";
const SENT = "2026-12-08T06:45:12Z";
const NOW = () => new Date(Date.parse(SENT) + 60_000);

function keyPair(environment: "staging" | "production", kid: string): { priv: SignalPrivateKey; pub: SignalPublicKey } {
  const jwk = generateKeyPairSync("ed25519").privateKey.export({ format: "jwk" }) as { x: string; d: string };
  return {
    priv: { kty: "OKP", crv: "Ed25519", ...jwk, kid, environment },
    pub: { kty: "OKP", crv: "Ed25519", x: jwk.x, kid, environment },
  };
}
const CLH = keyPair("staging", "clh-staging-test");
const KEYS = [CLH.pub];

/** CLH's signal about an account, signed (or, with `key`, signed by someone else). */
function signal(account = TEST, change: Record<string, unknown> = {}, key: SignalPrivateKey = CLH.priv): Record<string, unknown> {
  const event = {
    specversion: "1.0",
    id: `signal-${account}`,
    source: "/systems/clh",
    type: "clh.client-account.test-client-account-deleted.v2",
    time: SENT,
    datacontenttype: "application/json",
    clientaccountid: account,
    data: {
      clientAccountId: account,
      isTest: true,
      environment: "staging",
      deletedAt: SENT,
      requestedBy: "e2e-run",
      correlationId: "c0ffee00-1d2e-4f5a-8b9c-0d1e2f3a4b5c",
    },
    ...change,
  };
  return signCleanupSignal(event as unknown as UnsignedCleanupSignal, key) as unknown as Record<string, unknown>;
}

const persisted = (account: string) => [
  { id: `ev-1-${account}`, type: "existing-business.contract.contract-created.v1", body: { account } },
  { id: `ev-2-${account}`, type: "payments.payment.payment-captured.v2", body: { account } },
];

/** A database's rows that mention an account (its own, its events, the accounts table's), as text. */
function only(dump: string, account: string): string {
  const tables = JSON.parse(dump) as Record<string, Record<string, unknown>[]>;
  return JSON.stringify(
    Object.fromEntries(Object.entries(tables).map(([t, rows]) => [t, rows.filter((r) => JSON.stringify(r).includes(account))])),
  );
}

/** Counts of the test account's rows left in each of a database's tables. */
async function leftOf(db: SystemDb, account: string): Promise<Record<string, number>> {
  const out: Record<string, number> = {};
  for (const [entity, m] of Object.entries(db.mapping.entities)) {
    out[entity] = Number(
      (await db.client.query(`SELECT count(*)::int AS n FROM ${m.table} WHERE ${m.clientAccount} = $1`, [account])).rows[0]?.n,
    );
  }
  out.events = Number((await db.client.query("SELECT count(*)::int AS n FROM events WHERE client_account_id = $1", [account])).rows[0]?.n);
  return out;
}

/** The handler's options for one system that holds every entity in one database. */
function monolith(db: SystemDb) {
  return {
    system: "monolith",
    environment: "staging" as const,
    entities: ENTITIES,
    store: postgresStore(db.client, db.mapping),
    keys: KEYS,
    now: NOW,
  };
}

describe("one database holding every entity: the plan against real foreign keys, cycles included", () => {
  let db: SystemDb;
  beforeAll(async () => {
    db = await openSystemDb(ENTITIES, REFERENCES);
    await seedAccount(db, TEST, true, persisted(TEST));
    await seedAccount(db, REAL, false, persisted(REAL));
  });
  afterAll(async () => db?.close());

  it("the database refuses a wrong order: deleting what is still referred to fails", async () => {
    await db.client.query("BEGIN");
    await expect(db.client.query(`DELETE FROM ${tableOf("Contract")} WHERE client_account_id = $1`, [TEST])).rejects.toThrow(/foreign key/);
    await db.client.query("ROLLBACK");
    // And the cycle, as the plan deletes it but without clearing the references first.
    const cycle = deletionPlan("ClientAccount").stages.find((s) => s.cycle);
    await db.client.query("BEGIN");
    let failed = false;
    try {
      for (const entity of cycle?.order ?? []) await db.client.query(`DELETE FROM ${tableOf(entity)} WHERE client_account_id = $1`, [TEST]);
    } catch {
      failed = true;
    }
    await db.client.query("ROLLBACK");
    expect(failed).toBe(true);
  });

  it("the handler deletes everything of the test account in one transaction and acknowledges the counts; the real account is untouched", async () => {
    const realBefore = await db.dump();
    const outcome = await handleCleanupSignal(signal(), monolith(db));
    expect(outcome).toMatchObject({ acted: true, repeated: false });
    if (!outcome.acted) return;
    expect(outcome.counts.entities).toEqual(Object.fromEntries(ENTITIES.map((e) => [e, 1])));
    expect(outcome.counts.events).toBe(2);
    expect(Object.values(await leftOf(db, TEST)).every((n) => n === 0)).toBe(true);
    // The real account's rows and events, byte for byte.
    expect(only(await db.dump(), REAL)).toBe(only(realBefore, REAL));
    expect(outcome.acknowledgement).toMatchObject({
      type: "test-data.client-account-cleanup.client-account-data-deleted.v1",
      source: "/systems/monolith",
      data: { clientAccountId: TEST, system: "monolith", deleted: { events: 2 } },
    });
  });

  it("is idempotent: a redelivered signal deletes nothing more and acknowledges again with the first counts", async () => {
    await seedAccount(db, "c0c0acc0-0003-4e3b-9c4d-000000000003", true, []);
    const before = await db.dump();
    const again = await handleCleanupSignal(signal(), monolith(db));
    expect(again).toMatchObject({ acted: true, repeated: true, counts: { events: 2 } });
    expect(await db.dump()).toBe(before);
  });
});

describe("refusals delete nothing", () => {
  let db: SystemDb;
  const options = () => monolith(db);
  beforeAll(async () => {
    db = await openSystemDb(ENTITIES, REFERENCES);
    await seedAccount(db, TEST, true, persisted(TEST));
    await seedAccount(db, REAL, false, persisted(REAL));
  });
  afterAll(async () => db?.close());

  it.each([
    [
      "a forged signal (CLH's source and key id, another key)",
      () => signal(TEST, {}, { ...keyPair("staging", "x").priv, kid: CLH.pub.kid }),
      /bad-signature/,
      false,
    ],
    ["a stale signal", () => signal(TEST, { time: "2026-12-01T06:45:12Z" }), /stale/, false],
    [
      "a production signal in staging",
      () => signal(TEST, { data: { ...(signal().data as object), environment: "production" } }),
      /environment|invalid|bad-signature/,
      false,
    ],
    ["a real account", () => signal(REAL), /real one/, true],
    ["an account this system does not know", () => signal("0b5c0acc-0009-4e3b-9c4d-000000000009"), /does not know/, true],
  ])("%s", async (_name, make, why, answered) => {
    const before = await db.dump();
    let event: Record<string, unknown>;
    try {
      event = make();
    } catch {
      // A production signal cannot even be signed with the staging key: forge it from a staging one.
      event = { ...signal(), data: { ...(signal().data as object), environment: "production" } };
    }
    const outcome = await handleCleanupSignal(event, options());
    expect(outcome.acted).toBe(false);
    if (outcome.acted) return;
    expect(outcome.refused).toMatch(why);
    // Only a verified signal is answered, with a failure CLH can see.
    expect(outcome.acknowledgement !== undefined).toBe(answered);
    if (outcome.acknowledgement)
      expect(outcome.acknowledgement.type).toBe("test-data.client-account-cleanup.client-account-data-deletion-failed.v1");
    expect(await db.dump()).toBe(before);
  });

  it("a store that fails half-way rolls back: nothing deleted, a failure acknowledged", async () => {
    const before = await db.dump();
    const broken = { ...db.mapping, events: { table: "no_such_table", clientAccount: "client_account_id" } };
    const outcome = await handleCleanupSignal(signal(), { ...options(), store: postgresStore(db.client, broken) });
    expect(outcome).toMatchObject({ acted: false, refused: expect.stringMatching(/nothing was deleted.*no_such_table/) });
    expect(await db.dump()).toBe(before);
  });
});

describe("end to end: CLH and every participant, each with its own database, over an in-process bus", () => {
  const dbs = new Map<string, SystemDb>();
  beforeAll(async () => {
    for (const p of PARTICIPANTS) {
      const db = await openSystemDb(p.entities, REFERENCES);
      await seedAccount(db, TEST, true, persisted(TEST));
      await seedAccount(db, REAL, false, persisted(REAL));
      dbs.set(p.system, db);
    }
  }, 180_000);
  afterAll(async () => {
    for (const db of dbs.values()) await db.close();
  });

  it("forged, replayed and wrong-environment signals change nothing anywhere; CLH's signal empties the test account everywhere, leaves the real one as it was, and completes only with every acknowledgement", async () => {
    const bus: unknown[] = [];
    const deliver = async (event: unknown, systems = PARTICIPANTS.map((p) => p.system), now = NOW) => {
      for (const system of systems) {
        const db = dbs.get(system) as SystemDb;
        const outcome = await handleCleanupSignal(event, {
          system,
          environment: "staging",
          store: postgresStore(db.client, db.mapping),
          keys: KEYS,
          now,
        });
        if (outcome.acknowledgement) bus.push(outcome.acknowledgement);
      }
    };
    const dumps = async () => Object.fromEntries(await Promise.all([...dbs].map(async ([s, db]) => [s, await db.dump()] as const)));
    const before = await dumps();

    const real = signal();
    // Forged (CLH's source and key id, another key), replayed after the window, meant for production.
    await deliver(signal(TEST, {}, { ...keyPair("staging", "attacker").priv, kid: CLH.pub.kid }));
    await deliver(real, undefined, () => new Date(Date.parse(SENT) + 4 * 24 * 3_600_000));
    await deliver({ ...real, data: { ...(real.data as object), environment: "production" } });
    expect(bus).toEqual([]);
    expect(await dumps()).toEqual(before);

    const status = (): CleanupStatus => cleanupStatus(real as never, bus);
    expect(status()).toMatchObject({ complete: false, pending: PARTICIPANTS.map((p) => p.system) });
    const [last, ...first] = PARTICIPANTS.map((p) => p.system).reverse();
    await deliver(real, first);
    expect(status()).toMatchObject({ complete: false, pending: [last], failed: [] });
    await deliver(real, [last as string]);
    expect(status()).toMatchObject({ complete: true, pending: [], failed: [], ignored: [] });
    const after = await dumps();
    for (const [system, db] of dbs) {
      expect(
        Object.values(await leftOf(db, TEST)).every((n) => n === 0),
        system,
      ).toBe(true);
      // The real account's rows and events, byte for byte.
      expect(only(after[system] as string, REAL), system).toBe(only(before[system] as string, REAL));
    }
    // Redelivered: every system acknowledges again, nothing else changes, still complete.
    await deliver(real);
    expect(await dumps()).toEqual(after);
    expect(status().complete).toBe(true);
  }, 120_000);
});
