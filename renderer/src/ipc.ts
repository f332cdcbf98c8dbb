// The renderer's one link to main: window.dapple, typed from the contract. Events are wired once here.
import type { DappleApi } from '../../preload/api-types';
import type { AppError, Result } from '../../preload/contract';

declare global {
  interface Window {
    dapple: DappleApi;
  }
}

/** window.dapple, whichever transport defined it (Electron preload or browser-mode bridge). */
export const api = (): DappleApi => window.dapple;

/** An error from main, thrown by `unwrap` so callers can show its sentence. */
export class CallError extends Error {
  readonly error: AppError;
  constructor(error: AppError) {
    super(error.message);
    this.error = error;
  }
}

/** The value of a Result, or a thrown CallError with main's sentence. */
export async function unwrap<T>(pending: Promise<Result<T>>): Promise<T> {
  const result = await pending;
  if (!result.ok) throw new CallError(result.error);
  return result.value;
}

/** The sentence to show for anything thrown (a bug in the console is said as one, too). */
export function errorOf(error: unknown): AppError {
  if (error instanceof CallError) return error.error;
  const text = error instanceof Error ? error.message : String(error);
  return {
    code: 'RENDERER',
    message: 'The console hit an unexpected problem and could not finish that.',
    hint: 'Try again; if it happens again, reload the window and report it with the detail below.',
    detail: text.slice(0, 500),
  };
}
