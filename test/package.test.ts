/**
 * The package as npm ships it: publint and arethetypeswrong are clean, the tarball holds exactly
 * what should ship, and real consumer projects install the packed tarball and use it: an ESM
 * TypeScript project (nodenext, strict), a CommonJS project, and bundled ones (esbuild), where
 * importing one system must give a smaller bundle than importing the root. The consumer matrix
 * type-checks one service's code under every `module` setting (commonjs, node16, nodenext,
 * bundler), from ESM and from CommonJS projects, with skipLibCheck off: the package's own
 * declarations must be free of errors wherever a service compiles them.
 *
 * The tarball is packed once for the whole file (in a temporary folder outside the repository, so
 * that resolution cannot find the repository's own node_modules).
 */

import { mkdir, mkdtemp, readdir, readFile, rm, stat, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { envelope, ROOT, run, scratch } from "./helpers.js";

const bin = (name: string) => path.join(ROOT, "node_modules/.bin", name);
const tscPath = path.join(ROOT, "node_modules/typescript/bin/tsc");

/** The folder the tarball is packed into (consumer projects live beside it), the tarball, its files. */
let dir: string;
let tarball: string;
let packedFiles: string[];

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), "domain-events-consumers-"));
  const packed = run("npm", ["pack", "--json", "--pack-destination", dir]);
  expect(packed.code, packed.stderr).toBe(0);
  const [info] = JSON.parse(packed.stdout) as { filename: string; files: { path: string }[] }[];
  tarball = path.join(dir, info?.filename as string);
  packedFiles = (info?.files ?? []).map((f) => f.path).sort();
});

afterAll(async () => {
  if (dir) await rm(dir, { recursive: true, force: true });
});

/** The module resolutions attw checks, by its names: node10 reads `typesVersions`, the others `exports`. */
const RESOLUTIONS = ["node10", "node16-cjs", "node16-esm", "bundler"] as const;

/** The part of attw's JSON report read here. */
interface AttwReport {
  analysis: {
    problems: unknown[];
    entrypoints: Record<string, { resolutions: Record<string, { resolution?: { fileName: string } }> }>;
  };
}

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

  it("arethetypeswrong is clean for every entry under node10, node16 (from CommonJS and ESM) and bundler", async () => {
    // attw's default profile: node16's (node16 from CJS and ESM, bundler) and node10, which ignores
    // `exports` and finds the subpaths through `typesVersions`.
    const codeEntries = [".", ...(await systems()).map((s) => `./${s}`), "./cleanup"];
    const jsonEntries = ["./events.json", "./asyncapi.json", "./cleanup.json", "./package.json"];
    // attw's report goes to a file: written to a pipe, it is cut short when attw exits 1 (problems
    // found), and the test would show a JSON syntax error instead of the problems.
    const out = path.join(await scratch("attw"), "report.json");
    const args = [tarball, "--format", "json", "--include-entrypoints", ...codeEntries.slice(1)].map((a) => `'${a}'`).join(" ");
    const r = run("sh", ["-c", `'${bin("attw")}' ${args} > '${out}'`]);
    const report = JSON.parse(await readFile(out, "utf8")) as AttwReport;
    expect(report.analysis.problems).toEqual([]);
    expect(r.code, r.stderr).toBe(0);
    // attw finds no problem in a package without types at all: each entry must resolve to its declarations.
    const resolved = (entry: string, kind: string) =>
      report.analysis.entrypoints[entry]?.resolutions[kind]?.resolution?.fileName ?? `${entry}: no resolution under ${kind}`;
    for (const entry of codeEntries) {
      for (const kind of ["node10", "node16-esm", "bundler"]) expect(resolved(entry, kind)).toMatch(/\.d\.ts$/);
      expect(resolved(entry, "node16-cjs")).toMatch(/\.d\.cts$/);
    }
    for (const entry of jsonEntries) for (const kind of RESOLUTIONS) expect(resolved(entry, kind)).toMatch(/\.json$/);
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
    const perSystem = (await systems()).flatMap((s) => [
      ...["cjs", "d.cts", "d.ts", "js", "list.json", "load.cjs"].map((ext) => `dist/systems/${s}.${ext}`),
      `dist/types/${s}.d.cts`,
    ]);
    const types = (JSON.parse(await readFile(path.join(ROOT, "dist/events.json"), "utf8")) as { type: string }[]).map((e) => e.type);
    const perEvent = types.map((t) => `dist/validators/${t}.cjs`);
    expect(packedFiles).toEqual(
      [
        "README.md",
        "dist/asyncapi.json",
        "dist/cleanup.cjs",
        "dist/cleanup.d.cts",
        "dist/cleanup.d.ts",
        "dist/cleanup.js",
        "dist/cleanup.json",
        "dist/build-worker.js",
        "dist/cli.js",
        "dist/events.json",
        "dist/index.cjs",
        "dist/index.d.cts",
        "dist/index.d.ts",
        "dist/index.js",
        "dist/list.json",
        "dist/load.cjs",
        "dist/runtime.cjs",
        "dist/types/_api.d.cts",
        "dist/types/_shared.d.cts",
        "dist/validators/_shared.cjs",
        ...perSystem,
        ...perEvent,
        "package.json",
      ].sort(),
    );
  });
});

