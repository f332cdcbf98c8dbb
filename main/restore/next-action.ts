// What a session waits for now, computed from the plan and the folded log: never stored, so a
// resumed session and a live one agree by construction.
import type { SessionState, StepView } from '../../preload/schemas/audit';
import type { PlanStep, RunbookPlan } from '../../preload/schemas/runbook';
import type { NextAction } from '../../preload/schemas/session';
import { rollbackOfPlan, ruleOf, type StepRules } from './rules';

const finished = (s: StepView | undefined): boolean =>
  s?.state === 'done' || s?.state === 'skipped';

/** The steps in turn: the runbook's, or once an abort rolls back, the rollback steps in order. */
export function stepsInTurn(plan: RunbookPlan, state: SessionState): PlanStep[] {
  if (!state.rollback) return plan.steps;
  return state.rollback.steps.flatMap((id) => rollbackOfPlan(plan).filter((s) => s.id === id));
}

/**
 * The rollback steps an abort runs now: those of every completed step, the latest step first,
 * each step's own in the order the runbook lists them.
 */
export function rollbackSteps(plan: RunbookPlan, state: SessionState): PlanStep[] {
  const done = plan.steps.filter((s) => state.steps.find((v) => v.id === s.id)?.state === 'done');
  return done.reverse().flatMap((s) => rollbackOfPlan(plan).filter((r) => r.rollbackOf === s.id));
}

/** The first step in turn that is not done or skipped, with its folded view; null when all are. */
export function currentStep(
  plan: RunbookPlan,
  state: SessionState,
): { step: PlanStep; view: StepView | undefined } | null {
  for (const step of stepsInTurn(plan, state)) {
    const view = state.steps.find((s) => s.id === step.id);
    if (!finished(view)) return { step, view };
  }
  return null;
}

/** Whether a destructive step's target name was typed correctly. */
export function confirmed(state: SessionState, step: string): boolean {
  return state.confirmations.some((c) => c.step === step && c.matched);
}

/** Distinct approvers (by key) who approved the step's current attempt. */
export function approvalsInAttempt(state: SessionState, view: StepView | undefined): string[] {
  if (!view?.attemptStartedAt) return [];
  const since = view.attemptStartedAt;
  const keys = state.approvals
    .filter((a) => a.step === view.id && a.decision === 'approved' && a.ts >= since)
    .filter((a) => !a.selfApproved)
    .map((a) => a.keyId);
  return [...new Set(keys)];
}

const words = (argv: string[] | null): string => (argv ?? []).join(' ');

/** What the operator must do next; null when the session is sealed or every step is finished. */
export function nextAction(
  plan: RunbookPlan,
  state: SessionState,
  rules: StepRules,
  running: boolean,
): NextAction | null {
  if (state.sealed) return null;
  const current = currentStep(plan, state);
  if (!current) return null;
  const { step, view } = current;
  const id = step.id;
  if (view?.state === 'failed') {
    return {
      step: id,
      need: 'retry',
      message: `${step.title} failed${view.error ? `: ${view.error}` : ''}. Run it again, skip it with a reason, or abort the session.`,
    };
  }
  if (step.kind === 'approval') {
    const rule = ruleOf(rules, id);
    const have = approvalsInAttempt(state, view).length;
    const who = rule.approvers.length > 0 ? rule.approvers.join(' or ') : 'a second engineer';
    return {
      step: id,
      need: 'approval',
      message: `${who} must approve "${step.title}" with their own key${rule.approvals > 1 ? ` (${have} of ${rule.approvals} so far)` : ''}.`,
    };
  }
  if (step.destructive && !confirmed(state, id)) {
    const target = step.confirmTarget ?? 'the target';
    return {
      step: id,
      need: 'confirm',
      message: `Type ${target} to confirm it will be overwritten.`,
    };
  }
  if (step.kind === 'manual') {
    return {
      step: id,
      need: 'checklist',
      message:
        step.checklist.length > 0
          ? `Tick every item of "${step.title}": ${step.checklist.join('; ')}.`
          : `Mark "${step.title}" done when it is done.`,
    };
  }
  if (running) {
    return {
      step: id,
      need: 'run',
      message: `${words(step.argv)} is running on ${step.where ?? 'this machine'}; cancel stops it.`,
    };
  }
  if (view?.state === 'running') {
    return {
      step: id,
      need: 'retry',
      message: `${step.title} was interrupted before its command finished. Run it again, skip it with a reason, or abort the session.`,
    };
  }
  return {
    step: id,
    need: 'run',
    message:
      state.mode === 'rehearsal'
        ? `Rehearse "${step.title}": nothing runs; the log records what would run (${words(step.argv) || step.kind}).`
        : `Run ${words(step.argv) || step.kind} on ${step.where ?? 'this machine'}.`,
  };
}
