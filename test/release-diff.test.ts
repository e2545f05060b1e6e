/**
 * `domain-events diff --against BASELINE`: each rule and each bump, with previous/current trees
 * made from the golden fixture. The baseline is the events.json of the unchanged tree, read as a
 * file and from a packed .tgz.
 */

import { cp, mkdir, readFile, rm, writeFile } from "node:fs/promises";
import path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { main } from "../src/cli/main.js";
import { ROOT, run, scratch } from "./helpers.js";

const GOLDEN = path.join(ROOT, "test/fixtures/golden/events");
const V2 = "billing/invoice/invoice-issued.v2.json";

async function cliInProcess(args: string[], cwd?: string): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = "";
  let stderr = "";
  const before = process.cwd();
  if (cwd) process.chdir(cwd);
  try {
    const code = await main(args, { write: (s: string) => (stdout += s) }, { write: (s: string) => (stderr += s) });
    return { code, stdout, stderr };
  } finally {
    process.chdir(before);
  }
}

let dir: string;
let baseline: string;

beforeAll(async () => {
  dir = await scratch("release-diff");
  const out = path.join(dir, "released");
  expect((await cliInProcess(["build", "--events", GOLDEN, "--out", out])).code).toBe(0);
  baseline = path.join(out, "events.json");
});

/** A copy of the golden tree, changed by `edit`, and the diff of it against the baseline. */
async function diffAfter(name: string, edit: (events: string) => Promise<void>, extra: string[] = []) {
  const events = path.join(dir, name, "events");
  await cp(GOLDEN, events, { recursive: true });
  await edit(events);
  const r = await cliInProcess(["diff", "--against", baseline, "--events", events, "--format", "json", ...extra]);
  return { ...r, report: r.stdout ? JSON.parse(r.stdout) : undefined, events };
}

async function editJson(file: string, change: (json: Record<string, unknown>) => void): Promise<void> {
  const json = JSON.parse(await readFile(file, "utf8"));
  change(json);
  await writeFile(file, JSON.stringify(json, null, 2));
}

