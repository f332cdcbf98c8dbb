// One service's points prepared once: times parsed, chains analysed, rows sorted by time (ties
// by id), and the columns the timeline sends. The timeline lanes and the cut histories both read
// this, and it is kept per catalog points array (the catalog hands out a new array on every
// refresh, so the array is the catalog's version): parsing and sorting happen once per version.
import { PointKind, type RecoveryPoint } from '../../preload/schemas/catalog';
import { LaneFlag, type TimelineLane } from '../../preload/schemas/groups';
import { escapeId, ID_SEPARATOR } from '../../preload/schemas/lanes';
import { analyseChains, INTACT, needsParent, type ChainState } from './chains';
import { sortRowsByTimeThenId } from './sort-rows';
import { parseInstant } from './time';

/** A window as prepared: `end` is +Infinity while open (it reaches `now`). */
export type PreparedWindow = {
  point: RecoveryPoint;
  id: string;
  source: string;
  start: number;
  end: number;
  usable: boolean;
};

/** The columns of a lane that do not depend on `now`. */
export type LaneColumns = Pick<
  TimelineLane,
  | 'count'
  | 'strings'
  | 'ids'
  | 'at'
  | 'kind'
  | 'source'
  | 'copies'
  | 'locks'
  | 'snapshots'
  | 'links'
>;

/** One service's points, prepared without `now`. */
export type LaneBase = {
  service: string;
  /** The service's points in catalog order, their times (NaN: not an instant) and chains. */
  points: readonly RecoveryPoint[];
  t: Float64Array;
  chains: readonly ChainState[];
  /** Indices into `points` of the discrete points with a valid time, sorted by time then id. */
  rows: Int32Array;
  /** Windows with a valid start, sorted by start. */
  windows: PreparedWindow[];
  /** Times of the usable rows, sorted. */
  usableAt: Float64Array;
  /** Points that cannot be restored (broken chain, failed, no valid time), in catalog order. */
  unusable: RecoveryPoint[];
  /** Rows tagged with a logical snapshot id, in row order. */
  snapshots: { row: number; id: string }[];
  /** What the timeline sends, built on first use (the cuts never need it). */
  view?: LaneView;
};

/** A lane's rows as the timeline sends them. */
export type LaneView = {
  columns: LaneColumns;
  /** brokenLink, usable and verified bits per row (immutable and future depend on now). */
  baseFlags: Uint8Array;
  /** When each row's lock ends: -Infinity unlocked, +Infinity held, else epoch ms. */
  lockEnd: Float64Array;
};

/** The prefix of a tag that names a logical snapshot shared across services. */
export const SNAPSHOT_TAG = 'snapshot:';

/** The logical snapshot id of a point (`snapshot:<id>` tag), or null. */
export function snapshotIdOf(point: RecoveryPoint): string | null {
  const tag = point.tags.find((t) => t.startsWith(SNAPSHOT_TAG) && t.length > SNAPSHOT_TAG.length);
  return tag === undefined ? null : tag.slice(SNAPSHOT_TAG.length);
}

const KIND_CODE = new Map<string, number>(PointKind.options.map((k, i) => [k, i]));

/** What the catalog pass already read of each point: its time and a few bits. */
export type PointFacts = { t: Float64Array; bits: Uint8Array };
const WINDOW = 1;
const CHAINED = 2;
const TAGGED = 4;

/** The facts of one point (the one read of its fields that preparing a lane needs). */
function readPoint(p: RecoveryPoint, facts: PointFacts, i: number): void {
  facts.t[i] = parseInstant(p.time);
  const kind = p.kind;
  facts.bits[i] =
    (kind === 'window' ? WINDOW : kind === 'incr' || kind === 'diff' ? CHAINED : 0) |
    (p.tags.length > 0 ? TAGGED : 0);
}

function factsOf(points: readonly RecoveryPoint[]): PointFacts {
  const facts = { t: new Float64Array(points.length), bits: new Uint8Array(points.length) };
  points.forEach((p, i) => readPoint(p, facts, i));
  return facts;
}

/**
 * Chains of a lane: without incrementals only tagged points can be failed, so the common
 * snapshot lane shares one intact state and never looks at the other points again.
 */
function chainsOf(points: readonly RecoveryPoint[], bits: Uint8Array): ChainState[] {
  let chained = false;
  for (const b of bits) if (b & CHAINED) chained = true;
  if (chained) return analyseChains(points);
  const states = new Array<ChainState>(points.length).fill(INTACT);
  bits.forEach((b, i) => {
    if (b & TAGGED) states[i] = analyseChains([points[i] as RecoveryPoint])[0] as ChainState;
  });
  return states;
}

