// Timeline lanes: what the canvas draws for each member, checked against the contract's schema.
import { describe, expect, it } from 'vitest';
import { Timeline } from '../../preload/schemas/groups';
import type { ServiceConfig } from '../workspace/types';
import { buildTimeline } from './timeline';
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
    expect(db?.points.map((p) => [p.id, p.usable, p.brokenLink, p.future])).toEqual([
      ['F', true, false, false],
      ['I1', true, false, false],
      ['I3', false, true, false],
      ['I4', false, false, false],
      ['ahead', true, false, true],
    ]);
    expect(db?.links).toEqual([
      { from: 1, to: 0, broken: false },
      { from: 2, to: -1, broken: true },
      { from: 3, to: 2, broken: true },
    ]);
    // After I1 nothing is restorable (I3, I4 broken; "ahead" is dated after now): that is
    // staleness up to now, reported as a finding, not a gap between two points.
    expect(db?.gaps).toEqual([]);
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
    expect(uploads?.points).toEqual([]);
  });

  it('marks gaps longer than the RPO between restorable points', () => {
    const hourly = [0, 1, 2, 6, 7].map((h) =>
      point('orders-db', `p${h}`, at(`2026-11-25 1${h}:00`)),
    );
    const timeline = buildTimeline({ services, points: hourly, now, group: null });
    const db = timeline.lanes.find((l) => l.service === 'orders-db');
    expect(db?.gaps).toEqual([
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
});
