// Consistency groups as the renderer sees them: cuts, findings and timeline lanes.
// Produced by main/groups/ (pure functions); the timeline and health views draw them as they are.
import { z } from 'zod';
import { IsoTime } from './common';
import { PointKind } from './catalog';
import { ID_SEPARATOR } from './lanes';

/** One member's share of a cut: a recovery point, or an instant inside a continuous window. */
export const CutMember = z.object({
  service: z.string(),
  /** The chosen recovery point, or null when a continuous window meets the instant exactly. */
  pointId: z.string().nullable(),
  /** The continuous window used (pointId null), or null for a discrete point. */
  windowId: z.string().nullable(),
  /** The source that holds the chosen point or window. */
  source: z.string(),
  /** The instant this member is restored to. */
  time: IsoTime,
  /** How far this member lags behind the cut's time, in seconds (0 for the newest). */
  lagSeconds: z.number(),
});
export type CutMember = z.infer<typeof CutMember>;

/** One choice of recovery point per member of a group. */
export const Cut = z.object({
  group: z.string(),
  /** The instant the group is restored to: the newest of the members' times. */
  time: IsoTime,
  /** Spread of the members' times, in seconds. */
  skewSeconds: z.number(),
  toleranceSeconds: z.number(),
  /** Skew within tolerance, or the members share a logical snapshot id. */
  consistent: z.boolean(),
  /** Why it is (or is not) consistent, in words. */
  reason: z.string(),
  /** The logical snapshot id (tag `snapshot:<id>`) when the cut was taken together, else null. */
  snapshotId: z.string().nullable(),
  /** In the group's restore order. */
  members: z.array(CutMember),
});
export type Cut = z.infer<typeof Cut>;

/** How urgent a finding is. */
export const Severity = z.enum(['error', 'warning', 'info']);
export type Severity = z.infer<typeof Severity>;

/** What a finding is about. */
export const FindingKind = z.enum([
  'stale',
  'gap',
  'broken-chain',
  'not-immutable',
  'untested',
  'copies',
  'backends',
  'offsite',
  'retention-drift',
  'orphan',
  'schedule',
  'future-point',
  'no-points',
  /** A consistency group's newest consistent cut is missing or older than its members' RPO. */
  'group-cut',
  /** The latest drill of a runbook failed or was aborted (`service`: the group it restores). */
  'drill-failed',
  /** The latest drill of a runbook completed over its RTO (`service`: the group it restores). */
  'drill-over-rto',
]);
export type FindingKind = z.infer<typeof FindingKind>;

/** A health fact worth a human's attention. */
export const Finding = z.object({
  severity: Severity,
  /** The service the finding is about (the group's name for `group-cut` and the drill kinds). */
  service: z.string(),
  kind: FindingKind,
  /** One sentence: what is wrong and, where it helps, what to do. */
  message: z.string(),
  /** The point the finding is about, when there is one (links to its mark on the timeline). */
  pointId: z.string().optional(),
});
export type Finding = z.infer<typeof Finding>;

// Lanes travel as columns (one array per field, row i is point i of the lane), not one object
// per point: 100,000 points as objects were 23 MB of JSON that took seconds to check, send and
// parse. Each column is checked with one plain loop (zod's array schema copies every element).
// One loop per kind of column, so that each stays monomorphic (a shared loop calling a
// predicate per element was several times slower on 100,000 rows).
function intLoop(v: unknown[]): boolean {
  for (let i = 0; i < v.length; i++) if (!Number.isInteger(v[i])) return false;
  return true;
}
function numberLoop(v: unknown[]): boolean {
  for (let i = 0; i < v.length; i++) {
    const x: unknown = v[i];
    if (typeof x !== 'number' || !Number.isFinite(x)) return false;
  }
  return true;
}
function textLoop(v: unknown[]): boolean {
  for (let i = 0; i < v.length; i++) if (typeof v[i] !== 'string') return false;
  return true;
}
function bitLoop(v: unknown[]): boolean {
  for (let i = 0; i < v.length; i++) if (v[i] !== 0 && v[i] !== 1) return false;
  return true;
}

// A frozen array cannot change, so what it passed once it passes for good: main freezes the
// columns it keeps per catalog version and sends again on every call. Unfrozen arrays (anything
// new, anything malformed) are checked in full every time.
const passed = new WeakMap<readonly unknown[], Set<string>>();
function checkedOnce(v: readonly unknown[], what: string, check: () => boolean): boolean {
  const frozen = Object.isFrozen(v);
  if (frozen && passed.get(v)?.has(what) === true) return true;
  if (!check()) return false;
  if (frozen) {
    const known = passed.get(v);
    if (known) known.add(what);
    else passed.set(v, new Set([what]));
  }
  return true;
}
const every =
  (what: string, loop: (v: unknown[]) => boolean) =>
  (v: unknown): boolean =>
    Array.isArray(v) && checkedOnce(v, what, () => loop(v));
const everyInt = every('int', intLoop);
const everyNumber = every('number', numberLoop);
const everyText = every('text', textLoop);
const everyBit = every('bit', bitLoop);

