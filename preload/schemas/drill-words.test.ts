// Drill times in words: what the Drills section, the catalog, Health and the plan all say.
import { describe, expect, it } from 'vitest';
import { drillTime, everyWords, rangeWords, rtoWords, testedWords } from './drill-words';

describe('drill words', () => {
  it('says a measured time as a person reads it', () => {
    expect(
      [0, 400, 3_200, 45_000, 252_000, 2_842_000, 3_840_000, 7_200_000].map(drillTime),
    ).toEqual(['0 s', '0.4 s', '3.2 s', '45 s', '4 m 12 s', '47 m', '1 h 4 m', '2 h']);
    expect(testedWords('2026-12-01T10:00:00Z', 252_000)).toBe(
      'restored in a drill on 2026-12-01 in 4 m 12 s',
    );
  });

  it('says objectives, ranges and periods', () => {
    expect([45, 1800, 3600, 5400].map(rtoWords)).toEqual(['45 s', '30 min', '1 h', '1 h 30 min']);
    expect(rangeWords(38 * 60_000 + 10_000, 52 * 60_000 - 10_000)).toBe('38–52 min');
    expect(rangeWords(33 * 60_000, 33 * 60_000 * (1 + 1e-12))).toBe('33 min');
    expect(rangeWords(5_000, 9_000)).toBe('5–9 s');
    expect(rangeWords(100 * 60_000, 150 * 60_000)).toBe('1 h 40 m – 2 h 30 m');
    expect([30 * 86_400, 86_400, 12 * 3600, 90].map(everyWords)).toEqual([
      '30 days',
      '1 day',
      '12 hours',
      '1 m 30 s',
    ]);
  });
});
