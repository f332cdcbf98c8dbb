// Findings on hand-built histories: the health facts an engineer would act on.
import { describe, expect, it } from 'vitest';
import type { RecoveryPoint } from '../../preload/schemas/catalog';
import type { Finding } from '../../preload/schemas/groups';
import type { BackendConfig, ServiceConfig } from '../workspace/types';
import { computeFindings, type DrillResult } from './findings';
import { DEFAULT_RETENTION } from './retention';
import { point, window } from './test-points';

const NOW = Date.parse('2026-11-26T03:00:00Z');
const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const iso = (ms: number): string => new Date(ms).toISOString();

const service = (
  name: string,
  rpoHours: number,
  retention = { daily: 0, weekly: 0, monthly: 0, yearly: 0 },
): ServiceConfig => ({
  name,
  owner: 'team',
  rpoSeconds: rpoHours * 3600,
  rtoSeconds: 3600,
  retention,
});
const backends: BackendConfig[] = [
  { name: 'nas', type: 'local', path: '/srv/backup', tags: [] },
  {
    name: 'b2',
    type: 's3',
    endpoint: null,
    region: null,
    profile: null,
    forcePathStyle: null,
    tags: ['offsite'],
  },
  { name: 'tape', type: 'local', path: '/mnt/tape', tags: [] },
];
/** A healthy point: three copies, one off-site, locked for a year, verified yesterday. */
const healthy = (
  svc: string,
  id: string,
  ms: number,
  extra: Partial<RecoveryPoint> = {},
): RecoveryPoint =>
  point(svc, id, iso(ms), {
    copies: ['nas', 'b2', 'tape'],
    immutable: { mode: 'COMPLIANCE', retainUntil: iso(NOW + 365 * DAY), legalHold: false },
    lastVerified: iso(NOW - DAY),
    ...extra,
  });
/** Hourly healthy points over the last `hours` hours. */
const hourly = (svc: string, hours: number): RecoveryPoint[] =>
  Array.from({ length: hours }, (_, k) => healthy(svc, `${svc}-${k}`, NOW - (hours - k) * HOUR));

function run(
  services: ServiceConfig[],
  points: RecoveryPoint[],
  drills: DrillResult[] = [],
): Finding[] {
  return computeFindings({ services, backends, points, now: NOW, drills });
}
const kinds = (fs: Finding[]): string[] => fs.map((f) => `${f.severity}:${f.service}:${f.kind}`);

