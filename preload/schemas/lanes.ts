// Reading timeline lanes (columns) back as objects: plain code without zod, because the console
// imports it at run time (see values.ts). The lane's schema is TimelineLane in ./groups.
import type { PointKind } from './catalog';
import type { TimelineLane } from './groups';
import { POINT_KINDS } from './values';

/** Bits of a lane point's `flags`. */
export const LaneFlag = {
  /** This point's own link is broken: its parent is missing or errored. */
  brokenLink: 1,
  /** Restorable: not errored and its whole chain is intact. */
  usable: 2,
  /** Locked now (object lock, legal hold, WORM). */
  immutable: 4,
  /** A test restore succeeded. */
  verified: 8,
  /** Dated after now: a clock is probably wrong. */
  future: 16,
} as const;

/** One point of a lane read back as an object (tooltips, tests): row `i` of the columns. */
export type LanePoint = {
  id: string;
  source: string;
  kind: PointKind;
  at: number;
  brokenLink: boolean;
  usable: boolean;
  immutable: boolean;
  lockedUntil: number | null;
  verified: boolean;
  copies: number;
  future: boolean;
  snapshotId: string | null;
};

/** Where row `i` is in a sparse column's sorted `rows`, or -1. */
function sparseAt(rows: readonly number[], i: number): number {
  let lo = 0;
  let hi = rows.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >>> 1;
    const r = rows[mid] as number;
    if (r === i) return mid;
    if (r < i) lo = mid + 1;
    else hi = mid - 1;
  }
  return -1;
}

/**
 * What joins a lane's ids: DEL, which no real id holds and JSON writes as it is (a newline took
 * four times as long to parse). Inside an id, DEL is written `\-` and a backslash `\\`.
 */
export const ID_SEPARATOR = '\u007f';

/** An id as it goes into a lane's `ids`. */
export const escapeId = (id: string): string =>
  id.includes('\\') || id.includes(ID_SEPARATOR)
    ? id.replace(/\\/g, '\\\\').replaceAll(ID_SEPARATOR, '\\-')
    : id;

const idsRead = new WeakMap<TimelineLane, string[]>();

/** The lane's point ids by row, read from `ids` on first use (the page parses one string). */
export function laneIds(lane: TimelineLane): string[] {
  let ids = idsRead.get(lane);
  if (ids === undefined) {
    ids = lane.count === 0 ? [] : lane.ids.split(ID_SEPARATOR);
    if (lane.ids.includes('\\'))
      ids = ids.map((id) =>
        id.replace(/\\([\\-])/g, (_m, c: string) => (c === '-' ? ID_SEPARATOR : '\\')),
      );
    idsRead.set(lane, ids);
  }
  return ids;
}

/** Row `i` of a lane as a LanePoint. */
export function lanePoint(lane: TimelineLane, i: number): LanePoint {
  const flags = lane.flags[i] ?? 0;
  const lock = sparseAt(lane.locks.row, i);
  const snapshot = sparseAt(lane.snapshots.row, i);
  return {
    id: laneIds(lane)[i] ?? '',
    source: lane.strings[lane.source[i] ?? -1] ?? '',
    kind: POINT_KINDS[lane.kind[i] ?? 0] ?? 'snapshot',
    at: lane.at[i] ?? NaN,
    brokenLink: (flags & LaneFlag.brokenLink) !== 0,
    usable: (flags & LaneFlag.usable) !== 0,
    immutable: (flags & LaneFlag.immutable) !== 0,
    lockedUntil: lock >= 0 ? (lane.locks.until[lock] ?? null) : null,
    verified: (flags & LaneFlag.verified) !== 0,
    copies: lane.copies[i] ?? 0,
    future: (flags & LaneFlag.future) !== 0,
    snapshotId: snapshot >= 0 ? (lane.strings[lane.snapshots.id[snapshot] ?? -1] ?? null) : null,
  };
}

/** A stretch longer than the RPO without any restorable point. */
export type LaneGap = { start: number; end: number; seconds: number };

/** A lane's gaps as objects. */
export const laneGaps = (lane: TimelineLane): LaneGap[] =>
  lane.gaps.start.map((start, i) => {
    const end = lane.gaps.end[i] ?? start;
    return { start, end, seconds: (end - start) / 1000 };
  });

/** A chain link between two rows of a lane (`to` -1: the parent is missing from the catalog). */
export type LaneLink = { from: number; to: number; broken: boolean };

/** A lane's links as objects. */
export const laneLinks = (lane: TimelineLane): LaneLink[] =>
  lane.links.from.map((from, i) => ({
    from,
    to: lane.links.to[i] ?? -1,
    broken: lane.links.broken[i] === 1,
  }));
