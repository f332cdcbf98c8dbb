import { describe, expect, it } from 'vitest';
import { CatalogColumns, CatalogView, type RecoveryPoint } from './catalog';
import { encodePoints, pointAt } from './catalog-columns';
import { testPoint } from './test-point';

const point = (over: Partial<RecoveryPoint> & { id: string }): RecoveryPoint =>
  testPoint({ time: '2026-11-20T00:00:00.000Z', ...over });

// Every field in its odd forms: parents in the same source, in another source of the service and
// nowhere; locks with and without an end or a hold; hostile and repeated text.
const points: RecoveryPoint[] = [
  point({ id: 'f1', copies: ['nas', 'offsite', 'usb'], tags: ['weekly', 'host:db-1'] }),
  point({
    id: 'd1',
    kind: 'diff',
    parent: 'f1',
    time: '2026-11-21T00:00:00.000Z',
    sizeBytes: null,
  }),
  point({
    id: 'i1',
    kind: 'incr',
    parent: 'gone; rm -rf / 🙂',
    immutable: { mode: 'COMPLIANCE', retainUntil: '2027-01-01T00:00:00.000Z', legalHold: true },
    lastVerified: '2026-11-22T10:30:00.123Z',
  }),
  point({ id: 'x1', source: 'db-offsite', kind: 'incr', parent: 'f1', copies: ['offsite'] }),
  point({
    id: 'w1',
    source: 'uploads',
    service: 'up\u0000loads',
    kind: 'window',
    endTime: '2026-11-26T02:14:00.000Z',
    immutable: { mode: 'LEGAL_HOLD', retainUntil: null, legalHold: true },
    copies: [],
    tags: ['<b>x</b>', 'a'.repeat(10_000)],
  }),
  point({ id: 'f1', source: 'uploads', service: 'uploads', kind: 'snapshot', tags: ['weekly'] }),
];

describe('catalog columns', () => {
  it('decode every row back to the point that was encoded', () => {
    const columns = encodePoints(points);
    expect(columns.count).toBe(points.length);
    expect(Array.from({ length: columns.count }, (_, i) => pointAt(columns, i))).toEqual(points);
    // Parents in the same source, or another source of the service, are rows; missing ones text.
    expect(columns.parent.slice(0, 4)).toEqual([-1, 0, expect.any(Number), 0]);
    expect(columns.parent[2]).toBeLessThan(-1);
    // Repeated text is sent once.
    expect(columns.strings.filter((s) => s === 'weekly')).toHaveLength(1);
  });

  it('reads times that are not in the canonical form (offsets, month ends) as Date.parse does', () => {
    const leap = '2026-02-29T00:00:00Z';
    const decoded = pointAt(
      encodePoints([point({ id: 'a', time: '2026-11-20T02:00:00+02:00', lastVerified: leap })]),
      0,
    );
    expect(decoded.time).toBe('2026-11-20T00:00:00.000Z');
    const ms = Date.parse(leap);
    expect(decoded.lastVerified).toBe(Number.isNaN(ms) ? null : new Date(ms).toISOString());
  });

  it('passes the contract check, which refuses columns that disagree', () => {
    const columns = encodePoints(points);
    const view = { points: columns, sources: [], asOf: null, refreshing: false, note: null };
    expect(CatalogView.safeParse(view).success).toBe(true);
    const broken = (patch: Partial<CatalogColumns>) =>
      CatalogColumns.safeParse({ ...columns, ...patch }).success;
    expect(broken({ time: columns.time.slice(1) })).toBe(false);
    expect(broken({ service: columns.service.map(() => columns.strings.length) })).toBe(false);
    expect(broken({ parent: columns.parent.map(() => columns.count) })).toBe(false);
    expect(broken({ sizeBytes: columns.sizeBytes.map(() => 'big' as unknown as number) })).toBe(
      false,
    );
    expect(broken({ id: columns.id.map(() => 1 as unknown as string) })).toBe(false);
    expect(broken({ lists: [[0], [-1]] })).toBe(false);
    expect(broken({ time: undefined as unknown as number[] })).toBe(false);
    expect(CatalogColumns.safeParse(null).success).toBe(false);
  });
});
