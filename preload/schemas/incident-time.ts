// When the incident began, as a tired person types it: "13:18", "2026-12-04 13:18", "-2h",
// "2 h ago", "now" or an ISO time. Pure (the clock and the time zone are passed in) and free of
// zod, so the console checks each keystroke and the CLI reads --before the same way.

/** Minutes east of UTC at an instant (CET in winter: 60). */
export type ZoneOffset = (utcMs: number) => number;

/** The machine's own zone, as the Date object knows it. */
export const localOffset: ZoneOffset = (utcMs) => -new Date(utcMs).getTimezoneOffset();

/** What was understood, or why not, in words. */
export type IncidentParse =
  { ok: true; ms: number; iso: string; understood: string } | { ok: false; message: string };

const EXAMPLES = '13:18, 2026-12-04 13:18, -2h, 2 h ago, now or 2026-12-04T13:18:00Z';
const FUTURE_SLACK_MS = 60_000;

const UNIT_MS: Record<string, number> = {
  s: 1000,
  sec: 1000,
  secs: 1000,
  second: 1000,
  seconds: 1000,
  m: 60_000,
  min: 60_000,
  mins: 60_000,
  minute: 60_000,
  minutes: 60_000,
  h: 3_600_000,
  hr: 3_600_000,
  hrs: 3_600_000,
  hour: 3_600_000,
  hours: 3_600_000,
  d: 86_400_000,
  day: 86_400_000,
  days: 86_400_000,
};

const pad = (n: number) => String(n).padStart(2, '0');

/** A wall-clock time in a zone → the UTC instant (checked again across a DST change). */
function zoned(
  y: number,
  mo: number,
  d: number,
  h: number,
  mi: number,
  s: number,
  offset: ZoneOffset,
): number {
  const wall = Date.UTC(y, mo - 1, d, h, mi, s);
  const first = wall - offset(wall) * 60_000;
  return wall - offset(first) * 60_000;
}

/** The wall-clock parts of an instant in a zone. */
function wallParts(ms: number, offset: ZoneOffset) {
  const t = new Date(ms + offset(ms) * 60_000);
  return {
    y: t.getUTCFullYear(),
    mo: t.getUTCMonth() + 1,
    d: t.getUTCDate(),
    h: t.getUTCHours(),
    mi: t.getUTCMinutes(),
    s: t.getUTCSeconds(),
  };
}

/** "2026-12-04 13:18" (seconds only when not zero) of an instant in a zone. */
export function wallText(ms: number, offset: ZoneOffset): string {
  const p = wallParts(ms, offset);
  const secs = p.s ? `:${pad(p.s)}` : '';
  return `${p.y}-${pad(p.mo)}-${pad(p.d)} ${pad(p.h)}:${pad(p.mi)}${secs}`;
}

/** "UTC+1", "UTC−5:30", "UTC" for a zone at an instant. */
export function zoneName(ms: number, offset: ZoneOffset): string {
  const minutes = offset(ms);
  if (minutes === 0) return 'UTC';
  const sign = minutes > 0 ? '+' : '−';
  const abs = Math.abs(minutes);
  return `UTC${sign}${Math.floor(abs / 60)}${abs % 60 ? `:${pad(abs % 60)}` : ''}`;
}

/** "2 h 5 min", "40 min", "3 d 2 h", "12 s": a span a person reads at a glance. */
export function spanWords(ms: number): string {
  const s = Math.round(Math.abs(ms) / 1000);
  if (s < 60) return `${s} s`;
  const m = Math.round(s / 60);
  if (m < 60) return `${m} min`;
  const h = Math.floor(m / 60);
  if (h < 48) return m % 60 ? `${h} h ${m % 60} min` : `${h} h`;
  const d = Math.floor(h / 24);
  return h % 24 ? `${d} d ${h % 24} h` : `${d} d`;
}

function validDate(y: number, mo: number, d: number): boolean {
  const t = new Date(Date.UTC(y, mo - 1, d));
  return t.getUTCFullYear() === y && t.getUTCMonth() === mo - 1 && t.getUTCDate() === d;
}

function hourOf(h: number, ampm: string | undefined): number | null {
  if (!ampm) return h <= 23 ? h : null;
  if (h < 1 || h > 12) return null;
  const pm = ampm.toLowerCase().startsWith('p');
  return (h % 12) + (pm ? 12 : 0);
}

/** "2 h ago", "-2h", "-1h30m", "90 minutes ago": milliseconds back, or null. */
function relative(text: string): number | null {
  const m = /^(?:-\s*(.+?)|(.+?)\s*ago)$/i.exec(text);
  const body = (m?.[1] ?? m?.[2])?.trim();
  if (!body || !/^(?:\d+(?:\.\d+)?\s*[a-z]+\s*)+$/i.test(body)) return null;
  let total = 0;
  for (const part of body.matchAll(/(\d+(?:\.\d+)?)\s*([a-z]+)/gi)) {
    const size = UNIT_MS[part[2]?.toLowerCase() ?? ''];
    if (size === undefined) return null;
    total += Number(part[1]) * size;
  }
  return total;
}

