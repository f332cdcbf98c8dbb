// The drill history of a loaded workspace: its session logs verified against keys/trusted.json
// (through a cache), then folded with the catalog's points. The console and the CLI both use it.
import type { RecoveryPoint } from '../../preload/schemas/catalog';
import type { DrillHistory } from '../../preload/schemas/drills';
import { loadTrust } from '../audit/trust';
import type { Workspace } from '../workspace/types';
import { drillHistory, type RunbookRef } from './history';
import { newLogCache, workspaceLogResults, type LogCache } from './verified-logs';

/** Without a trust file no signature can be trusted, so no log counts. */
export const NO_TRUST_NOTE =
  'The workspace has no keys/trusted.json, so no drill log can be verified and none counts. Add the signers’ public keys there (dapple audit export-key prints an entry).';

/** Read the history of `workspace` (its trust file path as loadWorkspace found it). */
export async function readDrillHistory(options: {
  workspace: Workspace;
  runbooks: readonly RunbookRef[];
  points: readonly RecoveryPoint[];
  now: number;
  cache?: LogCache;
}): Promise<DrillHistory> {
  const { workspace } = options;
  const base = {
    runbooks: options.runbooks,
    points: options.points,
    now: options.now,
    drillEverySeconds: workspace.drillEverySeconds ?? null,
  };
  if (!workspace.trustedKeys)
    return { ...drillHistory({ ...base, results: [] }), note: NO_TRUST_NOTE };
  const trust = await loadTrust(workspace.trustedKeys);
  const results = await workspaceLogResults(workspace.root, trust, options.cache ?? newLogCache());
  return drillHistory({ ...base, results });
}
