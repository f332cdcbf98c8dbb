// A sandbox target that reaches a production target's bytes is a workspace error: a drill bound to
// it would write into production. Decided by where bytes land (main/workspace/places.ts).
import { placeWords, productionOverlaps, resolvePlace, targetWritePlace } from './places';
import type { Workspace } from './types';

/** One sandbox target that overlaps production, in a sentence. */
export type TargetOverlap = { target: string; message: string };

const HOW = {
  equals: 'is the same place as',
  inside: 'lies inside',
  contains: 'contains',
} as const;

/** Every sandbox target that equals, contains or lies inside a production target. */
export function targetOverlaps(workspace: Workspace): TargetOverlap[] {
  const found: TargetOverlap[] = [];
  for (const target of workspace.targets.values()) {
    if (target.environment !== 'sandbox') continue;
    const place = resolvePlace(workspace, targetWritePlace(target));
    if (!place) continue;
    for (const hit of productionOverlaps(workspace, place)) {
      found.push({
        target: target.name,
        message: `targets.${target.name} is a sandbox, but it writes to ${placeWords(place)}, which ${HOW[hit.how]} the production target ${hit.target.name} (${placeWords(hit.at)}): a drill bound to it would write into production. Point the sandbox at a place that shares no folder, host path or bucket prefix with a production target.`,
      });
    }
  }
  return found;
}
