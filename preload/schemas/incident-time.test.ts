// The incident field reads what a tired person types, in their zone, and refuses the rest with a
// sentence that shows how to write it.
import { describe, expect, it } from 'vitest';
import { incidentWords, parseIncidentTime, spanWords, type ZoneOffset } from './incident-time';

const now = Date.parse('2026-12-04T15:24:00Z');
const cet: ZoneOffset = () => 60; // 16:24 local
const utc: ZoneOffset = () => 0;
// Central Europe with its DST change on 2026-03-29 at 01:00 UTC.
const cetDst: ZoneOffset = (ms) => (ms >= Date.parse('2026-03-29T01:00:00Z') ? 120 : 60);

const read = (text: string, zone: ZoneOffset = cet, at = now) => parseIncidentTime(text, at, zone);
const iso = (text: string, zone: ZoneOffset = cet, at = now) => {
  const r = read(text, zone, at);
  if (!r.ok) throw new Error(r.message);
  return r.iso;
};

describe('parseIncidentTime', () => {
  it('reads a time of day as today, local', () => {
    expect(iso('13:18')).toBe('2026-12-04T12:18:00.000Z');
    expect(read('13:18')).toMatchObject({ understood: 'today 13:18 local' });
    expect(iso('9:05:30')).toBe('2026-12-04T08:05:30.000Z');
    expect(iso('1:18 pm')).toBe('2026-12-04T12:18:00.000Z');
  });

  it('reads a time of day still to come today as yesterday (at 02:10, 23:40 was last night)', () => {
    const at = Date.parse('2026-12-04T01:10:00Z'); // 02:10 CET
    expect(iso('23:40', cet, at)).toBe('2026-12-03T22:40:00.000Z');
    expect(read('23:40', cet, at)).toMatchObject({ understood: 'yesterday 23:40 local' });
  });

  it('reads a date and time, local unless a zone is given', () => {
    expect(iso('2026-12-04 13:18')).toBe('2026-12-04T12:18:00.000Z');
    expect(iso('2026-12-04T13:18')).toBe('2026-12-04T12:18:00.000Z');
    expect(iso('2026-12-04 13:18 UTC')).toBe('2026-12-04T13:18:00.000Z');
    expect(iso('2026-12-04T13:18:00Z')).toBe('2026-12-04T13:18:00.000Z');
    expect(iso('2026-12-04T13:18:00+05:30')).toBe('2026-12-04T07:48:00.000Z');
    expect(iso('2026-12-04T13:18:00.250Z')).toBe('2026-12-04T13:18:00.250Z');
    expect(iso('13:18Z')).toBe('2026-12-04T13:18:00.000Z');
  });

  it('follows the zone across a DST change', () => {
    const at = Date.parse('2026-03-30T12:00:00Z');
    expect(iso('2026-03-28 12:00', cetDst, at)).toBe('2026-03-28T11:00:00.000Z');
    expect(iso('2026-03-29 12:00', cetDst, at)).toBe('2026-03-29T10:00:00.000Z');
  });

  it('reads relative times and now', () => {
    expect(iso('-2h')).toBe('2026-12-04T13:24:00.000Z');
    expect(iso('2 h ago')).toBe('2026-12-04T13:24:00.000Z');
    expect(iso('2h ago')).toBe('2026-12-04T13:24:00.000Z');
    expect(iso('-1h30m')).toBe('2026-12-04T13:54:00.000Z');
    expect(iso('1 hour 30 minutes ago')).toBe('2026-12-04T13:54:00.000Z');
    expect(iso('-1.5h')).toBe('2026-12-04T13:54:00.000Z');
    expect(iso('90 min ago')).toBe('2026-12-04T13:54:00.000Z');
    expect(iso('1 day ago')).toBe('2026-12-03T15:24:00.000Z');
    expect(iso('now')).toBe('2026-12-04T15:24:00.000Z');
    expect(read('2 h ago')).toMatchObject({ understood: '2 h ago' });
  });

  it('refuses the future, impossible dates and anything else with a sentence', () => {
    const future = read('2026-12-05 10:00');
    expect(future).toMatchObject({ ok: false });
    if (!future.ok) expect(future.message).toMatch(/in the future; the incident has already begun/);
    expect(read('2026-02-30 10:00')).toEqual({
      ok: false,
      message: '2026-02-30 is not a date on the calendar.',
    });
    expect(read('25:00')).toEqual({ ok: false, message: '25:00 is not a time of day.' });
    const junk = read('12/04/2026, 04:24 PM');
    expect(junk.ok).toBe(false);
    if (!junk.ok)
      expect(junk.message).toMatch(/^Dapple reads times like 13:18, .* is none of these\.$/);
    expect(read('  ')).toMatchObject({ ok: false, message: /Type when the incident began/ });
    expect(read('-2 parsecs')).toMatchObject({ ok: false });
  });
});

describe('incidentWords', () => {
  it('shows local time with its zone next to UTC and how long ago', () => {
    const ms = Date.parse('2026-12-04T13:24:00Z');
    expect(incidentWords(ms, now, cet)).toBe(
      '2026-12-04 14:24 local (UTC+1) · 2026-12-04 13:24 UTC · 2 h ago',
    );
    expect(incidentWords(ms, now, utc)).toBe(
      '2026-12-04 13:24 UTC (also local time here) · 2 h ago',
    );
    expect(incidentWords(now, now, () => -330)).toContain('(UTC−5:30)');
  });

  it('says spans the way the banner does', () => {
    expect([12e3, 18 * 60e3, 125 * 60e3, 50 * 3600e3].map(spanWords)).toEqual([
      '12 s',
      '18 min',
      '2 h 5 min',
      '2 d 2 h',
    ]);
  });
});
