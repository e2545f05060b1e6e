/** Searches in sorted arrays: the JSON parser's line starts (json.ts), the reference graph's file bases (ref-graph.ts). */

/** The index of the last of the ascending `bases` that is at or before `n` (0 when none is). */
export function lastAtOrBefore(bases: readonly number[], n: number): number {
  let lo = 0;
  let hi = bases.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if ((bases[mid] as number) <= n) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}