describe("diff --against", () => {
  it("no change: bump none, exit 0", async () => {
    const r = await diffAfter("same", async () => {});
    expect(r.code).toBe(0);
    expect(r.report).toMatchObject({ bump: "none", added: [], removed: [], changed: [], diagnostics: [] });
  });

  it("annotations only (description, examples): bump patch", async () => {
    const r = await diffAfter("annotations", (events) =>
      editJson(path.join(events, V2), (j) => {
        j.description = "Emitted when an invoice was issued, reworded.";
        (j.examples as unknown[]).push((j.examples as unknown[])[0]);
      }),
    );
    expect(r.code).toBe(0);
    expect(r.report.bump).toBe("patch");
    expect(r.report.changed).toEqual([{ type: "billing.invoice.invoice-issued.v2", annotationsOnly: true, changes: [] }]);
  });

  it("a newly deprecated version: bump patch, listed as deprecated", async () => {
    const r = await diffAfter("deprecated", (events) =>
      editJson(path.join(events, "billing/payment/payment-captured.json"), (j) => (j.deprecated = true)),
    );
    expect(r.code).toBe(0);
    expect(r.report.bump).toBe("patch");
    expect(r.report.deprecated).toEqual(["billing.payment.payment-captured.v1"]);
  });

  it("a new version: bump minor", async () => {
    const r = await diffAfter("added", async (events) => {
      const v2 = await readFile(path.join(events, V2), "utf8");
      await writeFile(path.join(events, "billing/invoice/invoice-issued.v3.json"), v2);
    });
    expect(r.code).toBe(0);
    expect(r.report).toMatchObject({ bump: "minor", added: ["billing.invoice.invoice-issued.v3"], removed: [], changed: [] });
  });

  it("a validation change to a released version: COMPAT_RELEASED_VERSION_CHANGED naming the file and the changes, exit 1", async () => {
    const r = await diffAfter("changed", (events) =>
      editJson(path.join(events, V2), (j) => {
        (j.required as string[]).push("issuedAt");
      }),
    );
    expect(r.code).toBe(1);
    // Refused: no bump is announced for a release the rules do not allow.
    expect(r.report.bump).toBeNull();
    expect(r.report.changed).toEqual([
      {
        type: "billing.invoice.invoice-issued.v2",
        annotationsOnly: false,
        changes: expect.arrayContaining([expect.objectContaining({ type: expect.stringMatching(/REQUIRED/) })]),
      },
    ]);
    expect(r.report.diagnostics).toEqual([
      expect.objectContaining({
        code: "COMPAT_RELEASED_VERSION_CHANGED",
        severity: "error",
        file: path.relative(process.cwd(), path.join(r.events, V2)),
      }),
    ]);
    expect(r.report.diagnostics[0].hint).toContain("invoice-issued.v3.json");
  });

  it("a removed version: COMPAT_VERSION_REMOVED, exit 1; with --allow-removal a warning and a major bump", async () => {
    const remove = (events: string) => rm(path.join(events, "billing/payment/payment-captured.json"));
    const r = await diffAfter("removed", remove);
    expect(r.code).toBe(1);
    expect(r.report.removed).toEqual(["billing.payment.payment-captured.v1"]);
    expect(r.report.bump).toBeNull();
    expect(r.report.diagnostics).toEqual([expect.objectContaining({ code: "COMPAT_VERSION_REMOVED", severity: "error" })]);
    const allowed = await diffAfter("removed-allowed", remove, ["--allow-removal"]);
    expect(allowed.code).toBe(0);
    expect(allowed.report.bump).toBe("major");
    expect(allowed.report.diagnostics).toEqual([expect.objectContaining({ code: "COMPAT_VERSION_REMOVED", severity: "warning" })]);
  });

  it("writes a Markdown changelog entry", async () => {
    const changelog = path.join(dir, "CHANGELOG.md");
    await writeFile(changelog, "## 0.1.0\n\nFirst release.\n");
    const events = path.join(dir, "changelog", "events");
    await cp(GOLDEN, events, { recursive: true });
    await writeFile(path.join(events, "billing/invoice/invoice-issued.v3.json"), await readFile(path.join(events, V2), "utf8"));
    const r = await cliInProcess(["diff", "--against", baseline, "--events", events, "--changelog", changelog]);
    expect(r.code).toBe(0);
    const text = await readFile(changelog, "utf8");
    expect(text).toMatch(/^## Unreleased \(minor release\)\n\n### Added\n\n- `billing\.invoice\.invoice-issued\.v3` — Invoice issued\n/);
    expect(text).toContain("## 0.1.0\n\nFirst release.\n");
  });

  it("reads the baseline from a packed .tgz of the package", async () => {
    const pkg = path.join(dir, "pkg");
    await mkdir(path.join(pkg, "dist"), { recursive: true });
    await writeFile(
      path.join(pkg, "package.json"),
      JSON.stringify({ name: "domain-events-baseline-test", version: "1.0.0", files: ["dist"] }),
    );
    await cp(baseline, path.join(pkg, "dist/events.json"));
    const packed = run("npm", ["pack", "--json", "--pack-destination", dir], pkg);
    expect(packed.code).toBe(0);
    const tgz = path.join(dir, JSON.parse(packed.stdout)[0].filename);
    const events = path.join(dir, "tgz", "events");
    await cp(GOLDEN, events, { recursive: true });
    const r = await cliInProcess(["diff", "--against", tgz, "--events", events, "--format", "json"]);
    expect(r.stderr).toBe("");
    expect(JSON.parse(r.stdout)).toMatchObject({ bump: "none" });
  });

  it.each([
    [["diff", "--events", GOLDEN]],
    [["diff", "--against", "nothing-here.json", "--events", GOLDEN]],
    [["diff", "--against", "not a spec!", "--events", GOLDEN]],
    [["diff", "--against", "package.json", "--events", GOLDEN]],
  ])("exits 2 when the baseline cannot be read: %j", async (args) => {
    const r = await cliInProcess(args, ROOT);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^domain-events: /);
  });
});

