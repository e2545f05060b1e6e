/**
 * The output folder contract (docs/security.md), defect by defect (issue 14, part 4):
 * - (a) a folder holding anything the build did not write (by its manifest, not by top-level
 *   names) is refused with exit 2 and left as it was;
 * - (b) a folder the build may not change is refused with exit 2 (never "internal error"), left as
 *   it was, with nothing beside it. Tests run as root, who ignores permissions: the read-only cases
 *   run the CLI as the user nobody (test/support/cli-as-nobody.ts), and a file where the out
 *   folder's parent should be makes the failure real for root too;
 * - (c) a crash (SIGKILL, from test/support/kill-at-rename.mjs, at a rename of the swap) leaves the
 *   old folder or the new one, and the next build restores the old one when the swap was cut;
 * - (d) two builds of different trees into one folder at once are serialised, and every later "up
 *   to date" answer matches what the folder really holds.
 */

import { spawnSync } from "node:child_process";
import { chmod, cp, mkdir, readdir, readFile, rm, writeFile } from "node:fs/promises";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { build } from "../src/pipeline.js";
import { cliInProcess, ROOT, scratch, snapshotDir } from "./helpers.js";

const GOLDEN = path.join(ROOT, "test/fixtures/golden/events");
const MANIFEST = ".domain-events-manifest.json";
const STACK_LINE = /^\s+at .+:\d+:\d+\)?$/m;

/** A scratch folder with two trees: `a` (the golden one) and `b` (the same, one description edited). */
async function trees(name: string): Promise<{ dir: string; a: string; b: string }> {
  const dir = await scratch(name);
  const a = path.join(dir, "a", "events");
  const b = path.join(dir, "b", "events");
  await cp(GOLDEN, a, { recursive: true });
  await cp(GOLDEN, b, { recursive: true });
  const file = path.join(b, "billing/invoice/invoice-issued.json");
  const text = await readFile(file, "utf8");
  expect(text).toContain('"The invoice."');
  await writeFile(file, text.replace('"The invoice."', '"The invoice, edited."'));
  return { dir, a, b };
}

/** Asserts that two snapshots hold the same files with the same bytes. */
function expectSame(after: Map<string, Buffer>, before: Map<string, Buffer>): void {
  expect([...after.keys()].sort()).toEqual([...before.keys()].sort());
  for (const [name, bytes] of before) expect(bytes.equals(after.get(name) as Buffer), name).toBe(true);
}

/** Asserts a refusal: exit 2, one line that names the folder, no "internal error", no stack. */
function expectRefused(r: { code: number; stderr: string }, folder: string): void {
  expect(r.code, r.stderr).toBe(2);
  expect(r.stderr).toContain(folder);
  expect(r.stderr).not.toContain("internal error");
  expect(r.stderr).not.toMatch(STACK_LINE);
  expect(r.stderr.trim().split("\n")).toHaveLength(1);
}

