// Timeline lanes: one per service, with every mark the canvas draws (points by kind, chain
// links with broken ones flagged, windows, RPO gaps), as columns in epoch ms so the UI needs no
// parsing. Built in two steps: `prepareLanes` does the work that only depends on the catalog
// (parse, chains, sort) and can be kept per catalog version; `timelineAt` adds what depends on
// `now` (future points, locks that expired, open windows, gaps) in one cheap pass.
import { PointKind, type RecoveryPoint } from '../../preload/schemas/catalog';
import {
  LaneFlag,
  type LaneWindow,
  type Timeline,
  type TimelineLane,
} from '../../preload/schemas/groups';
import type { ServiceConfig } from '../workspace/types';
import { requireMs } from './candidates';
import { analyseChains, needsParent, type ChainState } from './chains';
import { coverageGaps } from './coverage';
import { restoreOrder, type GroupSpec } from './cuts';
import { snapshotIdOf } from './history';
import { sortRowsByTimeThenId } from './sort-rows';
import { lastAtOrBefore, parseInstant } from './time';

/** A window as prepared: `end` is +Infinity while open (it reaches `now`). */
type PreparedWindow = { id: string; source: string; start: number; end: number; usable: boolean };

/** One lane without `now`: what the catalog alone decides. */
export type LaneBase = Omit<TimelineLane, 'flags' | 'windows' | 'gaps' | 'first' | 'last'> & {
  /** brokenLink, usable and verified bits (immutable and future depend on now). */
  baseFlags: Uint8Array;
  /** When each point's lock ends: -Infinity unlocked, +Infinity held, else epoch ms. */
  lockEnd: Float64Array;
  /** Windows sorted by start. */
  prepared: PreparedWindow[];
  /** Usable discrete point times, sorted (the gaps are measured between these and windows). */
  usableAt: Float64Array;
};

/** Every lane of a timeline without `now`. */
export type TimelineBase = { group: string | null; lanes: LaneBase[] };

const KIND_CODE = new Map<string, number>(PointKind.options.map((k, i) => [k, i]));

/**
 * Lanes for a group's members (in restore order) or, with `group` null, for every service in the
 * workspace followed by any service the catalog names that the workspace does not (orphans).
 */
export function prepareLanes(input: {
  services: Iterable<ServiceConfig>;
  points: readonly RecoveryPoint[];
  group?: GroupSpec | null | undefined;
}): TimelineBase {
  const services = new Map<string, ServiceConfig>();
  for (const s of input.services) services.set(s.name, s);
  const group = input.group ?? null;
  const wanted = group !== null ? new Set(restoreOrder(group)) : null;
  const byService = new Map<string, RecoveryPoint[]>();
  // Catalogs come grouped by source: remember the last list to skip most map lookups.
  let lastName: string | null = null;
  let last: RecoveryPoint[] | undefined;
  for (const p of input.points) {
    if (p.service !== lastName) {
      lastName = p.service;
      last = byService.get(p.service);
      if (!last && (wanted === null || wanted.has(p.service))) {
        last = [];
        byService.set(p.service, last);
      }
    }
    last?.push(p);
  }
  const names =
    group !== null
      ? restoreOrder(group)
      : [...services.keys(), ...[...byService.keys()].filter((s) => !services.has(s)).sort()];
  const lanes = names.map((name) =>
    prepareLane(name, byService.get(name) ?? [], services.get(name)?.rpoSeconds ?? null),
  );
  return { group: group?.name ?? null, lanes };
}

