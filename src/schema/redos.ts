/**
 * Catastrophic backtracking (ReDoS) in `pattern` and `patternProperties`, judged by a real analyser
 * (recheck). A vulnerable pattern would cost every consuming service on every hostile string.
 *
 * Only a proof counts as "safe": recheck's automaton checker, which decides from the pattern's
 * automaton whether any input can make backtracking super-linear. Its fuzz checker (what recheck
 * falls back to for back-references, lookarounds and large counted repeats) only searches for an
 * attack: when it finds none, the pattern is still unproven, and the build refuses it unless the
 * author allows that exact pattern (stages/validate/patterns.ts, SCHEMA_PATTERN_UNPROVEN). When the search does find
 * an attack, the pattern is vulnerable, allowance or not.
 *
 * Two analyses, one verdict per pattern:
 * 1. the automaton checker on the pattern with every counted repetition of a group read as unbounded
 *    (`(?:a|a){30}` as `(?:a|a){30,}`): a bounded repeat has no loop in the automaton, so recheck
 *    calls `^(?:a|a){30}$` safe although a 30-character value takes seconds; unbounded, the same
 *    ambiguity is a loop, and found. Reading more inputs as possible only adds backtracking paths, so
 *    a proof for the relaxed pattern holds for the pattern itself.
 * 2. when it cannot decide, the fuzz checker on the pattern as written, bounded by step counts
 *    rather than wall-clock (a fixed seed; no per-phase timeouts): its verdict is the same on a fast
 *    and on a loaded machine. A wall-clock timeout stays as a safety net only; a verdict it cuts
 *    short says so (`searched: false`) and no allowance is honoured for it.
 *
 * Every verdict, the undecided ones included, is kept per process and in the build cache, keyed by
 * the pattern and {@link ANALYSIS} (the analysis's parameters): a second `check` never runs the
 * analyser again for a pattern it has judged. A verdict made while the analyser failed (a call
 * threw) is kept for the process only: it says nothing of the pattern, and the next run asks again.
 */

import { authoringToolSync } from "./authoring-tools.js";
import { LIMITS } from "./limits.js";
import { AgentStopped, startAgent } from "./recheck-agent.js";

/** The analyser's verdict on one pattern. */
export type PatternVerdict =
  | { status: "safe" }
  | { status: "vulnerable"; complexity: string; attack?: string }
  /**
   * Not proven safe, and no attack found. `reason` is what stopped the proof (a back-reference,
   * a look-ahead, a timeout); `searched` is true when the search for an attack ran to its end,
   * which an author's allowance needs (a verdict without it, from an older cache, counts as false).
   */
  | { status: "unknown"; reason: string; searched?: boolean };

/**
 * Limits of the analysis besides `LIMITS.patternCheckMs` (the time of the proof), kept here, beside
 * the only code that reads them.
 */
export const PATTERN_LIMITS = {
  /**
   * Milliseconds the search for an attack (the fuzz checker, for a pattern the proof cannot decide)
   * may spend: a safety net, since the search is bounded by step counts; a search it cuts short
   * leaves the pattern unproven, and no allowance is honoured for it.
   */
  searchMs: 10_000,
  /**
   * The largest `maxLength` (or `propertyNames` `maxLength`) beside a pattern that the author allows
   * although the analyser cannot prove it safe (SCHEMA_PATTERN_UNPROVEN): it bounds the work of a
   * polynomial pattern that the search for an attack missed (the validators check the length first).
   */
  unprovenLength: 256,
} as const;

type Recheck = typeof import("recheck");
type CheckParameters = NonNullable<Parameters<Recheck["checkSync"]>[2]>;

/** The proof: the automaton checker, whatever recheck's own criteria would choose. */
const AUTOMATON: CheckParameters = { checker: "automaton", timeout: LIMITS.patternCheckMs };

/**
 * The search for an attack: the fuzz checker, deterministic (fixed seed, step limits instead of
 * per-phase timeouts, no recall run of the real engine). The overall timeout is a safety net.
 */
const FUZZ: CheckParameters = {
  checker: "fuzz",
  randomSeed: 0,
  attackLimit: 1_000_000,
  attackTimeout: null,
  incubationTimeout: null,
  seedingTimeout: null,
  recallTimeout: -1,
  timeout: PATTERN_LIMITS.searchMs,
};

/** What a verdict depends on besides the pattern and recheck's version (part of its cache key). */
export const ANALYSIS = JSON.stringify({ analysis: 2, relaxGroupCounts: true, automaton: AUTOMATON, fuzz: FUZZ });

