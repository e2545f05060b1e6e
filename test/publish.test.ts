/**
 * Publishing, for real: the built package (dist/, as `npm run build` left it; `npm test` builds
 * first) is packed and published to a local npm registry (Verdaccio 6.8, tools/local-registry/,
 * configured like the public registry: a published version is final, nothing can be unpublished,
 * nothing is proxied). A second publish of the same version is refused, by npm and by the registry
 * itself; unpublishing is refused; then a fresh consumer installs the published tarball from the
 * registry and runs it: validators (ESM and CommonJS) and the CLI.
 *
 * Needs tools/local-registry installed: the test runs `npm ci --prefix tools/local-registry` itself
 * when Verdaccio is missing (support/prerequisites.ts); fails, never skips, when that cannot be done.
 * Network: 127.0.0.1 only, except the consumer's install, which takes the package's own
 * dependencies (ajv …) from the configured npm registry (--prefer-offline: npm's cache first).
 */

import { spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { readFile, rm, writeFile } from "node:fs/promises";
import path from "node:path";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { envelope, ROOT, scratch } from "./helpers.js";
import { ensureLocalRegistry, INSTALL_TIMEOUT_MS as PREREQUISITE_TIMEOUT_MS } from "./support/prerequisites.js";
import { type Registry, registryMissing, startRegistry } from "./support/registry.js";

/** The whole file stays within this (vitest has no per-file timeout: each step gets a share). */
const FILE_BUDGET_MS = 180_000;
const STEP_TIMEOUT_MS = 60_000;
const INSTALL_TIMEOUT_MS = 120_000;

const pkg = JSON.parse(await readFile(path.join(ROOT, "package.json"), "utf8")) as { name: string; version: string };
const spec = `${pkg.name}@${pkg.version}`;

interface Result {
  code: number;
  stdout: string;
  stderr: string;
}

/**
 * Runs a command without blocking the event loop (so vitest's timeouts hold) and kills it after
 * `timeoutMs`. npm's update notifier, audit and funding messages are off.
 */
function run(command: string, args: readonly string[], cwd: string, timeoutMs = STEP_TIMEOUT_MS): Promise<Result> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, {
      cwd,
      env: { ...process.env, NO_COLOR: "1", npm_config_update_notifier: "false", npm_config_fund: "false", npm_config_audit: "false" },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d: Buffer) => {
      stdout += d.toString("utf8");
    });
    child.stderr.on("data", (d: Buffer) => {
      stderr += d.toString("utf8");
    });
    const timer = setTimeout(() => {
      child.kill("SIGKILL");
      reject(new Error(`timed out after ${timeoutMs / 1000} s: ${command} ${args.join(" ")}\n${stdout}\n${stderr}`));
    }, timeoutMs);
    child.on("error", (e) => {
      clearTimeout(timer);
      reject(e);
    });
    child.on("close", (code, signal) => {
      clearTimeout(timer);
      resolve({ code: code ?? (signal ? 128 : -1), stdout, stderr });
    });
  });
}

/** Shows a failed command's output in the assertion message. */
function show(r: Result): string {
  return `exit ${r.code}\n--- stdout\n${r.stdout}\n--- stderr\n${r.stderr}`;
}

const timings: [string, number][] = [];
async function timed<T>(step: string, fn: () => Promise<T>): Promise<T> {
  const started = performance.now();
  try {
    return await fn();
  } finally {
    timings.push([step, performance.now() - started]);
  }
}

