/**
 * The printed report of `npm run bench` (scripts/bench/index.ts measures, this file prints): the
 * machine and its load at the start and the end of the run, one table (each row a measure, each
 * column a corpus size), the validation table, and the targets (scripts/bench/targets.ts) with the
 * measured value and whether each is met.
 */

import { issueTargets, keptTargets, type Row, type Verdict } from "./targets.js";

/** The machine the run measured, and its load (os.loadavg(): 1, 5 and 15 minutes) at the start and the end. */
export interface Machine {
  cpu: string;
  cores: number;
  memoryGb: number;
  node: string;
  date: string;
  /** The command's settings: BENCH_SIZES, BENCH_RUNS, BENCH_NAIVE_MAX. */
  command: string;
  loadStart: number[];
  loadEnd?: number[];
}

const n = (v: unknown, digits = 0) => (typeof v === "number" && Number.isFinite(v) ? v.toFixed(digits) : "–");
const s = (ms: unknown) => (typeof ms === "number" && Number.isFinite(ms) ? `${(ms / 1000).toFixed(2)} s` : "–");
const ratio = (a: unknown, b: unknown, digits = 1) =>
  typeof a === "number" && typeof b === "number" && Number.isFinite(a / b) ? `${(a / b).toFixed(digits)}×` : "–";
const load = (l: number[] | undefined) => (l ? l.map((x) => x.toFixed(2)).join(", ") : "–");

/** The rows of the table: a label and how to print it for one size. */
const LINES: [string, (r: Row) => string][] = [
  ["cold build (check + types + validators + index)", (r) => s(r.coldMs)],
  [
    "floor: ajv + json-schema-to-typescript, same run",
    (r) => (r.floorMs === undefined ? "–" : `${s(r.floorMs)} (${r.floorWorkers} workers)`),
  ],
  ["  cold build / floor", (r) => ratio(r.coldMs, r.floorMs, 2)],
  ["  floor's CPU time, every thread", (r) => s(r.floorCpuMs)],
  ["  floor with ajv's standalone code (wall)", (r) => s(r.floorStandaloneMs)],
  [
    "  floor's tasks: ajv + json-schema-to-ts (wall)",
    (r) => (r.floorAjvMs === undefined ? "–" : `${s(r.floorAjvMs)} + ${s(r.floorTypesMs)}`),
  ],
  ["naive pipeline, same run", (r) => s(r.naiveColdMs)],
  ["  ratio naive / ours", (r) => ratio(r.naiveColdMs, r.coldMs)],
  ["peak memory, cold build (MB)", (r) => n(r.coldRssMb)],
  ["peak memory, naive (MB)", (r) => n(r.naiveRssMb)],
  ["rebuild after editing one event", (r) => s(r.oneEditMs)],
  ["no-op build", (r) => s(r.noopMs)],
  ["check, cold (no cache)", (r) => s(r.checkColdMs)],
  ["check, warm, nothing changed", (r) => s(r.checkWarmMs)],
  ["check, warm, after editing one event", (r) => s(r.checkEditMs)],
  ["check --watch: save → result", (r) => s(r.watchSaveMs)],
  ["types per event (KB)", (r) => n(r.typesPerEventKB, 2)],
  ["naive types per event (KB)", (r) => n(r.naiveTypesPerEventKB, 2)],
  ["validator code per event (KB)", (r) => n(r.validatorsPerEventKB, 1)],
  ["ajv's standalone per event, same options (KB)", (r) => n(r.ajvStandalonePerEventKB, 1)],
  ["ajv's standalone per event, naive (KB)", (r) => n(r.naiveValidatorsPerEventKB, 1)],
  ["validators per event, gzipped (KB)", (r) => n(r.validatorsPerEventGzKB, 2)],
  ["whole package per event, gzipped (KB)", (r) => n(r.packagePerEventGzKB, 2)],
  ["largest JS module (KB)", (r) => `${n(r.largestModuleKB)} (${r.largestModule})`],
  ["naive largest module (KB)", (r) => n(r.naiveLargestModuleKB)],
  ["largest declaration file (KB)", (r) => n(r.largestDtsKB)],
  ["process: node alone (node -e 0)", (r) => `${n(r.bareNodeMs)} ms`],
  ["process: import root + validate one", (r) => `${n(r.importValidateMs)} ms`],
  [
    "  over node alone: wall (CPU)",
    (r) => `+${n(num(r.importValidateMs) - num(r.bareNodeMs))} ms (+${n(num(r.importValidateCpuMs) - num(r.bareNodeCpuMs))} ms)`,
  ],
  ["process: import one system + validate", (r) => `${n(r.importSystemMs)} ms (${r.eventsInSystem} events)`],
  ["process: naive module + validate one", (r) => (r.naiveImportValidateMs ? `${n(r.naiveImportValidateMs)} ms` : "–")],
];

