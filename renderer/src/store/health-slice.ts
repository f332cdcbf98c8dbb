// Findings for the Health section.
import type { StateCreator } from 'zustand';
import type { AppError } from '../../../preload/contract';
import type { Finding } from '../../../preload/schemas/groups';
import type { Store } from './index';

/** Health state: the findings from main and when their catalog was read. */
export type HealthSlice = {
  findings: Finding[] | null;
  findingsAsOf: string | null;
  findingsError: AppError | null;
};

export const createHealthSlice: StateCreator<Store, [], [], HealthSlice> = () => ({
  findings: null,
  findingsAsOf: null,
  findingsError: null,
});
