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
  points: readonly RecoveryPoint[];
  chains: readonly ChainState[];
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

/** The median interval between the last SCHEDULE_WINDOW points, and how many intervals; null under 2. */
export function scheduleInterval(h: MemberHistory): { median: number; count: number } | null {
  if (h.times.length < 3) return null;
  const intervals: number[] = [];
  for (let i = Math.max(1, h.times.length - SCHEDULE_WINDOW); i < h.times.length; i++) {
    intervals.push((h.times[i] as number) - (h.times[i - 1] as number));
  }
  intervals.sort((a, b) => a - b);
  const mid = intervals.length >> 1;
  const median =
    intervals.length % 2 === 1
      ? (intervals[mid] as number)
      : ((intervals[mid - 1] as number) + (intervals[mid] as number)) / 2;
  return { median, count: intervals.length };
}

/**
 * Gaps between consecutive restorable instants longer than the RPO, newest first. When the
 * schedule itself is sparser than the RPO every interval is such a gap: the schedule finding
 * says so, and only gaps beyond twice the usual interval (missed runs) are named here.
 */
export function gapFindings(f: ServiceFacts): Finding[] {
  const rpo = f.service.rpoSeconds * 1000;
  if (rpo <= 0) return [];
  const all = coverageGaps(f.history, rpo).reverse();
  const schedule = scheduleInterval(f.history);
  const sparse = schedule !== null && schedule.median > rpo;
  const gaps = sparse ? all.filter((g) => g.end - g.start > 2 * schedule.median) : all;
  const name = f.service.name;
  const out: Finding[] = gaps.slice(0, GAPS_LISTED).map((g) => {
    const finding: Finding = {
      severity: 'warning',
      service: name,
      kind: 'gap',
      message:
        `${name} has a ${formatDuration(g.end - g.start)} gap without a restorable point, ` +
        `from ${formatInstant(g.start)} to ${formatInstant(g.end)} (RPO ${formatDuration(rpo)}).`,
    };
    const after = g.after >= 0 ? f.history.points[g.after] : undefined;
    if (after !== undefined) finding.pointId = after.id;
    return finding;
  });
  const rest = gaps.length - out.length + (all.length - gaps.length);
  if (rest > 0) {
    const largest = Math.max(...all.map((g) => g.end - g.start));
    out.push({
      severity: 'warning',
      service: name,
      kind: 'gap',
      message:
        `${name} has ${out.length > 0 ? `${rest} more` : rest} gap${rest === 1 ? '' : 's'} longer than its RPO of ` +
        `${formatDuration(rpo)} (the largest ${formatDuration(largest)})` +
        (sparse ? ': its schedule runs less often than the RPO.' : ' in older history.'),
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
  const schedule = scheduleInterval(h);
  if (schedule === null) return [];
  const { median } = schedule;
  const basis = `median of the last ${schedule.count} intervals`;
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
