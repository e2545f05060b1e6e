/**
 * Signals only CLH can send: CLH signs the cleanup signal with its Ed25519 key of the environment,
 * and every system verifies the signature, the environment and the signal's age before it deletes
 * anything (docs/test-data.md, "How the signal is authenticated").
 *
 * - What is signed: the RFC 8785 canonical JSON (canonical-json.ts) of the whole CloudEvent, its
 *   `signaturekeyid` included and its `signature` left out, so that no attribute, no data field
 *   and not the choice of key can change without breaking the signature.
 * - Where it travels: two CloudEvents extension attributes, `signature` (the 64-byte Ed25519
 *   signature, base64url without padding) and `signaturekeyid` (the `kid` of the key).
 * - Which keys: CLH's public keys, per environment, in keys/cleanup-signal.json (a JWK Set; each
 *   key has a `kid` and an `environment`; several per environment while keys are rotated). The
 *   private keys stay in CLH's secret store: none is in the repository.
 * - How old: a signal is acted on for SIGNAL_MAX_AGE_MS after its `time`, and not when its `time`
 *   is more than SIGNAL_CLOCK_SKEW_MS in the future. Within the window a redelivered signal deletes
 *   nothing more (the handler is idempotent); after it, a replay is refused.
 *
 * Ed25519 from node:crypto: no dependency, deterministic signatures (the committed test vector).
 */

import { createPrivateKey, createPublicKey, type KeyObject, sign, verify } from "node:crypto";
import { type TestClientAccountDeletedV2, validators } from "../../build/generated/systems/clh.js";
import SHIPPED_KEYS from "../../keys/cleanup-signal.json" with { type: "json" };
import { canonicalJson } from "./canonical-json.js";

/** An environment a signal is for, and a system runs in: a system acts only on its own environment's signals. */
export type Environment = TestClientAccountDeletedV2["data"]["environment"];

/** The environments, as the signal's schema lists them. */
export const ENVIRONMENTS: readonly Environment[] = ["development", "testing", "staging", "production"];

/** The CloudEvents extension attribute that carries the signature (base64url, no padding). */
export const SIGNATURE_ATTRIBUTE = "signature";
/** The CloudEvents extension attribute that names the key that made the signature (its `kid`). */
export const KEY_ID_ATTRIBUTE = "signaturekeyid";

/** How long after its `time` a signal is acted on: 72 hours, long enough for a system that was down over a weekend. */
export const SIGNAL_MAX_AGE_MS = 72 * 60 * 60 * 1000;
/** How far in the future a signal's `time` may be (the clocks of CLH and the system differ): 5 minutes. */
export const SIGNAL_CLOCK_SKEW_MS = 5 * 60 * 1000;

/** A public key that verifies signals: an Ed25519 JWK with its id and the environment it signs for. */
export interface SignalPublicKey {
  kty: "OKP";
  crv: "Ed25519";
  x: string;
  kid: string;
  environment: Environment;
  alg?: "EdDSA";
  use?: "sig";
}

/** CLH's private key as a JWK (from its secret store): Ed25519, with the `kid` the systems know it by. */
export interface SignalPrivateKey {
  kty: "OKP";
  crv: "Ed25519";
  x: string;
  d: string;
  kid: string;
  /** When given, signing a signal for another environment is refused. */
  environment?: Environment;
}

/** The signal as CLH builds it before signing: the signal's envelope without the two signature attributes. */
export type UnsignedCleanupSignal = Omit<TestClientAccountDeletedV2, typeof SIGNATURE_ATTRIBUTE | typeof KEY_ID_ATTRIBUTE>;

/** A signed signal: the event with its signature and key id, which its schema requires (`"signed": true`). */
export type SignedCleanupSignal = TestClientAccountDeletedV2;

/** Why a signal was refused. */
export type RefusalReason =
  | "not-json"
  | "unsigned"
  | "invalid"
  | "source"
  | "not-test"
  | "environment"
  | "unknown-key"
  | "key-environment"
  | "bad-signature"
  | "time"
  | "stale"
  | "future";

/** What verifyCleanupSignal says: the verified signal (a copy: act on this, not on the value given), or why not. */
export type VerifyResult = { ok: true; signal: SignedCleanupSignal } | { ok: false; reason: RefusalReason; message: string };

/** Options of verifyCleanupSignal. */
export interface VerifyOptions {
  /** The environment this system runs in: a signal for another is refused. */
  environment: Environment;
  /** The public keys (default: the package's, keys/cleanup-signal.json). */
  keys?: readonly SignalPublicKey[];
  /** The current time (default: now); tests and replays of an audit pass their own. */
  now?: Date | number;
  /** A shorter window than SIGNAL_MAX_AGE_MS, in milliseconds (a longer one is refused). */
  maxAgeMs?: number;
}

