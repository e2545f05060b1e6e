/**
 * A deterministic synthetic events tree for benchmarks: `count` event versions (files) in about
 * count/20 systems, 2–4 topics each, ~25% of events with a v2 and ~8% with a v3 (each a breaking
 * change that its description explains), and a fixed set of shared definitions under `_shared/`.
 * Every schema follows the house rules of docs/authoring.md, so `domain-events check` accepts the tree.
 *
 * Determinism: one seeded PRNG (mulberry32) per system and per event, derived from (seed, indices)
 * only, so the same (count, seed) writes byte-identical files, and a system never depends on how
 * many systems follow it: the first system (and its first event) is the same for every count that
 * does not cut it short (any count ≥ 100). The last system is cut to make the count exact.
 *
 *   npx tsx scripts/bench/corpus.ts --count 1000 --out /tmp/c1000 [--seed N]
 */

import { mkdir, readdir, rm, writeFile } from "node:fs/promises";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { parseArgs } from "node:util";

/** What generateCorpus wrote. */
export interface CorpusInfo {
  /** The events folder (absolute). */
  dir: string;
  /** Event versions (files) written: exactly the count asked for. */
  count: number;
  /** Systems written. */
  systems: number;
  /** The event files, relative to `dir` (generation order: system, topic, event, version). */
  files: string[];
  /** The shared definition files, relative to `dir`. */
  sharedFiles: string[];
  /** The `type` of the first system's first event, version 1: `<system>.<topic>.<event>.v1`. */
  sampleEventType: string;
  /** The event file of `sampleEventType`, relative to `dir`. */
  sampleEventFile: string;
  /** Bytes of every file written (events, system.json files, shared definitions). */
  bytes: number;
  /** Bytes of the event files alone. */
  eventBytes: number;
}

type Json = string | number | boolean | null | Json[] | JsonObject;
interface JsonObject {
  [key: string]: Json;
}

// ---------------------------------------------------------------------------------------------
// Randomness

/** The mulberry32 PRNG: a function returning floats in [0, 1), deterministic for a 32-bit seed. */
export function mulberry32(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A 32-bit seed from parts (FNV-1a over their text): independent streams for systems and events. */
function seedOf(...parts: (string | number)[]): number {
  let h = 0x811c9dc5;
  for (const ch of parts.join("/")) {
    h ^= ch.charCodeAt(0);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h;
}

class Rng {
  private readonly next: () => number;
  constructor(seed: number) {
    this.next = mulberry32(seed);
  }
  float(): number {
    return this.next();
  }
  /** An integer in [min, max]. */
  int(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1));
  }
  chance(p: number): boolean {
    return this.next() < p;
  }
  pick<T>(items: readonly T[]): T {
    return items[Math.floor(this.next() * items.length)] as T;
  }
  /** `n` distinct items, in the order of `items`. */
  subset<T>(items: readonly T[], n: number): T[] {
    const chosen = new Set(this.shuffle(items.map((_, i) => i)).slice(0, n));
    return items.filter((_, i) => chosen.has(i));
  }
  shuffle<T>(items: readonly T[]): T[] {
    const out = [...items];
    for (let i = out.length - 1; i > 0; i--) {
      const j = Math.floor(this.next() * (i + 1));
      [out[i], out[j]] = [out[j] as T, out[i] as T];
    }
    return out;
  }
  hex(n: number): string {
    let s = "";
    for (let i = 0; i < n; i++) s += "0123456789abcdef"[this.int(0, 15)];
    return s;
  }
  uuid(): string {
    return `${this.hex(8)}-${this.hex(4)}-4${this.hex(3)}-${this.pick(["8", "9", "a", "b"])}${this.hex(3)}-${this.hex(12)}`;
  }
  dateTime(): string {
    const p = (n: number) => String(n).padStart(2, "0");
    return `${this.date()}T${p(this.int(0, 23))}:${p(this.int(0, 59))}:${p(this.int(0, 59))}Z`;
  }
  date(): string {
    const p = (n: number) => String(n).padStart(2, "0");
    return `${this.int(2023, 2026)}-${p(this.int(1, 12))}-${p(this.int(1, 28))}`;
  }
  digits(n: number): string {
    let s = String(this.int(1, 9));
    for (let i = 1; i < n; i++) s += String(this.int(0, 9));
    return s;
  }
  upper(n: number, alphabet = "ABCDEFGHJKLMNPQRSTUVWXYZ0123456789"): string {
    let s = "";
    for (let i = 0; i < n; i++) s += alphabet[this.int(0, alphabet.length - 1)];
    return s;
  }
}

// ---------------------------------------------------------------------------------------------
// Names

/** Systems: a domain, then a domain and a suffix (bijective over the index), then a number. */
const DOMAINS = [
  "billing",
  "catalog",
  "checkout",
  "fulfilment",
  "inventory",
  "loyalty",
  "marketing",
  "notifications",
  "onboarding",
  "partners",
  "pricing",
  "procurement",
  "ratings",
  "recommendations",
  "returns",
  "search",
  "shipping",
  "subscriptions",
  "support",
  "tax",
  "warehouse",
  "ledger",
  "identity",
  "analytics",
  "compliance",
  "dispatch",
  "invoicing",
  "sourcing",
  "rewards",
  "scheduling",
] as const;
const SUFFIXES = [
  "core",
  "hub",
  "gateway",
  "engine",
  "portal",
  "desk",
  "bridge",
  "studio",
  "center",
  "works",
  "ops",
  "connect",
  "cloud",
  "edge",
  "plus",
  "lab",
  "pro",
  "direct",
  "flow",
  "sync",
] as const;

/** Topics: a noun, then a qualifier and a noun; unique over the whole corpus, so event names are too. */
const NOUNS = [
  "order",
  "shipment",
  "invoice",
  "refund",
  "subscription",
  "cart",
  "coupon",
  "voucher",
  "gift-card",
  "product",
  "listing",
  "review",
  "ticket",
  "appointment",
  "booking",
  "reservation",
  "delivery",
  "parcel",
  "payout",
  "transfer",
  "claim",
  "quote",
  "contract",
  "lead",
  "campaign",
  "newsletter",
  "survey",
  "device",
  "session",
  "membership",
  "wallet",
  "stock-item",
  "batch",
  "pallet",
  "route",
  "driver",
  "vehicle",
  "supplier",
  "purchase-order",
  "warranty",
] as const;
const QUALIFIERS = [
  "wholesale",
  "retail",
  "partner",
  "marketplace",
  "express",
  "international",
  "domestic",
  "recurring",
  "bulk",
  "priority",
  "trial",
  "corporate",
  "seasonal",
  "regional",
  "digital",
  "manual",
  "automated",
  "premium",
  "legacy",
  "external",
  "internal",
  "mobile",
  "instore",
  "online",
  "scheduled",
  "standing",
  "consignment",
  "dropship",
  "pilot",
  "enterprise",
] as const;

