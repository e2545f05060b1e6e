/**
 * Watch mode (src/commands/watch.ts, rendered by src/cli/render-watch.ts): the diagnostics diff
 * and the rendering as pure functions, the loop's one-run-at-a-time rule on a real folder, and `check --watch` / `build --watch` through the built
 * CLI: edits, an editor's save through a temporary file, deletions, a new folder, SIGINT/SIGTERM.
 * Every wait polls for the output it expects, with a generous deadline; nothing assumes a speed.
 */

import { type ChildProcess, spawn } from "node:child_process";
import { renameSync, writeFileSync } from "node:fs";
import { cp, mkdir, readFile, rm, writeFile } from "node:fs/promises";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { renderWatchFrame, renderWatchRun } from "../src/cli/render-watch.js";
import { diffDiagnostics, lookedFor, notLookedAgain, type WatchFrame, watchLoop, watchTreeRuns } from "../src/commands/watch.js";
import type { Code, Diagnostic, Stage } from "../src/diagnostics/index.js";
import { unevaluatedOf } from "../src/pipeline.js";
import { cli, ROOT, scratch } from "./helpers.js";

const GOLDEN = path.join(ROOT, "test/fixtures/golden/events");
const DEADLINE_MS = 60_000;

const d = (over: Partial<Diagnostic>): Diagnostic => ({
  severity: "error",
  code: "VERSION_GAP",
  file: "events/a/b/c.v3.json",
  pointer: "",
  line: 1,
  column: 1,
  message: "version 3 exists but version 2 does not",
  ...over,
});

/** Polls `probe` until it returns a value, or fails after the deadline with `what`. */
async function until<T>(probe: () => T | undefined, what: () => string, timeoutMs = DEADLINE_MS): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what()}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

describe("diffDiagnostics", () => {
  const gap = d({});
  const title = d({ code: "SCHEMA_TITLE", file: "events/a/b/x.json", pointer: "", message: "an event must have a title" });
  const cases: [string, { before: Diagnostic[]; after: Diagnostic[]; added: Diagnostic[]; resolved: Diagnostic[]; unchanged: number }][] = [
    ["nothing before: everything is new", { before: [], after: [gap, title], added: [gap, title], resolved: [], unchanged: 0 }],
    ["nothing now: everything is resolved", { before: [gap, title], after: [], added: [], resolved: [gap, title], unchanged: 0 }],
    ["the same findings: no change", { before: [gap, title], after: [gap, title], added: [], resolved: [], unchanged: 2 }],
    ["one fixed, one new", { before: [gap], after: [title], added: [title], resolved: [gap], unchanged: 0 }],
    [
      "a finding that moved (another line) is the same finding",
      { before: [gap], after: [{ ...gap, line: 7, column: 3 }], added: [], resolved: [], unchanged: 1 },
    ],
    [
      "another pointer is another finding",
      {
        before: [gap],
        after: [{ ...gap, pointer: "/properties/a" }],
        added: [{ ...gap, pointer: "/properties/a" }],
        resolved: [gap],
        unchanged: 0,
      },
    ],
    [
      "another message is another finding",
      { before: [gap], after: [{ ...gap, message: "other" }], added: [{ ...gap, message: "other" }], resolved: [gap], unchanged: 0 },
    ],
    [
      "another file is another finding",
      { before: [gap], after: [{ ...gap, file: "x" }], added: [{ ...gap, file: "x" }], resolved: [gap], unchanged: 0 },
    ],
    [
      "a repeated finding counts as many times as it occurs",
      { before: [gap, gap], after: [gap], added: [], resolved: [gap], unchanged: 1 },
    ],
  ];
  it.each(cases)("%s", (_name, { before, after, added, resolved, unchanged }) => {
    expect(diffDiagnostics(before, after)).toEqual({ added, resolved, unchanged });
  });
});

