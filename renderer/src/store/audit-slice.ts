// The Audit section: the logs on offer, the open log's verdict and replay, and the player.
import type { StateCreator } from 'zustand';
import type { AppError } from '../../../preload/contract';
import type { AuditOpened, WorkspaceLog } from '../../../preload/schemas/audit-replay';
import type { Store } from './index';

/** How the open log was named: a path, or a dropped file's name and text (for reports). */
export type AuditRef = { path: string } | { name: string; text: string };

/** An output blob loaded on demand. */
export type LoadedBlob = { text: string | null; hidden: string | null; truncated: boolean };

/** Audit state. */
export type AuditSlice = {
  auditLogs: WorkspaceLog[] | null;
  auditLoading: boolean;
  auditError: AppError | null;
  audit: AuditOpened | null;
  auditRef: AuditRef | null;
  /** Index of the record the replay shows (the state after it). */
  auditPos: number;
  auditPlaying: boolean;
  /** Replay speed: 1 = as it happened. */
  auditSpeed: number;
  /** Replay time: milliseconds since the open record. */
  auditClockMs: number;
  /** The step the reviewer picked; null follows the replay. */
  auditFocusStep: string | null;
  auditBlobs: Record<string, LoadedBlob>;
  /** A sentence about the last export, or null. */
  auditExport: string | null;
};

export const createAuditSlice: StateCreator<Store, [], [], AuditSlice> = () => ({
  auditLogs: null,
  auditLoading: false,
  auditError: null,
  audit: null,
  auditRef: null,
  auditPos: 0,
  auditPlaying: false,
  auditSpeed: 30,
  auditClockMs: 0,
  auditFocusStep: null,
  auditBlobs: {},
  auditExport: null,
});
