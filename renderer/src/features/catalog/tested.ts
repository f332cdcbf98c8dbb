// The catalog learns from drills: the points a completed drill with a VALID log restored are
// joined to their rows, and sort by Verified as tested then. A new index, so the table redraws;
// the catalog's own columns are left as main sent them.
import type { TestedPoint } from '../../../../preload/schemas/drills';
import { rowOf, type PointIndex } from './query';

/** The index with drill tests joined by source and id (the same index when none applies). */
export function withTested(index: PointIndex, tested: readonly TestedPoint[] | null): PointIndex {
  if (!tested || tested.length === 0) return index;
  const rows = new Map<number, TestedPoint>();
  const verified = index.verified.slice();
  for (const t of tested) {
    const row = rowOf(index, t.source, t.pointId);
    if (row === undefined) continue;
    rows.set(row, t);
    verified[row] = Math.max(verified[row] ?? -Infinity, Date.parse(t.at));
  }
  if (rows.size === 0) return index;
  const keys = new Map(index.keys);
  const ranks = new Map(index.ranks);
  keys.delete('verified');
  ranks.delete('verified');
  return { ...index, verified, keys, ranks, tested: rows };
}
