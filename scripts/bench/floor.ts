/**
 * The floor of our libraries, for `npm run bench` (index.ts): what ajv and json-schema-to-typescript
 * alone cost for a corpus, doing the work our compile stage asks of them, spread over worker threads
 * as the build spreads it. The cold build is printed as a ratio of this floor ("cold build / floor"),
 * both measured in the same run, so that the ratio holds whatever the machine's load.
 *
 * The work, per the compile stage (src/compile/compile.ts, src/compile/types.ts):
 * - ajv, with the build's options (src/schema/ajv.ts createAjvSet, first error only), in batches of
 *   50 units with a fresh pair of instances per batch, the envelope and the shared definitions
 *   registered in each: every schema (events and shared definitions) compiled, each of its examples
 *   validated once (their first calls), and for each event its validator (envelope + data,
 *   src/model/envelope.ts compiledEventSchema) compiled. ajv's `code.source` is off: ajv generates
 *   the same code, but does not keep its text. Keeping it is what lets the build write the
 *   validators out; it slows every later compile of the instance, which is our cost, not ajv's.
 * - json-schema-to-typescript, once per system root and once for the shared definitions' root, as
 *   src/generate/types.ts declarationRoots makes them (src/compile/types.ts compileTypes).
 * What is ours is left out: reading and checking the tree, splitting the validators' code, the
 * cache, generating and writing the package.
 *
 * A second measure, `standalone`, adds what any package of precompiled validators asks of ajv on
 * top: `code.source` on, and ajv's own standalone code made for each event's validator (the text
 * is dropped, not written; an event's own functions let go of their `source` once its code is made,
 * as the compile stage does). It is the floor of the work the build must do with its libraries, printed
 * beside the floor so that the ratio's headroom shows.
 *
 * Two worker threads (the build's count: the cores, at most two) take the tasks from one queue, the
 * ajv batches first, then the types roots. Measured so, rather than as one thread's CPU time divided
 * by the cores: the floor then pays what any build over two threads pays (a last task that leaves
 * one worker idle, two heaps, two JIT warm-ups) and nothing more, so the ratio compares like with
 * like, and it is wall time, as the cold build's figure is. The clock runs from the moment both workers have loaded
 * their libraries and their inputs to the last task's answer: the wall time of the libraries' work.
 * The workers' busy time per library (the sum of their tasks' times, about their CPU time when no
 * more threads than cores run) is reported beside it.
 *
 * Run as a child process of the bench, in two steps, so that the bench's own heap stays out of it:
 *   node --import tsx scripts/bench/floor.ts prepare EVENTS_DIR INPUTS.json   the compile inputs
 *   node --import tsx scripts/bench/floor.ts measure INPUTS.json              prints a FloorResult
 */

import { spawnSync } from "node:child_process";
import { readFileSync, writeFileSync } from "node:fs";
import { availableParallelism } from "node:os";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { isMainThread, parentPort, Worker, workerData } from "node:worker_threads";
import standaloneModule from "ajv/dist/standalone/index.js";
import type { SharedInput, TypesInput, UnitInput } from "../../src/compile/compile.js";
import { ENVELOPE_ID, eventSchemaId } from "../../src/compile/ids.js";
import { compileInputs } from "../../src/compile/inputs.js";
import { compileTypes, ROOT } from "../../src/compile/types.js";
import { hasErrors } from "../../src/diagnostics/index.js";
import { Bundle } from "../../src/generate/bundle.js";
import { declarationRoots } from "../../src/generate/types.js";
import { compiledEventSchema, envelopeBaseSchema } from "../../src/model/envelope.js";
import type { EventTree, ParsedFile } from "../../src/model/tree.js";
import { createAjvSet } from "../../src/schema/ajv.js";
import { idOf } from "../../src/schema/refs.js";
import { discover } from "../../src/stages/discover.js";
import { parse } from "../../src/stages/parse.js";
import { validate } from "../../src/stages/validate/index.js";
import { versions } from "../../src/stages/versions.js";

type Standalone = typeof import("ajv/dist/standalone/index.js").default;
const standaloneCode: Standalone =
  (standaloneModule as unknown as { default?: Standalone }).default ?? (standaloneModule as unknown as Standalone);

/** What the floor took. */
export interface FloorResult {
  /** Wall time of the libraries' work over the workers, in milliseconds. */
  wallMs: number;
  /** Worker threads used. */
  workers: number;
  /** Summed time of the ajv tasks (compiling, first calls of the examples). */
  ajvMs: number;
  /** Summed time of the json-schema-to-typescript tasks. */
  typesMs: number;
  /** CPU time of the whole process while the clock ran (every thread, garbage collection included). */
  cpuMs: number;
  schemas: number;
  examples: number;
  typesRoots: number;
}

