/**
 * Validation throughput for `npm run bench` (scripts/bench/index.ts): validations per second of one
 * event (the corpus's sample, `billing.order.order-cancelled.v1`) by the hand-written validator
 * (scripts/bench/handwritten.ts), by ours as the package ships it, by ajv compiled in the same
 * process with the build's options and with its default options, and through the package's
 * `validate()`; and dispatch by type over every type. Runs in a process of its own: the bench's
 * heap and its compiled code stay out of the figures.
 */

import { writeFileSync } from "node:fs";
import path from "node:path";
import { median, ok, ROOT, timed, WORK } from "./timed.js";

export interface EventsJsonEntry {
  type: string;
  system: string;
  typeName: string;
  schema: { $defs: Record<string, { examples?: unknown[] }>; properties: { source: { const?: string; pattern?: string } } };
}

export function sampleEvent(entry: EventsJsonEntry): Record<string, unknown> {
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
export function throughput(out: string, entries: EventsJsonEntry[], type: string): Record<string, unknown> {
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
  // Each process's figures are the best of its rounds; the figures printed are the medians over
  // PROCESSES processes. One process in six to eight settles on code several times slower for one
  // input (V8 optimising a validator again after it met the objects of another input, for ajv's
  // code with its defaults as for ours): a single process would print that as the figure.
  const runs = Array.from({ length: PROCESSES }, () => {
    const r = ok(timed(process.execPath, [file]), "throughput");
    return JSON.parse(r.stdout) as { rows: Record<string, Record<string, number>>; dispatch: number; direct: number };
  });
  const first = runs[0] as (typeof runs)[number];
  const rows = Object.fromEntries(
    Object.entries(first.rows).map(([input, candidates]) => [
      input,
      Object.fromEntries(Object.keys(candidates).map((c) => [c, median(runs.map((r) => r.rows[input]?.[c] ?? 0))])),
    ]),
  );
  return {
    throughput: rows,
    dispatchPerSec: median(runs.map((r) => r.dispatch)),
    directRotationPerSec: median(runs.map((r) => r.direct)),
    throughputProcesses: PROCESSES,
  };
}

/** How many processes measure validation (an odd number: the median is one of them). */
const PROCESSES = 3;