/** Past-tense verbs: an event is `<topic>-<verb>`. */
const VERBS = [
  "created",
  "updated",
  "submitted",
  "approved",
  "rejected",
  "cancelled",
  "completed",
  "archived",
  "restored",
  "assigned",
  "confirmed",
  "expired",
  "renewed",
  "suspended",
  "reactivated",
  "closed",
  "reopened",
  "scheduled",
  "rescheduled",
  "published",
  "withdrawn",
  "flagged",
  "verified",
  "escalated",
  "transferred",
  "locked",
  "unlocked",
  "imported",
  "exported",
  "reviewed",
] as const;

const STATUSES = [
  "draft",
  "pending",
  "active",
  "on-hold",
  "in-review",
  "approved",
  "rejected",
  "completed",
  "cancelled",
  "expired",
  "failed",
];

/**
 * The `k`-th name of a two-level space: level 0 is `first[k]`; level 1 pairs `first` with `second`
 * (bijective over the level's indices), before (`second-first`) or after (`first-second`) it; then
 * the level-1 names again, numbered. `base` is the `first` word.
 */
function layered(k: number, first: readonly string[], second: readonly string[], secondBefore: boolean): { name: string; base: string } {
  if (k < first.length) return { name: first[k] as string, base: first[k] as string };
  const j = k - first.length;
  const space = first.length * second.length;
  const within = j % space;
  const a = within % first.length;
  const b = Math.floor(within / first.length);
  // (a, b) → (a, (b·(|first|+1) + a) mod |second|) is a bijection while gcd(|first|+1, |second|) = 1.
  const other = second[(b * (first.length + 1) + a) % second.length] as string;
  const base = first[a] as string;
  const name = secondBefore ? `${other}-${base}` : `${base}-${other}`;
  const round = Math.floor(j / space);
  return { name: round === 0 ? name : `${name}-${round + 1}`, base };
}

const camel = (kebab: string) => kebab.replace(/-([a-z0-9])/g, (_, c: string) => c.toUpperCase());
const pascal = (kebab: string) => {
  const c = camel(kebab);
  return c[0]!.toUpperCase() + c.slice(1);
};
const words = (kebab: string) => kebab.replace(/-/g, " ");
const titleCase = (kebab: string) =>
  kebab
    .split("-")
    .map((w) => w[0]!.toUpperCase() + w.slice(1))
    .join(" ");
const article = (noun: string) => `${/^[aeiou]/.test(noun) ? "an" : "a"} ${noun}`;
const sentence = (s: string) => s[0]!.toUpperCase() + s.slice(1);

// ---------------------------------------------------------------------------------------------
// Shared definitions

const SHARED = "../../_shared/";
const DIALECT = "https://json-schema.org/draft/2020-12/schema";

/** Keys of ids.json's `$defs`: one per noun, and the platform's own entities. */
const ID_KEYS = [...NOUNS.map((n) => `${camel(n)}Id`), "clientAccountId", "customerUserId", "staffMemberId", "paymentProfileId"];

const CURRENCIES = ["EUR", "CHF", "GBP", "USD", "SEK", "DKK", "PLN"];
const PLACES = [
  { street: "Speicherstraße 12", postalCode: "20457", city: "Hamburg", country: "DE" },
  { street: "Mariahilfer Straße 77", postalCode: "1060", city: "Wien", country: "AT" },
  { street: "Bahnhofstrasse 3", postalCode: "8001", city: "Zürich", country: "CH" },
  { street: "Keizersgracht 174", postalCode: "1016 DW", city: "Amsterdam", country: "NL" },
  { street: "12 Rue de Rivoli", postalCode: "75004", city: "Paris", country: "FR" },
  { street: "Drottninggatan 55", postalCode: "111 21", city: "Stockholm", country: "SE" },
  { street: "221B Baker Street", postalCode: "NW1 6XE", city: "London", country: "GB" },
] as const;
const FIRST_NAMES = ["Anna", "Jonas", "Lea", "Finn", "Mia", "Lukas", "Emma", "Noah", "Sofia", "Elias", "Clara", "Paul"];
const LAST_NAMES = ["Schmidt", "Müller", "Weber", "Fischer", "Wagner", "Becker", "Hoffmann", "Koch", "Richter", "Wolf"];
const LOCALES = ["de-DE", "de-AT", "de-CH", "en-GB", "en", "fr-FR", "nl-NL", "sv-SE", "it"];

const PATTERNS = {
  currency: "^[A-Z]{3}$",
  country: "^[A-Z]{2}$",
  phone: "^\\+[1-9][0-9]{6,14}$",
  locale: "^[a-z]{2,3}(-[A-Z]{2})?$",
  sku: "^[A-Z0-9]{4,12}$",
  reference: "^[A-Z]{2}-[0-9]{6,10}$",
  slug: "^[a-z0-9]+(-[a-z0-9]+)*$",
  semver: "^[0-9]+\\.[0-9]+\\.[0-9]+$",
  taxCode: "^[A-Z0-9]{2,10}$",
  key: "^[a-z][a-zA-Z0-9]{0,63}$",
} as const;

