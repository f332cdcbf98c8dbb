// groups.* and health.* calls: timelines, candidate cuts, the last good state, and findings.
import { UserError } from '../../ground/errors';
import type { AppContext } from '../context';
import { currentCatalog } from '../catalog-access';
import { bestCutBefore, candidateCuts } from '../../groups/candidates';
import { computeFindings } from '../../groups/findings';
import { prepareLanes, timelineAt } from '../../groups/timeline';
import { cutsOf } from '../../groups/timeline-answers';
import { calls } from '../../../preload/contract';
import { warmColumns } from '../../bridge/json';
import type { LoadedCatalog } from '../../catalog/service';
import { DEFAULT_DRILL_EVERY_SECONDS } from '../../drills/history';
import { drillHistoryOf } from './drills';
import type { HandlersFor } from './types';

function groupOf(ctx: AppContext, name: string) {
  const group = ctx.workspace?.groups.get(name);
  if (!group) {
    throw new UserError(
      'NO_GROUP',
      `The workspace has no consistency group named "${name.slice(0, 80)}".`,
      'Pick a group from the Timeline tabs, or add it to dapple.yaml.',
    );
  }
  return group;
}

/**
 * After the cached catalog is read at workspace open, and after every refresh: prepare each
 * group's lanes and cut histories (kept per catalog version), check the lanes' columns against the
 * contract and, in browser mode, write their JSON, one group per turn of the event loop so the
 * console's own requests are served in between. The first Timeline visit then only redoes what
 * depends on now. Resolves with the names of the groups warmed.
 */
export function warmGroups(ctx: AppContext, points: LoadedCatalog['points']): Promise<string[]> {
  const groups = [...(ctx.workspace?.groups.values() ?? [])];
  const services = [...(ctx.workspace?.services.values() ?? [])];
  const done: string[] = [];
  const warmed = new Promise<string[]>((resolve) => {
    const next = (): void => {
      const group = groups.shift();
      if (!group || ctx.workspace === null) return resolve(done);
      try {
        const timeline = timelineAt(prepareLanes({ services, points, group }), Date.now());
        // The same check the dispatch door makes: frozen columns that pass are not read again.
        calls['groups.timeline'].response.safeParse({ timeline, cuts: [], asOf: null });
        if (ctx.transport === 'browser') warmColumns(timeline);
        candidateCuts(group, points, { now: Date.now(), limit: 1 });
        done.push(group.name);
      } catch {
        // The real call reports what is wrong; warming is only a head start.
      }
      setImmediate(next);
    };
    setImmediate(next);
  });
  lastWarm.set(ctx, warmed);
  return warmed;
}

const lastWarm = new WeakMap<AppContext, Promise<string[]>>();

/** The latest group warm-up of a context (tests wait for it), or null before any. */
export const groupsWarming = (ctx: AppContext): Promise<string[]> | null =>
  lastWarm.get(ctx) ?? null;

export const groupsHandlers: HandlersFor<'groups' | 'health'> = {
  'groups.timeline': async (request, ctx) => {
    const group = groupOf(ctx, request.group);
    const catalog = await currentCatalog(ctx);
    const now = Date.now();
    const services = ctx.workspace?.services.values() ?? [];
    // Each lane is parsed, chain-analysed and sorted once per catalog version (its points
    // array) and shared with the cuts; what depends on now is kept while it holds (see
    // groups/timeline-answers.ts for the rule).
    const lanes = prepareLanes({ services, points: catalog.points, group });
    return {
      timeline: request.parts === 'cuts' ? null : timelineAt(lanes, now),
      cuts:
        request.parts === 'lanes'
          ? []
          : cutsOf(group, catalog.points, lanes, now, request.limit ?? 200),
      asOf: catalog.asOf,
    };
  },
  'groups.bestCut': async (request, ctx) => {
    const group = groupOf(ctx, request.group);
    const catalog = await currentCatalog(ctx);
    const best = bestCutBefore(group, catalog.points, request.before, { now: Date.now() });
    return { cut: best.cut, reason: best.reason };
  },
  'health.findings': async (_request, ctx) => {
    const workspace = ctx.workspace;
    const catalog = await currentCatalog(ctx);
    // The drill history (VALID sealed logs only) clears "untested" and adds the drill findings.
    // A trust file that does not load must not hide every other finding: then no drill counts.
    const history = await drillHistoryOf(ctx).catch(() => null);
    return {
      findings: computeFindings({
        services: workspace?.services.values() ?? [],
        backends: workspace?.backends.values() ?? [],
        points: catalog.points,
        now: Date.now(),
        drillHistory: history?.runbooks.flatMap((r) => r.drills) ?? [],
        verifyWithinDays:
          (history?.drillEverySeconds ??
            workspace?.drillEverySeconds ??
            DEFAULT_DRILL_EVERY_SECONDS) / 86_400,
      }),
      asOf: catalog.asOf,
    };
  },
};
