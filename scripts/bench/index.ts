/**
 * npm run bench: the performance of the build and of the package, at 100, 1,000 and 5,000 event
 * versions of a synthetic corpus (scripts/bench/corpus.ts), against the floor of our libraries
 * (scripts/bench/floor.ts) and the naive pipeline (scripts/bench/naive.ts), both measured in the
 * same run. Prints a table, the targets met and not met (report.ts, targets.ts), and writes the
 * figures as JSON to .tmp/bench/results.json. Not a test: nothing here passes or fails.
 *
 *   npm run bench                        every size
 *   BENCH_SIZES=100,1000 npm run bench   some sizes
 *   BENCH_RUNS=5 npm run bench           medians of 5 (default 3; cold builds at 5,000 run once)
 *   BENCH_NAIVE_MAX=5000 npm run bench   the naive pipeline up to this size (default 1,000: at
 *                                        5,000 it takes minutes and runs out of memory)
 *
 * This file runs the measures in order, one function each; the measures that need more than a
 * command and a clock have files of their own: the floor, validation throughput (throughput.ts), the
 * output's sizes (sizes.ts), a consumer's type-check (consumer.ts), `check --watch` (watch-session.ts).
 */

import { spawnSync } from "node:child_process";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { mkdir, readFile, writeFile } from "node:fs/promises";
import { cpus, loadavg, totalmem } from "node:os";
import path from "node:path";
import { gzipSync } from "node:zlib";
import { consumerTsc } from "./consumer.js";
import { generateCorpus } from "./corpus.js";
import { type FloorResult, measureFloor, prepareFloor } from "./floor.js";
import { type Machine, report } from "./report.js";
import { ajvStandalonePerEvent, bytes, filesUnder, outputSizes } from "./sizes.js";
import { type EventsJsonEntry, sampleEvent, throughput } from "./throughput.js";
import { interleaved, median, ok, ROOT, repeat, type Timed, timed, WORK } from "./timed.js";
import { timeSaves } from "./watch-session.js";

const SIZES = (process.env.BENCH_SIZES ?? "100,1000,5000").split(",").map(Number);
const RUNS = Number(process.env.BENCH_RUNS ?? 3);
const NAIVE_MAX = Number(process.env.BENCH_NAIVE_MAX ?? 1000);
/** `check --watch` is timed up to this size (its target is at 1,000). */
const WATCH_MAX = 1000;
const CLI = path.join(ROOT, "dist", "cli.js");

type Row = Record<string, unknown>;

/** One corpus and the commands over it; the CLI runs in `dir`, so its cache is dir/node_modules/.cache. */
interface Setup {
  size: number;
  dir: string;
  events: string;
  out: string;
  /** Runs of the costly measures (cold builds): one at 5,000. */
  runs: number;
  sampleEventFile: string;
  sampleEventType: string;
  build: () => Timed;
  check: (extra?: string[]) => Timed;
}

async function bench(size: number): Promise<Row> {
  const dir = path.join(WORK, `c${size}`);
  const corpus = await generateCorpus(path.join(dir, "events"), size, 1);
  const events = corpus.dir;
  const out = path.join(dir, "out");
  const setup: Setup = {
    size,
    dir,
    events,
    out,
    runs: size >= 5000 ? 1 : RUNS,
    sampleEventFile: path.join(events, corpus.sampleEventFile),
    sampleEventType: corpus.sampleEventType,
    build: () => ok(timed(process.execPath, [CLI, "build", "--events", events, "--out", out], dir), "build"),
    check: (extra = []) => ok(timed(process.execPath, [CLI, "check", "--events", events, ...extra], dir), "check"),
  };
  const row: Row = { size, systems: corpus.systems, corpusMB: corpus.bytes / 1e6 };
  progress(size, `corpus: ${corpus.count} event versions, ${corpus.systems} systems, ${(corpus.bytes / 1e6).toFixed(1)} MB`);

  Object.assign(row, coldAndFloor(setup));
  row.noopMs = repeat(Math.max(RUNS, 3), setup.build).ms;
  Object.assign(row, await edits(setup));
  row.checkColdMs = repeat(setup.runs, () => setup.check(["--no-cache"])).ms;
  row.checkWarmMs = repeat(Math.max(RUNS, 3), () => setup.check()).ms;
  if (size <= WATCH_MAX) Object.assign(row, await watch(setup));
  Object.assign(row, outputSizes(out, size));

  const entries = JSON.parse(readFileSync(path.join(out, "events.json"), "utf8")) as EventsJsonEntry[];
  Object.assign(row, processes(setup, entries));
  // ajv's own standalone code for the same events, with the build's options: a sample.
  row.ajvStandalonePerEventKB = ajvStandalonePerEvent(entries.slice(0, 200)) / 1024;
  if (size <= NAIVE_MAX) Object.assign(row, naive(setup, entries));
  // Throughput and the consumer's type-check: at 1,000 (the targets' size), or the largest size run.
  if (size === 1000 || (size === Math.max(...SIZES) && !SIZES.includes(1000))) {
    Object.assign(row, throughput(out, entries, corpus.sampleEventType));
    Object.assign(row, await consumerTsc(dir, entries, RUNS));
  }
  return row;
}

