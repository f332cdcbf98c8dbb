// Timeline lanes: one per service, with every mark the canvas draws (points by kind, chain
// links with broken ones flagged, windows, RPO gaps), as columns in epoch ms so the UI needs no
// parsing. Built in two steps: `prepareLanes` does the work that only depends on the catalog
// (parse, chains, sort) and can be kept per catalog version; `timelineAt` adds what depends on
// `now` (future points, locks that expired, open windows, gaps) in one cheap pass.
import type { RecoveryPoint } from '../../preload/schemas/catalog';
import {
  LaneFlag,
  type LaneWindow,
  type Timeline,
  type TimelineLane,
} from '../../preload/schemas/groups';
import type { ServiceConfig } from '../workspace/types';
import { requireMs } from './candidates';
import { coverageGaps } from './coverage';
import { restoreOrder, type GroupSpec } from './cuts';
import { laneOf, laneView, servicesIn, type LaneBase } from './lane-base';
import { lastAtOrBefore } from './time';

/** Every lane of a timeline without `now`. */
export type TimelineBase = {
  group: string | null;
  lanes: { lane: LaneBase; rpoSeconds: number | null }[];
};

/**
 * Lanes for a group's members (in restore order) or, with `group` null, for every service in the
 * workspace followed by any service the catalog names that the workspace does not (orphans).
 * Each service's lane is prepared once per catalog points array (see lane-base.ts).
 */
export function prepareLanes(input: {
  services: Iterable<ServiceConfig>;
  points: readonly RecoveryPoint[];
  group?: GroupSpec | null | undefined;
}): TimelineBase {
  const services = new Map<string, ServiceConfig>();
  for (const s of input.services) services.set(s.name, s);
  const group = input.group ?? null;
  const names =
    group !== null
      ? restoreOrder(group)
      : [
          ...services.keys(),
          ...servicesIn(input.points)
            .filter((s) => !services.has(s))
            .sort(),
        ];
  return {
    group: group?.name ?? null,
    lanes: names.map((name) => ({
      lane: laneOf(input.points, name),
      rpoSeconds: services.get(name)?.rpoSeconds ?? null,
    })),
  };
}

/** The lanes as of `now`: flags that depend on it, windows that reach it, and RPO gaps. */
export function timelineAt(base: TimelineBase, now: number): Timeline {
  return {
    group: base.group,
    now,
    lanes: base.lanes.map(({ lane, rpoSeconds }) => laneAt(lane, rpoSeconds, now)),
  };
}

function laneAt(base: LaneBase, rpoSeconds: number | null, now: number): TimelineLane {
  const { columns } = laneView(base);
  const part = nowPartOf(base, rpoSeconds, now);
  const n = columns.count;
  const windows: LaneWindow[] = base.windows.map((w) => ({
    id: w.id,
    source: w.source,
    start: w.start,
    end: w.end === Infinity ? Math.max(w.start, now) : w.end,
    open: w.end === Infinity,
  }));
  // Points are sorted; windows may reach further either way.
  let first = n > 0 ? (columns.at[0] as number) : Infinity;
  let last = n > 0 ? (columns.at[n - 1] as number) : -Infinity;
  for (const w of windows) {
    first = Math.min(first, w.start);
    last = Math.max(last, w.end);
  }
  return {
    service: base.service,
    rpoSeconds,
    ...columns,
    flags: part.flags,
    windows,
    gaps: part.gaps,
    first: first === Infinity ? null : first,
    last: last === -Infinity ? null : last,
  };
}

/**
 * A lane's flags and RPO gaps, the same for every `now` in [from, until): the immutable bit flips
 * when now reaches a lock's end, the future bit when it reaches a point's time, and the gaps read
 * only the points and window starts up to now (an open window ending at now covers up to now, so
 * nothing after it can open a gap). Between two such instants nothing is recomputed; the open
 * windows' ends and the lane's `last`, which follow now continuously, are rebuilt on every call.
 */
export type NowPart = {
  from: number;
  until: number;
  rpoMs: number;
  flags: number[];
  gaps: TimelineLane['gaps'];
};
const nowParts = new WeakMap<LaneBase, NowPart>();

/** The lane's now-dependent part for `now`, kept until now leaves its interval. */
export function nowPartOf(base: LaneBase, rpoSeconds: number | null, now: number): NowPart {
  const rpoMs = rpoSeconds === null ? 0 : rpoSeconds * 1000;
  const held = nowParts.get(base);
  if (held && held.rpoMs === rpoMs && held.from <= now && now < held.until) return held;
  const { baseFlags, lockEnd, columns } = laneView(base);
  const n = columns.count;
  const flags = new Array<number>(n);
  let from = -Infinity;
  let until = Infinity;
  // The instants around now at which something in the lane changes.
  const around = (t: number) => {
    if (t > now) until = Math.min(until, t);
    else from = Math.max(from, t);
  };
  for (let k = 0; k < n; k++) {
    const end = lockEnd[k] as number;
    const t = columns.at[k] as number;
    flags[k] =
      (baseFlags[k] as number) |
      (end > now ? LaneFlag.immutable : 0) |
      (t > now ? LaneFlag.future : 0);
    around(t);
    if (Number.isFinite(end)) around(end);
  }
  for (const w of base.windows) {
    around(w.start);
    if (Number.isFinite(w.end)) around(w.end);
  }
  Object.freeze(flags);
  const part = { from, until, rpoMs, flags, gaps: gapsAt(base, rpoMs, now) };
  nowParts.set(base, part);
  return part;
}

const noGaps: TimelineLane['gaps'] = { start: [], end: [] };
Object.freeze(noGaps.start);
Object.freeze(noGaps.end);

// Gaps between what could be restored as of now: usable points not dated after now, and usable
// windows that have started, cut at now (the same history the cut model reads).
function gapsAt(base: LaneBase, rpoMs: number, now: number): TimelineLane['gaps'] {
  if (!(rpoMs > 0)) return noGaps;
  const upTo = lastAtOrBefore(base.usableAt, now) + 1;
  const times = base.usableAt.subarray(0, upTo);
  const open = base.windows
    .filter((w) => w.usable && w.start <= now)
    .map((w) => ({ s: w.start, e: Math.min(w.end, now) }))
    .sort((a, b) => a.s - b.s || a.e - b.e);
  const found = coverageGaps(
    {
      times,
      winStart: Float64Array.from(open, (w) => w.s),
      winEnd: Float64Array.from(open, (w) => w.e),
    },
    rpoMs,
  );
  const gaps = { start: found.map((g) => g.start), end: found.map((g) => g.end) };
  Object.freeze(gaps.start);
  Object.freeze(gaps.end);
  return gaps;
}

/** The first instant after `now` at which any of these lanes changes (see NowPart). */
export function nextChange(base: TimelineBase, now: number): number {
  let until = Infinity;
  for (const { lane, rpoSeconds } of base.lanes)
    until = Math.min(until, nowPartOf(lane, rpoSeconds, now).until);
  return until;
}

/** Lanes as of `now` in one step (tests, the CLI and one-off callers). */
export function buildTimeline(input: {
  services: Iterable<ServiceConfig>;
  points: readonly RecoveryPoint[];
  now: number | Date | string;
  group?: GroupSpec | null | undefined;
}): Timeline {
  const now = requireMs(input.now, 'current time');
  return timelineAt(prepareLanes(input), now);
}
