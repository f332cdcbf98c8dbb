// Questions main is asking (prompt.show): the first one is on screen, the others wait their turn.
import type { StateCreator } from 'zustand';
import type { AppError, EventPayload } from '../../../preload/contract';
import type { Store } from './index';

/** One question from main, as prompt.show sent it. */
export type PromptQuestion = EventPayload<'prompt.show'>;

/** Prompt state: questions waiting for an answer, oldest first, and why the last answer failed. */
export type PromptSlice = {
  promptQueue: PromptQuestion[];
  promptError: AppError | null;
};

export const createPromptSlice: StateCreator<Store, [], [], PromptSlice> = () => ({
  promptQueue: [],
  promptError: null,
});
