// Findings from the drill history: a completed drill clears "untested" for the services it
// restored; the latest drill of a runbook that failed or ran over its RTO is a finding.
import { describe, expect, it } from 'vitest';
import type { DrillRecord } from '../../preload/schemas/drills';
import { drill } from '../drills/test-records';
import type { ServiceConfig } from '../workspace/types';
import { computeFindings } from './findings';
import { drillFindings } from './findings-drills';
import { DEFAULT_RETENTION } from './retention';
import { point } from './test-points';

const NOW = Date.parse('2026-12-04T12:00:00Z');
const svc = (name: string): ServiceConfig => ({
  name,
  owner: 'oncall',
  rpoSeconds: 86_400,
  rtoSeconds: 3600,
  retention: DEFAULT_RETENTION,
});
const restoring = (d: DrillRecord, ...services: string[]): DrillRecord => ({
  ...d,
  points: services.map((s) => ({
    service: s,
    source: `${s}-src`,
    pointId: `${s}-p`,
    time: '2026-11-20T01:00:00.000Z',
    bytes: 1024,
  })),
});
const untested = (history: DrillRecord[], days = 30): string[] =>
  computeFindings({
    services: [svc('orders-db'), svc('uploads'), svc('billing-db')],
    backends: [],
    points: ['orders-db', 'uploads', 'billing-db'].map((s) =>
      point(s, `${s}-p`, '2026-12-04T01:00:00Z'),
    ),
    now: NOW,
    drillHistory: history,
    verifyWithinDays: days,
  })
    .filter((f) => f.kind === 'untested')
    .map((f) => f.service);

describe('findings from drills', () => {
  it('clears "untested" for the services a recent completed drill restored, and only those', () => {
    expect(untested([])).toEqual(['billing-db', 'orders-db', 'uploads']);
    const ok = restoring(drill('2026-12-01T12:00:00Z', 5, 10), 'orders-db', 'uploads');
    expect(untested([ok])).toEqual(['billing-db']);
    // Older than drillEvery: a test, but not a recent one.
    expect(untested([ok], 2)).toEqual(['billing-db', 'orders-db', 'uploads']);
    // A failed drill tests nothing; neither does a rehearsal.
    expect(untested([{ ...ok, outcome: 'failed' }])).toHaveLength(3);
    expect(untested([{ ...ok, mode: 'rehearsal' }])).toHaveLength(3);
  });

  it('makes the latest failed drill of a runbook an error, and an aborted one a warning', () => {
    const failed = drill('2026-12-02T12:00:00Z', 5, 3, {
      outcome: 'failed',
      logName: 'drill-2026-12-02-abcd.jsonl',
      failedStep: { id: 'copy', title: 'Copy', error: 'cp exited with status 1' },
    });
    expect(drillFindings([failed])).toEqual([
      {
        severity: 'error',
        service: 'shop',
        kind: 'drill-failed',
        message:
          'The latest drill of “Restore the shop” (2026-12-02, drill-2026-12-02-abcd.jsonl) failed at “Copy” (cp exited with status 1): until a drill completes, nobody knows that this restore works. Fix it and drill again.',
      },
    ]);
    expect(drillFindings([{ ...failed, outcome: 'aborted' }])[0]?.severity).toBe('warning');
    // A completed drill after it settles the matter.
    expect(drillFindings([failed, drill('2026-12-03T12:00:00Z', 5, 10)])).toEqual([]);
  });

  it('makes a latest drill over the RTO a warning, with its time and the RTO', () => {
    const slow = drill('2026-12-02T12:00:00Z', 20, 55, { logName: 'drill-2026-12-02-ef01.jsonl' });
    const found = computeFindings({
      services: [],
      backends: [],
      points: [],
      now: NOW,
      drillHistory: [slow, { ...slow, runbook: 'runbooks/other.yaml', mode: 'live' }],
    });
    expect(found).toEqual([
      {
        severity: 'warning',
        service: 'shop',
        kind: 'drill-over-rto',
        message:
          'The latest drill of “Restore the shop” (2026-12-02, drill-2026-12-02-ef01.jsonl) took 1 h 15 m, over its RTO of 1 h: a real restore would miss the objective. Make the runbook faster or agree on a longer RTO.',
      },
    ]);
  });
});
