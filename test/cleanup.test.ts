/**
 * The test-data cleanup contract (domain-events/cleanup) and its example consumer
 * (examples/cleanup-consumer): ownership enforced by the envelope, the guards, and an in-memory
 * system that deletes everything of a test account, leaves a real account untouched, and refuses
 * forged signals. The example is type-checked by `npm run lint` (tsconfig includes examples/).
 */

import { generateKeyPairSync } from "node:crypto";
import { readFile } from "node:fs/promises";
import path from "node:path";
import { validate } from "domain-events";
import {
  ACKNOWLEDGEMENT_TYPE,
  belongsToClientAccount,
  ENTITIES,
  isCleanupSignal,
  OWNER_SOURCE,
  REFERENCES,
  SIGNAL_MAX_AGE_MS,
  SIGNAL_TYPE,
  type SignalPrivateKey,
  type SignalPublicKey,
  signCleanupSignal,
  type UnsignedCleanupSignal,
} from "domain-events/cleanup";
import { describe, expect, it } from "vitest";
import { InMemorySystem } from "../examples/cleanup-consumer/system.js";
import { envelope, ROOT } from "./helpers.js";

const TEST_ACCOUNT = "a7e57acc-0001-4e3b-9c4d-000000000001";
const REAL_ACCOUNT = "0ea10acc-0002-4e3b-9c4d-000000000002";

async function example(file: string): Promise<Record<string, unknown>> {
  return JSON.parse(await readFile(path.join(ROOT, "events", file), "utf8")).examples[0];
}

/** CLH's keys in these tests: made here, as CLH would make them (the private halves stay in the test). */
function keyPair(environment: "staging" | "production"): { priv: SignalPrivateKey; pub: SignalPublicKey } {
  const jwk = generateKeyPairSync("ed25519").privateKey.export({ format: "jwk" }) as { x: string; d: string };
  const kid = `clh-${environment}-test`;
  return {
    priv: { kty: "OKP", crv: "Ed25519", ...jwk, kid, environment },
    pub: { kty: "OKP", crv: "Ed25519", x: jwk.x, kid, environment },
  };
}
const STAGING = keyPair("staging");
const PRODUCTION = keyPair("production");
const KEYS = [STAGING.pub, PRODUCTION.pub];
/** A minute after the signals of these tests were sent (test/helpers.ts envelope: its time). */
const NOW = Date.parse(envelope("x", {}).time as string) + 60_000;

/** The signal, unsigned: the example of v2 about the test account, with changes. */
async function unsigned(extra: Record<string, unknown> = {}, data: Record<string, unknown> = {}): Promise<Record<string, unknown>> {
  const payload = { ...(await example("clh/client-account/test-client-account-deleted.v2.json")), clientAccountId: TEST_ACCOUNT, ...data };
  const { signature: _s, signaturekeyid: _k, ...event } = envelope(SIGNAL_TYPE, payload, { clientaccountid: TEST_ACCOUNT, ...extra });
  return event;
}

/** The signal as CLH sends it: signed with its key of the signal's environment. */
async function signal(extra: Record<string, unknown> = {}, data: Record<string, unknown> = {}): Promise<Record<string, unknown>> {
  const event = await unsigned(extra, data);
  const key = (event.data as { environment: string }).environment === "production" ? PRODUCTION : STAGING;
  return signCleanupSignal(event as unknown as UnsignedCleanupSignal, key.priv) as unknown as Record<string, unknown>;
}

/** CLH's signal, changed after it was signed (a forgery that keeps CLH's signature and key id). */
async function forged(extra: Record<string, unknown> = {}, data: Record<string, unknown> = {}): Promise<Record<string, unknown>> {
  const event = await signal();
  return { ...event, ...extra, data: { ...(event.data as object), ...data } };
}

/** A system holding every entity of the minutes for both accounts, and events of both. */
async function seeded(now = NOW): Promise<InMemorySystem> {
  const system = new InMemorySystem("existing-business", "staging", { keys: KEYS, now: () => now });
  const created = await example("clh/client-account/client-account-created.v2.json");
  for (const [account, isTest] of [
    [TEST_ACCOUNT, true],
    [REAL_ACCOUNT, false],
  ] as const) {
    system.persist(
      envelope(
        "clh.client-account.client-account-created.v2",
        { ...created, clientAccountId: account, isTest },
        { clientaccountid: account },
      ),
    );
    const invoice = await example("existing-business/invoice/invoice-issued.v2.json");
    system.persist(envelope("existing-business.invoice.invoice-issued.v2", invoice, { clientaccountid: account, id: `inv-${account}` }));
    for (const entity of ENTITIES) system.insert({ entity, id: `${entity}-${account}`, clientAccountId: account, refs: {} });
    for (const ref of REFERENCES) system.link(ref.from, `${ref.from}-${account}`, ref.to, `${ref.to}-${account}`);
  }
  return system;
}

const snapshot = (system: InMemorySystem, account: string) =>
  JSON.stringify({
    rows: [...system.rows.values()].filter((r) => r.clientAccountId === account),
    events: system.events.filter((e) => belongsToClientAccount(e, account)),
  });

