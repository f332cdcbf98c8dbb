// The instants a cut sweep visits: every member's point times, window starts and window ends, in
// order. Candidate cuts are read newest first and usually stop after a few dozen, so the newest
// events are merged from the members' sorted arrays on demand; only a walk that goes far back
// sorts them all (once per prepared group).
import type { MemberHistory } from './history';
import { lastAtOrBefore } from './time';

/** What the events are made from, and where the full sorted array is kept once made. */
export type EventSource = { histories: readonly MemberHistory[]; events?: Float64Array };

/**
 * The events up to `bound` as a virtual sorted array of `length` = cutoff + 1: every event at or
 * before the bound, then the bound itself (equal values are one instant). Indices from `offset`
 * on are in `tail`; `ensureEvents` brings older ones in.
 */
export type Events = {
  cutoff: number;
  bound: number;
  length: number;
  offset: number;
  tail: Float64Array;
  source: EventSource;
  /** Each member's sorted arrays, and how many of each are not yet in the tail. */
  runs: Float64Array[];
  left: Int32Array;
};

const NEWEST_FIRST = 64;
const MERGE_AT_MOST = 4096;

/** Events up to `bound`; nothing is merged or sorted until indices are asked for. */
export function eventsUpTo(source: EventSource, bound: number): Events {
  const runs: Float64Array[] = [];
  for (const h of source.histories) {
    if (h.times.length > 0) runs.push(h.times);
    if (h.winStart.length > 0) {
      runs.push(h.winStart);
      // Windows are sorted by start; their ends need not be (and are few).
      runs.push(Float64Array.from(h.winEnd).sort());
    }
  }
  const left = Int32Array.from(runs, (run) => lastAtOrBefore(run, bound) + 1);
  let cutoff = 0;
  for (const n of left) cutoff += n;
  const tail = new Float64Array(0);
  return { cutoff, bound, length: cutoff + 1, offset: cutoff, tail, source, runs, left };
}

/** The i-th event; `ensureEvents(e, i)` must have been called for an index below the cutoff. */
export const eventAt = (e: Events, i: number): number =>
  i < e.cutoff ? (e.tail[i - e.offset] as number) : i === e.cutoff ? e.bound : Infinity;

/** Make `eventAt(e, index)` readable: merge older events into the tail, at least doubling it. */
export function ensureEvents(e: Events, index: number): void {
  if (index < 0 || index >= e.offset) return;
  const take = Math.min(e.offset, Math.max(e.offset - index, e.tail.length, NEWEST_FIRST));
  if (e.tail.length + take > Math.max(MERGE_AT_MOST, e.cutoff >> 3)) {
    // A long walk: one native sort of everything beats merging element by element.
    e.tail = allEvents(e.source).subarray(0, e.cutoff);
    e.offset = 0;
    return;
  }
  const tail = new Float64Array(e.tail.length + take);
  tail.set(e.tail, take);
  const { runs, left } = e;
  for (let k = take - 1; k >= 0; k--) {
    let best = -1;
    let value = -Infinity;
    for (let r = 0; r < runs.length; r++) {
      const n = left[r] as number;
      if (n > 0 && ((runs[r] as Float64Array)[n - 1] as number) >= value) {
        value = (runs[r] as Float64Array)[n - 1] as number;
        best = r;
      }
    }
    tail[k] = value;
    left[best] = (left[best] as number) - 1;
  }
  e.tail = tail;
  e.offset -= take;
}

/** Every member's event times, merged and sorted once per source. */
function allEvents(source: EventSource): Float64Array {
  if (source.events) return source.events;
  let total = 0;
  for (const h of source.histories) total += h.times.length + 2 * h.winStart.length;
  const ev = new Float64Array(total);
  let k = 0;
  for (const h of source.histories) {
    ev.set(h.times, k);
    k += h.times.length;
    ev.set(h.winStart, k);
    k += h.winStart.length;
    ev.set(h.winEnd, k);
    k += h.winEnd.length;
  }
  ev.sort();
  source.events = ev;
  return ev;
}
