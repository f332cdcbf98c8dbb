// Incremental chains: which points a point needs to be restored, and which chains are broken.
import type { PointKind, RecoveryPoint } from '../../../../preload/schemas/catalog';

/** The lookup key of a point: ids are unique within their source only. */
export const pointKey = (source: string, id: string): string => `${source}\u0000${id}`;

/** One link of a chain: a point found in the catalog, or a parent that is missing. */
export type ChainLink = {
  id: string;
  kind: PointKind | null;
  time: string | null;
  /** The catalog has no point with this id: the chain is broken here. */
  missing: boolean;
};

/** A point's chain, newest first: the point, its parent, ... down to a full (or a break). */
export type Chain = {
  links: ChainLink[];
  /** A link is missing: this point cannot be restored from these backups. */
  broken: boolean;
  /** The walk met a point twice (a damaged catalog). */
  cycle: boolean;
};

/** Point indices by source then id (nested maps: no key strings to build for 100,000 points). */
export type PointLookup = {
  bySource: Map<string, Map<string, number>>;
  /** By service then id, built on first use: for parents recorded by another source of the service. */
  byService: Map<string, Map<string, number>> | null;
};

function add(map: Map<string, Map<string, number>>, outer: string, id: string, at: number): void {
  let inner = map.get(outer);
  if (!inner) map.set(outer, (inner = new Map()));
  if (!inner.has(id)) inner.set(id, at);
}

/** Build the lookup once per catalog (O(n)); only sources with chains need one. */
export function buildLookup(points: readonly RecoveryPoint[]): PointLookup {
  // Snapshot sources (restic, borg, most manifests) have no parents: indexing their ids is waste.
  const chained = new Set<string>();
  for (let i = 0; i < points.length; i++) {
    const p = points[i] as RecoveryPoint;
    if (p.parent !== null) chained.add(p.source);
  }
  const bySource = new Map<string, Map<string, number>>();
  for (let i = 0; i < points.length; i++) {
    const p = points[i] as RecoveryPoint;
    if (chained.has(p.source)) add(bySource, p.source, p.id, i);
  }
  return { bySource, byService: null };
}

function parentIndex(
  points: readonly RecoveryPoint[],
  lookup: PointLookup,
  child: RecoveryPoint,
): number | undefined {
  if (child.parent === null) return undefined;
  const same = lookup.bySource.get(child.source)?.get(child.parent);
  if (same !== undefined) return same;
  if (!lookup.byService) {
    // Built once, on the first parent not found in its own source: maybe another source of the
    // same service recorded it (only services that have chains are indexed).
    const services = new Set<string>();
    for (const p of points) if (p.parent !== null) services.add(p.service);
    lookup.byService = new Map();
    for (let i = 0; i < points.length; i++) {
      const p = points[i] as RecoveryPoint;
      if (services.has(p.service)) add(lookup.byService, p.service, p.id, i);
    }
  }
  return lookup.byService.get(child.service)?.get(child.parent);
}

/** Walk from a point to the start of its chain (at most `limit` links, to stay bounded). */
export function chainOf(
  points: readonly RecoveryPoint[],
  lookup: PointLookup,
  start: RecoveryPoint,
  limit = 500,
): Chain {
  const links: ChainLink[] = [{ id: start.id, kind: start.kind, time: start.time, missing: false }];
  const seen = new Set<RecoveryPoint>([start]);
  let current = start;
  while (current.parent !== null && links.length < limit) {
    const index = parentIndex(points, lookup, current);
    if (index === undefined) {
      links.push({ id: current.parent, kind: null, time: null, missing: true });
      return { links, broken: true, cycle: false };
    }
    const parent = points[index] as RecoveryPoint;
    if (seen.has(parent)) return { links, broken: true, cycle: true };
    seen.add(parent);
    links.push({ id: parent.id, kind: parent.kind, time: parent.time, missing: false });
    current = parent;
  }
  return { links, broken: false, cycle: false };
}

/** For every point, 1 when its chain has a missing link or a cycle (memoised walk, O(n)). */
export function brokenChains(points: readonly RecoveryPoint[], lookup: PointLookup): Uint8Array {
  // 0 = not yet known, 1 = broken, 2 = sound, 3 = being walked (a cycle if met again).
  const state = new Uint8Array(points.length);
  const path: number[] = [];
  for (let i = 0; i < points.length; i++) {
    if (state[i] !== 0) continue;
    let at: number | undefined = i;
    let verdict = 2;
    while (at !== undefined) {
      const known = state[at] as number;
      if (known === 1 || known === 2) {
        verdict = known;
        break;
      }
      if (known === 3) {
        verdict = 1;
        break;
      }
      state[at] = 3;
      path.push(at);
      const point = points[at] as RecoveryPoint;
      if (point.parent === null) break;
      at = parentIndex(points, lookup, point);
      if (at === undefined) verdict = 1;
    }
    for (const j of path) state[j] = verdict;
    path.length = 0;
  }
  const broken = new Uint8Array(points.length);
  for (let i = 0; i < points.length; i++) broken[i] = state[i] === 1 ? 1 : 0;
  return broken;
}