function sharedFiles(): Record<string, JsonObject> {
  const idDefs: JsonObject = {};
  for (const key of ID_KEYS) {
    const entity = words(
      key
        .replace(/Id$/, "")
        .replace(/([A-Z])/g, "-$1")
        .toLowerCase(),
    );
    idDefs[key] = {
      title: `${sentence(entity)} id`,
      description: `The id of ${article(entity)}; a UUID, assigned by the system that owns ${entity}s.`,
      type: "string",
      format: "uuid",
    };
  }
  return {
    "currency-code.json": {
      $schema: DIALECT,
      title: "Currency code",
      description: "An ISO 4217 alphabetic currency code.",
      type: "string",
      pattern: PATTERNS.currency,
      examples: ["EUR", "CHF"],
    },
    "country-code.json": {
      $schema: DIALECT,
      title: "Country code",
      description: "An ISO 3166-1 alpha-2 country code.",
      type: "string",
      pattern: PATTERNS.country,
      examples: ["DE", "AT"],
    },
    "email.json": {
      $schema: DIALECT,
      title: "Email address",
      description: "An email address (RFC 5321 limits its length to 254 characters).",
      type: "string",
      format: "email",
      maxLength: 254,
      examples: ["anna.schmidt@example.com"],
    },
    "phone-number.json": {
      $schema: DIALECT,
      title: "Phone number",
      description: "A phone number in E.164 form: a plus sign, the country code and the subscriber number, without spaces.",
      type: "string",
      pattern: PATTERNS.phone,
      examples: ["+4940123456789"],
    },
    "locale.json": {
      $schema: DIALECT,
      title: "Locale",
      description: "A BCP 47 language tag made of a language and an optional region, e.g. de-DE.",
      type: "string",
      pattern: PATTERNS.locale,
      examples: ["de-DE", "en"],
    },
    "percentage.json": {
      $schema: DIALECT,
      title: "Percentage",
      description: "A percentage between 0 and 100, e.g. 19 for 19 %.",
      type: "number",
      minimum: 0,
      maximum: 100,
      examples: [19, 7.5],
    },
    "ids.json": {
      $schema: DIALECT,
      title: "Entity ids",
      description:
        "The ids of the domain's entities, one definition per entity; every id is a UUID. Reference one as ids.json#/$defs/<entity>Id.",
      $defs: idDefs,
    },
    "money.json": {
      $schema: DIALECT,
      title: "Money",
      description:
        "An amount of money as an integer in the minor unit of its currency (e.g. cents), so that no floating-point rounding happens.",
      type: "object",
      additionalProperties: false,
      required: ["amountMinor", "currency"],
      properties: {
        amountMinor: {
          description: "The amount in minor units of the currency, e.g. 1299 for 12.99 EUR; negative for credits.",
          type: "integer",
          minimum: -100000000000,
          maximum: 100000000000,
        },
        currency: { $ref: "./currency-code.json", description: "The currency of the amount." },
      },
      examples: [{ amountMinor: 1299, currency: "EUR" }],
    },
    "address.json": {
      $schema: DIALECT,
      title: "Address",
      description: "A postal address, as used for billing and shipping.",
      type: "object",
      additionalProperties: false,
      required: ["street", "postalCode", "city", "country"],
      properties: {
        street: { description: "Street and house number.", type: "string", minLength: 1, maxLength: 200 },
        addressLine2: { description: "Optional second address line, e.g. a c/o or a floor.", type: "string", maxLength: 200 },
        postalCode: { description: "The postal code, in the format of its country.", type: "string", minLength: 1, maxLength: 16 },
        city: { description: "The city or town.", type: "string", minLength: 1, maxLength: 100 },
        country: { $ref: "./country-code.json", description: "The country of the address." },
      },
      examples: [{ ...PLACES[0] }],
    },
    "date-range.json": {
      $schema: DIALECT,
      title: "Date range",
      description: "A range of calendar days, both ends included; without `to` it is open-ended.",
      type: "object",
      additionalProperties: false,
      required: ["from"],
      properties: {
        from: { description: "The first day of the range.", type: "string", format: "date" },
        to: { description: "The last day of the range, when it has one.", type: "string", format: "date" },
      },
      examples: [{ from: "2025-01-01", to: "2025-12-31" }],
    },
    "geo-location.json": {
      $schema: DIALECT,
      title: "Geo location",
      description: "A point on the earth in WGS 84 coordinates.",
      type: "object",
      additionalProperties: false,
      required: ["latitude", "longitude"],
      properties: {
        latitude: { description: "Degrees north (negative: south).", type: "number", minimum: -90, maximum: 90 },
        longitude: { description: "Degrees east (negative: west).", type: "number", minimum: -180, maximum: 180 },
        accuracyMeters: { description: "The radius of uncertainty, in metres.", type: "number", minimum: 0, maximum: 100000 },
      },
      examples: [{ latitude: 53.5436, longitude: 9.9881 }],
    },
    "contact.json": {
      $schema: DIALECT,
      title: "Contact",
      description: "A person to contact about something: name, email, and optionally phone and language.",
      type: "object",
      additionalProperties: false,
      required: ["name", "email"],
      properties: {
        name: { description: "The person's full name.", type: "string", minLength: 1, maxLength: 200 },
        email: { $ref: "./email.json", description: "Where to write to the person." },
        phone: { $ref: "./phone-number.json", description: "Where to call the person." },
        locale: { $ref: "./locale.json", description: "The language to address the person in." },
      },
      examples: [{ name: "Anna Schmidt", email: "anna.schmidt@example.com", locale: "de-DE" }],
    },
    "actor.json": {
      $schema: DIALECT,
      title: "Actor",
      description: "Who did something: a customer user, a staff member, or a system acting on its own.",
      oneOf: [
        {
          description: "A customer user, acting in a self-service channel.",
          type: "object",
          additionalProperties: false,
          required: ["kind", "customerUserId"],
          properties: {
            kind: { description: "Discriminates the kind of actor.", const: "customer-user" },
            customerUserId: { $ref: "./ids.json#/$defs/customerUserId", description: "The customer user." },
          },
        },
        {
          description: "A staff member, acting in a back-office tool.",
          type: "object",
          additionalProperties: false,
          required: ["kind", "staffMemberId", "email"],
          properties: {
            kind: { description: "Discriminates the kind of actor.", const: "staff-member" },
            staffMemberId: { $ref: "./ids.json#/$defs/staffMemberId", description: "The staff member." },
            email: { $ref: "./email.json", description: "The staff member's work email, for audits." },
          },
        },
        {
          description: "A system, acting on a schedule or on another event.",
          type: "object",
          additionalProperties: false,
          required: ["kind", "system"],
          properties: {
            kind: { description: "Discriminates the kind of actor.", const: "system" },
            system: { description: "The name of the system, as in its system.json folder.", type: "string", pattern: PATTERNS.slug },
          },
        },
      ],
      examples: [{ kind: "system", system: "billing" }],
    },
    "tax-line.json": {
      $schema: DIALECT,
      title: "Tax line",
      description: "One tax applied to an amount: its code, rate, the country that levies it and the amount of tax.",
      type: "object",
      additionalProperties: false,
      required: ["taxCode", "rate", "amount"],
      properties: {
        taxCode: { description: "The tax code of the tax engine, e.g. VAT19.", type: "string", pattern: PATTERNS.taxCode },
        rate: { $ref: "./percentage.json", description: "The tax rate." },
        amount: { $ref: "./money.json", description: "The amount of tax." },
        country: { $ref: "./country-code.json", description: "The country that levies the tax." },
      },
      examples: [{ taxCode: "VAT19", rate: 19, amount: { amountMinor: 247, currency: "EUR" }, country: "DE" }],
    },
    "quantity.json": {
      $schema: DIALECT,
      title: "Quantity",
      description: "A measured quantity with its unit.",
      type: "object",
      additionalProperties: false,
      required: ["value", "unit"],
      properties: {
        value: { description: "The amount, in unit.", type: "number", minimum: 0, maximum: 1000000 },
        unit: { description: "The unit of value.", type: "string", enum: ["piece", "kg", "g", "l", "ml", "m", "hour"] },
      },
      examples: [{ value: 2.5, unit: "kg" }],
    },
    "billing-period.json": {
      $schema: DIALECT,
      title: "Billing period",
      description: "The length of one billing cycle, as a count of calendar units (e.g. 3 months).",
      type: "object",
      additionalProperties: false,
      required: ["unit", "count"],
      properties: {
        unit: { description: "The calendar unit of the period.", type: "string", enum: ["day", "week", "month", "year"] },
        count: { description: "How many units one period lasts.", type: "integer", minimum: 1, maximum: 36 },
      },
      examples: [{ unit: "month", count: 1 }],
    },
    "attachment.json": {
      $schema: DIALECT,
      title: "Attachment",
      description: "A file stored in the document store and linked from an event; the event carries its link, never its content.",
      type: "object",
      additionalProperties: false,
      required: ["fileName", "url", "mediaType", "sizeBytes"],
      properties: {
        fileName: { description: "The file's name as uploaded.", type: "string", minLength: 1, maxLength: 255 },
        url: { description: "Where the file can be downloaded (a signed link).", type: "string", format: "uri", maxLength: 2048 },
        mediaType: {
          description: "The media type of the file.",
          type: "string",
          enum: ["application/pdf", "image/png", "image/jpeg", "text/csv"],
        },
        sizeBytes: { description: "The size of the file in bytes.", type: "integer", minimum: 0, maximum: 104857600 },
      },
      examples: [{ fileName: "receipt.pdf", url: "https://files.example.com/f/8d2c", mediaType: "application/pdf", sizeBytes: 48213 }],
    },
  };
}

