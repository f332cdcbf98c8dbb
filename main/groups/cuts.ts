// Cuts of a consistency group: one recovery point (or window instant) per member, ranked newest
// first. A sweep over the merged, sorted event times finds every distinct cut in
// O(events × members); only the cuts asked for are turned into objects.
import type { RecoveryPoint } from '../../preload/schemas/catalog';
import type { Cut, CutMember } from '../../preload/schemas/groups';
import type { GroupConfig } from '../workspace/types';
import { judgeCut, type ReasonMember } from './cut-reason';
import { ensureEvents, eventAt, eventsUpTo, type Events } from './events';
import { historyOf, pickAt, type MemberHistory } from './history';
import { laneOf } from './lane-base';
import { formatInstant, isoOf, lastAtOrBefore } from './time';

/** What the cut model needs of a group. */
export type GroupSpec = Pick<GroupConfig, 'name' | 'members' | 'toleranceSeconds' | 'order'>;

/** A group with its members' histories prepared, in restore order. */
export type PreparedGroup = {
  group: GroupSpec;
  histories: MemberHistory[];
  toleranceMs: number;
  now: number;
  /** Every member's event times (points, window starts and ends), sorted; made by a long walk. */
  events?: Float64Array;
};

/** Members in restore order: `order` first, then any member it leaves out; no duplicates. */
export function restoreOrder(group: GroupSpec): string[] {
  const seen = new Set<string>();
  const out: string[] = [];
  for (const name of [...group.order.filter((n) => group.members.includes(n)), ...group.members]) {
    if (!seen.has(name)) out.push(name);
    seen.add(name);
  }
  return out;
}

/** Prepare a group's histories from the catalog's points (all services mixed) as of `now`. */
export function prepareGroup(
  group: GroupSpec,
  points: readonly RecoveryPoint[],
  now: number,
): PreparedGroup {
  // Each member's lane (parsed, chains analysed, sorted) is kept per catalog points array.
  const histories = restoreOrder(group).map((s) => historyOf(laneOf(points, s), now));
  return { group, histories, toleranceMs: Math.max(0, group.toleranceSeconds) * 1000, now };
}

/** Distinct candidate cuts, oldest first, as parallel arrays. */
export type CutSweep = { times: Float64Array; skews: Float64Array; count: number };

/** The earliest instant every member can be restored to (cuts start there). */
const startOf = (pg: PreparedGroup): number => {
  let start = -Infinity;
  for (const h of pg.histories) start = Math.max(start, h.first);
  return start;
};

/** Every distinct candidate cut up to `bound`, oldest first (the whole history in one sweep). */
export function sweepCuts(pg: PreparedGroup, bound: number): CutSweep {
  const events = eventsUpTo(pg, bound);
  return sweepRange(pg, events, 0, events.length);
}

/**
 * Sweep the events with index in [from, to) in order. Between two events the picks are fixed
 * except for members inside a window, which track T: there the newest consistent instant is
 * (oldest fixed pick + tolerance), added as its own candidate. `from` must start an instant
 * (not repeat the one before it); the state before it is found by binary search, so a sweep of
 * the newest events alone gives exactly the tail of the whole sweep.
 */