describe("renderWatchRun", () => {
  const time = new Date(2026, 0, 2, 3, 4, 5);
  const gap = d({ hint: "rename it" });
  const run = (n: number, diagnostics: Diagnostic[], ok = diagnostics.length === 0) => ({
    run: n,
    time,
    ms: 420,
    ok,
    diagnostics,
    summary: ok ? "checked events: 3 event versions" : "checked events",
  });

  it("prints the first run in full, compiler style, with a status line", () => {
    const text = renderWatchRun("pretty", run(1, [gap]), undefined);
    expect(text.split("\n")).toEqual([
      "events/a/b/c.v3.json:1:1: error VERSION_GAP: version 3 exists but version 2 does not",
      "  hint: rename it",
      "03:04:05 failed: checked events (1 error, 0 warnings), in 0.42 s",
      "",
    ]);
  });

  it("prints only what changed afterwards: new findings, fixed ones, and the counts", () => {
    const title = d({ code: "SCHEMA_TITLE", file: "events/a/b/x.json", line: 2, column: 3, message: "an event must have a title" });
    const text = renderWatchRun("pretty", run(2, [title]), [gap]);
    expect(text).toContain("events/a/b/x.json:2:3: error SCHEMA_TITLE: an event must have a title\n");
    expect(text).toContain("fixed: events/a/b/c.v3.json:1:1 VERSION_GAP: version 3 exists but version 2 does not\n");
    expect(text).not.toContain("error VERSION_GAP");
    expect(text).toMatch(/^03:04:05 failed: checked events \(1 error, 0 warnings\): 1 new, 1 fixed, in 0\.42 s\n$/m);
  });

  it("counts the earlier findings not checked again, without listing them as fixed", () => {
    const unneeded = d({ severity: "warning", code: "COMPAT_VERSION_UNNEEDED", message: "version 3 is fully compatible" });
    const title = d({ code: "SCHEMA_TITLE", file: "events/a/b/x.json", message: "an event must have a title" });
    const text = renderWatchRun("pretty", { ...run(2, [title]), unchecked: [unneeded] }, []);
    expect(text).not.toContain("fixed: ");
    expect(text).toMatch(/: 1 new, 0 fixed, 1 not checked again, in 0\.42 s\n$/);
    const line = JSON.parse(renderWatchRun("json", { ...run(2, [title]), unchecked: [unneeded] }, []));
    expect(line).toMatchObject({ added: [title], resolved: [], unchecked: [unneeded] });
  });

  it("says in one line that nothing changed", () => {
    const text = renderWatchRun("pretty", run(3, [gap]), [gap]);
    expect(text.split("\n")).toEqual(["03:04:05 failed: checked events (1 error, 0 warnings): diagnostics unchanged, in 0.42 s", ""]);
  });

  it("json: one object per line with added and resolved", () => {
    const text = renderWatchRun("json", run(2, []), [gap]);
    expect(text.endsWith("\n")).toBe(true);
    expect(text.trimEnd().split("\n")).toHaveLength(1);
    const line = JSON.parse(text);
    expect(line).toMatchObject({ run: 2, ok: true, errors: 0, warnings: 0, added: [], resolved: [gap], ms: 420 });
    expect(new Date(line.time).getTime()).toBe(time.getTime());
  });

  it("github: annotations for the new findings only", () => {
    const title = d({ code: "SCHEMA_TITLE", file: "events/a/b/x.json", message: "an event must have a title" });
    const text = renderWatchRun("github", run(2, [gap, title], false), [gap]);
    expect(text.match(/^::error /gm)).toHaveLength(1);
    expect(text).toContain("::error file=events/a/b/x.json,line=1,col=1,title=SCHEMA_TITLE::an event must have a title\n");
  });
});

