// One store built from typed slices (a file per slice); actions live in actions.ts as plain functions.
import { create } from 'zustand';
import { createAuditSlice, type AuditSlice } from './audit-slice';
import { createCatalogSlice, type CatalogSlice } from './catalog-slice';
import { createDrillsSlice, type DrillsSlice } from './drills-slice';
import { createHealthSlice, type HealthSlice } from './health-slice';
import { createNavigationSlice, type NavigationSlice } from './navigation-slice';
import { createPromptSlice, type PromptSlice } from './prompt-slice';
import { createSessionSlice, type SessionSlice } from './session-slice';
import { createTimelineSlice, type TimelineSlice } from './timeline-slice';
import { createWorkspaceSlice, type WorkspaceSlice } from './workspace-slice';

/** The whole renderer state. */
export type Store = NavigationSlice &
  WorkspaceSlice &
  TimelineSlice &
  HealthSlice &
  CatalogSlice &
  AuditSlice &
  PromptSlice &
  SessionSlice &
  DrillsSlice;

export const useStore = create<Store>()((...a) => ({
  ...createNavigationSlice(...a),
  ...createWorkspaceSlice(...a),
  ...createTimelineSlice(...a),
  ...createCatalogSlice(...a),
  ...createHealthSlice(...a),
  ...createAuditSlice(...a),
  ...createPromptSlice(...a),
  ...createSessionSlice(...a),
  ...createDrillsSlice(...a),
}));
