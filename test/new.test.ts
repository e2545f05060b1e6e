/**
 * `domain-events new` through the built CLI (dist/cli.js) on copies of the golden tree: scaffolded
 * events and versions pass check and build, bad names get the diagnostics check gives, nothing is
 * ever overwritten or left half written; and the questions on a real pseudo-terminal (util-linux
 * `script`), answered as each prompt appears.
 */

import { spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { cp, readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { planNewVersion, readEventPath, type ScaffoldTree } from "../src/authoring/scaffold.js";
import type { SourceFile } from "../src/model/tree.js";
import { classify } from "../src/stages/discover.js";
import { cli, ROOT, scratch, snapshotDir } from "./helpers.js";

const GOLDEN = "test/fixtures/golden/events";
const DIALECT = "https://json-schema.org/draft/2020-12/schema";

/** A scratch folder holding a copy of the golden tree as `events/`. */
async function tree(): Promise<string> {
  const dir = await scratch("new");
  await cp(path.join(ROOT, GOLDEN), path.join(dir, "events"), { recursive: true });
  return dir;
}

async function readJson(file: string): Promise<Record<string, unknown>> {
  return JSON.parse(await readFile(file, "utf8"));
}

/** The files added to `after` compared with `before`. */
function added(before: Map<string, Buffer>, after: Map<string, Buffer>): string[] {
  return [...after.keys()].filter((k) => !before.has(k)).sort();
}

describe("domain-events new (flags, no terminal)", () => {
  it("scaffolds an event in an existing topic that passes check and build", async () => {
    const dir = await tree();
    const before = await snapshotDir(path.join(dir, "events"));
    const r = cli(["new", "billing/invoice/invoice-refunded", "--yes"], dir);
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    expect(r.stdout).toContain("created events/billing/invoice/invoice-refunded.json");
    expect(r.stdout).toMatch(/^ok: checked events: 4 event versions \(0 errors, 0 warnings\)$/m);
    expect(r.stdout).toContain("npm run check");
    expect(r.stdout).toContain("npm run fmt");
    expect(r.stdout).toContain("npm run build");
    expect(r.stdout).toContain("npm run diff");

    const after = await snapshotDir(path.join(dir, "events"));
    // billing has its system.json already: only the event is new, and nothing else changed.
    expect(added(before, after)).toEqual([path.join("billing", "invoice", "invoice-refunded.json")]);
    for (const [name, bytes] of before) expect(after.get(name)?.equals(bytes), name).toBe(true);

    const schema = await readJson(path.join(dir, "events/billing/invoice/invoice-refunded.json"));
    expect(schema).toMatchObject({ $schema: DIALECT, title: "Invoice refunded", type: "object", additionalProperties: false });
    expect(schema.description).toMatch(/^Emitted by Billing when /);
    const properties = schema.properties as Record<string, Record<string, unknown>>;
    expect(Object.keys(properties).length).toBeGreaterThan(0);
    for (const p of Object.values(properties)) expect(typeof p.description).toBe("string");
    expect(schema.required).toEqual(Object.keys(properties));
    expect(schema.examples).toHaveLength(1);

    expect(cli(["check"], dir).code).toBe(0);
    // Written as fmt writes it: no diff noise when the author runs fmt.
    expect(cli(["fmt", "--check", "events/billing/invoice/invoice-refunded.json"], dir).code).toBe(0);
    const built = cli(["build", "--out", "out"], dir);
    expect(built.code).toBe(0);
    const entries = (await readJson(path.join(dir, "out/events.json"))) as unknown as { type: string; typeName: string }[];
    expect(entries).toContainEqual(expect.objectContaining({ type: "billing.invoice.invoice-refunded.v1", typeName: "InvoiceRefunded" }));
  });

  it("refers to the shared id of the topic when _shared/ids.json defines it", async () => {
    const dir = await tree();
    const ids = {
      title: "Entity ids",
      description: "The ids of the domain's entities.",
      $defs: { invoiceId: { title: "Invoice id", description: "The id of an Invoice.", type: "string", format: "uuid" } },
    };
    await writeFile(path.join(dir, "events/_shared/ids.json"), `${JSON.stringify(ids, null, 2)}\n`);
    const r = cli(["new", "billing/invoice/invoice-voided", "--yes"], dir);
    expect(r.code).toBe(0);
    const schema = await readJson(path.join(dir, "events/billing/invoice/invoice-voided.json"));
    expect(schema.properties).toMatchObject({ invoiceId: { $ref: "../../_shared/ids.json#/$defs/invoiceId" } });
    // Its example is a UUID, which the build checks against the shared definition.
    expect(cli(["build", "--out", "out"], dir).code).toBe(0);
  });

  it("names the house meta-schema in $schema when editor/ sits beside the events folder", async () => {
    const dir = await tree();
    await cp(path.join(ROOT, "editor"), path.join(dir, "editor"), { recursive: true });
    const r = cli(["new", "billing/invoice/invoice-refunded", "--yes"], dir);
    expect(r.code).toBe(0);
    const schema = await readJson(path.join(dir, "events/billing/invoice/invoice-refunded.json"));
    expect(schema.$schema).toBe("../../../editor/event.schema.json");
    expect(cli(["build", "--out", "out"], dir).code).toBe(0);
  });

  it("a new system gets its system.json from the flags, source /systems/<system>", async () => {
    const dir = await tree();
    const before = await snapshotDir(path.join(dir, "events"));
    const r = cli(
      [
        "new",
        "shop/order/order-placed",
        "--title",
        "Order placed",
        "--description",
        "Emitted by the shop when a customer placed an order.",
        "--system-title",
        "Shop",
        "--system-description",
        "Sells the plans to customers.",
        "--owner",
        "team-shop",
      ],
      dir,
    );
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    expect(r.stdout).toContain("created events/shop/system.json");
    expect(r.stdout).toContain("created events/shop/order/order-placed.json");
    expect(added(before, await snapshotDir(path.join(dir, "events")))).toEqual(
      [path.join("shop", "order", "order-placed.json"), path.join("shop", "system.json")].sort(),
    );
    expect(await readJson(path.join(dir, "events/shop/system.json"))).toEqual({
      title: "Shop",
      description: "Sells the plans to customers.",
      owner: "team-shop",
      source: "/systems/shop",
    });
    const schema = await readJson(path.join(dir, "events/shop/order/order-placed.json"));
    expect(schema).toMatchObject({ title: "Order placed", description: "Emitted by the shop when a customer placed an order." });
    const built = cli(["build", "--out", "out"], dir);
    expect(built.code).toBe(0);
    const entries = (await readJson(path.join(dir, "out/events.json"))) as unknown as { type: string }[];
    expect(entries.map((e) => e.type)).toContain("shop.order.order-placed.v1");
  });

  it.each([
    ["Billing/invoice/invoice-refunded", "LAYOUT_NAME"],
    ["billing/Invoice_Stuff/invoice-refunded", "LAYOUT_NAME"],
    ["billing/invoice/InvoiceRefunded", "LAYOUT_NAME"],
    ["billing/invoice/invoice--refunded", "LAYOUT_NAME"],
    ["billing/invoice/invoice-refunded.v1", "VERSION_EXPLICIT_V1"],
    ["billing/invoice/invoice-refunded.v02", "VERSION_BAD_NUMBER"],
  ])("refuses %s with check's %s, writing nothing", async (name, code) => {
    const dir = await tree();
    const before = await snapshotDir(dir);
    const r = cli(["new", name, "--yes"], dir);
    expect(r.code).toBe(1);
    const line = r.stdout.split("\n").find((l) => l.includes(` error ${code}: `));
    expect(line, r.stdout).toBeDefined();
    expect(await snapshotDir(dir)).toEqual(before);

    // The same finding check gives for a file of that name.
    const file = path.join(dir, "events", `${name}.json`);
    await cp(path.join(dir, "events/billing/payment/payment-captured.json"), file);
    const checked = cli(["check"], dir);
    expect(checked.code).toBe(1);
    expect(checked.stdout.split("\n")).toContain(line);
  });

  it("refuses a name whose TypeScript type another event has (VERSION_NAME_COLLISION)", async () => {
    const dir = await tree();
    const before = await snapshotDir(dir);
    const r = cli(["new", "shop/order/invoice-issued", "--yes"], dir);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain("error VERSION_NAME_COLLISION");
    expect(await snapshotDir(dir)).toEqual(before);
  });

  it("refuses to overwrite an existing event (exit 2) and points to --version", async () => {
    const dir = await tree();
    const before = await snapshotDir(dir);
    const r = cli(["new", "billing/invoice/invoice-issued", "--yes"], dir);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("events/billing/invoice/invoice-issued.v2.json exists already");
    expect(r.stderr).toContain("new --version billing/invoice/invoice-issued");
    expect(await snapshotDir(dir)).toEqual(before);
  });

  it("without a terminal, names the missing flags (exit 2) unless --yes", async () => {
    const dir = await tree();
    const before = await snapshotDir(dir);
    const r = cli(["new", "shop/order/order-placed", "--title", "Order placed"], dir);
    expect(r.code).toBe(2);
    for (const flag of ["--description", "--system-title", "--system-description", "--owner", "--yes"]) expect(r.stderr).toContain(flag);
    expect(r.stderr).not.toContain("--title");
    const bare = cli(["new"], dir);
    expect(bare.code).toBe(2);
    expect(bare.stderr).toContain("<system>/<topic>/<event>");
    expect(cli(["new", "--version", "billing/invoice/invoice-issued"], dir).stderr).toContain("--change");
    expect(await snapshotDir(dir)).toEqual(before);
  });

  it("flags of the other mode are bad usage", async () => {
    const dir = await tree();
    expect(cli(["new", "--version", "billing/invoice/invoice-issued", "--title", "X"], dir).code).toBe(2);
    expect(cli(["new", "billing/invoice/invoice-refunded", "--change", "X"], dir).code).toBe(2);
    expect(cli(["new", "billing/invoice/invoice-refunded", "--title", " ", "--yes"], dir).code).toBe(2);
    // --version alone still prints the tool's version.
    expect(cli(["--version"], dir).stdout).toMatch(/^\d+\.\d+\.\d+/);
  });

  it("removes what it wrote when check refuses it", async () => {
    const dir = await tree();
    const before = await snapshotDir(path.join(dir, "events"));
    // A zero-width space in the title: JSON holds it, check refuses it (Trojan Source).
    const r = cli(["new", "shop/order/order-placed", "--yes", "--title", "Order\u200bplaced"], dir);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain("events/shop/order/order-placed.json");
    expect(r.stdout).toContain("error PARSE_HIDDEN_CHARACTER");
    expect(r.stdout).toContain("removed again");
    // Neither the files nor the folders made for them are left (the check's cache is outside events/).
    expect(await snapshotDir(path.join(dir, "events"))).toEqual(before);
    expect(existsSync(path.join(dir, "events/shop"))).toBe(false);
  });

  it("--version twice gives .v2 then .v3, each a copy that passes check with COMPAT_VERSION_UNNEEDED", async () => {
    const dir = await tree();
    const v1 = await readFile(path.join(dir, "events/billing/payment/payment-captured.json"), "utf8");
    const first = cli(
      ["new", "--version", "billing/payment/payment-captured", "--change", "method becomes required because refunds need it"],
      dir,
    );
    expect(first.stderr).toBe("");
    expect(first.code).toBe(0);
    expect(first.stdout).toContain("created events/billing/payment/payment-captured.v2.json");
    expect(first.stdout).toContain("events/billing/payment/payment-captured.v2.json:1:1: warning COMPAT_VERSION_UNNEEDED");
    expect(first.stdout).toMatch(/^ok: .*\(0 errors, 1 warning\)$/m);
    expect(first.stdout).toContain('"deprecated": true');

    // Byte for byte the previous version, but for the description's version sentence.
    const v2 = await readFile(path.join(dir, "events/billing/payment/payment-captured.v2.json"), "utf8");
    const description = "Emitted when money was collected. Version 2: method becomes required because refunds need it.";
    expect(v2).toBe(v1.replace(JSON.stringify("Emitted when money was collected."), JSON.stringify(description)));

    const second = cli(["new", "--version", "billing/payment/payment-captured", "--yes"], dir);
    expect(second.code).toBe(0);
    expect(second.stdout).toContain("created events/billing/payment/payment-captured.v3.json");
    const v3 = await readJson(path.join(dir, "events/billing/payment/payment-captured.v3.json"));
    // The previous version's sentence is replaced, not added to.
    expect(v3.description).toBe("Emitted when money was collected. Version 3: <what changed> because <why>.");

    expect(cli(["check"], dir).code).toBe(0);
    const built = cli(["build", "--out", "out"], dir);
    expect(built.code).toBe(0);
    const entries = (await readJson(path.join(dir, "out/events.json"))) as unknown as { type: string; latest: boolean }[];
    expect(entries.filter((e) => e.type.startsWith("billing.payment.payment-captured.")).map((e) => [e.type, e.latest])).toEqual([
      ["billing.payment.payment-captured.v1", false],
      ["billing.payment.payment-captured.v2", false],
      ["billing.payment.payment-captured.v3", true],
    ]);
  });

  it("--version moves a stated $id to the new path and does not copy deprecated: true", async () => {
    const dir = await tree();
    const file = path.join(dir, "events/billing/payment/payment-captured.json");
    const schema = await readJson(file);
    const stated = { $id: "https://domain-events.invalid/billing/payment/payment-captured.json", ...schema, deprecated: true };
    await writeFile(file, `${JSON.stringify(stated, null, 2)}\n`);
    const r = cli(["new", "--version", "billing/payment/payment-captured", "--yes"], dir);
    expect(r.code).toBe(0);
    const v2 = await readJson(path.join(dir, "events/billing/payment/payment-captured.v2.json"));
    expect(v2.$id).toBe("https://domain-events.invalid/billing/payment/payment-captured.v2.json");
    expect(v2.deprecated).toBe(false);
    expect(cli(["check"], dir).code).toBe(0);
  });

  it("--version of an event that does not exist is bad usage", async () => {
    const dir = await tree();
    const r = cli(["new", "--version", "billing/invoice/invoice-refunded", "--yes"], dir);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("new billing/invoice/invoice-refunded");
  });
});

/** Quotes one word for sh. */
function sh(word: string): string {
  return `'${word.replace(/'/g, `'\\''`)}'`;
}

/**
 * Runs the built CLI on a pseudo-terminal made by util-linux `script`: the child sees a TTY on
 * stdin and stdout. `answer(prompt, text)` waits until `prompt` appears in the output after
 * everything seen so far (with a timeout, so a missing prompt fails instead of hanging), then types
 * `text` and Enter.
 */
function onTerminal(args: readonly string[], cwd: string) {
  // util-linux (Debian's bsdutils, an essential package) has it; say so rather than time out.
  if (!existsSync("/usr/bin/script")) throw new Error("these tests need /usr/bin/script from util-linux (apt-get install bsdutils)");
  const command = [process.execPath, path.join(ROOT, "dist", "cli.js"), ...args].map(sh).join(" ");
  const child = spawn("/usr/bin/script", ["-qfec", command, "/dev/null"], { cwd, env: { ...process.env, NO_COLOR: "1" } });
  let raw = "";
  let seen = 0;
  let waiting: (() => void) | undefined;
  child.stdout.on("data", (chunk: Buffer) => {
    raw += chunk.toString("utf8");
    waiting?.();
  });
  const exited = new Promise<number>((resolve) => child.on("close", (code) => resolve(code ?? -1)));
  // What the terminal shows, without readline's cursor movements.
  const text = () => raw.replace(/\x1b\[[0-9;?]*[A-Za-z]/g, "").replace(/\r/g, "");
  const waitFor = (prompt: string) =>
    new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no prompt ${JSON.stringify(prompt)} in:\n${text()}`)), 30_000);
      const look = () => {
        const at = text().indexOf(prompt, seen);
        if (at === -1) return;
        seen = at + prompt.length;
        clearTimeout(timer);
        waiting = undefined;
        resolve();
      };
      waiting = look;
      look();
      exited.then(() => reject(new Error(`exited before the prompt ${JSON.stringify(prompt)}:\n${text()}`)));
    });
  return {
    async answer(prompt: string, typed: string) {
      await waitFor(prompt);
      child.stdin.write(`${typed}\r`);
    },
    waitFor,
    /** Types without Enter. */
    type(typed: string) {
      child.stdin.write(typed);
    },
    async done() {
      const code = await exited;
      return { code, output: text() };
    },
  };
}

