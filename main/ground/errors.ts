// Errors as sentences: every failure that reaches a person says what failed and what to do next.
import type { AppError } from '../../preload/schemas/common';

/** An error meant for a person: a code, a sentence, and a hint with the next action. */
export class UserError extends Error {
  readonly code: string;
  readonly hint: string;
  constructor(code: string, message: string, hint = '') {
    super(message);
    this.name = 'UserError';
    this.code = code;
    this.hint = hint;
  }
}

/** Turn anything thrown into the error shape that crosses the boundary. */
export function toAppError(error: unknown): AppError {
  if (error instanceof UserError)
    return { code: error.code, message: error.message, hint: error.hint };
  const text = error instanceof Error ? error.message : String(error);
  return {
    code: 'INTERNAL',
    message: `Dapple hit an unexpected problem: ${text.slice(0, 500) || 'no details'}.`,
    hint: 'Try again; if it repeats, report it with the steps that led here.',
  };
}
