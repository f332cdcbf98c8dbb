// The sweep's events read newest first: merged on demand, or sorted whole for a long walk, they
// must read exactly as one sorted array of every instant up to the bound.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ensureEvents, eventAt, eventsUpTo, type EventSource } from './events';
import type { MemberHistory } from './history';

// Only the arrays the events read; the rest of a history plays no part here.
const history = (times: number[], windows: [number, number][]): MemberHistory =>
  ({
    times: Float64Array.from([...times].sort((a, b) => a - b)),
    winStart: Float64Array.from(windows.map((w) => w[0]).sort((a, b) => a - b)),
    winEnd: Float64Array.from(windows.map((w) => w[1])),
  }) as unknown as MemberHistory;

function expected(source: EventSource, bound: number): number[] {
  const all: number[] = [];
  for (const h of source.histories) all.push(...h.times, ...h.winStart, ...h.winEnd);
  return all.filter((t) => t <= bound).sort((a, b) => a - b);
}

/** Read the events newest first in slices of `step`, as the cut walk does. */
function readNewestFirst(source: EventSource, bound: number, step: number): number[] {
  const e = eventsUpTo(source, bound);
  const out: number[] = [];
  for (let i = e.cutoff - 1; i >= 0; i--) {
    if ((e.cutoff - 1 - i) % step === 0) ensureEvents(e, Math.max(0, i - step + 1));
    out.unshift(eventAt(e, i));
  }
  // What was read before the tail grew still reads the same after.
  expect(Array.from({ length: e.cutoff }, (_, i) => eventAt(e, i))).toEqual(out);
  expect(eventAt(e, e.cutoff)).toBe(bound);
  expect(eventAt(e, e.cutoff + 1)).toBe(Infinity);
  return out;
}

const members = fc.array(
  fc.record({
    times: fc.array(fc.integer({ min: 0, max: 500 }), { minLength: 10, maxLength: 120 }),
    windows: fc.array(
      fc.tuple(fc.integer({ min: 0, max: 500 }), fc.integer({ min: 0, max: 500 })),
      {
        maxLength: 3,
      },
    ),
  }),
  { minLength: 2, maxLength: 6 },
);

describe('sweep events', () => {
  it('read as the sorted instants up to the bound, however far back the walk goes', () => {
    fc.assert(
      fc.property(
        members,
        fc.integer({ min: 0, max: 520 }),
        fc.integer({ min: 1, max: 9 }),
        (ms, bound, step) => {
          const source = { histories: ms.map((m) => history(m.times, m.windows)) };
          expect(readNewestFirst(source, bound, step)).toEqual(expected(source, bound));
        },
      ),
    );
  });

  it('switch to one sort of everything for a long walk and read the same', () => {
    const times = Array.from({ length: 6000 }, (_, i) => (i * 7919) % 10_007);
    const source: EventSource = {
      histories: [history(times.slice(0, 3000), [[5, 9000]]), history(times.slice(3000), [])],
    };
    const e = eventsUpTo(source, 9500);
    ensureEvents(e, e.cutoff - 10); // the newest few, merged
    expect(e.offset).toBeGreaterThan(0);
    expect(source.events).toBeUndefined();
    ensureEvents(e, 0); // everything: sorted once, kept on the source
    expect(e.offset).toBe(0);
    expect(source.events).toBeDefined();
    const read = Array.from({ length: e.cutoff }, (_, i) => eventAt(e, i));
    expect(read).toEqual(expected(source, 9500));
  });
});
