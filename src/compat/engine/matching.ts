/**
 * Pairing the branches of two combinations: a maximum matching in the bipartite graph whose edges
 * are the compatible (old branch, new branch) pairs, as Confluent's `MaximumCardinalityMatch`.
 * Among the maximum matchings we take one with the fewest changes, so that the reported changes
 * are the simplest explanation (and the result does not depend on iteration order).
 *
 * Solved as an assignment problem (Hungarian algorithm): an edge costs its number of changes, a
 * non-edge costs more than any set of edges can.
 */

/** Returns the matched pairs `[row, column]`; `cost(r, c)` is undefined when r and c cannot pair. */
export function maximumMatching(
  rows: number,
  columns: number,
  cost: (row: number, column: number) => number | undefined,
): [number, number][] {
  if (rows === 0 || columns === 0) return [];
  const transpose = rows > columns;
  const n = transpose ? columns : rows;
  const m = transpose ? rows : columns;
  const costs: (number | undefined)[][] = [];
  let total = 0;
  for (let i = 0; i < n; i++) {
    const row: (number | undefined)[] = [];
    for (let j = 0; j < m; j++) {
      const c = transpose ? cost(j, i) : cost(i, j);
      row.push(c);
      total += c ?? 0;
    }
    costs.push(row);
  }
  const missing = total + 1;
  const assigned = hungarian(costs.map((row) => row.map((c) => (c === undefined ? missing : c))));
  const pairs: [number, number][] = [];
  assigned.forEach((j, i) => {
    if (costs[i]?.[j] === undefined) return;
    pairs.push(transpose ? [j, i] : [i, j]);
  });
  return pairs;
}

/** Minimum-cost assignment of each of n rows to a distinct one of m ≥ n columns; returns the column of each row. */
function hungarian(a: number[][]): number[] {
  const n = a.length;
  const m = a[0]?.length ?? 0;
  const u = new Array<number>(n + 1).fill(0);
  const v = new Array<number>(m + 1).fill(0);
  const p = new Array<number>(m + 1).fill(0); // p[j]: the row (1-based) assigned to column j
  const way = new Array<number>(m + 1).fill(0);
  for (let i = 1; i <= n; i++) {
    p[0] = i;
    let j0 = 0;
    const minv = new Array<number>(m + 1).fill(Number.POSITIVE_INFINITY);
    const used = new Array<boolean>(m + 1).fill(false);
    do {
      used[j0] = true;
      const i0 = p[j0]!;
      let delta = Number.POSITIVE_INFINITY;
      let j1 = 0;
      for (let j = 1; j <= m; j++) {
        if (used[j]) continue;
        const cur = a[i0 - 1]![j - 1]! - u[i0]! - v[j]!;
        if (cur < minv[j]!) {
          minv[j] = cur;
          way[j] = j0;
        }
        if (minv[j]! < delta) {
          delta = minv[j]!;
          j1 = j;
        }
      }
      for (let j = 0; j <= m; j++) {
        if (used[j]) {
          u[p[j]!] = u[p[j]!]! + delta;
          v[j] = v[j]! - delta;
        } else minv[j] = minv[j]! - delta;
      }
      j0 = j1;
    } while (p[j0] !== 0);
    do {
      const j1 = way[j0]!;
      p[j0] = p[j1]!;
      j0 = j1;
    } while (j0 !== 0);
  }
  const column = new Array<number>(n).fill(-1);
  for (let j = 1; j <= m; j++) if (p[j]! > 0) column[p[j]! - 1] = j - 1;
  return column;
}
