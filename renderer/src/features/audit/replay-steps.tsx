// The runbook's steps as the replay stands: state, attempts, time. A step is a button that
// jumps the replay to where it started.
import type { SessionState, StepView } from '../../../../preload/schemas/audit';
import type { AuditOpened } from '../../../../preload/schemas/audit-replay';
import { jumpToStep } from '../../store/audit-actions';
import { Badge, type Tone } from '../../ui/badge';
import { stepTimes } from '../../../../preload/schemas/step-times';
import { attemptsOf, durationText } from './replay-model';

const tones: Record<StepView['state'], Tone> = {
  pending: 'neutral',
  running: 'info',
  done: 'ok',
  failed: 'danger',
  skipped: 'warn',
};

/** "waited 1m 30s · ran 10m 25s" at the replay's moment; a dash before the step was current. */
export function replayStepTime(state: SessionState, step: StepView, nowMs: number): string {
  const t = stepTimes(step, state.commands, nowMs);
  if (!t) return '—';
  const ran = t.runningMs > 0 ? ` · ran ${durationText(t.runningMs)}` : '';
  return `waited ${durationText(t.waitingMs)}${ran}`;
}

/** The step list. */
export function ReplaySteps(props: {
  opened: AuditOpened;
  state: SessionState;
  seq: number;
  /** The replay's moment (see replayNowMs). */
  nowMs: number;
  shown: string | null;
}) {
  const { opened, state, seq, nowMs, shown } = props;
  return (
    <nav className="audit-steps" aria-label="Steps">
      <h2 className="audit-subhead">Steps</h2>
      <ol>
        {state.steps.map((step) => {
          const attempts = attemptsOf(opened, step.id, seq);
          const failedBefore = attempts.filter((a) => a.state === 'failed').length;
          return (
            <li key={step.id}>
              <button
                type="button"
                className={`audit-step${shown === step.id ? ' audit-step-shown' : ''} audit-step-${step.state}`}
                aria-current={shown === step.id ? 'step' : undefined}
                onClick={() => jumpToStep(step.id)}
                title="Jump the replay to where this step started"
              >
                <span className="audit-step-title">{step.title}</span>
                <span className="audit-step-meta">
                  <Badge tone={tones[step.state]}>{step.state}</Badge>
                  <span className="muted">{step.kind}</span>
                  {step.attempts > 1 ? (
                    <span className="warn-text">
                      {step.attempts} attempts
                      {failedBefore > 0 ? ` (${failedBefore} failed)` : ''}
                    </span>
                  ) : null}
                  <span className="audit-step-time">{replayStepTime(state, step, nowMs)}</span>
                </span>
              </button>
            </li>
          );
        })}
      </ol>
    </nav>
  );
}
