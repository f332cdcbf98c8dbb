// catalog.get's points as columns (the shape is CatalogColumns in ./catalog): main encodes them
// (repeated text interned, times as epoch milliseconds, parents as row numbers where the catalog
// has them); the console reads them back one row at a time, so it never builds 100,000 point objects
// to show 30 rows. Both halves live here so one test covers the round trip.
import type { CatalogColumns, Immutability, RecoveryPoint } from './catalog';
import { LOCK_MODES, POINT_KINDS } from './values';

export { LOCK_MODES };
/** Added to a lock mode's index when a legal hold is set too. */
export const LEGAL_HOLD_BIT = 4;

/** Epoch milliseconds as ISO 8601 UTC text (null stays null). */
export const isoOf = (ms: number | null | undefined): string | null =>
  ms === null || ms === undefined ? null : new Date(ms).toISOString();

/**
 * The row of a row's parent; undefined when it has none or the catalog lacks it (encodePoints
 * already looked for it in the same source, then in the other sources of the service).
 */
export function parentRow(c: CatalogColumns, row: number): number | undefined {
  const p = c.parent[row] ?? -1;
  return p >= 0 ? p : undefined;
}

/** A row's parent id, or null. */
export function parentOf(c: CatalogColumns, row: number): string | null {
  const p = c.parent[row] ?? -1;
  if (p === -1) return null;
  return p >= 0 ? (c.id[p] ?? null) : (c.strings[-2 - p] ?? null);
}

/** Text of an interned index. */
export const textOf = (c: CatalogColumns, at: number | undefined): string =>
  at === undefined ? '' : (c.strings[at] ?? '');

/** One interned list (copies or tags) as text. */
export const listOf = (c: CatalogColumns, at: number | undefined): string[] =>
  at === undefined ? [] : (c.lists[at] ?? []).map((s) => c.strings[s] ?? '');

/** A row's lock, as the point object says it. */
export function lockOf(c: CatalogColumns, row: number): Immutability | null {
  const lock = c.lock[row] ?? -1;
  if (lock < 0) return null;
  return {
    mode: LOCK_MODES[lock % LEGAL_HOLD_BIT] ?? 'WORM',
    retainUntil: isoOf(c.retainUntil[row]),
    legalHold: lock >= LEGAL_HOLD_BIT,
  };
}

/** Row `row` as a point (raw null: catalog.point gives the raw record). */
export function pointAt(c: CatalogColumns, row: number): RecoveryPoint {
  return {
    id: c.id[row] ?? '',
    source: textOf(c, c.source[row]),
    service: textOf(c, c.service[row]),
    time: isoOf(c.time[row]) ?? '',
    endTime: isoOf(c.endTime[row]),
    kind: POINT_KINDS[c.kind[row] ?? 0] ?? 'snapshot',
    parent: parentOf(c, row),
    sizeBytes: c.sizeBytes[row] ?? null,
    copies: listOf(c, c.copies[row]),
    immutable: lockOf(c, row),
    lastVerified: isoOf(c.lastVerified[row]),
    tags: listOf(c, c.tags[row]),
    raw: null,
  };
}

/** Columns of no points (before the first answer). */
export const emptyColumns = (): CatalogColumns => ({
  count: 0,
  strings: [],
  lists: [],
  id: [],
  source: [],
  service: [],
  time: [],
  endTime: [],
  kind: [],
  parent: [],
  sizeBytes: [],
  copies: [],
  lock: [],
  retainUntil: [],
  lastVerified: [],
  tags: [],
});

const kindIndex = new Map(POINT_KINDS.map((k, i) => [k, i]));
const lockIndex = new Map<string, number>(LOCK_MODES.map((m, i) => [m, i]));

const digits = (s: string, from: number, count: number): number => {
  let v = 0;
  for (let i = from; i < from + count; i++) {
    const d = s.charCodeAt(i) - 48;
    if (d < 0 || d > 9) return Number.NaN;
    v = v * 10 + d;
  }
  return v;
};

/** "2026-11-26T02:14:00Z" or "…:00.123Z" read without Date.parse (faster for 100k points); days
 * past the 28th go to Date.parse, which knows the month lengths. */
function canonicalMs(s: string): number {
  const n = s.length;
  if ((n !== 20 && n !== 24) || s[4] !== '-' || s[10] !== 'T' || s[n - 1] !== 'Z') return NaN;
  if (n === 24 && s[19] !== '.') return Number.NaN;
  const ms = n === 24 ? digits(s, 20, 3) : 0;
  const month = digits(s, 5, 2);
  const day = digits(s, 8, 2);
  const hour = digits(s, 11, 2);
  const minute = digits(s, 14, 2);
  const second = digits(s, 17, 2);
  if (!(
    month >= 1 &&
    month <= 12 &&
    day >= 1 &&
    day <= 28 &&
    hour < 24 &&
    minute < 60 &&
    second < 60
  ))
    return Number.NaN;
  return Date.UTC(digits(s, 0, 4), month - 1, day, hour, minute, second, ms);
}