describe("(a) a folder holding what the build did not write is refused", () => {
  it("refuses hand-written files under names the build also uses, in a folder no build wrote", async () => {
    const dir = await scratch("foreign");
    const handWritten: [string, string][] = [
      ["index.js", "// mine\n"],
      ["types/billing.d.cts", "export type Mine = 1;\n"],
    ];
    for (const [name, text] of handWritten) {
      const out = path.join(dir, `out-${path.basename(name)}`);
      await mkdir(path.dirname(path.join(out, name)), { recursive: true });
      await writeFile(path.join(out, name), text);
      const before = await snapshotDir(out);
      const r = await cliInProcess(["build", "--events", GOLDEN, "--out", out]);
      expectRefused(r, out);
      expectSame(await snapshotDir(out), before);
    }
    expect((await readdir(dir)).sort()).toEqual(["out-billing.d.cts", "out-index.js"]);
  });

  it("refuses a folder a build wrote once a file was added, changed or replaced in it; accepts one with a file removed", async () => {
    const dir = await scratch("foreign-built");
    const out = path.join(dir, "out");
    expect((await cliInProcess(["build", "--events", GOLDEN, "--out", out])).code).toBe(0);
    const manifest = JSON.parse(await readFile(path.join(out, MANIFEST), "utf8")) as { files: Record<string, string> };
    expect(Object.keys(manifest.files)).toContain("types/billing.d.cts");
    const built = await snapshotDir(out);

    const changes: [string, () => Promise<void>][] = [
      ["a file added in a folder the build uses", () => writeFile(path.join(out, "types/notes.d.ts"), "export {};\n")],
      ["a built file edited", () => writeFile(path.join(out, "index.js"), "// edited by hand\n")],
      ["an empty folder added", () => mkdir(path.join(out, "mine"))],
    ];
    for (const [what, change] of changes) {
      await change();
      const before = await snapshotDir(out);
      const r = await cliInProcess(["build", "--events", GOLDEN, "--out", out, "--no-cache"]);
      expectRefused(r, out);
      expectSame(await snapshotDir(out), before);
      // Put the folder back as the build left it, for the next case.
      await rm(out, { recursive: true });
      expect((await cliInProcess(["build", "--events", GOLDEN, "--out", out, "--no-cache"])).code, what).toBe(0);
      expectSame(await snapshotDir(out), built);
    }

    // A manifest that lies about a file (the file's bytes differ from its hash) is a changed file.
    await writeFile(path.join(out, "events.json"), "[]\n");
    expectRefused(await cliInProcess(["build", "--events", GOLDEN, "--out", out, "--no-cache"]), out);

    // Removing a built file is no reason to refuse: the build writes it again.
    await rm(out, { recursive: true });
    expect((await cliInProcess(["build", "--events", GOLDEN, "--out", out, "--no-cache"])).code).toBe(0);
    await rm(path.join(out, "index.js"));
    expect((await cliInProcess(["build", "--events", GOLDEN, "--out", out, "--no-cache"])).code).toBe(0);
    expectSame(await snapshotDir(out), built);
    expect((await readdir(dir)).sort()).toEqual(["out"]);
  });

  it("accepts an empty folder and a missing one; refuses a file where the folder should be", async () => {
    const dir = await scratch("empty-out");
    await mkdir(path.join(dir, "empty"));
    expect((await cliInProcess(["build", "--events", GOLDEN, "--out", path.join(dir, "empty")])).code).toBe(0);
    expect((await cliInProcess(["build", "--events", GOLDEN, "--out", path.join(dir, "new/deeper")])).code).toBe(0);
    await writeFile(path.join(dir, "file"), "mine\n");
    expectRefused(await cliInProcess(["build", "--events", GOLDEN, "--out", path.join(dir, "file")]), path.join(dir, "file"));
    expect(await readFile(path.join(dir, "file"), "utf8")).toBe("mine\n");
    expect((await readdir(dir)).sort()).toEqual(["empty", "file", "new"]);
  });
});

/** What a folder holds, but the build cache of the child's working folder. */
async function besideOut(dir: string): Promise<string[]> {
  return (await readdir(dir)).filter((name) => name !== "node_modules").sort();
}

/** Runs the CLI as nobody (see the header). */
function cliAsNobody(args: readonly string[], cwd: string): { code: number; stdout: string; stderr: string } {
  const r = spawnSync(
    process.execPath,
    [path.join(ROOT, "node_modules/tsx/dist/cli.mjs"), path.join(ROOT, "test/support/cli-as-nobody.ts"), ...args],
    { cwd, encoding: "utf8", env: { ...process.env, NO_COLOR: "1" } },
  );
  if (r.status !== 0) throw new Error(`cli-as-nobody failed: ${r.stdout}\n${r.stderr}`);
  return JSON.parse(r.stdout) as { code: number; stdout: string; stderr: string };
}

describe("(b) a folder the build may not change is refused, and left exactly as it was", () => {
  it("a read-only folder inside the out folder, and a read-only out folder (as the user nobody)", async () => {
    const dir = await scratch("read-only");
    await chmod(dir, 0o777);
    const events = path.join(dir, "events");
    await cp(GOLDEN, events, { recursive: true });
    const out = path.join(dir, "out");
    // The build cache goes into dir/node_modules (nobody may not write the repository's).
    const first = cliAsNobody(["build", "--events", events, "--out", out], dir);
    expect(first.code, first.stderr).toBe(0);
    const event = path.join(events, "billing/invoice/invoice-issued.json");
    for (const readOnly of [path.join(out, "types"), out]) {
      // An edit, so that the build has something to write (else it is a no-op, and exits 0).
      await writeFile(event, (await readFile(event, "utf8")).replace('"The invoice', '"The edited invoice'));
      await chmod(readOnly, 0o555);
      const before = await snapshotDir(out);
      const r = cliAsNobody(["build", "--events", events, "--out", out], dir);
      expectRefused(r, out);
      expectSame(await snapshotDir(out), before);
      expect(await besideOut(dir)).toEqual(["events", "out"]);
      await chmod(readOnly, 0o755);
    }
  });

  it("a file where the out folder's parent should be (as root)", async () => {
    const dir = await scratch("parent-file");
    await writeFile(path.join(dir, "parent"), "a file\n");
    const out = path.join(dir, "parent", "out");
    expectRefused(await cliInProcess(["build", "--events", GOLDEN, "--out", out]), out);
    expect((await readdir(dir)).sort()).toEqual(["parent"]);
  });
});