describe("watchLoop", () => {
  it("runs one at a time: changes during a run queue exactly one more run, which sees them all", async () => {
    const dir = await scratch("watch-loop");
    const root = path.join(dir, "tree");
    await mkdir(path.join(root, "sub"), { recursive: true });
    const runs: string[][] = [];
    let active = 0;
    let most = 0;
    let release: () => void = () => {};
    const gate = new Promise<void>((resolve) => {
      release = resolve;
    });
    const stop = new AbortController();
    const done = watchLoop({
      root,
      signal: stop.signal,
      debounceMs: 30,
      run: async (changed) => {
        active++;
        most = Math.max(most, active);
        runs.push([...changed].map((f) => path.relative(root, f)).sort());
        if (runs.length === 2) await gate;
        active--;
      },
    });
    await until(
      () => (runs.length === 1 && active === 0 ? true : undefined),
      () => "the first run",
    );
    expect(runs[0]).toEqual([]);
    await writeFile(path.join(root, "a.json"), "{}");
    await until(
      () => (runs.length === 2 ? true : undefined),
      () => "the run after the first change",
    );
    // While run 2 waits: several changes, one in a folder created meanwhile.
    await writeFile(path.join(root, "sub", "b.json"), "{}");
    await mkdir(path.join(root, "new"));
    await writeFile(path.join(root, "c.json"), "{}");
    release();
    await until(
      () => (runs.length === 3 && active === 0 ? true : undefined),
      () => `the queued run (runs so far: ${JSON.stringify(runs)})`,
    );
    expect(runs[2]).toEqual(expect.arrayContaining(["c.json", "new", path.join("sub", "b.json")]));
    // The folder created during a run is watched from the next run on.
    await writeFile(path.join(root, "new", "d.json"), "{}");
    await until(
      () => (runs.length === 4 ? true : undefined),
      () => `a run for the file in the new folder (runs so far: ${JSON.stringify(runs)})`,
    );
    expect(runs[3]).toEqual([path.join("new", "d.json")]);
    // A folder removed and made again under the same name is watched anew.
    await rm(path.join(root, "sub"), { recursive: true });
    await mkdir(path.join(root, "sub"));
    await until(
      () => (active === 0 && runs.slice(4).some((r) => r.includes("sub")) ? true : undefined),
      () => `a run for the folder made again (runs so far: ${JSON.stringify(runs)})`,
    );
    const seen = runs.length;
    await writeFile(path.join(root, "sub", "e.json"), "{}");
    await until(
      () => (runs.slice(seen).some((r) => r.includes(path.join("sub", "e.json"))) ? true : undefined),
      () => `a run for the file in the folder made again (runs so far: ${JSON.stringify(runs)})`,
    );
    expect(most).toBe(1);
    stop.abort();
    await done;
    await rm(dir, { recursive: true, force: true });
  });
});

/**
 * `check --watch` in this process, on a real tree and the real loop: a frame as the json format
 * prints it, each a promise resolved when its run ends.
 */
class InProcessWatch {
  readonly frames: WatchFrame[] = [];
  private readonly stopper = new AbortController();
  readonly done: Promise<void>;

  constructor(cwd: string) {
    this.done = watchTreeRuns(
      { command: "check", eventsDir: path.join(cwd, "events"), debounceMs: 30 },
      { onFrame: (frame) => this.frames.push(frame), stopSignal: () => this.stopper.signal },
    );
  }

  /** The json line of run `n` (1-based), once it ended. */
  async run(n: number): Promise<{ ok: boolean; added: Diagnostic[]; resolved: Diagnostic[]; unchecked?: Diagnostic[] }> {
    const frame = await until(
      () => this.frames[n - 1],
      () => `run ${n} (frames so far: ${this.frames.length})`,
    );
    return JSON.parse(renderWatchFrame("json", frame).stdout);
  }

  async stop(): Promise<void> {
    this.stopper.abort();
    await this.done;
  }
}

