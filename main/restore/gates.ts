// The session's gates as pure decisions: is this step in turn, is its checklist complete, was its
// target typed, may it be skipped or run. Nothing here writes or runs; RestoreSession asks these
// and records or refuses. A refusal is a sentence with the next action, whatever client asked.
import type { SessionState, StepView } from '../../preload/schemas/audit';
import type { PlanStep, RunbookPlan } from '../../preload/schemas/runbook';
import { withinWindow, type TrustedKey } from '../audit/trust';
import { visible } from '../ground/visible';
import { confirmed, currentStep } from './next-action';
import { COMMAND_KINDS, planStep } from './rules';

/** A refusal in words: a code, why, and what to do next. */
export type GateRefusal = { code: string; message: string; hint: string };

const refusal = (code: string, message: string, hint: string): GateRefusal => ({
  code,
  message,
  hint,
});

/** "an approval step", "an ssh step", "a local step": as the words are read aloud. */
const READ_WITH_AN = new Set(['approval', 'ssh', 's3']);
const aStep = (kind: string): string => `${READ_WITH_AN.has(kind) ? 'an' : 'a'} ${kind} step`;

/** A sealed session takes no more actions. */
export function sealedGate(state: SessionState): GateRefusal | null {
  if (!state.sealed) return null;
  return refusal(
    'SESSION_SEALED',
    `This session ended (${state.outcome}); its log is sealed.`,
    'Start a new session to run the runbook again.',
  );
}

/** Nothing but notes, cancel and abort while a command runs (the id of its step, or null). */
export function runningGate(runningStep: string | null): GateRefusal | null {
  if (runningStep === null) return null;
  return refusal(
    'COMMAND_RUNNING',
    `A command of step ${runningStep} is running.`,
    'Wait for it to finish, or cancel it first.',
  );
}

/** The step an action names: only the first unfinished step of the plan may be acted on. */
export function stepInTurn(
  plan: RunbookPlan,
  state: SessionState,
  id: string,
): { ok: true; step: PlanStep } | { ok: false; refusal: GateRefusal } {
  const current = currentStep(plan, state);
  if (!current) {
    return {
      ok: false,
      refusal: refusal('SESSION_DONE', 'Every step is finished.', 'The log is being sealed.'),
    };
  }
  if (current.step.id === id) return { ok: true, step: current.step };
  const named = planStep(plan, id);
  return {
    ok: false,
    refusal: refusal(
      'STEP_ORDER',
      named
        ? `"${named.title}" is not the next step: "${current.step.title}" comes first.`
        : `The runbook has no step ${id.slice(0, 100)}.`,
      'Steps run in the runbook’s order.',
    ),
  };
}

/** A destructive step goes no further until its target's name was typed correctly. */
export function confirmationGate(step: PlanStep, state: SessionState): GateRefusal | null {
  if (!step.destructive || confirmed(state, step.id)) return null;
  return refusal(
    'CONFIRM_NEEDED',
    `"${step.title}" overwrites ${step.confirmTarget ?? 'its target'}: type its name to confirm first.`,
    `Type ${step.confirmTarget ?? 'the target name'} exactly.`,
  );
}

/** A checklist is done only on a manual step, after its confirmation, with every item ticked. */
export function checklistGate(
  step: PlanStep,
  state: SessionState,
  checked: readonly string[],
): GateRefusal | null {
  if (step.kind !== 'manual') {
    return refusal(
      'NOT_MANUAL',
      `"${step.title}" is ${aStep(step.kind)}, not a checklist.`,
      step.kind === 'approval' ? 'It needs an approval.' : 'Run it.',
    );
  }
  const unconfirmed = confirmationGate(step, state);
  if (unconfirmed) return unconfirmed;
  const missing = step.checklist.filter((item) => !checked.includes(item));
  if (missing.length === 0) return null;
  return refusal(
    'CHECKLIST_INCOMPLETE',
    `"${step.title}" is not done: ${missing.map((m) => `"${m}"`).join(', ')} ${missing.length === 1 ? 'is' : 'are'} not ticked.`,
    'Tick every item once it is true.',
  );
}

