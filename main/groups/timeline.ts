// Timeline lanes: one per service, with every mark the canvas draws (points by kind, chain
// links with broken ones flagged, windows, RPO gaps), in epoch ms so the UI needs no parsing.
import type { RecoveryPoint } from '../../preload/schemas/catalog';
import type {
  LaneLink,
  LanePoint,
  LaneWindow,
  Timeline,
  TimelineLane,
} from '../../preload/schemas/groups';
import type { ServiceConfig } from '../workspace/types';
import { requireMs } from './candidates';
import { analyseChains, type ChainState } from './chains';
import { coverageGaps } from './coverage';
import { restoreOrder, type GroupSpec } from './cuts';
import { isImmutableAt } from './findings-protection';
import { buildHistory, snapshotIdOf } from './history';
import { parseInstant } from './time';

/**
 * Lanes for a group's members (in restore order) or, with `group` null, for every service in the
 * workspace followed by any service the catalog names that the workspace does not (orphans).
 */
export function buildTimeline(input: {
  services: Iterable<ServiceConfig>;
  points: readonly RecoveryPoint[];
  now: number | Date | string;
  group?: GroupSpec | null | undefined;
}): Timeline {
  const now = requireMs(input.now, 'current time');
  const services = new Map<string, ServiceConfig>();
  for (const s of input.services) services.set(s.name, s);
  const byService = new Map<string, RecoveryPoint[]>();
  for (const p of input.points) {
    const list = byService.get(p.service);
    if (list) list.push(p);
    else byService.set(p.service, [p]);
  }
  const group = input.group ?? null;
  const names =
    group !== null
      ? restoreOrder(group)
      : [...services.keys(), ...[...byService.keys()].filter((s) => !services.has(s)).sort()];
  const lanes = names.map((name) =>
    buildLane(name, byService.get(name) ?? [], services.get(name)?.rpoSeconds ?? null, now),
  );
  return { group: group?.name ?? null, now, lanes };
}

/** One lane: points sorted by time (ties by id), links by index, windows, and gaps longer than the RPO. */
export function buildLane(
  service: string,
  points: readonly RecoveryPoint[],
  rpoSeconds: number | null,
  now: number,
): TimelineLane {
  const chains = analyseChains(points);
  const order: number[] = [];
  const windows: LaneWindow[] = [];
  points.forEach((p, i) => {
    const start = parseInstant(p.time);
    if (Number.isNaN(start)) return; // nothing to draw; the catalog reports the bad record
    if (p.kind !== 'window') {
      order.push(i);
      return;
    }
    const end = p.endTime === null ? now : parseInstant(p.endTime);
    windows.push({
      id: p.id,
      source: p.source,
      start,
      end: Number.isNaN(end) ? start : Math.max(start, end),
      open: p.endTime === null,
    });
  });
  const at = order.map((i) => parseInstant((points[i] as RecoveryPoint).time));
  const rank = order.map((_, k) => k);
  rank.sort((a, b) => {
    const d = (at[a] as number) - (at[b] as number);
    if (d !== 0) return d;
    const ia = (points[order[a] as number] as RecoveryPoint).id;
    const ib = (points[order[b] as number] as RecoveryPoint).id;
    return ia < ib ? -1 : ia > ib ? 1 : 0;
  });
  const laneIndex = new Map<number, number>(); // index in `points` -> index in the lane
  rank.forEach((k, j) => laneIndex.set(order[k] as number, j));
  const lanePoints: LanePoint[] = [];
  const links: LaneLink[] = [];
  rank.forEach((k, j) => {
    const i = order[k] as number;
    const p = points[i] as RecoveryPoint;
    const s = chains[i] as ChainState;
    const t = at[k] as number;
    const retain = p.immutable?.retainUntil ?? null;
    lanePoints.push({
      id: p.id,
      source: p.source,
      kind: p.kind,
      at: t,
      parent: p.parent,
      brokenLink: s.brokenLink,
      usable: s.usable,
      immutable: isImmutableAt(p, now),
      lockedUntil: retain === null ? null : parseInstant(retain),
      verified: p.lastVerified !== null,
      copies: p.copies.length,
      future: t > now,
      snapshotId: snapshotIdOf(p),
    });
    if (p.kind === 'incr' || p.kind === 'diff') {
      const to = s.parent >= 0 ? (laneIndex.get(s.parent) ?? -1) : -1;
      const parentUsable = s.parent >= 0 && (chains[s.parent] as ChainState).usable;
      links.push({ from: j, to, broken: s.brokenLink || !parentUsable });
    }
  });
  windows.sort((a, b) => a.start - b.start);
  const rpoMs = rpoSeconds === null ? 0 : rpoSeconds * 1000;
  const gaps =
    rpoMs > 0
      ? coverageGaps(buildHistory(service, points, now, chains), rpoMs).map((g) => ({
          start: g.start,
          end: g.end,
          seconds: (g.end - g.start) / 1000,
        }))
      : [];
  // Points are sorted; windows may reach further either way.
  let first = lanePoints[0]?.at ?? Infinity;
  let last = lanePoints[lanePoints.length - 1]?.at ?? -Infinity;
  for (const w of windows) {
    first = Math.min(first, w.start);
    last = Math.max(last, w.end);
  }
  return {
    service,
    rpoSeconds,
    points: lanePoints,
    links,
    windows,
    gaps,
    first: first === Infinity ? null : first,
    last: last === -Infinity ? null : last,
  };
}
