// Confinement at write time: executors call this just before a step writes, with where it writes,
// so a drill never touches production whatever the targets are called and whatever changed on disk
// since the session started (a symlink swapped in, a folder created). Decided by resolved bytes.
import type { RunbookPlan } from '../../preload/schemas/runbook';
import type { SessionMode } from '../../preload/schemas/session';
import { UserError } from '../ground/errors';
import {
  placeWords,
  productionOverlaps,
  resolvePlace,
  targetWritePlace,
  type WritePlace,
} from '../workspace/places';
import type { Workspace } from '../workspace/types';

export type { WritePlace } from '../workspace/places';

const HOW = {
  equals: 'is the same place as',
  inside: 'lies inside',
  contains: 'contains',
} as const;

/**
 * Null when a step of a session in `mode` may write at `place`; else the sentence that refuses it.
 * Only drills are confined: a rehearsal writes nothing and a live restore is meant for production.
 */
export function confinementProblem(
  workspace: Workspace,
  place: WritePlace,
  mode: SessionMode,
): string | null {
  if (mode !== 'drill') return null;
  const resolved = resolvePlace(workspace, place);
  if (!resolved) {
    // Every folder resolves: only a host or bucket place whose backend is not of its type is here.
    const { backend } = place as { backend?: string };
    return `a drill writes only where the workspace can tell what it reaches, and backend ${backend} is not an ${place.kind === 'host' ? 'ssh' : 's3'} backend of this workspace`;
  }
  const hits = productionOverlaps(workspace, resolved);
  const first = hits[0];
  if (!first) return null;
  const names = hits.map((h) => h.target.name).join(', ');
  return `a drill cannot write to ${placeWords(resolved)}: it ${HOW[first.how]} the production target ${names} (${placeWords(first.at)})`;
}

/** Throw the refusal as a sentence (code WRITE_IN_PRODUCTION) when the write is not allowed. */
export function assertConfined(
  workspace: Workspace,
  place: WritePlace,
  mode: SessionMode,
  what: string,
): void {
  const problem = confinementProblem(workspace, place, mode);
  if (problem === null) return;
  throw new UserError(
    'WRITE_IN_PRODUCTION',
    `${what} was stopped before writing: ${problem}.`,
    'Bind the drill to a sandbox target that shares no folder, host path or bucket prefix with production.',
  );
}

/** The names of the targets whose writes a drill must refuse: production, or overlapping it. */
export function productionByPlace(workspace: Workspace, names: Iterable<string>): string[] {
  const found: string[] = [];
  for (const name of names) {
    const target = workspace.targets.get(name);
    if (!target) continue;
    if (target.environment === 'production') found.push(name);
    else if (confinementProblem(workspace, targetWritePlace(target), 'drill') !== null)
      found.push(name);
  }
  return found;
}

/** The names of the targets the plan binds: its target parameters and its steps' confirmations. */
export function boundTargets(plan: RunbookPlan): string[] {
  const names = new Set<string>();
  for (const p of plan.params) if (p.type === 'target' && p.bound !== null) names.add(p.bound);
  for (const s of plan.steps) if (s.confirmTarget) names.add(s.confirmTarget);
  return [...names];
}
