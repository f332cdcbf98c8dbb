// Lanes prepared for drawing: typed arrays of times so that finding what is visible is a binary search.
import type { Cut, Timeline, TimelineLane } from '../../../../preload/schemas/groups';
import { LaneFlag } from '../../../../preload/schemas/lanes';

/** One lane ready for the canvas. */
export type DrawLane = {
  lane: TimelineLane;
  /** Point times (epoch ms), sorted: row i of the lane's columns. */
  at: Float64Array;
};

/** Everything the canvas draws. */
export type DrawModel = {
  lanes: DrawLane[];
  now: number;
  cuts: { cut: Cut; at: number; memberAt: number[] }[];
  /** Earliest and latest marks across lanes. */
  first: number;
  last: number;
};

/** The lanes ready for drawing, without the cuts (they arrive after the lanes). */
export type DrawLanes = Omit<DrawModel, 'cuts'>;

/** Prepare a timeline's lanes for drawing (measured, so the benchmark can split render from fetch). */
export function prepareLanes(timeline: Timeline): DrawLanes {
  const started = performance.now();
  let first = Infinity;
  let last = -Infinity;
  const lanes = timeline.lanes.map((lane) => {
    const at = Float64Array.from(lane.at);
    if (lane.first !== null) first = Math.min(first, lane.first);
    if (lane.last !== null) last = Math.max(last, lane.last);
    for (const w of lane.windows) {
      first = Math.min(first, w.start);
      last = Math.max(last, w.end);
    }
    return { lane, at };
  });
  if (!Number.isFinite(first)) {
    first = timeline.now - 7 * 86400e3;
    last = timeline.now;
  }
  last = Math.max(last, timeline.now);
  performance.measure('timeline-prepare', { start: started, end: performance.now() });
  return { lanes, now: timeline.now, first, last };
}

/** The lanes with their candidate cuts placed on them. */
export function withCuts(drawLanes: DrawLanes, cuts: Cut[]): DrawModel {
  const { lanes } = drawLanes;
  const laneOf = new Map(lanes.map((l, i) => [l.lane.service, i]));
  return {
    ...drawLanes,
    cuts: cuts.map((cut) => {
      const memberAt = new Array<number>(lanes.length).fill(NaN);
      for (const m of cut.members) {
        const i = laneOf.get(m.service);
        if (i !== undefined) memberAt[i] = Date.parse(m.time);
      }
      return { cut, at: Date.parse(cut.time), memberAt };
    }),
  };
}

/** A words-only description of one lane, for the list under the canvas. */
export function describeLane(lane: TimelineLane): string {
  const points = lane.count;
  let broken = 0;
  let unusable = 0;
  let mutable = 0;
  for (const f of lane.flags) {
    if (f & LaneFlag.brokenLink) broken++;
    if (!(f & LaneFlag.usable)) unusable++;
    if (!(f & LaneFlag.immutable)) mutable++;
  }
  const parts = [`${points} recovery point${points === 1 ? '' : 's'}`];
  if (lane.windows.length)
    parts.push(`${lane.windows.length} continuous window${lane.windows.length > 1 ? 's' : ''}`);
  if (broken)
    parts.push(`${broken} broken chain link${broken > 1 ? 's' : ''} (${unusable} points unusable)`);
  const gaps = lane.gaps.start.length;
  if (gaps) parts.push(`${gaps} gap${gaps > 1 ? 's' : ''} longer than the RPO`);
  if (mutable) parts.push(`${mutable} not immutable`);
  return parts.join(', ');
}

/** Rows of a lane whose own chain link is broken. */
export function brokenRows(lane: TimelineLane): number[] {
  const rows: number[] = [];
  lane.flags.forEach((f, i) => {
    if (f & LaneFlag.brokenLink) rows.push(i);
  });
  return rows;
}