describe("check --watch: a finding is fixed only when what finds it ran again", () => {
  it("an error elsewhere that stops the version chain does not fix the chain's warning", async () => {
    const dir = await goldenCopy("watch-unevaluated");
    const ev = (rel: string) => path.join(dir, "events", rel);
    // An unneeded version: payment-captured.v2 is payment-captured.v1 again (COMPAT_VERSION_UNNEEDED).
    await cp(ev("billing/payment/payment-captured.json"), ev("billing/payment/payment-captured.v2.json"));
    const w = new InProcessWatch(dir);
    const first = await w.run(1);
    expect(first.ok).toBe(true);
    expect(first.added.map((x) => x.code)).toEqual(["COMPAT_VERSION_UNNEEDED"]);

    // A syntax error in an unrelated file: the chain does not run; its warning is not fixed.
    const invoice = await readFile(ev("billing/invoice/invoice-issued.json"), "utf8");
    await writeFile(ev("billing/invoice/invoice-issued.json"), invoice.slice(0, 40));
    const broken = await w.run(2);
    expect(broken.ok).toBe(false);
    expect(broken.added.map((x) => x.code)).toEqual(["PARSE_SYNTAX"]);
    expect(broken.resolved).toEqual([]);
    expect(broken.unchecked?.map((x) => x.code)).toEqual(["COMPAT_VERSION_UNNEEDED"]);
    // Another error while the chain still does not run: the warning stays carried over.
    const payment = await readFile(ev("billing/payment/payment-captured.json"), "utf8");
    const untitled = JSON.parse(payment);
    delete untitled.title;
    await writeFile(ev("billing/payment/payment-captured.json"), JSON.stringify(untitled, null, 2));
    const twice = await w.run(3);
    expect(twice.added.map((x) => x.code)).toEqual(["SCHEMA_TITLE"]);
    expect(twice.resolved).toEqual([]);
    expect(twice.unchecked?.map((x) => x.code)).toEqual(["COMPAT_VERSION_UNNEEDED"]);
    await writeFile(ev("billing/payment/payment-captured.json"), payment);
    const titled = await w.run(4);
    expect(titled.resolved.map((x) => x.code)).toEqual(["SCHEMA_TITLE"]);

    // The syntax error fixed: the warning is back, neither new nor fixed.
    await writeFile(ev("billing/invoice/invoice-issued.json"), invoice);
    const restored = await w.run(5);
    expect(restored.ok).toBe(true);
    expect(restored.added).toEqual([]);
    expect(restored.resolved.map((x) => x.code)).toEqual(["PARSE_SYNTAX"]);
    expect(restored.unchecked).toBeUndefined();

    // Deleting the unneeded version, with the chain running: now the warning is fixed.
    await rm(ev("billing/payment/payment-captured.v2.json"));
    const fixed = await w.run(6);
    expect(fixed.added).toEqual([]);
    expect(fixed.resolved.map((x) => [x.file, x.code])).toEqual([
      [path.relative(process.cwd(), ev("billing/payment/payment-captured.v2.json")).split(path.sep).join("/"), "COMPAT_VERSION_UNNEEDED"],
    ]);
    await w.stop();
    await rm(dir, { recursive: true, force: true });
  });

  it("a file that no longer parses keeps its findings of later rules: not fixed, and not new once it parses", async () => {
    const dir = await goldenCopy("watch-unparsed");
    const file = path.join(dir, "events/billing/payment/payment-captured.json");
    const text = await readFile(file, "utf8");
    const untitled = JSON.parse(text);
    delete untitled.title;
    await writeFile(file, JSON.stringify(untitled, null, 2));
    const w = new InProcessWatch(dir);
    expect((await w.run(1)).added.map((x) => x.code)).toEqual(["SCHEMA_TITLE"]);
    await writeFile(file, JSON.stringify(untitled, null, 2).slice(0, -3));
    const broken = await w.run(2);
    expect(broken.added.map((x) => x.code)).toEqual(["PARSE_SYNTAX"]);
    expect(broken.resolved).toEqual([]);
    expect(broken.unchecked?.map((x) => x.code)).toEqual(["SCHEMA_TITLE"]);
    await writeFile(file, JSON.stringify(untitled, null, 2));
    const parsed = await w.run(3);
    expect(parsed.added).toEqual([]);
    expect(parsed.resolved.map((x) => x.code)).toEqual(["PARSE_SYNTAX"]);
    await writeFile(file, text);
    expect((await w.run(4)).resolved.map((x) => x.code)).toEqual(["SCHEMA_TITLE"]);
    await w.stop();
    await rm(dir, { recursive: true, force: true });
  });
});