/** Whether a typed confirmation applies to the step at all (it is destructive and names a target). */
export function confirmableGate(step: PlanStep): GateRefusal | null {
  if (!step.destructive) {
    return refusal(
      'NOT_DESTRUCTIVE',
      `"${step.title}" does not overwrite anything, so it needs no typed confirmation.`,
      'Go on with the step.',
    );
  }
  if ((step.confirmTarget ?? '') === '') {
    return refusal(
      'NO_TARGET',
      `"${step.title}" names no target to confirm.`,
      'Bind the runbook’s target parameter, then start the session again.',
    );
  }
  return null;
}

/** The words the operator must type to confirm a destructive step. */
export function confirmPrompt(expected: string): string {
  return `Type ${expected} to confirm it will be overwritten`;
}

/** A typed confirmation counts only when it is exactly the target's name. */
export function confirmMatchGate(step: PlanStep, typed: string): GateRefusal | null {
  const expected = step.confirmTarget ?? '';
  if (typed === expected) return null;
  return refusal(
    'CONFIRM_MISMATCH',
    `You typed "${visible(typed.slice(0, 100))}", but the target is ${expected}: nothing was overwritten.`,
    `Check the target, then type ${expected} exactly.`,
  );
}

/**
 * Whether the step may be skipped now. Skip is for a command step whose attempt failed (or was
 * cut off by a crash), with a reason in words; a checklist, a typed confirmation and an approval
 * are never skipped, whatever client asks.
 */
export function skipGate(
  step: PlanStep,
  view: StepView | undefined,
  reason: string,
): GateRefusal | null {
  if (step.kind === 'approval') {
    return refusal(
      'SKIP_REFUSED',
      `"${step.title}" is an approval: it cannot be skipped.`,
      'Get the approval, or abort the session.',
    );
  }
  if (!COMMAND_KINDS.has(step.kind)) {
    return refusal(
      'SKIP_REFUSED',
      `"${step.title}" is a checklist${step.destructive ? ' on a destructive step' : ''}: it cannot be skipped.`,
      step.destructive
        ? 'Type the target’s name and tick every item once it is true, or abort the session.'
        : 'Tick every item once it is true, or abort the session.',
    );
  }
  if (view?.state !== 'failed' && view?.state !== 'running') {
    return refusal(
      'SKIP_REFUSED',
      `"${step.title}" has not failed: only a failed command can be skipped.`,
      'Run it; if it fails, skip it with a reason.',
    );
  }
  if (reason.trim() === '') {
    return refusal(
      'SKIP_REASON',
      `Skipping "${step.title}" needs a reason in words.`,
      'Say why it is safe to go on without this step.',
    );
  }
  return null;
}

/** What "run" means for the step: a command to launch, an approval to ask again, or a refusal. */
export type RunDecision =
  { do: 'run' } | { do: 'ask-again' } | { do: 'refuse'; refusal: GateRefusal };

/** Whether the step can be run (command steps), asked again (a failed approval), or not at all. */
export function runGate(
  step: PlanStep,
  view: StepView | undefined,
  state: SessionState,
): RunDecision {
  if (!COMMAND_KINDS.has(step.kind)) {
    if (step.kind === 'approval' && view?.state === 'failed') return { do: 'ask-again' };
    return {
      do: 'refuse',
      refusal: refusal(
        'NOTHING_TO_RUN',
        `"${step.title}" is ${aStep(step.kind)}: it has no command.`,
        step.kind === 'manual' ? 'Tick its checklist.' : 'It needs an approval.',
      ),
    };
  }
  const unconfirmed = confirmationGate(step, state);
  return unconfirmed ? { do: 'refuse', refusal: unconfirmed } : { do: 'run' };
}

/**
 * The operator signs only inside the validity window the workspace's trust file gives their key.
 * A key the file does not list is not refused here (the console warns that it is untrusted).
 */
export function operatorWindowGate(entry: TrustedKey | null, now: Date): GateRefusal | null {
  if (entry === null || withinWindow(entry, now.toISOString())) return null;
  return refusal(
    'OPERATOR_KEY_WINDOW',
    `Your signing key ${entry.keyId.slice(0, 16)}… (${entry.name} in keys/trusted.json) is valid from ${entry.validFrom} until ${entry.validUntil ?? 'no end'}, and it is now ${now.toISOString()}: Dapple will not sign with a key outside its window.`,
    'Renew your key’s entry in keys/trusted.json through review (or sign with a key whose window is open), then try again.',
  );
}
