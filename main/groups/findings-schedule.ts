// Findings about time: stale services, gaps longer than the RPO, the schedule actually kept,
// and points dated in the future.
import type { RecoveryPoint } from '../../preload/schemas/catalog';
import type { Finding } from '../../preload/schemas/groups';
import type { ServiceConfig } from '../workspace/types';
import type { ChainState } from './chains';
import { coverageGaps, newestRestorable } from './coverage';
import type { MemberHistory } from './history';
import { formatDuration, formatInstant, parseInstant } from './time';

/** One service's points with their chain analysis and prepared history, as of `now`. */
export type ServiceFacts = {
  service: ServiceConfig;
  points: RecoveryPoint[];
  chains: ChainState[];
  history: MemberHistory;
  now: number;
};

/** Gaps named one by one before the rest are summed up in one finding. */
const GAPS_LISTED = 5;
/** Intervals the schedule median looks at: recent enough to reflect today's schedule. */
const SCHEDULE_WINDOW = 100;

/** Nothing in the catalog, or nothing restorable. */
export function noPointFindings(f: ServiceFacts): Finding[] {
  const name = f.service.name;
  if (f.points.length === 0) {
    return [
      {
        severity: 'error',
        service: name,
        kind: 'no-points',
        message: `${name} has no recovery points in the catalog: check that a source is configured for it and that it loads.`,
      },
    ];
  }
  if (newestRestorable(f.history) === -Infinity && f.history.future.length === 0) {
    return [
      {
        severity: 'error',
        service: name,
        kind: 'no-points',
        message: `${name} has ${f.points.length} recovery points but none can be restored (broken chains or failed backups).`,
      },
    ];
  }
  return [];
}

/** Stale: the newest restorable instant is older than the RPO. */
export function staleFindings(f: ServiceFacts): Finding[] {
  const newest = newestRestorable(f.history);
  if (newest === -Infinity) return [];
  const age = f.now - newest;
  const rpo = f.service.rpoSeconds * 1000;
  if (rpo <= 0 || age <= rpo) return [];
  const last =
    f.history.times.length > 0 ? f.history.points[f.history.points.length - 1] : undefined;
  const finding: Finding = {
    severity: 'error',
    service: f.service.name,
    kind: 'stale',
    message:
      `${f.service.name} is stale: its newest restorable point is ${formatDuration(age)} old ` +
      `(${formatInstant(newest)}), beyond its RPO of ${formatDuration(rpo)}.`,
  };
  if (last !== undefined && parseInstant(last.time) === newest) finding.pointId = last.id;
  return [finding];
}

/** Gaps between consecutive restorable instants longer than the RPO, newest first. */
export function gapFindings(f: ServiceFacts): Finding[] {
  const rpo = f.service.rpoSeconds * 1000;
  if (rpo <= 0) return [];
  const gaps = coverageGaps(f.history, rpo).reverse();
  const out: Finding[] = gaps.slice(0, GAPS_LISTED).map((g) => {
    const finding: Finding = {
      severity: 'warning',
      service: f.service.name,
      kind: 'gap',
      message:
        `${f.service.name} has a ${formatDuration(g.end - g.start)} gap without a restorable point, ` +
        `from ${formatInstant(g.start)} to ${formatInstant(g.end)} (RPO ${formatDuration(rpo)}).`,
    };
    const after = g.after >= 0 ? f.history.points[g.after] : undefined;
    if (after !== undefined) finding.pointId = after.id;
    return finding;
  });
  if (gaps.length > GAPS_LISTED) {
    const rest = gaps.slice(GAPS_LISTED);
    const largest = Math.max(...rest.map((g) => g.end - g.start));
    out.push({
      severity: 'warning',
      service: f.service.name,
      kind: 'gap',
      message:
        `${f.service.name} has ${rest.length} more gaps longer than its RPO in older history ` +
        `(the largest ${formatDuration(largest)}).`,
    });
  }
  return out;
}

/** The RPO the actual schedule implies: the median interval between recent points. */
export function scheduleFindings(f: ServiceFacts): Finding[] {
  const name = f.service.name;
  const rpo = f.service.rpoSeconds * 1000;
  const h = f.history;
  const openWindow =
    h.winMaxEnd.length > 0 && (h.winMaxEnd[h.winMaxEnd.length - 1] as number) >= f.now;
  if (openWindow) {
    return [
      {
        severity: 'info',
        service: name,
        kind: 'schedule',
        message: `${name} is protected continuously (a window open up to now): any recent instant can be restored.`,
      },
    ];
  }
  if (h.times.length < 3) return [];
  const from = Math.max(1, h.times.length - SCHEDULE_WINDOW);
  const intervals: number[] = [];
  for (let i = from; i < h.times.length; i++)
    intervals.push((h.times[i] as number) - (h.times[i - 1] as number));
  intervals.sort((a, b) => a - b);
  const mid = intervals.length >> 1;
  const median =
    intervals.length % 2 === 1
      ? (intervals[mid] as number)
      : ((intervals[mid - 1] as number) + (intervals[mid] as number)) / 2;
  const basis = `median of the last ${intervals.length} intervals`;
  if (rpo > 0 && median > rpo) {
    return [
      {
        severity: 'warning',
        service: name,
        kind: 'schedule',
        message: `${name} is backed up about every ${formatDuration(median)} (${basis}): that cannot meet its RPO of ${formatDuration(rpo)}.`,
      },
    ];
  }
  return [
    {
      severity: 'info',
      service: name,
      kind: 'schedule',
      message: `${name} is backed up about every ${formatDuration(median)} (${basis}), so its actual RPO is about ${formatDuration(median)}${rpo > 0 ? ` (target ${formatDuration(rpo)})` : ''}.`,
    },
  ];
}

/** Points dated after now: a wrong clock somewhere; they are left out of cuts. */
export function futureFindings(f: ServiceFacts): Finding[] {
  const future = f.history.future;
  if (future.length === 0) return [];
  let newest = future[0] as RecoveryPoint;
  for (const p of future) if (parseInstant(p.time) > parseInstant(newest.time)) newest = p;
  const ahead = parseInstant(newest.time) - f.now;
  const count = future.length === 1 ? 'a point' : `${future.length} points`;
  return [
    {
      severity: 'warning',
      service: f.service.name,
      kind: 'future-point',
      message:
        `${f.service.name} has ${count} dated in the future (up to ${formatDuration(ahead)} ahead): ` +
        `check the clock of the host that writes them; they are left out of cuts until then.`,
      pointId: newest.id,
    },
  ];
}
