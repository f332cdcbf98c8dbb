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

/** A comparator of two point indices for a column (ascending). */
function comparator(index: PointIndex, key: SortKey): (a: number, b: number) => number {
  const p = index.points;
  const at = (i: number) => p[i] as RecoveryPoint;
  const num = (arr: Float64Array) => (a: number, b: number) =>
    (arr[a] as number) - (arr[b] as number) || 0;
  switch (key) {
    case 'time':
      return num(index.times);
    case 'service':
      return (a, b) => byText(at(a).service, at(b).service);
    case 'kind':
      return (a, b) => byText(at(a).kind, at(b).kind);
    case 'parent':
      return (a, b) =>
        (index.broken[b] as number) - (index.broken[a] as number) ||
        byText(at(a).parent ?? '', at(b).parent ?? '');
    case 'size':
      return (a, b) => (at(a).sizeBytes ?? -1) - (at(b).sizeBytes ?? -1);
    case 'copies':
      return (a, b) => at(a).copies.length - at(b).copies.length;
    case 'immutable':
      return num(index.retain);
    case 'verified':
      return num(index.verified);
    case 'tags':
      return (a, b) => byText(at(a).tags.join(','), at(b).tags.join(','));
  }
}

/** Sort row indices by a column; ties fall back to the newest first, so the order is stable. */
export function sortRows(index: PointIndex, rows: Int32Array, sort: CatalogSort): Int32Array {
  const compare = comparator(index, sort.key);
  const sign = sort.dir === 'asc' ? 1 : -1;
  const times = index.times;
  const sorted = rows.slice();
  sorted.sort(
    (a, b) => sign * compare(a, b) || (times[b] as number) - (times[a] as number) || a - b,
  );
  return sorted;
}
