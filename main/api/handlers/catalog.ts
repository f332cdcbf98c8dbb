// catalog.* calls: the cached catalog at once, refreshes in the background with progress events,
// one point's raw record, and browsing a snapshot's files.
import path from 'node:path';
import { CatalogService } from '../../catalog/service-live';
import type { LoadedCatalog } from '../../catalog/service';
import type { CatalogColumns, RecoveryPoint } from '../../../preload/schemas/catalog';
import type { Workspace } from '../../workspace/types';
import type { AppContext } from '../context';
import { UserError } from '../../ground/errors';
import { encodePoints } from '../../../preload/schemas/catalog-columns';
import { CATALOG_HEAD, HEAD_FROM, headRows } from '../../../preload/schemas/catalog-head';
import { warmColumns } from '../../bridge/json';
import type { HandlersFor } from './types';

const services = new WeakMap<AppContext, CatalogService>();
const listeners = new WeakMap<AppContext, Set<(catalog: LoadedCatalog) => void>>();

/** Where a context keeps its catalog caches (one file per workspace). */
export const catalogCacheFolder = (ctx: AppContext): string => path.join(ctx.dataDir, 'catalog');

/** The live catalog service of a context; events go to the renderer only for the open workspace. */
export function catalogService(ctx: AppContext): CatalogService {
  let service = services.get(ctx);
  if (!service) {
    service = new CatalogService({
      cacheDir: catalogCacheFolder(ctx),
      // SSH host keys and key passphrases are asked through the console (prompt.show).
      registry: { sshPrompts: ctx.prompts },
      onProgress: (root, status) => {
        if (ctx.workspace?.root === root) ctx.emit('catalog.progress', status);
      },
      onChanged: (root, catalog) => {
        if (ctx.workspace?.root !== root) return;
        for (const listener of listeners.get(ctx) ?? []) listener(catalog);
        ctx.emit('catalog.changed', { asOf: catalog.asOf, sources: catalog.sources });
      },
    });
    services.set(ctx, service);
  }
  return service;
}

/** Hear about every new catalog of the open workspace (e.g. to recompute findings). */
export function onCatalogChanged(
  ctx: AppContext,
  listener: (catalog: LoadedCatalog) => void,
): () => void {
  let set = listeners.get(ctx);
  if (!set) listeners.set(ctx, (set = new Set()));
  set.add(listener);
  return () => set.delete(listener);
}

// Encoded points per catalog version (a catalog's points array is replaced, never changed in
// place): opening the section again costs no encoding.
const encoded = new WeakMap<readonly RecoveryPoint[], CatalogColumns>();

/**
 * The points of a catalog as columns, encoded once per version of the whole catalog. Those kept
 * are frozen: browser mode then writes each column's JSON once too (bridge/json.ts).
 */
function columnsOf(points: readonly RecoveryPoint[], whole: boolean): CatalogColumns {
  if (!whole) return encodePoints(points);
  let columns = encoded.get(points);
  if (!columns) {
    columns = encodePoints(points);
    for (const column of Object.values(columns)) if (Array.isArray(column)) Object.freeze(column);
    encoded.set(points, columns);
  }
  return columns;
}

// First answers per catalog version and size asked (null: this catalog comes whole).
const heads = new WeakMap<readonly RecoveryPoint[], Map<number, CatalogColumns | null>>();

/**
 * The newest `first` points of a whole catalog with the earlier points their chains reach, as
 * columns; null when the catalog is small enough to send whole (or its chains too long to cut).
 */
function headOf(points: readonly RecoveryPoint[], first: number): CatalogColumns | null {
  if (points.length <= Math.max(HEAD_FROM, first)) return null;
  let sizes = heads.get(points);
  if (!sizes) heads.set(points, (sizes = new Map()));
  let head = sizes.get(first);
  if (head === undefined) {
    const rows = headRows(columnsOf(points, true), first);
    head = rows ? encodePoints(Array.from(rows, (r) => points[r] as RecoveryPoint)) : null;
    sizes.set(first, head);
  }
  return head;
}

/** Encode a catalog version for catalog.get (the first answer and the whole) before it is asked. */
export function warmEncoded(ctx: AppContext, catalog: LoadedCatalog): void {
  const columns = columnsOf(catalog.points, true);
  headOf(catalog.points, CATALOG_HEAD);
  if (ctx.transport === 'browser') warmColumns(columns);
}

/**
 * When a workspace opens: read its cached catalog and encode it for catalog.get (the console's
 * first answer and the whole) while the console is still loading: a 100,000-point catalog then
 * opens with no wait on the engine. Errors wait for the real call, which reports them.
 */
export function warmCatalog(ctx: AppContext, workspace: Workspace): Promise<LoadedCatalog | null> {
  return catalogService(ctx)
    .warm(workspace)
    .then((catalog) => {
      if (catalog) warmEncoded(ctx, catalog);
      return catalog;
    })
    .catch(() => null);
}

function openWorkspace(ctx: AppContext): Workspace {
  const workspace = ctx.workspace;
  if (!workspace) {
    throw new UserError(
      'NO_WORKSPACE',
      'No workspace is open (or its dapple.yaml has errors), so there is no catalog to show.',
      'Open a workspace folder; the Health section lists what is wrong with one that did not load.',
    );
  }
  return workspace;
}

export const catalogHandlers: HandlersFor<'catalog'> = {
  'catalog.get': async (request, ctx) => {
    const view = await catalogService(ctx).view(openWorkspace(ctx), request.service);
    const whole = request.service === undefined;
    const head = whole && request.first ? headOf(view.points, request.first) : null;
    if (head) return { ...view, points: head, total: view.points.length };
    return { ...view, points: columnsOf(view.points, whole) };
  },
  'catalog.refresh': async (request, ctx) => {
    const workspace = openWorkspace(ctx);
    const unknown = (request.sources ?? []).filter((name) => !workspace.sources.has(name));
    if (unknown.length > 0) {
      throw new UserError(
        'SOURCE_UNKNOWN',
        `This workspace has no source named ${unknown
          .slice(0, 3)
          .map((n) => JSON.stringify(n.slice(0, 80)))
          .join(', ')}.`,
        'Reload the workspace; the list of sources may have changed.',
      );
    }
    const service = catalogService(ctx);
    const answer = service.refresh(
      workspace,
      request.sources ? new Set(request.sources) : undefined,
    );
    const view = await service.view(workspace);
    return { started: answer.started, sources: view.sources };
  },
  'catalog.point': async (request, ctx) =>
    catalogService(ctx).point(openWorkspace(ctx), request.source, request.id),
  'catalog.files': async (request, ctx) =>
    catalogService(ctx).files(openWorkspace(ctx), request.source, request.pointId, request.path),
};