// Example values for the shared definitions.
const money = (r: Rng): JsonObject => ({ amountMinor: r.int(100, 250000), currency: r.pick(CURRENCIES) });
const place = (r: Rng): JsonObject => {
  const p: JsonObject = { ...r.pick(PLACES) };
  if (r.chance(0.3))
    return { street: p.street!, addressLine2: `${r.int(1, 6)}. Stock`, postalCode: p.postalCode!, city: p.city!, country: p.country! };
  return p;
};
const personName = (r: Rng) => `${r.pick(FIRST_NAMES)} ${r.pick(LAST_NAMES)}`;
const email = (r: Rng) =>
  `${r.pick(FIRST_NAMES).toLowerCase()}.${r.pick(["schmidt", "weber", "fischer", "wagner", "becker", "koch"])}${r.int(1, 99)}@example.com`;
const phone = (r: Rng) => `+${r.pick(["49", "43", "41", "31", "44"])}${r.digits(9)}`;
const actor = (r: Rng): JsonObject =>
  r.pick([
    (): JsonObject => ({ kind: "customer-user", customerUserId: r.uuid() }),
    (): JsonObject => ({ kind: "staff-member", staffMemberId: r.uuid(), email: email(r) }),
    (): JsonObject => ({ kind: "system", system: r.pick(DOMAINS) }),
  ])();
const taxLine = (r: Rng): JsonObject => {
  const rate = r.pick([19, 7, 20, 8.1, 21, 25]);
  return { taxCode: `VAT${String(rate).replace(".", "")}`, rate, amount: money(r), country: r.pick(PLACES).country };
};

// ---------------------------------------------------------------------------------------------
// Event schemas

/** One property of an object schema, with a valid value for the example. */
interface Field {
  name: string;
  schema: JsonObject;
  example: Json;
  required: boolean;
}

/** What the fields of one event are about. */
interface Ctx {
  rng: Rng;
  /** The topic in words: "wholesale order". */
  subject: string;
  /** The noun behind the topic: "order". */
  noun: string;
  verb: string;
  systemTitle: string;
  statuses: readonly string[];
}

const ref = (target: string, description: string): JsonObject => ({ $ref: target, description });
const idRef = (key: string, description: string): JsonObject => ref(`${SHARED}ids.json#/$defs/${key}`, description);
const field = (name: string, schema: JsonObject, example: Json, required = true): Field => ({ name, schema, example, required });

function objectOf(description: string, fields: readonly Field[]): { schema: JsonObject; example: JsonObject } {
  const properties: JsonObject = {};
  const example: JsonObject = {};
  for (const f of fields) {
    properties[f.name] = f.schema;
    example[f.name] = f.example;
  }
  return {
    schema: {
      description,
      type: "object",
      additionalProperties: false,
      required: fields.filter((f) => f.required).map((f) => f.name),
      properties,
    },
    example,
  };
}

