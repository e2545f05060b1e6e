/**
 * npm run bench: the performance of the build and of the package, at 100, 1,000 and 5,000 event
 * versions of a synthetic corpus (scripts/bench/corpus.ts), against the naive pipeline
 * (scripts/bench/naive.ts) measured in the same run. Prints a table and writes it as JSON to
 * .tmp/bench/results.json. Not a test: nothing here passes or fails, except the targets it prints.
 *
 *   npm run bench                        every size
 *   BENCH_SIZES=100,1000 npm run bench   some sizes
 *   BENCH_RUNS=5 npm run bench           medians of 5 (default 3; cold builds at 5,000 run once)
 *   BENCH_NAIVE_MAX=5000 npm run bench   the naive pipeline up to this size (default 1,000: at
 *                                        5,000 it takes minutes and runs out of memory)
 */

import { spawnSync } from "node:child_process";
import { existsSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { mkdir, readFile, rm, writeFile } from "node:fs/promises";
import { cpus, totalmem } from "node:os";
import path from "node:path";
import { gzipSync } from "node:zlib";
import standaloneModule from "ajv/dist/standalone/index.js";
import { createAjvSet } from "../../src/schema/ajv.js";
import { generateCorpus } from "./corpus.js";

type Standalone = typeof import("ajv/dist/standalone/index.js").default;
const standaloneCode: Standalone =
  (standaloneModule as unknown as { default?: Standalone }).default ?? (standaloneModule as unknown as Standalone);

const ROOT = path.resolve(import.meta.dirname, "../..");
const WORK = path.join(ROOT, ".tmp", "bench");
const SIZES = (process.env.BENCH_SIZES ?? "100,1000,5000").split(",").map(Number);
const RUNS = Number(process.env.BENCH_RUNS ?? 3);
const NAIVE_MAX = Number(process.env.BENCH_NAIVE_MAX ?? 1000);
const CLI = path.join(ROOT, "dist", "cli.js");
const TSC = path.join(ROOT, "node_modules", "typescript", "bin", "tsc");
const HAS_TIME = existsSync("/usr/bin/time");

interface Timed {
  ms: number;
  rssMb: number;
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs a command under /usr/bin/time: wall time and peak resident memory of the whole process tree's main process. */
function timed(command: string, args: string[], cwd = ROOT, env: Record<string, string> = {}): Timed {
  const started = performance.now();
  // Without GNU time (Debian's package "time"), memory is not measured.
  const [bin, pre] = HAS_TIME ? ["/usr/bin/time", ["-f", "BENCH_RSS_KB %M", command]] : [command, []];
  const r = spawnSync(bin, [...pre, ...args], {
    cwd,
    encoding: "utf8",
    env: { ...process.env, ...env },
    maxBuffer: 256 * 1024 * 1024,
  });
  const ms = performance.now() - started;
  const rss = /BENCH_RSS_KB (\d+)/.exec(r.stderr ?? "");
  return { ms, rssMb: rss ? Number(rss[1]) / 1024 : Number.NaN, code: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}

function median(values: number[]): number {
  const s = [...values].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? (s[mid] as number) : ((s[mid - 1] as number) + (s[mid] as number)) / 2;
}

function ok(t: Timed, what: string): Timed {
  if (t.code !== 0) throw new Error(`${what} failed (${t.code}):\n${t.stdout}\n${t.stderr}`);
  return t;
}

function repeat(n: number, f: () => Timed): { ms: number; rssMb: number } {
  const all = Array.from({ length: n }, f);
  return { ms: median(all.map((t) => t.ms)), rssMb: Math.max(...all.map((t) => t.rssMb)) };
}

function filesUnder(dir: string): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((d) => d.isFile())
    .map((d) => path.join(d.parentPath, d.name));
}

/** Bytes of the files matching `keep`, raw and gzipped (each file on its own, as a registry or a disk would). */
function bytes(files: string[], keep: (f: string) => boolean): { raw: number; gz: number; largest: number; largestFile: string } {
  let raw = 0;
  let gz = 0;
  let largest = 0;
  let largestFile = "";
  for (const f of files.filter(keep)) {
    const b = readFileSync(f);
    raw += b.length;
    gz += gzipSync(b).length;
    if (b.length > largest) {
      largest = b.length;
      largestFile = f;
    }
  }
  return { raw, gz, largest, largestFile };
}

async function bench(size: number): Promise<Record<string, unknown>> {
  const dir = path.join(WORK, `c${size}`);
  const corpus = await generateCorpus(path.join(dir, "events"), size, 1);
  const events = corpus.dir;
  const out = path.join(dir, "out");
  const runs = size >= 5000 ? 1 : RUNS;
  // The CLI runs with `dir` as its working folder: its cache is dir/node_modules/.cache/domain-events.
  const cache = path.join(dir, "node_modules");
  const build = (extra: string[] = []) =>
    ok(timed(process.execPath, [CLI, "build", "--events", events, "--out", out, ...extra], dir), "build");
  const result: Record<string, unknown> = { size, systems: corpus.systems, corpusMB: corpus.bytes / 1e6 };
  process.stderr.write(
    `\n[${size}] corpus: ${corpus.count} event versions, ${corpus.systems} systems, ${(corpus.bytes / 1e6).toFixed(1)} MB\n`,
  );

  // Cold: no cache at all (the cache is written). Medians over fresh caches.
  const cold = repeat(runs, () => {
    spawnSync("rm", ["-rf", cache, out]);
    return build();
  });
  result.coldMs = cold.ms;
  result.coldRssMb = cold.rssMb;
  process.stderr.write(`[${size}] cold build ${(cold.ms / 1000).toFixed(1)} s, ${cold.rssMb.toFixed(0)} MB\n`);

  // No-op: nothing changed.
  result.noopMs = repeat(Math.max(RUNS, 3), () => build()).ms;

  // One edited event file: a constraint changes (its validator and its system's declarations).
  const edited = path.join(events, corpus.sampleEventFile);
  const original = await readFile(edited, "utf8");
  let flip = 0;
  result.oneEditMs = repeat(Math.max(RUNS, 3), () => {
    flip++;
    const text = original.replace('"minLength": 1', `"minLength": ${2 + (flip % 2)}`);
    if (text === original) throw new Error("the sample event has no minLength to edit");
    writeFileSync(edited, text);
    return build();
  }).ms;
  await writeFile(edited, original);
  build();

  // Check alone: cold (no cache) and warm (the build's cache).
  const check = (extra: string[]) => ok(timed(process.execPath, [CLI, "check", "--events", events, ...extra], dir), "check");
  result.checkColdMs = repeat(runs, () => check(["--no-cache"])).ms;
  result.checkWarmMs = repeat(RUNS, () => check([])).ms;

  // Output.
  const files = filesUnder(out);
  const isTypes = (f: string) => f.endsWith(".d.ts");
  const isValidator = (f: string) => f.includes(`${path.sep}validators${path.sep}`);
  const isModule = (f: string) => /\.(c|m)?js$/.test(f);
  const types = bytes(files, isTypes);
  const validators = bytes(files, isValidator);
  const all = bytes(files, (f) => !f.endsWith(".d.cts") && !f.endsWith("events.json"));
  const modules = bytes(files, isModule);
  Object.assign(result, {
    typesPerEventKB: types.raw / size / 1024,
    validatorsPerEventKB: validators.raw / size / 1024,
    validatorsPerEventGzKB: validators.gz / size / 1024,
    packagePerEventGzKB: all.gz / size / 1024,
    largestModuleKB: modules.largest / 1024,
    largestModule: path.relative(out, modules.largestFile),
    largestDtsKB: types.largest / 1024,
  });

  // Import + first validate, as a whole process: the root, one system's subpath.
  const entries = JSON.parse(readFileSync(path.join(out, "events.json"), "utf8")) as EventsJsonEntry[];
  const sample = sampleEvent(entries.find((e) => e.type === corpus.sampleEventType) as EventsJsonEntry);
  const system = corpus.sampleEventType.split(".")[0] as string;
  const importOnce = (entry: string) =>
    ok(
      timed(process.execPath, [
        "--input-type=module",
        "-e",
        `import { validate } from ${JSON.stringify(entry)}; if (!validate(${JSON.stringify(sample)}).ok) process.exit(3);`,
      ]),
      `import ${entry}`,
    );
  result.importValidateMs = repeat(Math.max(RUNS, 5), () => importOnce(path.join(out, "index.js"))).ms;
  result.importSystemMs = repeat(Math.max(RUNS, 5), () => importOnce(path.join(out, "systems", `${system}.js`))).ms;
  result.eventsInSystem = entries.filter((e) => e.system === system).length;
  // Node itself, for scale: what a process costs before it imports anything.
  result.bareNodeMs = repeat(Math.max(RUNS, 5), () => ok(timed(process.execPath, ["-e", "0"]), "node")).ms;
  // ajv's own standalone code for the same events with the build's options, one module per event
  // (what the modules would hold without emitting the shared definitions' code once): a sample.
  result.ajvStandalonePerEventKB = ajvStandalonePerEvent(entries.slice(0, 200)) / 1024;

  // The naive pipeline, in the same run.
  if (size <= NAIVE_MAX) {
    const naiveOut = path.join(dir, "naive-out");
    const naive = repeat(runs, () => {
      spawnSync("rm", ["-rf", naiveOut]);
      return ok(
        timed(process.execPath, ["--import", "tsx", path.join(ROOT, "scripts/bench/naive.ts"), "--events", events, "--out", naiveOut]),
        "naive build",
      );
    });
    const nfiles = filesUnder(naiveOut);
    const ntypes = bytes(nfiles, (f) => f.endsWith(".d.ts"));
    const nval = bytes(nfiles, (f) => f.endsWith(".cjs"));
    const naiveImport = repeat(Math.max(RUNS, 3), () =>
      ok(
        timed(process.execPath, [
          "-e",
          `const v = require(${JSON.stringify(path.join(naiveOut, "naive", "validators.cjs"))})[${JSON.stringify(corpus.sampleEventType)}]; if (!v(${JSON.stringify(sample.data)})) process.exit(3);`,
        ]),
        "naive import",
      ),
    );
    Object.assign(result, {
      naiveColdMs: naive.ms,
      naiveRssMb: naive.rssMb,
      naiveTypesPerEventKB: ntypes.raw / size / 1024,
      naiveValidatorsPerEventKB: nval.raw / size / 1024,
      naiveValidatorsPerEventGzKB: gzipSync(readFileSync(path.join(naiveOut, "naive", "validators.cjs"))).length / size / 1024,
      naiveLargestModuleKB: nval.largest / 1024,
      naiveImportValidateMs: naiveImport.ms,
    });
    process.stderr.write(`[${size}] naive build ${(naive.ms / 1000).toFixed(1)} s\n`);
  }

  // Throughput and the consumer's type-check: at 1,000 (the targets' size), or the largest size run.
  if (size === 1000 || (size === Math.max(...SIZES) && !SIZES.includes(1000))) {
    Object.assign(result, throughput(out, entries, corpus.sampleEventType));
    Object.assign(result, await consumerTsc(dir, entries));
  }
  return result;
}

/** Mean bytes of ajv's standalone module per event, with the build's options (src/schema/ajv.ts). */
function ajvStandalonePerEvent(entries: EventsJsonEntry[]): number {
  const ajv = createAjvSet({ allErrors: false, source: true });
  let total = 0;
  for (const e of entries) {
    const dialect = String((e.schema as Record<string, unknown>).$schema).includes("draft-07") ? "draft-07" : "2020-12";
    total += standaloneCode(ajv[dialect], ajv[dialect].compile(e.schema)).length;
  }
  return total / entries.length;
}

interface EventsJsonEntry {
  type: string;
  system: string;
  typeName: string;
  schema: { $defs: Record<string, { examples?: unknown[] }>; properties: { source: { const?: string; pattern?: string } } };
}

function sampleEvent(entry: EventsJsonEntry): Record<string, unknown> {
  return {
    specversion: "1.0",
    id: "evt-1",
    source: entry.schema.properties.source.const ?? `/systems/${entry.system}`,
    type: entry.type,
    time: "2026-05-01T08:00:00Z",
    datacontenttype: "application/json",
    clientaccountid: "ca-1",
    data: entry.schema.$defs[`${entry.typeName}Data`]?.examples?.[0],
  };
}

/** Validations per second, in a process of their own (warm-up, then a fixed number of calls timed). */
function throughput(out: string, entries: EventsJsonEntry[], type: string): Record<string, unknown> {
  const handwritten = path.join(WORK, "handwritten.mjs");
  ok(
    timed(path.join(ROOT, "node_modules", ".bin", "esbuild"), [
      path.join(ROOT, "scripts/bench/handwritten.ts"),
      "--bundle",
      "--format=esm",
      "--platform=node",
      `--outfile=${handwritten}`,
    ]),
    "esbuild handwritten",
  );
  const all = entries.map(sampleEvent);
  const script = `
    import { createRequire } from "node:module";
    import { validateOrderCancelled, sampleInputs, type as handType } from ${JSON.stringify(handwritten)};
    import { Ajv2020 } from ${JSON.stringify(path.join(ROOT, "node_modules/ajv/dist/2020.js"))};
    const require = createRequire(import.meta.url);
    const addFormats = require(${JSON.stringify(path.join(ROOT, "node_modules/ajv-formats"))});
    const pkg = require(${JSON.stringify(path.join(out, "index.cjs"))});
    const entries = require(${JSON.stringify(path.join(out, "events.json"))});
    if (handType !== ${JSON.stringify(type)}) throw new Error("the hand-written validator is for " + handType);
    const ours = require(${JSON.stringify(path.join(out, "validators", `${type}.cjs`))});
    // In-process ajv with the build's options (references as calls), and with ajv's defaults (inlined).
    const options = { strict: true, strictRequired: false, strictTypes: false, strictTuples: false, allErrors: false, ownProperties: true, inlineRefs: false, logger: false };
    const schema = entries.find((e) => e.type === ${JSON.stringify(type)}).schema;
    const ajv = new Ajv2020(options);
    (addFormats.default ?? addFormats)(ajv);
    const inProcess = ajv.compile(schema);
    const ajvDefaults = new Ajv2020({ strict: false, logger: false });
    (addFormats.default ?? addFormats)(ajvDefaults);
    const inProcessDefaults = ajvDefaults.compile(schema);
    const inputs = sampleInputs();
    // The candidates take turns, round after round, and each keeps its best round: a slow moment
    // of the machine then costs every candidate alike.
    function rates(candidates, value, expected) {
      const best = {};
      for (const [name, fn] of Object.entries(candidates)) {
        if (Boolean(fn(value)) !== expected) throw new Error("wrong verdict from " + name);
        for (let i = 0; i < 20000; i++) fn(value);
        best[name] = 0;
      }
      for (let r = 0; r < 10; r++) {
        for (const [name, fn] of Object.entries(candidates)) {
          const n = 50000; const t = process.hrtime.bigint();
          for (let i = 0; i < n; i++) fn(value);
          best[name] = Math.max(best[name], n / (Number(process.hrtime.bigint() - t) / 1e9));
        }
      }
      return best;
    }
    const rows = {};
    for (const [name, expected] of [["valid", true], ["earlyInvalid", false], ["lateInvalid", false]]) {
      rows[name] = rates(
        {
          handwritten: validateOrderCancelled,
          ours,
          ajvInProcess: inProcess,
          ajvDefaults: inProcessDefaults,
          api: (x) => pkg.validate(x).ok,
        },
        inputs[name],
        expected,
      );
    }
    // Dispatch by type over every type, against calling each event's validator directly.
    const all = ${JSON.stringify(all)};
    const direct = all.map((e) => require(${JSON.stringify(path.join(out, "validators"))} + "/" + e.type + ".cjs"));
    for (const e of all) if (!pkg.validate(e).ok) throw new Error("invalid sample " + e.type);
    const rotations = { dispatch: (i) => pkg.validate(all[i]), direct: (i) => direct[i](all[i]) };
    const best = { dispatch: 0, direct: 0 };
    for (const call of Object.values(rotations)) for (let i = 0; i < all.length * 20; i++) call(i % all.length);
    for (let r = 0; r < 6; r++) {
      for (const [name, call] of Object.entries(rotations)) {
        const n = all.length * 30; const t = process.hrtime.bigint();
        for (let i = 0; i < n; i++) call(i % all.length);
        best[name] = Math.max(best[name], n / (Number(process.hrtime.bigint() - t) / 1e9));
      }
    }
    const dispatch = best.dispatch;
    const directRate = best.direct;
    console.log(JSON.stringify({ rows, dispatch, direct: directRate }));
  `;
  const file = path.join(WORK, "throughput.mjs");
  writeFileSync(file, script);
  const r = ok(timed(process.execPath, [file]), "throughput");
  const parsed = JSON.parse(r.stdout) as {
    rows: Record<string, Record<string, number>>;
    dispatch: number;
    direct: number;
  };
  return { throughput: parsed.rows, dispatchPerSec: parsed.dispatch, directRotationPerSec: parsed.direct };
}

/** A consumer's tsc --noEmit over a file that switches over DomainEvent. */
async function consumerTsc(dir: string, entries: EventsJsonEntry[]): Promise<Record<string, unknown>> {
  const project = path.join(dir, "consumer");
  await rm(project, { recursive: true, force: true });
  await mkdir(project, { recursive: true });
  const cases = entries
    .slice(0, 50)
    .map((e) => `    case ${JSON.stringify(e.type)}:\n      return e.data === undefined ? 0 : 1;`)
    .join("\n");
  await writeFile(
    path.join(project, "consumer.ts"),
    `import type { DomainEvent, EventOf, EventType } from "../out/index.js";
import { validate } from "../out/index.js";

export function handle(e: DomainEvent): number {
  switch (e.type) {
${cases}
    default:
      return 2;
  }
}

export function typed<T extends EventType>(type: T, value: unknown): EventOf<T> | undefined {
  const r = validate(value);
  return r.ok && r.event.type === type ? (r.event as EventOf<T>) : undefined;
}
`,
  );
  // `types: []`: the consumer's own @types packages (here, the repository's) are not ours to time.
  const compilerOptions = { noEmit: true, strict: true, module: "nodenext", moduleResolution: "nodenext", target: "es2022", types: [] };
  await writeFile(path.join(project, "tsconfig.json"), JSON.stringify({ compilerOptions, files: ["consumer.ts"] }));
  const tsc = (skipLibCheck: boolean) =>
    ok(timed(process.execPath, [TSC, "-p", "tsconfig.json", ...(skipLibCheck ? ["--skipLibCheck"] : [])], project), "tsc");
  return {
    tscSkipLibCheckMs: repeat(RUNS, () => tsc(true)).ms,
    tscFullMs: repeat(RUNS, () => tsc(false)).ms,
  };
}

// ---------------------------------------------------------------------------------------------

if (!existsSync(CLI)) {
  process.stderr.write("dist/ is missing: building it first (npm run build)\n");
  const r = spawnSync("npm", ["run", "build"], { cwd: ROOT, stdio: "inherit" });
  if (r.status !== 0) process.exit(1);
}
await mkdir(WORK, { recursive: true });
const machine = {
  cpu: cpus()[0]?.model ?? "unknown",
  cores: cpus().length,
  memoryGb: Math.round(totalmem() / 1e9),
  node: process.version,
  date: new Date().toISOString().slice(0, 10),
};
const results: Record<string, unknown>[] = [];
for (const size of SIZES) results.push(await bench(size));
await writeFile(path.join(WORK, "results.json"), `${JSON.stringify({ machine, results }, null, 2)}\n`);
process.stdout.write(report(machine, results));
process.stdout.write(`\nJSON: ${path.relative(ROOT, path.join(WORK, "results.json"))}\n`);

/** The printed report: one table, each row a measure, each column a corpus size, and the targets. */
function report(m: typeof machine, rows: Record<string, unknown>[]): string {
  const n = (v: unknown, digits = 0) => (typeof v === "number" && Number.isFinite(v) ? v.toFixed(digits) : "–");
  const s = (ms: unknown) => (typeof ms === "number" ? `${(ms / 1000).toFixed(2)} s` : "–");
  const ratio = (a: unknown, b: unknown) => (typeof a === "number" && typeof b === "number" ? `${(a / b).toFixed(1)}×` : "–");
  const line: [string, (r: Record<string, unknown>) => string][] = [
    ["cold build (check + types + validators + index)", (r) => s(r.coldMs)],
    ["naive pipeline, same run", (r) => s(r.naiveColdMs)],
    ["  ratio naive / ours", (r) => ratio(r.naiveColdMs, r.coldMs)],
    ["peak memory, cold build (MB)", (r) => n(r.coldRssMb)],
    ["peak memory, naive (MB)", (r) => n(r.naiveRssMb)],
    ["rebuild after editing one event", (r) => s(r.oneEditMs)],
    ["no-op build", (r) => s(r.noopMs)],
    ["check, cold (no cache)", (r) => s(r.checkColdMs)],
    ["check, warm (cache)", (r) => s(r.checkWarmMs)],
    ["types per event (KB)", (r) => n(r.typesPerEventKB, 2)],
    ["naive types per event (KB)", (r) => n(r.naiveTypesPerEventKB, 2)],
    ["validator code per event (KB)", (r) => n(r.validatorsPerEventKB, 1)],
    ["ajv's standalone per event, same options (KB)", (r) => n(r.ajvStandalonePerEventKB, 1)],
    ["ajv's standalone per event, naive (KB)", (r) => n(r.naiveValidatorsPerEventKB, 1)],
    ["validators per event, gzipped (KB)", (r) => n(r.validatorsPerEventGzKB, 2)],
    ["whole package per event, gzipped (KB)", (r) => n(r.packagePerEventGzKB, 2)],
    ["largest JS module (KB)", (r) => `${n(r.largestModuleKB)} (${r.largestModule})`],
    ["naive largest module (KB)", (r) => n(r.naiveLargestModuleKB)],
    ["largest .d.ts (KB)", (r) => n(r.largestDtsKB)],
    ["process: node alone (node -e 0)", (r) => `${n(r.bareNodeMs)} ms`],
    ["process: import root + validate one", (r) => `${n(r.importValidateMs)} ms`],
    ["process: import one system + validate", (r) => `${n(r.importSystemMs)} ms (${r.eventsInSystem} events)`],
    ["process: naive module + validate one", (r) => (r.naiveImportValidateMs ? `${n(r.naiveImportValidateMs)} ms` : "–")],
  ];
  const cols = rows.map((r) => String(r.size));
  const width = Math.max(...line.map(([l]) => l.length));
  const cells = line.map(([label, f]) => [label, ...rows.map(f)]);
  const colWidth = Math.max(10, ...cells.flatMap((c) => c.slice(1).map((x) => x.length)));
  let text = `\nMachine: ${m.cpu}, ${m.cores} cores, ${m.memoryGb} GB, Node ${m.node}, ${m.date}\n\n`;
  text += `${"event versions".padEnd(width)} | ${cols.map((c) => c.padStart(colWidth)).join(" | ")}\n`;
  text += `${"-".repeat(width)}-|-${cols.map(() => "-".repeat(colWidth)).join("-|-")}\n`;
  for (const [label, ...values] of cells)
    text += `${(label as string).padEnd(width)} | ${values.map((v) => v.padStart(colWidth)).join(" | ")}\n`;

  const at = rows.find((r) => r.throughput) as Record<string, unknown> | undefined;
  if (at) {
    const t = at.throughput as Record<string, Record<string, number>>;
    text += `\nValidation at ${at.size} events (validations/s of one event; "ajv in-process" has the build's options, "ajv defaults" inlines references):\n`;
    text += `${"input".padEnd(14)} | ${["hand-written", "ours", "ours/hand", "ajv in-process", "ours/ajv", "ajv defaults", "validate() API"].map((h) => h.padStart(14)).join(" | ")}\n`;
    for (const [input, v] of Object.entries(t)) {
      text += `${input.padEnd(14)} | ${[
        n(v.handwritten),
        n(v.ours),
        n((v.ours as number) / (v.handwritten as number), 2),
        n(v.ajvInProcess),
        n((v.ours as number) / (v.ajvInProcess as number), 2),
        n(v.ajvDefaults),
        n(v.api),
      ]
        .map((x) => x.padStart(14))
        .join(" | ")}\n`;
    }
    const dispatch = at.dispatchPerSec as number;
    const direct = at.directRotationPerSec as number;
    text += `dispatch by type over all ${at.size} types: ${n(dispatch)}/s; direct calls in the same rotation ${n(direct)}/s (overhead ${n((1 - dispatch / direct) * 100, 1)}%)\n`;
    text += `consumer tsc --noEmit (switch over DomainEvent): ${s(at.tscSkipLibCheckMs)} with --skipLibCheck, ${s(at.tscFullMs)} full\n`;
  }
  text += `\nTargets (issue 7):\n${targets(rows)
    .map(([ok, what]) => `  ${ok === undefined ? "?" : ok ? "✓" : "✗"} ${what}`)
    .join("\n")}\n`;
  text += "\nPredicting a build: cold ≈ the row for the nearest size, scaled by events; a no-op or a one-event edit stays near its row.\n";
  return text;
}

function targets(rows: Record<string, unknown>[]): [boolean | undefined, string][] {
  const r1 = rows.find((r) => r.size === 1000);
  const r5 = rows.find((r) => r.size === 5000);
  const num = (v: unknown) => (typeof v === "number" ? v : Number.NaN);
  const check = (cond: boolean, what: string): [boolean | undefined, string] => [
    Number.isNaN(cond as unknown as number) ? undefined : cond,
    what,
  ];
  const out: [boolean | undefined, string][] = [];
  if (r1) {
    out.push(
      check(
        num(r1.naiveColdMs) / num(r1.coldMs) >= 8,
        `cold build at 1,000 ≥ 8× faster than naive (${(num(r1.naiveColdMs) / num(r1.coldMs)).toFixed(1)}×)`,
      ),
    );
    out.push(check(num(r1.oneEditMs) <= 1000, `one edited file at 1,000 ≤ 1 s (${(num(r1.oneEditMs) / 1000).toFixed(2)} s)`));
    out.push(check(num(r1.noopMs) <= 500, `no-op at 1,000 ≤ 0.5 s (${(num(r1.noopMs) / 1000).toFixed(2)} s)`));
    out.push(check(num(r1.checkColdMs) <= 3000, `check at 1,000 ≤ 3 s, cold (${(num(r1.checkColdMs) / 1000).toFixed(2)} s)`));
    out.push(check(num(r1.checkWarmMs) <= 3000, `check at 1,000 ≤ 3 s, warm (${(num(r1.checkWarmMs) / 1000).toFixed(2)} s)`));
    out.push(check(num(r1.typesPerEventKB) <= 3, `types ≤ 3 KB per event (${num(r1.typesPerEventKB).toFixed(2)} KB)`));
    out.push(
      check(
        num(r1.validatorsPerEventKB) <= num(r1.ajvStandalonePerEventKB),
        `validator code no larger than ajv's standalone output, same options (${num(r1.validatorsPerEventKB).toFixed(1)} ≤ ${num(r1.ajvStandalonePerEventKB).toFixed(1)} KB)`,
      ),
    );
    out.push(check(num(r1.packagePerEventGzKB) <= 8, `≤ 8 KB per event gzipped overall (${num(r1.packagePerEventGzKB).toFixed(2)} KB)`));
    const t = r1.throughput as Record<string, Record<string, number>> | undefined;
    if (t) {
      const worst = Math.min(...Object.values(t).map((v) => (v.ours as number) / (v.handwritten as number)));
      const ajvWorst = Math.min(...Object.values(t).map((v) => (v.ours as number) / (v.ajvInProcess as number)));
      out.push(check(worst >= 0.85, `validate ≥ 0.85× hand-written on every input (worst ${worst.toFixed(2)}×)`));
      out.push(check(ajvWorst >= 0.95, `within 5% of in-process ajv (worst ${ajvWorst.toFixed(2)}×)`));
      const overhead = 1 - num(r1.dispatchPerSec) / num(r1.directRotationPerSec);
      out.push(check(num(r1.dispatchPerSec) >= 25000, `dispatch over all types ≥ 25k/s (${num(r1.dispatchPerSec).toFixed(0)}/s)`));
      out.push(check(overhead <= 0.05, `dispatch overhead ≤ 5% (${(overhead * 100).toFixed(1)}%)`));
      out.push(
        check(
          num(r1.tscSkipLibCheckMs) <= 2000,
          `consumer tsc at 1,000 ≤ 2 s with skipLibCheck (${(num(r1.tscSkipLibCheckMs) / 1000).toFixed(2)} s)`,
        ),
      );
      out.push(check(num(r1.tscFullMs) <= 3500, `consumer tsc at 1,000 ≤ 3.5 s full (${(num(r1.tscFullMs) / 1000).toFixed(2)} s)`));
    }
  }
  for (const r of rows) {
    out.push(check(num(r.largestModuleKB) <= 1024, `no module > 1 MB at ${r.size} (${num(r.largestModuleKB).toFixed(0)} KB)`));
    out.push(
      check(
        num(r.importValidateMs) <= 150,
        `import + validate ≤ 150 ms at ${r.size} (${num(r.importValidateMs).toFixed(0)} ms; node alone ${num(r.bareNodeMs).toFixed(0)} ms)`,
      ),
    );
  }
  if (r5) {
    out.push(check(num(r5.coldMs) <= 75000, `cold build at 5,000 ≤ 75 s (${(num(r5.coldMs) / 1000).toFixed(1)} s)`));
    out.push(check(num(r5.coldRssMb) <= 2048, `peak memory at 5,000 ≤ 2 GB (${num(r5.coldRssMb).toFixed(0)} MB)`));
    out.push(check(num(r5.noopMs) <= 1500, `no-op at 5,000 ≤ 1.5 s (${(num(r5.noopMs) / 1000).toFixed(2)} s)`));
  }
  return out;
}
