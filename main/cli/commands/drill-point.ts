// Which point a drill restores: the newest consistent cut (default), or a random consistent cut
// from a recent window (`--point random --within 30d`) so older backups get tested too.
import { randomInt } from 'node:crypto';
import type { Cut } from '../../../preload/schemas/groups';
import type { RecoveryPoint } from '../../../preload/schemas/catalog';
import { UserError } from '../../ground/errors';
import { bestCutBefore, candidateCuts } from '../../groups/candidates';
import { parseDuration } from '../../workspace/duration';
import type { GroupConfig } from '../../workspace/types';
import { flagString, type ParsedArgs } from '../command';

/** How the point is chosen, as the JSON summary reports it. */
export type PointChoice = { choice: 'newest' | 'random'; within: string | null };

/** --point and --within, checked. */
export function pointChoice(parsed: ParsedArgs): PointChoice {
  const point = flagString(parsed, 'point') ?? 'newest';
  const within = flagString(parsed, 'within') ?? null;
  if (point !== 'newest' && point !== 'random') {
    throw new UserError(
      'BAD_ARGS',
      `--point ${JSON.stringify(point.slice(0, 40))} is not a way to choose a point.`,
      'Use --point newest (the default) or --point random --within 30d.',
    );
  }
  if (within !== null && (point !== 'random' || !(parseDuration(within) ?? 0))) {
    throw new UserError(
      'BAD_ARGS',
      point === 'random'
        ? `--within ${JSON.stringify(within.slice(0, 40))} is not a duration.`
        : '--within goes with --point random.',
      'Write it like --point random --within 30d.',
    );
  }
  return { choice: point, within: point === 'random' ? (within ?? '30d') : null };
}

/** Random cuts are drawn from at most this many candidates. */
const RANDOM_POOL = 5000;

/** The cut to drill, with a sentence saying how it was chosen. */
export function chooseCut(
  group: GroupConfig,
  points: readonly RecoveryPoint[],
  choice: PointChoice,
  at: { now: number; before: number | undefined },
): { cut: Cut; how: string } {
  if (choice.choice === 'newest') {
    const best = bestCutBefore(group, points, at.before ?? at.now + 1, { now: at.now });
    if (!best.cut) {
      throw new UserError(
        'NO_CUT',
        `No consistent cut of ${group.name}: ${best.reason}.`,
        'Refresh the catalog (--refresh), or pick another --before.',
      );
    }
    return { cut: best.cut, how: 'the newest consistent cut' };
  }
  const windowMs = (parseDuration(choice.within ?? '30d') ?? 0) * 1000;
  const from = at.now - windowMs;
  const pool = candidateCuts(group, points, {
    now: at.now,
    before: at.before,
    consistentOnly: true,
    limit: RANDOM_POOL,
  }).filter((c) => Date.parse(c.time) >= from);
  if (pool.length === 0) {
    throw new UserError(
      'NO_CUT',
      `No consistent cut of ${group.name} in the last ${choice.within}.`,
      'Widen --within, refresh the catalog (--refresh), or drill the newest point.',
    );
  }
  const cut = pool[randomInt(pool.length)] as Cut;
  return { cut, how: `a random consistent cut of the ${pool.length} in the last ${choice.within}` };
}
