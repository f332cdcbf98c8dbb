// Timeline actions: load a group's lanes and cuts, select, set the incident, hand a cut to Restore.
import { api, errorOf, unwrap } from '../ipc';
import { useStore } from './index';
import { focusTimelinePoint } from './point-actions';
import { closeSession } from './session-actions';

const set = useStore.setState;
const get = useStore.getState;

// The load in flight: a refresh waits for it, so that its answer is not overwritten by the
// lanes of an older load arriving after it (their cuts still on the way).
let loading: Promise<void> = Promise.resolve();

/**
 * Load a group's lanes, then its candidate cuts. Both are asked at once: main answers in order,
 * so the lanes arrive (and are drawn) first and the cuts, which cost about as much again in main,
 * right after.
 */
export function loadTimeline(group: string): Promise<void> {
  const run = load(group);
  loading = run;
  return run;
}

async function load(group: string): Promise<void> {
  set({
    timelineGroup: group,
    timelineLoading: true,
    cutsLoading: true,
    timelineError: null,
    selectedCut: null,
    selectedPoint: null,
    incidentAnswer: null,
  });
  const lanes = unwrap(api().groups.timeline({ group, limit: 200, parts: 'lanes' }));
  const cuts = unwrap(api().groups.timeline({ group, limit: 200, parts: 'cuts' }));
  cuts.catch(() => undefined); // awaited below; not an unhandled rejection meanwhile
  try {
    const answer = await lanes;
    if (get().timelineGroup !== group) return;
    // Marks for the benchmark: when each answer reached the page (parsed).
    performance.mark('timeline-lanes');
    set({ timeline: answer.timeline, cuts: [], timelineAsOf: answer.asOf, timelineLoading: false });
    focusTimelinePoint();
  } catch (error) {
    set({
      timelineLoading: false,
      cutsLoading: false,
      timelineError: errorOf(error),
      timeline: null,
      cuts: [],
    });
    return;
  }
  try {
    const answer = await cuts;
    if (get().timelineGroup !== group) return;
    performance.mark('timeline-cuts');
    set({ cuts: answer.cuts, cutsLoading: false });
    const incident = get().incident;
    if (incident) await setIncident(incident);
  } catch (error) {
    set({ cutsLoading: false, timelineError: errorOf(error) });
  }
}

/**
 * The catalog changed (a refresh finished): fetch the open group's timeline again, keeping the
 * engineer's selected cut when the same cut still exists, so a background refresh never steals it.
 */
export async function refreshTimeline(): Promise<void> {
  await loading.catch(() => undefined);
  const { timelineGroup: group, cuts, selectedCut, incident } = get();
  if (!group) return;
  const kept = selectedCut !== null ? cuts[selectedCut] : undefined;
  try {
    const answer = await unwrap(api().groups.timeline({ group, limit: 200 }));
    if (get().timelineGroup !== group) return;
    const index = kept
      ? answer.cuts.findIndex((c) => c.time === kept.time && c.consistent === kept.consistent)
      : -1;
    set({
      timeline: answer.timeline,
      cuts: answer.cuts,
      cutsLoading: false,
      timelineAsOf: answer.asOf,
      selectedCut: index >= 0 ? index : null,
      selectedPoint: null,
    });
    if (incident && index < 0) await setIncident(incident);
  } catch (error) {
    set({ timelineError: errorOf(error) });
  }
}

/** Select a cut by index (null clears). */
export const selectCut = (index: number | null): void =>
  set({ selectedCut: index, selectedPoint: null, cutProposed: false });

/** Select a point on a lane (null clears). */
export const selectPoint = (point: { lane: number; index: number } | null): void =>
  set({ selectedPoint: point, selectedCut: null, cutProposed: false });

/** Mark when the incident began; ask main for the newest consistent cut before it and select it. */
export async function setIncident(iso: string | null): Promise<void> {
  set({ incident: iso, incidentAnswer: null, ...(iso ? {} : { cutProposed: false }) });
  const group = get().timelineGroup;
  if (!iso || !group) return;
  try {
    const best = await unwrap(api().groups.bestCut({ group, before: iso }));
    const cuts = get().cuts;
    if (!best.cut) {
      set({ incidentAnswer: best.reason, selectedCut: null, cutProposed: false });
      return;
    }
    let index = cuts.findIndex(
      (c) => c.time === best.cut?.time && c.consistent === best.cut.consistent,
    );
    if (index < 0) {
      set({ cuts: [...cuts, best.cut] });
      index = cuts.length;
    }
    set({
      incidentAnswer: best.reason,
      selectedCut: index,
      selectedPoint: null,
      cutProposed: true,
      proposals: get().proposals + 1,
    });
  } catch (error) {
    const e = errorOf(error);
    set({ incidentAnswer: `${e.message} ${e.hint}`.trim(), cutProposed: false });
  }
}

/** "Restore this cut": open the Restore section with the group's runbook bound to the cut. */
export function restoreCut(index: number): void {
  const { cuts, timelineGroup, workspace, incident } = get();
  const cut = cuts[index];
  if (!cut || !timelineGroup) return;
  const runbook = workspace?.groups.find((g) => g.name === timelineGroup)?.runbook ?? null;
  // A finished session must not stand in for the plan (it reads as "done"): put it away.
  if (get().session?.state.sealed) closeSession();
  set({ restoreRequest: { group: timelineGroup, runbook, cut, incident }, section: 'restore' });
}
