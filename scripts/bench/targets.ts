/**
 * The targets `npm run bench` checks its own figures against (scripts/bench/report.ts prints them):
 * those of issue 16 (speed at the floor of our libraries: ratios to the floor measured in the same
 * run, scripts/bench/floor.ts), and those of issue 7 that issue 16 did not replace (sizes of the
 * output, dispatch, a consumer's type-check). A target is only judged at a size that ran; a figure
 * that was not measured reads "?", never "met".
 */

/** A row of results: one corpus size (scripts/bench/index.ts). */
export type Row = Record<string, unknown>;

/** A target: met (true), not met (false) or not measured (undefined), and what it says with the figure. */
export type Verdict = [boolean | undefined, string];

/** The validation rows the targets speak of: valid input, and input invalid near its end. */
const VALIDATION_INPUTS = ["valid", "lateInvalid"] as const;

const num = (v: unknown) => (typeof v === "number" ? v : Number.NaN);
const sec = (ms: number) => `${(ms / 1000).toFixed(2)} s`;

/** `value ≤ limit` (or `≥` when `atLeast`), undefined when the value was not measured. */
function judge(value: number, limit: number, what: string, atLeast = false): Verdict {
  if (!Number.isFinite(value)) return [undefined, `${what} (not measured)`];
  return [atLeast ? value >= limit : value <= limit, what];
}

/** Issue 16's targets, for the sizes that ran. */
export function issueTargets(rows: readonly Row[]): Verdict[] {
  const out: Verdict[] = [];
  const r1 = rows.find((r) => r.size === 1000);
  const r5 = rows.find((r) => r.size === 5000);
  if (r1) {
    out.push(coldToFloor(r1));
    if (r1.naiveColdMs !== undefined) {
      const ratio = num(r1.naiveColdMs) / num(r1.coldMs);
      out.push(judge(ratio, 5, `at 1,000: cold build ≥ 5× faster than the naive pipeline (${ratio.toFixed(1)}×)`, true));
    }
    out.push(judge(num(r1.oneEditMs), 1000, `at 1,000: rebuild after one edit ≤ 1 s (${sec(num(r1.oneEditMs))})`));
    out.push(judge(num(r1.noopMs), 300, `at 1,000: no-op build ≤ 0.3 s (${sec(num(r1.noopMs))})`));
    out.push(judge(num(r1.checkWarmMs), 400, `at 1,000: check, warm, nothing changed ≤ 0.4 s (${sec(num(r1.checkWarmMs))})`));
    out.push(judge(num(r1.checkEditMs), 600, `at 1,000: check after one edit ≤ 0.6 s (${sec(num(r1.checkEditMs))})`));
    out.push(judge(num(r1.watchSaveMs), 500, `at 1,000: check --watch, save → result ≤ 0.5 s (${sec(num(r1.watchSaveMs))})`));
  }
  if (r5) {
    out.push(coldToFloor(r5));
    out.push(judge(num(r5.coldRssMb), 1536, `at 5,000: peak memory of the cold build ≤ 1.5 GB (${num(r5.coldRssMb).toFixed(0)} MB)`));
    out.push(judge(num(r5.oneEditMs), 2000, `at 5,000: rebuild after one edit ≤ 2 s (${sec(num(r5.oneEditMs))})`));
  }
  out.push(...validationTargets(rows));
  for (const r of rows) {
    const over = num(r.importValidateMs) - num(r.bareNodeMs);
    const cpu = num(r.importValidateCpuMs) - num(r.bareNodeCpuMs);
    out.push(
      judge(
        over,
        35,
        `at ${r.size}: import + first validate ≤ 35 ms over node -e 0 (${over.toFixed(0)} ms: ${num(r.importValidateMs).toFixed(0)} against ${num(r.bareNodeMs).toFixed(0)} ms; CPU +${cpu.toFixed(0)} ms)`,
      ),
    );
  }
  return out;
}

/** The cold build at most 1.5× the floor of the libraries, both measured in the same run. */
function coldToFloor(r: Row): Verdict {
  const ratio = num(r.coldMs) / num(r.floorMs);
  const size = num(r.size).toLocaleString("en-US");
  return judge(
    ratio,
    1.5,
    `at ${size}: cold build ≤ 1.5× the floor (${sec(num(r.coldMs))} / ${sec(num(r.floorMs))} = ${ratio.toFixed(2)}×)`,
  );
}

/** Ours against the hand-written validator (≥ 0.5×) and against ajv with its defaults (≥ 1.4×). */
function validationTargets(rows: readonly Row[]): Verdict[] {
  const at = rows.find((r) => r.throughput);
  if (!at) return [];
  const t = at.throughput as Record<string, Record<string, number>>;
  const out: Verdict[] = [];
  for (const input of VALIDATION_INPUTS) {
    const v = t[input];
    if (!v) continue;
    const hand = num(v.ours) / num(v.handwritten);
    const defaults = num(v.ours) / num(v.ajvDefaults);
    out.push(judge(hand, 0.5, `validation, ${input}: ≥ 0.5× the hand-written validator (${hand.toFixed(2)}×, at ${at.size})`, true));
    out.push(
      judge(defaults, 1.4, `validation, ${input}: ≥ 1.4× ajv with its default options (${defaults.toFixed(2)}×, at ${at.size})`, true),
    );
  }
  return out;
}

/** Issue 7's targets that issue 16 kept: the output's size, dispatch, a consumer's type-check. */
export function keptTargets(rows: readonly Row[]): Verdict[] {
  const out: Verdict[] = [];
  const r1 = rows.find((r) => r.size === 1000);
  if (r1) {
    out.push(judge(num(r1.typesPerEventKB), 3, `types ≤ 3 KB per event (${num(r1.typesPerEventKB).toFixed(2)} KB)`));
    const ours = num(r1.validatorsPerEventKB);
    const ajv = num(r1.ajvStandalonePerEventKB);
    out.push(
      judge(
        ours - ajv,
        0,
        `validator code no larger than ajv's standalone output, same options (${ours.toFixed(1)} ≤ ${ajv.toFixed(1)} KB)`,
      ),
    );
    out.push(judge(num(r1.packagePerEventGzKB), 8, `≤ 8 KB per event gzipped overall (${num(r1.packagePerEventGzKB).toFixed(2)} KB)`));
    if (r1.throughput) {
      const overhead = 1 - num(r1.dispatchPerSec) / num(r1.directRotationPerSec);
      out.push(judge(num(r1.dispatchPerSec), 25000, `dispatch over all types ≥ 25k/s (${num(r1.dispatchPerSec).toFixed(0)}/s)`, true));
      out.push(judge(overhead, 0.05, `dispatch overhead ≤ 5% (${(overhead * 100).toFixed(1)}%)`));
      out.push(judge(num(r1.tscSkipLibCheckMs), 2000, `consumer tsc at 1,000 ≤ 2 s with skipLibCheck (${sec(num(r1.tscSkipLibCheckMs))})`));
      out.push(judge(num(r1.tscFullMs), 3500, `consumer tsc at 1,000 ≤ 3.5 s full (${sec(num(r1.tscFullMs))})`));
    }
  }
  for (const r of rows)
    out.push(judge(num(r.largestModuleKB), 1024, `no module > 1 MB at ${r.size} (${num(r.largestModuleKB).toFixed(0)} KB)`));
  return out;
}
