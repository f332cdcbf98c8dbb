// One member's history, prepared for fast cut queries: usable discrete points as a sorted
// Float64Array, continuous windows sorted by start with a running maximum of their ends.
import type { RecoveryPoint } from '../../preload/schemas/catalog';
import { analyseChains, type ChainState } from './chains';
import { prepareLane, type LaneBase } from './lane-base';
import { lastAtOrBefore } from './time';

/** A member's history as the cut sweep reads it. All times are epoch ms (UTC). */
export type MemberHistory = {
  service: string;
  /** Usable discrete points, sorted by time then id. */
  points: RecoveryPoint[];
  times: Float64Array;
  /** Continuous windows sorted by start; ends are clamped to `now`. */
  windows: RecoveryPoint[];
  winStart: Float64Array;
  winEnd: Float64Array;
  /** Running maximum of winEnd over windows 0..i, and which window reaches it. */
  winMaxEnd: Float64Array;
  winMaxIdx: Int32Array;
  /** Points dated after `now` (clock skew): left out of cuts, reported as findings. */
  future: RecoveryPoint[];
  /** Points left out because they cannot be restored (broken chain, failed) or have no valid time. */
  unusable: RecoveryPoint[];
  /** Snapshot id -> index into `points` of the newest usable point carrying it. */
  snapshots: Map<string, number>;
  /** Earliest instant this member can be restored to, or +Infinity. */
  first: number;
};

/**
 * Prepare one service's points (any order, any sources) as of `now`. Chains are analysed on the
 * points given, so pass all of the service's points, not a time slice.
 */
export function buildHistory(
  service: string,
  points: readonly RecoveryPoint[],
  now: number,
  chains: readonly ChainState[] = analyseChains(points),
): MemberHistory {
  return historyOf(prepareLane(service, points, chains), now);
}

/**
 * A member's history as of `now` from its prepared lane: no parsing, no sorting, and no point
 * object read again (its times and chain states are in arrays).
 */
export function historyOf(lane: LaneBase, now: number): MemberHistory {
  const { points, t, chains, rows } = lane;
  const future: RecoveryPoint[] = [];
  for (let i = 0; i < points.length; i++) {
    if ((t[i] as number) > now && (chains[i] as ChainState).usable)
      future.push(points[i] as RecoveryPoint);
  }
  const windows = lane.windows
    .filter((w) => w.usable && w.start <= now)
    .map((w) => ({ p: w.point, s: w.start, e: Math.min(w.end, now) }))
    .sort((a, b) => a.s - b.s || a.e - b.e);
  // Rows are sorted by time then id: the usable ones up to now, in that order.
  const times = new Float64Array(lane.usableAt.length);
  const kept: RecoveryPoint[] = [];
  const snapshots = new Map<string, number>();
  const tagged = lane.snapshots;
  let s = 0;
  for (let k = 0; k < rows.length; k++) {
    const i = rows[k] as number;
    const ti = t[i] as number;
    if (ti > now) break;
    if (!(chains[i] as ChainState).usable) continue;
    while (s < tagged.length && (tagged[s] as { row: number }).row < k) s++;
    if (s < tagged.length && (tagged[s] as { row: number }).row === k)
      snapshots.set((tagged[s] as { id: string }).id, kept.length);
    times[kept.length] = ti;
    kept.push(points[i] as RecoveryPoint);
  }
  const winStart = Float64Array.from(windows, (w) => w.s);
  const winEnd = Float64Array.from(windows, (w) => w.e);
  const winMaxEnd = new Float64Array(windows.length);
  const winMaxIdx = new Int32Array(windows.length);
  let best = -Infinity;
  let bestIdx = -1;
  for (let i = 0; i < windows.length; i++) {
    if ((winEnd[i] as number) >= best) {
      best = winEnd[i] as number;
      bestIdx = i;
    }
    winMaxEnd[i] = best;
    winMaxIdx[i] = bestIdx;
  }
  const nd = kept.length;
  const first = Math.min(nd > 0 ? (times[0] as number) : Infinity, winStart[0] ?? Infinity);
  return {
    service: lane.service,
    points: kept,
    times: times.subarray(0, nd),
    windows: windows.map((w) => w.p),
    winStart,
    winEnd,
    winMaxEnd,
    winMaxIdx,
    future,
    unusable: [...lane.unusable],
    snapshots,
    first,
  };
}

/** What one member contributes at instant T. */
export type Pick =
  | { kind: 'none' }
  | { kind: 'point'; index: number; time: number }
  | { kind: 'window'; index: number; time: number; exact: boolean };

/**
 * The member's contribution at T: inside a window it meets T exactly; otherwise the newest of its
 * latest usable point at or before T and the latest window end at or before T.
 */
export function pickAt(h: MemberHistory, t: number): Pick {
  const d = lastAtOrBefore(h.times, t);
  const w = lastAtOrBefore(h.winStart, t);
  if (w >= 0) {
    const end = h.winMaxEnd[w] as number;
    const index = h.winMaxIdx[w] as number;
    if (end >= t) return { kind: 'window', index: lastCovering(h, w, t), time: t, exact: true };
    if (d < 0 || end > (h.times[d] as number))
      return { kind: 'window', index, time: end, exact: false };
  }
  if (d >= 0) return { kind: 'point', index: d, time: h.times[d] as number };
  return { kind: 'none' };
}

// The newest-starting window (at or before w) that covers t: the one a restore would use.
function lastCovering(h: MemberHistory, w: number, t: number): number {
  for (let i = w; i >= 0; i--) if ((h.winEnd[i] as number) >= t) return i;
  return h.winMaxIdx[w] as number;
}
