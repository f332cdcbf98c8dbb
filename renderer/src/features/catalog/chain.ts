// Incremental chains: which points a point needs to be restored, and which chains are broken.
// Works on catalog.get's columns, where main already turned every parent the catalog has into
// its row.
import type { CatalogColumns, PointKind } from '../../../../preload/schemas/catalog';
import { POINT_KINDS } from '../../../../preload/schemas/values';
import { isoOf, parentOf, parentRow } from '../../../../preload/schemas/catalog-columns';

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

const linkOf = (c: CatalogColumns, row: number): ChainLink => ({
  id: c.id[row] ?? '',
  kind: POINT_KINDS[c.kind[row] ?? 0] ?? null,
  time: isoOf(c.time[row]),
  missing: false,
});

/** Walk from a row to the start of its chain (at most `limit` links, to stay bounded). */
export function chainOf(c: CatalogColumns, start: number, limit = 500): Chain {
  const links: ChainLink[] = [linkOf(c, start)];
  const seen = new Set<number>([start]);
  let current = start;
  while ((c.parent[current] ?? -1) !== -1 && links.length < limit) {
    const parent = parentRow(c, current);
    if (parent === undefined) {
      links.push({ id: parentOf(c, current) ?? '', kind: null, time: null, missing: true });
      return { links, broken: true, cycle: false };
    }
    if (seen.has(parent)) return { links, broken: true, cycle: true };
    seen.add(parent);
    links.push(linkOf(c, parent));
    current = parent;
  }
  return { links, broken: false, cycle: false };
}

/** For every row, 1 when its chain has a missing link or a cycle (memoised walk, O(n)). */
export function brokenChains(c: CatalogColumns): Uint8Array {
  // 0 = not yet known, 1 = broken, 2 = sound, 3 = being walked (a cycle if met again).
  const n = c.count;
  const state = new Uint8Array(n);
  const path: number[] = [];
  for (let i = 0; i < n; i++) {
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
      if (c.parent[at] === -1) break;
      at = parentRow(c, at);
      if (at === undefined) verdict = 1;
    }
    for (const j of path) state[j] = verdict;
    path.length = 0;
  }
  for (let i = 0; i < n; i++) state[i] = state[i] === 1 ? 1 : 0;
  return state;
}
