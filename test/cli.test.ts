/**
 * The CLI contract of DESIGN §4, through the built executable (dist/cli.js): commands, formats,
 * exit codes, atomic writes, and byte-identical output on rebuild.
 */

import { cp, mkdir, readFile, rm, writeFile } from "node:fs/promises";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { describe, expect, it } from "vitest";
import { cli, envelope, ROOT, scratch, snapshotDir } from "./helpers.js";

const GOLDEN = "test/fixtures/golden/events";

/** A copy of the golden tree with one version gap added. */
async function brokenTree(): Promise<string> {
  const dir = await scratch("broken");
  await cp(path.join(ROOT, GOLDEN), path.join(dir, "events"), { recursive: true });
  const v2 = await readFile(path.join(dir, "events/billing/invoice/invoice-issued.v2.json"));
  await writeFile(path.join(dir, "events/billing/invoice/invoice-issued.v4.json"), v2);
  return dir;
}

describe("domain-events check", () => {
  it("exits 0 on our own events tree", () => {
    const r = cli(["check"]);
    expect(r.stderr).toBe("");
    expect(r.stdout).toMatch(/^ok: /m);
    expect(r.code).toBe(0);
  });

  it("exits 1 and reports the finding as compiler-style text", async () => {
    const dir = await brokenTree();
    const r = cli(["check", "--events", "events"], dir);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain("events/billing/invoice/invoice-issued.v4.json:1:1: error VERSION_GAP:");
    expect(r.stdout).toMatch(/^ {2}hint: /m);
  });

  it("--format json follows the diagnostics contract", async () => {
    const dir = await brokenTree();
    const r = cli(["check", "--format", "json"], dir);
    expect(r.code).toBe(1);
    const out = JSON.parse(r.stdout);
    expect(out).toMatchObject({ ok: false, errors: 1, warnings: 0 });
    expect(out.diagnostics).toEqual([
      expect.objectContaining({
        severity: "error",
        code: "VERSION_GAP",
        file: "events/billing/invoice/invoice-issued.v4.json",
        pointer: "",
        line: 1,
        column: 1,
        message: expect.any(String),
        hint: expect.any(String),
      }),
    ]);
  });

  it("--format github prints workflow annotations", async () => {
    const dir = await brokenTree();
    const r = cli(["check", "--format", "github"], dir);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/^::error file=events\/billing\/invoice\/invoice-issued\.v4\.json,line=1,col=1,title=VERSION_GAP::.+$/m);
  });

  it("accepts --events pointing anywhere, with paths relative to the current folder", () => {
    const r = cli(["check", "--events", GOLDEN, "--format", "json"]);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ ok: true, errors: 0, diagnostics: [] });
  });

  it.each([[["check", "--format", "xml"]], [["check", "--nope"]], [["check", "extra"]], [["check", "--out", "x"]], [["frobnicate"]], [[]]])(
    "exits 2 on bad usage: %j",
    (args) => {
      const r = cli(args);
      expect(r.code).toBe(2);
      expect(r.stdout).toBe("");
      expect(r.stderr).toMatch(/^domain-events: /);
    },
  );

  it("--help prints usage and exits 0", () => {
    const r = cli(["--help"]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain("domain-events check");
    expect(r.stdout).toContain("domain-events build");
  });
});

describe("domain-events build", () => {
  it("writes an importable ESM module, its declarations and events.json", async () => {
    const dir = await scratch("build");
    const out = path.join(dir, "out");
    const r = cli(["build", "--events", GOLDEN, "--out", out]);
    expect(r.code).toBe(0);
    const written = [...(await snapshotDir(out)).keys()].sort();
    expect(written).toEqual(
      expect.arrayContaining(["asyncapi.json", "events.json", "index.d.ts", "index.js", "runtime.cjs", "validators/_shared.cjs"]),
    );
    // One validator module per event version, loaded on first use.
    expect(written.filter((f) => /^validators\/billing\..*\.cjs$/.test(f))).toHaveLength(3);
    const mod = await import(pathToFileURL(path.join(out, "index.js")).href);
    expect(mod.events.map((e: { type: string }) => e.type)).toEqual([
      "billing.invoice.invoice-issued.v1",
      "billing.invoice.invoice-issued.v2",
      "billing.payment.payment-captured.v1",
    ]);
    const ok = mod.validate(
      envelope("billing.invoice.invoice-issued.v1", { invoiceId: "8a0c6b8e-3f0e-4a53-9a55-1d7c5b1f8e21", amount: 1 }),
    );
    expect(ok.ok).toBe(true);
  });

  it("gives byte-identical output on rebuild", async () => {
    const dir = await scratch("determinism");
    // "a" compiles everything, without the cache; "b" and "c" take what the cache holds (from
    // earlier builds, and "c" at least from "b"): all three byte-identical.
    expect(cli(["build", "--no-cache", "--out", path.join(dir, "a")]).code).toBe(0);
    for (const name of ["b", "c"]) expect(cli(["build", "--out", path.join(dir, name)]).code).toBe(0);
    const c = await snapshotDir(path.join(dir, "c"));
    const a = await snapshotDir(path.join(dir, "a"));
    const b = await snapshotDir(path.join(dir, "b"));
    expect([...a.keys()].sort()).toEqual([...b.keys()].sort());
    for (const [name, bytes] of a) expect(bytes.equals(b.get(name) as Buffer), name).toBe(true);
    for (const [name, bytes] of a) expect(bytes.equals(c.get(name) as Buffer), name).toBe(true);
  });

  it("on an error writes nothing and leaves an existing out folder as it was", async () => {
    const dir = await brokenTree();
    const out = path.join(dir, "out");
    expect(cli(["build", "--events", path.join(ROOT, GOLDEN), "--out", out]).code).toBe(0);
    const before = await snapshotDir(out);
    const r = cli(["build", "--out", out], dir);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain("VERSION_GAP");
    const after = await snapshotDir(out);
    expect([...after.keys()]).toEqual([...before.keys()]);
    for (const [name, bytes] of before) expect(bytes.equals(after.get(name) as Buffer)).toBe(true);
    const fresh = path.join(dir, "fresh");
    expect(cli(["build", "--out", fresh], dir).code).toBe(1);
    await expect(readFile(path.join(fresh, "index.js"))).rejects.toThrow();
  });

  it("refuses to replace a folder that holds files it did not write", async () => {
    const dir = await scratch("foreign");
    const out = path.join(dir, "src");
    await mkdir(out);
    await writeFile(path.join(out, "app.ts"), "export {};\n");
    const r = cli(["build", "--events", GOLDEN, "--out", out]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("did not make");
    expect(await readFile(path.join(out, "app.ts"), "utf8")).toBe("export {};\n");
    await rm(dir, { recursive: true, force: true });
  });
});
