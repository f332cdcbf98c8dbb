// The groups.timeline answer between calls. Lanes are exact on every call: what depends on
// now is kept per lane only while now stays between two of the lane's instants (timeline.ts,
// NowPart), and their frozen columns are checked and written as JSON once per catalog version.
// Candidate cuts are kept by a coarser rule, stated here.
import type { RecoveryPoint } from '../../preload/schemas/catalog';
import type { Cut } from '../../preload/schemas/groups';
import { candidateCuts } from './candidates';
import type { GroupSpec } from './cuts';
import { nextChange, type TimelineBase } from './timeline';

/**
 * The rule for cuts: an answer computed for `now` = t0 is served for calls at t with
 * t0 <= t < min(t0 + CUTS_FRESH_MS, the first instant after t0 at which any member's lane changes:
 * a point's time, a window's start or end, a lock's end). Between such instants the only cuts that
 * move are those inside open windows, which follow now: they are at most CUTS_FRESH_MS behind it.
 * A new catalog version (a refresh hands out a new points array) always gives a fresh answer.
 */
export const CUTS_FRESH_MS = 5_000;

type Kept = { now: number; until: number; cuts: Cut[] };
const keptCuts = new WeakMap<readonly RecoveryPoint[], WeakMap<GroupSpec, Map<number, Kept>>>();

/** Candidate cuts at `now` under the rule above (`base`: the group's lanes, for their instants). */
export function cutsOf(
  group: GroupSpec,
  points: readonly RecoveryPoint[],
  base: TimelineBase,
  now: number,
  limit: number,
): Cut[] {
  let byGroup = keptCuts.get(points);
  if (!byGroup) {
    byGroup = new WeakMap();
    keptCuts.set(points, byGroup);
  }
  let byLimit = byGroup.get(group);
  if (!byLimit) {
    byLimit = new Map();
    byGroup.set(group, byLimit);
  }
  const held = byLimit.get(limit);
  if (held && held.now <= now && now < held.until) return held.cuts;
  const cuts = candidateCuts(group, points, { now, limit });
  // The same list is handed out again: frozen, so no caller adds to it. (Not the cuts inside:
  // the contract check of frozen objects took six times as long.)
  Object.freeze(cuts);
  byLimit.set(limit, { now, until: Math.min(now + CUTS_FRESH_MS, nextChange(base, now)), cuts });
  return cuts;
}
