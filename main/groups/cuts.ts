// Cuts of a consistency group: one recovery point (or window instant) per member, ranked newest
// first. A sweep over the merged, sorted event times finds every distinct cut in
// O(events × members); only the cuts asked for are turned into objects.
import type { RecoveryPoint } from '../../preload/schemas/catalog';
import type { Cut, CutMember } from '../../preload/schemas/groups';
import type { GroupConfig } from '../workspace/types';
import { judgeCut, type ReasonMember } from './cut-reason';
import { buildHistory, pickAt, type MemberHistory } from './history';
import { formatInstant, isoOf } from './time';

/** What the cut model needs of a group. */
export type GroupSpec = Pick<GroupConfig, 'name' | 'members' | 'toleranceSeconds' | 'order'>;

/** A group with its members' histories prepared, in restore order. */
export type PreparedGroup = {
  group: GroupSpec;
  histories: MemberHistory[];
  toleranceMs: number;
  now: number;
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
  const order = restoreOrder(group);
  const byService = new Map<string, RecoveryPoint[]>(order.map((s) => [s, []]));
  // Catalogs come grouped by source: remember the last list to skip most map lookups.
  let lastName: string | null = null;
  let last: RecoveryPoint[] | undefined;
  for (const p of points) {
    if (p.service !== lastName) {
      lastName = p.service;
      last = byService.get(p.service);
    }
    last?.push(p);
  }
  const histories = order.map((s) => buildHistory(s, byService.get(s) ?? [], now));
  return { group, histories, toleranceMs: Math.max(0, group.toleranceSeconds) * 1000, now };
}

/** Every distinct candidate cut up to `bound`, oldest first, as parallel arrays. */
export type CutSweep = { times: Float64Array; skews: Float64Array; count: number };

/**
 * Sweep all event times (point times, window starts and ends, the bound) in order. Between two
 * events the picks are fixed except for members inside a window, which track T: there the
 * newest consistent instant is (oldest fixed pick + tolerance), added as its own candidate.
 */
export function sweepCuts(pg: PreparedGroup, bound: number): CutSweep {
  const hs = pg.histories;
  const n = hs.length;
  let total = 1;
  for (const h of hs) total += h.times.length + 2 * h.winStart.length;
  const ev = new Float64Array(total);
  let k = 0;
  for (const h of hs) {
    ev.set(h.times, k);
    k += h.times.length;
    ev.set(h.winStart, k);
    k += h.winStart.length;
    ev.set(h.winEnd, k);
    k += h.winEnd.length;
  }
  ev[k] = bound;
  ev.sort();
  let start = -Infinity;
  for (const h of hs) start = Math.max(start, h.first);
  const times = new Float64Array(2 * total);
  const skews = new Float64Array(2 * total);
  let count = 0;
  if (n === 0 || start > bound) return { times, skews, count };
  const dp = new Int32Array(n).fill(-1);
  const wp = new Int32Array(n).fill(-1);
  let prevTime = NaN;
  for (let i = 0; i < total; i++) {
    const e = ev[i] as number;
    if (e > bound) break;
    if (i + 1 < total && ev[i + 1] === e) continue; // handle each instant once
    let advanced = false;
    for (let m = 0; m < n; m++) {
      const h = hs[m] as MemberHistory;
      while (
        (dp[m] as number) + 1 < h.times.length &&
        (h.times[(dp[m] as number) + 1] as number) <= e
      ) {
        dp[m] = (dp[m] as number) + 1;
        advanced = true;
      }
      while (
        (wp[m] as number) + 1 < h.winStart.length &&
        (h.winStart[(wp[m] as number) + 1] as number) <= e
      ) {
        wp[m] = (wp[m] as number) + 1;
        advanced = true;
      }
    }
    if (e < start) continue;
    let tracking = false;
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
      if (inside) {
        tracking = true;
        v = e;
      }
      if ((!inside || (h.winMaxEnd[w] as number) === e) && v < fixedLo) fixedLo = v;
      if (v < lo) lo = v;
      if (v > hi) hi = v;
    }
    // Nothing moved and nobody tracks T: the same cut as the previous instant.
    if (!tracking && !advanced && hi === prevTime) continue;
    times[count] = hi;
    skews[count] = hi - lo;
    count++;
    prevTime = hi;
    if (tracksAfter && fixedLo !== Infinity) {
      const next = nextDistinct(ev, i, bound);
      const newest = fixedLo + pg.toleranceMs;
      if (newest > e && newest < next && newest <= bound) {
        times[count] = newest;
        skews[count] = pg.toleranceMs;
        count++;
      }
    }
  }
  return { times, skews, count };
}

// The next event after index i (events beyond the bound count as infinitely far).
function nextDistinct(ev: Float64Array, i: number, bound: number): number {
  const next = ev[i + 1];
  return next === undefined || next > bound ? Infinity : next;
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
    const extra: string[] = [];
    if (h.unusable.length > 0) extra.push(`${h.unusable.length} unusable`);
    const total = h.points.length + h.windows.length + h.unusable.length + h.future.length;
    missing.push(
      total === 0
        ? `${h.service} has no recovery points at all`
        : `${h.service} has no version ${phrase}` +
            (extra.length > 0 ? ` (${extra.join(', ')})` : ''),
    );
  }
  return missing.length === 0 ? null : missing.join('; ');
}
