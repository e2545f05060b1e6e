/**
 * Signals only CLH can send (src/cleanup/signature.ts, canonical-json.ts): the RFC 8785
 * serialisation that is signed, the committed test vector, and every refusal of
 * verifyCleanupSignal — a forgery with CLH's source and another key, a staging signal in
 * production, a stale or future one, a tampered one — with its reason.
 */

import { createPublicKey, generateKeyPairSync, verify } from "node:crypto";
import { readFileSync } from "node:fs";
import path from "node:path";
import {
  CanonicalJsonError,
  canonicalJson,
  ENVIRONMENTS,
  type Environment,
  isCleanupSignal,
  SIGNAL_CLOCK_SKEW_MS,
  SIGNAL_KEYS,
  SIGNAL_MAX_AGE_MS,
  type SignalPrivateKey,
  type SignalPublicKey,
  signCleanupSignal,
  signedBytes,
  type UnsignedCleanupSignal,
  verifyCleanupSignal,
} from "domain-events/cleanup";
import { describe, expect, it } from "vitest";
import { ROOT } from "./helpers.js";

interface Vector {
  privateKey: SignalPrivateKey;
  publicKey: SignalPublicKey;
  unsigned: UnsignedCleanupSignal;
  canonical: string;
  signed: Record<string, unknown>;
}

const VECTOR = JSON.parse(readFileSync(path.join(ROOT, "test/fixtures/cleanup-signal/vector.json"), "utf8")) as Vector;
/** An hour after the vector's signal was sent. */
const SOON = Date.parse(VECTOR.unsigned.time) + 3_600_000;

/** A key pair of an environment, as CLH would make one (the private half stays with the test). */
function keyPair(environment: Environment, kid = `clh-${environment}-test`): { priv: SignalPrivateKey; pub: SignalPublicKey } {
  const { privateKey } = generateKeyPairSync("ed25519");
  const jwk = privateKey.export({ format: "jwk" }) as { x: string; d: string };
  return {
    priv: { kty: "OKP", crv: "Ed25519", x: jwk.x, d: jwk.d, kid, environment },
    pub: { kty: "OKP", crv: "Ed25519", x: jwk.x, kid, environment },
  };
}

/** The vector's signal, for an environment, with changes to its data or attributes. */
function signal(environment: Environment = "staging", change: Record<string, unknown> = {}): UnsignedCleanupSignal {
  return { ...VECTOR.unsigned, ...change, data: { ...VECTOR.unsigned.data, environment } } as UnsignedCleanupSignal;
}

