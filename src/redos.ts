/**
 * Catastrophic backtracking (ReDoS) in `pattern` and `patternProperties`, judged by a real analyser
 * (recheck). A vulnerable pattern would cost every consuming service on every hostile string.
 */

import { authoringToolSync } from "./authoring.js";
import { LIMITS } from "./limits.js";

/** The analyser's verdict on one pattern. */
export type PatternVerdict =
  | { status: "safe" }
  | { status: "vulnerable"; complexity: string; attack?: string }
  | { status: "unknown"; reason: string };

const verdicts = new Map<string, PatternVerdict>();
/** Where verdicts outlive the process (the build cache), keyed by pattern. */
export interface VerdictStore {
  get(pattern: string): PatternVerdict | undefined;
  set(pattern: string, verdict: PatternVerdict): void;
}
let store: VerdictStore | undefined;

/**
 * Keeps verdicts in `next` (the analyser is deterministic, with a fixed seed), so that a warm build
 * does not even load it. Only safe and vulnerable verdicts are kept: "unknown" may be a timeout.
 */
export function useVerdictStore(next: VerdictStore | undefined): void {
  store = next;
}

/** Judges a pattern (compiled with the u flag), once per distinct pattern in a process. */
export function patternVerdict(pattern: string): PatternVerdict {
  const known = verdicts.get(pattern) ?? store?.get(pattern);
  if (known) {
    verdicts.set(pattern, known);
    return known;
  }
  let verdict: PatternVerdict;
  // Outside the try: a missing analyser is the user's to fix, not an "unknown" verdict.
  const { checkSync } = authoringToolSync<typeof import("recheck")>("recheck");
  try {
    // A fixed seed keeps the fuzzing part of the analysis, and so the build, deterministic.
    const r = checkSync(pattern, "u", { timeout: LIMITS.patternCheckMs, randomSeed: 0 });
    if (r.status === "safe") verdict = { status: "safe" };
    else if (r.status === "vulnerable") {
      verdict = { status: "vulnerable", complexity: r.complexity.summary, attack: r.attack?.pattern };
    } else verdict = { status: "unknown", reason: r.error?.kind ?? "unknown" };
  } catch (e) {
    verdict = { status: "unknown", reason: (e as Error).message };
  }
  verdicts.set(pattern, verdict);
  if (verdict.status !== "unknown") store?.set(pattern, verdict);
  return verdict;
}