export function sweepRange(pg: PreparedGroup, events: Events, from: number, to: number): CutSweep {
  ensureEvents(events, Math.max(0, from - 1));
  const hs = pg.histories;
  const n = hs.length;
  const span = Math.max(0, to - from);
  const times = new Float64Array(2 * span);
  const skews = new Float64Array(2 * span);
  let count = 0;
  const start = startOf(pg);
  if (n === 0 || start > events.bound) return { times, skews, count };
  const dp = new Int32Array(n).fill(-1);
  const wp = new Int32Array(n).fill(-1);
  let prevTime = NaN;
  if (from > 0) {
    const before = eventAt(events, from - 1);
    for (let m = 0; m < n; m++) {
      const h = hs[m] as MemberHistory;
      dp[m] = lastAtOrBefore(h.times, before);
      wp[m] = lastAtOrBefore(h.winStart, before);
    }
    // The full sweep's last emitted time: the newest pick at that instant (it either emitted
    // it, or skipped it for being equal to the one before).
    if (before >= start) prevTime = newestPick(pg, dp, wp, before);
  }
  for (let i = from; i < to; i++) {
    const e = eventAt(events, i);
    if (i + 1 < events.length && eventAt(events, i + 1) === e) continue; // each instant once
    for (let m = 0; m < n; m++) {
      const h = hs[m] as MemberHistory;
      while (
        (dp[m] as number) + 1 < h.times.length &&
        (h.times[(dp[m] as number) + 1] as number) <= e
      ) {
        dp[m] = (dp[m] as number) + 1;
      }
      while (
        (wp[m] as number) + 1 < h.winStart.length &&
        (h.winStart[(wp[m] as number) + 1] as number) <= e
      ) {
        wp[m] = (wp[m] as number) + 1;
      }
    }
    if (e < start) continue;
    let lo = Infinity;
    let hi = -Infinity;
    // For the open interval after e: who keeps tracking T, and the oldest fixed pick. A window
    // ending exactly at e tracks at e but is fixed at e just after it.
    let tracksAfter = false;
    let fixedLo = Infinity;
    for (let m = 0; m < n; m++) {
      const h = hs[m] as MemberHistory;
      const d = dp[m] as number;
      const w = wp[m] as number;
      let v = d >= 0 ? (h.times[d] as number) : -Infinity;
      let inside = false;
      if (w >= 0) {
        const end = h.winMaxEnd[w] as number;
        if (end >= e) inside = true;
        else if (end > v) v = end;
        if (end > e) tracksAfter = true;
      }
      if (inside) v = e;
      if ((!inside || (h.winMaxEnd[w] as number) === e) && v < fixedLo) fixedLo = v;
      if (v < lo) lo = v;
      if (v > hi) hi = v;
    }
    // The same newest pick as the previous instant: nothing moved. (What moves at e, a new point
    // or a member inside a window, puts e itself in the cut, and the previous instant was earlier.)
    if (hi === prevTime) continue;
    times[count] = hi;
    skews[count] = hi - lo;
    count++;
    prevTime = hi;
    if (tracksAfter && fixedLo !== Infinity) {
      // The next instant (beyond the bound counts as infinitely far).
      const next = i + 1 < events.length ? eventAt(events, i + 1) : Infinity;
      const newest = fixedLo + pg.toleranceMs;
      if (newest > e && newest < next && newest <= events.bound) {
        times[count] = newest;
        skews[count] = pg.toleranceMs;
        count++;
      }
    }
  }
  return { times, skews, count };
}

// The cut's time at instant e for the picks dp/wp: each member's value, newest first.
function newestPick(pg: PreparedGroup, dp: Int32Array, wp: Int32Array, e: number): number {
  let hi = -Infinity;
  pg.histories.forEach((h, m) => {
    const d = dp[m] as number;
    const w = wp[m] as number;
    let v = d >= 0 ? (h.times[d] as number) : -Infinity;
    if (w >= 0) {
      const end = h.winMaxEnd[w] as number;
      if (end >= e) v = e;
      else if (end > v) v = end;
    }
    if (v > hi) hi = v;
  });
  return hi;
}

/**
 * The sweep up to `bound` read newest first, a slice at a time: the newest events are swept
 * first and older slices (each twice as long) only when the reader asks for more. Slices are
 * kept, so a second reader (bestCutBefore reads twice) pays nothing.
 */
export class NewestFirst {
  private readonly events: Events;
  private readonly start: number;
  private readonly slices: CutSweep[] = [];
  private edge: number;
  constructor(
    private readonly pg: PreparedGroup,
    bound: number,
    /** Events in the first (newest) slice. */
    private size = 64,
  ) {
    this.events = eventsUpTo(pg, bound);
    this.start = startOf(pg);
    this.edge = pg.histories.length === 0 || this.start > bound ? 0 : this.events.length;
  }

