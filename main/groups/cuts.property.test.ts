// Property tests: the sweep agrees with a brute-force oracle that tries every second.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { RecoveryPoint } from '../../preload/schemas/catalog';
import { bestCutBefore, candidateCuts, preparedGroup } from './candidates';
import { NewestFirst, sweepCuts } from './cuts';
import { point, window } from './test-points';

const NOW_S = 700;
const iso = (s: number): string => new Date(s * 1000).toISOString();

type MemberSpec = { points: number[]; window: { start: number; end: number | null } | null };

const member: fc.Arbitrary<MemberSpec> = fc.record({
  // Up to 800 s so that some points are dated after "now" (700 s): clock skew.
  points: fc.array(fc.integer({ min: 0, max: 800 }), { maxLength: 6 }),
  window: fc.option(
    fc.record({
      start: fc.integer({ min: 0, max: 650 }),
      end: fc.option(fc.integer({ min: 0, max: 700 }), { nil: null }),
    }),
    { nil: null },
  ),
});

const scenario = fc.record({
  members: fc.array(member, { minLength: 1, maxLength: 4 }),
  toleranceSeconds: fc.integer({ min: 0, max: 120 }),
  instant: fc.integer({ min: 1, max: 720 }),
});

function build(members: MemberSpec[]): RecoveryPoint[] {
  return members.flatMap((m, i) => [
    ...m.points.map((t, k) => point(`s${i}`, `p${i}-${k}`, iso(t))),
    ...(m.window
      ? [
          window(
            `s${i}`,
            `w${i}`,
            iso(m.window.start),
            m.window.end === null ? null : iso(m.window.end),
          ),
        ]
      : []),
  ]);
}

/** The oracle: each member's time at T (ms), by scanning everything; null when impossible. */
function naiveTimes(members: MemberSpec[], t: number, now: number): number[] | null {
  const out: number[] = [];
  for (const m of members) {
    let v = -Infinity;
    for (const p of m.points) if (p * 1000 <= t && p * 1000 <= now) v = Math.max(v, p * 1000);
    if (m.window && m.window.start * 1000 <= Math.min(t, now)) {
      const s = m.window.start * 1000;
      const end = Math.min(Math.max(m.window.end === null ? now : m.window.end * 1000, s), now);
      v = Math.max(v, end >= t ? t : end);
    }
    if (v === -Infinity) return null;
    out.push(v);
  }
  return out;
}

const spread = (xs: number[]): number => Math.max(...xs) - Math.min(...xs);

