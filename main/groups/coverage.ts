// What stretch of time a member can be restored to: its usable points (instants) and windows
// (intervals), merged. Gaps longer than the RPO, staleness and retention buckets read this.
import type { MemberHistory } from './history';
import { lastAtOrBefore } from './time';

/** A stretch without any restorable instant, epoch ms; `after` indexes the point that ends it, or -1. */
export type Gap = { start: number; end: number; after: number };

/** The newest instant the member can be restored to (window ends count), or -Infinity. */
export function newestRestorable(h: MemberHistory): number {
  const d = h.times.length > 0 ? (h.times[h.times.length - 1] as number) : -Infinity;
  const w = h.winMaxEnd.length > 0 ? (h.winMaxEnd[h.winMaxEnd.length - 1] as number) : -Infinity;
  return Math.max(d, w);
}

/**
 * Gaps longer than `minMs` between consecutive restorable instants, oldest first. Points are
 * instants and windows intervals; the stretch before the first point is history, not a gap.
 */
export function coverageGaps(
  h: Pick<MemberHistory, 'times' | 'winStart' | 'winEnd'>,
  minMs: number,
): Gap[] {
  const gaps: Gap[] = [];
  let i = 0;
  let w = 0;
  let covered = -Infinity;
  // Merge two sorted streams: discrete times and window starts.
  while (i < h.times.length || w < h.winStart.length) {
    const t = i < h.times.length ? (h.times[i] as number) : Infinity;
    const s = w < h.winStart.length ? (h.winStart[w] as number) : Infinity;
    const start = Math.min(t, s);
    const end = t <= s ? t : (h.winEnd[w] as number);
    if (covered !== -Infinity && start - covered > minMs) {
      gaps.push({ start: covered, end: start, after: t <= s ? i : -1 });
    }
    covered = Math.max(covered, end);
    if (t <= s) i++;
    else w++;
  }
  return gaps;
}

/** True when something restorable lies in [from, to]: a point inside, or a window overlapping. */
export function coversAny(h: MemberHistory, from: number, to: number): boolean {
  const d = lastAtOrBefore(h.times, to);
  if (d >= 0 && (h.times[d] as number) >= from) return true;
  const w = lastAtOrBefore(h.winStart, to);
  return w >= 0 && (h.winMaxEnd[w] as number) >= from;
}

/** The oldest restorable instant, or +Infinity. */
export function oldestRestorable(h: MemberHistory): number {
  return h.first;
}
