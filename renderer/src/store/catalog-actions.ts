// Catalog actions: load the cached catalog, refresh it in the background, follow progress events,
// open a point's details, browse a snapshot's files and pick what to restore.
import type { DappleApi } from '../../../preload/api-types';
import type { EventPayload } from '../../../preload/contract';
import type { CatalogView, RecoveryPoint, SnapshotEntry } from '../../../preload/schemas/catalog';
import { emptyColumns } from '../../../preload/schemas/catalog-columns';
import { CATALOG_HEAD } from '../../../preload/schemas/catalog-head';
import { api, errorOf, unwrap } from '../ipc';
import {
  newestFirst,
  noFilters,
  type CatalogFilters,
  type CatalogSort,
  type RestoreSelection,
} from './catalog-slice';
import { useStore } from './index';

const set = useStore.setState;
const get = useStore.getState;

// Answers to older requests are dropped: a slow catalog.get must not overwrite a newer one.
let catalogRequest = 0;
let pointRequest = 0;
let filesRequest = 0;

/** Show an answer of catalog.get; `total` is set while it holds only the newest points. */
function showCatalog(view: CatalogView, total: number | null): void {
  set({
    catalogPoints: view.points,
    catalogSources: view.sources,
    catalogAsOf: view.asOf,
    catalogRefreshing: view.refreshing,
    catalogNote: view.note,
    catalogLoaded: true,
    catalogTotal: total,
    catalogError: null,
  });
}

/**
 * Ask for the newest points first when nothing is shown yet and the table is in its default
 * order: a large catalog then shows its first screen while the whole of it is on its way.
 */
function wantsHead(): boolean {
  const s = get();
  return (
    s.catalogPoints.count === 0 &&
    s.catalogSort.key === newestFirst.key &&
    s.catalogSort.dir === newestFirst.dir &&
    (Object.keys(noFilters) as (keyof CatalogFilters)[]).every(
      (k) => s.catalogFilters[k] === noFilters[k],
    )
  );
}

// catalog.get's first answer asked for at start-up, next to workspace.get (see askCatalogEarly).
let early: ReturnType<DappleApi['catalog']['get']> | null = null;

/**
 * At start-up, ask for the first answer of the catalog of the workspace main has open while the
 * console is still asking which workspace that is, and show it as it comes: the Catalog section's
 * first render then has rows. The first load of that workspace's catalog takes it (and asks for
 * the whole only if it is not); `dropEarlyCatalog` when start-up finds no workspace.
 */
export function askCatalogEarly(): void {
  early = null;
  if (!wantsHead()) return;
  const asked = api().catalog.get({ first: CATALOG_HEAD });
  early = asked;
  void asked.then((result) => {
    // Not dropped and no load took it yet (a load shows it itself).
    if (result.ok && early === asked) showCatalog(result.value, result.value.total ?? null);
  });
}

/** Start-up found no workspace (or failed): the early answer belongs to nobody. */
export function dropEarlyCatalog(): void {
  early = null;
  resetCatalog();
}

/** Load the cached catalog of the open workspace (instant; main starts a first read if none). */
export async function loadCatalog(): Promise<void> {
  const ticket = ++catalogRequest;
  const asked = early;
  early = null;
  try {
    if (asked || wantsHead()) {
      const head = await unwrap(asked ?? api().catalog.get({ first: CATALOG_HEAD }));
      if (ticket !== catalogRequest) return;
      // No total: the catalog was small enough to come whole.
      if (head.total === undefined) return showCatalog(head, null);
      showCatalog(head, head.total);
    }
    const view = await unwrap(api().catalog.get({}));
    if (ticket !== catalogRequest) return;
    showCatalog(view, null);
  } catch (error) {
    if (ticket !== catalogRequest) return;
    set({ catalogError: errorOf(error), catalogLoaded: true });
  }
}

// The workspace object the shown catalog belongs to (a reload gives a new object).
let catalogOf: object | null = null;

/** Load the catalog once per workspace (returning to the section does not fetch it again). */
export function ensureCatalog(workspace: { path: string } | null): void {
  if (workspace === catalogOf) return;
  const previous = catalogOf as { path: string } | null;
  catalogOf = workspace;
  if (!workspace) return;
  if (previous && previous.path !== workspace.path) resetCatalog();
  void loadCatalog();
}

/** Forget the catalog of a workspace that was closed or replaced. */
export function resetCatalog(): void {
  catalogRequest++;
  early = null;
  set({
    catalogPoints: emptyColumns(),
    catalogSources: [],
    catalogAsOf: null,
    catalogRefreshing: false,
    catalogNote: null,
    catalogLoaded: false,
    catalogTotal: null,
    catalogError: null,
    pointDetail: null,
    fileBrowser: null,
  });
}

