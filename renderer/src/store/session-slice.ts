// The restore session this console drives (main holds it; we keep its last view), the operator's
// key, and which control is waiting on main or was refused (the sentence shows next to it).
import type { StateCreator } from 'zustand';
import type { AppError } from '../../../preload/contract';
import type { LiveSession, OperatorKeyView, SessionMode } from '../../../preload/schemas/session';
import type { Store } from './index';

/** A refusal from main, tied to the control that asked (e.g. "approve", "start"). */
export type ControlError = { control: string; error: AppError };

/** Session state. */
export type SessionSlice = {
  /** The last view main sent of the running (or just sealed) session; null when none. */
  session: LiveSession | null;
  /** session.active has answered once (until then the Restore section does not offer a start). */
  sessionChecked: boolean;
  operator: OperatorKeyView | null;
  /** Main answered that this person has no signing key yet (one is made at the first session). */
  operatorNone: boolean;
  operatorError: AppError | null;
  operatorLoading: boolean;
  /** The mode being started, while session.start runs. */
  sessionStarting: SessionMode | null;
  /** The control whose request is in flight ("checklist", "run", "note", …). */
  sessionBusy: string | null;
  sessionError: ControlError | null;
  /** A sealed session the operator put away ("Back to the plan"): its later views are ignored. */
  sessionDismissed: string | null;
  /** The session put away, as a small banner above the plan until dismissed. */
  finishedSession: FinishedSession | null;
  /**
   * What the engineer chose for the plan before starting: the target (null: the runbook's
   * default) and typed values by parameter name. Main binds them; the plan shows the result.
   */
  restoreChoice: { target: string | null; params: Record<string, string> };
  /** The steps of a "run in a row" click still going (store/run-through.ts), or null. */
  runningRow: string[] | null;
};

/** A sealed session in a line: what it was and where its log is. */
export type FinishedSession = {
  id: string;
  title: string;
  mode: SessionMode | null;
  outcome: 'running' | 'completed' | 'failed' | 'aborted';
  logPath: string;
  sealedAt: string | null;
};

export const createSessionSlice: StateCreator<Store, [], [], SessionSlice> = () => ({
  session: null,
  sessionChecked: false,
  operator: null,
  operatorNone: false,
  operatorError: null,
  operatorLoading: false,
  sessionStarting: null,
  sessionBusy: null,
  sessionError: null,
  sessionDismissed: null,
  finishedSession: null,
  restoreChoice: { target: null, params: {} },
  runningRow: null,
});
