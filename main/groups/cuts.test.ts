// Cuts on hand-built histories: what the engineer is told about which backups fit together.
import { describe, expect, it } from 'vitest';
import { bestCutBefore, candidateCuts } from './candidates';
import { at, point, window } from './test-points';

const shop = {
  name: 'shop',
  members: ['uploads', 'orders-db'],
  toleranceSeconds: 300,
  order: ['orders-db', 'uploads'],
};

describe('candidate cuts', () => {
  it('ranks cuts newest first, in restore order, with the reason in words', () => {
    const points = [
      point('orders-db', 'db1', at('2026-11-26 01:00')),
      point('orders-db', 'db2', at('2026-11-26 02:00')),
      point('uploads', 'up1', at('2026-11-26 01:02')),
      point('uploads', 'up2', at('2026-11-26 02:47')),
    ];
    const cuts = candidateCuts(shop, points, { now: at('2026-11-26 03:00') });
    expect(cuts.map((c) => [c.time, c.skewSeconds, c.consistent])).toEqual([
      [at('2026-11-26 02:47'), 47 * 60, false],
      [at('2026-11-26 02:00'), 58 * 60, false],
      [at('2026-11-26 01:02'), 120, true],
    ]);
    expect(cuts[0]?.reason).toBe('orders-db point is 47 min older than uploads (tolerance 5 min)');
    expect(cuts[2]?.reason).toBe('all 2 members within 2 min of each other (tolerance 5 min)');
    expect(cuts[2]?.members).toEqual([
      {
        service: 'orders-db',
        pointId: 'db1',
        windowId: null,
        source: 'orders-db-src',
        time: at('2026-11-26 01:00'),
        lagSeconds: 120,
      },
      {
        service: 'uploads',
        pointId: 'up1',
        windowId: null,
        source: 'uploads-src',
        time: at('2026-11-26 01:02'),
        lagSeconds: 0,
      },
    ]);
  });

  it('names the one laggard among three members', () => {
    const group = { ...shop, members: ['orders-db', 'uploads', 'search'], order: [] };
    const points = [
      point('orders-db', 'db', at('2026-11-26 01:13')),
      point('uploads', 'up', at('2026-11-26 01:58')),
      point('search', 'se', at('2026-11-26 02:00')),
    ];
    const [cut] = candidateCuts(group, points, { now: at('2026-11-26 03:00'), limit: 1 });
    expect(cut?.reason).toBe('orders-db point is 47 min older than the rest (tolerance 5 min)');
  });

  it('lets a continuous member meet any instant inside its window exactly', () => {
    const points = [
      point('orders-db', 'db1', at('2026-11-26 01:00')),
      window('uploads', 'ver', at('2026-11-26 00:00'), null),
    ];
    const cuts = candidateCuts(shop, points, { now: at('2026-11-26 03:00') });
    expect(cuts.map((c) => [c.time, c.consistent])).toEqual([
      [at('2026-11-26 03:00'), false],
      [at('2026-11-26 01:05'), true],
      [at('2026-11-26 01:00'), true],
    ]);
    expect(cuts[1]?.members[1]).toMatchObject({
      service: 'uploads',
      pointId: null,
      windowId: 'ver',
      time: at('2026-11-26 01:05'),
    });
    expect(cuts[2]?.reason).toBe('all 2 members meet 2026-11-26 01:00 UTC');
  });

  it('uses the end of a window that closed before T, and says how far behind it is', () => {
    const points = [
      point('orders-db', 'db1', at('2026-11-26 01:00')),
      point('orders-db', 'db2', at('2026-11-26 02:00')),
      window('uploads', 'ver', at('2026-11-26 00:00'), at('2026-11-26 01:30')),
    ];
    const [newest] = candidateCuts(shop, points, { now: at('2026-11-26 03:00') });
    expect(newest?.members[1]).toMatchObject({
      pointId: null,
      windowId: 'ver',
      time: at('2026-11-26 01:30'),
    });
    expect(newest?.skewSeconds).toBe(1800);
    expect(newest?.reason).toBe(
      'uploads window ends 30 min older than orders-db (tolerance 5 min)',
    );
  });

  it('handles equal timestamps and a member with a single point', () => {
    const points = [
      point('orders-db', 'b', at('2026-11-26 02:00')),
      point('orders-db', 'a', at('2026-11-26 02:00')),
      point('uploads', 'only', at('2026-11-26 02:00')),
    ];
    const cuts = candidateCuts(shop, points, { now: at('2026-11-26 03:00') });
    expect(cuts).toHaveLength(1);
    expect(cuts[0]).toMatchObject({
      skewSeconds: 0,
      consistent: true,
      reason: 'all 2 members were taken at 2026-11-26 02:00 UTC',
    });
    // Ties are broken by id so the answer never depends on catalog order.
    expect(cuts[0]?.members[0]?.pointId).toBe('b');
  });

  it('orders instants by their offset, not their text, across a DST change', () => {
    // Europe/Berlin leaves summer time on 2026-10-25 at 03:00 CEST (= 01:00 UTC).
    const points = [
      point('orders-db', 'summer', '2026-10-25T02:30:00+02:00'), // 00:30 UTC
      point('orders-db', 'winter', '2026-10-25T02:10:00+01:00'), // 01:10 UTC, sorts first as text
      point('uploads', 'up', '2026-10-25T01:12:00Z'),
    ];
    const best = bestCutBefore(shop, points, '2026-10-25T03:00:00+01:00');
    expect(best.cut?.members.map((m) => [m.pointId, m.time])).toEqual([
      ['winter', '2026-10-25T01:10:00.000Z'],
      ['up', '2026-10-25T01:12:00.000Z'],
    ]);
    expect(best.cut?.skewSeconds).toBe(120);
  });

  it('leaves points dated in the future (clock skew) out of the cuts', () => {
    const points = [
      point('orders-db', 'db1', at('2026-11-26 02:00')),
      point('orders-db', 'ahead', at('2026-11-26 05:00')),
      point('uploads', 'up', at('2026-11-26 02:01')),
    ];
    const cuts = candidateCuts(shop, points, { now: at('2026-11-26 03:00') });
    expect(cuts.flatMap((c) => c.members.map((m) => m.pointId))).not.toContain('ahead');
    expect(cuts[0]?.time).toBe(at('2026-11-26 02:01'));
  });

  it('skips points after a missing middle of an incremental chain', () => {
    const src = { source: 'pg' };
    const points = [
      point('orders-db', 'F1', at('2026-11-26 00:00'), { ...src, kind: 'full' }),
      point('orders-db', 'I1', at('2026-11-26 01:00'), { ...src, kind: 'incr', parent: 'F1' }),
      point('orders-db', 'I3', at('2026-11-26 03:00'), { ...src, kind: 'incr', parent: 'I2' }),
      point('orders-db', 'I4', at('2026-11-26 04:00'), { ...src, kind: 'incr', parent: 'I3' }),
      point('uploads', 'up', at('2026-11-26 04:00')),
    ];
    const [cut] = candidateCuts(shop, points, { now: at('2026-11-26 05:00') });
    expect(cut?.members[0]?.pointId).toBe('I1');
    expect(cut?.reason).toBe('orders-db point is 3 h older than uploads (tolerance 5 min)');
  });

  it('treats points sharing a snapshot tag as consistent by construction', () => {
    const points = [
      point('orders-db', 'db', at('2026-11-26 02:00'), { tags: ['snapshot:nightly-42'] }),
      point('uploads', 'up', at('2026-11-26 02:20'), { tags: ['snapshot:nightly-42'] }),
    ];
    const cuts = candidateCuts(shop, points, { now: at('2026-11-26 03:00') });
    // The snapshot cut replaces the plain cut that chose the very same points.
    expect(cuts).toHaveLength(1);
    expect(cuts[0]).toMatchObject({
      snapshotId: 'nightly-42',
      consistent: true,
      skewSeconds: 1200,
    });
    expect(cuts[0]?.reason).toBe(
      'all 2 members were taken together as snapshot nightly-42, 20 min apart',
    );
  });

  it('lets a continuous member join a snapshot cut, and needs every discrete member tagged', () => {
    const tag = { tags: ['snapshot:n7'] };
    const group = { ...shop, members: ['orders-db', 'uploads', 'search'], order: [] };
    const points = [
      point('orders-db', 'db', at('2026-11-26 02:00'), tag),
      window('uploads', 'ver', at('2026-11-26 00:00'), null),
      point('search', 'se', at('2026-11-26 02:09'), tag),
    ];
    const now = at('2026-11-26 03:00');
    const [snap] = candidateCuts(group, points, { now, consistentOnly: true, limit: 1 });
    expect(snap).toMatchObject({
      snapshotId: 'n7',
      time: at('2026-11-26 02:09'),
      skewSeconds: 540,
    });
    expect(snap?.members[1]).toMatchObject({
      service: 'uploads',
      windowId: 'ver',
      time: at('2026-11-26 02:09'),
    });
    const untagged = points.map((p) => (p.id === 'se' ? { ...p, tags: [] } : p));
    const cuts = candidateCuts(group, untagged, { now, limit: 100 });
    expect(cuts.some((c) => c.snapshotId !== null)).toBe(false);
  });

  it('honours --before, --limit and consistentOnly', () => {
    const points = [0, 1, 2, 3, 4, 5].flatMap((h) => [
      point('orders-db', `db${h}`, at(`2026-11-26 0${h}:00`)),
      point('uploads', `up${h}`, at(`2026-11-26 0${h}:${h % 2 === 0 ? '01' : '30'}`)),
    ]);
    const before = candidateCuts(shop, points, {
      now: at('2026-11-26 06:00'),
      before: at('2026-11-26 04:01'),
    });
    expect(before[0]?.time).toBe(at('2026-11-26 04:00'));
    const consistent = candidateCuts(shop, points, {
      now: at('2026-11-26 06:00'),
      consistentOnly: true,
      limit: 2,
    });
    expect(consistent.map((c) => c.time)).toEqual([at('2026-11-26 04:01'), at('2026-11-26 02:01')]);
  });
});

