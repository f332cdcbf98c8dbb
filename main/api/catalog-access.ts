// The catalog of the open workspace for handlers that need points (groups, findings, runbook
// binding): the same live service the catalog.* calls use, so there is one copy in memory.
import type { LoadedCatalog } from '../catalog/service';
import type { AppContext } from './context';
import { UserError } from '../ground/errors';
import { catalogService } from './handlers/catalog';

/** The current workspace's catalog (cached at once; read from the sources when there is no cache). */
export async function currentCatalog(ctx: AppContext): Promise<LoadedCatalog> {
  const workspace = ctx.workspace;
  if (!workspace) {
    throw new UserError(
      'NO_WORKSPACE',
      'No workspace is open, or its dapple.yaml has errors.',
      'Open a workspace; the Health section lists what is wrong with it.',
    );
  }
  return catalogService(ctx).catalog(workspace);
}