/** Runs a build in a child process that SIGKILLs itself at the given moment of the swap of `out`. */
function buildKilledAt(at: string, events: string, out: string, cwd: string): { signal: NodeJS.Signals | null; status: number | null } {
  const r = spawnSync(
    process.execPath,
    [
      "--import",
      path.join(ROOT, "node_modules/tsx/dist/loader.mjs"),
      "--import",
      path.join(ROOT, "test/support/kill-at-rename.mjs"),
      path.join(ROOT, "src/cli.ts"),
      "build",
      "--events",
      events,
      "--out",
      out,
    ],
    { cwd, encoding: "utf8", env: { ...process.env, NO_COLOR: "1", KILL_AT: at, KILL_OUT: out } },
  );
  return { signal: r.signal, status: r.status };
}

describe("(c) a crash in the middle of the swap", () => {
  for (const at of ["before-move-away", "between-renames", "after-move-in"]) {
    it(`killed ${at}: the next build, even a failing one, leaves the old or the new folder and nothing beside it`, async () => {
      const { dir, a, b } = await trees(`crash-${at}`);
      const out = path.join(dir, "out");
      expect((await cliInProcess(["build", "--events", a, "--out", out])).code).toBe(0);
      const old = await snapshotDir(out);
      const newer = path.join(dir, "newer");
      expect((await cliInProcess(["build", "--events", b, "--out", newer, "--no-cache"])).code).toBe(0);
      const fresh = await snapshotDir(newer);

      expect(buildKilledAt(at, b, out, dir).signal).toBe("SIGKILL");
      // A build that fails its check writes nothing, but first puts the interrupted swap right.
      const bad = path.join(ROOT, "test/fixtures/version-gap/events");
      expect((await cliInProcess(["build", "--events", bad, "--out", out])).code).toBe(1);
      const after = await snapshotDir(out);
      expectSame(after, at === "after-move-in" ? fresh : old);
      expect(await besideOut(dir)).toEqual(["a", "b", "newer", "out"]);

      // And a good build then writes the new folder.
      expect((await cliInProcess(["build", "--events", b, "--out", out])).code).toBe(0);
      expectSame(await snapshotDir(out), fresh);
      expect(await besideOut(dir)).toEqual(["a", "b", "newer", "out"]);
    });
  }
});

describe("(d) concurrent builds into one folder", () => {
  it("two trees built at once into one folder: every later 'up to date' matches what the folder holds", async () => {
    const { dir, a, b } = await trees("concurrent");
    const out = path.join(dir, "out");
    const cache = path.join(dir, "cache");
    const reference = new Map<string, Map<string, string>>();
    for (const events of [a, b]) {
      const r = await build({ eventsDir: events, cacheDir: false, workers: 0 });
      reference.set(events, r.files as Map<string, string>);
    }
    /** The tree whose output the folder holds (by every generated file), or undefined. */
    const holds = async (): Promise<string | undefined> => {
      const now = await snapshotDir(out);
      now.delete(MANIFEST);
      for (const [events, files] of reference) {
        if (now.size === files.size && [...files].every(([name, text]) => now.get(name)?.toString("utf8") === text)) return events;
      }
      return undefined;
    };
    for (let round = 0; round < 3; round++) {
      const both = await Promise.all([a, b].map((events) => build({ eventsDir: events, cacheDir: cache, outDir: out, workers: 0 })));
      for (const r of both) expect(r.ok).toBe(true);
      expect([a, b]).toContain(await holds());
      for (const events of [a, b, a, a, b, b]) {
        const r = await build({ eventsDir: events, cacheDir: cache, outDir: out, workers: 0 });
        expect(r.ok).toBe(true);
        expect(await holds(), `round ${round}: ${path.basename(path.dirname(events))} (up to date: ${r.upToDate})`).toBe(events);
      }
    }
    expect((await readdir(dir)).sort()).toEqual(["a", "b", "cache", "out"]);
  });
});