const verdicts = new Map<string, PatternVerdict>();
/** Where verdicts outlive the process (the build cache), keyed by {@link verdictKey}. */
export interface VerdictStore {
  get(key: string): PatternVerdict | undefined;
  set(key: string, verdict: PatternVerdict): void;
}
let store: VerdictStore | undefined;
let analyserRuns = 0;

/** Keeps verdicts in `next` (the build cache), so that a warm build does not even load the analyser. */
export function useVerdictStore(next: VerdictStore | undefined): void {
  store = next;
}

/** The key of a pattern's verdict in a {@link VerdictStore}: the pattern under this analysis. */
export function verdictKey(pattern: string): string {
  return `${ANALYSIS}\n${pattern}`;
}

/** How many times this process has run the analyser (tests: a cached verdict costs no run). */
export function analyserRunCount(): number {
  return analyserRuns;
}

/** Forgets the verdicts this process learnt, as a new process would (tests of the build cache). */
export function forgetVerdicts(): void {
  verdicts.clear();
}

/** Judges a pattern (compiled with the u flag), once per distinct pattern and analysis. */
export function patternVerdict(pattern: string): PatternVerdict {
  const known = knownVerdict(pattern);
  if (known) return known;
  // Outside the analysis' try: a missing analyser is the user's to fix, not an "unknown" verdict.
  const recheck = authoringToolSync<Recheck>("recheck");
  const { verdict, threw } = finish(analysis(pattern), (source, params) => recheck.checkSync(source, "u", params));
  return learnt(pattern, verdict, !threw);
}

/**
 * Judges the patterns that neither this process nor the store knows, all at once and without
 * blocking this thread: recheck's asynchronous calls go to its analyser, one process answering
 * them in turn, so the pipeline can ask before the schema rules run (pipeline.ts) instead of each
 * rule waiting in turn on a worker thread that recheck's synchronous calls start and load it in.
 * The verdicts are those patternVerdict gives: the same steps, the same parameters.
 */
export async function judgePatterns(patterns: Iterable<string>): Promise<void> {
  const unknown = [...new Set(patterns)].filter((p) => !knownVerdict(p));
  if (unknown.length === 0) return;
  // recheck's analyser program, started directly (recheck-agent.ts); else recheck's own check.
  const agent = await startAgent();
  const recheck = agent ? undefined : authoringToolSync<Recheck>("recheck");
  const check = (source: string, params: CheckParameters): Promise<Diagnostics> =>
    agent ? (agent.check(source, "u", params) as Promise<Diagnostics>) : (recheck as Recheck).check(source, "u", params);
  try {
    await Promise.all(
      unknown.map(async (pattern) => {
        const steps = analysis(pattern);
        let step = steps.next();
        let threw = false;
        while (!step.done) {
          const [source, params] = step.value;
          const outcome = await settled(() => check(source, params));
          // The program stopped: no verdict, and none kept; the rule asks recheck itself (patternVerdict).
          if (!outcome.ok && outcome.error instanceof AgentStopped) return;
          threw ||= !outcome.ok;
          step = steps.next(outcome);
        }
        learnt(pattern, step.value, !threw);
      }),
    );
  } finally {
    agent?.close();
  }
}

function knownVerdict(pattern: string): PatternVerdict | undefined {
  const known = verdicts.get(pattern) ?? store?.get(verdictKey(pattern));
  if (known) verdicts.set(pattern, known);
  return known;
}

/**
 * Keeps a verdict for this process and, unless a call of its analysis threw (the analyser failed:
 * what it says is about the analyser, not the pattern), in the store for later runs.
 */
function learnt(pattern: string, verdict: PatternVerdict, keep: boolean): PatternVerdict {
  verdicts.set(pattern, verdict);
  if (keep) store?.set(verdictKey(pattern), verdict);
  return verdict;
}

type Diagnostics = ReturnType<Recheck["checkSync"]>;
/** A call's outcome: recheck's answer, or what it threw. */
type Outcome = { ok: true; value: Diagnostics } | { ok: false; error: Error };
/** One call to the analyser: the source to check and the parameters. */
type Call = [string, CheckParameters];

async function settled(call: () => Promise<Diagnostics>): Promise<Outcome> {
  try {
    return { ok: true, value: await call() };
  } catch (e) {
    return { ok: false, error: e as Error };
  }
}

