import { describe, expect, it } from 'vitest';
import { encodePoints } from '../../../../preload/schemas/catalog-columns';
import { noFilters } from '../../store/catalog-slice';
import { brokenChains, chainOf } from './chain';
import { filterPoints, indexPoints, sortRows } from './query';
import { testPoint as point } from '../../../../preload/schemas/test-point';

// A full, a diff on it, an incremental whose parent was pruned, and one more on top of that.
const chainPoints = [
  point({ id: 'f1', time: '2026-11-20T00:00:00Z' }),
  point({ id: 'd1', kind: 'diff', parent: 'f1', time: '2026-11-21T00:00:00Z' }),
  point({ id: 'i2', kind: 'incr', parent: 'gone', time: '2026-11-22T00:00:00Z', tags: ['hourly'] }),
  point({ id: 'i3', kind: 'incr', parent: 'i2', time: '2026-11-23T00:00:00Z', tags: ['hourly'] }),
  point({ id: 's1', source: 'files', service: 'uploads', kind: 'snapshot', tags: ['host:web1'] }),
];
const chain = encodePoints(chainPoints);

describe('catalog chains', () => {
  it('walks a point down to its full, and names the missing link of a broken chain', () => {
    expect(chainOf(chain, 1).links.map((l) => l.id)).toEqual(['d1', 'f1']);
    const broken = chainOf(chain, 3);
    expect(broken.broken).toBe(true);
    expect(broken.links.map((l) => [l.id, l.missing])).toEqual([
      ['i3', false],
      ['i2', false],
      ['gone', true],
    ]);
    expect([...brokenChains(chain)]).toEqual([0, 0, 1, 1, 0]);
  });

  it('marks a cycle (a damaged catalog) as broken instead of looping', () => {
    const loop = encodePoints([
      point({ id: 'a', kind: 'incr', parent: 'b' }),
      point({ id: 'b', kind: 'incr', parent: 'a' }),
    ]);
    expect(chainOf(loop, 0)).toMatchObject({ cycle: true });
    expect([...brokenChains(loop)]).toEqual([1, 1]);
  });
});

describe('catalog filters and sort', () => {
  const index = indexPoints(chain);
  const ids = (rows: Int32Array) => [...rows].map((i) => chainPoints[i]?.id);

  it('filters by service, kind, UTC time range, tag and search words', () => {
    expect(ids(filterPoints(index, { ...noFilters, service: 'uploads' }))).toEqual(['s1']);
    expect(ids(filterPoints(index, { ...noFilters, kind: 'incr' }))).toEqual(['i2', 'i3']);
    expect(
      ids(filterPoints(index, { ...noFilters, from: '2026-11-21T00:00', to: '2026-11-22T00:00' })),
    ).toEqual(['d1', 'i2']);
    expect(ids(filterPoints(index, { ...noFilters, tag: 'hourly' }))).toEqual(['i2', 'i3']);
    expect(ids(filterPoints(index, { ...noFilters, search: 'WEB1 uploads' }))).toEqual(['s1']);
  });

  it('sorts by any column, broken chains first on the chain column, newest first on ties', () => {
    const all = filterPoints(index, noFilters);
    expect(ids(sortRows(index, all, { key: 'time', dir: 'desc' }))).toEqual([
      'i3',
      'i2',
      'd1',
      'f1',
      's1',
    ]);
    expect(ids(sortRows(index, all, { key: 'parent', dir: 'asc' })).slice(0, 2)).toEqual([
      'i2',
      'i3',
    ]);
    expect(ids(sortRows(index, all, { key: 'service', dir: 'desc' }))[0]).toBe('s1');
  });

  it('filters and sorts 100,000 points correctly (timing is measured by bench/catalog-table)', () => {
    const many = Array.from({ length: 100_000 }, (_, i) =>
      point({
        id: `p${i}`,
        service: `svc-${i % 40}`,
        time: new Date(Date.UTC(2026, 0, 1) + i * 60_000).toISOString(),
        kind: i % 10 === 0 ? 'full' : 'incr',
        // Every 1,000th chain loses its full: the 9 incrementals on top of it are broken.
        parent: i % 10 === 0 ? null : i % 1000 === 1 ? 'pruned' : `p${i - 1}`,
        tags: [`host:h${i % 7}`],
      }),
    );
    const big = indexPoints(encodePoints(many));
    expect(big.broken.reduce((n, b) => n + b, 0)).toBe(100 * 9);
    const rows = filterPoints(big, { ...noFilters, search: 'h3' });
    // i % 7 === 3 for i in 0..99,999: 14,286 points.
    expect(rows.length).toBe(14_286);
    const sorted = sortRows(big, rows, { key: 'service', dir: 'asc' });
    const services = [...sorted].map((i) => many[i]?.service ?? '');
    expect(services).toEqual([...services].sort());
  });
});
