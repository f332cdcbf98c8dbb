// Incremental chains: which points can really be restored. An incremental or differential needs
// its reference; when a link is missing or errored, everything that depends on it is unusable.
import type { RecoveryPoint } from '../../preload/schemas/catalog';

/** Tags a source uses to say a point failed or is incomplete (compared case-insensitively). */
const ERROR_TAGS = new Set([
  'error',
  'errored',
  'failed',
  'incomplete',
  'status:error',
  'status:errored',
  'status:failed',
  'status:incomplete',
]);

/** True when the source marked this point as failed or incomplete (tags such as `status:failed`). */
export function isErrored(point: RecoveryPoint): boolean {
  return point.tags.some((t) => ERROR_TAGS.has(t.toLowerCase()));
}

/** True for kinds that only restore on top of their reference (parent). */
export function needsParent(point: RecoveryPoint): boolean {
  return point.kind === 'incr' || point.kind === 'diff';
}

/** The chain state of one point, by index into the analysed array. */
export type ChainState = {
  /** Index of the parent in the same array, or -1 when it has none or it is missing. */
  parent: number;
  /** This point's own link is broken: its reference is missing, errored or absent. */
  brokenLink: boolean;
  /** Restorable: not errored, and every link down to a full is intact. */
  usable: boolean;
  /** Why it is unusable, in words, or null. */
  why: string | null;
};

/** Shared by every standalone, intact point; never mutated (only chain members are). */
export const INTACT: ChainState = Object.freeze({
  parent: -1,
  brokenLink: false,
  usable: true,
  why: null,
}) as ChainState;

/**
 * Analyse chains across points (any mix of services and sources). Parents are looked up by id
 * within the same source, because ids are only unique there. Cycles count as broken.
 */
export function analyseChains(points: readonly RecoveryPoint[]): ChainState[] {
  // One pass for the common case (snapshots, fulls): most catalogs have no incrementals at all.
  const n = points.length;
  const states = new Array<ChainState>(n);
  const chained: number[] = [];
  for (let i = 0; i < n; i++) {
    const p = points[i] as RecoveryPoint;
    if (needsParent(p)) {
      chained.push(i);
      continue;
    }
    // One shared state for the common case: a million snapshots need no million objects.
    states[i] =
      p.tags.length > 0 && isErrored(p)
        ? { parent: -1, brokenLink: false, usable: false, why: `${p.id} is marked failed` }
        : INTACT;
  }
  if (chained.length === 0) return states;
  const parentOf = parentFinder(points, chained);
  for (const i of chained) {
    const p = points[i] as RecoveryPoint;
    const errored = p.tags.length > 0 && isErrored(p);
    const parent = p.parent === null ? -1 : parentOf(p.source, p.parent);
    let brokenLink = false;
    let why: string | null = null;
    const ref = parent >= 0 ? points[parent] : undefined;
    if (p.parent === null) {
      brokenLink = true;
      why = `${p.kind === 'incr' ? 'incremental' : 'differential'} ${p.id} names no reference backup`;
    } else if (!ref) {
      brokenLink = true;
      why = `its reference ${p.parent} is missing`;
    } else if (ref.tags.length > 0 && isErrored(ref)) {
      brokenLink = true;
      why = `its reference ${p.parent} failed`;
    }
    if (errored) why = `${p.id} is marked failed`;
    states[i] = { parent, brokenLink, usable: !brokenLink && !errored, why };
  }
  propagate(states, chained);
  return states;
}

/**
 * Index of a point by (source, id), over the sources that have incrementals only. Nearly always
 * that is one source, which then needs no map of maps.
 */
function parentFinder(
  points: readonly RecoveryPoint[],
  chained: readonly number[],
): (source: string, id: string) => number {
  const sources = new Set<string>();
  for (const i of chained) sources.add((points[i] as RecoveryPoint).source);
  if (sources.size === 1) {
    const [only] = sources;
    const ids = new Map<string, number>();
    for (let i = 0; i < points.length; i++) {
      const p = points[i] as RecoveryPoint;
      if (p.source === only) ids.set(p.id, i);
    }
    return (source, id) => (source === only ? (ids.get(id) ?? -1) : -1);
  }
  const index = new Map<string, Map<string, number>>();
  for (const source of sources) index.set(source, new Map());
  points.forEach((p, i) => index.get(p.source)?.set(p.id, i));
  return (source, id) => index.get(source)?.get(id) ?? -1;
}

/**
 * Propagate down the chains without recursion: a child is usable only when its parent is. Only
 * chained points have parents, so only they start walks; one stack serves every walk.
 */
function propagate(states: ChainState[], chained: readonly number[]): void {
  const mark = new Uint8Array(states.length); // 0 = unknown, 1 = visiting, 2 = done
  const path = new Int32Array(chained.length + 1);
  for (const start of chained) {
    if (mark[start] === 2 || (states[start] as ChainState).parent < 0) continue;
    let depth = 0;
    let at = start;
    while (at >= 0 && mark[at] === 0) {
      mark[at] = 1;
      path[depth++] = at;
      at = (states[at] as ChainState).parent;
    }
    const cycle = at >= 0 && mark[at] === 1;
    // Walk back from the root.
    let parentUsable = at < 0 ? true : cycle ? false : (states[at] as ChainState).usable;
    let parentWhy =
      at >= 0 && !cycle ? (states[at] as ChainState).why : cycle ? 'its chain loops' : null;
    for (let k = depth - 1; k >= 0; k--) {
      const i = path[k] as number;
      const s = states[i] as ChainState;
      if (s.parent >= 0 && !parentUsable && s.usable) {
        s.usable = false;
        s.why = parentWhy ?? 'an earlier link of its chain is broken';
      }
      // In a loop every member's parent is on the path and still being visited.
      if (cycle && s.parent >= 0 && mark[s.parent] === 1 && s.usable) {
        s.usable = false;
        s.brokenLink = true;
        s.why = 'its chain loops';
      }
      parentUsable = s.usable;
      parentWhy = s.why;
    }
    for (let k = 0; k < depth; k++) mark[path[k] as number] = 2;
  }
}

/** How many points depend (directly or not) on each of `roots`: "the 4 points after it". */
export function countDependants(
  states: readonly ChainState[],
  roots: readonly number[],
): Map<number, number> {
  const children: number[][] = states.map(() => []);
  states.forEach((s, i) => {
    if (s.parent >= 0) (children[s.parent] as number[]).push(i);
  });
  const out = new Map<number, number>();
  for (const root of roots) {
    const seen = new Set<number>([root]);
    const stack = [...(children[root] ?? [])];
    while (stack.length > 0) {
      const i = stack.pop() as number;
      if (seen.has(i)) continue;
      seen.add(i);
      stack.push(...(children[i] ?? []));
    }
    out.set(root, seen.size - 1);
  }
  return out;
}
