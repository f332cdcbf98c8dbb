// groups.* and health.* calls: timelines, candidate cuts, the last good state, and findings.
import { UserError } from '../errors';
import type { AppContext } from '../context';
import { currentCatalog } from '../catalog-access';
import { bestCutBefore, candidateCuts } from '../../groups/candidates';
import { computeFindings } from '../../groups/findings';
import { buildTimeline } from '../../groups/timeline';
import type { LoadedCatalog } from '../../catalog/service';
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
 * After the cached catalog is read at workspace open: prepare each group's lanes and cut
 * histories (kept per catalog version), one group per turn of the event loop so the console's
 * own requests are served in between. The first Timeline visit then only redoes what depends on now.
 */
export function warmGroups(ctx: AppContext, points: LoadedCatalog['points']): void {
  const groups = [...(ctx.workspace?.groups.values() ?? [])];
  const services = ctx.workspace?.services.values() ?? [];
  const next = (): void => {
    const group = groups.shift();
    if (!group || ctx.workspace === null) return;
    try {
      buildTimeline({ services, points, now: Date.now(), group });
      candidateCuts(group, points, { now: Date.now(), limit: 1 });
    } catch {
      // The real call reports what is wrong; warming is only a head start.
    }
    setImmediate(next);
  };
  setImmediate(next);
}

export const groupsHandlers: HandlersFor<'groups' | 'health'> = {
  'groups.timeline': async (request, ctx) => {
    const group = groupOf(ctx, request.group);
    const catalog = await currentCatalog(ctx);
    const now = Date.now();
    const services = ctx.workspace?.services.values() ?? [];
    return {
      // Each lane is parsed, chain-analysed and sorted once per catalog version (its points
      // array) and shared with the cuts; only what depends on now is redone per call.
      timeline:
        request.parts === 'cuts'
          ? null
          : buildTimeline({ services, points: catalog.points, now, group }),
      cuts:
        request.parts === 'lanes'
          ? []
          : candidateCuts(group, catalog.points, { now, limit: request.limit }),
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
    return {
      findings: computeFindings({
        services: workspace?.services.values() ?? [],
        backends: workspace?.backends.values() ?? [],
        points: catalog.points,
        now: Date.now(),
      }),
      asOf: catalog.asOf,
    };
  },
};
