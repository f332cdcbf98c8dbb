// One member's history, prepared for fast cut queries: usable discrete points as a sorted
// Float64Array, continuous windows sorted by start with a running maximum of their ends.
import type { RecoveryPoint } from '../../preload/schemas/catalog';
import { analyseChains, type ChainState } from './chains';
import { lastAtOrBefore, parseInstant } from './time';

/** The prefix of a tag that names a logical snapshot shared across services. */
export const SNAPSHOT_TAG = 'snapshot:';

/** The logical snapshot id of a point (`snapshot:<id>` tag), or null. */
export function snapshotIdOf(point: RecoveryPoint): string | null {
  const tag = point.tags.find((t) => t.startsWith(SNAPSHOT_TAG) && t.length > SNAPSHOT_TAG.length);
  return tag === undefined ? null : tag.slice(SNAPSHOT_TAG.length);
}

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
  const discrete: { p: RecoveryPoint; t: number }[] = [];
  const windows: { p: RecoveryPoint; s: number; e: number }[] = [];
  const future: RecoveryPoint[] = [];
  const unusable: RecoveryPoint[] = [];
  points.forEach((p, i) => {
    const t = parseInstant(p.time);
    if (Number.isNaN(t) || !(chains[i] as ChainState).usable) {
      unusable.push(p);
      return;
    }
    if (t > now) {
      future.push(p);
      return;
    }
    if (p.kind === 'window') {
      const rawEnd = p.endTime === null ? now : parseInstant(p.endTime);
      // A malformed end (unparseable, before the start) shrinks the window to its start.
      const e = Number.isNaN(rawEnd) ? t : Math.min(Math.max(rawEnd, t), now);
      windows.push({ p, s: t, e });
    } else discrete.push({ p, t });
  });
  // Sources usually list in time order: check before paying for a sort.
  if (!isSorted(discrete)) {
    discrete.sort((a, b) => a.t - b.t || (a.p.id < b.p.id ? -1 : a.p.id > b.p.id ? 1 : 0));
  }
  windows.sort((a, b) => a.s - b.s || a.e - b.e);
  const times = Float64Array.from(discrete, (d) => d.t);
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
  const snapshots = new Map<string, number>();
  discrete.forEach((d, i) => {
    const id = snapshotIdOf(d.p);
    if (id !== null) snapshots.set(id, i);
  });
  const first = Math.min(
    times.length > 0 ? (times[0] as number) : Infinity,
    winStart[0] ?? Infinity,
  );
  return {
    service,
    points: discrete.map((d) => d.p),
    times,
    windows: windows.map((w) => w.p),
    winStart,
    winEnd,
    winMaxEnd,
    winMaxIdx,
    future,
    unusable,
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

// Sorted by time, ties by id (the order the sort above would produce).
function isSorted(items: readonly { p: RecoveryPoint; t: number }[]): boolean {
  for (let i = 1; i < items.length; i++) {
    const a = items[i - 1] as { p: RecoveryPoint; t: number };
    const b = items[i] as { p: RecoveryPoint; t: number };
    if (a.t > b.t || (a.t === b.t && a.p.id > b.p.id)) return false;
  }
  return true;
}