function progress(size: number, text: string): void {
  process.stderr.write(`[${size}] ${text}\n`);
}

/**
 * The cold build (no cache at all; the cache is written) and the floor of the libraries, in turns:
 * build, floor, floor with ajv's standalone code, build…, so that the machine's load weighs on all alike. The floor's inputs
 * are made once beforehand (the stages before compile, from source), not timed.
 */
function coldAndFloor(setup: Setup): Row {
  const inputs = path.join(setup.dir, "floor-inputs.json");
  prepareFloor(setup.events, inputs);
  const colds: Timed[] = [];
  const floors: FloorResult[] = [];
  const standalones: FloorResult[] = [];
  for (let i = 0; i < setup.runs; i++) {
    spawnSync("rm", ["-rf", path.join(setup.dir, "node_modules"), setup.out]);
    colds.push(setup.build());
    floors.push(measureFloor(inputs));
    standalones.push(measureFloor(inputs, true));
  }
  const coldMs = median(colds.map((t) => t.ms));
  const floorMs = median(floors.map((f) => f.wallMs));
  const coldRssMb = Math.max(...colds.map((t) => t.rssMb));
  progress(setup.size, `cold build ${(coldMs / 1000).toFixed(1)} s, ${coldRssMb.toFixed(0)} MB; floor ${(floorMs / 1000).toFixed(1)} s`);
  return {
    coldMs,
    coldRssMb,
    floorMs,
    floorWorkers: floors[0]?.workers,
    floorAjvMs: median(floors.map((f) => f.ajvMs)),
    floorTypesMs: median(floors.map((f) => f.typesMs)),
    floorCpuMs: median(floors.map((f) => f.cpuMs)),
    floorStandaloneMs: median(standalones.map((f) => f.wallMs)),
    floorSchemas: floors[0]?.schemas,
    floorTypesRoots: floors[0]?.typesRoots,
  };
}

/**
 * One edited event file, as an author edits: a constraint and a description change, so its
 * validator and its system's declarations are made again. Each edit is new (a counter in the
 * values), so that no run finds it in the cache from an earlier one.
 */
let edit = 0;
function editSample(original: string): string {
  edit++;
  const text = original
    .replace('"maxLength": 64', `"maxLength": ${64 + edit}`)
    .replace('"description": "The order."', `"description": "The order (edit ${edit})."`);
  if (!text.includes(`"maxLength": ${64 + edit}`) || !text.includes(`(edit ${edit})`))
    throw new Error("the sample event no longer has the maxLength and description that the bench edits");
  return text;
}

/** The rebuild after one edit, and `check` after one edit (the same kind of edit); the file is restored. */
async function edits(setup: Setup): Promise<Row> {
  const original = await readFile(setup.sampleEventFile, "utf8");
  const editThen = (run: () => Timed) => () => {
    writeFileSync(setup.sampleEventFile, editSample(original));
    return run();
  };
  try {
    const oneEditMs = repeat(Math.max(RUNS, 3), editThen(setup.build)).ms;
    const checkEditMs = repeat(
      Math.max(RUNS, 3),
      editThen(() => setup.check()),
    ).ms;
    return { oneEditMs, checkEditMs };
  } finally {
    await writeFile(setup.sampleEventFile, original);
    setup.build();
  }
}

/** `check --watch`: from a save of the sample event to the run's line on stdout, median of several saves. */
async function watch(setup: Setup): Promise<Row> {
  const saves = Math.max(2 * RUNS, 5);
  const times = await timeSaves(setup.dir, ["check", "--events", setup.events], setup.sampleEventFile, saves, (text) => editSample(text));
  return { watchSaveMs: median(times.saveMs), watchRunMs: median(times.runMs), watchSaves: saves };
}