describe("consumers install the packed tarball", () => {
  const invoice = "existing-business.invoice.invoice-issued.v2";
  let example: unknown;

  beforeAll(async () => {
    example = JSON.parse(await readFile(path.join(ROOT, "events/existing-business/invoice/invoice-issued.v2.json"), "utf8")).examples[0];
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
    const tsc = run(process.execPath, [tscPath, "-p", "."], root);
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
    const tsc = run(process.execPath, [tscPath, "-p", "."], root);
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

  /**
   * The consumer matrix: one service's code type-checked under each `module` setting a TypeScript
   * project may have, from an ESM and a CommonJS project (the `type` of the project's package.json
   * decides how node16 and nodenext read its .ts files, and so which of the package's conditions
   * and declarations they get). `module: commonjs` is listed for CommonJS projects only: it emits
   * `require` calls that Node would not run as ES modules. One install is shared: both projects are
   * folders of one project, and node_modules is found above them.
   *
   * `module: commonjs` resolves as node10, which ignores `exports`: package.json's `typesVersions`
   * gives it the subpaths (`*` to dist/systems/*.d.ts, `cleanup`, the JSON files). Its entry
   * `dist/index.d.ts` maps the root's `types` to itself: node10 runs the `types` path through the
   * same patterns, and `*` would otherwise capture it. (typesVersions rather than a stub folder
   * per system: the systems come from the events tree, and folders at the package's top level
   * would have to be generated there and listed in `files`.)
   */
  describe("the consumer matrix: every module setting type-checks with skipLibCheck off", () => {
    const SETTINGS = [
      { project: "cjs", module: "commonjs", moduleResolution: "node10" },
      { project: "esm", module: "node16", moduleResolution: "node16" },
      { project: "cjs", module: "node16", moduleResolution: "node16" },
      { project: "esm", module: "nodenext", moduleResolution: "nodenext" },
      { project: "cjs", module: "nodenext", moduleResolution: "nodenext" },
      { project: "esm", module: "esnext", moduleResolution: "bundler" },
      { project: "cjs", module: "preserve", moduleResolution: "bundler" },
    ] as const;
    let root: string;

    beforeAll(async () => {
      root = await project(
        "matrix",
        {},
        {
          "esm/package.json": JSON.stringify({ type: "module" }),
          "esm/service.ts": SERVICE,
          "cjs/package.json": JSON.stringify({ type: "commonjs" }),
          "cjs/service.ts": SERVICE,
        },
      );
    });

    for (const setting of SETTINGS) {
      const { project: kind, ...options } = setting;
      it(`module ${options.module} (moduleResolution ${options.moduleResolution}), ${kind === "esm" ? "ESM" : "CommonJS"} project`, async () => {
        const config = `tsconfig.${options.module}.json`;
        // No DOM lib (a service on Node), which also halves the time tsc takes.
        const compilerOptions = {
          ...options,
          target: "es2022",
          lib: ["es2022"],
          strict: true,
          skipLibCheck: false,
          noEmit: true,
          types: [],
        };
        await writeFile(path.join(root, kind, config), JSON.stringify({ compilerOptions, files: ["service.ts"] }));
        const tsc = run(process.execPath, [tscPath, "-p", config], path.join(root, kind));
        expect(tsc.stdout + tsc.stderr).toBe("");
        expect(tsc.code).toBe(0);
      });
    }
  });
});

/**
 * A service's code for the consumer matrix: the root, a system's subpath and the cleanup subpath,
 * narrowing on event.type, validate, parseEvent and the error class. The @ts-expect-error lines
 * fail the check (unused) if a declaration degrades to `any`.
 */
const SERVICE = `import { type DomainEvent, EventValidationError, type EventOf, events, isDomainEvent, parseEvent, validate, validators } from "domain-events";
import { EventValidationError as BillingError, type InvoiceIssuedV2, events as billingEvents, validate as validateBilling } from "domain-events/existing-business";
import { type DeletionPlan, deletionPlan, isCleanupSignal, SIGNAL_TYPE } from "domain-events/cleanup";

export function describe(event: DomainEvent): string {
  switch (event.type) {
    case "existing-business.invoice.invoice-issued.v2": {
      const invoice: InvoiceIssuedV2 = event;
      return invoice.data.grossTotal.currency;
    }
    default: {
      // @ts-expect-error a type is a string, never a number
      const wrong: number = event.type;
      return String(wrong);
    }
  }
}

export function handle(raw: unknown): string {
  const result = validate(raw);
  if (!result.ok) return result.errors.map((e) => e.pointer + " " + e.message).join("; ");
  return describe(result.event);
}

export function strict(raw: unknown): DomainEvent | string {
  try {
    return parseEvent(raw);
  } catch (e) {
    // One class: what a system's subpath throws is the root's EventValidationError.
    const same: typeof EventValidationError = BillingError;
    if (e instanceof same) return e.errors.map((issue) => issue.keyword).join(", ");
    throw e;
  }
}

export const one: EventOf<"existing-business.invoice.invoice-issued.v2"> | undefined = (() => {
  const r = validators["existing-business.invoice.invoice-issued.v2"]({});
  return r.ok ? r.event : undefined;
})();
export const billing: boolean = validateBilling({}).ok && isDomainEvent({}) && billingEvents.length < events.length;
// @ts-expect-error a system's events are its own: comparing with another system's type is an error
export const other = validateBilling({}).ok ? billingEvents[0]?.type === "clh.client-account.client-account-created.v2" : false;
export const plan: DeletionPlan | string = isCleanupSignal({}) ? SIGNAL_TYPE : deletionPlan("ClientAccount");
`;
