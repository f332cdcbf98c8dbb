// Drills actions: fetch the history (main verifies each log once, so asking again is cheap), pick
// a drill, and open its log in the Audit section.
import type { RestorePrediction } from '../../../preload/schemas/drills';
import type { Cut } from '../../../preload/schemas/groups';
import { api, errorOf, unwrap } from '../ipc';
import { useStore } from './index';
import { openLogInAudit } from './session-actions';

const set = useStore.setState;
let asked = 0;

/** Fetch the drill history of the open workspace (the newest answer wins). */
export async function loadDrills(): Promise<void> {
  const mine = ++asked;
  set({ drillsLoading: true });
  try {
    const history = await unwrap(api().drills.history({}));
    if (mine === asked) set({ drillHistory: history, drillsLoading: false, drillsError: null });
  } catch (error) {
    if (mine === asked) set({ drillsLoading: false, drillsError: errorOf(error) });
  }
}

/** Show the steps of one drill. */
export const pickDrill = (logPath: string): void => set({ drillPicked: logPath });

/** Verify and replay a drill's log in the Audit section. */
export const openDrillInAudit = (logPath: string): Promise<void> => openLogInAudit(logPath);

/** How long a restore of this runbook and cut should take, from past drills; null when main could not say. */
export async function predictRestore(
  file: string,
  cut: Cut | null,
): Promise<RestorePrediction | null> {
  try {
    return await unwrap(api().drills.predict({ file, cut }));
  } catch {
    return null;
  }
}
