/**
 * A `--watch` session of the built CLI (dist/cli.js, --format json) for the benchmarks: its process
 * and the JSON lines it printed, and the time from a file's save to the run's line on stdout.
 * Used by scripts/bench/watch.ts (our tree and corpora, check and build) and by `npm run bench`
 * (scripts/bench/index.ts: `check --watch` on each corpus, for the save-to-result target).
 */

import { type ChildProcess, spawn } from "node:child_process";
import { readFile, writeFile } from "node:fs/promises";
import path from "node:path";

const ROOT = path.resolve(import.meta.dirname, "../..");

/** One watch session: its process and the JSON lines it printed so far. */
export class Session {
  readonly lines: { run: number; ok: boolean; ms: number; summary: string; added: unknown[]; resolved: unknown[] }[] = [];
  readonly child: ChildProcess;
  private waiters: (() => void)[] = [];
  private stderr = "";

  constructor(cwd: string, args: string[]) {
    this.child = spawn(process.execPath, [path.join(ROOT, "dist", "cli.js"), ...args, "--format", "json"], { cwd });
    let buffer = "";
    this.child.stdout?.on("data", (chunk: Buffer) => {
      buffer += chunk.toString("utf8");
      for (let i = buffer.indexOf("\n"); i >= 0; i = buffer.indexOf("\n")) {
        this.lines.push(JSON.parse(buffer.slice(0, i)));
        buffer = buffer.slice(i + 1);
        for (const w of this.waiters.splice(0)) w();
      }
    });
    this.child.stderr?.on("data", (chunk: Buffer) => {
      this.stderr += chunk.toString("utf8");
    });
  }

  /** Waits for run number `n`'s line (generous: a cold first run at 1,000 events takes a while). */
  async run(n: number, timeoutMs = 300_000) {
    const deadline = Date.now() + timeoutMs;
    while (this.lines.length < n) {
      if (Date.now() > deadline) throw new Error(`no run ${n} after ${timeoutMs} ms; stderr:\n${this.stderr}`);
      await new Promise<void>((resolve) => {
        this.waiters.push(resolve);
        setTimeout(resolve, 1000);
      });
    }
    return this.lines[n - 1] as Session["lines"][number];
  }

  /** Ends the session (SIGINT, as a person would); its exit code. */
  async stop(): Promise<number | null> {
    if (this.child.exitCode !== null) return this.child.exitCode;
    const exited = new Promise<number | null>((resolve) => this.child.once("exit", (code) => resolve(code)));
    this.child.kill("SIGINT");
    return exited;
  }
}

/** The median of some measures. */
export function median(values: number[]): number {
  const s = [...values].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? (s[mid] as number) : ((s[mid - 1] as number) + (s[mid] as number)) / 2;
}

/** Save → printed, per save, and the runs' own times. */
export interface SaveTimes {
  /** From just before each write to the arrival of that run's line (debounce, run, printing). */
  saveMs: number[];
  /** Each run's own time, as it reported it. */
  runMs: number[];
  /** The first run's time (the whole tree, from the cache where it is warm). */
  firstMs: number;
}

/**
 * Runs `domain-events <args> --watch` in `cwd`, waits for its first run, then saves `file` `saves`
 * times, each time with `edit(i)` of its original text (each a new content, as an author's edits
 * are), and restores the file. Throws when a run fails.
 */
export async function timeSaves(
  cwd: string,
  args: string[],
  file: string,
  saves: number,
  edit: (text: string, i: number) => string,
): Promise<SaveTimes> {
  const original = await readFile(file, "utf8");
  const session = new Session(cwd, [...args, "--watch"]);
  try {
    const first = await session.run(1);
    if (!first.ok) throw new Error(`the first run failed: ${JSON.stringify(first)}`);
    const saveMs: number[] = [];
    const runMs: number[] = [];
    for (let i = 1; i <= saves; i++) {
      const started = performance.now();
      await writeFile(file, edit(original, i));
      const line = await session.run(1 + i);
      saveMs.push(performance.now() - started);
      runMs.push(line.ms);
      if (!line.ok) throw new Error(`run ${1 + i} failed: ${JSON.stringify(line)}`);
    }
    return { saveMs, runMs, firstMs: first.ms };
  } finally {
    await session.stop();
    await writeFile(file, original);
  }
}
