// What is kept between groups.timeline calls: lanes exact for every now (their now-part kept
// between two of the lane's instants), cuts by the stated rule (timeline-answers.ts).
import { describe, expect, it } from 'vitest';
import { lanePoint } from '../../preload/schemas/groups';
import type { ServiceConfig } from '../workspace/types';
import { candidateCuts } from './candidates';
import { buildTimeline, nextChange, nowPartOf, prepareLanes, timelineAt } from './timeline';
import { CUTS_FRESH_MS, cutsOf } from './timeline-answers';
import { at, point, window } from './test-points';

const svc = (name: string): ServiceConfig => ({
  name,
  owner: 'team',
  rpoSeconds: 3600,
  rtoSeconds: 3600,
  retention: { daily: 30, weekly: 91, monthly: 365, yearly: 2555 },
});
const services = [svc('db'), svc('files')];
const group = { name: 'shop', members: ['db', 'files'], toleranceSeconds: 600, order: ['db'] };
const ms = (text: string) => Date.parse(at(text));
const lock = { mode: 'COMPLIANCE' as const, retainUntil: at('2026-11-26 04:00'), legalHold: false };
const catalog = () => [
  point('db', 'd1', at('2026-11-26 00:00')),
  point('db', 'd2', at('2026-11-26 01:00'), { immutable: lock }),
  point('db', 'd3', at('2026-11-26 02:00')),
  point('db', 'later', at('2026-11-26 05:00')),
  point('files', 'f1', at('2026-11-26 00:02')),
  point('files', 'f2', at('2026-11-26 01:03')),
  window('files', 'versions', at('2026-11-26 01:30'), null),
];
const now = ms('2026-11-26 03:00');

describe('the lanes between calls', () => {
  it('keep flags and gaps while now stays between two instants, and are exact at every call', () => {
    const base = prepareLanes({ services, points: catalog(), group });
    const db = base.lanes[0]?.lane;
    if (!db) throw new Error('no db lane');
    const part = nowPartOf(db, 3600, now);
    // The next instant of the db lane is the lock's end (04:00), the last before now d3 (02:00).
    expect([part.from, part.until]).toEqual([ms('2026-11-26 02:00'), ms('2026-11-26 04:00')]);
    expect(nowPartOf(db, 3600, ms('2026-11-26 03:59:59'))).toBe(part);
    expect(Object.isFrozen(part.flags)).toBe(true);
    // Passing the lock's end gives fresh flags: d2 is no longer locked.
    const after = timelineAt(base, ms('2026-11-26 04:00'));
    expect(nowPartOf(db, 3600, ms('2026-11-26 04:00'))).not.toBe(part);
    const d2 = after.lanes[0] && lanePoint(after.lanes[0], 1);
    expect(d2).toMatchObject({ id: 'd2', immutable: false });
    // Every answer equals one built from scratch at the same instant (a new catalog version).
    for (const t of [
      '2026-11-26 03:00',
      '2026-11-26 03:30',
      '2026-11-26 04:00',
      '2026-11-26 06:00',
    ]) {
      const kept = timelineAt(base, ms(t));
      const fresh = buildTimeline({ services, points: catalog(), now: ms(t), group });
      expect(kept).toEqual(fresh);
    }
    // The open window follows now on every call, kept part or not.
    const files = (t: number) => timelineAt(base, t).lanes[1];
    expect(files(now + 1000)?.windows[0]?.end).toBe(now + 1000);
    expect(files(now + 2000)?.last).toBe(now + 2000);
  });

  it('say when any lane of a group changes next', () => {
    const base = prepareLanes({ services, points: catalog(), group });
    expect(nextChange(base, now)).toBe(ms('2026-11-26 04:00'));
    expect(nextChange(base, ms('2026-11-26 04:00'))).toBe(ms('2026-11-26 05:00'));
    expect(nextChange(base, ms('2026-11-26 05:00'))).toBe(Infinity);
  });
});

describe('the cuts between calls', () => {
  const points = catalog();
  const base = prepareLanes({ services, points, group });

  it('are served again, frozen, until CUTS_FRESH_MS after the now they were made for', () => {
    const first = cutsOf(group, points, base, now, 20);
    expect(first).toEqual(candidateCuts(group, points, { now, limit: 20 }));
    expect(Object.isFrozen(first)).toBe(true);
    expect(cutsOf(group, points, base, now + CUTS_FRESH_MS - 1, 20)).toBe(first);
    const fresh = cutsOf(group, points, base, now + CUTS_FRESH_MS, 20);
    expect(fresh).not.toBe(first);
    expect(fresh).toEqual(candidateCuts(group, points, { now: now + CUTS_FRESH_MS, limit: 20 }));
    // A clock that went back is not served an answer from its future.
    expect(cutsOf(group, points, base, now - 1, 20)).not.toBe(fresh);
  });

  it('are made again when now passes an instant of a lane, or for another limit', () => {
    const justBefore = ms('2026-11-26 04:59:59');
    const first = cutsOf(group, points, base, justBefore, 20);
    // 'later' (05:00) is reached 1 s on, well inside CUTS_FRESH_MS: a fresh answer that has it.
    const after = cutsOf(group, points, base, justBefore + 1000, 20);
    expect(after).not.toBe(first);
    expect(after[0]?.members[0]?.pointId).toBe('later');
    expect(first[0]?.members[0]?.pointId).toBe('d3');
    expect(cutsOf(group, points, base, justBefore + 1000, 5)).not.toBe(after);
  });

  it('are made again for a new catalog version', () => {
    const first = cutsOf(group, points, base, now, 20);
    const next = catalog();
    const again = cutsOf(group, next, prepareLanes({ services, points: next, group }), now, 20);
    expect(again).not.toBe(first);
    expect(again).toEqual(first);
  });
});