describe('findings', () => {
  it('says nothing alarming about a healthy hourly service, only its actual schedule', () => {
    const fs = run([service('orders-db', 4)], hourly('orders-db', 48));
    expect(fs).toEqual([
      {
        severity: 'info',
        service: 'orders-db',
        kind: 'schedule',
        message:
          'orders-db is backed up about every 1 h (median of the last 47 intervals), so its actual RPO is about 1 h (target 4 h).',
      },
    ]);
  });

  it('reports a stale service, a missed run, and a schedule that cannot meet the RPO', () => {
    const points = [0, 6, 12, 30, 36].map((h) =>
      healthy('orders-db', `p${h}`, NOW - 3 * DAY + h * HOUR),
    );
    const fs = run([service('orders-db', 4)], points);
    expect(kinds(fs)).toEqual([
      'error:orders-db:stale',
      'warning:orders-db:gap',
      'warning:orders-db:gap',
      'warning:orders-db:schedule',
    ]);
    expect(fs[0]?.message).toBe(
      'orders-db is stale: its newest restorable point is 1 d 12 h old (2026-11-24 15:00 UTC), beyond its RPO of 4 h.',
    );
    expect(fs[0]?.pointId).toBe('p36');
    // Every 6 h interval exceeds the 4 h RPO: only the missed runs are named one by one.
    expect(fs[1]).toMatchObject({
      pointId: 'p30',
      message:
        'orders-db has a 18 h gap without a restorable point, from 2026-11-23 15:00 UTC to 2026-11-24 09:00 UTC (RPO 4 h).',
    });
    expect(fs[2]?.message).toBe(
      'orders-db has 3 more gaps longer than its RPO of 4 h (the largest 18 h): its schedule runs less often than the RPO.',
    );
    expect(fs[3]?.message).toBe(
      'orders-db is backed up about every 6 h (median of the last 4 intervals): that cannot meet its RPO of 4 h.',
    );
  });

  it('names each gap when the schedule meets the RPO', () => {
    const hours = [...Array.from({ length: 10 }, (_, h) => h), 15, 16, 17];
    const points = hours.map((h) => healthy('orders-db', `p${h}`, NOW - 18 * HOUR + h * HOUR));
    const fs = run([service('orders-db', 4)], points).filter((f) => f.kind === 'gap');
    expect(fs).toEqual([
      {
        severity: 'warning',
        service: 'orders-db',
        kind: 'gap',
        message:
          'orders-db has a 6 h gap without a restorable point, from 2026-11-25 18:00 UTC to 2026-11-26 00:00 UTC (RPO 4 h).',
        pointId: 'p15',
      },
    ]);
  });

  it('reports a broken chain with a missing middle and counts what it takes down', () => {
    const src = { source: 'pg' };
    const points = [
      healthy('orders-db', 'F', NOW - 5 * HOUR, { ...src, kind: 'full' }),
      healthy('orders-db', 'I1', NOW - 4 * HOUR, { ...src, kind: 'incr', parent: 'F' }),
      healthy('orders-db', 'I3', NOW - 2 * HOUR, { ...src, kind: 'incr', parent: 'I2' }),
      healthy('orders-db', 'I4', NOW - 1 * HOUR, { ...src, kind: 'incr', parent: 'I3' }),
    ];
    const fs = run([service('orders-db', 3)], points).filter((f) => f.severity === 'error');
    expect(fs).toEqual(
      [
        {
          severity: 'error',
          service: 'orders-db',
          kind: 'broken-chain',
          message:
            'orders-db incremental I3 (2026-11-26 01:00 UTC): its reference I2 is missing; it and the 1 point after it cannot be restored.',
          pointId: 'I3',
        },
        {
          severity: 'error',
          service: 'orders-db',
          kind: 'stale',
          message:
            'orders-db is stale: its newest restorable point is 4 h old (2026-11-25 23:00 UTC), beyond its RPO of 3 h.',
          pointId: 'I1',
        },
      ].sort((a, b) => (a.kind === 'stale' ? -1 : b.kind === 'stale' ? 1 : 0)),
    );
  });

  it('reports a failed full backup that incrementals build on', () => {
    const points = [
      healthy('orders-db', 'F', NOW - 3 * HOUR, {
        source: 'pg',
        kind: 'full',
        tags: ['status:failed'],
      }),
      healthy('orders-db', 'I1', NOW - 2 * HOUR, { source: 'pg', kind: 'incr', parent: 'F' }),
      healthy('orders-db', 'S', NOW - 1 * HOUR),
    ];
    const chain = run([service('orders-db', 4)], points).find((f) => f.kind === 'broken-chain');
    expect(chain?.message).toBe(
      'orders-db full backup F (2026-11-26 00:00 UTC): it is marked failed; it and the 1 point after it cannot be restored.',
    );
  });

  it('applies the 3-2-1 rule, immutability and test restores to the newest point', () => {
    const points = [
      healthy('uploads', 'old', NOW - 2 * HOUR),
      point('uploads', 'new', iso(NOW - HOUR), {
        copies: ['nas'],
        lastVerified: iso(NOW - 45 * DAY),
      }),
    ];
    const fs = run([service('uploads', 4)], points).filter((f) => f.kind !== 'schedule');
    expect(fs.map((f) => [f.kind, f.message])).toEqual([
      [
        'not-immutable',
        'The newest point of uploads (new) is not immutable, so ransomware or a mistake could delete it; 1 of its 2 restorable points are not immutable.',
      ],
      ['copies', 'The newest point of uploads (new) has only 1 copy (nas): keep at least 3.'],
      [
        'backends',
        'The newest point of uploads (new) is held by one backend only (nas): keep copies on at least 2.',
      ],
      [
        'offsite',
        'The newest point of uploads (new) has no copy off-site: no backend holding it is tagged "offsite".',
      ],
    ]);
  });

  it('asks for a test restore after 30 days, and counts successful drills', () => {
    const stale = (ms: number): RecoveryPoint[] => [
      healthy('orders-db', 'p', NOW - HOUR, { lastVerified: iso(ms) }),
    ];
    const untested = (drills: DrillResult[]): Finding[] =>
      run([service('orders-db', 4)], stale(NOW - 40 * DAY), drills).filter(
        (f) => f.kind === 'untested',
      );
    expect(untested([])[0]?.message).toBe(
      'The last successful test restore of orders-db was 40 d ago (2026-10-17 03:00 UTC); test one at least every 30 days.',
    );
    const failed = { service: 'orders-db', pointId: 'p', finishedAt: iso(NOW - DAY), ok: false };
    expect(untested([failed])).toHaveLength(1);
    expect(untested([{ ...failed, ok: true }])).toEqual([]);
    const never = run(
      [service('orders-db', 4)],
      [healthy('orders-db', 'p', NOW - HOUR, { lastVerified: null })],
    );
    expect(never.find((f) => f.kind === 'untested')?.message).toContain(
      'has never been test-restored',
    );
  });

  it('reports orphaned backup sets and services without any point', () => {
    const points = [
      point('legacy-api', 'a', iso(NOW - DAY), { source: 'old-restic', sizeBytes: 2_000_000_000 }),
      point('legacy-api', 'b', iso(NOW - HOUR), { source: 'old-restic', sizeBytes: 1_200_000_000 }),
    ];
    const fs = run([service('search', 4)], points);
    expect(fs.map((f) => [f.severity, f.service, f.kind, f.message])).toEqual([
      [
        'error',
        'search',
        'no-points',
        'search has no recovery points in the catalog: check that a source is configured for it and that it loads.',
      ],
      [
        'warning',
        'legacy-api',
        'orphan',
        '2 backup sets of "legacy-api" (source old-restic, 3.2 GB, newest 2026-11-26 02:00 UTC) belong to no service in the workspace: they still cost money; delete them or add the service back.',
      ],
    ]);
  });

  it('warns about points dated in the future (clock skew)', () => {
    const points = [...hourly('orders-db', 3), healthy('orders-db', 'ahead', NOW + 2 * HOUR)];
    const future = run([service('orders-db', 4)], points).find((f) => f.kind === 'future-point');
    expect(future).toMatchObject({ severity: 'warning', pointId: 'ahead' });
    expect(future?.message).toContain('a point dated in the future (up to 2 h ahead)');
  });

  it('sees a continuous window as fresh and reports it as continuous protection', () => {
    const points = [
      {
        ...window('uploads', 'versions', iso(NOW - 10 * DAY), null),
        copies: ['nas', 'b2', 'tape'],
        lastVerified: iso(NOW - DAY),
      },
    ];
    const fs = run([service('uploads', 1)], points);
    expect(kinds(fs)).toEqual(['warning:uploads:not-immutable', 'info:uploads:schedule']);
  });

  it('finds retention drift: missing dailies, and history shorter than the longest tier', () => {
    // Daily points over 60 days, except days 3..5 back; the policy keeps yearlies for 7 years.
    const points = Array.from({ length: 60 }, (_, k) => k)
      .filter((k) => k < 3 || k > 5)
      .map((k) => healthy('orders-db', `d${k}`, NOW - k * DAY - HOUR));
    const fs = run([service('orders-db', 48, DEFAULT_RETENTION)], points).filter(
      (f) => f.kind === 'retention-drift',
    );
    expect(fs.map((f) => f.message)).toEqual([
      'orders-db has no daily point in 3 of the 29 days its policy keeps (the newest missing starts 2026-11-22 03:00 UTC).',
      'orders-db keeps 59 d 1 h of history (oldest 2026-09-28 02:00 UTC), but its policy keeps yearly points for 7 years: older points were pruned, or the service is new.',
    ]);
  });

  it('checks that each group has a recent consistent cut, not just each member', () => {
    const group = {
      name: 'shop',
      members: ['orders-db', 'uploads'],
      toleranceSeconds: 300,
      order: [],
    };
    const services = [service('orders-db', 2), service('uploads', 1)];
    const points = [
      ...hourly('orders-db', 4),
      healthy('uploads', 'u-old', NOW - 3 * HOUR - 2 * 60_000),
      healthy('uploads', 'u-new', NOW - 30 * 60_000),
    ];
    const groupFinding = (ps: RecoveryPoint[]): Finding[] =>
      computeFindings({ services, backends, points: ps, now: NOW, groups: [group] }).filter(
        (f) => f.kind === 'group-cut',
      );
    expect(groupFinding(points)).toEqual([
      {
        severity: 'warning',
        service: 'shop',
        kind: 'group-cut',
        message:
          'The newest consistent cut of group shop is 3 h old (2026-11-26 00:00 UTC), beyond the 1 h RPO of uploads; ' +
          'the newest state is not consistent: orders-db point is 30 min older than uploads (tolerance 5 min).',
      },
    ]);
    expect(groupFinding(points.filter((p) => p.service === 'orders-db'))).toEqual([
      {
        severity: 'error',
        service: 'shop',
        kind: 'group-cut',
        message:
          'Group shop: no cut is possible before 2026-11-26 03:00 UTC: uploads has no recovery points at all.',
      },
    ]);
  });
});
