// Findings about consistency groups: whether the group as a whole can be restored to a recent,
// consistent point (each member within its RPO is not enough when they do not fit together).
import type { RecoveryPoint } from '../../preload/schemas/catalog';
import type { Finding } from '../../preload/schemas/groups';
import type { ServiceConfig } from '../workspace/types';
import { bestCutBefore } from './candidates';
import type { GroupSpec } from './cuts';
import { formatDuration, formatInstant } from './time';

/**
 * For each group: an error when no consistent cut exists at all, a warning when the newest one
 * is older than the tightest RPO among its members. `service` carries the group's name.
 */
export function groupFindings(
  groups: Iterable<GroupSpec>,
  services: ReadonlyMap<string, ServiceConfig>,
  points: readonly RecoveryPoint[],
  now: number,
): Finding[] {
  const out: Finding[] = [];
  for (const group of groups) {
    if (group.members.length === 0) continue;
    const best = bestCutBefore(group, points, now, { now });
    if (best.cut === null) {
      out.push({
        severity: 'error',
        service: group.name,
        kind: 'group-cut',
        message: `Group ${group.name}: ${best.reason}.`,
      });
      continue;
    }
    let tightest: ServiceConfig | null = null;
    for (const name of group.members) {
      const s = services.get(name);
      if (s && s.rpoSeconds > 0 && (tightest === null || s.rpoSeconds < tightest.rpoSeconds))
        tightest = s;
    }
    const age = now - Date.parse(best.cut.time);
    if (tightest === null || age <= tightest.rpoSeconds * 1000) continue;
    const why =
      best.newest && best.newest !== best.cut
        ? `; the newest state is not consistent: ${best.newest.reason}`
        : '';
    out.push({
      severity: 'warning',
      service: group.name,
      kind: 'group-cut',
      message:
        `The newest consistent cut of group ${group.name} is ${formatDuration(age)} old ` +
        `(${formatInstant(Date.parse(best.cut.time))}), beyond the ${formatDuration(tightest.rpoSeconds * 1000)} RPO of ${tightest.name}${why}.`,
    });
  }
  return out;
}