/**
 * What a service pays, as whole processes: importing the root or one system's entry and validating
 * one event, against `node -e 0`, taken in turns (the target is the difference).
 */
function processes(setup: Setup, entries: EventsJsonEntry[]): Row {
  const sample = sampleEvent(entries.find((e) => e.type === setup.sampleEventType) as EventsJsonEntry);
  const system = setup.sampleEventType.split(".")[0] as string;
  const importOnce = (entry: string) => () =>
    ok(
      timed(process.execPath, [
        "--input-type=module",
        "-e",
        `import { validate } from ${JSON.stringify(entry)}; if (!validate(${JSON.stringify(sample)}).ok) process.exit(3);`,
      ]),
      `import ${entry}`,
    );
  const m = interleaved(Math.max(RUNS, 7), {
    node: () => ok(timed(process.execPath, ["-e", "0"]), "node"),
    root: importOnce(path.join(setup.out, "index.js")),
    system: importOnce(path.join(setup.out, "systems", `${system}.js`)),
  });
  return {
    bareNodeMs: m.node.ms,
    importValidateMs: m.root.ms,
    importSystemMs: m.system.ms,
    // CPU time moves less with the machine's load than wall time: printed beside it.
    bareNodeCpuMs: m.node.cpuMs,
    importValidateCpuMs: m.root.cpuMs,
    eventsInSystem: entries.filter((e) => e.system === system).length,
  };
}

/** The naive pipeline, in the same run: its build, its output's sizes, its import. */
function naive(setup: Setup, entries: EventsJsonEntry[]): Row {
  const naiveOut = path.join(setup.dir, "naive-out");
  const script = path.join(ROOT, "scripts/bench/naive.ts");
  const built = repeat(setup.runs, () => {
    spawnSync("rm", ["-rf", naiveOut]);
    return ok(timed(process.execPath, ["--import", "tsx", script, "--events", setup.events, "--out", naiveOut]), "naive build");
  });
  const files = filesUnder(naiveOut);
  const types = bytes(files, (f) => f.endsWith(".d.ts"));
  const validators = bytes(files, (f) => f.endsWith(".cjs"));
  const module = path.join(naiveOut, "naive", "validators.cjs");
  const data = sampleEvent(entries.find((e) => e.type === setup.sampleEventType) as EventsJsonEntry).data;
  const load = `const v = require(${JSON.stringify(module)})[${JSON.stringify(setup.sampleEventType)}]; if (!v(${JSON.stringify(data)})) process.exit(3);`;
  const imported = repeat(Math.max(RUNS, 3), () => ok(timed(process.execPath, ["-e", load]), "naive import"));
  progress(setup.size, `naive build ${(built.ms / 1000).toFixed(1)} s`);
  return {
    naiveColdMs: built.ms,
    naiveRssMb: built.rssMb,
    naiveTypesPerEventKB: types.raw / setup.size / 1024,
    naiveValidatorsPerEventKB: validators.raw / setup.size / 1024,
    naiveValidatorsPerEventGzKB: gzipSync(readFileSync(module)).length / setup.size / 1024,
    naiveLargestModuleKB: validators.largest / 1024,
    naiveImportValidateMs: imported.ms,
  };
}

// ---------------------------------------------------------------------------------------------

if (!existsSync(CLI)) {
  process.stderr.write("dist/ is missing: building it first (npm run build)\n");
  const r = spawnSync("npm", ["run", "build"], { cwd: ROOT, stdio: "inherit" });
  if (r.status !== 0) process.exit(1);
}
await mkdir(WORK, { recursive: true });
const settings = ["BENCH_SIZES", "BENCH_RUNS", "BENCH_NAIVE_MAX"].filter((k) => process.env[k]).map((k) => `${k}=${process.env[k]}`);
const machine: Machine = {
  cpu: cpus()[0]?.model ?? "unknown",
  cores: cpus().length,
  memoryGb: Math.round(totalmem() / 1e9),
  node: process.version,
  date: new Date().toISOString().slice(0, 10),
  command: [...settings, "npm run bench"].join(" "),
  loadStart: loadavg(),
};
const results: Row[] = [];
for (const size of SIZES) results.push(await bench(size));
machine.loadEnd = loadavg();
await writeFile(path.join(WORK, "results.json"), `${JSON.stringify({ machine, results }, null, 2)}\n`);
process.stdout.write(report(machine, results));
process.stdout.write(`\nJSON: ${path.relative(ROOT, path.join(WORK, "results.json"))}\n`);