/** The channel an event came through: a union of objects discriminated by `kind`. */
function channelField(c: Ctx): Field {
  const r = c.rng;
  const branches: { kind: string; description: string; fields: () => Field[] }[] = [
    {
      kind: "web",
      description: "The web shop or the customer portal, in a browser.",
      fields: () => [
        field(
          "url",
          { description: "The page the action was taken on.", type: "string", format: "uri", maxLength: 2048 },
          `https://shop.example.com/${c.noun}s/${r.hex(6)}`,
        ),
      ],
    },
    {
      kind: "app",
      description: "One of the mobile apps.",
      fields: () => [
        field("platform", { description: "The app's platform.", type: "string", enum: ["ios", "android"] }, r.pick(["ios", "android"])),
        field(
          "appVersion",
          { description: "The app's version, as major.minor.patch.", type: "string", pattern: PATTERNS.semver },
          `${r.int(1, 9)}.${r.int(0, 20)}.${r.int(0, 9)}`,
        ),
      ],
    },
    {
      kind: "api",
      description: "The public API, called by an integration of the client account.",
      fields: () => [
        field(
          "clientId",
          { description: "The OAuth client that called the API.", type: "string", minLength: 1, maxLength: 64 },
          `cli_${r.hex(16)}`,
        ),
      ],
    },
    {
      kind: "back-office",
      description: "A back-office tool, operated by a staff member.",
      fields: () => [field("staffMemberId", idRef("staffMemberId", "The staff member who operated the tool."), r.uuid())],
    },
  ];
  // The web shop is always a channel; one or two others join it.
  const chosen = [branches[0]!, ...r.subset(branches.slice(1), r.int(1, 2))];
  const exampleBranch = r.pick(chosen);
  let example: Json = null;
  const oneOf = chosen.map((b) => {
    const kind = field("kind", { description: "Discriminates the channel.", const: b.kind }, b.kind);
    const o = objectOf(b.description, [kind, ...b.fields()]);
    if (b === exampleBranch) example = o.example;
    return o.schema;
  });
  return field("channel", { description: `The channel through which the ${c.subject} was ${c.verb}.`, oneOf }, example);
}

/** The customer user: an object with nested preferences (two levels below the data). */
function customerField(c: Ctx): Field {
  const r = c.rng;
  const prefs = objectOf("The customer user's communication preferences at the time of the event.", [
    field("locale", ref(`${SHARED}locale.json`, "The language to address the customer user in."), r.pick(LOCALES)),
    field(
      "contactChannels",
      {
        description: "The channels the customer user may be contacted through, in order of preference.",
        type: "array",
        minItems: 1,
        maxItems: 4,
        uniqueItems: true,
        items: { description: "One contact channel.", type: "string", enum: ["email", "sms", "push", "phone"] },
      },
      r.subset(["email", "sms", "push", "phone"], r.int(1, 3)),
    ),
  ]);
  const customer = objectOf(`The customer user the ${c.subject} belongs to.`, [
    field("customerUserId", idRef("customerUserId", "The customer user."), r.uuid()),
    field("email", ref(`${SHARED}email.json`, "The customer user's email address."), email(r)),
    field("preferences", prefs.schema, prefs.example, false),
  ]);
  return field("customer", customer.schema, customer.example);
}

/** The line item, kept in the event's own `$defs`. */
function lineItemDef(c: Ctx): { schema: JsonObject; example: () => JsonObject } {
  const r = c.rng;
  const item = (): Field[] => [
    field("sku", { description: "The stock keeping unit of the product.", type: "string", pattern: PATTERNS.sku }, r.upper(r.int(6, 10))),
    field("quantity", { description: "How many units.", type: "integer", minimum: 1, maximum: 9999 }, r.int(1, 12)),
    field("unitPrice", ref(`${SHARED}money.json`, "The price of one unit, before discounts and taxes."), money(r)),
  ];
  const shape = objectOf(`One line of the ${c.subject}.`, item());
  return {
    schema: shape.schema,
    example: () => objectOf("", item()).example,
  };
}

