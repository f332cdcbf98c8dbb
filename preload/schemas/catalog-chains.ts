// Chain parents over catalog.get's columns, shared by main (which picks the earlier points a first
// answer's chains need) and the console (which walks chains and flags broken ones). Main already
// turned parents found in the same source into row numbers, so only parents recorded by another
// source of the same service need a lookup here. No zod: the console's bundle imports this.
import type { CatalogColumns } from './catalog';

/** Rows by service (interned index) then id, built on first use. */
export type PointLookup = {
  /** For parents recorded by another source of the service; services with chains only. */
  byService: Map<number, Map<string, number>> | null;
};

/** A fresh lookup for one catalog. */
export const buildLookup = (): PointLookup => ({ byService: null });

/** The row of a row's parent; undefined when it has none or the catalog lacks it. */
export function parentRow(c: CatalogColumns, lookup: PointLookup, row: number): number | undefined {
  const p = c.parent[row] ?? -1;
  if (p >= 0) return p;
  if (p === -1) return undefined;
  if (!lookup.byService) {
    // Built once, on the first parent not found in its own source: maybe another source of the
    // same service recorded it (only services that have chains are indexed).
    const services = new Set<number>();
    for (let i = 0; i < c.count; i++) if (c.parent[i] !== -1) services.add(c.service[i] ?? -1);
    const byService = new Map<number, Map<string, number>>();
    for (let i = 0; i < c.count; i++) {
      const service = c.service[i] ?? -1;
      if (!services.has(service)) continue;
      let ids = byService.get(service);
      if (!ids) byService.set(service, (ids = new Map()));
      const id = c.id[i] ?? '';
      if (!ids.has(id)) ids.set(id, i);
    }
    lookup.byService = byService;
  }
  return lookup.byService.get(c.service[row] ?? -1)?.get(c.strings[-2 - p] ?? '');
}
