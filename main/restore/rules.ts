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
  /** A manual step the runbook marks `unattended: ok`: a scheduled drill records it done. */
  unattendedOk: boolean;
};

/** What the runbook says about the whole session's approvals. */
export type RunbookPolicy = {
  /** The runbook's `version` field as text, or null. */
  version: string | null;
  /** How long an approval request stays answerable (`approvalExpires`, default 30 min). */
  requestMs: number;
};

/** Step rules by step id. */
export type StepRules = Map<string, StepRule>;

type RawStep = RunbookFile['steps'][number] & {
  approvers?: unknown;
  approvals?: unknown;
  timeout?: unknown;
  unattended?: unknown;
};

/** The rules of every step of a runbook. */
export function stepRules(runbook: RunbookFile): StepRules {
  const rules: StepRules = new Map();
  const all = (runbook.steps as (RawStep & { rollback?: RawStep[] })[]).flatMap((s) => [
    s,
    ...(s.rollback ?? []),
  ]);
  for (const step of all) {
    const approvers = Array.isArray(step.approvers)
      ? step.approvers.filter((a): a is string => typeof a === 'string')
      : [];
    const approvals =
      // Stryker disable next-line EqualityOperator: `> 1` gives 1 for 1 too (the default is 1).
      typeof step.approvals === 'number' && step.approvals >= 1 ? Math.floor(step.approvals) : 1;
    const seconds = typeof step.timeout === 'string' ? parseDuration(step.timeout) : null;
    rules.set(step.id, {
      approvers,
      approvals,
      timeoutMs: seconds === null || seconds <= 0 ? null : seconds * 1000,
      unattendedOk: step.kind === 'manual' && step.unattended === 'ok',
    });
  }
  return rules;
}

/** The runbook-wide approval policy. */
export function runbookPolicy(runbook: RunbookFile): RunbookPolicy {
  const raw = runbook as { version?: unknown; approvalExpires?: unknown };
  const version =
    typeof raw.version === 'string' || typeof raw.version === 'number' ? String(raw.version) : null;
  const seconds =
    typeof raw.approvalExpires === 'string' ? parseDuration(raw.approvalExpires) : null;
  return {
    version,
    requestMs: seconds !== null && seconds > 0 ? seconds * 1000 : DEFAULT_REQUEST_MS,
  };
}

/** Requests stay answerable 30 minutes unless the runbook says otherwise. */
export const DEFAULT_REQUEST_MS = 30 * 60_000;

/** The rule of a step (defaults for a step the runbook does not describe). */
export function ruleOf(rules: StepRules, step: string): StepRule {
  return rules.get(step) ?? { approvers: [], approvals: 1, timeoutMs: null, unattendedOk: false };
}

/** The plan's rollback steps (none for a plan made without them, such as a hand-built one). */
export function rollbackOfPlan(plan: RunbookPlan): RunbookPlan['steps'] {
  return (plan as Partial<RunbookPlan>).rollback ?? [];
}

/** The plan's step by id (a rollback step too). */
export function planStep(plan: RunbookPlan, id: string): RunbookPlan['steps'][number] | undefined {
  return plan.steps.find((s) => s.id === id) ?? rollbackOfPlan(plan).find((s) => s.id === id);
}
