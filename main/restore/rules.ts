// What the engine enforces per step beyond the bound plan: who may approve, how many must, and
// how long a command may run. Read from the runbook file (the plan shows argv, not policy).
import type { RunbookPlan } from '../../preload/schemas/runbook';
import type { RunbookFile } from '../runbook/plan';
import { parseDuration } from '../workspace/duration';

/** Step kinds that do work through an executor (main/restore/executors/), not a person. */
export const COMMAND_KINDS = new Set<string>([
  'local',
  'verify',
  'ssh',
  's3',
  'restic-restore',
  'borg-extract',
  'pgbackrest-restore',
  'manifest-restore',
]);

/** The policy of one step. */
export type StepRule = {
  /** Names (from keys/trusted.json) allowed to approve; empty for steps that are not approvals. */
  approvers: string[];
  /** How many distinct approvers must sign (default 1). */
  approvals: number;
  /** Stop the command after this long; null for no limit. */
  timeoutMs: number | null;
};

/** Step rules by step id. */
export type StepRules = Map<string, StepRule>;

type RawStep = RunbookFile['steps'][number] & {
  approvers?: unknown;
  approvals?: unknown;
  timeout?: unknown;
};

/** The rules of every step of a runbook. */
export function stepRules(runbook: RunbookFile): StepRules {
  const rules: StepRules = new Map();
  for (const step of runbook.steps as RawStep[]) {
    const approvers = Array.isArray(step.approvers)
      ? step.approvers.filter((a): a is string => typeof a === 'string')
      : [];
    const approvals =
      typeof step.approvals === 'number' && step.approvals >= 1 ? Math.floor(step.approvals) : 1;
    const seconds = typeof step.timeout === 'string' ? parseDuration(step.timeout) : null;
    rules.set(step.id, {
      approvers,
      approvals,
      timeoutMs: seconds === null || seconds <= 0 ? null : seconds * 1000,
    });
  }
  return rules;
}

/** The rule of a step (defaults for a step the runbook does not describe). */
export function ruleOf(rules: StepRules, step: string): StepRule {
  return rules.get(step) ?? { approvers: [], approvals: 1, timeoutMs: null };
}

/** The plan's step by id. */
export function planStep(plan: RunbookPlan, id: string): RunbookPlan['steps'][number] | undefined {
  return plan.steps.find((s) => s.id === id);
}
