// Instants and durations in words: the group model works in epoch milliseconds (UTC) and
// speaks to people in short sentences.

/** Parse an ISO 8601 instant (any offset) to epoch milliseconds, or NaN when it is not one. */
export function parseInstant(text: string | null | undefined): number {
  if (typeof text !== 'string' || text.length === 0 || text.length > 64) return NaN;
  const fast = parseUtcFast(text);
  if (!Number.isNaN(fast)) return fast;
  // Date.parse honours the offset (+01:00, +02:00, Z), so instants across a DST change order
  // correctly; a bare date-time without an offset would be local time, which we refuse.
  if (!/(Z|[+-]\d\d:?\d\d)$/i.test(text)) return NaN;
  return Date.parse(text);
}

// Two ASCII digits at i as a number, or -1 when either is not a digit.
function two(text: string, i: number): number {
  const a = text.charCodeAt(i) - 48;
  const b = text.charCodeAt(i + 1) - 48;
  return a >= 0 && a <= 9 && b >= 0 && b <= 9 ? a * 10 + b : -1;
}

// Days before each month of a common year.
const MONTH_START = [0, 0, 31, 59, 90, 120, 151, 181, 212, 243, 273, 304, 334];

// The common catalog shape, "YYYY-MM-DDTHH:MM:SS[.sss]Z", without Date.parse's generality
// (catalogs of a million points spend most of their parse time here). NaN for anything else.
function parseUtcFast(text: string): number {
  const n = text.length;
  if ((n !== 20 && n !== 24) || text.charCodeAt(n - 1) !== 90 /* Z */) return NaN;
  // "-", "-", "T", ":", ":" and, with milliseconds, "."
  if (
    text.charCodeAt(4) !== 45 ||
    text.charCodeAt(7) !== 45 ||
    text.charCodeAt(10) !== 84 ||
    text.charCodeAt(13) !== 58 ||
    text.charCodeAt(16) !== 58 ||
    (n === 24 && text.charCodeAt(19) !== 46)
  )
    return NaN;
  const hundreds = two(text, 0);
  const yy = two(text, 2);
  const month = two(text, 5);
  const day = two(text, 8);
  const hour = two(text, 11);
  const minute = two(text, 14);
  const second = two(text, 17);
  if (
    hundreds < 0 ||
    yy < 0 ||
    month < 1 ||
    month > 12 ||
    day < 1 ||
    day > 31 ||
    hour < 0 ||
    hour > 23 ||
    minute < 0 ||
    minute > 59 ||
    second < 0 ||
    second > 59
  )
    return NaN;
  let ms = 0;
  if (n === 24) {
    const a = two(text, 20);
    const c = text.charCodeAt(22) - 48;
    if (a < 0 || c < 0 || c > 9) return NaN;
    ms = a * 10 + c;
  }
  const year = hundreds * 100 + yy;
  if (day > 28 && day > daysInMonth(year, month)) return NaN;
  const days = daysFromCivil(year, month, day);
  return days * 86_400_000 + ((hour * 60 + minute) * 60 + second) * 1000 + ms;
}

function daysInMonth(year: number, month: number): number {
  if (month !== 2) return month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31;
  return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0 ? 29 : 28;
}

// Days since 1970-01-01 of a proleptic Gregorian date.
function daysFromCivil(y: number, m: number, d: number): number {
  // Leap days before this year (counted from year 0), minus those before 1970 (477).
  const p = y - 1;
  const leaps = Math.floor(p / 4) - Math.floor(p / 100) + Math.floor(p / 400) - 477;
  const leapThisYear = m > 2 && ((y % 4 === 0 && y % 100 !== 0) || y % 400 === 0) ? 1 : 0;
  return (y - 1970) * 365 + leaps + (MONTH_START[m] as number) + leapThisYear + d - 1;
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