/** Optional and required extra properties; the generator adds them until the schema is big enough. */
function extraMakers(c: Ctx): ((required: boolean) => Field)[] {
  const r = c.rng;
  const s = c.subject;
  return [
    (q) =>
      field(
        "note",
        { description: `A free-text note on the ${s}, as entered by a person.`, type: "string", maxLength: 2000 },
        "Please deliver to the back entrance.",
        q,
      ),
    (q) =>
      field(
        "externalReference",
        { description: `The ${s}'s reference in the partner's system.`, type: "string", pattern: PATTERNS.reference },
        `${r.upper(2, "ABCDEFGHJKLMNPQRSTUVWXYZ")}-${r.digits(8)}`,
        q,
      ),
    (q) => field("dueDate", { description: `The day by which the ${s} must be dealt with.`, type: "string", format: "date" }, r.date(), q),
    (q) =>
      field(
        "detailsUrl",
        { description: `Where a person can see the ${s} in the back office.`, type: "string", format: "uri", maxLength: 2048 },
        `https://backoffice.example.com/${c.noun}s/${r.uuid()}`,
        q,
      ),
    (q) => field("notificationEmail", ref(`${SHARED}email.json`, `Where notifications about the ${s} are sent.`), email(r), q),
    (q) => field("billingAddress", ref(`${SHARED}address.json`, `The billing address of the ${s}.`), place(r), q),
    (q) => field("shippingAddress", ref(`${SHARED}address.json`, `Where the ${s} is shipped to.`), place(r), q),
    (q) =>
      field(
        "validity",
        ref(`${SHARED}date-range.json`, `The days on which the ${s} is valid.`),
        { from: "2025-01-01", to: "2025-12-31" },
        q,
      ),
    (q) =>
      field(
        "tags",
        {
          description: `Labels that people put on the ${s} to find it again.`,
          type: "array",
          maxItems: 10,
          uniqueItems: true,
          items: { description: "One label, in kebab-case.", type: "string", pattern: PATTERNS.slug, maxLength: 40 },
        },
        r.subset(["vip", "follow-up", "gift", "b2b", "repeat-customer", "fragile"], r.int(1, 3)),
        q,
      ),
    (q) =>
      field(
        "attachments",
        {
          description: `Documents attached to the ${s}.`,
          type: "array",
          maxItems: 5,
          items: ref(`${SHARED}attachment.json`, "One attached document."),
        },
        [
          {
            fileName: `${c.noun}-${r.digits(5)}.pdf`,
            url: `https://files.example.com/f/${r.hex(10)}`,
            mediaType: "application/pdf",
            sizeBytes: r.int(1000, 900000),
          },
        ],
        q,
      ),
    (q) =>
      field(
        "location",
        ref(`${SHARED}geo-location.json`, `Where the ${s} was when it was ${c.verb}.`),
        { latitude: 48.1374, longitude: 11.5755 },
        q,
      ),
    (q) =>
      field(
        "priority",
        { description: `The priority of the ${s}, from 1 (highest) to 5 (lowest).`, type: "integer", minimum: 1, maximum: 5 },
        r.int(1, 5),
        q,
      ),
    (q) =>
      field(
        "weightKg",
        { description: "The gross weight, in kilograms.", type: "number", exclusiveMinimum: 0, maximum: 1000 },
        r.int(1, 400) / 4,
        q,
      ),
    (q) =>
      field(
        "retryCount",
        { description: "How many times the producer retried before it succeeded.", type: "integer", minimum: 0, maximum: 10 },
        r.int(0, 3),
        q,
      ),
    (q) =>
      field(
        "correlationId",
        { description: "Groups the events of one business process across systems.", type: "string", format: "uuid" },
        r.uuid(),
        q,
      ),
    (q) =>
      field(
        "taxLines",
        { description: `The taxes on the ${s} as a whole.`, type: "array", maxItems: 20, items: ref(`${SHARED}tax-line.json`, "One tax.") },
        [taxLine(r)],
        q,
      ),
    (q) => {
      const flags = objectOf(`Switches that change how the ${s} is processed.`, [
        field("expedited", { description: "Processed before all others.", type: "boolean" }, r.chance(0.5)),
        field("requiresReview", { description: "A person must look at it before it goes on.", type: "boolean" }, r.chance(0.5)),
        field("testData", { description: "Created by an automated test; consumers may ignore it.", type: "boolean" }, false, false),
      ]);
      return field("flags", flags.schema, flags.example, q);
    },
    (q) =>
      field(
        "metadata",
        {
          description: "Free key-value pairs that integrations attach; never interpreted by consumers.",
          type: "object",
          maxProperties: 20,
          propertyNames: { type: "string", pattern: PATTERNS.key },
          additionalProperties: { description: "One value.", type: "string", maxLength: 200 },
        },
        { importBatch: `batch-${r.digits(4)}`, sourceSystem: r.pick(DOMAINS) },
        q,
      ),
    (q) =>
      field(
        "previousStatus",
        { description: `The status of the ${s} before this event.`, type: "string", enum: [...c.statuses] },
        r.pick(c.statuses),
        q,
      ),
    (q) =>
      field(
        "score",
        { description: `A risk score of the ${s}, from 0 (none) to 100.`, type: "number", minimum: 0, maximum: 100 },
        r.int(0, 1000) / 10,
        q,
      ),
    (q) =>
      field(
        "durationSeconds",
        { description: "How long the process took, in seconds.", type: "integer", minimum: 0, maximum: 31536000 },
        r.int(1, 86400),
        q,
      ),
    (q) =>
      field(
        "sourceIp",
        { description: "The IPv4 address the request came from.", type: "string", format: "ipv4" },
        `192.0.2.${r.int(1, 254)}`,
        q,
      ),
    (q) => field("originCountry", ref(`${SHARED}country-code.json`, `The country the ${s} originates from.`), r.pick(PLACES).country, q),
    (q) =>
      field(
        "languages",
        {
          description: "The languages the documents are available in.",
          type: "array",
          minItems: 1,
          maxItems: 5,
          uniqueItems: true,
          items: ref(`${SHARED}locale.json`, "One language."),
        },
        r.subset(LOCALES, r.int(1, 3)),
        q,
      ),
    (q) =>
      field(
        "contact",
        ref(`${SHARED}contact.json`, `The person to contact about the ${s}.`),
        { name: personName(r), email: email(r), phone: phone(r) },
        q,
      ),
    (q) =>
      field(
        "quantity",
        ref(`${SHARED}quantity.json`, `The quantity the ${s} is about.`),
        { value: r.int(1, 400) / 2, unit: r.pick(["piece", "kg", "l"]) },
        q,
      ),
    (q) =>
      field(
        "billingPeriod",
        ref(`${SHARED}billing-period.json`, `How often the ${s} is billed.`),
        { unit: r.pick(["month", "year"]), count: r.pick([1, 3, 12]) },
        q,
      ),
    (q) =>
      field(
        "reasonCode",
        {
          description: `Why the ${s} was ${c.verb}.`,
          type: "string",
          enum: ["customer-request", "fraud-suspected", "policy", "duplicate", "system-error", "other"],
        },
        r.pick(["customer-request", "policy", "other"]),
        q,
      ),
    (q) => field("discount", ref(`${SHARED}percentage.json`, `The overall discount on the ${s}.`), r.pick([5, 10, 15]), q),
    (q) => field("depositAmount", ref(`${SHARED}money.json`, "The deposit already paid."), money(r), q),
    (q) =>
      field(
        "scheduledFor",
        { description: `When the ${s} is scheduled to take effect.`, type: "string", format: "date-time" },
        r.dateTime(),
        q,
      ),
    (q) => {
      const approval = objectOf("One approval decision.", [
        field("approverId", idRef("staffMemberId", "The staff member who decided."), r.uuid()),
        field(
          "decision",
          { description: "What the approver decided.", type: "string", enum: ["approved", "rejected", "needs-changes"] },
          "approved",
        ),
        field("decidedAt", { description: "When the approver decided.", type: "string", format: "date-time" }, r.dateTime()),
        field("comment", { description: "The approver's comment.", type: "string", maxLength: 500 }, "Looks good.", false),
      ]);
      return field(
        "approvals",
        { description: `The approvals the ${s} went through, oldest first.`, type: "array", maxItems: 3, items: approval.schema },
        [approval.example],
        q,
      );
    },
    (q) => {
      const sla = objectOf("The service level that applies.", [
        field(
          "policy",
          { description: "The service-level policy.", type: "string", enum: ["standard", "business", "premium"] },
          r.pick(["standard", "premium"]),
        ),
        field(
          "responseMinutes",
          { description: "The promised time to first response, in minutes.", type: "integer", minimum: 1, maximum: 10080 },
          r.pick([60, 240, 1440]),
        ),
        field("breached", { description: "Whether the promise was already broken.", type: "boolean" }, false),
      ]);
      return field("serviceLevel", sla.schema, sla.example, q);
    },
  ];
}

/** An event version before it is rendered: its fields in order (head, extras, tail). */
interface EventModel {
  title: string;
  description: string;
  deprecated: boolean;
  head: Field[];
  extras: Field[];
  tail: Field[];
  defs: JsonObject;
  /** Extra makers not used yet (a new version may add one). */
  unused: ((required: boolean) => Field)[];
}

function render(m: EventModel): JsonObject {
  const fields = [...m.head, ...m.extras, ...m.tail];
  const data = objectOf(m.description, fields);
  const out: JsonObject = { $schema: DIALECT, title: m.title, description: m.description };
  if (m.deprecated) out.deprecated = true;
  out.type = "object";
  out.additionalProperties = false;
  out.required = data.schema.required!;
  out.properties = data.schema.properties!;
  out.$defs = m.defs;
  out.examples = [data.example];
  return out;
}

