// For session tests: a fresh copy of the demo workspace opened in a console context, an operator
// key file the workspace trusts, and the shop group's newest consistent cut.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Cut } from '../../preload/schemas/groups';
import { currentCatalog } from '../api/catalog-access';
import { createContext, type AppContext } from '../api/context';
import { catalogService } from '../api/handlers/catalog';
import { openWorkspace } from '../api/handlers/workspace';
import { fileKeyStore } from '../audit/key-store';
import { bestCutBefore } from '../groups/candidates';
import { prepareDemoWorkspace } from '../workspace/demo';

export const NOW = new Date('2026-11-26T03:00:00Z');
export const OPERATOR_PASSPHRASE = 'operator pass';

/** A console context on a temp demo workspace; events are collected in `events`. */
export type TestConsole = {
  ctx: AppContext;
  dir: string;
  data: string;
  events: { name: string; payload: unknown }[];
  cleanup: () => Promise<void>;
};

export async function demoConsole(options: { drills?: boolean } = {}): Promise<TestConsole> {
  const dir = await mkdtemp(join(tmpdir(), 'dapple-session-ws-'));
  const data = await mkdtemp(join(tmpdir(), 'dapple-session-data-'));
  // The demo's generated drill history only when asked: session tests start from a clean audit/.
  await prepareDemoWorkspace({ now: NOW, into: dir, drills: options.drills ?? false });
  const events: TestConsole['events'] = [];
  const ctx = createContext({
    version: 'test',
    transport: 'browser',
    dataDir: data,
    emit: (name, payload) => events.push({ name, payload }),
    operatorKeys: async () => fileKeyStore(join(data, 'keys', 'operator.key'), OPERATOR_PASSPHRASE),
  });
  await openWorkspace(dir, ctx);
  return {
    ctx,
    dir,
    data,
    events,
    cleanup: async () => {
      await rm(dir, { recursive: true, force: true });
      await rm(data, { recursive: true, force: true });
    },
  };
}

/** The shop group's newest consistent cut before NOW. */
export async function shopCut(ctx: AppContext): Promise<Cut> {
  const workspace = ctx.workspace;
  const group = workspace?.groups.get('shop');
  if (!workspace || !group) throw new Error('the demo workspace has no shop group');
  await currentCatalog(ctx);
  await catalogService(ctx).settled(workspace);
  const catalog = await currentCatalog(ctx);
  const best = bestCutBefore(group, catalog.points, NOW, { now: NOW });
  if (!best.cut) throw new Error(`no cut: ${best.reason}`);
  return best.cut;
}