describe("ownership is enforced by the envelope", () => {
  it("the signal from CLH's source about a test account is valid and a cleanup signal", async () => {
    const s = await signal();
    expect(validate(s).ok).toBe(true);
    expect(s.source).toBe(OWNER_SOURCE);
    expect(isCleanupSignal(s)).toBe(true);
  });

  it("a signal claiming to be CLH's but sent from another source fails validate()", async () => {
    const other = await forged({ source: "/systems/checkout" });
    const r = validate(other);
    expect(r.ok).toBe(false);
    expect(r.ok ? [] : r.errors.map((e) => e.pointer)).toContain("/source");
    expect(isCleanupSignal(other)).toBe(false);
  });

  it("the signal's envelope requires the signature attributes; the deprecated v1 has none", async () => {
    const r = validate(await unsigned());
    expect(r.ok ? [] : r.errors.map((e) => e.message)).toEqual([expect.stringMatching(/signature/)]);
    expect(isCleanupSignal(await unsigned())).toBe(false);
    const v1 = envelope("clh.client-account.test-client-account-deleted.v1", (await unsigned()).data, { clientaccountid: TEST_ACCOUNT });
    expect(validate(v1).ok).toBe(true);
    expect(isCleanupSignal(v1)).toBe(false);
  });

  it("the signal can only describe a test account: isTest false fails validate()", async () => {
    const real = await forged({}, { isTest: false });
    const r = validate(real);
    expect(r.ok).toBe(false);
    expect(r.ok ? [] : r.errors.map((e) => e.pointer)).toContain("/data/isTest");
    expect(isCleanupSignal(real)).toBe(false);
  });

  it("every system may acknowledge, each from its own source only", async () => {
    const data = await example("test-data/client-account-cleanup/client-account-data-deleted.json");
    expect(validate(envelope(ACKNOWLEDGEMENT_TYPE, data, { source: "/systems/payments" })).ok).toBe(true);
    expect(validate(envelope(ACKNOWLEDGEMENT_TYPE, data, { source: "https://example.com/payments" })).ok).toBe(false);
  });

  it("belongsToClientAccount finds an account's persisted events by the envelope", async () => {
    const s = await signal();
    expect(belongsToClientAccount(s, TEST_ACCOUNT)).toBe(true);
    expect(belongsToClientAccount(s, REAL_ACCOUNT)).toBe(false);
    expect(belongsToClientAccount(null, TEST_ACCOUNT)).toBe(false);
    expect(belongsToClientAccount(Object.create({ clientaccountid: TEST_ACCOUNT }), TEST_ACCOUNT)).toBe(false);
  });
});

describe("the example consumer", () => {
  it("deletes everything of the test account, entities and events, in plan order, and acknowledges", async () => {
    const system = await seeded();
    const real = snapshot(system, REAL_ACCOUNT);
    const outcome = await system.handle(await signal());
    expect(outcome).toMatchObject({ acted: true, repeated: false });
    expect([...system.rows.values()].filter((r) => r.clientAccountId === TEST_ACCOUNT)).toEqual([]);
    expect(system.events.filter((e) => belongsToClientAccount(e, TEST_ACCOUNT))).toEqual([]);
    // Nothing of the real account is lost, not even a reference.
    expect(snapshot(system, REAL_ACCOUNT)).toBe(real);
    const ack = outcome.acknowledgement;
    expect(validate(ack).ok).toBe(true);
    expect(ack).toMatchObject({
      type: ACKNOWLEDGEMENT_TYPE,
      source: "/systems/existing-business",
      data: { clientAccountId: TEST_ACCOUNT, deleted: { events: 2 } },
    });
    const counts = (ack as { data: { deleted: { entities: Record<string, number> } } }).data.deleted.entities;
    expect(Object.keys(counts).sort()).toEqual([...ENTITIES].sort());
  });

  const attacker = keyPair("staging");
  it.each([
    ["a signal from another source", "invalid", () => forged({ source: "/systems/checkout" })],
    ["a signal with isTest false", "invalid", () => forged({}, { isTest: false })],
    ["an unsigned signal", "unsigned", () => unsigned()],
    ["CLH's signal about another account (data changed)", "bad-signature", () => forged({}, { clientAccountId: REAL_ACCOUNT })],
    [
      "a signal with CLH's source and key id, signed with another key",
      "bad-signature",
      async () => signCleanupSignal((await unsigned()) as unknown as UnsignedCleanupSignal, { ...attacker.priv, kid: STAGING.pub.kid }),
    ],
    ["a production signal in staging", "environment", () => signal({}, { environment: "production" })],
    ["a signal replayed after the window", "stale", () => signal({ time: new Date(NOW - SIGNAL_MAX_AGE_MS - 60_000).toISOString() })],
    [
      "a signal about an account the system does not know",
      "does not know the account",
      () => signal({}, { clientAccountId: "0b5c0acc-0009-4e3b-9c4d-000000000009" }),
    ],
    ["a signal about a real account", "a real one here", () => signal({}, { clientAccountId: REAL_ACCOUNT })],
    ["another event type", "invalid", () => forged({ type: "clh.client-account.client-account-deleted.v1" })],
  ])("refuses %s (%s) and deletes nothing", async (_name, why, make) => {
    const system = await seeded();
    const before = [snapshot(system, TEST_ACCOUNT), snapshot(system, REAL_ACCOUNT)];
    const outcome = await system.handle(await make());
    expect(outcome).toMatchObject({ acted: false, refused: expect.stringContaining(why) });
    expect([snapshot(system, TEST_ACCOUNT), snapshot(system, REAL_ACCOUNT)]).toEqual(before);
  });
});
