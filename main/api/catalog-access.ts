// The catalog of the open workspace, loaded once (from the cache when there is one) and shared by
// every handler that needs points: groups, findings, runbook binding.
import path from 'node:path';
import { loadCatalog, type LoadedCatalog } from '../catalog/service';
import type { AppContext } from './context';
import { UserError } from './errors';

const loaded = new WeakMap<AppContext, { root: string; catalog: Promise<LoadedCatalog> }>();

/** Where a context keeps catalog caches. */
export const catalogCacheDir = (ctx: AppContext): string => path.join(ctx.dataDir, 'catalog');

/** The current workspace's catalog; loads it on first use. */
export async function currentCatalog(ctx: AppContext): Promise<LoadedCatalog> {
  const workspace = ctx.workspace;
  if (!workspace) {
    throw new UserError(
      'NO_WORKSPACE',
      'No workspace is open, or its dapple.yaml has errors.',
      'Open a workspace; the Health section lists what is wrong with it.',
    );
  }
  const held = loaded.get(ctx);
  if (held && held.root === workspace.root) return held.catalog;
  const catalog = loadCatalog(workspace, { cacheDir: catalogCacheDir(ctx) });
  loaded.set(ctx, { root: workspace.root, catalog });
  catalog.catch(() => loaded.delete(ctx));
  return catalog;
}

/** Replace the shared catalog (after a refresh). */
export function setCurrentCatalog(ctx: AppContext, catalog: LoadedCatalog): void {
  const workspace = ctx.workspace;
  if (workspace) loaded.set(ctx, { root: workspace.root, catalog: Promise.resolve(catalog) });
}