describe("unevaluatedOf: what a run with errors did not look for", () => {
  const F = "events/a/b/f.json";
  const G = "events/a/b/g.json";
  const looked = (errors: Diagnostic[], skipped: Stage[], code: Code, file = F) =>
    lookedFor(d({ code, file }), unevaluatedOf(errors, skipped));

  it("a file that did not parse: no later rule saw it; other files were seen", () => {
    const errors = [d({ code: "PARSE_SYNTAX", file: F })];
    expect(looked(errors, [], "SCHEMA_TITLE")).toBe(false);
    expect(looked(errors, [], "SCHEMA_TITLE", G)).toBe(true);
    expect(looked(errors, [], "PARSE_DUPLICATE_KEY")).toBe(true);
  });

  it("another finding of validate in a file: its meta-schema was not checked, nor the whole-tree rules anywhere", () => {
    const errors = [d({ code: "SCHEMA_TITLE", file: F })];
    expect(looked(errors, [], "SCHEMA_META")).toBe(false);
    expect(looked(errors, [], "SCHEMA_META", G)).toBe(true);
    expect(looked(errors, [], "SCHEMA_DESCRIPTION")).toBe(true);
    expect(looked(errors, [], "SCHEMA_REF_CYCLE", G)).toBe(false);
    expect(looked(errors, [], "VERSION_NAME_COLLISION", G)).toBe(false);
  });

  it("a dialect finding at a file's top: only the dialect rules saw it", () => {
    const errors = [d({ code: "SCHEMA_DIALECT", file: F, pointer: "" })];
    expect(looked(errors, [], "SCHEMA_TITLE")).toBe(false);
    expect(looked(errors, [], "SCHEMA_DIALECT")).toBe(true);
  });

  it("whole-tree rules: each saw the whole tree only when no rule before it found an error", () => {
    const cycle = [d({ code: "SCHEMA_REF_CYCLE", file: F })];
    expect(looked(cycle, [], "SCHEMA_REF_CYCLE", G)).toBe(true);
    expect(looked(cycle, [], "SCHEMA_REF_DEPTH", G)).toBe(false);
    expect(looked(cycle, [], "VERSION_NAME_COLLISION", G)).toBe(false);
    const gap = [d({ code: "VERSION_GAP", file: F })];
    expect(looked(gap, [], "SCHEMA_REF_CYCLE", G)).toBe(true);
    expect(looked(gap, [], "VERSION_NAME_COLLISION", G)).toBe(false);
  });

  it("the stages an error kept from running: all their codes", () => {
    const errors = [d({ code: "VERSION_GAP", file: F })];
    expect(looked(errors, ["generate", "compile", "compat"], "COMPAT_VERSION_UNNEEDED", G)).toBe(false);
    expect(looked(errors, ["generate", "compile", "compat"], "SCHEMA_EXAMPLE_INVALID", G)).toBe(false);
    expect(looked(errors, ["generate", "compile", "compat"], "VERSION_EXPLICIT_V1", G)).toBe(true);
  });

  it("warnings stop nothing", () => {
    expect(unevaluatedOf([d({ code: "COMPAT_VERSION_UNNEEDED", severity: "warning" })], [])).toEqual({ codes: [], files: {} });
  });
});

describe("notLookedAgain", () => {
  const unneeded = d({
    severity: "warning",
    code: "COMPAT_VERSION_UNNEEDED",
    file: "events/a/b/c.v2.json",
    message: "version 2 is fully compatible",
  });
  const title = d({ code: "SCHEMA_TITLE", file: "events/a/b/x.json", message: "an event must have a title" });
  const syntax = d({ code: "PARSE_SYNTAX", file: "events/a/b/y.json", message: "unexpected end" });

  it("keeps what a stage that did not run found, and only that", () => {
    const unevaluated = { codes: ["COMPAT_VERSION_UNNEEDED" as const], files: {} };
    expect(notLookedAgain([unneeded, title], [syntax], unevaluated)).toEqual([unneeded]);
  });

  it("keeps what a rule found in a file it did not see", () => {
    const unevaluated = { codes: [], files: { "events/a/b/x.json": ["SCHEMA_TITLE" as const] } };
    expect(notLookedAgain([unneeded, title], [], unevaluated)).toEqual([title]);
  });

  it("a finding reported again is never carried; with everything looked for, nothing is", () => {
    expect(notLookedAgain([unneeded], [unneeded], { codes: ["COMPAT_VERSION_UNNEEDED"], files: {} })).toEqual([]);
    expect(notLookedAgain([unneeded, title], [], undefined)).toEqual([]);
  });

  it("reads only the files it was told of (a file may be named like Object.prototype's keys)", () => {
    const odd = d({ code: "SCHEMA_TITLE", file: "constructor" });
    expect(lookedFor(odd, { codes: [], files: {} })).toBe(true);
    expect(lookedFor(d({ file: "__proto__" }), { codes: [], files: {} })).toBe(true);
  });
});

/** A watch process of the built CLI: its output so far, and ways to wait for more. */
class Watch {
  readonly child: ChildProcess;
  stdout = "";
  stderr = "";
  private exit: Promise<number | null>;

  constructor(cwd: string, args: string[]) {
    this.child = spawn(process.execPath, [path.join(ROOT, "dist", "cli.js"), ...args], { cwd, env: { ...process.env, NO_COLOR: "1" } });
    this.child.stdout?.on("data", (b: Buffer) => {
      this.stdout += b.toString("utf8");
    });
    this.child.stderr?.on("data", (b: Buffer) => {
      this.stderr += b.toString("utf8");
    });
    this.exit = new Promise((resolve) => this.child.once("exit", (code) => resolve(code)));
  }

  /** The JSON lines printed so far (--format json). */
  lines(): { run: number; ok: boolean; errors: number; summary: string; added: Diagnostic[]; resolved: Diagnostic[] }[] {
    return this.stdout
      .split("\n")
      .filter((l) => l.startsWith("{"))
      .map((l) => JSON.parse(l));
  }

