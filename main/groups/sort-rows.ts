// Order rows by time, ties by id: the order of a member's points everywhere (cuts, lanes,
// findings). Catalogs mostly arrive sorted, so that is checked first; otherwise a native numeric
// sort of packed keys (time offset and row in one double) avoids a comparator call per step.
import type { RecoveryPoint } from '../../preload/schemas/catalog';

const idOrder = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

function compare(a: number, b: number, t: Float64Array, points: readonly RecoveryPoint[]): number {
  const d = (t[a] as number) - (t[b] as number);
  if (d !== 0) return d;
  return idOrder((points[a] as RecoveryPoint).id, (points[b] as RecoveryPoint).id);
}

/**
 * Sort `rows` (indices into `points` and `t`) in place by t[row], then by id. Every t[row] must be
 * a finite number.
 */
export function sortRowsByTimeThenId(
  rows: Int32Array,
  t: Float64Array,
  points: readonly RecoveryPoint[],
): void {
  const n = rows.length;
  let sorted = true;
  let lo = Infinity;
  let hi = -Infinity;
  let integral = true;
  for (let k = 0; k < n; k++) {
    const v = t[rows[k] as number] as number;
    if (v < lo) lo = v;
    if (v > hi) hi = v;
    if (integral && !Number.isInteger(v)) integral = false;
    if (sorted && k > 0 && compare(rows[k - 1] as number, rows[k] as number, t, points) > 0)
      sorted = false;
  }
  if (sorted) return;
  // Packed key = (t - lo) * 2^bits + row: exact while it stays below 2^53.
  let bits = 1;
  let maxRow = 0;
  for (let k = 0; k < n; k++) maxRow = Math.max(maxRow, rows[k] as number);
  while (2 ** bits <= maxRow) bits++;
  if (!integral || (hi - lo + 1) * 2 ** bits > Number.MAX_SAFE_INTEGER) {
    rows.sort((a, b) => compare(a, b, t, points));
    return;
  }
  const scale = 2 ** bits;
  const keys = new Float64Array(n);
  for (let k = 0; k < n; k++) {
    const r = rows[k] as number;
    keys[k] = ((t[r] as number) - lo) * scale + r;
  }
  keys.sort();
  for (let k = 0; k < n; k++) rows[k] = (keys[k] as number) % scale;
  // Equal times came out by row; put each such run in id order (rare: a few shared instants).
  let start = 0;
  for (let k = 1; k <= n; k++) {
    if (k < n && t[rows[k] as number] === t[rows[start] as number]) continue;
    if (k - start > 1) {
      const run = rows.subarray(start, k);
      run.sort((a, b) => idOrder((points[a] as RecoveryPoint).id, (points[b] as RecoveryPoint).id));
    }
    start = k;
  }
}