function num(v: unknown): number {
  return typeof v === "number" ? v : Number.NaN;
}

/** The whole report. */
export function report(m: Machine, rows: readonly Row[]): string {
  let text = `\nMachine: ${m.cpu}, ${m.cores} cores, ${m.memoryGb} GB, Node ${m.node}, ${m.date}\n`;
  text += `Command: ${m.command}\n`;
  text += `Load (1, 5, 15 min): ${load(m.loadStart)} at the start, ${load(m.loadEnd)} at the end\n\n`;
  text += table(rows);
  text += validation(rows);
  text += `\nTargets (issue 16):\n${verdicts(issueTargets(rows))}`;
  text += `\nTargets kept from issue 7:\n${verdicts(keptTargets(rows))}`;
  text += "\nPredicting a build: cold ≈ the row for the nearest size, scaled by events; a no-op or a one-event edit stays near its row.\n";
  return text;
}

function table(rows: readonly Row[]): string {
  const cols = rows.map((r) => String(r.size));
  const width = Math.max(...LINES.map(([l]) => l.length));
  const cells = LINES.map(([label, f]) => [label, ...rows.map(f)]);
  const colWidth = Math.max(10, ...cells.flatMap((c) => c.slice(1).map((x) => x.length)));
  let text = `${"event versions".padEnd(width)} | ${cols.map((c) => c.padStart(colWidth)).join(" | ")}\n`;
  text += `${"-".repeat(width)}-|-${cols.map(() => "-".repeat(colWidth)).join("-|-")}\n`;
  for (const [label, ...values] of cells)
    text += `${(label as string).padEnd(width)} | ${values.map((v) => v.padStart(colWidth)).join(" | ")}\n`;
  return text;
}

/** Validations per second of one event, each candidate, and ours as a ratio of the others. */
function validation(rows: readonly Row[]): string {
  const at = rows.find((r) => r.throughput);
  if (!at) return "";
  const t = at.throughput as Record<string, Record<string, number>>;
  const headers = ["hand-written", "ours", "ours/hand", "ajv in-process", "ours/ajv", "ajv defaults", "ours/ajv-def", "validate() API"];
  let text = `\nValidation at ${at.size} events (validations/s of one event, medians of ${at.throughputProcesses ?? 1} processes; "ajv in-process" has the build's options, "ajv defaults" its default options, references inlined):\n`;
  text += `${"input".padEnd(14)} | ${headers.map((h) => h.padStart(14)).join(" | ")}\n`;
  for (const [input, v] of Object.entries(t)) {
    const cells = [
      n(v.handwritten),
      n(v.ours),
      n(num(v.ours) / num(v.handwritten), 2),
      n(v.ajvInProcess),
      n(num(v.ours) / num(v.ajvInProcess), 2),
      n(v.ajvDefaults),
      n(num(v.ours) / num(v.ajvDefaults), 2),
      n(v.api),
    ];
    text += `${input.padEnd(14)} | ${cells.map((x) => x.padStart(14)).join(" | ")}\n`;
  }
  const dispatch = num(at.dispatchPerSec);
  const direct = num(at.directRotationPerSec);
  text += `dispatch by type over all ${at.size} types: ${n(dispatch)}/s; direct calls in the same rotation ${n(direct)}/s (overhead ${n((1 - dispatch / direct) * 100, 1)}%)\n`;
  text += `consumer tsc --noEmit (switch over DomainEvent): ${s(at.tscSkipLibCheckMs)} with --skipLibCheck, ${s(at.tscFullMs)} full\n`;
  return text;
}

function verdicts(list: readonly Verdict[]): string {
  if (list.length === 0) return "  (none at the sizes that ran)\n";
  return list.map(([met, what]) => `  ${met === undefined ? "? unknown" : met ? "✓ met    " : "✗ not met"} ${what}\n`).join("");
}