/** The compile stage's inputs for a tree, as the floor's workers read them. */
interface FloorInputs {
  shared: SharedInput[];
  units: UnitInput[];
  roots: TypesInput[];
}

/** A task of the queue: one ajv batch, or one types root, by index. */
type Task = { kind: "ajv"; index: number } | { kind: "types"; index: number };

/** Units per ajv batch: the compile stage's (src/compile/index.ts BATCH). */
const BATCH = 50;
const HERE = fileURLToPath(import.meta.url);
/** The repository: `--import tsx` resolves from the working folder. */
const REPO = path.resolve(path.dirname(HERE), "../..");
/**
 * A worker's first code: it registers tsx, then loads this file (Node 20 does not hand `--import`
 * hooks to worker threads).
 */
const WORKER_BOOT = `import(${JSON.stringify(import.meta.resolve("tsx/esm/api"))})
  .then((tsx) => { tsx.register(); return import(${JSON.stringify(pathToFileURL(HERE).href)}); });`;

// ---------------------------------------------------------------------------------------------
// Called by the bench

/** Writes the compile inputs of the tree at `eventsDir` to `file` (a child process; not timed). */
export function prepareFloor(eventsDir: string, file: string): void {
  run(["prepare", eventsDir, file]);
}

/** Measures the floor for the inputs `prepareFloor` wrote, in a fresh process (with ajv's standalone code: `standalone`). */
export function measureFloor(file: string, standalone = false): FloorResult {
  return JSON.parse(run(["measure", file, ...(standalone ? ["standalone"] : [])])) as FloorResult;
}

function run(args: string[]): string {
  const r = spawnSync(process.execPath, ["--import", "tsx", HERE, ...args], {
    cwd: REPO,
    encoding: "utf8",
    maxBuffer: 64 * 1024 * 1024,
  });
  if (r.status !== 0) throw new Error(`floor ${args[0]} failed (${r.status}):\n${r.stdout}\n${r.stderr}`);
  return r.stdout;
}

// ---------------------------------------------------------------------------------------------
// prepare: the tree through the stages that come before compile (no cache, nothing compiled)

async function prepare(eventsDir: string, file: string): Promise<void> {
  const found = await discover({ eventsDir, cwd: path.dirname(eventsDir) });
  const parsed = parse(found.value);
  const validated = validate(
    parsed.value,
    found.value.map((f) => f.rel),
  );
  const versioned = versions(found.value, validated.value.schemas);
  const problems = [...found.diagnostics, ...parsed.diagnostics, ...validated.diagnostics, ...versioned.diagnostics];
  if (hasErrors(problems)) throw new Error(`the corpus has errors: ${JSON.stringify(problems.slice(0, 3))}`);
  // The checked tree, as src/pipeline.ts makes it: each event with its system's source pin.
  const pins = new Map(validated.value.systems.map((s) => [s.system, s.source]));
  const tree: EventTree = {
    events: versioned.value.map((e) => (pins.get(e.system) ? { ...e, sourcePin: pins.get(e.system) } : e)),
    shared: [...validated.value.schemas.values()].map((s) => s.file).filter((f): f is ParsedFile => f.kind.kind === "shared"),
    systems: validated.value.systems,
  };
  const roots = declarationRoots(tree, new Bundle(tree.events, tree.shared));
  const inputs = compileInputs(tree, validated.value.schemas, roots);
  const out: FloorInputs = {
    shared: inputs.shared,
    units: inputs.units.map(({ deps: _, ...unit }) => unit).sort((a, b) => (a.rel < b.rel ? -1 : 1)),
    roots: [...roots.roots, roots.shared].map((source) => ({ id: source.id, root: source.make().root })),
  };
  writeFileSync(file, JSON.stringify(out));
}

// ---------------------------------------------------------------------------------------------
// measure: the main thread deals the tasks out

async function measure(file: string, standalone: boolean): Promise<FloorResult> {
  const inputs = JSON.parse(readFileSync(file, "utf8")) as FloorInputs;
  const tasks: Task[] = [
    ...Array.from({ length: Math.ceil(inputs.units.length / BATCH) }, (_, index): Task => ({ kind: "ajv", index })),
    ...inputs.roots.map((_, index): Task => ({ kind: "types", index })),
  ];
  const count = Math.min(2, availableParallelism());
  const workers = Array.from({ length: count }, () => new Worker(WORKER_BOOT, { eval: true, workerData: { file, standalone } }));
  await Promise.all(workers.map((w) => nextMessage(w)));

  const spent = { ajv: 0, types: 0 };
  const cpu = process.cpuUsage();
  const started = performance.now();
  let next = 0;
  await Promise.all(
    workers.map(async (worker) => {
      while (next < tasks.length) {
        const task = tasks[next++] as Task;
        worker.postMessage(task);
        const answer = (await nextMessage(worker)) as { ms: number };
        spent[task.kind] += answer.ms;
      }
    }),
  );
  const wallMs = performance.now() - started;
  const used = process.cpuUsage(cpu);
  await Promise.all(workers.map((w) => w.terminate()));
  return {
    wallMs,
    workers: count,
    ajvMs: spent.ajv,
    typesMs: spent.types,
    cpuMs: (used.user + used.system) / 1000,
    schemas: inputs.units.length,
    examples: inputs.units.reduce((n, u) => n + u.examples.length, 0),
    typesRoots: inputs.roots.length,
  };
}

