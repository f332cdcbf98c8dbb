// The open workspace and facts about the engine we talk to.
import type { StateCreator } from 'zustand';
import type { AppError, WorkspaceView } from '../../../preload/contract';
import type { Store } from './index';

/** Workspace state: the view from main, whether we are loading, and the last error. */
export type WorkspaceSlice = {
  workspace: WorkspaceView | null;
  workspaceLoading: boolean;
  workspaceError: AppError | null;
  appInfo: { version: string; transport: 'electron' | 'browser'; platform: string } | null;
  /** Whether the engine answered the last call or event. */
  connected: boolean;
};

export const createWorkspaceSlice: StateCreator<Store, [], [], WorkspaceSlice> = () => ({
  workspace: null,
  workspaceLoading: true,
  workspaceError: null,
  appInfo: null,
  connected: false,
});