describe("canonicalJson (RFC 8785)", () => {
  it("sorts members by UTF-16 code units, at every depth, with no whitespace", () => {
    const names = ["b", "a", "B", "é", "\u{1F600}", "\uFB33", "10", "1", "", "aa"];
    const value = Object.fromEntries(names.map((n, i) => [n, { z: i, y: [i, { d: 1, c: 2 }] }]));
    // Code-unit order, worked out by hand from the names' code units.
    const byUnits = (a: string, b: string) => {
      for (let i = 0; i < Math.min(a.length, b.length); i++) {
        if (a.charCodeAt(i) !== b.charCodeAt(i)) return a.charCodeAt(i) - b.charCodeAt(i);
      }
      return a.length - b.length;
    };
    const order = [...names].sort(byUnits);
    // U+1F600 is a surrogate pair (D83D…), below U+FB33 as code units although above it as a code point.
    expect(order.indexOf("\u{1F600}")).toBeLessThan(order.indexOf("\uFB33"));
    const text = canonicalJson(value);
    expect(text).toBe(
      `{${order.map((n) => `${JSON.stringify(n)}:{"y":[${names.indexOf(n)},{"c":2,"d":1}],"z":${names.indexOf(n)}}`).join(",")}}`,
    );
    expect(text).not.toMatch(/\s(?=(?:[^"]*"[^"]*")*[^"]*$)/);
  });

  it("writes numbers as ECMAScript writes doubles", () => {
    expect(canonicalJson([1e21, 1e-7, -0, 0.1 + 0.2, 123456789012345680000, 4.5, 1e-6, 2 ** 53 + 2, -1.5e-300])).toBe(
      "[1e+21,1e-7,0,0.30000000000000004,123456789012345680000,4.5,0.000001,9007199254740994,-1.5e-300]",
    );
  });

  it("escapes only what JSON must, in lowercase hex, and keeps every other character as it is", () => {
    expect(canonicalJson('\u0000\b\t\n\f\r\u001f"\\/é\u007f\u2028€\u{1F600}')).toBe(
      '"\\u0000\\b\\t\\n\\f\\r\\u001f\\"\\\\/é\u007f\u2028€\u{1F600}"',
    );
  });

  it("refuses what I-JSON cannot hold, naming where", () => {
    const cyclic: Record<string, unknown> = {};
    cyclic.self = cyclic;
    for (const [value, message] of [
      [{ a: Number.NaN }, /\/a is NaN/],
      [[Number.POSITIVE_INFINITY], /\/0 is Infinity/],
      [{ s: "\uD800x" }, /\/s holds a lone surrogate/],
      [{ "\uDC00": 1 }, /lone surrogate/],
      [{ u: undefined }, /\/u is a undefined/],
      [{ d: new Date(0) }, /\/d is not a plain object/],
      [{ n: 1n }, /\/n is a bigint/],
      [cyclic, /\/self contains itself/],
    ] as const) {
      expect(() => canonicalJson(value)).toThrow(CanonicalJsonError);
      expect(() => canonicalJson(value)).toThrow(message);
    }
    // The same object twice, side by side, is no cycle.
    const shared = { x: 1 };
    expect(canonicalJson({ a: shared, b: [shared] })).toBe('{"a":{"x":1},"b":[{"x":1}]}');
  });
});

describe("the committed test vector", () => {
  it("signing its signal with its key gives its signature again (Ed25519 is deterministic)", () => {
    expect(signCleanupSignal(VECTOR.unsigned, VECTOR.privateKey)).toEqual(VECTOR.signed);
  });

  it("its canonical text is what is signed: node:crypto alone verifies the signature over it", () => {
    expect(new TextDecoder().decode(signedBytes(VECTOR.signed))).toBe(VECTOR.canonical);
    expect(VECTOR.canonical).toContain('"signaturekeyid":"test-vector-staging-1"');
    expect(VECTOR.canonical).not.toContain('"signature"');
    const key = createPublicKey({ key: { kty: "OKP", crv: "Ed25519", x: VECTOR.publicKey.x }, format: "jwk" });
    expect(verify(null, Buffer.from(VECTOR.canonical, "utf8"), key, Buffer.from(VECTOR.signed.signature as string, "base64url"))).toBe(
      true,
    );
  });

  it("verifies with its public key in its environment, and the result is a copy of the signal", () => {
    const result = verifyCleanupSignal(VECTOR.signed, { environment: "staging", keys: [VECTOR.publicKey], now: SOON });
    expect(result).toEqual({ ok: true, signal: VECTOR.signed });
    if (result.ok) expect(result.signal).not.toBe(VECTOR.signed);
  });
});

describe("verifyCleanupSignal refuses, with its reason", () => {
  const staging = keyPair("staging");
  const production = keyPair("production");
  const keys = [staging.pub, production.pub];
  const check = (event: unknown, environment: Environment = "staging", now = SOON) =>
    verifyCleanupSignal(event, { environment, keys, now });
  const reason = (event: unknown, environment?: Environment, now?: number) => {
    const r = check(event, environment, now);
    return r.ok ? "ok" : r.reason;
  };

  it("accepts CLH's signal of the environment, signed with a key of it", () => {
    expect(reason(signCleanupSignal(signal("staging"), staging.priv))).toBe("ok");
    expect(reason(signCleanupSignal(signal("production"), production.priv), "production")).toBe("ok");
  });

  it("a forgery with CLH's source but another key: under CLH's key id, and under its own", () => {
    const attacker = keyPair("staging", staging.pub.kid);
    expect(reason(signCleanupSignal(signal("staging"), attacker.priv))).toBe("bad-signature");
    const own = keyPair("staging", "attacker-1");
    expect(reason(signCleanupSignal(signal("staging"), own.priv))).toBe("unknown-key");
  });

  it("a staging signal in production, and a production signal signed with the staging key", () => {
    const stagingSignal = signCleanupSignal(signal("staging"), staging.priv);
    expect(reason(stagingSignal, "production")).toBe("environment");
    // The private key's environment is not said: CLH's signer does not stop it, the verifier does.
    const { environment: _, ...anyEnvironment } = staging.priv;
    expect(reason(signCleanupSignal(signal("production"), anyEnvironment), "production")).toBe("key-environment");
  });

  it("a stale signal and one from the future; the window's edges are in", () => {
    const signed = signCleanupSignal(signal(), staging.priv);
    const sent = Date.parse(VECTOR.unsigned.time);
    expect(reason(signed, "staging", sent + SIGNAL_MAX_AGE_MS)).toBe("ok");
    expect(reason(signed, "staging", sent + SIGNAL_MAX_AGE_MS + 1)).toBe("stale");
    expect(reason(signed, "staging", sent - SIGNAL_CLOCK_SKEW_MS)).toBe("ok");
    expect(reason(signed, "staging", sent - SIGNAL_CLOCK_SKEW_MS - 1)).toBe("future");
    // A leap second is a valid RFC 3339 time that JavaScript cannot place: refused, not ageless.
    const leap = signCleanupSignal({ ...signal(), time: "2026-12-31T23:59:60Z" }, staging.priv);
    expect(reason(leap, "staging", Date.parse("2027-01-01T00:00:00Z"))).toBe("time");
    expect(reason(leap, "staging", Date.parse("2030-01-01T00:00:00Z"))).toBe("time");
    // A shorter window may be asked for, a longer one not.
    expect(verifyCleanupSignal(signed, { environment: "staging", keys, now: sent + 7_200_000, maxAgeMs: 3_600_000 })).toMatchObject({
      reason: "stale",
    });
    expect(() => verifyCleanupSignal(signed, { environment: "staging", keys, maxAgeMs: SIGNAL_MAX_AGE_MS + 1 })).toThrow(TypeError);
  });

  it("any change after signing: data, an attribute, the key id, the time", () => {
    const signed = signCleanupSignal(signal(), staging.priv) as unknown as Record<string, unknown>;
    const data = signed.data as Record<string, unknown>;
    expect(reason({ ...signed, data: { ...data, clientAccountId: "0ea10acc-0002-4e3b-9c4d-000000000002" } })).toBe("bad-signature");
    expect(reason({ ...signed, clientaccountid: "0ea10acc-0002-4e3b-9c4d-000000000002" })).toBe("bad-signature");
    expect(reason({ ...signed, time: "2026-12-08T07:45:12Z" })).toBe("bad-signature");
    expect(reason({ ...signed, signaturekeyid: production.pub.kid })).toBe("key-environment");
    expect(reason({ ...signed, subject: undefined })).toBe("bad-signature");
    const flipped = Buffer.from(signed.signature as string, "base64url");
    flipped[10] = (flipped[10] as number) ^ 1;
    expect(reason({ ...signed, signature: flipped.toString("base64url") })).toBe("bad-signature");
    // One character too many: the signal's schema (86 characters) refuses it before the key is asked.
    expect(reason({ ...signed, signature: `${signed.signature}A` })).toBe("invalid");
    // The members' order is not signed: the canonical form sorts them.
    const reordered = Object.fromEntries(Object.entries(signed).reverse());
    expect(reason(reordered)).toBe("ok");
  });

  it("no signature, an invalid signal, another source, isTest not true, not JSON", () => {
    const signed = signCleanupSignal(signal(), staging.priv) as unknown as Record<string, unknown>;
    const { signature: _, ...unsigned } = signed;
    expect(reason(unsigned)).toBe("unsigned");
    expect(reason(signal())).toBe("unsigned");
    // The schema pins source and isTest: such a signal is invalid before its signature is looked at.
    const resigned = (change: Record<string, unknown>, data: Record<string, unknown> = {}) => {
      const event = { ...signal(), ...change, data: { ...signal().data, ...data } };
      const copy = { ...event, signaturekeyid: staging.pub.kid, signature: `${"A".repeat(85)}A` };
      return check(copy);
    };
    expect(resigned({ source: "/systems/checkout" })).toMatchObject({
      ok: false,
      reason: "invalid",
      message: expect.stringContaining("/source"),
    });
    expect(resigned({}, { isTest: false })).toMatchObject({
      ok: false,
      reason: "invalid",
      message: expect.stringContaining("/data/isTest"),
    });
    expect(resigned({ type: "clh.client-account.client-account-deleted.v1" })).toMatchObject({ reason: "invalid" });
    for (const value of [null, 1, "signal", [signed], { toJSON: () => "x" }, 10n]) expect(reason(value)).toBe("not-json");
  });

  it("reads the value once: what is verified is what is returned, whatever its getters answer later", () => {
    const signed = signCleanupSignal(signal(), staging.priv) as unknown as Record<string, unknown>;
    let reads = 0;
    const tricky = new Proxy(signed, {
      get(target, name, receiver) {
        if (name === "data") reads++;
        return reads > 1 && name === "data"
          ? { ...(target.data as object), clientAccountId: "0ea10acc-0002-4e3b-9c4d-000000000002" }
          : Reflect.get(target, name, receiver);
      },
    });
    const result = check(tricky);
    expect(result.ok).toBe(true);
    if (result.ok) expect(result.signal.data.clientAccountId).toBe(VECTOR.unsigned.data.clientAccountId);
    const throwing = new Proxy(signed, {
      get() {
        throw new Error("boom");
      },
    });
    expect(reason(throwing)).toBe("not-json");
  });

  it("throws for options that cannot be right: a system misconfigured fails loudly", () => {
    const signed = signCleanupSignal(signal(), staging.priv);
    expect(() => verifyCleanupSignal(signed, { environment: "prod" as Environment, keys })).toThrow(/environment must be one of/);
    expect(() => verifyCleanupSignal(signed, { environment: "staging", keys: [staging.priv as unknown as SignalPublicKey] })).toThrow(
      TypeError,
    );
    expect(() => verifyCleanupSignal(signed, { environment: "staging", keys: [{ ...staging.pub, crv: "X25519" } as never] })).toThrow(
      TypeError,
    );
    expect(() => verifyCleanupSignal(signed, { environment: "staging", keys: [{ ...staging.pub, environment: "qa" } as never] })).toThrow(
      TypeError,
    );
    expect(() => verifyCleanupSignal(signed, { environment: "staging", keys, now: Number.NaN })).toThrow(TypeError);
    expect(() =>
      verifyCleanupSignal(signed, { environment: "staging", keys: [staging.pub, { ...production.pub, kid: staging.pub.kid }] }),
    ).toThrow(/two keys have the id/);
  });
});

describe("signCleanupSignal", () => {
  const staging = keyPair("staging");

  it("refuses an invalid signal, a key of another environment, a key that is not an Ed25519 private JWK", () => {
    expect(() => signCleanupSignal({ ...signal(), source: "/systems/checkout" } as never, staging.priv)).toThrow(
      /not a valid cleanup signal: \/source/,
    );
    expect(() => signCleanupSignal(signal("production"), staging.priv)).toThrow(/signs for staging, the signal is for production/);
    const { d: _, ...publicOnly } = staging.priv;
    expect(() => signCleanupSignal(signal(), publicOnly as never)).toThrow(/Ed25519 JWK/);
    expect(() => signCleanupSignal(signal(), { ...staging.priv, kid: "" })).toThrow(/kid/);
    expect(() => signCleanupSignal(signal(), { ...staging.priv, d: "AAAA" })).toThrow(/cannot be read/);
  });

  it("signs again over an old signature: the attributes given are replaced", () => {
    const once = signCleanupSignal(signal(), staging.priv);
    const other = keyPair("staging", "clh-staging-next");
    const twice = signCleanupSignal(once as never, other.priv);
    expect(twice.signaturekeyid).toBe("clh-staging-next");
    expect(verifyCleanupSignal(twice, { environment: "staging", keys: [other.pub], now: SOON }).ok).toBe(true);
  });

  it("isCleanupSignal checks the shape only: the attributes must be there, the signature is not verified", () => {
    const signed = signCleanupSignal(signal(), staging.priv);
    expect(isCleanupSignal(signed)).toBe(true);
    expect(isCleanupSignal(signal())).toBe(false);
    const flipped = Buffer.from(signed.signature, "base64url");
    flipped[0] = (flipped[0] as number) ^ 1;
    expect(isCleanupSignal({ ...signed, signature: flipped.toString("base64url") })).toBe(true);
  });
});

describe("the package's keys (keys/cleanup-signal.json)", () => {
  it("are Ed25519 public keys, with unique ids, at least one per environment, and no private half", () => {
    expect(new Set(SIGNAL_KEYS.map((k) => k.kid)).size).toBe(SIGNAL_KEYS.length);
    for (const environment of ENVIRONMENTS) expect(SIGNAL_KEYS.some((k) => k.environment === environment)).toBe(true);
    for (const k of SIGNAL_KEYS) {
      expect(Object.keys(k).sort()).toEqual(["alg", "crv", "environment", "kid", "kty", "use", "x"]);
      expect(createPublicKey({ key: { kty: k.kty, crv: k.crv, x: k.x }, format: "jwk" }).asymmetricKeyType).toBe("ed25519");
    }
  });

  it("are the default: a signal signed with a test key is refused by them (unknown key)", () => {
    const test = keyPair("production");
    const signed = signCleanupSignal(signal("production"), test.priv);
    expect(verifyCleanupSignal(signed, { environment: "production", now: SOON })).toMatchObject({ ok: false, reason: "unknown-key" });
  });

  it("rotation: while two keys of an environment are listed, signals of either verify", () => {
    const old = keyPair("production", "clh-production-old");
    const next = keyPair("production", "clh-production-next");
    const keys = [old.pub, next.pub];
    for (const k of [old, next]) {
      expect(verifyCleanupSignal(signCleanupSignal(signal("production"), k.priv), { environment: "production", keys, now: SOON }).ok).toBe(
        true,
      );
    }
  });
});
