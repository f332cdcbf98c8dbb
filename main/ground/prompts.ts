// The questions main asks the person at the keyboard, as every room sees them: the broker's
// interface only. The broker itself (events, timeouts) lives in main/api/prompts.ts.
import type { EventPayload } from '../../preload/contract';

/** An SSH host key Dapple has not seen before. */
export type HostKeyInfo = { host: string; port: number; keyType: string; fingerprint: string };

/** A question as the console shows it. */
export type Question = EventPayload<'prompt.show'>;

/** An answer from the renderer: accept for a host key, passphrase for a key file. */
export type PromptAnswer = {
  id: string;
  accept?: boolean | undefined;
  passphrase?: string | undefined;
};

/** The questions main can ask, and the way answers come back. */
export type PromptBroker = {
  /** Ask whether to trust an unknown host key; only an explicit yes in time returns true. */
  acceptHostKey(info: HostKeyInfo): Promise<boolean>;
  /** Ask for the passphrase of an encrypted key file; null when refused or unanswered. */
  askPassphrase(request: {
    host: string;
    keyFile: string;
    message?: string;
  }): Promise<string | null>;
  /** Deliver an answer; throws a sentence when the question is gone (answered, timed out, unknown). */
  answer(answer: PromptAnswer): void;
  /** Questions waiting for an answer now, oldest first (for a console that opens late). */
  pending(): Question[];
};
