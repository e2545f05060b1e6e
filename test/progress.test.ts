/**
 * Progress on long work (cli/progress.ts, model/progress.ts): the line is drawn in place, throttled,
 * erased before the result, and never drawn where a person is not watching a terminal; the
 * pipeline's compile stage reports its units done of all and what the cache gave; and the CLI's
 * output off a terminal is byte for byte what it was. A fake clock drives the renderer: no test
 * looks at the real time.
 */

import { cp, readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { main } from "../src/cli/main.js";
import { type ProgressClock, ProgressLine, progressText, wantsProgress } from "../src/cli/progress.js";
import type { ProgressEvent } from "../src/model/progress.js";
import { build, check } from "../src/pipeline.js";
import { cliInProcess, ROOT, scratch } from "./helpers.js";

const GOLDEN = path.join(ROOT, "test/fixtures/golden/events");
const CLEAR = "\r\x1b[K";

/** A clock whose time moves only when told, and whose timers fire then. */
function fakeClock(): ProgressClock & { advance(ms: number): void; busy(ms: number): void; pending(): number } {
  let time = 0;
  let timers: { at: number; fn: () => void }[] = [];
  return {
    now: () => time,
    later(fn, ms) {
      const timer = { at: time + ms, fn };
      timers.push(timer);
      return () => {
        timers = timers.filter((t) => t !== timer);
      };
    },
    advance(ms) {
      const end = time + ms;
      for (;;) {
        const next = timers.filter((t) => t.at <= end).sort((a, b) => a.at - b.at)[0];
        if (!next) break;
        timers = timers.filter((t) => t !== next);
        time = next.at;
        next.fn();
      }
      time = end;
    },
    /** Time passes while the thread is busy: no timer fires. */
    busy(ms) {
      time += ms;
    },
    pending: () => timers.length,
  };
}

/** A terminal that records each write. */
function fakeTerminal(columns = 120): { isTTY: true; columns: number; writes: string[]; write(text: string): void } {
  const writes: string[] = [];
  return { isTTY: true, columns, writes, write: (text) => void writes.push(text) };
}

/** What a terminal shows at the end: each \r goes back to the start of the row, \x1b[K clears the rest of it. */
function screen(bytes: string): string {
  const lines: string[] = [];
  let row = "";
  let col = 0;
  for (let i = 0; i < bytes.length; i++) {
    if (bytes.startsWith("\x1b[K", i)) {
      row = row.slice(0, col);
      i += 2;
    } else if (bytes[i] === "\r") col = 0;
    else if (bytes[i] === "\n") {
      lines.push(row);
      row = "";
      col = 0;
    } else {
      row = row.slice(0, col) + bytes[i] + row.slice(col + 1);
      col++;
    }
  }
  return [...lines, row].join("\n");
}

const compiling = (done: number): ProgressEvent => ({ stage: "compile", done, total: 1017, cached: 600 });

describe("the progress line", () => {
  it.each<[ProgressEvent, string]>([
    [{ stage: "discover" }, "domain-events: reading the events tree"],
    [{ stage: "parse", total: 1311 }, "domain-events: parsing 1311 files"],
    [compiling(700), "domain-events: compiling 700/1017 schemas, 600 from the cache"],
    [{ stage: "compile", done: 3, total: 4, cached: 0 }, "domain-events: compiling 3/4 schemas"],
    [{ stage: "emit", total: 12 }, "domain-events: writing 12 files"],
    [{ stage: "something-new", done: 1, total: 2 }, "domain-events: something-new 1/2 items"],
  ])("says %j as %j", (event, text) => {
    expect(progressText(event)).toBe(text);
  });

  it("fits in the terminal's width, one column short (a wrapped row cannot be rewritten)", () => {
    expect(progressText(compiling(700), 20)).toBe("domain-events: comp");
  });

  it("draws nothing during the first 300 ms: a short run prints nothing at all", () => {
    const clock = fakeClock();
    const tty = fakeTerminal();
    const line = new ProgressLine(tty, clock);
    line.update({ stage: "discover" });
    clock.advance(100);
    line.update(compiling(600));
    clock.advance(150);
    line.finish();
    clock.advance(1000);
    expect(tty.writes).toEqual([]);
    expect(clock.pending()).toBe(0);
  });

  it("draws the latest report once the moment has passed, in place, and erases it at the end", () => {
    const clock = fakeClock();
    const tty = fakeTerminal();
    const line = new ProgressLine(tty, clock);
    line.update({ stage: "discover" });
    clock.advance(200);
    line.update(compiling(600));
    expect(tty.writes).toEqual([]);
    // The timer set by the first report draws what is latest when it fires.
    clock.advance(100);
    expect(tty.writes).toEqual([`\rdomain-events: compiling 600/1017 schemas, 600 from the cache\x1b[K`]);
    clock.advance(500);
    line.update(compiling(650));
    line.finish();
    expect(tty.writes.slice(1)).toEqual([`\rdomain-events: compiling 650/1017 schemas, 600 from the cache\x1b[K`, CLEAR]);
    for (const write of tty.writes) {
      expect(write.startsWith("\r")).toBe(true);
      expect(write.endsWith("\x1b[K")).toBe(true);
      expect(write).not.toContain("\n");
    }
    expect(screen(tty.writes.join(""))).toBe("");
  });

  it("draws at most ten times a second however often it is told, and always shows the last report", () => {
    const clock = fakeClock();
    const tty = fakeTerminal();
    const line = new ProgressLine(tty, clock);
    // 2 seconds of reports every 5 ms, starting after the moment has passed.
    clock.advance(300);
    for (let done = 0; done < 400; done++) {
      line.update(compiling(done));
      clock.advance(5);
    }
    expect(tty.writes.length).toBeLessThanOrEqual(21);
    expect(tty.writes.length).toBeGreaterThanOrEqual(19);
    clock.advance(100);
    expect(tty.writes.at(-1)).toContain("compiling 399/1017");
    expect(screen(tty.writes.join(""))).toBe("domain-events: compiling 399/1017 schemas, 600 from the cache");
  });

  it("draws when a report finds its time passed, while the thread is too busy for the timer to fire", () => {
    const clock = fakeClock();
    const tty = fakeTerminal();
    const line = new ProgressLine(tty, clock);
    line.update({ stage: "discover" });
    clock.busy(400);
    line.update({ stage: "parse", total: 331 });
    expect(tty.writes).toEqual(["\rdomain-events: parsing 331 files\x1b[K"]);
    expect(clock.pending()).toBe(0);
    clock.busy(50);
    line.update({ stage: "validate", total: 331 });
    clock.busy(5000);
    line.update(compiling(0));
    expect(tty.writes.at(-1)).toBe("\rdomain-events: compiling 0/1017 schemas, 600 from the cache\x1b[K");
    expect(tty.writes).toHaveLength(2);
  });

  it("does not redraw a line that did not change", () => {
    const clock = fakeClock();
    const tty = fakeTerminal();
    const line = new ProgressLine(tty, clock);
    clock.advance(300);
    line.update(compiling(1));
    clock.advance(200);
    line.update(compiling(1));
    clock.advance(200);
    expect(tty.writes).toHaveLength(1);
  });

  it("prints a line of its own (a stage timing) above the progress line, and draws the line again after", () => {
    const clock = fakeClock();
    const tty = fakeTerminal();
    const line = new ProgressLine(tty, clock);
    clock.advance(300);
    line.update(compiling(10));
    line.above("timing compile 812 ms\n");
    clock.advance(100);
    line.update({ stage: "generate" });
    line.finish();
    expect(screen(tty.writes.join(""))).toBe("timing compile 812 ms\n");
    expect(tty.writes).toContain("\rdomain-events: generating\x1b[K");
  });

  it("draws nothing once finished, even when a report comes late", () => {
    const clock = fakeClock();
    const tty = fakeTerminal();
    const line = new ProgressLine(tty, clock);
    line.update({ stage: "discover" });
    line.finish();
    line.update(compiling(5));
    clock.advance(1000);
    expect(tty.writes).toEqual([]);
  });

  it.each([
    ["a terminal, pretty", { isTTY: true }, "pretty", false, {}, true],
    ["a command without --format", { isTTY: true }, undefined, false, {}, true],
    ["not a terminal (a pipe, a CI log, a test)", {}, "pretty", false, {}, false],
    ["--format json", { isTTY: true }, "json", false, {}, false],
    ["--format github", { isTTY: true }, "github", false, {}, false],
    ["--watch (its frames are the output)", { isTTY: true }, "pretty", true, {}, false],
    ["a dumb terminal", { isTTY: true }, "pretty", false, { TERM: "dumb" }, false],
  ])("is drawn for %s: %s", (_, tty, format, watch, env, wanted) => {
    expect(wantsProgress({ writer: { write: () => {}, ...tty }, format, watch, env })).toBe(wanted);
  });
});

/** A copy of the golden tree with `extra` more events in it: enough units for several batches of 50. */
async function treeWith(extra: number): Promise<{ events: string; cache: string }> {
  const dir = await scratch("progress");
  const events = path.join(dir, "events");
  await cp(GOLDEN, events, { recursive: true });
  const model = await readFile(path.join(events, "billing/payment/payment-captured.json"), "utf8");
  const letters = "abcdefghijklmnopqrstuvwxyz";
  for (let i = 0; i < extra; i++) {
    const name = `payment-noted-${letters[Math.floor(i / 26)]}${letters[i % 26]}`;
    await writeFile(path.join(events, "billing/payment", `${name}.json`), model);
  }
  return { events, cache: path.join(dir, "cache") };
}

/** The compile stage's reports of one run. */
function compileReports(events: readonly ProgressEvent[]): ProgressEvent[] {
  return events.filter((e) => e.stage === "compile");
}

describe("the pipeline's progress reports", () => {
  it("counts the compile stage's units up to all of them, batch by batch, and what the cache gave", async () => {
    const { events, cache } = await treeWith(110);
    const cold: ProgressEvent[] = [];
    const first = await check({ eventsDir: events, cacheDir: cache, workers: 0, onProgress: (e) => cold.push(e) });
    expect(first.ok).toBe(true);
    const stats = first.compiled?.stats;
    const reports = compileReports(cold);
    expect(reports.at(-1)).toEqual({ stage: "compile", done: stats?.units, total: stats?.units, cached: 0 });
    // From 0 up to all of them, never back, with reports between: batch by batch (batches of 50 today).
    const done = reports.map((r) => r.done ?? -1);
    expect(done[0]).toBe(0);
    expect(done).toEqual([...done].sort((x, y) => x - y));
    expect(done.filter((d) => d > 0 && d < (stats?.units ?? 0)).length).toBeGreaterThanOrEqual(2);
    expect(cold.map((e) => e.stage).filter((s, i, all) => s !== all[i - 1])).toEqual(["discover", "parse", "validate", "compile"]);

    // One event edited: the cache gives the rest.
    const edited = path.join(events, "billing/payment/payment-noted-ab.json");
    await writeFile(edited, (await readFile(edited, "utf8")).replace('"sepa-debit"]', '"sepa-debit", "cash"]'));
    const warm: ProgressEvent[] = [];
    const again = await check({ eventsDir: events, cacheDir: cache, workers: 0, onProgress: (e) => warm.push(e) });
    const last = compileReports(warm).at(-1);
    expect(again.compiled?.stats.cached).toBe((stats?.units ?? 0) - 1);
    expect(last).toEqual({ stage: "compile", done: stats?.units, total: stats?.units, cached: again.compiled?.stats.cached });
  });

  it("reports build's generate and emit stages, with the files it writes", async () => {
    const { events, cache } = await treeWith(0);
    const reports: ProgressEvent[] = [];
    const outDir = path.join(path.dirname(events), "out");
    const built = await build({ eventsDir: events, cacheDir: cache, workers: 0, outDir, onProgress: (e) => reports.push(e) });
    expect(built.ok).toBe(true);
    expect(reports.at(-2)).toEqual({ stage: "generate" });
    expect(reports.at(-1)).toEqual({ stage: "emit", total: built.files?.size });
    const compile = compileReports(reports).at(-1);
    expect(compile?.done).toBe(compile?.total);
    expect(compile?.cached).toBe(built.stats?.cached);
  });
});

describe("the CLI's output stays what it was", () => {
  it("prints no progress bytes when stderr is not a terminal", async () => {
    const { events } = await treeWith(0);
    for (const args of [["check"], ["check", "--format", "json"], ["build"], ["build", "--format", "github"]]) {
      const r = await cliInProcess([...args, "--events", events, "--no-cache"]);
      expect(r.code, r.stderr).toBe(0);
      expect(r.stderr).toBe("");
      expect(r.stdout).not.toMatch(/[\r\x1b]/);
    }
  });

  it("on a terminal: the same result, the line erased before it; no progress at all for json or github", async () => {
    // Enough events that the run likely outlasts the moment (what is asserted holds either way).
    const { events } = await treeWith(60);
    for (const format of ["pretty", "json", "github"]) {
      const args = ["check", "--events", events, "--no-cache", "--format", format];
      const plain = await cliInProcess(args);
      let stdout = "";
      const tty = fakeTerminal();
      const code = await main(args, { write: (s: string) => (stdout += s) }, tty);
      expect(code).toBe(plain.code);
      expect(stdout).toBe(plain.stdout);
      const stderr = tty.writes.join("");
      if (format !== "pretty") expect(stderr).toBe(plain.stderr);
      // Every write but the result's is a drawing of the line or its erasing, and the screen ends clean.
      const drawings = tty.writes.filter((w) => w.startsWith("\r"));
      for (const w of drawings) expect(w).toMatch(/^\r(domain-events: [^\n\r\x1b]+)?\x1b\[K$/);
      if (drawings.length > 0) expect(drawings.at(-1)).toBe(CLEAR);
      expect(tty.writes.filter((w) => !w.startsWith("\r")).join("")).toBe(plain.stderr);
      expect(screen(stderr)).toBe(plain.stderr);
    }
  });
});
