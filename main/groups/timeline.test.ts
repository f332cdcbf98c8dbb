// Timeline lanes: what the canvas draws for each member, checked against the contract's schema.
import { describe, expect, it } from 'vitest';
import {
  laneIds,
  lanePoint,
  laneGaps,
  laneLinks,
  Timeline,
  type TimelineLane,
} from '../../preload/schemas/groups';
import type { ServiceConfig } from '../workspace/types';
import { buildTimeline, prepareLanes, timelineAt } from './timeline';
import { at, point, window } from './test-points';

const svc = (name: string, rpoHours: number): ServiceConfig => ({
  name,
  owner: 'team',
  rpoSeconds: rpoHours * 3600,
  rtoSeconds: 3600,
  retention: { daily: 30, weekly: 91, monthly: 365, yearly: 2555 },
});
const services = [svc('uploads', 1), svc('orders-db', 2)];
const src = { source: 'pg' };
const points = [
  point('orders-db', 'I3', at('2026-11-26 02:00'), { ...src, kind: 'incr', parent: 'I2' }),
  point('orders-db', 'F', at('2026-11-25 20:00'), { ...src, kind: 'full' }),
  point('orders-db', 'I1', at('2026-11-25 21:00'), { ...src, kind: 'incr', parent: 'F' }),
  point('orders-db', 'I4', at('2026-11-26 02:30'), { ...src, kind: 'incr', parent: 'I3' }),
  point('orders-db', 'ahead', at('2026-11-26 09:00')),
  window('uploads', 'versions', at('2026-11-25 00:00'), null),
  point('legacy', 'old', at('2026-01-01 00:00')),
];
const now = at('2026-11-26 03:00');
const rows = (lane: TimelineLane | undefined) =>
  lane ? Array.from({ length: lane.count }, (_, i) => lanePoint(lane, i)) : [];

