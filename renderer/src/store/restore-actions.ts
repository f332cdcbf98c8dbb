// Restore actions: fetch a runbook plan bound to the cut the Timeline handed over (or to nothing).
import type { AppError } from '../../../preload/contract';
import type { RunbookPlan } from '../../../preload/schemas/runbook';
import { api, errorOf, unwrap } from '../ipc';
import { useStore } from './index';

/** Fetch the plan of a runbook for the pending restore request's cut (null cut: unbound). */
export async function loadPlan(
  file: string,
): Promise<{ plan: RunbookPlan | null; error: AppError | null }> {
  const request = useStore.getState().restoreRequest;
  const cut = request && request.runbook === file ? request.cut : null;
  try {
    return { plan: await unwrap(api().runbook.plan({ file, cut })), error: null };
  } catch (error) {
    return { plan: null, error: errorOf(error) };
  }
}

/** Forget the cut handed over by the Timeline. */
export const clearRestoreRequest = (): void => useStore.setState({ restoreRequest: null });