/** The package's public keys of CLH (keys/cleanup-signal.json), checked when first used. */
export const SIGNAL_KEYS: readonly SignalPublicKey[] = Object.freeze(
  (SHIPPED_KEYS as { keys: SignalPublicKey[] }).keys.map((k) => Object.freeze({ ...k })),
);

/**
 * What the signature covers: the canonical JSON of the event without its `signature`. Exported for
 * systems in other languages to compare with (the committed test vector shows it).
 */
export function signedBytes(event: Record<string, unknown>): Uint8Array {
  const { [SIGNATURE_ATTRIBUTE]: _, ...rest } = event;
  return new TextEncoder().encode(canonicalJson(rest));
}

/**
 * Signs a cleanup signal (CLH only): sets `signaturekeyid` to the key's `kid` and `signature` to
 * the Ed25519 signature of the rest (attributes of those names given are replaced), and checks the
 * result against the signal's schema. Throws a TypeError for an invalid signal, a key that is not an
 * Ed25519 private JWK with a `kid`, or a key of another environment than the signal's.
 */
export function signCleanupSignal(event: UnsignedCleanupSignal, privateKeyJwk: SignalPrivateKey): SignedCleanupSignal {
  const copy = jsonCopy(event);
  if (copy === undefined) throw new TypeError("the signal is not JSON");
  const { [SIGNATURE_ATTRIBUTE]: _s, [KEY_ID_ATTRIBUTE]: _k, ...unsigned } = copy;
  const jwk = privateKeyJwk as unknown as Record<string, unknown>;
  if (jwk.kty !== "OKP" || jwk.crv !== "Ed25519" || typeof jwk.d !== "string" || typeof jwk.x !== "string")
    throw new TypeError("the private key must be an Ed25519 JWK (kty OKP, crv Ed25519, with d and x)");
  if (typeof jwk.kid !== "string" || !KEY_ID.test(jwk.kid)) throw new TypeError(`the private key needs a "kid" matching ${KEY_ID}`);
  const environment = (unsigned.data as { environment?: unknown } | undefined)?.environment;
  if (jwk.environment !== undefined && jwk.environment !== environment)
    throw new TypeError(`the key ${jwk.kid} signs for ${String(jwk.environment)}, the signal is for ${environment}`);
  let key: KeyObject;
  try {
    key = createPrivateKey({ key: { kty: "OKP", crv: "Ed25519", x: jwk.x, d: jwk.d }, format: "jwk" });
  } catch (e) {
    throw new TypeError(`the private key cannot be read: ${(e as Error).message}`);
  }
  const withKeyId = { ...unsigned, [KEY_ID_ATTRIBUTE]: jwk.kid };
  const signed = { ...withKeyId, [SIGNATURE_ATTRIBUTE]: sign(null, signedBytes(withKeyId), key).toString("base64url") };
  // What CLH sends must be what every system accepts: the signal's schema, signature attributes included.
  const problem = validSignal(signed);
  if (problem !== undefined) throw new TypeError(`not a valid cleanup signal: ${problem}`);
  return signed as unknown as SignedCleanupSignal;
}

/**
 * Verifies a cleanup signal before anything is deleted. Refuses (never throws for the event): a
 * value that is not JSON, one without the two signature attributes, an invalid signal (the
 * signal's schema: envelope, `source` pinned to CLH's, `isTest` fixed to true), a signal for
 * another environment than `environment`, a key id that no key has, a key of another environment, a
 * signature that does not verify, a signal older than the window and one from the future. Throws a
 * TypeError for options that cannot be right (an unknown environment, a key that is not an Ed25519
 * public JWK with its `kid` and `environment`): a system misconfigured must fail loudly.
 *
 * The signal returned is a copy of the value as it was read once, and is what was verified: act on
 * it, not on the value given (whose getters could answer differently a second time).
 */
