// The 3-2-1 view: the same backup found by several sources (on several backends) is one point
// with every copy. Only services read by two or more sources can have duplicates, so only
// their points are keyed; a million points of single-source services pass straight through.
import type { Immutability, RecoveryPoint } from '../../preload/schemas/catalog';

/** Where each merged point came from: the section and index of its first (raw-holding) copy. */
export type PointRefs = { section: Uint16Array; index: Uint32Array };

const RANK: Record<Immutability['mode'], number> = {
  LEGAL_HOLD: 1,
  GOVERNANCE: 1,
  WORM: 2,
  COMPLIANCE: 3,
};

/** The stronger of two locks: one immutable copy is what the 3-2-1-1 rule asks for. */
function stronger(a: Immutability | null, b: Immutability | null): Immutability | null {
  if (!a) return b;
  if (!b) return a;
  if (RANK[b.mode] !== RANK[a.mode]) return RANK[b.mode] > RANK[a.mode] ? b : a;
  if (a.retainUntil === null || b.retainUntil === null) return a.retainUntil === null ? a : b;
  return b.retainUntil > a.retainUntil ? b : a;
}

const union = (a: string[], b: string[]): string[] => {
  if (b.every((x) => a.includes(x))) return a;
  return [...a, ...b.filter((x) => !a.includes(x))];
};

/** Merge one duplicate into the point that holds the first copy. */
function mergeInto(into: RecoveryPoint, other: RecoveryPoint): RecoveryPoint {
  return {
    ...into,
    copies: union(into.copies, other.copies),
    tags: union(into.tags, other.tags),
    sizeBytes: into.sizeBytes ?? other.sizeBytes,
    parent: into.parent ?? other.parent,
    immutable: stronger(into.immutable, other.immutable),
    lastVerified:
      into.lastVerified === null ||
      (other.lastVerified !== null && other.lastVerified > into.lastVerified)
        ? other.lastVerified
        : into.lastVerified,
  };
}

/**
 * Merge the points of every source (in workspace order). Two points are copies of one backup
 * when service, id, kind and time agree; a different time means a different backup that
 * happens to share a name, and both are kept.
 */
export function mergeCopies(sections: { source: string; points: RecoveryPoint[] }[]): {
  points: RecoveryPoint[];
  refs: PointRefs;
} {
  const sourcesPerService = new Map<string, Set<string>>();
  for (const { source, points } of sections) {
    let last: string | null = null;
    for (const p of points) {
      if (p.service === last) continue;
      last = p.service;
      let set = sourcesPerService.get(p.service);
      if (!set) sourcesPerService.set(p.service, (set = new Set()));
      set.add(source);
    }
  }
  const shared = new Set(
    [...sourcesPerService].filter(([, set]) => set.size > 1).map(([service]) => service),
  );
  const total = sections.reduce((n, s) => n + s.points.length, 0);
  const section = new Uint16Array(total);
  const pointIndex = new Uint32Array(total);
  const points: RecoveryPoint[] = [];
  const seen = new Map<string, number>();
  for (let s = 0; s < sections.length; s++) {
    const list = (sections[s] as { points: RecoveryPoint[] }).points;
    for (let index = 0; index < list.length; index++) {
      const p = list[index] as RecoveryPoint;
      if (shared.has(p.service)) {
        const key = `${p.service}\u0000${p.id}\u0000${p.kind}\u0000${p.time}`;
        const at = seen.get(key);
        if (at !== undefined) {
          points[at] = mergeInto(points[at] as RecoveryPoint, p);
          continue;
        }
        seen.set(key, points.length);
      }
      section[points.length] = s;
      pointIndex[points.length] = index;
      points.push(p);
    }
  }
  return {
    points,
    refs: {
      section: section.subarray(0, points.length),
      index: pointIndex.subarray(0, points.length),
    },
  };
}