const pretty = (json: Json) => `${JSON.stringify(json, null, 2)}\n`;

/** Version 1 of an event: a fixed core, then extra properties until the file reaches its target size. */
function firstVersion(c: Ctx): EventModel {
  const r = c.rng;
  const topicId = `${camel(c.noun)}Id`;
  const statusField = field(
    "status",
    { description: `The status of the ${c.subject} after it was ${c.verb}.`, type: "string", enum: [...c.statuses] },
    r.pick(c.statuses.slice(1)),
  );
  const line = lineItemDef(c);
  const head = [
    field(topicId, idRef(topicId, `The ${c.subject}.`), r.uuid()),
    field("clientAccountId", idRef("clientAccountId", `The client account the ${c.subject} belongs to.`), r.uuid()),
    statusField,
    field(`${c.verb}At`, { description: `When the ${c.subject} was ${c.verb}.`, type: "string", format: "date-time" }, r.dateTime()),
    field(`${c.verb}By`, ref(`${SHARED}actor.json`, `Who ${c.verb} the ${c.subject}.`), actor(r)),
    field("totalAmount", ref(`${SHARED}money.json`, `The total amount of the ${c.subject}, taxes included.`), money(r)),
    field(
      "effectiveOn",
      { description: `The day from which the ${c.subject} counts as ${c.verb}.`, type: "string", format: "date" },
      r.date(),
    ),
  ];
  const items = field(
    "items",
    {
      description: `The lines of the ${c.subject}.`,
      type: "array",
      minItems: 1,
      maxItems: r.pick([20, 50, 100]),
      items: { $ref: "#/$defs/lineItem" },
    },
    Array.from({ length: r.chance(0.8) ? 1 : 2 }, () => line.example()),
  );
  const m: EventModel = {
    title: sentence(`${c.subject} ${c.verb}`),
    description: `Emitted by ${c.systemTitle} when ${article(c.subject)} has been ${c.verb}. ${r.pick([
      `Consumers use it to keep their own view of the ${c.subject} up to date.`,
      "Reporting and the customer notifications subscribe to it.",
      "It is emitted once per change; a retry carries the same envelope id.",
      "Downstream systems react to it within minutes, so it carries everything they need without a call back.",
    ])}`,
    deprecated: false,
    head,
    extras: [],
    tail: [items, channelField(c), customerField(c)],
    defs: { lineItem: line.schema },
    unused: r.shuffle(extraMakers(c)),
  };
  const target = r.int(5400, 8200);
  while (m.unused.length > 4 && pretty(render(m)).length < target) m.extras.push(m.unused.pop()!(r.chance(0.4)));
  return m;
}

/** Why a version broke compatibility, by the kind of change. */
const WHY_NEW = [
  "consumers had to call the producer back to get it",
  "the finance reconciliation needs it for every record",
  "auditors asked for it after the last review",
  "the partner integration now provides it on every request",
];
const WHY_REMOVED = [
  "the data protection review found that no consumer used it",
  "two consumers interpreted it differently and its meaning could not be fixed",
  "it duplicated what the other properties already say",
];
const WHY_NARROWED = [
  "that state was merged into another one when the workflow was simplified",
  "no producer can reach that state any more and consumers kept handling it",
  "consumers treated it inconsistently, some as final and some as temporary",
];

/** The next version: one breaking change, said in the description. */
function nextVersion(prev: EventModel, version: number, baseDescription: string, r: Rng): EventModel {
  const m: EventModel = {
    ...prev,
    deprecated: false,
    head: prev.head.map((f) => ({ ...f })),
    extras: prev.extras.map((f) => ({ ...f })),
    tail: [...prev.tail],
    unused: [...prev.unused],
  };
  const optional = m.extras.filter((f) => !f.required);
  const status = m.head.find((f) => f.name === "status")!;
  const statusValues = status.schema.enum as string[];
  const kinds = [
    "add-required",
    ...(optional.length > 0 ? ["require", "remove"] : []),
    ...(statusValues.length >= 4 ? ["narrow-enum"] : []),
  ];
  const kind = r.pick(kinds);
  let change: string;
  if (kind === "add-required") {
    const f = m.unused.pop()!(true);
    m.extras.push(f);
    change = `the required ${f.name} is added because ${r.pick(WHY_NEW)}`;
  } else if (kind === "require") {
    const f = r.pick(optional);
    f.required = true;
    change = `${f.name} becomes required because ${r.pick(WHY_NEW)}`;
  } else if (kind === "remove") {
    const f = r.pick(optional);
    m.extras = m.extras.filter((e) => e !== f);
    change = `${f.name} is removed because ${r.pick(WHY_REMOVED)}`;
  } else {
    const dropped = r.pick(statusValues.filter((v) => v !== status.example));
    status.schema = { ...status.schema, enum: statusValues.filter((v) => v !== dropped) };
    change = `status no longer takes the value "${dropped}" because ${r.pick(WHY_NARROWED)}`;
  }
  m.description = `${baseDescription} Version ${version}: ${change}.`;
  return m;
}

// ---------------------------------------------------------------------------------------------
// The tree

interface EventPlan {
  name: string;
  verb: string;
  versions: number;
  /** Seed of this event's own PRNG. */
  seed: number;
}
interface TopicPlan {
  name: string;
  noun: string;
  statuses: string[];
  events: EventPlan[];
}
interface SystemPlan {
  name: string;
  title: string;
  topics: TopicPlan[];
}

/** Plans system `s` (names, events, version counts) from its own PRNG and the topics before it. */
function planSystem(seed: number, s: number, firstTopic: number): SystemPlan {
  const r = new Rng(seedOf(seed, "system", s));
  const { name } = layered(s, DOMAINS, SUFFIXES, false);
  const topics: TopicPlan[] = [];
  const topicCount = r.int(2, 4);
  for (let t = 0; t < topicCount; t++) {
    const { name: topicName, base: noun } = layered(firstTopic + t, NOUNS, QUALIFIERS, true);
    const verbs = r.subset(VERBS, r.int(3, 7));
    const events = verbs.map((verb, e) => {
      const x = r.float();
      return { name: `${topicName}-${verb}`, verb, versions: x < 0.08 ? 3 : x < 0.25 ? 2 : 1, seed: seedOf(seed, "event", s, t, e) };
    });
    topics.push({ name: topicName, noun, statuses: r.subset(STATUSES, r.int(4, 6)), events });
  }
  return { name, title: titleCase(name), topics };
}

