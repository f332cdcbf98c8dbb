// Filtering and sorting the catalog's points. Built for 100,000 points: per-catalog arrays are
// computed once (times, sizes, flags, search text on first search) and queries return row indices.
import type { RecoveryPoint } from '../../../../preload/schemas/catalog';
import type { CatalogFilters, CatalogSort, SortKey } from '../../store/catalog-slice';
import { brokenChains, buildLookup, type PointLookup } from './chain';

/** Per-catalog precomputed facts, reused by every filter and sort. */
export type PointIndex = {
  points: readonly RecoveryPoint[];
  lookup: PointLookup;
  times: Float64Array;
  retain: Float64Array;
  verified: Float64Array;
  broken: Uint8Array;
  services: string[];
  /** Tags by how many points carry them, most common first. */
  tags: { tag: string; count: number }[];
  /** Lower-case text searched by the search box; built on the first search only. */
  searchText: string[] | null;
  /** Numeric sort keys per column, built on first use. */
  keys: Map<SortKey, Float64Array>;
};

const timeOf = (iso: string | null): number => {
  if (iso === null) return Number.NaN;
  return Date.parse(iso);
};

/** Build the index of a catalog (once per catalog). */
export function indexPoints(points: readonly RecoveryPoint[]): PointIndex {
  const n = points.length;
  const times = new Float64Array(n);
  const retain = new Float64Array(n);
  const verified = new Float64Array(n);
  const services = new Set<string>();
  const tagCounts = new Map<string, number>();
  for (let i = 0; i < n; i++) {
    const p = points[i] as RecoveryPoint;
    times[i] = timeOf(p.time);
    const lock = p.immutable;
    // Not immutable sorts first; a lock without an end (legal hold) sorts last.
    retain[i] = !lock ? -Infinity : lock.retainUntil === null ? Infinity : timeOf(lock.retainUntil);
    verified[i] = p.lastVerified ? timeOf(p.lastVerified) : -Infinity;
    services.add(p.service);
    for (const tag of p.tags) tagCounts.set(tag, (tagCounts.get(tag) ?? 0) + 1);
  }
  const lookup = buildLookup(points);
  return {
    points,
    lookup,
    times,
    retain,
    verified,
    broken: brokenChains(points, lookup),
    services: [...services].sort(),
    tags: [...tagCounts]
      .map(([tag, count]) => ({ tag, count }))
      .sort((a, b) => b.count - a.count || (a.tag < b.tag ? -1 : 1)),
    searchText: null,
    keys: new Map(),
  };
}

function searchTextOf(index: PointIndex): string[] {
  if (!index.searchText) {
    index.searchText = index.points.map((p) =>
      [p.id, p.service, p.source, p.kind, p.parent ?? '', p.copies.join(' '), p.tags.join(' ')]
        .join('\u0001')
        .toLowerCase(),
    );
  }
  return index.searchText;
}

/** A datetime-local value ("2026-11-26T02:14") read as UTC; NaN when empty or invalid. */
export const utcInput = (value: string): number =>
  value ? Date.parse(value.length === 16 ? `${value}:00Z` : `${value}Z`) : Number.NaN;

/** Row indices of the points that pass the filters, in catalog order. */
export function filterPoints(index: PointIndex, filters: CatalogFilters): Int32Array {
  const { points, times } = index;
  const from = utcInput(filters.from);
  const to = utcInput(filters.to);
  const words = filters.search.trim().toLowerCase().split(/\s+/).filter(Boolean);
  const text = words.length ? searchTextOf(index) : null;
  const rows = new Int32Array(points.length);
  let count = 0;
  for (let i = 0; i < points.length; i++) {
    const p = points[i] as RecoveryPoint;
    if (filters.service && p.service !== filters.service) continue;
    if (filters.kind && p.kind !== filters.kind) continue;
    const t = times[i] as number;
    if (!Number.isNaN(from) && !(t >= from)) continue;
    if (!Number.isNaN(to) && !(t <= to)) continue;
    if (filters.tag && !p.tags.includes(filters.tag)) continue;
    if (text) {
      const haystack = text[i] as string;
      if (!words.every((w) => haystack.includes(w))) continue;
    }
    rows[count++] = i;
  }
  return rows.slice(0, count);
}

const byText = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);
const byNumber = (a: number, b: number): number => (a < b ? -1 : a > b ? 1 : 0);

/** Each point's rank among the distinct values of a text column (sorting then compares numbers). */
function textRank(
  points: readonly RecoveryPoint[],
  text: (p: RecoveryPoint) => string,
): Float64Array {
  const values = points.map(text);
  const ranks = new Map([...new Set(values)].sort(byText).map((v, i) => [v, i]));
  const out = new Float64Array(points.length);
  for (let i = 0; i < values.length; i++) out[i] = ranks.get(values[i] as string) ?? 0;
  return out;
}

/** A numeric sort key per point for a column (ascending), built on first use and kept. */
function sortKeys(index: PointIndex, key: SortKey): Float64Array {
  const cached = index.keys.get(key);
  if (cached) return cached;
  const p = index.points;
  const n = p.length;
  let keys: Float64Array;
  switch (key) {
    case 'time':
      keys = index.times;
      break;
    case 'immutable':
      keys = index.retain;
      break;
    case 'verified':
      keys = index.verified;
      break;
    case 'size':
      keys = Float64Array.from(p, (x) => x.sizeBytes ?? -1);
      break;
    case 'copies':
      keys = Float64Array.from(p, (x) => x.copies.length);
      break;
    case 'service':
      keys = textRank(p, (x) => x.service);
      break;
    case 'kind':
      keys = textRank(p, (x) => x.kind);
      break;
    case 'tags':
      keys = textRank(p, (x) => x.tags.join(','));
      break;
    case 'parent': {
      // Broken chains first, then by parent id.
      keys = textRank(p, (x) => x.parent ?? '');
      for (let i = 0; i < n; i++) if (index.broken[i] !== 1) keys[i] = (keys[i] as number) + n;
      break;
    }
  }
  index.keys.set(key, keys);
  return keys;
}

/** Sort row indices by a column; ties fall back to the newest first, so the order is stable. */
export function sortRows(index: PointIndex, rows: Int32Array, sort: CatalogSort): Int32Array {
  const keys = sortKeys(index, sort.key);
  const sign = sort.dir === 'asc' ? 1 : -1;
  const times = index.times;
  const sorted = rows.slice();
  sorted.sort(
    (a, b) =>
      sign * byNumber(keys[a] as number, keys[b] as number) ||
      byNumber(times[b] as number, times[a] as number) ||
      a - b,
  );
  return sorted;
}