/** How many ids a lane's `ids` holds (`count` says whether an empty string is none or one). */
function idCount(ids: string, count: number): number {
  if (ids === '') return Math.min(count, 1);
  let rows = 1;
  for (let at = ids.indexOf(ID_SEPARATOR); at >= 0; at = ids.indexOf(ID_SEPARATOR, at + 1)) rows++;
  return rows;
}

const column = <T>(check: (v: unknown) => boolean, what: string) =>
  z.custom<T[]>(check, { message: `expected an array of ${what}` });
const ints = column<number>(everyInt, 'integers');
const numbers = column<number>(everyNumber, 'numbers');

/** A continuous window (WAL archive, versioned bucket) drawn shaded. */
export const LaneWindow = z.object({
  id: z.string(),
  source: z.string(),
  start: z.number(),
  /** Epoch ms; for an open window this is `now`. */
  end: z.number(),
  open: z.boolean(),
});
export type LaneWindow = z.infer<typeof LaneWindow>;

/**
 * One lane of the timeline: everything the canvas draws for one service. Points are sorted by
 * time, ties by id; every point column has `count` rows. Times are epoch ms (UTC).
 */
export const TimelineLane = z
  .object({
    service: z.string(),
    rpoSeconds: z.number().nullable(),
    count: z.number().int().min(0),
    /** Interned text: sources and snapshot ids. */
    strings: column<string>(everyText, 'strings'),
    /**
     * The rows' point ids in one string, joined by ID_SEPARATOR (escaped inside an id, see
     * lanes.ts). Read with laneIds. (100,000 ids as one string parse in a fifth of the time
     * they took as 100,000 strings.)
     */
    ids: z.string(),
    at: numbers,
    /** Index into PointKind.options. */
    kind: ints,
    /** Index into `strings`. */
    source: ints,
    /** LaneFlag bits. */
    flags: ints,
    /** How many backends hold a copy. */
    copies: ints,
    /** Rows whose lock has a retain-until date, in row order (most rows have none). */
    locks: z.object({ row: ints, until: numbers }),
    /** Rows tagged with a logical snapshot id shared with other services, in row order. */
    snapshots: z.object({ row: ints, id: ints }),
    /** Chain links of incrementals and differentials, by row: `to` is -1 when the parent is missing. */
    links: z.object({
      from: ints,
      to: ints,
      broken: column<number>(everyBit, '0 or 1'),
    }),
    windows: z.array(LaneWindow),
    /** Stretches longer than the RPO without any restorable point: [start[i], end[i]]. */
    gaps: z.object({ start: numbers, end: numbers }),
    /** Earliest and latest marks (epoch ms), null for an empty lane. */
    first: z.number().nullable(),
    last: z.number().nullable(),
  })
  .superRefine((lane, ctx) => {
    const bad = (message: string) => ctx.addIssue({ code: 'custom', message });
    const n = lane.count;
    const rows = ['at', 'kind', 'source', 'flags', 'copies'] as const;
    for (const name of rows)
      if (lane[name].length !== n)
        return bad(`column ${name} has ${lane[name].length} rows, not ${n}`);
    const ids = idCount(lane.ids, n);
    if (ids !== n) return bad(`ids has ${ids} rows, not ${n}`);
    if (
      lane.links.to.length !== lane.links.from.length ||
      lane.links.broken.length !== lane.links.from.length
    )
      return bad('link columns differ in length');
    if (lane.gaps.end.length !== lane.gaps.start.length) return bad('gap columns differ in length');
    if (lane.locks.until.length !== lane.locks.row.length)
      return bad('lock columns differ in length');
    if (lane.snapshots.id.length !== lane.snapshots.row.length)
      return bad('snapshot columns differ in length');
    const within = (name: string, xs: readonly number[], min: number, max: number) => {
      const inRange = () => {
        for (let i = 0; i < xs.length; i++) {
          const x = xs[i] as number;
          if (x < min || x >= max) return false;
        }
        return true;
      };
      if (!checkedOnce(xs, `within ${min} ${max}`, inRange))
        bad(`column ${name} points outside its table`);
    };
    const nStrings = lane.strings.length;
    within('kind', lane.kind, 0, PointKind.options.length);
    within('source', lane.source, 0, nStrings);
    within('snapshots.id', lane.snapshots.id, 0, nStrings);
    within('snapshots.row', lane.snapshots.row, 0, n);
    within('locks.row', lane.locks.row, 0, n);
    within('flags', lane.flags, 0, 32);
    within('links.from', lane.links.from, 0, n);
    within('links.to', lane.links.to, -1, n);
    return undefined;
  });
export type TimelineLane = z.infer<typeof TimelineLane>;

/** The whole timeline of a group (or of every service): lanes in restore order and `now`. */
export const Timeline = z.object({
  group: z.string().nullable(),
  now: z.number(),
  lanes: z.array(TimelineLane),
});
export type Timeline = z.infer<typeof Timeline>;

export { LaneFlag, laneGaps, laneIds, laneLinks, lanePoint } from './lanes';
export type { LaneGap, LaneLink, LanePoint } from './lanes';
