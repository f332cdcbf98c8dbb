// What the engineer is told when no (consistent) cut exists, and how the restore order is read
// from a group whose `order` names services that are not its members.
import { describe, expect, it } from 'vitest';
import { bestCutBefore, candidateCuts, preparedGroup } from './candidates';
import { NewestFirst, prepareGroup, whyImpossible } from './cuts';
import { at, point, window } from './test-points';

const shop = {
  name: 'shop',
  members: ['uploads', 'orders-db'],
  toleranceSeconds: 300,
  order: ['orders-db', 'uploads'],
};
const now = { now: at('2026-11-26 06:00') };
const incident = at('2026-11-26 02:00');

describe('why no cut is possible before an incident', () => {
  it('a member whose only points are later than T, or ahead of now, has versions, just none at T', () => {
    const points = [
      point('uploads', 'later', at('2026-11-26 03:00')),
      point('uploads', 'ahead', at('2026-11-27 09:00')),
      point('orders-db', 'db', at('2026-11-26 01:00')),
    ];
    const pg = prepareGroup(shop, points, Date.parse(at('2026-11-26 06:00')));
    expect(pg.histories.find((h) => h.service === 'uploads')?.future).toHaveLength(1);
    expect(whyImpossible(pg, Date.parse(incident))).toBe(
      'uploads has no version at or before 2026-11-26 02:00 UTC',
    );
    // Once every member has a version at T, there is nothing to explain.
    expect(whyImpossible(pg, Date.parse(at('2026-11-26 03:30')))).toBeNull();
  });

  it('a group without members says so', () => {
    const best = bestCutBefore({ ...shop, members: [], order: [] }, [], incident, now);
    expect(best).toEqual({
      cut: null,
      newest: null,
      reason: 'no cut is possible before 2026-11-26 02:00 UTC: group shop has no members',
    });
  });

  it('a member without any recovery point is told apart from one with only later ones', () => {
    const points = [point('orders-db', 'db', at('2026-11-26 03:00'))];
    expect(bestCutBefore(shop, points, incident, now).reason).toBe(
      'no cut is possible before 2026-11-26 02:00 UTC: orders-db has no version before ' +
        '2026-11-26 02:00 UTC; uploads has no recovery points at all',
    );
  });

  it('points dated in the future still count as points the member has', () => {
    const points = [
      point('orders-db', 'db', at('2026-11-26 01:00')),
      point('uploads', 'ahead', at('2026-11-27 09:00')),
    ];
    expect(bestCutBefore(shop, points, incident, now).reason).toBe(
      'no cut is possible before 2026-11-26 02:00 UTC: uploads has no version before 2026-11-26 02:00 UTC',
    );
  });

  it('counts the unusable points of a broken chain', () => {
    const pg = { source: 'pg' };
    const points = [
      point('orders-db', 'I1', at('2026-11-26 00:30'), { ...pg, kind: 'incr', parent: 'F0' }),
      point('orders-db', 'I2', at('2026-11-26 01:30'), { ...pg, kind: 'incr', parent: 'I1' }),
      window('uploads', 'v', at('2026-11-25 00:00'), null),
    ];
    expect(bestCutBefore(shop, points, incident, now).reason).toBe(
      'no cut is possible before 2026-11-26 02:00 UTC: orders-db has no version before ' +
        '2026-11-26 02:00 UTC (2 unusable)',
    );
  });

  it('tells a member with nothing at all from one whose points are all later, unusable or ahead', () => {
    const pg = { source: 'pg' };
    const group = { ...shop, members: ['a', 'b', 'c', 'd'], order: [] };
    const points = [
      // a: a broken point before the incident and one dated ahead of now.
      point('a', 'a1', at('2026-11-26 01:00'), { ...pg, kind: 'incr', parent: 'gone' }),
      point('a', 'a2', at('2026-11-26 09:00')),
      // b: a window opening after the incident, and a broken point.
      window('b', 'bw', at('2026-11-26 03:00'), null),
      point('b', 'b1', at('2026-11-26 01:00'), { ...pg, kind: 'incr', parent: 'gone' }),
      // c: a point and a window, both after the incident.
      point('c', 'c1', at('2026-11-26 04:00')),
      window('c', 'cw', at('2026-11-26 05:00'), null),
    ];
    expect(bestCutBefore(group, points, incident, now).reason).toBe(
      'no cut is possible before 2026-11-26 02:00 UTC: a has no version before 2026-11-26 02:00 UTC (1 unusable); ' +
        'b has no version before 2026-11-26 02:00 UTC (1 unusable); c has no version before 2026-11-26 02:00 UTC; ' +
        'd has no recovery points at all',
    );
  });

  it('with cuts but none consistent, names why the newest is not', () => {
    const points = [
      point('orders-db', 'db', at('2026-11-26 00:00')),
      point('uploads', 'up', at('2026-11-26 01:00')),
    ];
    const best = bestCutBefore(shop, points, incident, now);
    expect(best.cut).toBeNull();
    expect(best.newest).toMatchObject({
      time: at('2026-11-26 01:00'),
      skewSeconds: 3600,
      toleranceSeconds: 300,
    });
    expect(best.reason).toBe(
      'no consistent cut before 2026-11-26 02:00 UTC: orders-db point is 1 h older than uploads (tolerance 5 min)',
    );
  });

  it('says when the newest state is itself consistent', () => {
    const points = [
      point('orders-db', 'db', at('2026-11-26 01:00')),
      point('uploads', 'up', at('2026-11-26 01:01')),
    ];
    expect(bestCutBefore(shop, points, incident, now).reason).toBe(
      'the newest state before 2026-11-26 02:00 UTC is consistent: all 2 members within 1 min of each other (tolerance 5 min)',
    );
  });
});

