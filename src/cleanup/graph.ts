/**
 * The reference graph of the minutes ("Recognising and handling test data", "When entity X is
 * deleted, what refers to it"), as data. The minutes list, for each entity, its referrers; here each
 * line is turned round into "referrer → referenced", as in DOMAIN.md's table "Who refers to whom".
 *
 * Every entity belongs to exactly one ClientAccount (every event's envelope carries
 * `clientaccountid`); in the graph that shows as: every entity reaches ClientAccount, directly
 * (Plan, CustomerUser) or through what it refers to. The test suite checks that it does.
 */

/** The entities of the minutes, ClientAccount (the tenant) first. */
export const ENTITIES = [
  "ClientAccount",
  "Plan",
  "Offer",
  "Signup",
  "Contract",
  "Payment",
  "ThankYouPage",
  "Invoice",
  "Receipt",
  "CustomerUser",
  "PaymentProfile",
  "Price",
  "TrialEndsReminder",
  "Stripe",
] as const;

/** One entity of the minutes. */
export type Entity = (typeof ENTITIES)[number];

/** `from` refers to `to`: deleting `to` requires deleting (or detaching) `from` first. */
export interface Reference {
  /** The referrer: its data carries the id of `to`. */
  from: Entity;
  /** The referenced entity. */
  to: Entity;
  /** In parentheses in the minutes: the reference (or the referrer) may be absent. */
  optional?: boolean;
  /** Why, in one clause. */
  note?: string;
}

/** Who refers to whom: `from` refers to `to` (deleting `to` requires deleting or detaching `from` first). */
export const REFERENCES: readonly Reference[] = [
  { from: "Plan", to: "ClientAccount", note: "belongs to its client account (DOMAIN.md; the minutes: everything refers to it)" },
  { from: "Offer", to: "Plan", note: "listed under Plan in the minutes" },
  { from: "Signup", to: "Plan", note: "listed under Plan in the minutes" },
  { from: "Signup", to: "Offer", note: "listed under Offer in the minutes" },
  { from: "Signup", to: "CustomerUser", note: "listed under CustomerUser in the minutes" },
  { from: "Signup", to: "PaymentProfile", note: "listed under PaymentProfile in the minutes" },
  { from: "Signup", to: "ThankYouPage", note: "listed under ThankYouPage in the minutes" },
  { from: "Contract", to: "Plan", note: "listed under Plan in the minutes" },
  { from: "Contract", to: "Signup", note: "listed under Signup in the minutes" },
  { from: "Contract", to: "CustomerUser", note: "listed under CustomerUser in the minutes" },
  { from: "Contract", to: "PaymentProfile", note: "listed under PaymentProfile in the minutes" },
  { from: "Contract", to: "Price", note: "listed under Price in the minutes" },
  { from: "Payment", to: "Contract", note: "listed under Contract in the minutes" },
  { from: "Payment", to: "PaymentProfile", note: "listed under PaymentProfile in the minutes" },
  { from: "ThankYouPage", to: "Contract", note: "listed under Contract in the minutes" },
  { from: "Invoice", to: "Contract", note: "listed under Contract in the minutes" },
  { from: "TrialEndsReminder", to: "Contract", optional: true, note: "in parentheses under Contract in the minutes" },
  { from: "Receipt", to: "Contract", note: "listed under Contract in the minutes" },
  { from: "CustomerUser", to: "ClientAccount", note: "belongs to its client account (DOMAIN.md; the minutes: everything refers to it)" },
  { from: "PaymentProfile", to: "CustomerUser", note: "listed under CustomerUser in the minutes" },
  { from: "Price", to: "CustomerUser", note: "listed under CustomerUser in the minutes" },
  { from: "Price", to: "Payment", note: "listed under Payment in the minutes" },
  { from: "Price", to: "PaymentProfile", optional: true, note: "in parentheses under PaymentProfile in the minutes" },
  {
    from: "Stripe",
    to: "PaymentProfile",
    note: "the payment provider's records of a payment profile; listed under PaymentProfile in the minutes",
  },
];

/** The graph as the catalog draws it: the entities, their references, and the root a cleanup starts from. */
export const CLEANUP_GRAPH = { entities: ENTITIES, references: REFERENCES, root: "ClientAccount" } as const;