/** Prepare one service's points (any order, any sources). */
export function prepareLane(
  service: string,
  points: readonly RecoveryPoint[],
  chainStates?: readonly ChainState[],
  known?: PointFacts,
): LaneBase {
  const n = points.length;
  const { t, bits } = known ?? factsOf(points);
  const chains = chainStates ?? chainsOf(points, bits);
  const order = new Int32Array(n);
  let count = 0;
  const windows: PreparedWindow[] = [];
  const unusable: RecoveryPoint[] = [];
  for (let i = 0; i < n; i++) {
    const start = t[i] as number;
    const usable = (chains[i] as ChainState).usable;
    if (Number.isNaN(start) || !usable) unusable.push(points[i] as RecoveryPoint);
    if (Number.isNaN(start)) continue; // nothing to draw; the catalog reports the bad record
    if (!((bits[i] as number) & WINDOW)) {
      order[count++] = i;
      continue;
    }
    const p = points[i] as RecoveryPoint;
    const end = p.endTime === null ? Infinity : parseInstant(p.endTime);
    windows.push({
      point: p,
      id: p.id,
      source: p.source,
      start,
      end: Number.isNaN(end) ? start : Math.max(start, end),
      usable,
    });
  }
  const rows = order.subarray(0, count);
  sortRowsByTimeThenId(rows, t, points);
  windows.sort((a, b) => a.start - b.start);
  const usableAt: number[] = [];
  const snapshots: { row: number; id: string }[] = [];
  for (let k = 0; k < count; k++) {
    const i = rows[k] as number;
    if ((chains[i] as ChainState).usable) usableAt.push(t[i] as number);
    if ((bits[i] as number) & TAGGED) {
      const id = snapshotIdOf(points[i] as RecoveryPoint);
      if (id !== null) snapshots.push({ row: k, id });
    }
  }
  return {
    service,
    points,
    t,
    chains,
    rows,
    windows,
    usableAt: Float64Array.from(usableAt),
    unusable,
    snapshots,
  };
}

/** The lane's rows as columns for the timeline, built once per lane. */
export function laneView(lane: LaneBase): LaneView {
  lane.view ??= buildView(lane);
  return lane.view;
}

function buildView(lane: LaneBase): LaneView {
  const { points, t, chains, rows } = lane;
  const count = rows.length;
  const rowOf = new Int32Array(points.length).fill(-1);
  for (let k = 0; k < count; k++) rowOf[rows[k] as number] = k;
  const strings: string[] = [];
  const interned = new Map<string, number>();
  const intern = (text: string): number => {
    let at = interned.get(text);
    if (at === undefined) {
      at = strings.length;
      strings.push(text);
      interned.set(text, at);
    }
    return at;
  };
  const id = new Array<string>(count);
  const at = new Array<number>(count);
  const kind = new Array<number>(count);
  const source = new Array<number>(count);
  const copies = new Array<number>(count);
  const locks = { row: [] as number[], until: [] as number[] };
  const snapshots = { row: [] as number[], id: [] as number[] };
  const baseFlags = new Uint8Array(count);
  const lockEnd = new Float64Array(count);
  const links = { from: [] as number[], to: [] as number[], broken: [] as number[] };
  let lastSource: string | null = null;
  let lastSourceAt = -1;
  for (let k = 0; k < count; k++) {
    const i = rows[k] as number;
    const p = points[i] as RecoveryPoint;
    const s = chains[i] as ChainState;
    id[k] = escapeId(p.id);
    at[k] = t[i] as number;
    kind[k] = KIND_CODE.get(p.kind) ?? 0;
    if (p.source !== lastSource) {
      lastSource = p.source;
      lastSourceAt = intern(p.source);
    }
    source[k] = lastSourceAt;
    copies[k] = p.copies.length;
    const lock = p.immutable;
    const retain =
      lock === null || lock.retainUntil === null ? NaN : parseInstant(lock.retainUntil);
    if (!Number.isNaN(retain)) {
      locks.row.push(k);
      locks.until.push(retain);
    }
    lockEnd[k] =
      lock === null
        ? -Infinity
        : lock.legalHold || lock.retainUntil === null
          ? Infinity
          : Number.isNaN(retain)
            ? -Infinity
            : retain;
    const snap = p.tags.length > 0 ? snapshotIdOf(p) : null;
    if (snap !== null) {
      snapshots.row.push(k);
      snapshots.id.push(intern(snap));
    }
    baseFlags[k] =
      (s.brokenLink ? LaneFlag.brokenLink : 0) |
      (s.usable ? LaneFlag.usable : 0) |
      (p.lastVerified !== null ? LaneFlag.verified : 0);
    if (needsParent(p)) {
      const to = s.parent >= 0 ? (rowOf[s.parent] as number) : -1;
      const parentUsable = s.parent >= 0 && (chains[s.parent] as ChainState).usable;
      links.from.push(k);
      links.to.push(to);
      links.broken.push(s.brokenLink || !parentUsable ? 1 : 0);
    }
  }
  // Frozen: kept for the catalog version and sent on every call, so the contract check and the
  // transport's JSON of each column are done once (preload/schemas/groups.ts, main/bridge/json.ts).
  // One string for all ids: the page parses one string much faster than 100,000 (see lanes.ts).
  const ids = id.join(ID_SEPARATOR);
  const columns = { count, strings, ids, at, kind, source, copies, locks, snapshots, links };
  for (const column of [strings, at, kind, source, copies]) Object.freeze(column);
  for (const part of [locks, snapshots, links]) {
    for (const column of Object.values(part)) Object.freeze(column);
    Object.freeze(part);
  }
  return { columns, baseFlags, lockEnd };
}

