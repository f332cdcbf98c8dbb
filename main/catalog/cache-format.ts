// The on-disk shape of a cached catalog: one header line, then per source a section line and one
// line per point: a compact JSON tuple of its fields, a tab, and its raw record as JSON. A tab
// never appears in JSON.stringify output, so the raw part can be left unparsed until someone
// opens that point.
import type { PointKind, RecoveryPoint, SourceStatus } from '../../preload/schemas/catalog';

/** The format name written in every cache header. */
export const CACHE_FORMAT = 'dapple-catalog/1';

/** The first line of a cache file. generation changes on every write. */
export type CacheHeader = {
  format: typeof CACHE_FORMAT;
  generation: string;
  workspace: string;
  name: string;
  asOf: string;
};

/** A point's fields in the order they are stored (raw is stored after the tab). */
type PointTuple = [
  id: string,
  service: string,
  time: string,
  endTime: string | null,
  kind: PointKind,
  parent: string | null,
  sizeBytes: number | null,
  copies: string[],
  immutable: RecoveryPoint['immutable'],
  lastVerified: string | null,
  tags: string[],
];

/** One point as a cache line (with its trailing newline). */
export function encodePoint(p: RecoveryPoint): { head: string; raw: string } {
  const tuple: PointTuple = [
    p.id,
    p.service,
    p.time,
    p.endTime,
    p.kind,
    p.parent,
    p.sizeBytes,
    p.copies,
    p.immutable,
    p.lastVerified,
    p.tags,
  ];
  return { head: JSON.stringify(tuple), raw: JSON.stringify(p.raw ?? null) ?? 'null' };
}

const KINDS = new Set<string>(['full', 'diff', 'incr', 'snapshot', 'window']);
const isStr = (v: unknown): v is string => typeof v === 'string';
const isStrOrNull = (v: unknown): v is string | null => v === null || typeof v === 'string';
const isStrArray = (v: unknown): v is string[] => Array.isArray(v) && v.every(isStr);

/** Shares equal strings and string arrays between points: a million points name a few services. */
export class Interner {
  private readonly strings = new Map<string, string>();
  private readonly arrays = new Map<string, string[]>();
  str(value: string): string {
    const found = this.strings.get(value);
    if (found !== undefined) return found;
    this.strings.set(value, value);
    return value;
  }
  list(values: string[]): string[] {
    const key = values.join('\u0000');
    const found = this.arrays.get(key);
    if (found) return found;
    // Only the first list of its kind is kept, so only its strings need sharing.
    const kept = values.map((v) => this.str(v));
    this.arrays.set(key, kept);
    return kept;
  }
}

/** Decode a point tuple, or null when the line is not a valid point (a damaged cache). */
export function decodePoint(
  value: unknown,
  source: string,
  intern: Interner,
): RecoveryPoint | null {
  if (!Array.isArray(value) || value.length !== 11) return null;
  const [
    id,
    service,
    time,
    endTime,
    kind,
    parent,
    sizeBytes,
    copies,
    immutable,
    lastVerified,
    tags,
  ] = value as unknown[];
  if (
    !isStr(id) ||
    !isStr(service) ||
    !isStr(time) ||
    !isStrOrNull(endTime) ||
    !isStr(kind) ||
    !KINDS.has(kind)
  )
    return null;
  if (!isStrOrNull(parent) || !(sizeBytes === null || typeof sizeBytes === 'number')) return null;
  if (!isStrArray(copies) || !isStrArray(tags) || !isStrOrNull(lastVerified)) return null;
  if (
    immutable !== null &&
    (typeof immutable !== 'object' || !isStr((immutable as { mode?: unknown }).mode))
  )
    return null;
  return {
    id,
    source,
    service: intern.str(service),
    time,
    endTime,
    kind: kind as PointKind,
    parent,
    sizeBytes,
    copies: intern.list(copies),
    immutable: immutable as RecoveryPoint['immutable'],
    lastVerified,
    tags: intern.list(tags),
    raw: null,
  };
}

/** Is this a source status as we write it? */
export function isSourceStatus(value: unknown): value is SourceStatus {
  const s = value as Partial<SourceStatus> | null;
  return (
    typeof s === 'object' &&
    s !== null &&
    isStr(s.source) &&
    isStr(s.state) &&
    typeof s.points === 'number' &&
    isStrOrNull(s.refreshedAt ?? null) &&
    (s.error === null || (typeof s.error === 'object' && isStr(s.error?.message)))
  );
}

/** Is this the header line of a cache we can read? */
export function isHeader(value: unknown): value is CacheHeader {
  const h = value as Partial<CacheHeader> | null;
  return (
    typeof h === 'object' &&
    h !== null &&
    h.format === CACHE_FORMAT &&
    isStr(h.generation) &&
    isStr(h.workspace) &&
    isStr(h.asOf)
  );
}
