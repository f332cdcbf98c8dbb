// What a tired engineer needs to know about each member of a cut before restoring it: how much
// data it loses, whether it was ever test-restored, whether it is immutable, and whether its
// incremental chain is whole. Read from the timeline's lanes (which carry these as flags), so
// the banner needs no second call to main.
import type { Cut, Timeline, TimelineLane } from '../../../../preload/schemas/groups';
import { lanePoint, laneIds } from '../../../../preload/schemas/lanes';
import { spanWords } from '../../../../preload/schemas/incident-time';

/** One member of a cut, in facts. */
export type MemberFacts = {
  service: string;
  pointId: string | null;
  /** The instant this member comes back to (epoch ms). */
  at: number;
  /** Data written after `at` and before the reference instant, in ms; null without a reference. */
  lostMs: number | null;
  /** null when the lanes do not hold the point (the catalog moved on). */
  tested: boolean | null;
  immutable: boolean | null;
  lockedUntil: number | null;
  /** standalone: a full backup or snapshot; window: a continuous source met at this instant. */
  chain: 'complete' | 'broken' | 'standalone' | 'window' | null;
  /** Backup sets a restore of this point needs (itself and its ancestors), for a chain. */
  sets: number | null;
};

const rowsById = new WeakMap<TimelineLane, Map<string, number>>();
const parentOf = new WeakMap<TimelineLane, Map<number, number>>();

function rowOf(lane: TimelineLane, id: string): number {
  let rows = rowsById.get(lane);
  if (!rows) {
    rows = new Map(laneIds(lane).map((pointId, row) => [pointId, row]));
    rowsById.set(lane, rows);
  }
  return rows.get(id) ?? -1;
}

function parents(lane: TimelineLane): Map<number, number> {
  let map = parentOf.get(lane);
  if (!map) {
    map = new Map();
    lane.links.from.forEach((from, i) => map?.set(from, lane.links.to[i] ?? -1));
    parentOf.set(lane, map);
  }
  return map;
}

/** How many sets a restore of `row` reads: itself and each parent up to its full. */
function chainLength(lane: TimelineLane, row: number): number {
  const up = parents(lane);
  let sets = 1;
  let at = row;
  const seen = new Set<number>([row]);
  for (let next = up.get(at); next !== undefined && next >= 0 && !seen.has(next);) {
    seen.add(next);
    sets++;
    at = next;
    next = up.get(at);
  }
  return sets;
}

/**
 * The facts of each member of `cut`, data lost counted up to `referenceMs` (incident or now).
 * `drilled` says whether a completed drill with a VALID log restored a point (the drill history).
 */
export function cutFacts(
  cut: Cut,
  timeline: Timeline | null,
  referenceMs: number | null,
  drilled: (source: string, pointId: string) => boolean = () => false,
): MemberFacts[] {
  return cut.members.map((m) => {
    const at = Date.parse(m.time);
    const lostMs = referenceMs === null ? null : Math.max(0, referenceMs - at);
    const base = { service: m.service, pointId: m.pointId, at, lostMs };
    if (m.pointId === null) {
      return {
        ...base,
        tested: null,
        immutable: null,
        lockedUntil: null,
        chain: 'window',
        sets: null,
      };
    }
    const lane = timeline?.lanes.find((l) => l.service === m.service);
    const row = lane ? rowOf(lane, m.pointId) : -1;
    if (!lane || row < 0) {
      return { ...base, tested: null, immutable: null, lockedUntil: null, chain: null, sets: null };
    }
    const point = lanePoint(lane, row);
    const incremental = point.kind === 'incr' || point.kind === 'diff';
    return {
      ...base,
      tested: point.verified || drilled(m.source, m.pointId),
      immutable: point.immutable,
      lockedUntil: point.lockedUntil,
      chain: !incremental ? 'standalone' : point.usable ? 'complete' : 'broken',
      sets: incremental ? chainLength(lane, row) : 1,
    };
  });
}

/** The facts in words, one short phrase each, as the banner shows them. */
export function factWords(f: MemberFacts): {
  lost: string;
  tested: string;
  immutable: string;
  chain: string;
} {
  const lost =
    f.lostMs === null
      ? ''
      : f.lostMs < 60_000
        ? 'loses nothing'
        : `loses up to ${spanWords(f.lostMs)}`;
  const unknown = 'not in the catalog now';
  return {
    lost,
    tested:
      f.tested === null
        ? f.chain === 'window'
          ? ''
          : unknown
        : f.tested
          ? 'tested'
          : 'never tested',
    immutable: f.immutable === null ? '' : f.immutable ? 'immutable' : 'not immutable',
    chain:
      f.chain === 'window'
        ? 'continuous window'
        : f.chain === 'standalone'
          ? 'standalone set'
          : f.chain === 'complete'
            ? `chain complete: ${f.sets ?? '?'} sets`
            : f.chain === 'broken'
              ? 'chain broken'
              : '',
  };
}

/** "orders-db: loses up to 18 min" — the member's data loss in one line. */
export const lossLine = (f: MemberFacts): string =>
  `${f.service}: ${factWords(f).lost || 'data loss unknown'}`;
