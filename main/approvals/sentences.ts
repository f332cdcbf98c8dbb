// An error as the one sentence (and hint) a person reads.
import { toAppError } from '../ground/errors';

/** The error's sentence and its hint, on one line. */
export function toAppErrorText(error: unknown): string {
  const e = toAppError(error);
  return e.hint ? `${e.message} ${e.hint}` : e.message;
}
