// For the drills tests: drill records without logs, for the pure functions (warnings, prediction,
// findings).
import type { DrillRecord } from '../../preload/schemas/drills';

const MIN = 60_000;

/** A completed drill of `waitingMin` for people and `runningMin` of commands, restoring `bytes`. */
export function drill(
  end: string,
  waitingMin: number,
  runningMin: number,
  over: Partial<DrillRecord> = {},
): DrillRecord {
  return {
    logPath: `/ws/audit/drill-${end.slice(0, 10)}.jsonl`,
    logName: `drill-${end.slice(0, 10)}.jsonl`,
    logId: 'a'.repeat(32),
    runbook: 'runbooks/shop-restore.yaml',
    title: 'Restore the shop',
    mode: 'drill',
    outcome: 'completed',
    startedAt: new Date(Date.parse(end) - (waitingMin + runningMin) * MIN).toISOString(),
    endedAt: end,
    measuredMs: (waitingMin + runningMin) * MIN,
    rtoSeconds: 3600,
    overRto: (waitingMin + runningMin) * 60 > 3600,
    operator: 'alice',
    operatorKeyId: 'b'.repeat(64),
    target: 'sandbox-restore',
    group: 'shop',
    points: [],
    bytes: 1_000_000_000,
    steps: [
      {
        id: 'announce',
        title: 'Announce',
        kind: 'manual',
        state: 'done',
        attempts: 1,
        waitingMs: waitingMin * MIN,
        runningMs: 0,
        totalMs: waitingMin * MIN,
      },
      {
        id: 'copy',
        title: 'Copy',
        kind: 'local',
        state: 'done',
        attempts: 1,
        waitingMs: 0,
        runningMs: runningMin * MIN,
        totalMs: runningMin * MIN,
      },
    ],
    failedStep: null,
    ...over,
  };
}
