// A scheduled drill (dapple drill --unattended) records a manual step as done by the schedule,
// only where the runbook says a person is not needed (`unattended: ok`), only in a drill, and
// never when the plan writes to production. Any other manual step needs a person.
import type { RunbookPlan } from '../../preload/schemas/runbook';
import { UserError } from '../ground/errors';
import type { AcceptHost } from './approval-accept';
import { confirmed } from './next-action';
import { ruleOf } from './rules';

type PlanStep = RunbookPlan['steps'][number];

/** The note each item gets (drill history and replay read it). */
export const SCHEDULE_NOTE = 'done by the schedule (unattended: ok)';

/** Record a manual step as done by the schedule, or refuse with why a person is needed. */
export async function doneBySchedule(host: AcceptHost, step: PlanStep): Promise<void> {
  if (step.kind !== 'manual' || !ruleOf(host.rules, step.id).unattendedOk) {
    throw new UserError(
      'NEEDS_A_PERSON',
      `"${step.title}" needs a person: the runbook does not mark it unattended: ok.`,
      'Run the drill with someone at the terminal, or mark the step unattended: ok in review.',
    );
  }
  if (host.mode !== 'drill' || host.setup.production.length > 0) {
    throw new UserError(
      'NEEDS_A_PERSON',
      `"${step.title}" needs a person: only a drill on sandbox targets runs unattended, and this is a ${host.mode === 'drill' ? 'drill that writes to production' : host.mode}.`,
      'A person runs live restores.',
    );
  }
  await host.ensureStarted(step);
  const expected = step.confirmTarget ?? '';
  if (step.destructive && !confirmed(host.state(), step.id)) {
    if (expected === '') {
      throw new UserError(
        'NO_TARGET',
        `"${step.title}" names no target to confirm.`,
        'Bind the runbook’s target parameter, then start the session again.',
      );
    }
    const prompt = `Confirmed by the schedule (unattended: ok): ${expected} will be overwritten`;
    await host.writer.append('confirm', { step: step.id, prompt, expected, typed: expected });
  }
  const items = step.checklist.length > 0 ? step.checklist : [null];
  for (const item of items) {
    const text = item === null ? SCHEDULE_NOTE : `${SCHEDULE_NOTE}: ${item}`;
    await host.writer.append('note', { step: step.id, text });
  }
  await host.end(step, 'done', null);
}
