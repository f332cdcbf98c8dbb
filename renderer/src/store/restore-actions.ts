// Restore actions: fetch a runbook plan bound to the cut the Timeline handed over (or to nothing),
// the target the engineer picked and the values they typed; the Catalog's file selection rides along.
import type { AppError } from '../../../preload/contract';
import type { PlanChoice, RunbookPlan } from '../../../preload/schemas/runbook';
import { api, errorOf, unwrap } from '../ipc';
import { useStore } from './index';

/** The engineer's choice as main takes it: target, values, and the file browser's selection. */
export function currentChoice(): PlanChoice {
  const { restoreChoice, restoreSelection } = useStore.getState();
  return {
    ...(restoreChoice.target ? { target: restoreChoice.target } : {}),
    ...(Object.keys(restoreChoice.params).length > 0 ? { params: restoreChoice.params } : {}),
    ...(restoreSelection
      ? {
          selection: {
            source: restoreSelection.source,
            pointId: restoreSelection.pointId,
            paths: restoreSelection.items.map((i) => i.path),
          },
        }
      : {}),
  };
}

/** Fetch the plan of a runbook for the pending restore request's cut (null cut: unbound). */
export async function loadPlan(
  file: string,
): Promise<{ plan: RunbookPlan | null; error: AppError | null }> {
  const request = useStore.getState().restoreRequest;
  const cut = request && request.runbook === file ? request.cut : null;
  try {
    return {
      plan: await unwrap(api().runbook.plan({ file, cut, ...currentChoice() })),
      error: null,
    };
  } catch (error) {
    return { plan: null, error: errorOf(error) };
  }
}

/** Pick the target the plan restores to (null: the runbook's default). */
export const chooseTarget = (target: string | null): void =>
  useStore.setState((s) => ({ restoreChoice: { ...s.restoreChoice, target } }));

/** Set (or, with an empty value, clear) a typed parameter value. */
export function setParam(name: string, value: string): void {
  useStore.setState((s) => {
    const params = { ...s.restoreChoice.params };
    if (value === '') delete params[name];
    else params[name] = value;
    return { restoreChoice: { ...s.restoreChoice, params } };
  });
}

/** Forget the cut handed over by the Timeline. */
export const clearRestoreRequest = (): void => useStore.setState({ restoreRequest: null });
