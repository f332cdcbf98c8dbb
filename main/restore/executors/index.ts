// Every executor, by step kind. A new kind of work (an S3 operation, a backup tool) registers
// here and nowhere else; a kind without an executor is refused before a session starts.
import type { PlanStep } from '../../../preload/schemas/runbook';
import { s3Executor } from '../s3/executor';
import { argvExecutor } from './argv';
import { borgExecutor } from './borg';
import { manifestExecutor } from './manifest';
import { pgbackrestExecutor } from './pgbackrest';
import { resticExecutor } from './restic';
import type { StepExecutor } from './types';

export type { ExecutorContext, PointLookup, ProgressUpdate, StepExecutor, StepRun } from './types';

const EXECUTORS: readonly StepExecutor[] = [
  argvExecutor,
  s3Executor,
  resticExecutor,
  borgExecutor,
  pgbackrestExecutor,
  manifestExecutor,
];

const byKind = new Map<string, StepExecutor>(
  EXECUTORS.flatMap((e) => e.kinds.map((kind) => [kind, e] as const)),
);

/** The executor of a step kind, or null when this version cannot run it. */
export function executorFor(kind: PlanStep['kind']): StepExecutor | null {
  return byKind.get(kind) ?? null;
}

/** The executor of a plan step: a verify step with an `s3:` check is the s3 executor's. */
export function executorOf(step: Pick<PlanStep, 'kind' | 's3'>): StepExecutor | null {
  return step.s3 ? executorFor('s3') : executorFor(step.kind);
}
