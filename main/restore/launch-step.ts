// Starting a command step's executor for a session: the executor's context from the session's, the
// step's progress recorded, and an executor that cannot start turned into the step's sentence.
import type { RunbookPlan } from '../../preload/schemas/runbook';
import type { AuditWriter } from '../audit/writer';
import { UserError } from '../ground/errors';
import { executorOf, type StepRun } from './executors/index';
import { ProgressRecorder } from './executors/progress';
import { ruleOf } from './rules';
import type { SessionContext } from './session';

type PlanStep = RunbookPlan['steps'][number];

/** A started command and how to close its record when it ends. */
export type Tracked = StepRun & { close: () => Promise<void> };

/** A started command, or why it could not start. */
export type Launched = Tracked | { error: string };

/** Start the step's executor as command `cmd` of the session. */
export async function launchStep(
  writer: AuditWriter,
  ctx: SessionContext,
  step: PlanStep,
  cmd: string,
): Promise<Launched> {
  const executor = executorOf(step);
  // checkStart refuses such plans; a resumed log of a newer version could still name one.
  if (!executor) return { error: `This version of Dapple cannot run ${step.kind} steps.` };
  const recorder = new ProgressRecorder(writer, step.id);
  try {
    const run = await executor.start({
      writer,
      workspace: ctx.workspace,
      ssh: ctx.ssh,
      step,
      plan: ctx.plan,
      points: ctx.points,
      mode: ctx.mode,
      cmd,
      timeoutMs: ruleOf(ctx.rules, step.id).timeoutMs,
      progress: recorder.report,
    });
    return { ...run, close: () => recorder.close() };
  } catch (error) {
    // An executor that cannot start (no password, source gone) fails the step with its sentence.
    await recorder.close();
    return {
      error: error instanceof UserError ? `${error.message} ${error.hint}`.trim() : String(error),
    };
  }
}