/** One lane's catalog-only part: rows sorted by time (ties by id), links by row, windows. */
export function prepareLane(
  service: string,
  points: readonly RecoveryPoint[],
  rpoSeconds: number | null,
): LaneBase {
  const chains = analyseChains(points);
  const n = points.length;
  const t = new Float64Array(n);
  const order = new Int32Array(n);
  let count = 0;
  const prepared: PreparedWindow[] = [];
  for (let i = 0; i < n; i++) {
    const p = points[i] as RecoveryPoint;
    const start = parseInstant(p.time);
    t[i] = start;
    if (Number.isNaN(start)) continue; // nothing to draw; the catalog reports the bad record
    if (p.kind !== 'window') {
      order[count++] = i;
      continue;
    }
    const end = p.endTime === null ? Infinity : parseInstant(p.endTime);
    prepared.push({
      id: p.id,
      source: p.source,
      start,
      end: Number.isNaN(end) ? start : Math.max(start, end),
      usable: (chains[i] as ChainState).usable,
    });
  }
  const rows = order.subarray(0, count);
  sortRowsByTimeThenId(rows, t, points);
  const rowOf = new Int32Array(n).fill(-1);
  for (let k = 0; k < count; k++) rowOf[rows[k] as number] = k;

  const strings: string[] = [];
  const interned = new Map<string, number>();
  const intern = (text: string): number => {
    let at = interned.get(text);
    if (at === undefined) {
      at = strings.length;
      strings.push(text);
      interned.set(text, at);
    }
    return at;
  };
  const id = new Array<string>(count);
  const at = new Array<number>(count);
  const kind = new Array<number>(count);
  const source = new Array<number>(count);
  const copies = new Array<number>(count);
  const lockedUntil = new Array<number | null>(count);
  const snapshot = new Array<number>(count);
  const baseFlags = new Uint8Array(count);
  const lockEnd = new Float64Array(count);
  const usable: number[] = [];
  const links = { from: [] as number[], to: [] as number[], broken: [] as number[] };
  let lastSource: string | null = null;
  let lastSourceAt = -1;
  for (let k = 0; k < count; k++) {
    const i = rows[k] as number;
    const p = points[i] as RecoveryPoint;
    const s = chains[i] as ChainState;
    const time = t[i] as number;
    id[k] = p.id;
    at[k] = time;
    kind[k] = KIND_CODE.get(p.kind) ?? 0;
    if (p.source !== lastSource) {
      lastSource = p.source;
      lastSourceAt = intern(p.source);
    }
    source[k] = lastSourceAt;
    copies[k] = p.copies.length;
    const lock = p.immutable;
    const retain =
      lock === null || lock.retainUntil === null ? NaN : parseInstant(lock.retainUntil);
    lockedUntil[k] = Number.isNaN(retain) ? null : retain;
    lockEnd[k] =
      lock === null
        ? -Infinity
        : lock.legalHold || lock.retainUntil === null
          ? Infinity
          : Number.isNaN(retain)
            ? -Infinity
            : retain;
    const snap = p.tags.length > 0 ? snapshotIdOf(p) : null;
    snapshot[k] = snap === null ? -1 : intern(snap);
    baseFlags[k] =
      (s.brokenLink ? LaneFlag.brokenLink : 0) |
      (s.usable ? LaneFlag.usable : 0) |
      (p.lastVerified !== null ? LaneFlag.verified : 0);
    if (s.usable) usable.push(time);
    if (needsParent(p)) {
      const to = s.parent >= 0 ? (rowOf[s.parent] as number) : -1;
      const parentUsable = s.parent >= 0 && (chains[s.parent] as ChainState).usable;
      links.from.push(k);
      links.to.push(to);
      links.broken.push(s.brokenLink || !parentUsable ? 1 : 0);
    }
  }
  prepared.sort((a, b) => a.start - b.start);
  return {
    service,
    rpoSeconds,
    count,
    strings,
    id,
    at,
    kind,
    source,
    copies,
    lockedUntil,
    snapshot,
    links,
    baseFlags,
    lockEnd,
    prepared,
    usableAt: Float64Array.from(usable),
  };
}

/** The lanes as of `now`: flags that depend on it, windows that reach it, and RPO gaps. */
export function timelineAt(base: TimelineBase, now: number): Timeline {
  return { group: base.group, now, lanes: base.lanes.map((lane) => laneAt(lane, now)) };
}

function laneAt(base: LaneBase, now: number): TimelineLane {
  const { baseFlags, lockEnd, prepared, usableAt: _usableAt, ...columns } = base;
  const n = base.count;
  const flags = new Array<number>(n);
  for (let k = 0; k < n; k++) {
    flags[k] =
      (baseFlags[k] as number) |
      ((lockEnd[k] as number) > now ? LaneFlag.immutable : 0) |
      ((base.at[k] as number) > now ? LaneFlag.future : 0);
  }
  const windows: LaneWindow[] = prepared.map((w) => ({
    id: w.id,
    source: w.source,
    start: w.start,
    end: w.end === Infinity ? Math.max(w.start, now) : w.end,
    open: w.end === Infinity,
  }));
  const gaps = gapsAt(base, now);
  // Points are sorted; windows may reach further either way.
  let first = n > 0 ? (base.at[0] as number) : Infinity;
  let last = n > 0 ? (base.at[n - 1] as number) : -Infinity;
  for (const w of windows) {
    first = Math.min(first, w.start);
    last = Math.max(last, w.end);
  }
  return {
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
function gapsAt(base: LaneBase, now: number): TimelineLane['gaps'] {
  const rpoMs = base.rpoSeconds === null ? 0 : base.rpoSeconds * 1000;
  if (!(rpoMs > 0)) return { start: [], end: [] };
  const times = base.usableAt.subarray(0, lastAtOrBefore(base.usableAt, now) + 1);
  const open = base.prepared
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
  return { start: found.map((g) => g.start), end: found.map((g) => g.end) };
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