  /** The k-th slice, newest first (ascending inside), or null past the oldest cut. */
  slice(k: number): CutSweep | null {
    while (this.slices.length <= k) {
      if (this.edge <= 0) return null;
      const to = this.edge;
      let from = Math.max(0, to - this.size);
      // Start on an instant's first copy, and nothing before the first possible cut matters.
      ensureEvents(this.events, from - 1);
      while (from > 0 && eventAt(this.events, from - 1) === eventAt(this.events, from)) {
        from--;
        ensureEvents(this.events, from - 1);
      }
      this.slices.push(sweepRange(this.pg, this.events, from, to));
      this.edge = from === 0 || eventAt(this.events, from - 1) < this.start ? 0 : from;
      this.size *= 2;
    }
    return this.slices[k] ?? null;
  }
}

/** The cut at instant T: each member's pick, the time (newest pick), skew and verdict; null if impossible. */
export function cutAt(pg: PreparedGroup, t: number, snapshotId: string | null = null): Cut | null {
  const chosen: (CutMember & { at: number; exact: boolean })[] = [];
  for (const h of pg.histories) {
    const pick = pickAt(h, t);
    if (pick.kind === 'none') return null;
    const p =
      pick.kind === 'point'
        ? (h.points[pick.index] as RecoveryPoint)
        : (h.windows[pick.index] as RecoveryPoint);
    chosen.push({
      service: h.service,
      pointId: pick.kind === 'point' ? p.id : null,
      windowId: pick.kind === 'window' ? p.id : null,
      source: p.source,
      time: isoOf(pick.time),
      lagSeconds: 0,
      at: pick.time,
      exact: pick.kind === 'window' && pick.exact,
    });
  }
  return assemble(pg, chosen, snapshotId);
}

/** Build the Cut object from chosen members (with epoch-ms `at`). */
export function assemble(
  pg: PreparedGroup,
  chosen: readonly (CutMember & { at: number; exact: boolean })[],
  snapshotId: string | null,
): Cut {
  let lo = Infinity;
  let hi = -Infinity;
  for (const c of chosen) {
    lo = Math.min(lo, c.at);
    hi = Math.max(hi, c.at);
  }
  const reasonMembers: ReasonMember[] = chosen.map((c) => ({
    service: c.service,
    time: c.at,
    exact: c.exact,
    windowId: c.windowId,
  }));
  const verdict = judgeCut(reasonMembers, pg.toleranceMs, snapshotId);
  return {
    group: pg.group.name,
    time: isoOf(hi),
    skewSeconds: chosen.length === 0 ? 0 : (hi - lo) / 1000,
    toleranceSeconds: pg.toleranceMs / 1000,
    consistent: verdict.consistent,
    reason: verdict.reason,
    snapshotId,
    members: chosen.map(({ at, exact: _exact, ...m }) => ({ ...m, lagSeconds: (hi - at) / 1000 })),
  };
}

/**
 * Why no cut exists at T, in words: "uploads has no version before 2026-11-26 02:10 UTC".
 * Null when every member has something.
 */
export function whyImpossible(
  pg: PreparedGroup,
  t: number,
  phrase = `at or before ${formatInstant(t)}`,
): string | null {
  if (pg.histories.length === 0) return `group ${pg.group.name} has no members`;
  const missing: string[] = [];
  for (const h of pg.histories) {
    if (pickAt(h, t).kind !== 'none') continue;
    const total = h.points.length + h.windows.length + h.unusable.length + h.future.length;
    missing.push(
      total === 0
        ? `${h.service} has no recovery points at all`
        : `${h.service} has no version ${phrase}` +
            (h.unusable.length > 0 ? ` (${h.unusable.length} unusable)` : ''),
    );
  }
  return missing.length === 0 ? null : missing.join('; ');
}
