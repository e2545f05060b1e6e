/**
 * The cleanup's graph derived from the schemas (src/generate/cleanup.ts, cleanup.json): it agrees
 * with the minutes' table as DOMAIN.md reads it, but for the differences listed here; the plan the
 * build publishes is the one domain-events/cleanup makes; adding a reference to an event in a copy
 * of the tree changes the graph and the plan after `build --out`; an id the graph cannot place, and
 * a malformed record, are errors; the participants and CLH's view of a cleanup's completion.
 */

import { cp, readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import { ACKNOWLEDGEMENT_TYPE, cleanupStatus, deletionPlan, ENTITIES, FAILURE_TYPE, PARTICIPANTS, REFERENCES } from "domain-events/cleanup";
import { describe, expect, it } from "vitest";
import type { CleanupDocument } from "../src/generate/cleanup.js";
import { check } from "../src/pipeline.js";
import { cli, envelope, ROOT, scratch } from "./helpers.js";

/** The minutes' table, as DOMAIN.md reads it: referrer → what it refers to ("?" marks the minutes' parentheses). */
const MINUTES: Record<string, string[]> = {
  Plan: ["ClientAccount"],
  Offer: ["Plan"],
  Signup: ["Plan", "Offer", "CustomerUser", "PaymentProfile", "ThankYouPage"],
  Contract: ["Plan", "Signup", "CustomerUser", "PaymentProfile", "Price"],
  Payment: ["Contract", "PaymentProfile"],
  ThankYouPage: ["Contract"],
  Invoice: ["Contract"],
  TrialEndsReminder: ["Contract?"],
  Receipt: ["Contract"],
  CustomerUser: ["ClientAccount"],
  PaymentProfile: ["CustomerUser"],
  Price: ["CustomerUser", "Payment", "PaymentProfile?"],
  Stripe: ["PaymentProfile"],
};

/**
 * Where the derived graph differs from the minutes' table, and why. Each is a fact of the schemas,
 * not a mistake of either: the test fails when one goes away or a new one appears.
 */
const DIFFERENCES = {
  // The envelope: every event carries clientaccountid, so every entity refers to its ClientAccount
  // directly (the minutes write it for Plan and CustomerUser, and "everything refers to it").
  addedByEnvelope: [
    "Contract",
    "Invoice",
    "Offer",
    "Payment",
    "PaymentProfile",
    "Price",
    "Receipt",
    "Signup",
    "Stripe",
    "ThankYouPage",
    "TrialEndsReminder",
  ].map((from) => `${from} → ClientAccount`),
  // No signup event requires offerId: a sign-up may come without an offer. The minutes do not say.
  optionalInSchemas: ["Signup → Offer"],
};

const edge = (r: { from: string; to: string }) => `${r.from} → ${r.to}`;

async function publishedCleanup(dir = ROOT): Promise<CleanupDocument> {
  return JSON.parse(await readFile(path.join(dir, "dist/cleanup.json"), "utf8")) as CleanupDocument;
}

describe("the graph derived from our events tree", () => {
  it("is the minutes' table, with the listed differences only", async () => {
    const doc = await publishedCleanup();
    expect(doc.entities.map((e) => e.name).sort()).toEqual(Object.keys({ ClientAccount: [], ...MINUTES }).sort());
    const minutes = Object.entries(MINUTES).flatMap(([from, tos]) =>
      tos.map((to) => ({ from, to: to.replace("?", ""), optional: to.endsWith("?") })),
    );
    const derived = doc.references;
    expect(
      derived
        .map(edge)
        .filter((e) => !minutes.map(edge).includes(e))
        .sort(),
    ).toEqual(DIFFERENCES.addedByEnvelope.sort());
    expect(minutes.map(edge).filter((e) => !derived.map(edge).includes(e))).toEqual([]);
    const optionality = derived
      .filter((r) => minutes.some((m) => edge(m) === edge(r) && m.optional !== r.optional))
      .map(edge)
      .sort();
    expect(optionality).toEqual(DIFFERENCES.optionalInSchemas);
  });

  it("says who holds what: the systems of the entities' topics, and the records systems declare", async () => {
    const doc = await publishedCleanup();
    const held = Object.fromEntries(doc.entities.map((e) => [e.name, e.heldBy]));
    expect(held).toMatchObject({
      Contract: ["existing-business"],
      Stripe: ["payments"],
      TrialEndsReminder: ["existing-business"],
      ClientAccount: ["clh"],
    });
    expect(doc.entities.find((e) => e.name === "Stripe")).toMatchObject({
      topics: [],
      description: expect.stringContaining("payment provider"),
    });
    expect(doc.entities.find((e) => e.name === "Contract")?.id).toBe("_shared/ids.json#/$defs/contractId");
    // Each reference says what carries it.
    expect(doc.references.find((r) => edge(r) === "Contract → Price")?.carriedBy).toContain(
      "existing-business.contract.contract-created.v1",
    );
    expect(doc.references.find((r) => edge(r) === "Stripe → PaymentProfile")?.carriedBy).toEqual(["payments/system.json"]);
  });

  it("is what domain-events/cleanup plans with, and its published plan is deletionPlan's", async () => {
    const doc = await publishedCleanup();
    expect([...ENTITIES]).toEqual(doc.entities.map((e) => e.name));
    expect(REFERENCES.map(edge)).toEqual(doc.references.map(edge));
    const plan = deletionPlan("ClientAccount");
    expect(plan.stages.map((s) => s.order)).toEqual(doc.plan.stages.map((s) => s.order));
    expect(plan.stages.map((s) => s.breakReferences.map(edge))).toEqual(doc.plan.stages.map((s) => s.breakReferences.map(edge)));
    // The cycles of DOMAIN.md, broken where docs/test-data.md says.
    expect(doc.plan.stages.find((s) => s.cycle)).toMatchObject({
      entities: ["Contract", "Payment", "Price", "Signup", "ThankYouPage"],
      breakReferences: [
        { from: "Price", to: "Payment" },
        { from: "ThankYouPage", to: "Contract" },
      ],
    });
    expect(doc.plan.stages.at(-1)?.order).toEqual(["ClientAccount"]);
  });
});

/** A copy of our events tree (and its package.json) in a scratch folder. */
async function copyTree(name: string): Promise<string> {
  const dir = await scratch(name);
  await cp(path.join(ROOT, "events"), path.join(dir, "events"), { recursive: true });
  return dir;
}

async function editJson(file: string, change: (json: Record<string, unknown>) => void): Promise<void> {
  const json = JSON.parse(await readFile(file, "utf8")) as Record<string, unknown>;
  change(json);
  await writeFile(file, `${JSON.stringify(json, null, 2)}\n`);
}

describe("derived, not kept by hand", () => {
  it("adding a reference to an event changes cleanup.json's graph and plan after build --out", async () => {
    const dir = await copyTree("cleanup-graph-edit");
    expect(cli(["build", "--out", "out"], dir).code).toBe(0);
    const before = JSON.parse(await readFile(path.join(dir, "out/cleanup.json"), "utf8")) as CleanupDocument;
    expect(before.references.map(edge)).not.toContain("Receipt → Invoice");
    const order = (doc: CleanupDocument) => doc.plan.stages.flatMap((s) => s.order);
    expect(order(before).indexOf("Invoice")).toBeLessThan(order(before).indexOf("Receipt"));

    // A receipt now names the invoice it settles: Receipt refers to Invoice.
    await editJson(path.join(dir, "events/existing-business/receipt/receipt-issued.json"), (j) => {
      (j.properties as Record<string, unknown>).invoiceId = {
        $ref: "../../_shared/ids.json#/$defs/invoiceId",
        description: "The invoice this receipt settles.",
      };
      (j.required as string[]).push("invoiceId");
      for (const example of j.examples as Record<string, unknown>[]) example.invoiceId = "1a2b3c4d-0000-4000-8000-000000000001";
    });
    const r = cli(["build", "--out", "out"], dir);
    expect(r.code, r.stdout + r.stderr).toBe(0);
    const after = JSON.parse(await readFile(path.join(dir, "out/cleanup.json"), "utf8")) as CleanupDocument;
    expect(after.references.find((x) => edge(x) === "Receipt → Invoice")).toEqual({
      from: "Receipt",
      to: "Invoice",
      optional: false,
      carriedBy: ["existing-business.receipt.receipt-issued.v1"],
    });
    // The receipt goes before the invoice it refers to now.
    expect(order(after).indexOf("Receipt")).toBeLessThan(order(after).indexOf("Invoice"));
  });

  it("an id written as a plain string is a reference the graph cannot see: CLEANUP_ID_UNPLACED, at its property", async () => {
    const dir = await copyTree("cleanup-graph-unplaced");
    await editJson(path.join(dir, "events/checkout/thank-you-page/thank-you-page-viewed.json"), (j) => {
      (j.properties as Record<string, unknown>).contractId = { type: "string", format: "uuid", description: "The contract." };
    });
    const result = await check({ eventsDir: path.join(dir, "events"), cwd: dir, cacheDir: false, workers: 0 });
    expect(result.ok).toBe(false);
    expect(result.diagnostics.map((d) => [d.code, d.file, d.pointer, typeof d.line, typeof d.column])).toEqual([
      ["CLEANUP_ID_UNPLACED", "events/checkout/thank-you-page/thank-you-page-viewed.json", "/properties/contractId", "number", "number"],
    ]);
    expect(result.diagnostics[0]?.hint).toContain('"$ref": "../../_shared/ids.json#/$defs/contractId"');
  });

  it("a record must refer to entities, and system.json's records have one form", async () => {
    const dir = await copyTree("cleanup-graph-records");
    const system = path.join(dir, "events/payments/system.json");
    await editJson(system, (j) => {
      j.records = { Stripe: { description: "The payment provider's records.", refersTo: { Wallet: "required" } } };
    });
    const unknown = await check({ eventsDir: path.join(dir, "events"), cwd: dir, cacheDir: false, workers: 0 });
    expect(unknown.diagnostics.map((d) => [d.code, d.file, d.pointer, d.line])).toEqual([
      ["CLEANUP_ID_UNPLACED", "events/payments/system.json", "/records/Stripe/refersTo/Wallet", 10],
    ]);

    await editJson(system, (j) => {
      j.records = { stripe: { description: " ", refersTo: { PaymentProfile: "maybe" }, extra: 1 } };
    });
    const malformed = await check({ eventsDir: path.join(dir, "events"), cwd: dir, cacheDir: false, workers: 0 });
    expect(malformed.diagnostics.map((d) => [d.code, d.pointer]).sort()).toEqual([
      ["LAYOUT_SYSTEM_FILE", "/records/stripe"],
      ["LAYOUT_SYSTEM_FILE", "/records/stripe/description"],
      ["LAYOUT_SYSTEM_FILE", "/records/stripe/extra"],
      ["LAYOUT_SYSTEM_FILE", "/records/stripe/refersTo/PaymentProfile"],
    ]);
  });

  it("a tree without a ClientAccount id has no cleanup.json", async () => {
    const dir = await scratch("cleanup-graph-none");
    await cp(path.join(ROOT, "test/fixtures/golden/events"), path.join(dir, "events"), { recursive: true });
    expect(cli(["build", "--out", "out"], dir).code).toBe(0);
    expect(await readFile(path.join(dir, "out/cleanup.json"), "utf8").catch(() => "absent")).toBe("absent");
  });
});

describe("who takes part, and when a cleanup is complete", () => {
  const SIGNAL = {
    data: { correlationId: "c0ffee00-1d2e-4f5a-8b9c-0d1e2f3a4b5c", clientAccountId: "a7e57acc-0001-4e3b-9c4d-000000000001" },
  };
  const done = (system: string, time = "2026-05-01T08:01:00Z", extra: Record<string, unknown> = {}) =>
    envelope(
      ACKNOWLEDGEMENT_TYPE,
      { ...SIGNAL.data, system, completedAt: time, deleted: { entities: {}, events: 0 }, ...extra },
      { source: `/systems/${system}`, time },
    );
  const failed = (system: string, time = "2026-05-01T08:01:00Z") =>
    envelope(
      FAILURE_TYPE,
      { ...SIGNAL.data, system, failedAt: time, reason: "the database was read-only" },
      { source: `/systems/${system}`, time },
    );

  it("the participants are the systems that hold entities, each with its part of the plan", async () => {
    const doc = await publishedCleanup();
    expect(PARTICIPANTS.map((p) => p.system)).toEqual([
      "checkout",
      "clh",
      "customer-identity",
      "existing-business",
      "payments",
      "product-catalog",
    ]);
    for (const p of PARTICIPANTS) {
      expect(p.plan).toEqual(deletionPlan("ClientAccount", { include: [...p.entities] }));
      expect(doc.participants.find((x) => x.system === p.system)?.entities).toEqual(p.entities);
    }
    expect(PARTICIPANTS.find((p) => p.system === "payments")?.entities).toEqual(["Payment", "PaymentProfile", "Stripe"]);
  });

  it("complete only when every participant acknowledged; pending and failed named; a later success supersedes a failure", () => {
    const everyone = PARTICIPANTS.map((p) => p.system);
    expect(cleanupStatus(SIGNAL, [])).toMatchObject({ complete: false, pending: everyone, done: [], failed: [] });
    const most = everyone.filter((s) => s !== "payments").map((s) => done(s));
    expect(cleanupStatus(SIGNAL, most)).toMatchObject({ complete: false, pending: ["payments"], failed: [] });
    const withFailure = cleanupStatus(SIGNAL, [...most, failed("payments")]);
    expect(withFailure).toMatchObject({
      complete: false,
      pending: [],
      failed: [{ system: "payments", reason: "the database was read-only" }],
    });
    // A retry that succeeded later completes it, whatever order the acknowledgements came in.
    const retried = cleanupStatus(SIGNAL, [done("payments", "2026-05-01T08:05:00Z"), ...most, failed("payments")]);
    expect(retried).toMatchObject({ complete: true, pending: [], failed: [], ignored: [] });
    expect(retried.done.map((d) => d.system)).toEqual(everyone);
    // An old success does not hide a later failure.
    expect(cleanupStatus(SIGNAL, [...most, done("payments"), failed("payments", "2026-05-01T08:09:00Z")]).complete).toBe(false);
  });

  it("ignores, with the reason, what does not answer this signal from the system it names", () => {
    const everyone = PARTICIPANTS.map((p) => p.system);
    const status = cleanupStatus(SIGNAL, [
      ...everyone.filter((s) => s !== "payments").map((s) => done(s)),
      { ...done("payments"), source: "/systems/checkout" },
      done("payments", undefined, { correlationId: "0ddba11e-0000-4000-8000-000000000000" }),
      done("payments", undefined, { clientAccountId: "0ea10acc-0002-4e3b-9c4d-000000000002" }),
      done("analytics"),
      { ...done("payments"), data: { system: "payments" } },
      "payments done",
      null,
    ]);
    expect(status).toMatchObject({ complete: false, pending: ["payments"] });
    expect(status.ignored.map((i) => i.reason)).toEqual([
      "names payments but comes from /systems/checkout",
      "for another signal (correlationId 0ddba11e-0000-4000-8000-000000000000)",
      "for another account (0ea10acc-0002-4e3b-9c4d-000000000002)",
      "analytics is not a participant",
      expect.stringMatching(/^invalid: \/data/),
      "not an acknowledgement (type undefined)",
      "not an acknowledgement (type undefined)",
    ]);
  });
});
