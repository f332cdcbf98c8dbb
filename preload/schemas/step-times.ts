// How long a step has waited for a person and how long its commands ran, at a moment. The live
// session, the replay and the report all read a folded step through this one function, so a
// replay stepped record by record and one played on its clock show the same figures. No zod here:
// the renderer bundle imports it.
import type { CommandView, StepView } from './audit';

/** Milliseconds a step waited (current, no command running) and ran (a command running). */
export type StepTimes = { waitingMs: number; runningMs: number };

const at = (iso: string): number => Date.parse(iso);

/**
 * The step's times up to `nowMs` (a finished step stops at the moment it stopped being current);
 * null for a step that never became current.
 */
export function stepTimes(
  step: Pick<StepView, 'id' | 'currentSince' | 'leftAt' | 'runningMs'>,
  commands: readonly Pick<CommandView, 'step' | 'startedAt' | 'endedAt'>[],
  nowMs: number,
): StepTimes | null {
  if (step.currentSince === null) return null;
  const since = at(step.currentSince);
  const until = step.leftAt !== null ? at(step.leftAt) : Math.max(since, nowMs);
  // A command still running at `until` counts up to it (an interrupted one, up to the seal).
  let runningMs = step.runningMs;
  for (const c of commands) {
    if (c.step !== step.id || c.endedAt !== null || c.startedAt === '') continue;
    runningMs += Math.max(0, until - at(c.startedAt));
  }
  const total = Math.max(0, until - since);
  runningMs = Math.min(runningMs, total);
  return { waitingMs: total - runningMs, runningMs };
}

/** The whole session's waiting and running time: the sum over its steps at `nowMs`. */
export function sessionTimes(
  steps: readonly Pick<StepView, 'id' | 'currentSince' | 'leftAt' | 'runningMs'>[],
  commands: readonly Pick<CommandView, 'step' | 'startedAt' | 'endedAt'>[],
  nowMs: number,
): StepTimes {
  let waitingMs = 0;
  let runningMs = 0;
  for (const step of steps) {
    const t = stepTimes(step, commands, nowMs);
    if (!t) continue;
    waitingMs += t.waitingMs;
    runningMs += t.runningMs;
  }
  return { waitingMs, runningMs };
}
