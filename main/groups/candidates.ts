// The questions an engineer asks of a group: which cuts exist (newest first), and what is the
// last good state before the incident.
import type { RecoveryPoint } from '../../preload/schemas/catalog';
import type { Cut, CutMember } from '../../preload/schemas/groups';
import { UserError } from '../ground/errors';
import {
  assemble,
  cutAt,
  NewestFirst,
  prepareGroup,
  whyImpossible,
  type GroupSpec,
  type PreparedGroup,
} from './cuts';
import { pickAt, type MemberHistory } from './history';
import { formatDuration, formatInstant, isoOf } from './time';

/** Options for candidate cuts. Times are epoch ms, Date or ISO text. */
export type CutOptions = {
  /** The present: points after it are treated as clock skew; open windows end here. */
  now: number | Date | string;
  /** Only cuts strictly before this instant (e.g. when the incident began). */
  before?: number | Date | string | undefined;
  /** How many cuts to return (default 20). */
  limit?: number | undefined;
  /** Return only consistent cuts. */
  consistentOnly?: boolean | undefined;
};

/** Epoch ms of a number, Date or ISO string; NaN when it is none of those. */
export function toMs(value: number | Date | string): number {
  if (typeof value === 'number') return value;
  if (value instanceof Date) return value.getTime();
  return /(Z|[+-]\d\d:?\d\d)$/i.test(value) ? Date.parse(value) : NaN;
}

/** Epoch ms of an instant the caller must give; a UserError sentence when it is not one. */
export function requireMs(value: number | Date | string, what: string): number {
  const ms = toMs(value);
  if (!Number.isFinite(ms)) {
    const shown = typeof value === 'string' ? JSON.stringify(value.slice(0, 60)) : String(value);
    throw new UserError(
      'BAD_TIME',
      `The ${what} ${shown} is not a valid instant.`,
      'Give an ISO 8601 time with an offset, e.g. 2026-11-26T02:14:00Z.',
    );
  }
  return ms;
}

/** The newest instant a cut may have: now, or just before `before` (1 ms, the ISO resolution). */
function boundOf(now: number, before: number | undefined): number {
  return before === undefined ? now : Math.min(now, before - 1);
}

// Prepared histories per catalog array and group. Cuts never look past their bound (<= now),
// so histories prepared without a "now" serve every query; the catalog's arrays are immutable.
const prepared = new WeakMap<readonly RecoveryPoint[], WeakMap<GroupSpec, PreparedGroup>>();

/**
 * The group's prepared histories for this catalog array, built once and reused by later
 * queries (the timeline asks again on every zoom or incident-marker move).
 */
export function preparedGroup(group: GroupSpec, points: readonly RecoveryPoint[]): PreparedGroup {
  let byGroup = prepared.get(points);
  if (!byGroup) {
    byGroup = new WeakMap();
    prepared.set(points, byGroup);
  }
  const key = {
    name: group.name,
    members: group.members.join('\u0000'),
    tol: group.toleranceSeconds,
    order: group.order.join('\u0000'),
  };
  const held = byGroup.get(group);
  // A group object edited in place (not the case for a loaded workspace) is prepared again.
  if (held && sameSpec(held.group, key)) return held;
  const fresh = prepareGroup(
    { ...group, members: [...group.members], order: [...group.order] },
    points,
    Infinity,
  );
  byGroup.set(group, fresh);
  return fresh;
}

function sameSpec(
  g: GroupSpec,
  key: { name: string; members: string; tol: number; order: string },
): boolean {
  return (
    g.name === key.name &&
    g.toleranceSeconds === key.tol &&
    g.members.join('\u0000') === key.members &&
    g.order.join('\u0000') === key.order
  );
}

/** A snapshot cut found but not yet built: its id and instant. */
type SnapshotRef = { id: string; t: number };

/**
 * Cuts taken together by construction: every member holds a usable point tagged with the same
 * `snapshot:<id>` (a continuous member may instead meet that instant inside a window).
 * Newest first, none after `bound`. Only ids and instants: the walk builds the few it yields.
 */
export function snapshotRefs(pg: PreparedGroup, bound: number): SnapshotRef[] {
  // A member without windows must carry the tag itself: its ids are the only candidates.
  const strict = pg.histories.filter((h) => h.windows.length === 0);
  const seed =
    strict.length > 0
      ? strict.reduce((a, b) => (a.snapshots.size <= b.snapshots.size ? a : b))
      : null;
  const ids = new Set<string>();
  if (seed) for (const id of seed.snapshots.keys()) ids.add(id);
  else for (const h of pg.histories) for (const id of h.snapshots.keys()) ids.add(id);
  const refs: SnapshotRef[] = [];
  for (const id of ids) {
    let t = -Infinity;
    for (const h of pg.histories) {
      const i = h.snapshots.get(id);
      if (i !== undefined) t = Math.max(t, h.times[i] as number);
    }
    if (t > bound || t === -Infinity) continue;
    const complete = pg.histories.every((h) => {
      if (h.snapshots.has(id)) return true;
      const pick = pickAt(h, t);
      return pick.kind === 'window' && pick.exact;
    });
    if (complete) refs.push({ id, t });
  }
  return refs.sort((a, b) => b.t - a.t);
}

/** Build the snapshot cut of a ref. */
function snapshotCut(pg: PreparedGroup, ref: SnapshotRef): Cut {
  const chosen = pg.histories.map(
    (h) => snapshotMember(h, ref.id, ref.t) as CutMember & { at: number; exact: boolean },
  );
  return assemble(pg, chosen, ref.id);
}