describe("npm run release", () => {
  it("bumps the version by the evolution rules, writes the changelog and records the baseline", async () => {
    const repo = path.join(await scratch("release"), "repo");
    await mkdir(repo);
    for (const f of ["package.json", "package-lock.json", "tsconfig.json", "src", "scripts", "events", "keys", "baseline"]) {
      await cp(path.join(ROOT, f), path.join(repo, f), { recursive: true });
    }
    await (await import("node:fs/promises")).symlink(path.join(ROOT, "node_modules"), path.join(repo, "node_modules"));
    const release = () => run(process.execPath, [path.join(ROOT, "node_modules/tsx/dist/cli.mjs"), "scripts/release.ts"], repo);
    const version = async () => JSON.parse(await readFile(path.join(repo, "package.json"), "utf8")).version as string;
    // The repository may hold changes it has not released yet: they are released first, here only.
    release();
    const before = await version();
    const [major, minor] = before.split(".").map(Number);

    expect(release().stdout).toContain("nothing to release");
    expect(await version()).toBe(before);

    const v2 = path.join(repo, "events/clh/client-account/client-account-renamed.json");
    await writeFile(
      v2.replace(".json", ".v2.json"),
      (await readFile(v2, "utf8")).replace('"properties": {', '"properties": {\n    "zzNew": { "type": "string", "description": "New." },'),
    );
    const r = release();
    expect(r.code, r.stdout + r.stderr).toBe(0);
    const next = `${major}.${(minor as number) + 1}.0`;
    expect(await version()).toBe(next);
    expect(JSON.parse(await readFile(path.join(repo, "package-lock.json"), "utf8")).version).toBe(next);
    expect(await readFile(path.join(repo, "CHANGELOG.md"), "utf8")).toContain(
      `## ${next} (minor release)\n\n### Added\n\n- \`clh.client-account.client-account-renamed.v2\``,
    );
    const recorded = JSON.parse(await readFile(path.join(repo, "baseline/events.json"), "utf8")) as { type: string }[];
    expect(recorded.map((e) => e.type)).toContain("clh.client-account.client-account-renamed.v2");
    expect(release().stdout).toContain("nothing to release");
  });
});

describe("the released-version guard where authors work", () => {
  const editV2 = (events: string) =>
    editJson(path.join(events, V2), (j) => {
      (j.required as string[]).push("issuedAt");
    });

  it("diff's pretty output announces no release for a change it refuses", async () => {
    const events = path.join(dir, "refused-pretty", "events");
    await cp(GOLDEN, events, { recursive: true });
    await editV2(events);
    const r = await cliInProcess(["diff", "--against", baseline, "--events", events]);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain("COMPAT_RELEASED_VERSION_CHANGED");
    expect(r.stdout).not.toMatch(/major release|minor release|patch release/);
  });

  it("check --against refuses a released version edited in place, with diff's code and position", async () => {
    const changed = await diffAfter("guard-against", editV2);
    const fromDiff = changed.report.diagnostics[0];
    const r = await cliInProcess(["check", "--events", changed.events, "--against", baseline, "--format", "json"]);
    expect(r.code).toBe(1);
    const found = JSON.parse(r.stdout).diagnostics.filter((d: { code: string }) => d.code === "COMPAT_RELEASED_VERSION_CHANGED");
    expect(found).toEqual([fromDiff]);
    expect(fromDiff).toMatchObject({ line: expect.any(Number), column: expect.any(Number) });
  });

  it("check finds baseline/events.json beside the events folder by itself, and passes the same tree without one", async () => {
    const root = path.join(dir, "guard-beside");
    const events = path.join(root, "events");
    await cp(GOLDEN, events, { recursive: true });
    await editV2(events);
    expect((await cliInProcess(["check", "--events", events])).code).toBe(0);
    await mkdir(path.join(root, "baseline"), { recursive: true });
    await cp(baseline, path.join(root, "baseline", "events.json"));
    const r = await cliInProcess(["check", "--events", events, "--format", "json"]);
    expect(r.code).toBe(1);
    expect(JSON.parse(r.stdout).diagnostics).toEqual([
      expect.objectContaining({ code: "COMPAT_RELEASED_VERSION_CHANGED", file: path.relative(process.cwd(), path.join(events, V2)) }),
    ]);
  });

  it("check passes an annotation change to a released version, as diff does", async () => {
    const root = path.join(dir, "guard-annotations");
    const events = path.join(root, "events");
    await cp(GOLDEN, events, { recursive: true });
    await editJson(path.join(events, V2), (j) => {
      j.description = "Reworded.";
    });
    const r = await cliInProcess(["check", "--events", events, "--against", baseline]);
    expect(r.code).toBe(0);
  });
});
