// A runbook's drill warnings: never drilled, no success within drillEvery, the latest drill failed
// or ran over the RTO, and times rising toward the RTO.
import { describe, expect, it } from 'vitest';
import { drill } from './test-records';
import { drillWarnings, nextOnTrend } from './warnings';

const NOW = Date.parse('2026-12-04T12:00:00Z');
const DAY = 86_400;

describe('drillWarnings', () => {
  it('warns that a runbook was never drilled (rehearsals do not count)', () => {
    const rehearsal = drill('2026-12-01T12:00:00Z', 1, 0, { mode: 'rehearsal' });
    expect(drillWarnings([rehearsal], 3600, 30 * DAY, NOW).map((w) => w.kind)).toEqual([
      'never-drilled',
    ]);
  });

  it('is quiet for a recent successful drill well within the RTO', () => {
    expect(drillWarnings([drill('2026-12-01T12:00:00Z', 5, 10)], 3600, 30 * DAY, NOW)).toEqual([]);
  });

  it('warns when the last successful drill is older than drillEvery', () => {
    const w = drillWarnings([drill('2026-10-20T12:00:00Z', 5, 10)], 3600, 30 * DAY, NOW);
    expect(w).toEqual([
      {
        kind: 'overdue',
        message:
          'The last successful drill was 45 days ago (2026-10-20); drill at least every 30 days.',
      },
    ]);
  });

  it('names the failed step of a latest drill that failed, and an older success does not hide it', () => {
    const ok = drill('2026-11-30T12:00:00Z', 5, 10);
    const failed = drill('2026-12-02T12:00:00Z', 5, 3, {
      outcome: 'failed',
      logName: 'drill-2026-12-02-abcd.jsonl',
      failedStep: { id: 'copy', title: 'Copy', error: 'cp exited with status 1' },
    });
    const w = drillWarnings([failed, ok], 3600, 30 * DAY, NOW);
    expect(w).toEqual([
      {
        kind: 'failed',
        message:
          'The latest drill (2026-12-02, drill-2026-12-02-abcd.jsonl) failed at “Copy”: cp exited with status 1. Fix it and drill again.',
      },
    ]);
  });

  it('warns of a latest drill over the RTO, and of times rising toward it', () => {
    const over = drillWarnings([drill('2026-12-01T12:00:00Z', 20, 50)], 3600, 30 * DAY, NOW);
    expect(over.map((w) => w.message)).toEqual([
      'The latest drill (2026-12-01) took 1 h 10 m, over the RTO of 1 h.',
    ]);
    const rising = [
      drill('2026-11-10T12:00:00Z', 10, 20),
      drill('2026-11-17T12:00:00Z', 10, 27),
      drill('2026-11-24T12:00:00Z', 10, 34),
      drill('2026-12-01T12:00:00Z', 10, 37),
    ];
    expect(drillWarnings(rising, 3600, 30 * DAY, NOW)).toEqual([
      {
        kind: 'trend',
        message:
          'Drill times are rising toward the RTO of 1 h: 30 m, 37 m, 44 m, 47 m; at this pace the next drill takes about 54 m.',
      },
    ]);
    // The same times falling: no trend.
    expect(
      drillWarnings(
        rising.map((d, i) => ({ ...d, endedAt: `2026-12-0${4 - i}T00:00:00Z` })),
        3600,
        30 * DAY,
        NOW,
      ),
    ).toEqual([]);
  });

  it('fits a line through at least three times', () => {
    expect(nextOnTrend([10, 20])).toBeNull();
    expect(nextOnTrend([10, 20, 30])).toBe(40);
    expect(nextOnTrend([30, 20, 10])).toBeNull();
  });
});
