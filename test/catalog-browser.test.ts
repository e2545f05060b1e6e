/**
 * The catalog in a real browser (Debian's Chromium through playwright-core): a person opens it,
 * searches for an event, opens it, switches to the difference between two versions, and finds
 * what the events tree says. Every request the pages make must stay inside the catalog's folder.
 * Screenshots go to test-output/catalog/ (not committed).
 */

import { mkdir, readFile } from "node:fs/promises";
import path from "node:path";
import { pathToFileURL } from "node:url";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { cli, ROOT, scratch } from "./helpers.js";
import { launchChromium, serveFolder } from "./support/browser.js";
import { INSTALL_TIMEOUT_MS } from "./support/prerequisites.js";

const SHOTS = path.join(ROOT, "test-output", "catalog");
const EVENT = "existing-business.invoice.invoice-issued";

interface Entry {
  type: string;
  system: string;
  topic: string;
  event: string;
  version: number;
  title: string;
  schema: { $defs: Record<string, { properties?: Record<string, unknown> }> };
  typeName: string;
}

let browser: Browser;
let site: { url: string; close: () => Promise<void> };
let folder: string;
let entries: Entry[];
/** Every URL the pages asked for, in every test. */
const requested: string[] = [];
const pageErrors = new Map<Page, string[]>();

beforeAll(async () => {
  folder = path.join(await scratch("catalog-browser"), "catalog");
  const r = cli(["catalog", "--out", folder]);
  expect(r.code, r.stderr).toBe(0);
  entries = JSON.parse(await readFile(path.join(ROOT, "dist", "events.json"), "utf8")) as Entry[];
  await mkdir(SHOTS, { recursive: true });
  // Installs Debian's Chromium first when the machine lacks it (support/prerequisites.ts).
  browser = await launchChromium();
  site = await serveFolder(folder);
}, INSTALL_TIMEOUT_MS + 60_000);

afterAll(async () => {
  await browser?.close();
  await site?.close();
});

async function open(url: string): Promise<Page> {
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  const errors: string[] = [];
  page.on("request", (req) => requested.push(req.url()));
  page.on("pageerror", (e) => errors.push(e.message));
  page.on("console", (m) => {
    if (m.type() === "error") errors.push(m.text());
  });
  await page.goto(url);
  pageErrors.set(page, errors);
  return page;
}

/** Closes a page that showed no script error and no resource refused by its Content-Security-Policy. */
async function close(page: Page): Promise<void> {
  expect(pageErrors.get(page)).toEqual([]);
  await page.close();
}

/** The top-level properties of an event version's data. */
function dataKeys(type: string): string[] {
  const e = entries.find((x) => x.type === type) as Entry;
  return Object.keys(e.schema.$defs[`${e.typeName}Data`]?.properties ?? {});
}

