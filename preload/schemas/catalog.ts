// Recovery points: every source is normalised to this one shape.
import { z } from 'zod';
import { IsoTime } from './common';
import { LOCK_MODES, POINT_KINDS } from './values';

/** How a point relates to others: full/diff/incr form chains; a window is continuous. */
export const PointKind = z.enum(POINT_KINDS);
export type PointKind = z.infer<typeof PointKind>;

/** Object Lock or equivalent: null when the point can be deleted or changed. */
export const Immutability = z.object({
  mode: z.enum(LOCK_MODES),
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

// One plain loop per kind of column: a shared loop calling a check per element was several
// times slower on 100,000 rows (the call site sees every check and V8 inlines none of them).
function allInts(v: unknown): boolean {
  if (!Array.isArray(v)) return false;
  for (let i = 0; i < v.length; i++) if (!Number.isInteger(v[i])) return false;
  return true;
}
function allNumbers(v: unknown): boolean {
  if (!Array.isArray(v)) return false;
  for (let i = 0; i < v.length; i++) {
    const x: unknown = v[i];
    if (typeof x !== 'number' || !Number.isFinite(x)) return false;
  }
  return true;
}
function allNumbersOrNull(v: unknown): boolean {
  if (!Array.isArray(v)) return false;
  for (let i = 0; i < v.length; i++) {
    const x: unknown = v[i];
    if (x !== null && (typeof x !== 'number' || !Number.isFinite(x))) return false;
  }
  return true;
}
function allTexts(v: unknown): boolean {
  if (!Array.isArray(v)) return false;
  for (let i = 0; i < v.length; i++) if (typeof v[i] !== 'string') return false;
  return true;
}
function allIntLists(v: unknown): boolean {
  if (!Array.isArray(v)) return false;
  for (let i = 0; i < v.length; i++) if (!allInts(v[i])) return false;
  return true;
}

/**
 * One column: an array whose every element passes `all`, checked in one plain loop that returns
 * the array itself (z.array parses and copies every element: seconds for 100,000 points).
 */
const column = <T>(all: (v: unknown) => boolean, what: string) =>
  z.custom<T[]>(all, { message: `expected an array of ${what}` });

const ints = column<number>(allInts, 'integers');

/**
 * The points of catalog.get as columns (one array per field, row i is point i): 100,000 points
 * as objects were 32 MB of JSON that took seconds to check, send and parse. Text that repeats is
 * interned in `strings`; copies and tags lists in `lists`. Times are epoch milliseconds (UTC).
 * preload/schemas/catalog-columns.ts reads rows back as RecoveryPoint (raw is null, as before).
 */
export const CatalogColumns = z
  .object({
    count: z.number().int().min(0),
    /** Interned text: services, sources, backends, tags and parent ids not found as a row. */
    strings: column<string>(allTexts, 'strings'),
    /** Interned lists of `strings` indices (copies and tags). */
    lists: column<number[]>(allIntLists, 'integer lists'),
    id: column<string>(allTexts, 'strings'),
    /** Index into `strings`. */
    source: ints,
    service: ints,
    time: column<number>(allNumbers, 'numbers'),
    endTime: column<number | null>(allNumbersOrNull, 'numbers or null'),
    /** Index into PointKind.options. */
    kind: ints,
    /**
     * -1: no parent; a row (>= 0): the parent (in the same source, else in another source of the
     * service); <= -2: strings[-2 - v], a parent missing from the catalog.
     */
    parent: ints,
    sizeBytes: column<number | null>(allNumbersOrNull, 'numbers or null'),
    /** Index into `lists`. */
    copies: ints,
    /** -1: not immutable; else the index into Immutability's modes, + 4 with a legal hold. */
    lock: ints,
    retainUntil: column<number | null>(allNumbersOrNull, 'numbers or null'),
    lastVerified: column<number | null>(allNumbersOrNull, 'numbers or null'),
    /** Index into `lists`. */
    tags: ints,
  })
  .superRefine((c, ctx) => {
    const bad = (message: string) => ctx.addIssue({ code: 'custom', message });
    const rowColumns = [
      'id',
      'source',
      'service',
      'time',
      'endTime',
      'kind',
      'parent',
      'sizeBytes',
      'copies',
      'lock',
      'retainUntil',
      'lastVerified',
      'tags',
    ] as const;
    for (const name of rowColumns)
      if (c[name].length !== c.count)
        return bad(`column ${name} has ${c[name].length} rows, not ${c.count}`);
    const within = (name: string, xs: readonly number[], min: number, max: number) => {
      for (let i = 0; i < xs.length; i++) {
        const x = xs[i] as number;
        if (x < min || x >= max) return bad(`column ${name} points outside its table`);
      }
      return undefined;
    };
    const nStrings = c.strings.length;
    for (const list of c.lists) within('lists', list, 0, nStrings);
    within('source', c.source, 0, nStrings);
    within('service', c.service, 0, nStrings);
    within('kind', c.kind, 0, PointKind.options.length);
    within('parent', c.parent, -1 - nStrings, c.count);
    within('copies', c.copies, 0, c.lists.length);
    within('tags', c.tags, 0, c.lists.length);
    within('lock', c.lock, -1, 8);
    return undefined;
  });
export type CatalogColumns = z.infer<typeof CatalogColumns>;

/** The catalog of the open workspace as main holds it: points as objects, raw records left out. */
export type CatalogListing = Omit<CatalogView, 'points'> & { points: RecoveryPoint[] };

/** The catalog of the open workspace as the console shows it: points as columns. */
export const CatalogView = z.object({
  /** Merged points (copies on several backends are one point), without raw; see catalog.point. */
  points: CatalogColumns,
  /** Every configured source, in workspace order, with live progress while a refresh runs. */
  sources: z.array(SourceStatus),
  /** When the shown catalog was read from the sources ("as of"); null before the first read. */
  asOf: IsoTime.nullable(),
  refreshing: z.boolean(),
  /** A sentence about the cache itself (e.g. it was damaged and is being rebuilt), or null. */
  note: z.string().nullable(),
  /**
   * Only in a first answer (catalog.get with `first`) that is not the whole catalog: how many
   * points the whole catalog has. `points` then holds the newest `first` points and the earlier
   * points their chains reach (preload/schemas/catalog-head.ts), nothing else.
   */
  total: z.number().int().min(0).optional(),
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
