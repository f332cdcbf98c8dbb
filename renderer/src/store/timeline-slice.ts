// The timeline of one group: its lanes, candidate cuts, the selection and the incident marker.
import type { StateCreator } from 'zustand';
import type { AppError } from '../../../preload/contract';
import type { Cut, Timeline } from '../../../preload/schemas/groups';
import type { Store } from './index';

/** Timeline state. */
export type TimelineSlice = {
  timelineGroup: string | null;
  timeline: Timeline | null;
  cuts: Cut[];
  timelineAsOf: string | null;
  timelineLoading: boolean;
  /** The lanes are shown and the candidate cuts are still on their way. */
  cutsLoading: boolean;
  timelineError: AppError | null;
  /** Index into cuts. */
  selectedCut: number | null;
  selectedPoint: { lane: number; index: number } | null;
  /** When the incident began (ISO), as the engineer set it. */
  incident: string | null;
  /** The answer to "the last good state before the incident", in words. */
  incidentAnswer: string | null;
  /** The selected cut is the one proposed for the incident (not picked by hand). */
  cutProposed: boolean;
  /** Counts proposals: the banner takes the focus when it changes (the next thing to press). */
  proposals: number;
  /** The cut handed to the Restore section by "Restore this cut". */
  restoreRequest: RestoreRequest | null;
  /** A point the Catalog asked to show ("Open in Timeline"), selected once its lane is in. */
  timelineFocus: { service: string; pointId: string } | null;
};

/** What "Restore this cut" hands to the Restore section. */
export type RestoreRequest = {
  group: string;
  runbook: string | null;
  cut: Cut;
  /** When the incident began (ISO), kept in the session's log. */
  incident: string | null;
};

export const createTimelineSlice: StateCreator<Store, [], [], TimelineSlice> = () => ({
  timelineGroup: null,
  timeline: null,
  cuts: [],
  timelineAsOf: null,
  timelineLoading: false,
  cutsLoading: false,
  timelineError: null,
  selectedCut: null,
  selectedPoint: null,
  incident: null,
  incidentAnswer: null,
  cutProposed: false,
  proposals: 0,
  restoreRequest: null,
  timelineFocus: null,
});
