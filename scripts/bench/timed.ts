/**
 * Timing whole processes for `npm run bench` (scripts/bench/index.ts and the measures beside it):
 * a command's wall time and peak memory, medians over repeated runs, and runs taken in turns so that
 * a slow moment of a shared machine costs every candidate alike.
 */

import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import path from "node:path";

export const ROOT = path.resolve(import.meta.dirname, "../..");
export const WORK = path.join(ROOT, ".tmp", "bench");
const HAS_TIME = existsSync("/usr/bin/time");

export interface Timed {
  ms: number;
  rssMb: number;
  /** CPU time of the process (user + system, 10 ms resolution); NaN without GNU time. */
  cpuMs: number;
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs a command under /usr/bin/time: wall time, CPU time and peak resident memory of its process. */
export function timed(command: string, args: string[], cwd = ROOT, env: Record<string, string> = {}): Timed {
  const started = performance.now();
  // Without GNU time (Debian's package "time"), memory is not measured.
  const [bin, pre] = HAS_TIME ? ["/usr/bin/time", ["-f", "BENCH_RSS_KB %M BENCH_CPU_S %U %S", command]] : [command, []];
  const r = spawnSync(bin, [...pre, ...args], {
    cwd,
    encoding: "utf8",
    env: { ...process.env, ...env },
    maxBuffer: 256 * 1024 * 1024,
  });
  const ms = performance.now() - started;
  const rss = /BENCH_RSS_KB (\d+)/.exec(r.stderr ?? "");
  const cpu = /BENCH_CPU_S ([\d.]+) ([\d.]+)/.exec(r.stderr ?? "");
  return {
    ms,
    rssMb: rss ? Number(rss[1]) / 1024 : Number.NaN,
    cpuMs: cpu ? (Number(cpu[1]) + Number(cpu[2])) * 1000 : Number.NaN,
    code: r.status ?? -1,
    stdout: r.stdout,
    stderr: r.stderr,
  };
}

export function median(values: number[]): number {
  const s = [...values].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? (s[mid] as number) : ((s[mid - 1] as number) + (s[mid] as number)) / 2;
}

/** The run, when it exited 0; otherwise an error with its output. */
export function ok(t: Timed, what: string): Timed {
  if (t.code !== 0) throw new Error(`${what} failed (${t.code}):\n${t.stdout}\n${t.stderr}`);
  return t;
}

/** `n` runs: the median time and the highest peak memory. */
export function repeat(n: number, f: () => Timed): { ms: number; rssMb: number } {
  const all = Array.from({ length: n }, f);
  return { ms: median(all.map((t) => t.ms)), rssMb: Math.max(...all.map((t) => t.rssMb)) };
}

/**
 * `n` rounds in which every candidate runs once, in turn: the median wall and CPU time of each.
 * Candidates compared with each other (an import against `node -e 0`) are measured so, not one
 * after the other.
 */
export function interleaved<K extends string>(n: number, candidates: Record<K, () => Timed>): Record<K, { ms: number; cpuMs: number }> {
  const keys = Object.keys(candidates) as K[];
  const runs = new Map<K, Timed[]>(keys.map((k) => [k, []]));
  for (let i = 0; i < n; i++) for (const k of keys) runs.get(k)?.push(candidates[k]());
  const medians = (k: K) => {
    const all = runs.get(k) ?? [];
    return { ms: median(all.map((t) => t.ms)), cpuMs: median(all.map((t) => t.cpuMs)) };
  };
  return Object.fromEntries(keys.map((k) => [k, medians(k)])) as Record<K, { ms: number; cpuMs: number }>;
}