  /** Waits for the run after `run`, and returns it. */
  async next(run: number) {
    return until(
      () => this.lines()[run],
      () => `run ${run + 1}; stdout so far:\n${this.stdout}\nstderr:\n${this.stderr}`,
    );
  }

  async waitFor(pattern: RegExp, from = 0): Promise<string> {
    await until(
      () => (pattern.test(this.stdout.slice(from)) ? true : undefined),
      () => `${pattern}; stdout so far:\n${this.stdout}\nstderr:\n${this.stderr}`,
    );
    return this.stdout.slice(from);
  }

  async stop(signal: NodeJS.Signals): Promise<number | null> {
    this.child.kill(signal);
    return this.exit;
  }
}

let running: Watch[] = [];
afterEach(() => {
  for (const w of running) if (w.child.exitCode === null) w.child.kill("SIGKILL");
  running = [];
});

async function goldenCopy(name: string): Promise<string> {
  const dir = await scratch(name);
  await cp(GOLDEN, path.join(dir, "events"), { recursive: true });
  return dir;
}

function start(cwd: string, args: string[]): Watch {
  const w = new Watch(cwd, args);
  running.push(w);
  return w;
}

describe("domain-events check --watch", () => {
  it("reports each change as what is new and what was fixed, and exits 0 on SIGINT", async () => {
    const dir = await goldenCopy("watch-json");
    const ev = (rel: string) => path.join(dir, "events", rel);
    const w = start(dir, ["check", "--watch", "--events", "events", "--format", "json"]);
    const first = await w.next(0);
    expect(first).toMatchObject({ run: 1, ok: true, errors: 0, added: [], resolved: [], summary: "checked events: 3 event versions" });

    // A version gap: exactly that finding is new.
    await writeFile(ev("billing/invoice/invoice-issued.v4.json"), await readFile(ev("billing/invoice/invoice-issued.v2.json")));
    const gap = await w.next(1);
    expect(gap.ok).toBe(false);
    expect(gap.added.map((x) => [x.file, x.code])).toEqual([["events/billing/invoice/invoice-issued.v4.json", "VERSION_GAP"]]);
    expect(gap.resolved).toEqual([]);

    // Deleting the file fixes it.
    await rm(ev("billing/invoice/invoice-issued.v4.json"));
    const fixed = await w.next(2);
    expect(fixed).toMatchObject({ ok: true, added: [] });
    expect(fixed.resolved.map((x) => [x.file, x.code])).toEqual([["events/billing/invoice/invoice-issued.v4.json", "VERSION_GAP"]]);

    // An editor's save: write a temporary file, rename it over the original. One save, one run.
    const original = await readFile(ev("billing/payment/payment-captured.json"), "utf8");
    writeFileSync(ev("billing/payment/.payment-captured.json.tmp"), '{ "title": ');
    renameSync(ev("billing/payment/.payment-captured.json.tmp"), ev("billing/payment/payment-captured.json"));
    const broken = await w.next(3);
    expect(broken.added.map((x) => [x.file, x.code])).toEqual([["events/billing/payment/payment-captured.json", "PARSE_SYNTAX"]]);
    await writeFile(ev("billing/payment/payment-captured.json"), original);
    const restored = await w.next(4);
    expect(restored.resolved.map((x) => x.code)).toEqual(["PARSE_SYNTAX"]);
    expect(restored.ok).toBe(true);

    // A new folder with a new event, then an edit inside that folder (watched since it appeared).
    await mkdir(ev("billing/refund"));
    const refund = JSON.parse(original);
    refund.title = "Refund issued";
    await writeFile(ev("billing/refund/refund-issued.json"), JSON.stringify(refund, null, 2));
    const added = await w.next(5);
    expect(added).toMatchObject({ ok: true, summary: "checked events: 4 event versions", added: [], resolved: [] });
    delete refund.title;
    await writeFile(ev("billing/refund/refund-issued.json"), JSON.stringify(refund, null, 2));
    const untitled = await w.next(6);
    expect(untitled.added.map((x) => [x.file, x.code])).toEqual([["events/billing/refund/refund-issued.json", "SCHEMA_TITLE"]]);

    expect(w.lines()).toHaveLength(7);
    expect(w.lines().map((l) => l.run)).toEqual([1, 2, 3, 4, 5, 6, 7]);
    expect(await w.stop("SIGINT")).toBe(0);
    expect(w.stderr).toContain("watching events for changes");
    await rm(dir, { recursive: true, force: true });
  });

  it("pretty: starts on a broken tree (and keeps running), prints new findings compiler style, then fixed ones; exits 0 on SIGTERM", async () => {
    const dir = await goldenCopy("watch-pretty");
    const gapFile = path.join(dir, "events/billing/invoice/invoice-issued.v4.json");
    await writeFile(gapFile, await readFile(path.join(dir, "events/billing/invoice/invoice-issued.v2.json")));
    const w = start(dir, ["check", "--watch", "--events", "events"]);
    const first = await w.waitFor(/^\d\d:\d\d:\d\d failed: checked events \(1 error, 0 warnings\), in \d+\.\d\d s$/m);
    expect(first).toContain("events/billing/invoice/invoice-issued.v4.json:1:1: error VERSION_GAP:");

    const mark = w.stdout.length;
    await rm(gapFile);
    const next = await w.waitFor(/ ok: checked events: 3 event versions \(0 errors, 0 warnings\): 0 new, 1 fixed, in /, mark);
    expect(next).toMatch(/^fixed: events\/billing\/invoice\/invoice-issued\.v4\.json:1:1 VERSION_GAP: /m);
    expect(next).not.toContain("error VERSION_GAP");

    const mark2 = w.stdout.length;
    const file = path.join(dir, "events/billing/payment/payment-captured.json");
    const text = await readFile(file, "utf8");
    await writeFile(file, text.replace('"Emitted when money was collected."', '"Emitted when the money was collected."'));
    const same = await w.waitFor(/: diagnostics unchanged, in /, mark2);
    expect(same.trimEnd().split("\n")).toHaveLength(1);

    expect(await w.stop("SIGTERM")).toBe(0);
    await rm(dir, { recursive: true, force: true });
  });
});

