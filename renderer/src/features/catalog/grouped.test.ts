import { describe, expect, it } from 'vitest';
import { grouped } from './grouped';

describe('grouped', () => {
  it('writes counts as toLocaleString("en") does', () => {
    for (const n of [0, 1, 12, 123, 1234, 12345, 100_000, 1_234_567, -1234, -999, 2 ** 53 - 1])
      expect(grouped(n)).toBe(n.toLocaleString('en'));
  });

  it('leaves what is not a whole number alone', () => {
    expect([grouped(1.5), grouped(Number.NaN), grouped(Infinity)]).toEqual([
      '1.5',
      'NaN',
      'Infinity',
    ]);
  });
});
