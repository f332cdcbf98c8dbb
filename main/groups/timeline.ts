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
  const { baseFlags, lockEnd, columns } = laneView(base);
  const n = columns.count;
  const flags = new Array<number>(n);
  for (let k = 0; k < n; k++) {
    flags[k] =
      (baseFlags[k] as number) |
      ((lockEnd[k] as number) > now ? LaneFlag.immutable : 0) |
      ((columns.at[k] as number) > now ? LaneFlag.future : 0);
  }
  const windows: LaneWindow[] = base.windows.map((w) => ({
    id: w.id,
    source: w.source,
    start: w.start,
    end: w.end === Infinity ? Math.max(w.start, now) : w.end,
    open: w.end === Infinity,
  }));
  const gaps = gapsAt(base, rpoSeconds, now);
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
    flags,
    windows,
    gaps,
    first: first === Infinity ? null : first,
    last: last === -Infinity ? null : last,
  };
}

// Gaps between what could be restored as of now: usable points not dated after now, and usable
// windows that have started, cut at now (the same history the cut model reads).
function gapsAt(base: LaneBase, rpoSeconds: number | null, now: number): TimelineLane['gaps'] {
  const rpoMs = rpoSeconds === null ? 0 : rpoSeconds * 1000;
  if (!(rpoMs > 0)) return { start: [], end: [] };
  const upTo = lastAtOrBefore(base.usableAt, now) + 1;
  const times = base.usableAt.subarray(0, upTo);
  const open = base.windows
    .filter((w) => w.usable && w.start <= now)
    .map((w) => ({ s: w.start, e: Math.min(w.end, now) }))
    .sort((a, b) => a.s - b.s || a.e - b.e);
  // Without windows the gaps depend on now only through how many points it has reached: kept.
  const held = gapsKept.get(base);
  if (open.length === 0 && held && held.rpoMs === rpoMs && held.upTo === upTo) return held.gaps;
  const found = coverageGaps(
    {
      times,
      winStart: Float64Array.from(open, (w) => w.s),
      winEnd: Float64Array.from(open, (w) => w.e),
    },
    rpoMs,
  );
  const gaps = { start: found.map((g) => g.start), end: found.map((g) => g.end) };
  if (open.length === 0) gapsKept.set(base, { rpoMs, upTo, gaps });
  return gaps;
}

const gapsKept = new WeakMap<
  LaneBase,
  { rpoMs: number; upTo: number; gaps: TimelineLane['gaps'] }
>();

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