describe('cut properties', () => {
  it('every cut reported consistent has its skew within tolerance, and matches the oracle', () => {
    fc.assert(
      fc.property(scenario, ({ members, toleranceSeconds, instant }) => {
        const group = {
          name: 'g',
          members: members.map((_, i) => `s${i}`),
          toleranceSeconds,
          order: [],
        };
        const now = NOW_S * 1000;
        const cuts = candidateCuts(group, build(members), {
          now,
          before: instant * 1000,
          limit: 10_000,
        });
        let previous = Infinity;
        for (const cut of cuts) {
          const t = Date.parse(cut.time);
          expect(t).toBeLessThan(previous); // strictly newest first, no duplicates
          expect(t).toBeLessThan(instant * 1000);
          previous = t;
          const times = cut.members.map((m) => Date.parse(m.time));
          expect(cut.skewSeconds).toBe(spread(times) / 1000);
          if (cut.consistent) expect(cut.skewSeconds).toBeLessThanOrEqual(toleranceSeconds);
          else expect(cut.skewSeconds).toBeGreaterThan(toleranceSeconds);
          expect(times).toEqual(naiveTimes(members, t, now));
        }
      }),
      { numRuns: 400 },
    );
  });

  it('lists every state the members can be restored to together, where no window tracks the instant', () => {
    fc.assert(
      fc.property(scenario, ({ members, toleranceSeconds, instant }) => {
        const group = {
          name: 'g',
          members: members.map((_, i) => `s${i}`),
          toleranceSeconds,
          order: [],
        };
        const now = NOW_S * 1000;
        const listed = new Set(
          candidateCuts(group, build(members), { now, before: instant * 1000, limit: 10_000 }).map(
            (c) => c.members.map((m) => Date.parse(m.time)).join(','),
          ),
        );
        for (let s = 0; s < Math.min(instant, NOW_S); s++) {
          const times = naiveTimes(members, s * 1000, now);
          // A member inside its window at T meets T itself: those states are endless, not listed.
          if (
            times === null ||
            times.some((v, i) => v === s * 1000 && !members[i]?.points.includes(s))
          )
            continue;
          expect(listed, `state at ${s} s`).toContain(times.join(','));
        }
      }),
      { numRuns: 400 },
    );
  });

  it('no newer consistent cut exists before the instant than bestCutBefore finds', () => {
    fc.assert(
      fc.property(scenario, ({ members, toleranceSeconds, instant }) => {
        const group = {
          name: 'g',
          members: members.map((_, i) => `s${i}`),
          toleranceSeconds,
          order: [],
        };
        const now = NOW_S * 1000;
        const best = bestCutBefore(group, build(members), instant * 1000, { now });
        // Brute force: every whole second before the instant, and the last millisecond before it.
        let oracle: number | null = null;
        const tries = [...Array.from({ length: instant }, (_, s) => s * 1000), instant * 1000 - 1];
        for (const t of tries) {
          const times = naiveTimes(members, t, now);
          if (times === null || spread(times) > toleranceSeconds * 1000) continue;
          oracle = Math.max(oracle ?? -Infinity, Math.max(...times));
        }
        expect(best.cut === null ? null : Date.parse(best.cut.time)).toBe(oracle);
      }),
      { numRuns: 400 },
    );
  });

  it('never chooses a point whose chain is broken, and only those', () => {
    // One pgBackRest-like member: each point is a full, or an incr on the previous id; some ids
    // are dropped from the catalog (missing middles) and some are marked failed.
    const chain = fc.array(
      fc.record({ full: fc.boolean(), dropped: fc.boolean(), failed: fc.boolean() }),
      { minLength: 1, maxLength: 12 },
    );
    fc.assert(
      fc.property(chain, (specs) => {
        const points = specs.flatMap((sp, k) =>
          sp.dropped
            ? []
            : [
                point('db', `b${k}`, iso(k * 60), {
                  source: 'pg',
                  kind: sp.full || k === 0 ? 'full' : 'incr',
                  parent: sp.full || k === 0 ? null : `b${k - 1}`,
                  tags: sp.failed ? ['status:failed'] : [],
                }),
              ],
        );
        // Oracle: usable when present, not failed, and (a full, or its parent is usable).
        const usable = (k: number): boolean => {
          const sp = specs[k];
          if (!sp || sp.dropped || sp.failed) return false;
          return sp.full || k === 0 || usable(k - 1);
        };
        const group = { name: 'g', members: ['db'], toleranceSeconds: 0, order: [] };
        const cuts = candidateCuts(group, points, { now: 10_000_000, limit: 1000 });
        const chosen = cuts.map((c) => c.members[0]?.pointId);
        const expected = specs
          .map((_, k) => k)
          .filter(usable)
          .reverse()
          .map((k) => `b${k}`);
        expect(chosen).toEqual(expected);
      }),
      { numRuns: 300 },
    );
  });

  it('the sweep read newest first in slices is exactly the tail of the whole sweep', () => {
    fc.assert(
      fc.property(
        scenario,
        fc.integer({ min: 1, max: 5 }),
        ({ members, toleranceSeconds, instant }, size) => {
          const group = {
            name: 'g',
            members: members.map((_, i) => `s${i}`),
            toleranceSeconds,
            order: [],
          };
          const pg = preparedGroup(group, build(members));
          const bound = Math.min(NOW_S, instant) * 1000;
          const whole = sweepCuts(pg, bound);
          const expected = Array.from(whole.times.subarray(0, whole.count), (t, i) => [
            t,
            whole.skews[i],
          ]);
          const reader = new NewestFirst(pg, bound, size);
          const got: (number | undefined)[][] = [];
          for (let k = 0, s = reader.slice(0); s !== null; s = reader.slice(++k)) {
            const part = Array.from(s.times.subarray(0, s.count), (t, i) => [t, s.skews[i]]);
            got.unshift(...part);
          }
          expect(got).toEqual(expected);
        },
      ),
      { numRuns: 400 },
    );
  });
});
