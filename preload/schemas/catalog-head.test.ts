import { describe, expect, it } from 'vitest';
import type { RecoveryPoint } from './catalog';
import { encodePoints } from './catalog-columns';
import { headRows } from './catalog-head';
import { testPoint as point } from './test-point';

const at = (day: number) => `2026-11-${String(day).padStart(2, '0')}T00:00:00Z`;
const ids = (points: RecoveryPoint[], rows: Int32Array | null) =>
  rows ? Array.from(rows, (r) => points[r]?.id) : null;

describe('the first answer of a large catalog', () => {
  it('takes the newest points, ties in row order, in row order', () => {
    const points = [
      point({ id: 'a', time: at(1) }),
      point({ id: 'b', time: at(5) }),
      point({ id: 'c', time: at(3) }),
      point({ id: 'd', time: at(5) }),
      point({ id: 'e', time: at(3) }),
      point({ id: 'f', time: at(3) }),
    ];
    const c = encodePoints(points);
    expect(ids(points, headRows(c, 3))).toEqual(['b', 'c', 'd']);
    expect(ids(points, headRows(c, 1))).toEqual(['b']);
    expect(ids(points, headRows(c, 10))).toEqual(['a', 'b', 'c', 'd', 'e', 'f']);
  });

  it("adds the earlier points the newest points' chains reach, in any source of the service", () => {
    const points = [
      point({ id: 'f1', time: at(1) }),
      point({ id: 'old', time: at(2), kind: 'snapshot', service: 'web', source: 'web' }),
      point({ id: 'd1', time: at(3), kind: 'diff', parent: 'f1' }),
      // Its parent was recorded by another source of the same service.
      point({ id: 'x1', time: at(4), kind: 'incr', parent: 'f1', source: 'db-offsite' }),
      point({ id: 'i1', time: at(8), kind: 'incr', parent: 'd1' }),
      point({ id: 'i2', time: at(9), kind: 'incr', parent: 'pruned' }),
      point({ id: 'i3', time: at(9), kind: 'incr', parent: 'x1', source: 'db-offsite' }),
    ];
    const c = encodePoints(points);
    // Newest three: i1, i2, i3; their chains reach d1, f1 and x1 (i2's parent is missing).
    expect(ids(points, headRows(c, 3))).toEqual(['f1', 'd1', 'x1', 'i1', 'i2', 'i3']);
    // Too many rows for the bound: no first answer.
    expect(headRows(c, 3, 5)).toBeNull();
  });

  it('stops at a loop in a damaged catalog', () => {
    const points = [
      point({ id: 'a', time: at(1), kind: 'incr', parent: 'b' }),
      point({ id: 'b', time: at(2), kind: 'incr', parent: 'a' }),
      point({ id: 'c', time: at(3), kind: 'incr', parent: 'b' }),
    ];
    expect(ids(points, headRows(encodePoints(points), 1))).toEqual(['a', 'b', 'c']);
  });
});
