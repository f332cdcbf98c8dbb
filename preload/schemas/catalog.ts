// Recovery points: every source is normalised to this one shape.
import { z } from 'zod';
import { IsoTime } from './common';

/** How a point relates to others: full/diff/incr form chains; a window is continuous. */
export const PointKind = z.enum(['full', 'diff', 'incr', 'snapshot', 'window']);
export type PointKind = z.infer<typeof PointKind>;

/** Object Lock or equivalent: null when the point can be deleted or changed. */
export const Immutability = z.object({
  mode: z.enum(['GOVERNANCE', 'COMPLIANCE', 'LEGAL_HOLD', 'WORM']),
  retainUntil: IsoTime.nullable(),
  legalHold: z.boolean(),
});
export type Immutability = z.infer<typeof Immutability>;

/** One restorable point of one service. */
export const RecoveryPoint = z.object({
  /** Unique within its source. */
  id: z.string(),
  source: z.string(),
  service: z.string(),
  /** The instant the data represents (for a window, its start). */
  time: IsoTime,
  /** For a continuous window, its end (null = up to now). */
  endTime: IsoTime.nullable(),
  kind: PointKind,
  /** The point this one depends on (incr/diff chains), or null. */
  parent: z.string().nullable(),
  sizeBytes: z.number().nullable(),
  /** Backends holding a copy of this point (the 3-2-1 view). */
  copies: z.array(z.string()),
  immutable: Immutability.nullable(),
  /** The last time a test restore of this point succeeded. */
  lastVerified: IsoTime.nullable(),
  tags: z.array(z.string()),
  /** The source's own record, as it reported it. */
  raw: z.unknown(),
});
export type RecoveryPoint = z.infer<typeof RecoveryPoint>;

/** The state of one source in the catalog. */
export const SourceStatus = z.object({
  source: z.string(),
  state: z.enum(['idle', 'loading', 'ok', 'error']),
  points: z.number().int(),
  error: z.object({ message: z.string(), hint: z.string() }).nullable(),
  refreshedAt: IsoTime.nullable(),
  /** While loading: how far the source has got (done of total, null total when unknown). */
  progress: z
    .object({ done: z.number(), total: z.number().nullable(), message: z.string() })
    .nullable()
    .optional(),
  /** Sentences about records the source skipped or doubted while its good points were kept. */
  warnings: z.array(z.string()).optional(),
});
export type SourceStatus = z.infer<typeof SourceStatus>;

/** The catalog of the open workspace as the console shows it: points without raw records. */
export const CatalogView = z.object({
  /** Merged points (copies on several backends are one point); raw is null here, see catalog.point. */
  points: z.array(RecoveryPoint),
  /** Every configured source, in workspace order, with live progress while a refresh runs. */
  sources: z.array(SourceStatus),
  /** When the shown catalog was read from the sources ("as of"); null before the first read. */
  asOf: IsoTime.nullable(),
  refreshing: z.boolean(),
  /** A sentence about the cache itself (e.g. it was damaged and is being rebuilt), or null. */
  note: z.string().nullable(),
});
export type CatalogView = z.infer<typeof CatalogView>;

/** One entry of a restic or borg snapshot's file tree. */
export const SnapshotEntry = z.object({
  path: z.string(),
  name: z.string(),
  type: z.enum(['file', 'dir', 'symlink', 'other']),
  sizeBytes: z.number().nullable(),
  modified: IsoTime.nullable(),
});
export type SnapshotEntry = z.infer<typeof SnapshotEntry>;
