// From one recovery point in the Catalog to its group: show it on the group's Timeline, or restore
// the group from the newest consistent cut at that point's time (which must hold the point).
import type { RecoveryPoint } from '../../../preload/schemas/catalog';
import type { Cut } from '../../../preload/schemas/groups';
import type { WorkspaceView } from '../../../preload/contract';
import { laneIds } from '../../../preload/schemas/lanes';
import { api, errorOf, unwrap } from '../ipc';
import { navigate } from './actions';
import { useStore } from './index';
import { closeSession } from './session-actions';
import { loadTimeline } from './timeline-actions';

const set = useStore.setState;
const get = useStore.getState;

/** The consistency groups a service belongs to, in the workspace's order. */
export function groupsOfService(workspace: WorkspaceView | null, service: string): string[] {
  return (workspace?.groups ?? []).filter((g) => g.members.includes(service)).map((g) => g.name);
}

/** Show the point on its group's Timeline, selected and centred. */
export async function openInTimeline(point: RecoveryPoint): Promise<void> {
  const group = groupsOfService(get().workspace, point.service)[0];
  if (!group) return;
  set({ timelineFocus: { service: point.service, pointId: point.id } });
  navigate('timeline');
  if (get().timelineGroup !== group || !get().timeline) await loadTimeline(group);
  else focusTimelinePoint();
}

/** Select the point the Catalog asked for, once its group's lanes are in. */
export function focusTimelinePoint(): void {
  const { timelineFocus: focus, timeline } = get();
  if (!focus || !timeline) return;
  const lane = timeline.lanes.findIndex((l) => l.service === focus.service);
  const found = timeline.lanes[lane];
  if (!found) return;
  const index = laneIds(found).indexOf(focus.pointId);
  set({ timelineFocus: null });
  if (index >= 0) set({ selectedPoint: { lane, index }, selectedCut: null, cutProposed: false });
}

/** What "Restore from this point" found, in words, when it could not go straight on. */
export type PointRestore =
  { ok: true } | { ok: false; message: string; cut: Cut | null; group: string | null };

/** Hand the group's cut at this point's time to the Restore section. */
export function restoreCutOf(group: string, cut: Cut): void {
  const workspace = get().workspace;
  const runbook = workspace?.groups.find((g) => g.name === group)?.runbook ?? null;
  if (get().session?.state.sealed) closeSession();
  set({ restoreRequest: { group, runbook, cut, incident: null }, section: 'restore' });
}

/**
 * "Restore from this point": the newest consistent cut of the point's group at the point's time.
 * When that cut holds this very point, the Restore section opens on it; otherwise the caller shows
 * why and offers that cut.
 */
export async function restoreFromPoint(point: RecoveryPoint): Promise<PointRestore> {
  const workspace = get().workspace;
  const groups = groupsOfService(workspace, point.service);
  const group = groups.find((g) => workspace?.groups.find((x) => x.name === g)?.runbook) ?? null;
  if (!group) {
    return {
      ok: false,
      cut: null,
      group: null,
      message: groups.length
        ? `${point.service} is in ${groups.join(', ')}, which has no runbook: add one in dapple.yaml to restore from here.`
        : `${point.service} is in no consistency group, so no runbook restores it: add it to a group in dapple.yaml.`,
    };
  }
  try {
    const before = new Date(Date.parse(point.time) + 1000).toISOString();
    const best = await unwrap(api().groups.bestCut({ group, before }));
    if (!best.cut)
      return {
        ok: false,
        cut: null,
        group,
        message: `No consistent cut of ${group} at this point's time: ${best.reason}.`,
      };
    const member = best.cut.members.find((m) => m.service === point.service);
    if (member?.pointId === point.id) {
      restoreCutOf(group, best.cut);
      return { ok: true };
    }
    return {
      ok: false,
      cut: best.cut,
      group,
      message: `This point is not in a consistent cut of ${group}: the newest consistent cut at its time is ${best.cut.time.slice(0, 16).replace('T', ' ')} UTC and restores ${point.service} from ${member?.pointId ?? 'a continuous window'}.`,
    };
  } catch (error) {
    const e = errorOf(error);
    return { ok: false, cut: null, group, message: `${e.message} ${e.hint}`.trim() };
  }
}
