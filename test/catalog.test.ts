/**
 * The catalog without a browser: the field rows read out of schemas, the side-by-side diff, the
 * pictures, and the command (one page per event, deterministic, escaped, nothing written on errors).
 * test/catalog-browser.test.ts drives the pages in Chromium.
 */

import { cp, mkdir, readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { diffFields } from "../src/catalog/diff.js";
import { type Field, fieldsOf, flatten } from "../src/catalog/fields.js";
import { graphSvg } from "../src/catalog/svg.js";
import { ENTITIES, REFERENCES } from "../src/cleanup/graph.js";
import { cli, ROOT, scratch, snapshotDir } from "./helpers.js";

const GOLDEN = "test/fixtures/golden/events";

const money = {
  title: "Money",
  type: "object",
  additionalProperties: false,
  required: ["amountMinor", "currency"],
  properties: {
    amountMinor: { type: "integer", description: "In cents." },
    currency: { $ref: "#/$defs/CurrencyCode" },
  },
};
const defs = { Money: money, CurrencyCode: { type: "string", pattern: "^[A-Z]{3}$", description: "ISO 4217." } };

const byPath = (fields: Field[]) => new Map(flatten(fields).map((f) => [f.path, f]));

describe("fieldsOf", () => {
  const fields = fieldsOf(
    {
      type: "object",
      required: ["total", "items"],
      properties: {
        total: { $ref: "#/$defs/Money", description: "The amount to pay." },
        items: {
          type: "array",
          minItems: 1,
          maxItems: 50,
          items: { type: "object", properties: { sku: { type: "string", minLength: 4 } } },
        },
        note: { type: "string", maxLength: 200, deprecated: true },
        status: { enum: ["open", "paid"] },
        payer: { oneOf: [{ $ref: "#/$defs/Money" }, { type: "string", format: "email" }] },
      },
    },
    defs,
  );
  const rows = byPath(fields);

  it("gives a row per property, nested objects and array items as child rows", () => {
    expect([...rows.keys()]).toEqual([
      "total",
      "total.amountMinor",
      "total.currency",
      "items",
      "items[]",
      "items[].sku",
      "note",
      "status",
      "payer",
      "payer.(option 1)",
      "payer.(option 1).amountMinor",
      "payer.(option 1).currency",
      "payer.(option 2)",
    ]);
  });

  it("names a referenced definition, and the referring description wins over the definition's", () => {
    expect(rows.get("total")).toMatchObject({ type: "Money", required: true, description: "The amount to pay." });
    expect(rows.get("total.currency")).toMatchObject({ type: "CurrencyCode · string", description: "ISO 4217." });
    expect(rows.get("total")?.constraints).toContain("no other properties");
  });

  it("says the constraints in words", () => {
    expect(rows.get("items")).toMatchObject({ type: "array of object", constraints: ["1 to 50 items"] });
    expect(rows.get("items[].sku")?.constraints).toEqual(["at least 4 characters"]);
    expect(rows.get("note")).toMatchObject({ required: false, deprecated: true, constraints: ["at most 200 characters"] });
    expect(rows.get("status")?.constraints).toEqual(['one of: "open", "paid"']);
    expect(rows.get("payer.(option 2)")?.type).toBe("string (email)");
  });

  it("shows a recursive definition once, named, instead of looping", () => {
    const tree = { type: "object", properties: { name: { type: "string" }, parent: { $ref: "#/$defs/Node" } } };
    const rows = byPath(fieldsOf({ $ref: "#/$defs/Node" }, { Node: tree }));
    expect([...rows.keys()]).toEqual(["name", "parent"]);
    expect(rows.get("parent")?.constraints).toContain("recursive: Node again");
  });
});

describe("diffFields", () => {
  it("marks added, removed and changed fields, a removed one where it stood", () => {
    const before = fieldsOf({
      type: "object",
      required: ["a"],
      properties: { a: { type: "string" }, b: { type: "integer" }, c: { type: "string" } },
    });
    const after = fieldsOf({
      type: "object",
      required: ["a", "c"],
      properties: { a: { type: "string" }, c: { type: "string" }, d: { type: "boolean" } },
    });
    expect(diffFields(before, after).map((l) => [l.path, l.status, l.what])).toEqual([
      ["a", "unchanged", []],
      ["b", "removed", []],
      ["c", "changed", ["required"]],
      ["d", "added", []],
    ]);
  });
});

describe("the reference graph picture", () => {
  it("draws every entity and an arrow per reference, optional ones dashed", () => {
    const svg = graphSvg(ENTITIES, REFERENCES, "ClientAccount", "Who refers to whom", "");
    for (const e of ENTITIES) expect(svg).toContain(`>${e}</text>`);
    expect(svg.match(/<path class="edge/g)).toHaveLength(REFERENCES.length);
    expect(svg.match(/class="edge optional"/g)).toHaveLength(REFERENCES.filter((r) => r.optional).length);
  });
});

describe("domain-events catalog", () => {
  it("writes an overview and a page per event, linked, and the same bytes every time", async () => {
    const dir = await scratch("catalog");
    const [a, b] = [path.join(dir, "a"), path.join(dir, "b")];
    const r = cli(["catalog", "--out", a]);
    expect(r.code, r.stderr).toBe(0);
    expect(cli(["catalog", "--out", b]).code).toBe(0);
    const files = await snapshotDir(a);
    expect(await snapshotDir(b)).toEqual(files);

    const entries = JSON.parse(await readFile(path.join(ROOT, "dist", "events.json"), "utf8")) as {
      system: string;
      topic: string;
      event: string;
    }[];
    const keys = [...new Set(entries.map((e) => `${e.system}.${e.topic}.${e.event}`))].sort();
    expect([...files.keys()].filter((f) => f.startsWith("events")).sort()).toEqual(keys.map((k) => path.join("events", `${k}.html`)));
    const index = (files.get("index.html") as Buffer).toString();
    for (const k of keys) expect(index).toContain(`href="events/${k}.html"`);
    // Everything is relative and local: no URL with a scheme other than the SVG namespace.
    for (const [name, bytes] of files) {
      const urls = bytes.toString().match(/(?:src|href)="[a-z]+:[^"]*"/g) ?? [];
      expect(
        urls.filter((u) => u !== 'href="data:,"'),
        name,
      ).toEqual([]);
    }
    // Small: the whole site for our tree.
    const total = [...files.values()].reduce((n, x) => n + x.length, 0);
    expect(total / keys.length).toBeLessThan(40_000);
  });

  it("escapes what schemas say: a description cannot inject markup", async () => {
    const dir = await scratch("catalog-escape");
    await cp(path.join(ROOT, GOLDEN), path.join(dir, "events"), { recursive: true });
    const file = path.join(dir, "events/billing/payment/payment-captured.json");
    const schema = JSON.parse(await readFile(file, "utf8")) as {
      description: string;
      properties: Record<string, { description?: string }>;
    };
    schema.description = `Captured. <script>alert("x")</script><img src=x onerror="alert(1)">`;
    const first = Object.keys(schema.properties)[0] as string;
    (schema.properties[first] as { description?: string }).description = `"><svg onload=alert(2)>`;
    await writeFile(file, JSON.stringify(schema, null, 2));
    const r = cli(["catalog", "--events", "events", "--out", "site"], dir);
    expect(r.code, r.stdout + r.stderr).toBe(0);
    const page = await readFile(path.join(dir, "site/events/billing.payment.payment-captured.html"), "utf8");
    expect(page).not.toContain("<script>alert");
    expect(page).not.toContain("<img src=x");
    expect(page).not.toContain("<svg onload");
    expect(page).toContain("&#60;script&#62;alert(&#34;x&#34;)&#60;/script&#62;");
  });

  it("writes nothing when the tree has errors, and refuses a folder it did not make", async () => {
    const dir = await scratch("catalog-errors");
    await cp(path.join(ROOT, GOLDEN), path.join(dir, "events"), { recursive: true });
    await writeFile(path.join(dir, "events/billing/invoice/invoice-issued.v4.json"), "{}");
    const r = cli(["catalog", "--events", "events", "--out", "site"], dir);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain("VERSION_GAP");
    await expect(readFile(path.join(dir, "site/index.html"))).rejects.toThrow();

    await mkdir(path.join(dir, "mine"));
    await writeFile(path.join(dir, "mine/notes.txt"), "keep me");
    const refused = cli(["catalog", "--out", path.join(dir, "mine")]);
    expect(refused.code).toBe(2);
    await expect(readFile(path.join(dir, "mine/notes.txt"), "utf8")).resolves.toBe("keep me");
  });
});
