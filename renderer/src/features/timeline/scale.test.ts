import { describe, expect, it } from 'vitest';
import { fit, lowerBound, MIN_SPAN, pan, ticks, timeAt, xOf, zoom } from './scale';

const view = { start: 0, end: 1000 * 3600, width: 1000 };

describe('timeline scale', () => {
  it('maps time to pixels and back', () => {
    expect(xOf(view, 1800 * 1000)).toBe(500);
    expect(timeAt(view, 250)).toBe(900 * 1000);
  });
  it('zooms around the pointer: the instant under it stays put', () => {
    const zoomed = zoom(view, 0.5, 200);
    expect(timeAt(zoomed, 200)).toBeCloseTo(timeAt(view, 200));
    expect(zoomed.end - zoomed.start).toBe(1800 * 1000);
  });
  it('never zooms below ten seconds', () => {
    let v = view;
    for (let i = 0; i < 100; i++) v = zoom(v, 0.5, 500);
    expect(v.end - v.start).toBe(MIN_SPAN);
  });
  it('pans by pixels', () => {
    expect(pan(view, 100).start).toBe(360 * 1000);
  });
  it('fits a range with a margin', () => {
    const v = fit(1000, 2000 + MIN_SPAN, 800);
    expect(v.start).toBeLessThan(1000);
    expect(v.end).toBeGreaterThan(2000 + MIN_SPAN);
  });
  it('chooses readable ticks from years down to seconds', () => {
    const year = 365 * 86400e3;
    expect(
      ticks({ start: Date.UTC(2020, 0, 1), end: Date.UTC(2020, 0, 1) + 5 * year, width: 1000 })[0]
        ?.label,
    ).toMatch(/^\d{4}/);
    const secs = ticks({
      start: Date.UTC(2026, 0, 1),
      end: Date.UTC(2026, 0, 1) + 20e3,
      width: 1000,
    });
    expect(secs.length).toBeGreaterThan(3);
    expect(secs[0]?.label).toMatch(/^\d\d:\d\d:\d\d$/);
  });
  it('finds the first index at or after a value', () => {
    const a = [1, 3, 3, 5, 9];
    expect(lowerBound(a, 3)).toBe(1);
    expect(lowerBound(a, 4)).toBe(3);
    expect(lowerBound(a, 10)).toBe(5);
    expect(lowerBound(a, 0)).toBe(0);
  });
});