describe("domain-events new on a terminal", () => {
  it("asks for what is missing, re-asks a bad name with its diagnostic, takes defaults on empty answers", async () => {
    const dir = await tree();
    const term = onTerminal(["new"], dir);
    await term.answer("Event (<system>/<topic>/<event>", "Shop/order/order-placed");
    await term.waitFor('LAYOUT_NAME: the system folder "Shop" is not kebab-case');
    await term.answer("Event (<system>/<topic>/<event>", "shop/order/order-placed");
    await term.answer("Title [Order placed]: ", "");
    await term.answer("Description (when it is emitted, and by whom) [", "Emitted by the shop when a customer placed an order.");
    await term.waitFor("shop is a new system");
    await term.answer("System title [Shop]: ", "");
    await term.answer("System description [", "Sells the plans to customers.");
    await term.answer("Owner (the team) [team-shop]: ", "");
    const { code, output } = await term.done();
    expect(code, output).toBe(0);
    expect(output).toContain("created events/shop/order/order-placed.json");
    expect(output).toMatch(/^ok: checked events: 4 event versions/m);

    expect(await readJson(path.join(dir, "events/shop/system.json"))).toEqual({
      title: "Shop",
      description: "Sells the plans to customers.",
      owner: "team-shop",
      source: "/systems/shop",
    });
    const schema = await readJson(path.join(dir, "events/shop/order/order-placed.json"));
    expect(schema).toMatchObject({ title: "Order placed", description: "Emitted by the shop when a customer placed an order." });
    expect(cli(["check"], dir).code).toBe(0);
  });

  it("new --version asks which event and what changes", async () => {
    const dir = await tree();
    const term = onTerminal(["new", "--version"], dir);
    await term.answer("Event to give a new version (<system>/<topic>/<event>): ", "billing/invoice/invoice-sent");
    await term.waitFor("there is no event events/billing/invoice/invoice-sent.json yet");
    await term.answer("Event to give a new version (<system>/<topic>/<event>): ", "billing/invoice/invoice-issued");
    await term.answer("What changes in version 3, and why? [<what changed> because <why>]: ", "lines may be empty because of credits");
    const { code, output } = await term.done();
    expect(code, output).toBe(0);
    expect(output).toContain("warning COMPAT_VERSION_UNNEEDED");
    const v3 = await readJson(path.join(dir, "events/billing/invoice/invoice-issued.v3.json"));
    expect(v3.description).toBe("Emitted when an invoice was issued. Version 3: lines may be empty because of credits.");
  });

  it("Ctrl-C ends the questions and writes nothing (exit 2)", async () => {
    const dir = await tree();
    const before = await snapshotDir(dir);
    const term = onTerminal(["new", "shop/order/order-placed"], dir);
    await term.waitFor("Title [Order placed]: ");
    term.type("\u0003");
    const { code, output } = await term.done();
    expect(code).toBe(2);
    expect(output).toContain("cancelled; nothing written");
    expect(await snapshotDir(dir)).toEqual(before);
  });
});

