// Timeline lanes kept per catalog version: the catalog service hands out a new points array on
// every refresh (or workspace reload), so the array itself is the version. Lanes of an array no
// longer held are collected with it.
import type { RecoveryPoint } from '../../../preload/schemas/catalog';
import type { Timeline } from '../../../preload/schemas/groups';
import type { GroupSpec } from '../../groups/cuts';
import { prepareLanes, timelineAt, type TimelineBase } from '../../groups/timeline';
import type { ServiceConfig } from '../../workspace/types';

const kept = new WeakMap<readonly RecoveryPoint[], Map<string, TimelineBase>>();

// What the lanes depend on besides the points: the group's shape and its members' RPOs.
function keyOf(group: GroupSpec, services: ReadonlyMap<string, ServiceConfig>): string {
  const rpos = group.members.map((m) => services.get(m)?.rpoSeconds ?? null);
  return JSON.stringify([group.name, group.members, group.order, rpos]);
}

/** The group's lanes as of `now`, prepared once per catalog points array. */
export function groupTimeline(
  group: GroupSpec,
  points: readonly RecoveryPoint[],
  services: ReadonlyMap<string, ServiceConfig>,
  now: number,
): Timeline {
  let byKey = kept.get(points);
  if (!byKey) {
    byKey = new Map();
    kept.set(points, byKey);
  }
  const key = keyOf(group, services);
  let base = byKey.get(key);
  if (!base) {
    base = prepareLanes({ services: services.values(), points, group });
    byKey.set(key, base);
  }
  return timelineAt(base, now);
}