/** Runs the analysis' calls synchronously; `threw` when one of them did. */
function finish(
  steps: Generator<Call, PatternVerdict, Outcome>,
  run: (source: string, params: CheckParameters) => Diagnostics,
): { verdict: PatternVerdict; threw: boolean } {
  let step = steps.next();
  let threw = false;
  while (!step.done) {
    const [source, params] = step.value;
    let outcome: Outcome;
    try {
      outcome = { ok: true, value: run(source, params) };
    } catch (e) {
      outcome = { ok: false, error: e as Error };
      threw = true;
    }
    step = steps.next(outcome);
  }
  return { verdict: step.value, threw };
}

/**
 * The proof, then (when it cannot decide) the search for an attack: the calls it makes, each
 * answered by the caller (synchronously or not), and the verdict they give.
 */
function* analysis(pattern: string): Generator<Call, PatternVerdict, Outcome> {
  analyserRuns++;
  const relaxed = withUnboundedGroupCounts(pattern);
  let reason: string;
  const proved = yield [relaxed, AUTOMATON];
  if (proved.ok) {
    const proof = proved.value;
    if (proof.status === "safe") return { status: "safe" };
    if (proof.status === "vulnerable") {
      // The attack string is one for the relaxed pattern: shown only when that is the pattern itself.
      const bounded = relaxed !== pattern ? ", with counted repeats of groups read as unbounded" : "";
      return {
        status: "vulnerable",
        complexity: `${proof.complexity.summary}${bounded}`,
        attack: bounded ? undefined : proof.attack.pattern,
      };
    }
    reason = describeError(proof.error);
  } else reason = proved.error.message;
  const searched = yield [pattern, FUZZ];
  if (!searched.ok)
    return { status: "unknown", reason: `${reason}; the search for an attack failed: ${searched.error.message}`, searched: false };
  const search = searched.value;
  if (search.status === "vulnerable") {
    return { status: "vulnerable", complexity: search.complexity.summary, attack: search.attack.pattern };
  }
  if (search.status === "safe") return { status: "unknown", reason, searched: true };
  return { status: "unknown", reason: `${reason}; the search for an attack stopped: ${describeError(search.error)}`, searched: false };
}

/** recheck's error as a reason: "back-reference", "look-ahead assertion", "timeout". */
function describeError(error: { kind: string; message?: string }): string {
  return error.message ? error.message : error.kind;
}

/**
 * The pattern with every counted repetition of a group (`(…){n}`, `(…){n,m}`) written `{n,}`.
 * Counted repeats of a single character or class stay as they are: they add no ambiguity of their
 * own, and reading `[a-z]{1,64}[a-z]{1,64}` as unbounded would call it polynomial. The pattern is
 * valid with the u flag (stages/validate/patterns.ts compiles it first), where a `{` outside a class and outside
 * `\p{…}` or `\u{…}` is always a quantifier.
 */
export function withUnboundedGroupCounts(pattern: string): string {
  let out = "";
  let afterGroup = false;
  let i = 0;
  while (i < pattern.length) {
    const c = pattern[i] as string;
    if (c === "\\") {
      const end = escapeEnd(pattern, i);
      out += pattern.slice(i, end);
      i = end;
      afterGroup = false;
    } else if (c === "[") {
      const end = classEnd(pattern, i);
      out += pattern.slice(i, end);
      i = end;
      afterGroup = false;
    } else if (c === "{") {
      const end = pattern.indexOf("}", i) + 1;
      const min = /^\{(\d+)/.exec(pattern.slice(i, end))?.[1];
      out += afterGroup && min !== undefined ? `{${min},}` : pattern.slice(i, end);
      i = end;
      afterGroup = false;
    } else {
      out += c;
      i++;
      // A quantifier's lazy `?` keeps nothing to quantify; `)` closes a group that a `{` may follow.
      afterGroup = c === ")";
    }
  }
  return out;
}

/** The index after the escape at `i`: `\p{…}`, `\P{…}` and `\u{…}` whole, else the next code point. */
function escapeEnd(pattern: string, i: number): number {
  const next = pattern[i + 1];
  if ((next === "p" || next === "P" || next === "u") && pattern[i + 2] === "{") return pattern.indexOf("}", i) + 1;
  const cp = pattern.codePointAt(i + 1);
  return i + 1 + (cp !== undefined && cp > 0xffff ? 2 : 1);
}

/** The index after the character class that starts at `i` (no nested classes without the v flag). */
function classEnd(pattern: string, i: number): number {
  let j = i + 1;
  while (j < pattern.length && pattern[j] !== "]") j = pattern[j] === "\\" ? escapeEnd(pattern, j) : j + 1;
  return j + 1;
}