function snapshotMember(
  h: MemberHistory,
  id: string,
  t: number,
): (CutMember & { at: number; exact: boolean }) | null {
  const i = h.snapshots.get(id);
  if (i !== undefined) {
    const p = h.points[i] as RecoveryPoint;
    const at = h.times[i] as number;
    return {
      service: h.service,
      pointId: p.id,
      windowId: null,
      source: p.source,
      time: isoOf(at),
      lagSeconds: 0,
      at,
      exact: false,
    };
  }
  const pick = pickAt(h, t);
  if (pick.kind !== 'window' || !pick.exact) return null;
  const w = h.windows[pick.index] as RecoveryPoint;
  return {
    service: h.service,
    pointId: null,
    windowId: w.id,
    source: w.source,
    time: isoOf(t),
    lagSeconds: 0,
    at: t,
    exact: true,
  };
}

const sameChoice = (a: Cut, b: Cut): boolean =>
  a.time === b.time &&
  a.members.every((m, i) => m.pointId === b.members[i]?.pointId && m.time === b.members[i]?.time);

type Walk = { sweep: NewestFirst; snaps: SnapshotRef[] };

/**
 * Walk the sweep newest first, yielding cuts; snapshot cuts are merged in by time. With
 * `consistentOnly`, inconsistent sweep entries are skipped before any object is built.
 */
function* newestFirst(pg: PreparedGroup, walk: Walk, consistentOnly: boolean): Generator<Cut> {
  const { sweep, snaps } = walk;
  let s = 0;
  let lastSnap: Cut | null = null;
  for (let k = 0, slice = sweep.slice(0); slice !== null; slice = sweep.slice(++k)) {
    for (let i = slice.count - 1; i >= 0; i--) {
      const t = slice.times[i] as number;
      while (s < snaps.length && (snaps[s] as SnapshotRef).t >= t) {
        lastSnap = snapshotCut(pg, snaps[s++] as SnapshotRef);
        yield lastSnap;
      }
      if (consistentOnly && (slice.skews[i] as number) > pg.toleranceMs) continue;
      const cut = cutAt(pg, t);
      if (cut === null) continue;
      // A snapshot cut with the very same points already said it (and why it is consistent).
      if (lastSnap !== null && sameChoice(lastSnap, cut)) continue;
      yield cut;
    }
  }
  while (s < snaps.length) yield snapshotCut(pg, snaps[s++] as SnapshotRef);
}

const walkOf = (pg: PreparedGroup, bound: number): Walk => ({
  sweep: new NewestFirst(pg, bound),
  snaps: snapshotRefs(pg, bound),
});

/** Candidate cuts of a group, newest first, each consistent or not with the reason in words. */
export function candidateCuts(
  group: GroupSpec,
  points: readonly RecoveryPoint[],
  options: CutOptions,
): Cut[] {
  const now = requireMs(options.now, 'current time');
  const before =
    options.before === undefined ? undefined : requireMs(options.before, '"before" time');
  const limit = Math.max(0, Math.floor(options.limit ?? 20));
  const pg = preparedGroup(group, points);
  const out: Cut[] = [];
  if (limit === 0) return out;
  const consistentOnly = options.consistentOnly === true;
  for (const cut of newestFirst(pg, walkOf(pg, boundOf(now, before)), consistentOnly)) {
    out.push(cut);
    if (out.length >= limit) break;
  }
  return out;
}

/** The answer to "what is the last good state before the incident". */
export type BestCut = {
  /** The newest consistent cut strictly before the instant, or null. */
  cut: Cut | null;
  /** The newest possible cut before the instant, consistent or not (null when none is possible). */
  newest: Cut | null;
  /** One sentence for the engineer. */
  reason: string;
};

/**
 * The newest consistent cut strictly before `instant` ("the last good state before the incident
 * at 02:14"). `now` defaults to the instant: later points play no part either way.
 */
export function bestCutBefore(
  group: GroupSpec,
  points: readonly RecoveryPoint[],
  instant: number | Date | string,
  options: { now?: number | Date | string } = {},
): BestCut {
  const at = requireMs(instant, 'incident time');
  const now = options.now === undefined ? at : requireMs(options.now, 'current time');
  const pg = preparedGroup(group, points);
  const bound = boundOf(now, at);
  const label = formatInstant(at);
  const walk = walkOf(pg, bound);
  const newest = first(newestFirst(pg, walk, false));
  const cut = newest === null || newest.consistent ? newest : first(newestFirst(pg, walk, true));
  if (cut !== null && cut === newest) {
    return { cut, newest, reason: `the newest state before ${label} is consistent: ${cut.reason}` };
  }
  if (cut !== null && newest !== null) {
    const earlier = formatDuration(Date.parse(newest.time) - Date.parse(cut.time));
    return {
      cut,
      newest,
      reason:
        `the newest state before ${label} is not consistent (${newest.reason}); ` +
        `the newest consistent cut is ${earlier} earlier, at ${formatInstant(Date.parse(cut.time))}`,
    };
  }
  if (newest !== null)
    return { cut: null, newest, reason: `no consistent cut before ${label}: ${newest.reason}` };
  const why = whyImpossible(pg, bound, `before ${label}`) ?? 'no member has a usable point';
  return { cut: null, newest: null, reason: `no cut is possible before ${label}: ${why}` };
}

function first<T>(it: Iterator<T>): T | null {
  const r = it.next();
  return r.done === true ? null : r.value;
}