/** The worker's next message; its error, if it fails. */
function nextMessage(worker: Worker): Promise<unknown> {
  return new Promise((resolve, reject) => {
    const onMessage = (m: unknown) => {
      worker.off("error", onError);
      resolve(m);
    };
    const onError = (e: Error) => {
      worker.off("message", onMessage);
      reject(e);
    };
    worker.once("message", onMessage);
    worker.once("error", onError);
  });
}

// ---------------------------------------------------------------------------------------------
// A worker: loads its libraries and inputs, says so, then runs the tasks it is sent

async function serve(file: string, standalone: boolean): Promise<void> {
  const inputs = JSON.parse(readFileSync(file, "utf8")) as FloorInputs;
  // Load both libraries before the clock starts, as the build's workers do when they start.
  createAjvSet({ allErrors: false });
  await compileTypes({ type: "object" }, ROOT);
  parentPort?.on("message", (task: Task) => {
    const started = performance.now();
    const done = task.kind === "ajv" ? Promise.resolve(ajvBatch(inputs, task.index, standalone)) : typesRoot(inputs, task.index);
    done.then(
      () => parentPort?.postMessage({ ms: performance.now() - started }),
      (e: unknown) => {
        throw e;
      },
    );
  });
  parentPort?.postMessage("ready");
}

/** One batch: what compile.ts's compileBatch asks of ajv, without the splitting of the code. */
function ajvBatch(inputs: FloorInputs, index: number, standalone: boolean): void {
  const units = inputs.units.slice(index * BATCH, (index + 1) * BATCH);
  const ajv = createAjvSet({ allErrors: false, source: standalone });
  for (const dialect of ["2020-12", "draft-07"] as const) {
    ajv[dialect].addSchema(envelopeBaseSchema(ENVELOPE_ID));
    for (const s of inputs.shared)
      ajv[dialect].addSchema(s.dialect === dialect ? s.schema : withoutDialect(s.schema), idOf(s.rel), undefined, false);
  }
  const shared = new Set(inputs.shared.map((s) => s.rel));
  for (const u of units) if (!shared.has(u.rel)) ajv[u.dialect].addSchema(u.schema, idOf(u.rel), undefined, false);
  for (const unit of units) {
    const fn = ajv[unit.dialect].getSchema(idOf(unit.rel));
    if (!fn) throw new Error(`ajv lost ${unit.rel}`);
    for (const example of unit.examples) fn(example);
    if (!unit.event) continue;
    const id = eventSchemaId(unit.event.type);
    const { type, sourcePin } = unit.event;
    ajv[unit.dialect].addSchema(compiledEventSchema({ id, envelopeId: ENVELOPE_ID, type, dataRef: idOf(unit.rel), sourcePin }));
    const eventFn = ajv[unit.dialect].getSchema(id);
    if (!eventFn) throw new Error(`ajv lost ${id}`);
    if (standalone) {
      standaloneCode(ajv[unit.dialect], eventFn);
      // The event's two functions are reached by no other event: their source goes, as the compile
      // stage lets it go (the shared definitions' functions keep theirs, for the next events' code).
      delete (eventFn as { source?: unknown }).source;
      delete (fn as { source?: unknown }).source;
    }
  }
}

async function typesRoot(inputs: FloorInputs, index: number): Promise<void> {
  await compileTypes((inputs.roots[index] as TypesInput).root, ROOT);
}

function withoutDialect(schema: Record<string, unknown>): Record<string, unknown> {
  const { $schema: _, ...rest } = schema;
  return rest;
}

// ---------------------------------------------------------------------------------------------

if (!isMainThread) {
  const data = workerData as { file: string; standalone: boolean };
  await serve(data.file, data.standalone);
} else if (process.argv[1] && path.resolve(process.argv[1]) === HERE) {
  const [mode, a, b] = process.argv.slice(2);
  if (mode === "prepare" && a && b) await prepare(path.resolve(a), b);
  else if (mode === "measure" && a && (b === undefined || b === "standalone"))
    process.stdout.write(`${JSON.stringify(await measure(a, b === "standalone"))}\n`);
  else {
    process.stderr.write(
      "usage: node --import tsx scripts/bench/floor.ts prepare EVENTS_DIR INPUTS.json | measure INPUTS.json [standalone]\n",
    );
    process.exitCode = 2;
  }
}