const msOf = (iso: string | null): number | null => {
  if (iso === null) return null;
  let ms = canonicalMs(iso);
  if (Number.isNaN(ms)) ms = Date.parse(iso);
  return Number.isFinite(ms) ? ms : null;
};

/** Encode points (in order) as columns. */
export function encodePoints(points: readonly RecoveryPoint[]): CatalogColumns {
  const n = points.length;
  const strings: string[] = [];
  const stringAt = new Map<string, number>();
  const intern = (text: string): number => {
    let at = stringAt.get(text);
    if (at === undefined) {
      at = strings.length;
      strings.push(text);
      stringAt.set(text, at);
    }
    return at;
  };
  const lists: number[][] = [];
  const listAt = new Map<string, number>();
  const internList = (items: readonly string[]): number => {
    const indices = items.map(intern);
    const key = indices.join(',');
    let at = listAt.get(key);
    if (at === undefined) {
      at = lists.length;
      lists.push(indices);
      listAt.set(key, at);
    }
    return at;
  };

  // Parents resolve to the first row with that id in the same source, else in another source of
  // the same service (a copy recorded elsewhere; that index is built on the first parent not found
  // in its own source); only sources and services with chains are indexed. A parent left as text
  // is missing from the catalog: its chain is broken.
  const chained = new Set<string>();
  const chainedServices = new Set<string>();
  for (const p of points) {
    if (p.parent === null) continue;
    chained.add(p.source);
    chainedServices.add(p.service);
  }
  const index = (keyOf: (p: RecoveryPoint) => string, wanted: Set<string>) => {
    const maps = new Map<string, Map<string, number>>();
    for (let i = 0; i < n; i++) {
      const p = points[i] as RecoveryPoint;
      const key = keyOf(p);
      if (!wanted.has(key)) continue;
      let ids = maps.get(key);
      if (!ids) maps.set(key, (ids = new Map()));
      if (!ids.has(p.id)) ids.set(p.id, i);
    }
    return maps;
  };
  const rowOf = index((p) => p.source, chained);
  let serviceRowOf: Map<string, Map<string, number>> | null = null;
  const parentRowOf = (p: RecoveryPoint, parent: string): number | undefined =>
    rowOf.get(p.source)?.get(parent) ??
    (serviceRowOf ??= index((q) => q.service, chainedServices)).get(p.service)?.get(parent);

  const id = new Array<string>(n);
  const source = new Array<number>(n);
  const service = new Array<number>(n);
  const time = new Array<number>(n);
  const endTime = new Array<number | null>(n);
  const kind = new Array<number>(n);
  const parent = new Array<number>(n);
  const sizeBytes = new Array<number | null>(n);
  const copies = new Array<number>(n);
  const locks = new Array<number>(n);
  const retainUntil = new Array<number | null>(n);
  const lastVerified = new Array<number | null>(n);
  const tags = new Array<number>(n);
  for (let i = 0; i < n; i++) {
    const p = points[i] as RecoveryPoint;
    id[i] = p.id;
    source[i] = intern(p.source);
    service[i] = intern(p.service);
    time[i] = msOf(p.time) ?? 0;
    endTime[i] = msOf(p.endTime);
    kind[i] = kindIndex.get(p.kind) ?? 0;
    parent[i] = p.parent === null ? -1 : (parentRowOf(p, p.parent) ?? -2 - intern(p.parent));
    sizeBytes[i] = p.sizeBytes !== null && Number.isFinite(p.sizeBytes) ? p.sizeBytes : null;
    copies[i] = internList(p.copies);
    const lock = p.immutable;
    locks[i] = lock ? (lockIndex.get(lock.mode) ?? 0) + (lock.legalHold ? LEGAL_HOLD_BIT : 0) : -1;
    retainUntil[i] = lock ? msOf(lock.retainUntil) : null;
    lastVerified[i] = msOf(p.lastVerified);
    tags[i] = internList(p.tags);
  }
  const c: CatalogColumns = {
    count: n,
    strings,
    lists,
    id,
    source,
    service,
    time,
    endTime,
    kind,
    parent,
    sizeBytes,
    copies,
    lock: locks,
    retainUntil,
    lastVerified,
    tags,
  };
  return c;
}
