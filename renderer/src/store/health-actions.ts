// Health actions: fetch findings, and jump from a finding to its lane and point on the Timeline.
import type { Finding } from '../../../preload/schemas/groups';
import { laneIds } from '../../../preload/schemas/lanes';
import { api, errorOf, unwrap } from '../ipc';
import { useStore } from './index';
import { loadTimeline, selectPoint } from './timeline-actions';

const set = useStore.setState;

/** Fetch every finding of the open workspace. */
export async function loadFindings(): Promise<void> {
  try {
    const answer = await unwrap(api().health.findings({}));
    set({ findings: answer.findings, findingsAsOf: answer.asOf, findingsError: null });
  } catch (error) {
    set({ findingsError: errorOf(error) });
  }
}

/** The first group that has this service as a member, or null. */
export function groupOfService(service: string): string | null {
  return (
    useStore.getState().workspace?.groups.find((g) => g.members.includes(service))?.name ?? null
  );
}

/** Show a finding's lane (and point, when it names one) on the Timeline. */
export async function showOnTimeline(finding: Finding): Promise<void> {
  const group = groupOfService(finding.service);
  if (!group) return;
  set({ section: 'timeline' });
  await loadTimeline(group);
  const timeline = useStore.getState().timeline;
  if (!timeline || !finding.pointId) return;
  const lane = timeline.lanes.findIndex((l) => l.service === finding.service);
  const row = timeline.lanes[lane];
  const index = row ? laneIds(row).indexOf(finding.pointId) : -1;
  if (index >= 0) selectPoint({ lane, index });
}