describe("scaffold (pure planning)", () => {
  const source = (rel: string, text: string): SourceFile => ({
    file: `events/${rel}`,
    rel,
    bytes: new TextEncoder().encode(text),
    kind: classify(rel) as SourceFile["kind"],
  });
  const at = (files: SourceFile[]): ScaffoldTree => ({
    base: "events",
    files,
    eventSchema: "https://json-schema.org/draft/2020-12/schema",
  });

  it.each([
    ["billing/invoice/invoice-refunded", "billing/invoice/invoice-refunded"],
    ["events/billing/invoice/invoice-refunded.json", "billing/invoice/invoice-refunded"],
    [" billing\\invoice\\invoice-refunded ", "billing/invoice/invoice-refunded"],
  ])("reads %j as %s", (typed, want) => {
    const read = readEventPath(typed, at([]), "new");
    expect(read.ok && `${read.path.system}/${read.path.topic}/${read.path.event}`).toBe(want);
  });

  it.each([["billing/invoice"], ["billing/invoice/x/y"], ["_shared/money/money"], [""]])(
    "refuses %j as bad usage (no diagnostic)",
    (typed) => {
      const read = readEventPath(typed, at([]), "new");
      expect(read.ok).toBe(false);
      expect(!read.ok && read.refusal.diagnostics).toEqual([]);
    },
  );

  it.each([
    [
      "escapes and CRLF",
      '{\r\n  "title": "A",\r\n  "description": "Says \\"hi\\" \\u00e9. Version 2: old reason.",\r\n  "type": "object"\r\n}\r\n',
    ],
    ["no description", '{ "title": "A", "type": "object" }\n'],
  ])("--version edits only the description's sentence (%s)", (_name, text) => {
    const files = [source("a/b/thing-done.json", "{}"), source("a/b/thing-done.v2.json", text)];
    const planned = planNewVersion(at(files), { system: "a", topic: "b", event: "thing-done" }, "x because y");
    expect(planned.ok).toBe(true);
    if (!planned.ok) return;
    const [file] = planned.plan.files;
    expect(file?.rel).toBe("a/b/thing-done.v3.json");
    const before = JSON.parse(text);
    const after = JSON.parse(file?.text ?? "");
    if (before.description === undefined) expect(file?.text).toBe(text);
    else {
      expect(after).toEqual({ ...before, description: 'Says "hi" é. Version 3: x because y.' });
      // Every other byte as it was: the line endings too.
      expect(file?.text.split("\r\n").length).toBe(text.split("\r\n").length);
    }
  });

  it("--version refuses a chain with a gap with check's VERSION_GAP", () => {
    const files = [source("a/b/thing-done.json", "{}"), source("a/b/thing-done.v3.json", "{}")];
    const planned = planNewVersion(at(files), { system: "a", topic: "b", event: "thing-done" }, "x");
    expect(!planned.ok && planned.refusal.diagnostics.map((d) => [d.file, d.code])).toEqual([
      ["events/a/b/thing-done.v3.json", "VERSION_GAP"],
    ]);
  });
});
