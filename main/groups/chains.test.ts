// Which points of an incremental chain can really be restored, and why the others cannot.
import { describe, expect, it } from 'vitest';
import { analyseChains, INTACT } from './chains';
import { at, point } from './test-points';

const full = (id: string, time: string, extra = {}) =>
  point('db', id, at(time), { kind: 'full', ...extra });
const incr = (id: string, parent: string | null, time: string, extra = {}) =>
  point('db', id, at(time), { kind: 'incr', parent, ...extra });

describe('analyseChains', () => {
  it('keeps an intact chain usable, in any catalog order', () => {
    const points = [
      incr('I2', 'I1', '2026-11-26 02:00'),
      full('F', '2026-11-26 00:00'),
      incr('I1', 'F', '2026-11-26 01:00'),
    ];
    const states = analyseChains(points);
    expect(states.map((s) => s.usable)).toEqual([true, true, true]);
    expect(states[1]).toBe(INTACT);
    expect(states[0]?.parent).toBe(2);
  });

  it('takes down everything after a missing middle, saying which reference is gone', () => {
    const states = analyseChains([
      full('F', '2026-11-26 00:00'),
      incr('I2', 'I1', '2026-11-26 02:00'),
      incr('I3', 'I2', '2026-11-26 03:00'),
    ]);
    expect(states.map((s) => s.usable)).toEqual([true, false, false]);
    expect(states[1]).toMatchObject({ brokenLink: true, why: 'its reference I1 is missing' });
    expect(states[2]).toMatchObject({ brokenLink: false, why: 'its reference I1 is missing' });
  });

  it('breaks the link to a failed reference, and the failed point itself', () => {
    const states = analyseChains([
      full('F', '2026-11-26 00:00', { tags: ['status:FAILED'] }),
      incr('I1', 'F', '2026-11-26 01:00'),
      incr('I0', null, '2026-11-26 00:30'),
    ]);
    expect(states[0]).toMatchObject({ usable: false, why: 'F is marked failed' });
    expect(states[1]).toMatchObject({ usable: false, brokenLink: true });
    expect(states[1]?.why).toBe('its reference F failed');
    expect(states[2]?.why).toBe('incremental I0 names no reference backup');
  });

  it('counts a loop as broken, and what is built on it', () => {
    const states = analyseChains([
      incr('A', 'B', '2026-11-26 01:00'),
      incr('B', 'A', '2026-11-26 02:00'),
      incr('C', 'B', '2026-11-26 03:00'),
      full('F', '2026-11-26 00:00'),
    ]);
    expect(states.map((s) => s.usable)).toEqual([false, false, false, true]);
    expect(states[0]?.why).toBe('its chain loops');
    expect(states[2]?.why).toBe('its chain loops');
  });

  it('looks parents up within the same source only (ids repeat across sources)', () => {
    const states = analyseChains([
      full('F', '2026-11-26 00:00', { source: 'a' }),
      incr('I', 'F', '2026-11-26 01:00', { source: 'a' }),
      incr('I', 'F', '2026-11-26 01:00', { source: 'b' }),
    ]);
    expect(states.map((s) => s.usable)).toEqual([true, true, false]);
    expect(states[2]?.why).toBe('its reference F is missing');
  });
});
