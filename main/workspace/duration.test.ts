import { describe, expect, it } from 'vitest';
import { formatDuration, parseDuration } from './duration';

describe('parseDuration', () => {
  it('reads the durations people write in dapple.yaml', () => {
    expect(parseDuration('30s')).toBe(30);
    expect(parseDuration('5m')).toBe(300);
    expect(parseDuration('1h')).toBe(3600);
    expect(parseDuration('1h30m')).toBe(5400);
    expect(parseDuration('7d')).toBe(604_800);
    expect(parseDuration('2w')).toBe(1_209_600);
    expect(parseDuration('1d12h')).toBe(129_600);
    expect(parseDuration(' 15m ')).toBe(900);
  });

  it('rejects text that is not a duration', () => {
    for (const bad of [
      '',
      '5',
      '5 minutes',
      '1.5h',
      '-5m',
      '30m1h',
      '1h1h',
      'h',
      '5M',
      '1y',
      '9'.repeat(40) + 's',
    ]) {
      expect(parseDuration(bad), bad).toBeNull();
    }
  });

  it('formats seconds back to the same text', () => {
    for (const text of ['30s', '5m', '1h30m', '6d', '2w', '1w1d1h1m1s']) {
      const seconds = parseDuration(text);
      expect(seconds).not.toBeNull();
      expect(formatDuration(seconds ?? 0)).toBe(text);
    }
    expect(formatDuration(0)).toBe('0s');
    expect(formatDuration(604_800)).toBe('1w');
  });
});