/** Cuts a plan to at most `budget` files: whole events first, then the last event's highest versions. */
function truncate(plan: SystemPlan, budget: number): SystemPlan {
  let left = budget;
  const topics: TopicPlan[] = [];
  for (const topic of plan.topics) {
    const events: EventPlan[] = [];
    for (const ev of topic.events) {
      if (left === 0) break;
      const versions = Math.min(ev.versions, left);
      events.push({ ...ev, versions });
      left -= versions;
    }
    if (events.length > 0) topics.push({ ...topic, events });
  }
  return { ...plan, topics };
}

const fileCount = (plan: SystemPlan) => plan.topics.reduce((n, t) => n + t.events.reduce((m, e) => m + e.versions, 0), 0);

/** Every file of the corpus, relative path → content, in generation order. */
export function corpusFiles(
  count: number,
  seed = 1,
): { files: Map<string, string>; events: string[]; shared: string[]; systems: number; sampleEventType: string; sampleEventFile: string } {
  if (!Number.isInteger(count) || count < 1) throw new Error(`count must be a positive integer (got ${count})`);
  if (!Number.isInteger(seed)) throw new Error(`seed must be an integer (got ${seed})`);
  const files = new Map<string, string>();
  const shared: string[] = [];
  for (const [name, json] of Object.entries(sharedFiles())) {
    files.set(`_shared/${name}`, pretty(json));
    shared.push(`_shared/${name}`);
  }
  const events: string[] = [];
  const typeNames = new Set<string>();
  let remaining = count;
  let topicIndex = 0;
  let systems = 0;
  let sample: { type: string; file: string } | undefined;
  for (let s = 0; remaining > 0; s++) {
    const full = planSystem(seed, s, topicIndex);
    topicIndex += full.topics.length;
    const plan = fileCount(full) > remaining ? truncate(full, remaining) : full;
    remaining -= fileCount(plan);
    systems++;
    files.set(
      `${plan.name}/system.json`,
      pretty({
        title: plan.title,
        description: `Runs ${words(plan.name)} for the subscription business: ${plan.topics.map((t) => `${words(t.name)}s`).join(", ")}. A synthetic system of the benchmark corpus.`,
        owner: `team-${plan.name}`,
        source: `/systems/${plan.name}`,
      }),
    );
    for (const topic of plan.topics) {
      for (const ev of topic.events) {
        const r = new Rng(ev.seed);
        const c: Ctx = {
          rng: r,
          subject: words(topic.name),
          noun: topic.noun,
          verb: ev.verb,
          systemTitle: plan.title,
          statuses: topic.statuses,
        };
        const chain = [firstVersion(c)];
        const base = chain[0]!.description;
        for (let v = 2; v <= ev.versions; v++) chain.push(nextVersion(chain[v - 2]!, v, base, r));
        // Older versions are deprecated once producers have moved: most of them here.
        for (let v = 0; v < chain.length - 1; v++) chain[v]!.deprecated = r.chance(0.7);
        chain.forEach((m, i) => {
          const version = i + 1;
          const typeName = pascal(ev.name) + (version >= 2 ? `V${version}` : "");
          if (typeNames.has(typeName)) throw new Error(`generator bug: type name ${typeName} twice`);
          typeNames.add(typeName);
          const rel = `${plan.name}/${topic.name}/${ev.name}${version >= 2 ? `.v${version}` : ""}.json`;
          files.set(rel, pretty(render(m)));
          events.push(rel);
          sample ??= { type: `${plan.name}.${topic.name}.${ev.name}.v1`, file: rel };
        });
      }
    }
  }
  return { files, events, shared, systems, sampleEventType: sample!.type, sampleEventFile: sample!.file };
}

/**
 * Writes the corpus into `outDir` (the events folder itself). A folder that exists must be empty
 * or hold a corpus written before (a `_shared` folder and nothing but folders): it is replaced.
 */
export async function generateCorpus(outDir: string, count: number, seed = 1): Promise<CorpusInfo> {
  const dir = path.resolve(outDir);
  const generated = corpusFiles(count, seed);
  const existing = await readdir(dir, { withFileTypes: true }).catch(() => undefined);
  if (existing && existing.length > 0) {
    const looksGenerated = existing.every((d) => d.isDirectory()) && existing.some((d) => d.name === "_shared");
    if (!looksGenerated) throw new Error(`${dir} is not empty and does not look like a generated corpus; refusing to overwrite it`);
    await rm(dir, { recursive: true });
  }
  let bytes = 0;
  let eventBytes = 0;
  const eventSet = new Set(generated.events);
  const folders = new Set([...generated.files.keys()].map((rel) => path.dirname(rel)));
  for (const folder of folders) await mkdir(path.join(dir, folder), { recursive: true });
  for (const [rel, text] of generated.files) {
    await writeFile(path.join(dir, rel), text);
    const n = Buffer.byteLength(text);
    bytes += n;
    if (eventSet.has(rel)) eventBytes += n;
  }
  return {
    dir,
    count: generated.events.length,
    systems: generated.systems,
    files: generated.events,
    sharedFiles: generated.shared,
    sampleEventType: generated.sampleEventType,
    sampleEventFile: generated.sampleEventFile,
    bytes,
    eventBytes,
  };
}

async function cli(): Promise<void> {
  const { values } = parseArgs({
    options: { count: { type: "string" }, out: { type: "string" }, seed: { type: "string" } },
    strict: true,
  });
  if (values.count === undefined || values.out === undefined) {
    process.stderr.write("usage: npx tsx scripts/bench/corpus.ts --count N --out DIR [--seed N]\n");
    process.exitCode = 2;
    return;
  }
  const started = performance.now();
  const info = await generateCorpus(values.out, Number(values.count), values.seed === undefined ? 1 : Number(values.seed));
  const ms = performance.now() - started;
  const { files: _files, sharedFiles: _shared, ...summary } = info;
  process.stdout.write(
    `${JSON.stringify({ ...summary, averageEventBytes: Math.round(info.eventBytes / info.count), ms: Math.round(ms) }, null, 2)}\n`,
  );
}

if (process.argv[1] && import.meta.url === pathToFileURL(path.resolve(process.argv[1])).href) {
  cli().catch((e: unknown) => {
    process.stderr.write(`corpus: ${(e as Error).message}\n`);
    process.exitCode = 1;
  });
}
