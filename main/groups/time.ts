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

const digit = (text: string, i: number): number => {
  const c = text.charCodeAt(i) - 48;
  return c >= 0 && c <= 9 ? c : NaN;
};
const num = (text: string, from: number, len: number): number => {
  let v = 0;
  for (let i = from; i < from + len; i++) v = v * 10 + digit(text, i);
  return v;
};

// The common catalog shape, "YYYY-MM-DDTHH:MM:SS[.sss]Z", without Date.parse's generality
// (catalogs of a million points spend most of their parse time here). NaN for anything else.
function parseUtcFast(text: string): number {
  const n = text.length;
  if ((n !== 20 && n !== 24) || text[n - 1] !== 'Z' || text[10] !== 'T') return NaN;
  if (text[4] !== '-' || text[7] !== '-' || text[13] !== ':' || text[16] !== ':') return NaN;
  if (n === 24 && text[19] !== '.') return NaN;
  const month = num(text, 5, 2);
  const day = num(text, 8, 2);
  const hour = num(text, 11, 2);
  const minute = num(text, 14, 2);
  const second = num(text, 17, 2);
  if (!(
    month >= 1 &&
    month <= 12 &&
    day >= 1 &&
    day <= 31 &&
    hour <= 23 &&
    minute <= 59 &&
    second <= 59
  )) {
    return NaN;
  }
  const year = num(text, 0, 4);
  if (day > 28 && day > daysInMonth(year, month)) return NaN;
  const ms = n === 24 ? num(text, 20, 3) : 0;
  if (Number.isNaN(year) || Number.isNaN(ms)) return NaN;
  return (
    daysFromCivil(year, month, day) * 86_400_000 + ((hour * 60 + minute) * 60 + second) * 1000 + ms
  );
}

function daysInMonth(year: number, month: number): number {
  if (month !== 2) return month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31;
  return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0 ? 29 : 28;
}

// Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's days_from_civil).
function daysFromCivil(y: number, m: number, d: number): number {
  const yy = m <= 2 ? y - 1 : y;
  const era = Math.floor(yy / 400);
  const yoe = yy - era * 400;
  const doy = Math.floor((153 * (m + (m > 2 ? -3 : 9)) + 2) / 5) + d - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146097 + doe - 719468;
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