/** Read every source again in the background; progress arrives as catalog.progress events. */
export async function refreshCatalog(): Promise<void> {
  set({ catalogRefreshing: true, catalogError: null });
  try {
    const answer = await unwrap(api().catalog.refresh({}));
    set({ catalogSources: answer.sources });
  } catch (error) {
    set({ catalogRefreshing: false, catalogError: errorOf(error) });
  }
}

/** A source reported progress (or finished) during a refresh. */
export function onCatalogProgress(status: EventPayload<'catalog.progress'>): void {
  const sources = get().catalogSources;
  const at = sources.findIndex((s) => s.source === status.source);
  const next = at < 0 ? [...sources, status] : sources.map((s, i) => (i === at ? status : s));
  set({ catalogSources: next, catalogRefreshing: true });
}

/** A refresh finished: show its statuses now, then fetch the new points. */
export function onCatalogChanged(change: EventPayload<'catalog.changed'>): void {
  set({ catalogSources: change.sources, catalogAsOf: change.asOf, catalogRefreshing: false });
  void loadCatalog();
}

/** Change some filters. */
export const setCatalogFilters = (patch: Partial<CatalogFilters>): void =>
  set({ catalogFilters: { ...get().catalogFilters, ...patch } });

/** Sort by a column; the same column again flips the direction. */
export function sortCatalogBy(key: CatalogSort['key']): void {
  const current = get().catalogSort;
  const dir =
    current.key === key
      ? current.dir === 'asc'
        ? 'desc'
        : 'asc'
      : key === 'time' || key === 'verified'
        ? 'desc'
        : 'asc';
  set({ catalogSort: { key, dir } });
}

/** Open a point's details; its raw record is fetched from main (the table holds points without it). */
export async function openPoint(point: RecoveryPoint): Promise<void> {
  const ticket = ++pointRequest;
  const { fileBrowser } = get();
  const sameSnapshot = fileBrowser?.source === point.source && fileBrowser.pointId === point.id;
  set({
    pointDetail: { source: point.source, id: point.id, point, rawLoaded: false, error: null },
    fileBrowser: sameSnapshot ? fileBrowser : null,
  });
  try {
    const full = await unwrap(api().catalog.point({ source: point.source, id: point.id }));
    if (ticket !== pointRequest) return;
    set({
      pointDetail: {
        source: point.source,
        id: point.id,
        point: full,
        rawLoaded: true,
        error: null,
      },
    });
  } catch (error) {
    if (ticket !== pointRequest) return;
    set({
      pointDetail: {
        source: point.source,
        id: point.id,
        point,
        rawLoaded: false,
        error: errorOf(error),
      },
    });
  }
}

/** Close the detail panel. */
export function closePoint(): void {
  pointRequest++;
  set({ pointDetail: null, fileBrowser: null });
}

/** Show one folder of a snapshot ('/' is its root). */
export async function browseFiles(source: string, pointId: string, path: string): Promise<void> {
  const ticket = ++filesRequest;
  set({ fileBrowser: { source, pointId, path, entries: null, loading: true, error: null } });
  try {
    const entries = await unwrap(api().catalog.files({ source, pointId, path }));
    if (ticket !== filesRequest) return;
    set({ fileBrowser: { source, pointId, path, entries, loading: false, error: null } });
  } catch (error) {
    if (ticket !== filesRequest) return;
    set({
      fileBrowser: { source, pointId, path, entries: null, loading: false, error: errorOf(error) },
    });
  }
}

/** True when path is the folder `folder` itself or lies under it. */
export const isUnder = (path: string, folder: string): boolean =>
  path === folder || path.startsWith(folder.endsWith('/') ? folder : `${folder}/`);

/** Pick or unpick a file or folder for restore; picking from another snapshot starts afresh. */
export function toggleRestoreItem(point: RecoveryPoint, entry: SnapshotEntry): void {
  const current = get().restoreSelection;
  const same = current?.source === point.source && current.pointId === point.id;
  const items = same && current ? current.items : [];
  const next: RestoreSelection = {
    source: point.source,
    pointId: point.id,
    service: point.service,
    time: point.time,
    items: items.some((i) => i.path === entry.path)
      ? items.filter((i) => i.path !== entry.path)
      : // A folder stands for everything under it: drop what it now covers.
        [
          ...items.filter((i) => !isUnder(i.path, entry.path)),
          { path: entry.path, type: entry.type },
        ],
  };
  set({ restoreSelection: next.items.length ? next : null });
}

/** Clear the restore selection. */
export const clearRestoreSelection = (): void => set({ restoreSelection: null });
