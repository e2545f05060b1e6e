/**
 * The package as npm ships it: publint and arethetypeswrong are clean, the tarball holds exactly
 * what should ship, and real consumer projects install the packed tarball and use it: an ESM
 * TypeScript project (nodenext, strict), a CommonJS project, and bundled ones (esbuild), where
 * importing one system must give a smaller bundle than importing the root.
 */

import { mkdir, mkdtemp, readdir, readFile, rm, stat, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { envelope, ROOT, run } from "./helpers.js";

const bin = (name: string) => path.join(ROOT, "node_modules/.bin", name);

/** The systems of our events tree: one subpath export each. */
async function systems(): Promise<string[]> {
  return (await readdir(path.join(ROOT, "events"), { withFileTypes: true }))
    .filter((d) => d.isDirectory() && !d.name.startsWith("_"))
    .map((d) => d.name)
    .sort();
}

describe("package lint", () => {
  it("publint --strict is clean", () => {
    const r = run(bin("publint"), ["--strict"]);
    expect(r.code, r.stdout + r.stderr).toBe(0);
    expect(r.stdout).toContain("All good!");
  });

  it("arethetypeswrong is clean for the root and every system (node16 and bundler resolution)", async () => {
    const entries = [...(await systems()).map((s) => `./${s}`), "./cleanup"];
    const r = run(bin("attw"), ["--pack", ".", "--profile", "node16", "--format", "ascii", "--include-entrypoints", ...entries]);
    expect(r.code, r.stdout + r.stderr).toBe(0);
    for (const s of entries) expect(r.stdout).toContain(`"domain-events/${s.slice(2)}"`);
    // attw exits 0 for a package without types at all: the declarations must really be there.
    for (const f of [
      "index.d.ts",
      "index.d.cts",
      "cleanup.d.ts",
      "cleanup.d.cts",
      ...(await systems()).flatMap((s) => [`systems/${s}.d.ts`, `systems/${s}.d.cts`]),
    ]) {
      expect((await stat(path.join(ROOT, "dist", f))).size, f).toBeGreaterThan(100);
    }
  });

  it("the tarball holds exactly what should ship", async () => {
    const r = run("npm", ["pack", "--dry-run", "--json"]);
    expect(r.code).toBe(0);
    const files = (JSON.parse(r.stdout)[0].files as { path: string }[]).map((f) => f.path).sort();
    const perSystem = (await systems()).flatMap((s) => [
      ...["cjs", "d.cts", "d.ts", "js", "load.cjs"].map((ext) => `dist/systems/${s}.${ext}`),
      `dist/types/${s}.d.ts`,
    ]);
    const types = (JSON.parse(await readFile(path.join(ROOT, "dist/events.json"), "utf8")) as { type: string }[]).map((e) => e.type);
    const perEvent = types.map((t) => `dist/validators/${t}.cjs`);
    expect(files).toEqual(
      [
        "README.md",
        "dist/asyncapi.json",
        "dist/cleanup.cjs",
        "dist/cleanup.d.cts",
        "dist/cleanup.d.ts",
        "dist/cleanup.js",
        "dist/build-worker.js",
        "dist/cli.js",
        "dist/events.json",
        "dist/index.cjs",
        "dist/index.d.cts",
        "dist/index.d.ts",
        "dist/index.js",
        "dist/load.cjs",
        "dist/runtime.cjs",
        "dist/types/_api.d.cts",
        "dist/types/_shared.d.ts",
        "dist/validators/_shared.cjs",
        ...perSystem,
        ...perEvent,
        "package.json",
      ].sort(),
    );
  });
});

describe("consumers install the packed tarball", () => {
  let dir: string;
  let tarball: string;
  const invoice = "existing-business.invoice.invoice-issued.v2";
  let example: unknown;

  beforeAll(async () => {
    // Outside the repository: resolution must not find the repository's own node_modules.
    dir = await mkdtemp(path.join(tmpdir(), "domain-events-consumers-"));
    const packed = run("npm", ["pack", "--json", "--pack-destination", dir]);
    expect(packed.code, packed.stderr).toBe(0);
    tarball = path.join(dir, JSON.parse(packed.stdout)[0].filename);
    example = JSON.parse(await readFile(path.join(ROOT, "events/existing-business/invoice/invoice-issued.v2.json"), "utf8")).examples[0];
  });

  afterAll(async () => {
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  /** A fresh project with the tarball installed (dependencies from the npm cache when present). */
  async function project(name: string, pkg: Record<string, unknown>, files: Record<string, string>): Promise<string> {
    const root = path.join(dir, name);
    await mkdir(root, { recursive: true });
    await writeFile(path.join(root, "package.json"), JSON.stringify({ name, private: true, ...pkg }, null, 2));
    for (const [file, text] of Object.entries(files)) {
      await mkdir(path.dirname(path.join(root, file)), { recursive: true });
      await writeFile(path.join(root, file), text);
    }
    const r = run("npm", ["install", tarball, "--no-audit", "--no-fund", "--prefer-offline", "--ignore-scripts"], root);
    expect(r.code, r.stderr).toBe(0);
    return root;
  }

  /** A consumer's tsconfig: Node's own module resolution, strict. */
  const tsconfig = (options: Record<string, unknown>, include: string[]) =>
    JSON.stringify({
      compilerOptions: { module: "nodenext", moduleResolution: "nodenext", target: "es2022", strict: true, types: [], ...options },
      include,
    });

  const events = () =>
    JSON.stringify({ valid: envelope(invoice, example), invalid: envelope(invoice, { ...(example as object), grossTotal: 12 }) });

  it("an ESM TypeScript project (module nodenext, strict) type-checks, narrows on event.type and validates", async () => {
    const root = await project(
      "esm-ts",
      { type: "module" },
      {
        "tsconfig.json": tsconfig({ outDir: "out", skipLibCheck: false }, ["src"]),
        "src/cli/main.ts": `import { validate, parseEvent, type DomainEvent } from "domain-events";
import { validate as validateBilling, type InvoiceIssuedV2 } from "domain-events/existing-business";

const input: { valid: unknown; invalid: unknown } = ${events()};

function describe(event: DomainEvent): string {
  switch (event.type) {
    case "${invoice}": {
      const invoice: InvoiceIssuedV2 = event;
      return invoice.data.grossTotal.currency;
    }
    default:
      return event.type;
  }
}

const ok = validate(input.valid);
const bad = validateBilling(input.invalid);
console.log(JSON.stringify({
  valid: ok.ok ? describe(ok.event) : null,
  invalid: bad.ok ? null : bad.errors.map((e) => e.pointer),
  parsed: parseEvent(input.valid).type,
}));
`,
      },
    );
    const tsc = run(process.execPath, [path.join(ROOT, "node_modules/typescript/bin/tsc"), "-p", "."], root);
    expect(tsc.stdout + tsc.stderr).toBe("");
    const out = run(process.execPath, ["out/main.js"], root);
    expect(out.code, out.stderr).toBe(0);
    expect(JSON.parse(out.stdout)).toEqual({ valid: "EUR", invalid: ["/data/grossTotal"], parsed: invoice });

    // A service installs the contract, not the authoring tools: validate works, check says what is missing.
    const installed = await readdir(path.join(root, "node_modules"));
    for (const tool of ["json-schema-to-typescript", "glob", "recheck", "prettier"]) expect(installed).not.toContain(tool);
    await writeFile(path.join(root, "events.ndjson"), `${JSON.stringify(JSON.parse(events()).valid)}\n`);
    const cliPath = path.join(root, "node_modules/domain-events/dist/cli.js");
    const validated = run(process.execPath, [cliPath, "validate", "events.ndjson"], root);
    expect(validated.code, validated.stdout + validated.stderr).toBe(0);
    await mkdir(path.join(root, "events/shop/order"), { recursive: true });
    await writeFile(path.join(root, "events/shop/order/order-placed.json"), "{}");
    const checked = run(process.execPath, [cliPath, "check"], root);
    expect(checked.code).toBe(2);
    expect(checked.stderr).toContain("authoring tools");
  });

  it("a CommonJS project requires the root and a system, type-checks (checkJs) and narrows", async () => {
    const root = await project(
      "cjs",
      { type: "commonjs" },
      {
        "tsconfig.json": tsconfig({ allowJs: true, checkJs: true, noEmit: true }, ["main.js"]),
        "main.js": `const { validate, events, EventValidationError, parseEvent } = require("domain-events");
const billing = require("domain-events/existing-business");
/** @type {{ valid: unknown, invalid: unknown }} */
const input = ${events()};
const checked = validate(input.valid);
if (checked.ok && checked.event.type === "${invoice}") {
  /** @type {string} */
  const currency = checked.event.data.grossTotal.currency; // narrowed on type, checked by tsc (checkJs)
  void currency;
}
let thrown = "";
try { parseEvent(input.invalid); } catch (e) { thrown = e instanceof EventValidationError ? e.errors[0].pointer : "other"; }
console.log(JSON.stringify({ count: events.length, billing: billing.events.length, valid: validate(input.valid).ok, invalid: billing.validate(input.invalid).ok, thrown }));
`,
      },
    );
    const tsc = run(process.execPath, [path.join(ROOT, "node_modules/typescript/bin/tsc"), "-p", "."], root);
    expect(tsc.stdout + tsc.stderr).toBe("");
    const out = run(process.execPath, ["main.js"], root);
    expect(out.code, out.stderr).toBe(0);
    const result = JSON.parse(out.stdout);
    expect(result).toMatchObject({ valid: true, invalid: false, thrown: "/data/grossTotal" });
    expect(result.billing).toBeLessThan(result.count);
  });

  it("bundled with esbuild, importing one system is smaller than importing the root", async () => {
    const root = await project(
      "bundled",
      { type: "module" },
      {
        "root.js": `import { validate } from "domain-events";\nconst input = ${events()};\nconsole.log(validate(input.valid).ok, validate(input.invalid).ok);\n`,
        "system.js": `import { validate } from "domain-events/existing-business";\nconst input = ${events()};\nconsole.log(validate(input.valid).ok, validate(input.invalid).ok);\n`,
      },
    );
    const sizes: Record<string, number> = {};
    for (const entry of ["root", "system"]) {
      const r = run(
        bin("esbuild"),
        [`${entry}.js`, "--bundle", "--minify", "--platform=node", "--format=esm", `--outfile=out/${entry}.mjs`],
        root,
      );
      expect(r.code, r.stderr).toBe(0);
      sizes[entry] = (await stat(path.join(root, "out", `${entry}.mjs`))).size;
      const out = run(process.execPath, [`out/${entry}.mjs`], root);
      expect(out.stdout.trim()).toBe("true false");
    }
    console.log(`bundle sizes (esbuild --minify): root ${sizes.root} B, one system (existing-business) ${sizes.system} B`);
    expect(sizes.system).toBeLessThan((sizes.root as number) * 0.6);
  });
});
