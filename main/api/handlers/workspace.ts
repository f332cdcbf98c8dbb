// workspace.* calls: open, reload and describe the workspace folder.
import path from 'node:path';
import { UserError } from '../../ground/errors';
import type { AppContext } from '../context';
import { loadWorkspace, toWorkspaceView } from '../../workspace/load';
import { onCatalogChanged, warmCatalog, warmEncoded } from './catalog';
import { warmGroups } from './groups';
import type { HandlersFor } from './types';

// A finished refresh makes a new catalog version: prepare it as an open does, so neither the
// Catalog nor the Timeline pays for it on the first look after a refresh. Once per context.
const warmsOnRefresh = new WeakSet<AppContext>();
function warmAfterEveryRefresh(ctx: AppContext): void {
  if (warmsOnRefresh.has(ctx)) return;
  warmsOnRefresh.add(ctx);
  onCatalogChanged(ctx, (catalog) => {
    // After the console has been told (catalog.changed), before its catalog.get is served; the
    // groups follow, one per turn.
    setImmediate(() => warmEncoded(ctx, catalog));
    void warmGroups(ctx, catalog.points);
  });
}

/** Load a workspace folder into the context and tell the renderer. Never throws for bad files. */
export async function openWorkspace(dir: string, ctx: AppContext) {
  const absolute = path.resolve(dir);
  const result = await loadWorkspace(absolute);
  ctx.setWorkspace(result);
  warmAfterEveryRefresh(ctx);
  if (result.workspace) {
    void warmCatalog(ctx, result.workspace).then((catalog) => {
      if (catalog && ctx.current === result) warmGroups(ctx, catalog.points);
    });
  }
  const view = toWorkspaceView(result);
  ctx.emit('workspace.changed', view);
  return view;
}

export const workspaceHandlers: HandlersFor<'workspace'> = {
  'workspace.get': async (_request, ctx) => {
    const current = ctx.current;
    if (!current) return null;
    return toWorkspaceView(current);
  },
  'workspace.open': async (request, ctx) => openWorkspace(request.path, ctx),
  'workspace.reload': async (_request, ctx) => {
    if (!ctx.current) {
      throw new UserError(
        'NO_WORKSPACE',
        'No workspace is open, so there is nothing to reload.',
        'Open a workspace folder first.',
      );
    }
    return openWorkspace(ctx.current.root, ctx);
  },
  'workspace.choose': async (_request, ctx) => {
    if (!ctx.chooseFolder) {
      throw new UserError(
        'NO_DIALOG',
        'A folder picker is only available in the desktop app.',
        'Type the workspace folder path instead, or start Dapple with --workspace DIR.',
      );
    }
    return ctx.chooseFolder();
  },
};