describe("the catalog in Chromium", () => {
  it("finds invoice-issued by searching, opens it, and shows how v2 differs from v1", async () => {
    const page = await open(site.url);
    const events = new Set(entries.map((e) => `${e.system}.${e.topic}.${e.event}`));
    await expect(page.locator(".event-item:visible").count()).resolves.toBe(events.size);

    // Search as you type: only events whose name, type, fields or description match stay.
    await page.getByLabel("Search events").pressSequentially("invoice issued");
    const shown = page.locator(".event-item:visible");
    const texts = await shown.evaluateAll((lis) => lis.map((li) => li.getAttribute("data-search") ?? ""));
    expect(texts.length).toBeGreaterThan(0);
    expect(texts.length).toBeLessThan(events.size);
    for (const t of texts) expect(t).toMatch(/invoice/);
    await expect(page.locator("#search-count").textContent()).resolves.toBe(`${texts.length} of ${events.size} events match`);
    await page.screenshot({ path: path.join(SHOTS, "1-search.png") });

    // Open the event.
    await shown.getByRole("link", { name: "Invoice issued" }).click();
    await page.waitForURL(`**/events/${EVENT}.html`);
    await expect(page.getByRole("heading", { level: 1 }).textContent()).resolves.toBe("Invoice issued");
    // It opens on the latest version, with its type string and how to import it.
    const latest = page.getByRole("tab", { name: "v2 (latest)" });
    await expect(latest.getAttribute("aria-selected")).resolves.toBe("true");
    const v2 = page.locator("#v2");
    await expect(v2.isVisible()).resolves.toBe(true);
    await expect(page.locator("#v1").isVisible()).resolves.toBe(false);
    await expect(v2.locator(".facts code.type").textContent()).resolves.toBe(`${EVENT}.v2`);
    await expect(v2.locator(".usage").textContent()).resolves.toContain("InvoiceIssuedV2");
    for (const key of dataKeys(`${EVENT}.v2`)) await expect(v2.locator(`.fields th code:text-is("${key}")`).count()).resolves.toBe(1);
    await page.screenshot({ path: path.join(SHOTS, "2-event.png"), fullPage: true });

    // Switch to the difference between v1 and v2.
    await page.getByRole("tab", { name: "v1 → v2" }).click();
    const diff = page.locator("#diff-v1-v2");
    await expect(diff.isVisible()).resolves.toBe(true);
    await expect(v2.isVisible()).resolves.toBe(false);
    expect(page.url()).toMatch(/#diff-v1-v2$/);
    await expect(diff.locator(".verdict").textContent()).resolves.toMatch(/^Breaking in both directions\./);
    const [before, after] = [dataKeys(`${EVENT}.v1`), dataKeys(`${EVENT}.v2`)];
    const rowsOf = (status: string) =>
      diff.locator(`tr.${status} th code`).evaluateAll((cs) => cs.map((c) => c.textContent ?? "").filter((p) => !p.includes(".")));
    await expect(rowsOf("added")).resolves.toEqual(after.filter((k) => !before.includes(k)));
    await expect(rowsOf("removed")).resolves.toEqual(
      before.filter((k) => !after.includes(k)).sort((a, b) => before.indexOf(a) - before.indexOf(b)),
    );
    expect((await rowsOf("added")).length + (await rowsOf("removed")).length).toBeGreaterThan(0);
    await page.screenshot({ path: path.join(SHOTS, "3-diff.png"), fullPage: true });

    // The tabs work from the keyboard: the arrow keys move between them.
    await page.getByRole("tab", { name: "v1 → v2" }).press("ArrowLeft");
    await expect(page.locator("[data-tab=v1]").getAttribute("aria-selected")).resolves.toBe("true");
    await expect(page.locator("#v1").isVisible()).resolves.toBe(true);
    await close(page);
  });

  it("collapses and expands a nested object's rows", async () => {
    const page = await open(`${site.url}events/${EVENT}.html#v2`);
    const toggle = page.locator("#v2").getByRole("button", { name: "Collapse billingAddress" });
    const child = page.locator("#v2 .fields th code:text-is('street')");
    await expect(child.isVisible()).resolves.toBe(true);
    await toggle.click();
    await expect(child.isVisible()).resolves.toBe(false);
    await page.locator("#v2").getByRole("button", { name: "Expand billingAddress" }).click();
    await expect(child.isVisible()).resolves.toBe(true);
    await close(page);
  });

  it("works from file:// too: styles, script and search", async () => {
    const page = await open(pathToFileURL(path.join(folder, "index.html")).href);
    await expect(
      page
        .locator("body")
        .evaluate(
          (b) => (b.ownerDocument.defaultView as { getComputedStyle(e: unknown): { maxWidth: string } }).getComputedStyle(b).maxWidth,
        ),
    ).resolves.not.toBe("none");
    await page.keyboard.press("/");
    await page.keyboard.type("billingAddress");
    const visible = await page.locator(".event-item:visible a").allTextContents();
    expect(visible).toContain("Invoice issued");
    await close(page);
  });

  it("passes axe-core's accessibility rules: the overview, a version, a difference", async () => {
    // axe is injected through the DevTools protocol; the pages' own policy forbids any script of ours.
    const context = await browser.newContext({ bypassCSP: true });
    const axe = await readFile(path.join(ROOT, "node_modules", "axe-core", "axe.min.js"), "utf8");
    for (const url of ["", `events/${EVENT}.html#v2`, `events/${EVENT}.html#diff-v1-v2`]) {
      const page = await context.newPage();
      await page.goto(`${site.url}${url}`);
      await page.evaluate(axe);
      const violations = await page.evaluate(async () => {
        const run = (globalThis as unknown as { axe: { run(): Promise<{ violations: { id: string; nodes: unknown[] }[] }> } }).axe.run;
        return (await run()).violations.map((v) => `${v.id} (${v.nodes.length})`);
      });
      expect(violations, url || "index.html").toEqual([]);
      await page.close();
    }
    await context.close();
  });

  it("asks for nothing outside its own folder", () => {
    expect(requested.length).toBeGreaterThan(3);
    const outside = requested.filter((u) => !u.startsWith(site.url) && !u.startsWith(pathToFileURL(folder).href));
    expect(outside).toEqual([]);
  });
});
