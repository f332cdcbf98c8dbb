// The Drills section: the workspace's drill history (only logs that verify VALID count) and the
// drill picked to see its steps. The catalog reads the points it tested from here too.
import type { StateCreator } from 'zustand';
import type { AppError } from '../../../preload/contract';
import type { DrillHistory } from '../../../preload/schemas/drills';
import type { Store } from './index';

/** Drills state. */
export type DrillsSlice = {
  drillHistory: DrillHistory | null;
  drillsLoading: boolean;
  drillsError: AppError | null;
  /** The drill whose steps are shown, by its log path; null: the newest of each runbook. */
  drillPicked: string | null;
};

export const createDrillsSlice: StateCreator<Store, [], [], DrillsSlice> = () => ({
  drillHistory: null,
  drillsLoading: false,
  drillsError: null,
  drillPicked: null,
});