export function verifyCleanupSignal(event: unknown, options: VerifyOptions): VerifyResult {
  const { environment, keys, now, maxAge } = checkedOptions(options);
  const copy = jsonCopy(event);
  if (copy === undefined) return refuse("not-json", "the signal is not a JSON object");
  const signature = copy[SIGNATURE_ATTRIBUTE];
  const keyId = copy[KEY_ID_ATTRIBUTE];
  if (typeof signature !== "string" || typeof keyId !== "string")
    return refuse("unsigned", `the signal has no "${SIGNATURE_ATTRIBUTE}" and "${KEY_ID_ATTRIBUTE}" attributes`);
  const problem = validSignal(copy);
  if (problem !== undefined) return refuse("invalid", `not a valid cleanup signal: ${problem}`);
  const signal = copy as unknown as SignedCleanupSignal;
  if (signal.source !== "/systems/clh") return refuse("source", `the signal's source is ${signal.source}, not CLH's`);
  if (signal.data.isTest !== true) return refuse("not-test", "the signal is not about a test account");
  if (signal.data.environment !== environment)
    return refuse("environment", `the signal is for ${signal.data.environment}, this system runs in ${environment}`);
  const key = keys.find((k) => k.kid === keyId);
  if (!key) return refuse("unknown-key", `no key has the id ${JSON.stringify(keyId)}`);
  if (key.environment !== environment)
    return refuse("key-environment", `the key ${key.kid} signs for ${key.environment}, this system runs in ${environment}`);
  if (!SIGNATURE.test(signature) || !verify(null, signedBytes(copy), publicKeyOf(key), Buffer.from(signature, "base64url")))
    return refuse("bad-signature", `the signature does not verify with the key ${key.kid}`);
  const time = Date.parse(signal.time);
  // RFC 3339 allows a leap second (23:59:60), which JavaScript cannot place: its age is unknown.
  if (!Number.isFinite(time))
    return refuse("time", `the signal's time ${signal.time} cannot be placed on the clock, so its age cannot be told`);
  if (now - time > maxAge) return refuse("stale", `the signal is from ${signal.time}, older than ${maxAge / 3_600_000} hours`);
  if (time - now > SIGNAL_CLOCK_SKEW_MS) return refuse("future", `the signal is from ${signal.time}, in the future`);
  return { ok: true, signal: copy as unknown as SignedCleanupSignal };
}

/** Why `event` is not a valid signal (the first error of the signal's validator), or undefined when it is one. */
function validSignal(event: unknown): string | undefined {
  const result = validators["clh.client-account.test-client-account-deleted.v2"](event);
  if (result.ok) return undefined;
  const first = result.errors[0];
  return first ? `${first.pointer || "the event"}: ${first.message}` : "invalid";
}

/** A key id: what CLH names its keys (`clh-production-2026-12`). */
const KEY_ID = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;
/** An Ed25519 signature in base64url without padding: 64 bytes, 86 characters. */
const SIGNATURE = /^[A-Za-z0-9_-]{85}[AQgw]$/;
/** A public key's x: 32 bytes in base64url, 43 characters. */
const PUBLIC_X = /^[A-Za-z0-9_-]{42}[AEIMQUYcgkosw048]$/;

const publicKeys = new WeakMap<SignalPublicKey, KeyObject>();

function publicKeyOf(key: SignalPublicKey): KeyObject {
  let made = publicKeys.get(key);
  if (!made) {
    made = createPublicKey({ key: { kty: "OKP", crv: "Ed25519", x: key.x }, format: "jwk" });
    publicKeys.set(key, made);
  }
  return made;
}

function checkedOptions(options: VerifyOptions): {
  environment: Environment;
  keys: readonly SignalPublicKey[];
  now: number;
  maxAge: number;
} {
  if (!ENVIRONMENTS.includes(options?.environment)) throw new TypeError(`environment must be one of ${ENVIRONMENTS.join(", ")}`);
  const keys = options.keys ?? SIGNAL_KEYS;
  const kids = new Set<string>();
  for (const k of keys) {
    // One key per id: with two, which one a signal names would depend on the list's order.
    if (kids.has(k?.kid)) throw new TypeError(`two keys have the id ${JSON.stringify(k.kid)}`);
    kids.add(k?.kid);
    const ok =
      k?.kty === "OKP" &&
      k.crv === "Ed25519" &&
      typeof k.x === "string" &&
      PUBLIC_X.test(k.x) &&
      typeof k.kid === "string" &&
      KEY_ID.test(k.kid) &&
      ENVIRONMENTS.includes(k.environment) &&
      !("d" in k);
    if (!ok) throw new TypeError(`not an Ed25519 public key with a kid and an environment: ${JSON.stringify(k?.kid ?? k)}`);
  }
  const now = options.now === undefined ? Date.now() : typeof options.now === "number" ? options.now : options.now.getTime();
  if (!Number.isFinite(now)) throw new TypeError("now must be a valid time");
  const maxAge = options.maxAgeMs ?? SIGNAL_MAX_AGE_MS;
  if (!(maxAge > 0 && maxAge <= SIGNAL_MAX_AGE_MS)) throw new TypeError(`maxAgeMs must be above 0 and at most ${SIGNAL_MAX_AGE_MS}`);
  return { environment: options.environment, keys, now, maxAge };
}

/** The value as JSON read once (getters called once), as a plain object; undefined when it is not one. */
export function jsonCopy(value: unknown): Record<string, unknown> | undefined {
  try {
    const text = JSON.stringify(value);
    if (text === undefined) return undefined;
    const copy = JSON.parse(text) as unknown;
    return typeof copy === "object" && copy !== null && !Array.isArray(copy) ? (copy as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

function refuse(reason: RefusalReason, message: string): VerifyResult {
  return { ok: false, reason, message };
}
