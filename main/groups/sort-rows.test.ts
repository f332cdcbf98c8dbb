// Rows by time then id, whichever path the sort takes (already sorted, packed keys, comparator).
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { sortRowsByTimeThenId } from './sort-rows';
import { point } from './test-points';

const ids = (n: number) => Array.from({ length: n }, (_, i) => `p${(i * 7919) % 1000}`);

function check(times: number[]) {
  const points = ids(times.length).map((id) => point('s', id, '2026-01-01T00:00:00Z'));
  const t = Float64Array.from(times);
  const rows = Int32Array.from(times.keys());
  sortRowsByTimeThenId(rows, t, points);
  const expected = [...times.keys()].sort(
    (a, b) =>
      (t[a] as number) - (t[b] as number) ||
      ((points[a]?.id ?? '') < (points[b]?.id ?? '') ? -1 : 1),
  );
  expect(Array.from(rows)).toEqual(expected);
}

describe('sortRowsByTimeThenId', () => {
  it('agrees with a comparator sort on close times with ties (packed keys)', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 50 }), { maxLength: 60 }), (xs) =>
        check(xs.map((x) => 1_764_000_000_000 + x * 1000)),
      ),
    );
  });

  it('agrees when times span too much to pack, or are not whole milliseconds', () => {
    check([8e15, -8e15, 0, 8e15, 1]);
    check([1.5, 0.25, 1.5, -3]);
  });
});