type Member = { points: RecoveryPoint[]; facts: PointFacts };
type Catalogued = { byService: Map<string, Member>; lanes: Map<string, LaneBase> };
const kept = new WeakMap<readonly RecoveryPoint[], Catalogued>();

// One pass over the catalog reads each point once (service, time, kind, tags) into typed arrays:
// on a large catalog every pass over the point objects costs about as much as the parsing
// itself, and growing a list per service cost more than both. Members are gathered after.
function cataloguedOf(points: readonly RecoveryPoint[]): Catalogued {
  let held = kept.get(points);
  if (held) return held;
  const n = points.length;
  const all: PointFacts = { t: new Float64Array(n), bits: new Uint8Array(n) };
  const memberOf = new Int32Array(n);
  const names: string[] = [];
  const index = new Map<string, number>();
  // Catalogs come grouped by source: remember the last service to skip most map lookups.
  let lastName: string | null = null;
  let last = -1;
  for (let i = 0; i < n; i++) {
    const p = points[i] as RecoveryPoint;
    if (p.service !== lastName) {
      lastName = p.service;
      let m = index.get(lastName);
      if (m === undefined) {
        m = names.length;
        names.push(lastName);
        index.set(lastName, m);
      }
      last = m;
    }
    memberOf[i] = last;
    readPoint(p, all, i);
  }
  const counts = new Int32Array(names.length);
  for (let i = 0; i < n; i++) {
    const m = memberOf[i] as number;
    counts[m] = (counts[m] as number) + 1;
  }
  const members: Member[] = names.map((_, m) => {
    const size = counts[m] as number;
    return {
      points: new Array<RecoveryPoint>(size),
      facts: { t: new Float64Array(size), bits: new Uint8Array(size) },
    };
  });
  const filled = new Int32Array(names.length);
  for (let i = 0; i < n; i++) {
    const m = memberOf[i] as number;
    const member = members[m] as Member;
    const k = filled[m] as number;
    filled[m] = k + 1;
    member.points[k] = points[i] as RecoveryPoint;
    member.facts.t[k] = all.t[i] as number;
    member.facts.bits[k] = all.bits[i] as number;
  }
  held = {
    byService: new Map(names.map((name, m) => [name, members[m] as Member])),
    lanes: new Map(),
  };
  kept.set(points, held);
  return held;
}

/**
 * The prepared lane of `service` in this catalog points array, built on first use and kept
 * while the array lives. The catalog's arrays are never changed in place.
 */
export function laneOf(points: readonly RecoveryPoint[], service: string): LaneBase {
  const held = cataloguedOf(points);
  let lane = held.lanes.get(service);
  if (!lane) {
    const member = held.byService.get(service);
    lane = member
      ? prepareLane(service, member.points, undefined, member.facts)
      : prepareLane(service, []);
    held.lanes.set(service, lane);
  }
  return lane;
}

/** The services this catalog points array names, in first-seen order. */
export const servicesIn = (points: readonly RecoveryPoint[]): string[] => [
  ...cataloguedOf(points).byService.keys(),
];

/** The points of `service` in this catalog points array, in catalog order. */
export const pointsOf = (points: readonly RecoveryPoint[], service: string): RecoveryPoint[] =>
  cataloguedOf(points).byService.get(service)?.points ?? [];
