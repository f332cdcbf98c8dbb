// The predicted restore time: past drills of the same runbook, people's time as it was, command
// time scaled by the bytes to restore, against the RTO; no history says so.
import { describe, expect, it } from 'vitest';
import type { DrillRecord } from '../../preload/schemas/drills';
import { predictRestore, scaledTime } from './predict';
import { drill } from './test-records';

const MIN = 60_000;

describe('predictRestore', () => {
  it('says there is no prediction without a completed drill, and still names the RTO', () => {
    const failed = drill('2026-11-20T12:00:00Z', 5, 10, { outcome: 'failed' });
    const p = predictRestore([failed], 2e9, 3600);
    expect(p).toMatchObject({ lowMs: null, highMs: null, drills: 0, overRto: false });
    expect(p.summary).toBe('no prediction: this runbook has no completed drill yet; RTO 1 h');
  });

  it('ranges over past drills, scaling only the command time by size', () => {
    const past = [
      drill('2026-11-20T12:00:00Z', 10, 20), // 30 min at 1 GB
      drill('2026-11-27T12:00:00Z', 12, 26), // 38 min at 1 GB
    ];
    // Twice the bytes: 10 + 40 = 50 min and 12 + 52 = 64 min.
    const p = predictRestore(past, 2e9, 3600);
    expect(p).toMatchObject({ lowMs: 50 * MIN, highMs: 64 * MIN, drills: 2, overRto: true });
    expect(p.summary).toBe('predicted 50–64 min; RTO 1 h — it may run over');
    expect(p.basis).toMatch(
      /^From 2 completed drills of this runbook \(2026-11-27, 2026-11-20\), their command time scaled by size \(2\.0 GB now; 1\.0 GB then\)\.$/,
    );
    expect(scaledTime(past[0] as DrillRecord, 5e8)).toBe(20 * MIN);
  });

  it('widens a single drill to ±10% and does not scale when a size is unknown', () => {
    const one = [drill('2026-11-20T12:00:00Z', 10, 30)];
    const p = predictRestore(one, null, 3600);
    expect(p).toMatchObject({ lowMs: 36 * MIN, highMs: 44 * MIN, overRto: false });
    expect(p.summary).toBe('predicted 36–44 min; RTO 1 h');
    expect(p.basis).toMatch(/not known, so they are not scaled/);
    const unknownThen = predictRestore(
      [drill('2026-11-20T12:00:00Z', 10, 30, { bytes: null })],
      2e9,
      null,
    );
    expect(unknownThen.summary).toBe('predicted 36–44 min; no RTO set');
  });

  it('reads the newest five completed drills only, not rehearsals or live restores', () => {
    const old = drill('2026-01-01T12:00:00Z', 100, 100);
    const recent = ['02', '03', '04', '05', '06'].map((m) =>
      drill(`2026-${m}-01T12:00:00Z`, 10, 20),
    );
    const live = drill('2026-07-01T12:00:00Z', 1, 1, { mode: 'live' });
    const rehearsal = drill('2026-07-02T12:00:00Z', 1, 0, { mode: 'rehearsal' });
    const p = predictRestore([old, ...recent, live, rehearsal], 1e9, 3600);
    expect(p.drills).toBe(5);
    expect(p.summary).toBe('predicted 27–33 min; RTO 1 h');
  });
});