describe("domain-events build --watch", () => {
  it("rebuilds --out after each good run, and leaves the last good output on errors", async () => {
    const dir = await goldenCopy("watch-build");
    const file = path.join(dir, "events/billing/payment/payment-captured.json");
    const out = path.join(dir, "out");
    const w = start(dir, ["build", "--watch", "--events", "events", "--out", "out", "--format", "json"]);
    const first = await w.next(0);
    expect(first).toMatchObject({ ok: true, summary: "3 event versions, wrote out" });
    const titleOf = async () =>
      (JSON.parse(await readFile(path.join(out, "events.json"), "utf8")) as { type: string; title: string }[]).find(
        (e) => e.type === "billing.payment.payment-captured.v1",
      )?.title;
    expect(await titleOf()).toBe("Payment captured");

    const original = await readFile(file, "utf8");
    await writeFile(file, original.replace('"title": "Payment captured"', '"title": "Payment taken"'));
    const second = await w.next(1);
    expect(second).toMatchObject({ ok: true, summary: "3 event versions, wrote out" });
    expect(await titleOf()).toBe("Payment taken");

    const before = await readFile(path.join(out, "events.json"));
    await writeFile(file, original.replace('"title": "Payment captured",', '"title": "Payment lost"'));
    const third = await w.next(2);
    expect(third.ok).toBe(false);
    expect(third.summary).toBe("nothing written, out keeps the last good build");
    expect(third.added.map((x) => x.code)).toEqual(["PARSE_SYNTAX"]);
    expect(await readFile(path.join(out, "events.json"))).toEqual(before);

    expect(await w.stop("SIGINT")).toBe(0);
    await rm(dir, { recursive: true, force: true });
  });
});

describe("--watch: usage", () => {
  it("is refused by the other commands (exit 2)", () => {
    for (const args of [
      ["catalog", "--watch"],
      ["compat", "a.json", "b.json", "--watch"],
      ["validate", "x.json", "--watch"],
    ]) {
      const r = cli(args);
      expect(r.code, args.join(" ")).toBe(2);
      expect(r.stderr).toContain("--watch does not belong to");
    }
  });

  it("exits 2 when the events folder cannot be watched", async () => {
    const dir = await scratch("watch-missing");
    const r = cli(["check", "--watch", "--events", "no/such/events"], dir);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/watching no\/such\/events failed: .*ENOENT/);
    await rm(dir, { recursive: true, force: true });
  });
});
