// The one door into main: validate the request, run the handler, validate the answer. Nothing
// thrown inside ever crosses the boundary; the caller always gets a Result.
import { calls, events, type CallName, type EventName, type Result } from '../../preload/contract';
import { brokenAnswer, issuesText, refusedRequest } from '../../preload/request-words';
import type { AppContext } from './context';
import { toAppError } from '../ground/errors';
import { handlers } from './handlers/index';

/** Is this a call the contract knows? (Own keys only: "__proto__" and friends are not calls.) */
export const isCallName = (name: string): name is CallName => Object.hasOwn(calls, name);

/** Run one call from an untrusted caller. */
export async function dispatch(
  name: string,
  request: unknown,
  ctx: AppContext,
): Promise<Result<unknown>> {
  if (!isCallName(name)) {
    return {
      ok: false,
      error: {
        code: 'UNKNOWN_CALL',
        message: `Dapple has no call named "${name.slice(0, 80)}".`,
        hint: 'The console and the engine are from different versions; restart Dapple.',
      },
    };
  }
  const spec = calls[name];
  const parsed = spec.request.safeParse(request ?? {});
  // A person reads these: what could not be done and which value was refused, in words.
  if (!parsed.success) return { ok: false, error: refusedRequest(name, parsed.error.issues) };
  let value: unknown;
  try {
    const handler = handlers[name] as (req: unknown, c: AppContext) => Promise<unknown>;
    value = await handler(parsed.data, ctx);
  } catch (error) {
    return { ok: false, error: toAppError(error) };
  }
  const checked = spec.response.safeParse(value);
  if (!checked.success) return { ok: false, error: brokenAnswer(name, checked.error.issues) };
  return { ok: true, value: checked.data };
}

/** Validate an event payload before it leaves main; a bad payload is dropped and reported. */
export function checkEvent(
  name: EventName,
  payload: unknown,
): { ok: true; payload: unknown } | { ok: false; reason: string } {
  const parsed = events[name].safeParse(payload);
  return parsed.success
    ? { ok: true, payload: parsed.data }
    : { ok: false, reason: issuesText(parsed.error.issues) };
}
