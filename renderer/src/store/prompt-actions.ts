// Prompt actions: queue questions from main, drop them when main closes them, send answers.
import { api, errorOf, unwrap } from '../ipc';
import { useStore } from './index';
import type { PromptQuestion } from './prompt-slice';

const set = useStore.setState;

/** prompt.show: queue the question (a repeated id is ignored). */
export function onPromptShow(question: PromptQuestion): void {
  set((s) =>
    s.promptQueue.some((q) => q.id === question.id)
      ? s
      : { promptQueue: [...s.promptQueue, question] },
  );
}

/** Questions main already waits on (asked before this console subscribed, or while it was away). */
export async function loadPendingPrompts(): Promise<void> {
  try {
    for (const question of await unwrap(api().prompt.pending({}))) onPromptShow(question);
  } catch {
    // An engine without prompts (older version) has nothing to ask.
  }
}

/** prompt.closed: main no longer waits (answered here, elsewhere, or timed out). */
export function onPromptClosed({ id }: { id: string }): void {
  set((s) => ({
    promptQueue: s.promptQueue.filter((q) => q.id !== id),
    promptError: s.promptQueue[0]?.id === id ? null : s.promptError,
  }));
}

/** Answer a question; the passphrase is sent once and not kept in the store. */
export async function answerPrompt(
  id: string,
  answer: { accept: boolean; passphrase?: string },
): Promise<void> {
  try {
    await unwrap(api().prompt.answer({ id, ...answer }));
    onPromptClosed({ id });
  } catch (error) {
    const failure = errorOf(error);
    // A question that is gone (timed out) just leaves: the source's own error says what happened.
    if (failure.code === 'PROMPT_GONE') onPromptClosed({ id });
    else set({ promptError: failure });
  }
}
