/**
 * Our own events tree: it checks clean, covers the minutes' domain, and every example of every
 * event validates, once enveloped, through the package that `npm run build` made (dist/).
 */

import { readFile } from "node:fs/promises";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { beforeAll, describe, expect, it } from "vitest";
import type { EventTree } from "../src/model/tree.js";
import { check } from "../src/pipeline.js";
import { envelope, ROOT } from "./helpers.js";

const ENTITY_TOPICS = [
  "client-account",
  "plan",
  "offer",
  "signup",
  "contract",
  "payment",
  "thank-you-page",
  "invoice",
  "receipt",
  "customer-user",
  "payment-profile",
  "price",
];

describe("events/", () => {
  let tree: EventTree;
  beforeAll(async () => {
    const result = await check({ eventsDir: "events", cwd: ROOT });
    expect(result.diagnostics).toEqual([]);
    tree = result.tree as EventTree;
  });

  it("covers the systems and topics of the minutes", () => {
    const systems = new Set(tree.events.map((e) => e.system));
    expect(systems.size).toBeGreaterThanOrEqual(6);
    expect(systems).toContain("clh");
    expect(systems).toContain("existing-business");
    const topics = new Set(tree.events.map((e) => e.topic));
    for (const t of ENTITY_TOPICS) expect(topics, t).toContain(t);
    const eb = new Set(tree.events.filter((e) => e.system === "existing-business").map((e) => e.topic));
    expect(eb).toContain("contract");
    expect(eb).toContain("invoice");
    expect(tree.events.filter((e) => e.system === "clh").every((e) => e.topic === "client-account")).toBe(true);
    expect(tree.systems.map((s) => s.system).sort()).toEqual([...systems].sort());
  });

  it("has enough versions, with evolutions", () => {
    expect(tree.events.length).toBeGreaterThanOrEqual(35);
    const v2 = tree.events.filter((e) => e.version === 2);
    expect(v2.length).toBeGreaterThanOrEqual(6);
    expect(tree.events.some((e) => e.version === 3)).toBe(true);
    expect(v2.some((e) => e.system === "existing-business" && e.topic === "invoice")).toBe(true);
  });

  it("flags test accounts on ClientAccount creation", () => {
    const created = tree.events.filter((e) => e.type.startsWith("clh.client-account.client-account-created."));
    expect(created.length).toBeGreaterThan(0);
    for (const ev of created) {
      const json = ev.source.json as { required: string[]; properties: Record<string, { type?: string }> };
      expect(json.required).toContain("isTest");
      expect(json.properties.isTest?.type).toBe("boolean");
    }
  });

  it("gives every file a title, a description and examples", () => {
    for (const ev of tree.events) {
      expect(typeof ev.source.json.title, ev.type).toBe("string");
      expect(typeof ev.source.json.description, ev.type).toBe("string");
      expect((ev.source.json.examples as unknown[]).length, ev.type).toBeGreaterThan(0);
    }
    expect(tree.shared.length).toBeGreaterThan(0);
  });

  it("every example validates through the built package, enveloped", async () => {
    const mod = await import(pathToFileURL(path.join(ROOT, "dist/index.js")).href);
    const entries = JSON.parse(await readFile(path.join(ROOT, "dist/events.json"), "utf8")) as { type: string }[];
    expect(entries.map((e) => e.type)).toEqual(tree.events.map((e) => e.type));
    let count = 0;
    for (const ev of tree.events) {
      for (const example of ev.source.json.examples as unknown[]) {
        const system = tree.systems.find((s) => s.system === ev.system);
        const r = mod.validate(envelope(ev.type, example, { source: system?.source }));
        expect(r, `${ev.type}: ${JSON.stringify(r.errors)}`).toMatchObject({ ok: true });
        count++;
      }
    }
    expect(count).toBeGreaterThanOrEqual(tree.events.length);
  });
});
