// Questions main must ask the person at the keyboard (trust this SSH host key? the passphrase of
// this key file?): shown with a prompt.show event, answered with a prompt.answer call. A question
// nobody answers in time counts as "no", so a background refresh never hangs for ever.
import { randomUUID } from 'node:crypto';
import type { EventName, EventPayload } from '../../preload/contract';
import { UserError } from '../ground/errors';
import type { PromptAnswer, PromptBroker, Question } from '../ground/prompts';

export type { PromptAnswer, PromptBroker } from '../ground/prompts';

/** How long a question waits before it counts as "no" (and the passphrase as "skip this key"). */
export const PROMPT_TIMEOUT_MS = 5 * 60_000;

type Emit = <E extends EventName>(name: E, payload: EventPayload<E>) => void;
type Waiting = { question: Question; settle: (answer: PromptAnswer | null) => void };

/** A broker that shows questions through emit and waits for prompt.answer (or the timeout). */
export function createPromptBroker(emit: Emit, options: { timeoutMs?: number } = {}): PromptBroker {
  const timeoutMs = options.timeoutMs ?? PROMPT_TIMEOUT_MS;
  const waiting = new Map<string, Waiting>();

  const ask = (
    question: Omit<EventPayload<'prompt.show'>, 'id' | 'timeoutSeconds'>,
  ): Promise<PromptAnswer | null> =>
    new Promise((resolve) => {
      const id = randomUUID();
      const timer = setTimeout(() => settle(null), timeoutMs);
      // Let the app quit with a question on screen.
      timer.unref();
      const settle = (answer: PromptAnswer | null) => {
        if (!waiting.delete(id)) return;
        clearTimeout(timer);
        // The renderer closes its dialog on this, whoever answered (or the timeout).
        emit('prompt.closed', { id });
        resolve(answer);
      };
      const shown: Question = { ...question, id, timeoutSeconds: Math.round(timeoutMs / 1000) };
      waiting.set(id, { question: shown, settle });
      emit('prompt.show', shown);
    });

  return {
    async acceptHostKey(info) {
      const where = `${info.host}:${info.port}`;
      const answer = await ask({
        kind: 'host-key',
        host: where,
        keyType: info.keyType,
        fingerprint: info.fingerprint,
        message: `Dapple has never seen the SSH host key of ${where}. Compare its fingerprint with the one the host owner gives you (ssh-keygen -lf /etc/ssh/ssh_host_*_key.pub on the host) before you trust it.`,
      });
      return answer?.accept === true;
    },
    async askPassphrase({ host, keyFile, message }) {
      const answer = await ask({
        kind: 'passphrase',
        host,
        keyFile,
        message:
          message ??
          `The SSH key ${keyFile} is encrypted. Type its passphrase to log in to ${host}; Dapple keeps it only for this login.`,
      });
      if (!answer || answer.accept === false || answer.passphrase === undefined) return null;
      return answer.passphrase;
    },
    answer(answer) {
      const question = waiting.get(answer.id);
      if (!question) {
        throw new UserError(
          'PROMPT_GONE',
          'This question is no longer waiting for an answer: it was answered already, or it timed out and counted as "no".',
          'Start the action again (for example, refresh the catalog) to be asked again.',
        );
      }
      if (
        question.question.kind === 'passphrase' &&
        answer.accept !== false &&
        !answer.passphrase
      ) {
        throw new UserError(
          'PROMPT_NEEDS_PASSPHRASE',
          'No passphrase was typed for the SSH key.',
          'Type the passphrase, or choose Cancel to skip this key.',
        );
      }
      question.settle(answer);
    },
    pending: () => [...waiting.values()].map((w) => w.question),
  };
}
