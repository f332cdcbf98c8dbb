// Consistency groups as the renderer sees them: cuts, findings and timeline lanes.
// Produced by main/groups/ (pure functions); the timeline and health views draw them as they are.
import { z } from 'zod';
import { IsoTime } from './common';
import { PointKind } from './catalog';

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
]);
export type FindingKind = z.infer<typeof FindingKind>;

/** A health fact worth a human's attention. */
export const Finding = z.object({
  severity: Severity,
  /** The service the finding is about (the group's name for kind `group-cut`). */
  service: z.string(),
  kind: FindingKind,
  /** One sentence: what is wrong and, where it helps, what to do. */
  message: z.string(),
  /** The point the finding is about, when there is one (links to its mark on the timeline). */
  pointId: z.string().optional(),
});
export type Finding = z.infer<typeof Finding>;

/** A point drawn on a lane. Times are epoch milliseconds (UTC) so the canvas needs no parsing. */
export const LanePoint = z.object({
  id: z.string(),
  source: z.string(),
  kind: PointKind,
  at: z.number(),
  /** The chain parent's id, or null. */
  parent: z.string().nullable(),
  /** This point's own link is broken: its parent is missing or errored. */
  brokenLink: z.boolean(),
  /** Restorable: not errored and its whole chain is intact. */
  usable: z.boolean(),
  immutable: z.boolean(),
  /** retainUntil of the lock (epoch ms), or null. */
  lockedUntil: z.number().nullable(),
  verified: z.boolean(),
  copies: z.number().int(),
  /** Dated after now: a clock is probably wrong. */
  future: z.boolean(),
  /** The logical snapshot id shared with other services, or null. */
  snapshotId: z.string().nullable(),
});
export type LanePoint = z.infer<typeof LanePoint>;

/** A chain link between two points of a lane (indices into `points`). */
export const LaneLink = z.object({
  from: z.number().int(),
  /** Index of the parent, or -1 when the parent is missing from the catalog. */
  to: z.number().int(),
  broken: z.boolean(),
});
export type LaneLink = z.infer<typeof LaneLink>;

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

/** A stretch longer than the RPO without any restorable point. */
export const LaneGap = z.object({ start: z.number(), end: z.number(), seconds: z.number() });
export type LaneGap = z.infer<typeof LaneGap>;

/** One lane of the timeline: everything the canvas draws for one service. */
export const TimelineLane = z.object({
  service: z.string(),
  rpoSeconds: z.number().nullable(),
  /** Sorted by time, ties by id. */
  points: z.array(LanePoint),
  links: z.array(LaneLink),
  windows: z.array(LaneWindow),
  gaps: z.array(LaneGap),
  /** Earliest and latest marks (epoch ms), null for an empty lane. */
  first: z.number().nullable(),
  last: z.number().nullable(),
});
export type TimelineLane = z.infer<typeof TimelineLane>;

/** The whole timeline of a group (or of every service): lanes in restore order and `now`. */
export const Timeline = z.object({
  group: z.string().nullable(),
  now: z.number(),
  lanes: z.array(TimelineLane),
});
export type Timeline = z.infer<typeof Timeline>;