describe('timeline lanes', () => {
  it('draws a group in restore order, with chains linked and the broken link flagged', () => {
    const group = {
      name: 'shop',
      members: ['uploads', 'orders-db'],
      toleranceSeconds: 300,
      order: ['orders-db'],
    };
    const timeline = Timeline.parse(buildTimeline({ services, points, now, group }));
    expect(timeline.lanes.map((l) => l.service)).toEqual(['orders-db', 'uploads']);
    const db = timeline.lanes[0];
    expect(rows(db).map((p) => [p.id, p.usable, p.brokenLink, p.future])).toEqual([
      ['F', true, false, false],
      ['I1', true, false, false],
      ['I3', false, true, false],
      ['I4', false, false, false],
      ['ahead', true, false, true],
    ]);
    expect(db && laneLinks(db)).toEqual([
      { from: 1, to: 0, broken: false },
      { from: 2, to: -1, broken: true },
      { from: 3, to: 2, broken: true },
    ]);
    // After I1 nothing is restorable (I3, I4 broken; "ahead" is dated after now): that is
    // staleness up to now, reported as a finding, not a gap between two points.
    expect(db?.gaps).toEqual({ start: [], end: [] });
    expect(db?.first).toBe(Date.parse(at('2026-11-25 20:00')));
    const uploads = timeline.lanes[1];
    expect(uploads?.windows).toEqual([
      {
        id: 'versions',
        source: 'uploads-src',
        start: Date.parse(at('2026-11-25 00:00')),
        end: Date.parse(now),
        open: true,
      },
    ]);
    expect(uploads?.count).toBe(0);
  });

  it('marks gaps longer than the RPO between restorable points', () => {
    const hourly = [0, 1, 2, 6, 7].map((h) =>
      point('orders-db', `p${h}`, at(`2026-11-25 1${h}:00`)),
    );
    const timeline = buildTimeline({ services, points: hourly, now, group: null });
    const db = timeline.lanes.find((l) => l.service === 'orders-db');
    expect(db && laneGaps(db)).toEqual([
      {
        start: Date.parse(at('2026-11-25 12:00')),
        end: Date.parse(at('2026-11-25 16:00')),
        seconds: 4 * 3600,
      },
    ]);
  });

  it('shows every service, then orphaned services from the catalog', () => {
    const timeline = buildTimeline({ services, points, now });
    expect(timeline.group).toBeNull();
    expect(timeline.lanes.map((l) => [l.service, l.rpoSeconds])).toEqual([
      ['uploads', 3600],
      ['orders-db', 7200],
      ['legacy', null],
    ]);
  });

  it('prepares once and answers for any now: future points, expired locks, open windows, gaps', () => {
    const locked = point('orders-db', 'L', at('2026-11-25 22:00'), {
      immutable: { mode: 'COMPLIANCE', retainUntil: at('2026-11-26 04:00'), legalHold: false },
    });
    const tagged = point('orders-db', 'T', at('2026-11-25 23:00'), { tags: ['snapshot:run-7'] });
    const base = prepareLanes({ services, points: [...points, locked, tagged], group: null });
    const early = timelineAt(base, Date.parse(now));
    const late = timelineAt(base, Date.parse(at('2026-11-26 10:00')));
    const db = (t: typeof early) => rows(t.lanes.find((l) => l.service === 'orders-db'));
    const byId = (list: ReturnType<typeof db>, id: string) => list.find((p) => p.id === id);
    expect(byId(db(early), 'L')).toMatchObject({
      immutable: true,
      lockedUntil: Date.parse(at('2026-11-26 04:00')),
    });
    expect(byId(db(late), 'L')?.immutable).toBe(false);
    expect(byId(db(early), 'T')).toMatchObject({ snapshotId: 'run-7', lockedUntil: null });
    expect(byId(db(early), 'F')?.snapshotId).toBeNull();
    expect(byId(db(early), 'ahead')?.future).toBe(true);
    expect(byId(db(late), 'ahead')?.future).toBe(false);
    const uploads = (t: typeof early) => t.lanes.find((l) => l.service === 'uploads');
    expect(uploads(late)?.windows[0]?.end).toBe(Date.parse(at('2026-11-26 10:00')));
    expect(uploads(late)?.last).toBe(Date.parse(at('2026-11-26 10:00')));
    // The same answer as building from scratch at that instant.
    expect(late).toEqual(
      buildTimeline({
        services,
        points: [...points, locked, tagged],
        now: at('2026-11-26 10:00'),
      }),
    );
    // Before 09:00 "ahead" is a future point, no gap; at 10:00 it is restorable, 10 h after T.
    const dbLane = (t: typeof early) =>
      t.lanes.find((l) => l.service === 'orders-db') as TimelineLane;
    expect(laneGaps(dbLane(early))).toEqual([]);
    expect(laneGaps(dbLane(late))).toEqual([
      {
        start: Date.parse(at('2026-11-25 23:00')),
        end: Date.parse(at('2026-11-26 09:00')),
        seconds: 10 * 3600,
      },
    ]);
  });

  it('sorts shuffled points by time, ties by id, and the schema refuses inconsistent columns', () => {
    const many = Array.from({ length: 300 }, (_, k) =>
      point(
        'orders-db',
        `p${String(299 - k).padStart(3, '0')}`,
        at(`2026-11-2${k % 3} 0${k % 7}:00`),
      ),
    );
    const timeline = buildTimeline({ services, points: many, now, group: null });
    const db = timeline.lanes.find((l) => l.service === 'orders-db') as TimelineLane;
    const list = rows(db);
    for (let i = 1; i < list.length; i++) {
      const a = list[i - 1] as (typeof list)[number];
      const b = list[i] as (typeof list)[number];
      expect(a.at < b.at || (a.at === b.at && a.id < b.id)).toBe(true);
    }
    expect(Timeline.safeParse(timeline).success).toBe(true);
    const broken = { ...timeline, lanes: [{ ...db, at: db.at.slice(1) }] };
    expect(Timeline.safeParse(broken).success).toBe(false);
    const outside = { ...timeline, lanes: [{ ...db, source: db.source.map(() => 99) }] };
    expect(Timeline.safeParse(outside).success).toBe(false);
    const lockOutside = { ...timeline, lanes: [{ ...db, locks: { row: [db.count], until: [0] } }] };
    expect(Timeline.safeParse(lockOutside).success).toBe(false);
  });

  it('sends the ids as one string and reads back any id, separators and backslashes included', () => {
    const odd = ['plain', 'two\nlines', 'back\\slash\\-', '', '\\\u007f', 'del\u007fdel\\'];
    const list = odd.map((id, i) => point('odd', id, at(`2026-11-26 0${i}:00`)));
    const lane = buildTimeline({ services: [], points: list, now, group: null }).lanes[0];
    expect(lane && Timeline.shape.lanes.element.safeParse(lane).success).toBe(true);
    expect(lane && laneIds(lane)).toEqual(odd);
    expect(rows(lane).map((p) => p.id)).toEqual(odd);
    const empty = buildTimeline({ services: [svc('none', 1)], points: [], now, group: null });
    expect(empty.lanes[0] && laneIds(empty.lanes[0])).toEqual([]);
    const bad = lane && {
      ...lane,
      ids: ['one', 'too', 'many', 'ids', 'a', 'b', 'c'].join('\u007f'),
    };
    expect(Timeline.shape.lanes.element.safeParse(bad).success).toBe(false);
  });
});
