// The drill chart's axes: the RTO and every drill fit, in steps a person reads at a glance.
import { describe, expect, it } from 'vitest';
import { dateRange, dateTicks, tickLabel, timeTicks } from './chart-scale';

describe('the drill chart scales', () => {
  it('covers the longest time with at most five round steps', () => {
    expect(timeTicks(3_600_000 * 1.08)).toEqual({
      top: 4_500_000,
      ticks: [0, 900_000, 1_800_000, 2_700_000, 3_600_000, 4_500_000],
    });
    expect(timeTicks(7_000).ticks.map(tickLabel)).toEqual(['0 s', '2 s', '4 s', '6 s', '8 s']);
    expect(tickLabel(5_400_000)).toBe('1 h 30 m');
  });

  it('spreads the dates over at least a week around the drills', () => {
    const day = 86_400_000;
    const one = dateRange([10 * day]);
    expect(one.to - one.from).toBeCloseTo(7.7 * day);
    const ticks = dateTicks(0, 30 * day);
    expect(ticks.length).toBeLessThanOrEqual(7);
    expect(ticks.every((t) => t % day === 0)).toBe(true);
  });
});