describe(`publishing ${spec} to a local npm registry`, { timeout: STEP_TIMEOUT_MS }, () => {
  let fileStarted = performance.now();
  let registry: Registry | undefined;
  let work = "";
  let tarball = "";
  let packed: { integrity: string; files: { path: string }[] } | undefined;
  let published: { version: string; dist: { tarball: string; integrity: string } } | undefined;
  let consumer = "";
  let failed = false;

  /** npm against the local registry only (see Registry.npmArgs). */
  const npm = (args: readonly string[], cwd = work) => run("npm", [...args, ...registry!.npmArgs], cwd);

  beforeAll(async () => {
    await timed("install the registry (once)", ensureLocalRegistry);
    fileStarted = performance.now();
    const missing = registryMissing();
    if (missing) throw new Error(missing);
    if (!existsSync(path.join(ROOT, "dist/index.js"))) throw new Error("dist/ is missing: run `npm run build` first (npm test does)");
    work = await scratch("publish");
    registry = await timed("start the registry", () => startRegistry({ startTimeoutMs: 30_000 }));
    expect(registry.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/$/);
  }, PREREQUISITE_TIMEOUT_MS + 60_000);

  beforeEach(({ onTestFailed }) => {
    onTestFailed(() => {
      failed = true;
    });
  });

  afterAll(async () => {
    await timed("stop the registry", async () => registry?.stop());
    // The scratch folders (the consumer holds ~100 MB of node_modules) stay only for a failure.
    if (failed) console.log(`kept for inspection: ${[work, consumer].filter(Boolean).join(", ")}`);
    else for (const dir of [work, consumer]) if (dir) await rm(dir, { recursive: true, force: true });
    const total = performance.now() - fileStarted;
    const lines = timings.map(([step, ms]) => `  ${(ms / 1000).toFixed(1).padStart(6)} s  ${step}`);
    console.log(
      `publish.test.ts timings (budget ${FILE_BUDGET_MS / 1000} s):\n${lines.join("\n")}\n  ${(total / 1000).toFixed(1).padStart(6)} s  in all`,
    );
    expect(total, "the publishing test exceeded its budget").toBeLessThan(FILE_BUDGET_MS);
  }, 30_000);

  it("packs the built package", async () => {
    // --ignore-scripts, here and for every publish below: the test publishes exactly what
    // `npm run build` produced, and lifecycle scripts must not run (prepack/prepare would rebuild; a
    // prepublishOnly that runs `npm test` would run this very test again, recursively).
    const r = await timed("npm pack", () => run("npm", ["pack", "--ignore-scripts", "--json", "--pack-destination", work], ROOT));
    expect(r.code, show(r)).toBe(0);
    const [info] = JSON.parse(r.stdout) as { filename: string; integrity: string; files: { path: string }[] }[];
    packed = info!;
    tarball = path.join(work, info!.filename);
    expect(existsSync(tarball)).toBe(true);
    expect(packed.files.map((f) => f.path)).toEqual(
      expect.arrayContaining(["package.json", "dist/index.js", "dist/index.cjs", "dist/index.d.ts", "dist/cli.js", "dist/events.json"]),
    );
  });

  it("publishes it", async () => {
    expect(packed, "npm pack failed").toBeDefined();
    // --provenance=false: a `publishConfig.provenance` meant for the real release must not apply here.
    const r = await timed("npm publish", () => npm(["publish", tarball, "--ignore-scripts", "--provenance=false"]));
    expect(r.code, show(r)).toBe(0);
    expect(r.stdout).toContain(`+ ${spec}`);
    expect(r.stderr).toContain(`Publishing to ${registry!.url}`);

    const v = await timed("npm view", () => npm(["view", spec, "version", "dist", "--json"]));
    expect(v.code, show(v)).toBe(0);
    published = JSON.parse(v.stdout);
    expect(published!.version).toBe(pkg.version);
    expect(published!.dist.integrity).toBe(packed!.integrity);
    expect(published!.dist.tarball).toBe(`${registry!.url}${pkg.name}/-/${pkg.name}-${pkg.version}.tgz`);
  });

  it("refuses a second publish of the same version: npm itself, and the registry (409) when npm is forced", async () => {
    expect(published, "the first publish failed").toBeDefined();
    const again = await timed("npm publish, again", () => npm(["publish", tarball, "--ignore-scripts", "--provenance=false"]));
    expect(again.code, show(again)).not.toBe(0);
    expect(again.stderr).toContain(`You cannot publish over the previously published versions: ${pkg.version}.`);

    // --force skips npm's own check, so the registry has to refuse the upload itself.
    const forced = await timed("npm publish --force, again", () =>
      npm(["publish", tarball, "--ignore-scripts", "--provenance=false", "--force"]),
    );
    expect(forced.code, show(forced)).not.toBe(0);
    expect(forced.stderr).toMatch(/E409|409 Conflict/);
    expect(forced.stderr).toContain("this package is already present");

    const v = await npm(["view", pkg.name, "versions", "dist.integrity", "--json"]);
    expect(v.code, show(v)).toBe(0);
    expect(JSON.parse(v.stdout)).toEqual({ versions: [pkg.version], "dist.integrity": packed!.integrity });
  });

  it("refuses to unpublish", async () => {
    expect(published, "the first publish failed").toBeDefined();
    const r = await timed("npm unpublish", () => npm(["unpublish", spec, "--force"]));
    expect(r.code, show(r)).not.toBe(0);
    expect(r.stderr).toMatch(/E403/);
    expect(r.stderr).toContain(`user ${registry!.user} is not allowed to unpublish package ${pkg.name}`);

    const v = await npm(["view", spec, "version"]);
    expect(v.code, show(v)).toBe(0);
    expect(v.stdout.trim()).toBe(pkg.version);
  });

  it("installs from the registry into a fresh consumer, which validates events and runs the CLI", {
    timeout: INSTALL_TIMEOUT_MS + 30_000,
  }, async () => {
    expect(published, "the first publish failed").toBeDefined();
    consumer = await scratch("consumer");
    await writeFile(
      path.join(consumer, "package.json"),
      `${JSON.stringify({ name: "consumer", private: true, type: "module" }, null, 2)}\n`,
    );

    // The registry proxies nothing (`uplinks: {}`), so it cannot serve ajv and the other
    // dependencies, and npm has no per-package registry for an unscoped name: the consumer installs
    // the tarball the registry published (the URL `npm install domain-events@<version> --registry`
    // resolves to, checked above), and its dependencies from the configured npm registry.
    const install = await timed("consumer: npm install", () =>
      run(
        "npm",
        [
          "install",
          published!.dist.tarball,
          "--prefer-offline",
          "--no-audit",
          "--no-fund",
          `--noproxy=${["127.0.0.1", process.env.NO_PROXY ?? process.env.no_proxy].filter(Boolean).join(",")}`,
        ],
        consumer,
        INSTALL_TIMEOUT_MS,
      ),
    );
    expect(install.code, show(install)).toBe(0);
    const lock = JSON.parse(await readFile(path.join(consumer, "package-lock.json"), "utf8")) as {
      packages: Record<string, { version?: string; resolved?: string; integrity?: string }>;
    };
    expect(lock.packages[`node_modules/${pkg.name}`]).toMatchObject({
      version: pkg.version,
      resolved: published!.dist.tarball,
      integrity: packed!.integrity,
    });
    // Every dependency is in the consumer's own tree (the consumer lies under the repository, whose
    // node_modules must not stand in for a dependency the package forgot to declare).
    const ls = await run("npm", ["ls", "--all", "--json"], consumer);
    expect(ls.code, show(ls)).toBe(0);
    const installed = JSON.parse(await readFile(path.join(consumer, "node_modules", pkg.name, "package.json"), "utf8")) as {
      dependencies?: Record<string, string>;
    };
    for (const dep of Object.keys(installed.dependencies ?? {})) {
      expect(existsSync(path.join(consumer, "node_modules", dep, "package.json")), `${dep} installed in the consumer`).toBe(true);
    }

    // One valid and one invalid event: the first entry of the installed events.json, with the first
    // example of its schema in our events/ tree, in the envelope; then without a required property.
    const [first] = JSON.parse(await readFile(path.join(consumer, "node_modules", pkg.name, "dist/events.json"), "utf8")) as {
      type: string;
      system: string;
      topic: string;
      event: string;
      version: number;
    }[];
    const file = path.join(
      ROOT,
      "events",
      first!.system,
      first!.topic,
      `${first!.event}${first!.version > 1 ? `.v${first!.version}` : ""}.json`,
    );
    const schema = JSON.parse(await readFile(file, "utf8")) as { examples: Record<string, unknown>[]; required: string[] };
    const system = JSON.parse(await readFile(path.join(ROOT, "events", first!.system, "system.json"), "utf8")) as { source: string };
    const valid = envelope(first!.type, schema.examples[0], { source: system.source });
    const missing = schema.required[0]!;
    const { [missing]: _dropped, ...data } = schema.examples[0]!;
    const invalid = envelope(first!.type, data, { source: system.source });
    await writeFile(path.join(consumer, "samples.json"), JSON.stringify([valid, invalid]));
    await writeFile(
      path.join(consumer, "check.js"),
      `import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { fileURLToPath } from "node:url";
import { events, validate } from ${JSON.stringify(pkg.name)};

const [valid, invalid] = JSON.parse(readFileSync("samples.json", "utf8"));
const cjs = createRequire(import.meta.url)(${JSON.stringify(pkg.name)});
const a = validate(valid);
const b = validate(invalid);
console.log(JSON.stringify({
  resolved: fileURLToPath(import.meta.resolve(${JSON.stringify(pkg.name)})),
  events: events.length,
  valid: { ok: a.ok, type: a.ok ? a.event.type : null },
  invalid: { ok: b.ok, errors: b.ok ? [] : b.errors.map((e) => ({ pointer: e.pointer, keyword: e.keyword, params: e.params })) },
  cjs: { events: cjs.events.length, valid: cjs.validate(valid).ok, invalid: cjs.validate(invalid).ok },
}));
`,
    );
    const r = await timed("consumer: node check.js", () => run(process.execPath, ["check.js"], consumer));
    expect(r.code, show(r)).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(out.resolved).toBe(path.join(consumer, "node_modules", pkg.name, "dist/index.js"));
    expect(out.events).toBeGreaterThan(0);
    expect(out.valid).toEqual({ ok: true, type: first!.type });
    expect(out.invalid.ok).toBe(false);
    expect(out.invalid.errors).toContainEqual(
      expect.objectContaining({ pointer: "/data", keyword: "required", params: { missingProperty: missing } }),
    );
    expect(out.cjs).toEqual({ events: out.events, valid: true, invalid: false });

    // The installed CLI. --no: never download a package of that name should it be missing; `--`:
    // without it, `npx --no domain-events --version` answers npm's own version.
    const cli = await timed("consumer: npx domain-events --version", () =>
      run("npx", ["--no", "--", "domain-events", "--version"], consumer),
    );
    expect(cli.code, show(cli)).toBe(0);
    expect(cli.stdout.trim()).toBe(pkg.version);
  });
});
