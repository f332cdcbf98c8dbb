// Findings from the drill history: the latest drill of a runbook failed (or was aborted), or it
// completed over the RTO. Pure: the history is handed in (main/drills/ reads and verifies it).
import type { DrillRecord } from '../../preload/schemas/drills';
import type { Finding } from '../../preload/schemas/groups';
import { drillDate, drillTime, rtoWords } from '../../preload/schemas/drill-words';
import type { DrillResult } from './findings-protection';

const newest = (a: DrillRecord, b: DrillRecord): number =>
  Date.parse(b.endedAt) - Date.parse(a.endedAt);

/** What the finding is about: the group the drill restored, else the runbook's title. */
const subject = (d: DrillRecord): string => d.group ?? d.title;

/** One finding per runbook whose latest drill failed, was aborted or ran over its RTO. */
export function drillFindings(history: readonly DrillRecord[]): Finding[] {
  const latest = new Map<string, DrillRecord>();
  for (const d of [...history].filter((x) => x.mode === 'drill').sort(newest))
    if (!latest.has(d.runbook)) latest.set(d.runbook, d);
  const out: Finding[] = [];
  for (const d of latest.values()) {
    const when = `${drillDate(d.endedAt)}, ${d.logName}`;
    if (d.outcome !== 'completed') {
      const where = d.failedStep ? ` at “${d.failedStep.title}” (${d.failedStep.error})` : '';
      out.push({
        severity: d.outcome === 'failed' ? 'error' : 'warning',
        service: subject(d),
        kind: 'drill-failed',
        message: `The latest drill of “${d.title}” (${when}) ${d.outcome === 'failed' ? 'failed' : 'was aborted'}${where}: until a drill completes, nobody knows that this restore works. Fix it and drill again.`,
      });
    } else if (d.overRto && d.rtoSeconds !== null) {
      out.push({
        severity: 'warning',
        service: subject(d),
        kind: 'drill-over-rto',
        message: `The latest drill of “${d.title}” (${when}) took ${drillTime(d.measuredMs)}, over its RTO of ${rtoWords(d.rtoSeconds)}: a real restore would miss the objective. Make the runbook faster or agree on a longer RTO.`,
      });
    }
  }
  return out;
}

/** Successful test restores per restored service, for the untested finding. */
export function drillResults(history: readonly DrillRecord[]): DrillResult[] {
  return history.flatMap((d) =>
    d.mode === 'drill'
      ? d.points.map((p) => ({
          service: p.service,
          pointId: p.pointId,
          finishedAt: d.endedAt,
          ok: d.outcome === 'completed',
        }))
      : [],
  );
}
