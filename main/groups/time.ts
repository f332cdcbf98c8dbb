// Instants and durations in words: the group model works in epoch milliseconds (UTC) and
// speaks to people in short sentences.

/** Parse an ISO 8601 instant (any offset) to epoch milliseconds, or NaN when it is not one. */
export function parseInstant(text: string | null | undefined): number {
  if (typeof text !== 'string' || text.length === 0 || text.length > 64) return NaN;
  // Date.parse honours the offset (+01:00, +02:00, Z), so instants across a DST change order
  // correctly; a bare date-time without an offset would be local time, which we refuse.
  if (!/(Z|[+-]\d\d:?\d\d)$/i.test(text)) return NaN;
  return Date.parse(text);
}

/** Epoch milliseconds as a UTC ISO string (what crosses the boundary). */
export function isoOf(ms: number): string {
  return new Date(ms).toISOString();
}

/** A short UTC time for sentences: "2026-11-26 02:10 UTC" (seconds only when not zero). */
export function formatInstant(ms: number): string {
  const iso = new Date(ms).toISOString();
  const date = iso.slice(0, 10);
  const seconds = iso.slice(17, 19);
  const millis = iso.slice(20, 23);
  let clock = iso.slice(11, 16);
  if (seconds !== '00' || millis !== '000') clock = iso.slice(11, 19);
  return `${date} ${clock} UTC`;
}

/** A duration for people: "45 s", "47 min", "3 h 5 min", "2 d 4 h", "14 months", "3 years". */
export function formatDuration(ms: number): string {
  const s = Math.round(Math.abs(ms) / 1000);
  if (s < 60) return `${s} s`;
  const min = Math.round(s / 60);
  if (min < 60) return `${min} min`;
  const h = Math.floor(min / 60);
  if (h < 24) return min % 60 === 0 ? `${h} h` : `${h} h ${min % 60} min`;
  const d = Math.floor(h / 24);
  if (d < 60) return h % 24 === 0 ? `${d} d` : `${d} d ${h % 24} h`;
  if (d < 730) return `${Math.round(d / 30.44)} months`;
  return `${Math.round(d / 365.25)} years`;
}

/** Milliseconds in a day, for retention arithmetic. */
export const DAY_MS = 86_400_000;

/**
 * Index of the last element of a sorted array that is <= x, or -1. Works on typed arrays too,
 * so the cut sweep can stay in Float64Array.
 */
export function lastAtOrBefore(sorted: ArrayLike<number>, x: number): number {
  let lo = 0;
  let hi = sorted.length - 1;
  let found = -1;
  while (lo <= hi) {
    const mid = (lo + hi) >>> 1;
    if ((sorted[mid] as number) <= x) {
      found = mid;
      lo = mid + 1;
    } else hi = mid - 1;
  }
  return found;
}