describe('best cut before an incident', () => {
  it('explains when the newest state is not consistent and proposes an earlier cut', () => {
    const points = [
      point('orders-db', 'db1', at('2026-11-26 01:00')),
      point('orders-db', 'db2', at('2026-11-26 02:00')),
      point('uploads', 'up1', at('2026-11-26 01:03')),
      point('uploads', 'up2', at('2026-11-26 02:13')),
    ];
    const best = bestCutBefore(shop, points, at('2026-11-26 02:14'), {
      now: at('2026-11-26 04:00'),
    });
    expect(best.cut?.time).toBe(at('2026-11-26 01:03'));
    expect(best.newest?.time).toBe(at('2026-11-26 02:13'));
    expect(best.reason).toBe(
      'the newest state before 2026-11-26 02:14 UTC is not consistent (orders-db point is 13 min older than uploads ' +
        '(tolerance 5 min)); the newest consistent cut is 1 h 10 min earlier, at 2026-11-26 01:03 UTC',
    );
  });

  it('never uses a point taken at the incident instant itself', () => {
    const points = [
      point('orders-db', 'db', at('2026-11-26 02:14')),
      window('uploads', 'v', at('2026-11-26 00:00'), null),
    ];
    const best = bestCutBefore(shop, points, at('2026-11-26 02:14'));
    expect(best.cut).toBeNull();
    expect(best.reason).toBe(
      'no cut is possible before 2026-11-26 02:14 UTC: orders-db has no version before 2026-11-26 02:14 UTC',
    );
  });

  it('says which member has nothing early enough', () => {
    const points = [
      point('orders-db', 'db', at('2026-11-26 01:00')),
      point('uploads', 'up', at('2026-11-26 02:10')),
    ];
    const best = bestCutBefore(shop, points, at('2026-11-26 02:00'));
    expect(best.reason).toBe(
      'no cut is possible before 2026-11-26 02:00 UTC: uploads has no version before 2026-11-26 02:00 UTC',
    );
  });

  it('meets the incident minus one millisecond when every member is continuous', () => {
    const points = [
      window('orders-db', 'wal', at('2026-11-26 00:00'), null),
      window('uploads', 'v', at('2026-11-26 00:00'), null),
    ];
    const best = bestCutBefore(shop, points, at('2026-11-26 02:14'), {
      now: at('2026-11-26 05:00'),
    });
    expect(best.cut?.time).toBe('2026-11-26T02:13:59.999Z');
    expect(best.cut?.skewSeconds).toBe(0);
  });

  it('refuses an instant that is not one, in a sentence', () => {
    expect(() => bestCutBefore(shop, [], 'tuesday')).toThrow(
      'The incident time "tuesday" is not a valid instant.',
    );
  });

  it('answers each "now" correctly from the same catalog (prepared histories are reused)', () => {
    const points = [
      point('orders-db', 'db1', at('2026-11-26 01:00')),
      point('orders-db', 'db2', at('2026-11-26 02:00')),
      window('uploads', 'ver', at('2026-11-26 00:00'), null),
    ];
    const newest = (now: string): string | undefined =>
      candidateCuts(shop, points, { now, limit: 1 })[0]?.time;
    expect(newest(at('2026-11-26 01:30'))).toBe(at('2026-11-26 01:30'));
    expect(newest(at('2026-11-26 02:30'))).toBe(at('2026-11-26 02:30'));
    const best = bestCutBefore(shop, points, at('2026-11-26 03:00'), {
      now: at('2026-11-26 01:30'),
    });
    expect(best.cut?.time).toBe(at('2026-11-26 01:05'));
  });
});
