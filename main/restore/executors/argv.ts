// The argv executor: local, ssh and verify steps run the plan's argv as written in the runbook,
// on this machine or the host named by `on:`.
import { startCommand } from './command';
import type { StepExecutor } from './types';

/** Runs local, ssh and verify steps. */
export const argvExecutor: StepExecutor = {
  kinds: ['local', 'ssh', 'verify'],
  start: (ctx) => startCommand(ctx, ctx.step.argv ?? []),
};
