// drills.* calls: the workspace's drill history (its session logs verified against its trusted
// keys, each verified once until it changes) and the predicted time of a restore from it.
import type { Cut } from '../../../preload/schemas/groups';
import type { DrillHistory } from '../../../preload/schemas/drills';
import { chainSizes, type RunbookRef } from '../../drills/history';
import { predictRestore } from '../../drills/predict';
import { readDrillHistory } from '../../drills/read';
import { newLogCache, type LogCache } from '../../drills/verified-logs';
import { UserError } from '../../ground/errors';
import { parseDuration } from '../../workspace/duration';
import { currentCatalog } from '../catalog-access';
import type { AppContext } from '../context';
import { readRunbook } from './runbook';
import type { HandlersFor } from './types';

const caches = new WeakMap<AppContext, LogCache>();
const running = new WeakMap<AppContext, Promise<unknown>>();

/** The verification cache of a context (tests read how many logs it verified). */
export function drillLogCache(ctx: AppContext): LogCache {
  let cache = caches.get(ctx);
  if (!cache) caches.set(ctx, (cache = newLogCache()));
  return cache;
}

/** A runbook's RTO from its file, or null when it has none or does not load. */
async function rtoOf(ctx: AppContext, file: string): Promise<number | null> {
  const runbook = await readRunbook(ctx, file).catch(() => null);
  const rto = (runbook as { rto?: unknown } | null)?.rto;
  return typeof rto === 'string' ? parseDuration(rto) : null;
}

async function compute(ctx: AppContext): Promise<DrillHistory> {
  const current = ctx.current;
  const workspace = ctx.workspace;
  if (!current || !workspace)
    throw new UserError(
      'NO_WORKSPACE',
      'No workspace is open (or its dapple.yaml has errors), so there are no drills to show.',
      'Open a workspace folder; the Health section lists what is wrong with one that did not load.',
    );
  const runbooks: RunbookRef[] = await Promise.all(
    current.runbooks.map(async (r) => ({
      file: r.file,
      title: r.title,
      rtoSeconds: r.valid ? await rtoOf(ctx, r.file) : null,
    })),
  );
  const catalog = await currentCatalog(ctx);
  return readDrillHistory({
    workspace,
    runbooks,
    points: catalog.points,
    now: Date.now(),
    cache: drillLogCache(ctx),
  });
}

/**
 * The drill history of the open workspace. Calls run one after another, so a second caller
 * finds the logs the first one verified in the cache.
 */
export function drillHistoryOf(ctx: AppContext): Promise<DrillHistory> {
  const before = running.get(ctx) ?? Promise.resolve();
  const next = before.catch(() => undefined).then(() => compute(ctx));
  running.set(ctx, next);
  return next;
}

/** The bytes of a cut's points with their chains, or null when any is unknown. */
async function cutBytes(ctx: AppContext, cut: Cut | null): Promise<number | null> {
  if (!cut || cut.members.length === 0) return null;
  const sizeOf = chainSizes((await currentCatalog(ctx)).points);
  let total = 0;
  for (const m of cut.members) {
    const id = m.pointId ?? m.windowId;
    const bytes = id ? sizeOf(m.source, id) : null;
    if (bytes === null) return null;
    total += bytes;
  }
  return total;
}

export const drillsHandlers: HandlersFor<'drills'> = {
  'drills.history': async (_request, ctx) => drillHistoryOf(ctx),
  'drills.predict': async ({ file, cut }, ctx) => {
    const rto = await rtoOf(ctx, file);
    const history = await drillHistoryOf(ctx);
    const sessions = history.runbooks.find((r) => r.runbook === file)?.drills ?? [];
    return predictRestore(sessions, await cutBytes(ctx, cut), rto);
  },
};
