// catalog.get's first answer read by the console: its first rows, their broken flags and their
// chains must read exactly as the whole catalog's first rows do.
import { describe, expect, it } from 'vitest';
import type { RecoveryPoint } from '../../../../preload/schemas/catalog';
import { encodePoints } from '../../../../preload/schemas/catalog-columns';
import { headRows } from '../../../../preload/schemas/catalog-head';
import { newestFirst, noFilters } from '../../store/catalog-slice';
import { chainOf } from './chain';
import { filterPoints, indexPoints, sortRows, type PointIndex } from './query';

const HOUR = 3_600_000;

/** Points of a few services: chains with a pruned parent now and then, snapshots, equal times. */
function catalog(n: number): RecoveryPoint[] {
  const out: RecoveryPoint[] = [];
  for (let k = 0; k < n; k++) {
    const s = k % 5;
    const chained = s < 3;
    const step = Math.floor(k / 5);
    const kind = !chained ? 'snapshot' : step % 12 === 0 ? 'full' : 'incr';
    const prev = step > 0 ? `s${s}-${step - 1}` : null;
    out.push({
      id: `s${s}-${step}`,
      // Services 0 and 1 share a time now and then.
      source: s === 2 && step % 2 ? 'db-offsite' : `src-${s}`,
      service: s === 2 ? 'db' : `svc-${s}`,
      time: new Date(Date.UTC(2026, 0, 1) + step * HOUR + (s === 1 ? 0 : s) * 60_000).toISOString(),
      endTime: null,
      kind,
      parent: kind === 'incr' ? (step % 17 === 5 ? 'pruned' : prev) : null,
      sizeBytes: k,
      copies: ['nas'],
      immutable: null,
      lastVerified: null,
      tags: [`t${s}`],
      raw: null,
    });
  }
  // Shuffle deterministically: catalogs are not in time order.
  for (let i = out.length - 1; i > 0; i--) {
    const j = (i * 7919) % (i + 1);
    [out[i], out[j]] = [out[j] as RecoveryPoint, out[i] as RecoveryPoint];
  }
  return out;
}

/** The first `first` rows as the table shows them: id, broken flag, chain ids. */
function firstRows(index: PointIndex, first: number) {
  const rows = sortRows(index, filterPoints(index, noFilters), newestFirst).subarray(0, first);
  return Array.from(rows, (r) => ({
    id: index.columns.id[r],
    broken: index.broken[r],
    chain: chainOf(index.columns, r).links.map((l) => `${l.id}${l.missing ? '?' : ''}`),
  }));
}

describe("the console's first screen from catalog.get's first answer", () => {
  it('shows the same first rows, broken flags and chains as the whole catalog', () => {
    const points = catalog(3_000);
    const whole = encodePoints(points);
    for (const first of [1, 7, 60, 200]) {
      const rows = headRows(whole, first);
      expect(rows).not.toBeNull();
      const head = encodePoints(Array.from(rows ?? [], (r) => points[r] as RecoveryPoint));
      expect(head.count).toBeLessThan(whole.count);
      const shown = firstRows(indexPoints(head), first);
      expect(shown).toEqual(firstRows(indexPoints(whole), first));
      if (first === 200) expect(shown.some((r) => r.broken === 1)).toBe(true);
    }
  });
});
