// catalog.get's first answer for a large catalog: the newest points (the rows the table shows first
// in its default order, newest first) with the earlier points their chains need, so the console
// shows a first screen while the whole catalog is still on its way, and every chain it shows
// (broken or not) reads the same as in the whole catalog. No zod: the console imports this too.
import type { CatalogColumns } from './catalog';
import { parentRow } from './catalog-columns';

/** How many newest points the console asks for first (a few screens of rows). */
export const CATALOG_HEAD = 200;

/** Catalogs up to this size come whole at once: they arrive and show quickly anyway. */
export const HEAD_FROM = 5_000;

/** A first answer never holds more rows than this (newest plus ancestors); beyond, none is made. */
export const HEAD_MAX_ROWS = 5_000;

/**
 * The rows of the newest `first` points (time descending, ties in row order, as the table sorts
 * them) plus every row their chains reach, ascending. Null when that is more than `maxRows`
 * rows (very long chains): then the whole catalog is the first answer.
 */
export function headRows(
  c: CatalogColumns,
  first: number,
  maxRows = HEAD_MAX_ROWS,
): Int32Array | null {
  const n = c.count;
  const take = Math.min(first, n);
  if (take === n) return n <= maxRows ? Int32Array.from({ length: n }, (_, i) => i) : null;
  // The take-th newest time; every row newer is in, rows at that time fill up in row order.
  const sorted = Float64Array.from(c.time);
  sorted.sort();
  const cut = sorted[n - take] as number;
  const picked = new Uint8Array(n);
  const rows: number[] = [];
  for (let i = 0; i < n; i++) {
    if ((c.time[i] as number) > cut) {
      picked[i] = 1;
      rows.push(i);
    }
  }
  for (let i = 0; i < n && rows.length < take; i++) {
    if (c.time[i] === cut) {
      picked[i] = 1;
      rows.push(i);
    }
  }
  // Walk each chain down until it ends, breaks, or meets a row already in.
  for (let k = 0; k < take; k++) {
    let at = parentRow(c, rows[k] as number);
    while (at !== undefined && picked[at] !== 1) {
      if (rows.length >= maxRows) return null;
      picked[at] = 1;
      rows.push(at);
      at = parentRow(c, at);
    }
  }
  return Int32Array.from(rows).sort();
}