const TIME = String.raw`(\d{1,2}):(\d{2})(?::(\d{2}))?\s*([ap]\.?m\.?)?`;
const ZONE = String.raw`\s*(Z|UTC|GMT|[+-]\d{2}:?\d{2})?`;
const TIME_ONLY = new RegExp(`^${TIME}${ZONE}$`, 'i');
const DATE_TIME = new RegExp(String.raw`^(\d{4})-(\d{1,2})-(\d{1,2})(?:[ T]+)${TIME}${ZONE}$`, 'i');

/** Minutes east of UTC named by a suffix, or null for none (the local zone). */
function suffixOffset(zone: string | undefined): number | null {
  if (!zone) return null;
  if (/^(z|utc|gmt)$/i.test(zone)) return 0;
  const m = /^([+-])(\d{2}):?(\d{2})$/.exec(zone);
  if (!m) return null;
  return (m[1] === '-' ? -1 : 1) * (Number(m[2]) * 60 + Number(m[3]));
}

/**
 * Read an incident time. A time of day alone is today's, or yesterday's when today's has not come
 * yet (at 02:10, "23:40" means last night). Times without a zone are local; Z, UTC or an offset
 * say otherwise. The future is refused: an incident has already begun.
 */
export function parseIncidentTime(
  input: string,
  nowMs: number,
  offset: ZoneOffset = localOffset,
): IncidentParse {
  const text = input.trim().replace(/\s+/g, ' ');
  const done = (ms: number, understood: string): IncidentParse => {
    if (!Number.isFinite(ms)) return { ok: false, message: `Dapple cannot read “${text}”.` };
    if (ms > nowMs + FUTURE_SLACK_MS) {
      return {
        ok: false,
        message: `${understood} is ${spanWords(ms - nowMs)} in the future; the incident has already begun, so give a time before now.`,
      };
    }
    return { ok: true, ms, iso: new Date(ms).toISOString(), understood };
  };
  if (text === '')
    return { ok: false, message: 'Type when the incident began, e.g. 13:18 or 2 h ago.' };
  if (/^now$/i.test(text)) return done(nowMs, 'now');

  const back = relative(text);
  if (back !== null) return done(nowMs - back, `${spanWords(back)} ago`);

  const time = TIME_ONLY.exec(text);
  if (time) {
    const h = hourOf(Number(time[1]), time[4]);
    const mi = Number(time[2]);
    const s = Number(time[3] ?? 0);
    if (h === null || mi > 59 || s > 59)
      return { ok: false, message: `${text} is not a time of day.` };
    const fixed = suffixOffset(time[5]);
    const zone: ZoneOffset = fixed === null ? offset : () => fixed;
    const today = wallParts(nowMs, zone);
    let ms = zoned(today.y, today.mo, today.d, h, mi, s, zone);
    let day = 'today';
    if (ms > nowMs + FUTURE_SLACK_MS) {
      const y = wallParts(ms - 86_400_000, zone);
      ms = zoned(y.y, y.mo, y.d, h, mi, s, zone);
      day = 'yesterday';
    }
    const where = fixed === null ? 'local' : zoneName(ms, zone);
    return done(ms, `${day} ${pad(h)}:${pad(mi)}${s ? `:${pad(s)}` : ''} ${where}`);
  }

  const dt = DATE_TIME.exec(text);
  if (dt) {
    const [y, mo, d] = [Number(dt[1]), Number(dt[2]), Number(dt[3])];
    if (!validDate(y, mo, d)) {
      return { ok: false, message: `${dt[1]}-${dt[2]}-${dt[3]} is not a date on the calendar.` };
    }
    const h = hourOf(Number(dt[4]), dt[7]);
    const mi = Number(dt[5]);
    const s = Number(dt[6] ?? 0);
    if (h === null || mi > 59 || s > 59)
      return { ok: false, message: `${text} is not a time of day.` };
    const fixed = suffixOffset(dt[8]);
    const zone: ZoneOffset = fixed === null ? offset : () => fixed;
    const ms = zoned(y, mo, d, h, mi, s, zone);
    return done(ms, `${wallText(ms, zone)} ${fixed === null ? 'local' : zoneName(ms, zone)}`);
  }

  // Anything else ISO-looking that the platform reads exactly (fractions, offsets).
  if (/^\d{4}-\d{2}-\d{2}T[\d:.]+(Z|[+-]\d{2}:\d{2})$/i.test(text)) {
    const ms = Date.parse(text);
    if (Number.isFinite(ms)) return done(ms, `${wallText(ms, () => 0)} UTC`);
  }
  return {
    ok: false,
    message: `Dapple reads times like ${EXAMPLES}; “${text.slice(0, 40)}” is none of these.`,
  };
}

/** An instant for the incident field: local wall time, UTC and how long ago, in one line. */
export function incidentWords(ms: number, nowMs: number, offset: ZoneOffset = localOffset): string {
  const ago = nowMs - ms < 30_000 ? 'now' : `${spanWords(nowMs - ms)} ago`;
  if (offset(ms) === 0) return `${wallText(ms, offset)} UTC (also local time here) · ${ago}`;
  const local = `${wallText(ms, offset)} local (${zoneName(ms, offset)})`;
  return `${local} · ${wallText(ms, () => 0)} UTC · ${ago}`;
}