describe('restore order', () => {
  const points = [
    point('orders-db', 'db', at('2026-11-26 01:00')),
    point('uploads', 'up', at('2026-11-26 01:01')),
    point('search', 'se', at('2026-11-26 01:02')),
    point('ghost', 'gh', at('2026-11-26 01:03')),
  ];
  const members = (group: typeof shop) =>
    candidateCuts(group, points, { ...now, limit: 1 })[0]?.members.map((m) => m.service);

  it('follows `order` and ignores names in it that are not members', () => {
    const group = {
      ...shop,
      members: ['uploads', 'orders-db', 'search'],
      order: ['ghost', 'search', 'orders-db'],
    };
    expect(members(group)).toEqual(['search', 'orders-db', 'uploads']);
  });

  it('lists each member once, however often `order` names it', () => {
    const group = { ...shop, order: ['uploads', 'uploads', 'orders-db', 'uploads'] };
    expect(members(group)).toEqual(['uploads', 'orders-db']);
  });

  it('without `order`, keeps the members as listed', () => {
    expect(members({ ...shop, order: [] })).toEqual(['uploads', 'orders-db']);
  });
});

describe('reading cuts newest first', () => {
  it('ends at once when no cut exists up to the bound', () => {
    const points = [
      point('orders-db', 'db', at('2026-11-26 03:00')),
      point('uploads', 'up', at('2026-11-26 01:00')),
    ];
    const bound = Date.parse(incident);
    expect(new NewestFirst(preparedGroup(shop, points), bound).slice(0)).toBeNull();
    expect(
      new NewestFirst(preparedGroup({ ...shop, members: [], order: [] }, points), bound).slice(0),
    ).toBeNull();
  });

  it('includes a cut exactly at the bound', () => {
    const points = [
      point('orders-db', 'db', incident),
      point('uploads', 'up', at('2026-11-26 01:59')),
    ];
    const slice = new NewestFirst(preparedGroup(shop, points), Date.parse(incident)).slice(0);
    expect(slice && Array.from(slice.times.subarray(0, slice.count))).toEqual([
      Date.parse(incident),
    ]);
  });
});
