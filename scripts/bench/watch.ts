/**
 * How long `check --watch` (and `build --watch`) takes from a file's save to the printed result.
 * Runs the built CLI (dist/cli.js) with --format json on a copy of our own events/ tree and on a
 * synthetic corpus (scripts/bench/corpus.ts), waits for the first report, then saves one event
 * file again and again, each time with a new description (so the edited schema is new to the
 * cache, as an author's edits are), and times each save from just before the write to the arrival
 * of that run's line on stdout: the debounce, the run and the printing. Prints the median, min and
 * max per tree. Not a test.
 *
 *   npx tsx scripts/bench/watch.ts                  our tree and 1,000 events, check and build
 *   WATCH_SIZES=own,5000 WATCH_SAVES=20 npx tsx scripts/bench/watch.ts
 *   WATCH_COMMANDS=check npx tsx scripts/bench/watch.ts
 */

import { cp, mkdir, readFile, rm, writeFile } from "node:fs/promises";
import path from "node:path";
import { generateCorpus } from "./corpus.js";
import { median, Session } from "./watch-session.js";

const ROOT = path.resolve(import.meta.dirname, "../..");
const WORK = path.join(ROOT, ".tmp", "bench-watch");
const SIZES = (process.env.WATCH_SIZES ?? "own,1000").split(",");
const SAVES = Number(process.env.WATCH_SAVES ?? 10);
const COMMANDS = (process.env.WATCH_COMMANDS ?? "check,build").split(",");

/** A tree to watch: a copy of events/ ("own") or a corpus of `size` event versions; and the file to edit. */
async function tree(size: string): Promise<{ dir: string; file: string; versions: string }> {
  const dir = path.join(WORK, size);
  if (size === "own") {
    await rm(dir, { recursive: true, force: true });
    await mkdir(dir, { recursive: true });
    await cp(path.join(ROOT, "events"), path.join(dir, "events"), { recursive: true });
    return { dir, file: "events/existing-business/invoice/invoice-paid.json", versions: "our own tree" };
  }
  const corpus = await generateCorpus(path.join(dir, "events"), Number(size), 1);
  return { dir, file: path.join("events", corpus.sampleEventFile), versions: `${corpus.count} event versions` };
}

const report: string[] = [];
for (const size of SIZES) {
  const { dir, file, versions } = await tree(size);
  const original = await readFile(path.join(dir, file), "utf8");
  for (const command of COMMANDS) {
    const args = [command, "--watch", "--events", "events", ...(command === "build" ? ["--out", "out"] : [])];
    const session = new Session(dir, args);
    const first = await session.run(1);
    if (!first.ok) throw new Error(`the first run failed: ${JSON.stringify(first)}`);
    const times: number[] = [];
    const runMs: number[] = [];
    for (let i = 1; i <= SAVES; i++) {
      const edited = original.replace(/"description": "/, `"description": "Edit ${Date.now()}-${i}. `);
      const started = performance.now();
      await writeFile(path.join(dir, file), edited);
      const line = await session.run(1 + i);
      times.push(performance.now() - started);
      runMs.push(line.ms);
      if (!line.ok) throw new Error(`run ${1 + i} failed: ${JSON.stringify(line)}`);
    }
    const runs = session.lines.length;
    const code = await session.stop();
    await writeFile(path.join(dir, file), original);
    const f = (ms: number) => `${(ms / 1000).toFixed(2)} s`;
    const line =
      `${command} --watch, ${versions}: first run ${f(first.ms)}; save → printed: median ${f(median(times))}, ` +
      `min ${f(Math.min(...times))}, max ${f(Math.max(...times))} (the run alone: median ${f(median(runMs))}); ` +
      `${SAVES} saves, ${runs - 1} runs, exit ${code}`;
    console.log(line);
    report.push(line);
  }
}
await mkdir(WORK, { recursive: true });
await writeFile(path.join(WORK, "results.txt"), `${report.join("\n")}\n`);
