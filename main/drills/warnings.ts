// What a runbook's drills say needs a look: never drilled, no success within drillEvery, the
// latest drill failed or ran over the RTO, and times rising toward the RTO. Pure.
import type { DrillRecord, DrillWarning } from '../../preload/schemas/drills';
import { drillDate, drillTime, everyWords, rtoWords } from '../../preload/schemas/drill-words';
import { provesPoints } from './fold';

/** A trend warns once the next drill is expected within this share of the RTO. */
export const TREND_SHARE = 0.8;
/** The trend reads the last this many completed drills (at least 3). */
export const TREND_DRILLS = 5;

const DAY_MS = 86_400_000;
const ago = (ms: number): string =>
  ms < 2 * DAY_MS
    ? `${Math.max(1, Math.round(ms / 3_600_000))} hours`
    : `${Math.round(ms / DAY_MS)} days`;

/**
 * The next measured time a least-squares line through `times` (oldest first) expects, or null
 * when there are fewer than 3 or the line does not rise.
 */
export function nextOnTrend(times: readonly number[]): number | null {
  const n = times.length;
  if (n < 3) return null;
  const meanX = (n - 1) / 2;
  const meanY = times.reduce((a, b) => a + b, 0) / n;
  let num = 0;
  let den = 0;
  times.forEach((y, x) => {
    num += (x - meanX) * (y - meanY);
    den += (x - meanX) ** 2;
  });
  const slope = num / den;
  if (!(slope > 0)) return null;
  return meanY + slope * (n - meanX);
}

/** The warnings of one runbook's sessions (any order), judged at `now`. */
export function drillWarnings(
  sessions: readonly DrillRecord[],
  rtoSeconds: number | null,
  drillEverySeconds: number,
  now: number,
): DrillWarning[] {
  const drills = sessions
    .filter((d) => d.mode === 'drill')
    .sort((a, b) => Date.parse(a.endedAt) - Date.parse(b.endedAt));
  if (drills.length === 0)
    return [
      {
        kind: 'never-drilled',
        message:
          'Never drilled: nobody knows whether this runbook restores, or how long it takes. Start a drill from the Restore section.',
      },
    ];
  const out: DrillWarning[] = [];
  const completed = drills.filter(provesPoints);
  const lastOk = completed.at(-1);
  const every = `drill at least every ${everyWords(drillEverySeconds)}`;
  if (!lastOk) {
    out.push({
      kind: 'overdue',
      message: `No drill of this runbook has completed yet (${drills.length} tried); ${every}.`,
    });
  } else {
    const age = now - Date.parse(lastOk.endedAt);
    if (age > drillEverySeconds * 1000)
      out.push({
        kind: 'overdue',
        message: `The last successful drill was ${ago(age)} ago (${drillDate(lastOk.endedAt)}); ${every}.`,
      });
  }
  const latest = drills.at(-1) as DrillRecord;
  if (latest.outcome !== 'completed') {
    const where = latest.failedStep
      ? ` at “${latest.failedStep.title}”: ${latest.failedStep.error}`
      : '';
    out.push({
      kind: 'failed',
      message: `The latest drill (${drillDate(latest.endedAt)}, ${latest.logName}) ${latest.outcome === 'aborted' ? 'was aborted' : 'failed'}${where}. Fix it and drill again.`,
    });
  } else if (latest.overRto && rtoSeconds !== null) {
    out.push({
      kind: 'over-rto',
      message: `The latest drill (${drillDate(latest.endedAt)}) took ${drillTime(latest.measuredMs)}, over the RTO of ${rtoWords(rtoSeconds)}.`,
    });
  }
  if (rtoSeconds !== null && latest.outcome === 'completed' && !latest.overRto) {
    const recent = completed.slice(-TREND_DRILLS).map((d) => d.measuredMs);
    const next = nextOnTrend(recent);
    if (next !== null && next >= TREND_SHARE * rtoSeconds * 1000)
      out.push({
        kind: 'trend',
        message: `Drill times are rising toward the RTO of ${rtoWords(rtoSeconds)}: ${recent.map((ms) => drillTime(ms)).join(', ')}; at this pace the next drill takes about ${drillTime(next)}.`,
      });
  }
  return out;
}
