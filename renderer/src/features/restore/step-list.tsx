// The session's steps in order, each with its state in words and a sign; the current step is open
// with what it needs now (checklist, approval, confirmation, run, or a decision after a failure).
import { useEffect, useRef } from 'react';
import type { CommandView, StepView } from '../../../../preload/schemas/audit';
import type { PlanStep } from '../../../../preload/schemas/runbook';
import type { LiveSession } from '../../../../preload/schemas/session';
import { act } from '../../store/session-actions';
import { useStore } from '../../store/index';
import { Badge, type Tone } from '../../ui/badge';
import { ErrorText } from '../../ui/error-text';
import { LiveOutput } from './live-output';
import { RadiusTable, S3OperationView } from './blast-radius';
import { RestoreSummary, summaryTarget } from './restore-summary';
import { planTarget } from './start-panel';
import { stepClockText, useNow } from './step-clock';
import { StepProgress } from './step-progress';
import { StepWork } from './step-work';
import { ChecklistForm, ConfirmForm, RetryPanel, RunPanel } from './step-forms';
import { ApprovalStep } from './approval-step';

const stateText: Record<StepView['state'], { sign: string; text: string; tone: Tone }> = {
  pending: { sign: '○', text: 'pending', tone: 'neutral' },
  running: { sign: '▶', text: 'running', tone: 'info' },
  done: { sign: '✓', text: 'done', tone: 'ok' },
  failed: { sign: '✗', text: 'failed', tone: 'danger' },
  skipped: { sign: '⤼', text: 'skipped', tone: 'warn' },
};

const needText = {
  checklist: 'Tick the checklist',
  approval: 'Needs an approval',
  confirm: 'Type the target to confirm',
  run: 'Ready to run',
  retry: 'Failed — decide',
} as const;

/** The command (and Cancel) while a step runs, with its time and progress. */
function Running(props: { step: PlanStep; view: StepView; cmd: CommandView | null }) {
  const busy = useStore((s) => s.sessionBusy === 'cancel');
  const error = useStore((s) => (s.sessionError?.control === 'cancel' ? s.sessionError : null));
  return (
    <div className="step-form">
      {/* Above the output: a control that moves down as lines arrive is easy to miss. */}
      <div className="form-row">
        <button
          type="button"
          className="danger-outline"
          disabled={busy}
          onClick={() => void act({ type: 'cancel', step: props.step.id }, 'cancel')}
        >
          {busy ? 'Cancelling…' : 'Cancel'}
        </button>
        <span className="muted">Stops the command; the step then counts as failed.</span>
      </div>
      {error ? <ErrorText error={error.error} /> : null}
      <StepProgress progress={props.view.progress} live />
      {props.cmd ? <LiveOutput cmd={props.cmd} /> : <p className="loading">Starting…</p>}
    </div>
  );
}

/** The restore summary as the approver reads it before signing. */
function ApprovalSummary(props: { session: LiveSession }) {
  const { state, plan } = props.session;
  const workspace = useStore((s) => s.workspace);
  const production = workspace ? planTarget(plan, workspace).production : false;
  return (
    <div className="approval-summary" aria-label="What the approval is for">
      <RestoreSummary
        cut={state.cut}
        target={summaryTarget(state.target, workspace, production)}
        incident={state.incident}
        mode={state.mode}
      />
    </div>
  );
}

/** What the open step shows under its title. */
function StepBody(props: { session: LiveSession; step: PlanStep; view: StepView }) {
  const { session, step, view } = props;
  const cmds = session.state.commands.filter((c) => c.step === step.id);
  const last = cmds.at(-1) ?? null;
  const next = session.next?.step === step.id ? session.next : null;
  // An interrupted command (main restarted) is not running: main then asks to retry.
  const running = view.state === 'running' && session.running;
  const mode = session.state.mode ?? 'rehearsal';
  return (
    <div className="step-body">
      {step.description ? <p className="step-desc">{step.description}</p> : null}
      {/* Other needs say the same as their form; an approval names who must sign. */}
      {next?.need === 'approval' ? (
        <>
          <p className="step-need" role="status">
            <strong>Next:</strong> {next.message}
          </p>
          {/* The approver sees exactly what the operator sees. */}
          <ApprovalSummary session={session} />
        </>
      ) : null}
      {/* After a failure the command below shows its argv already. */}
      {step.argv && !running && next?.need !== 'retry' ? (
        <div className="argv">
          <span className="muted">
            {mode === 'rehearsal' ? 'would run' : 'runs'} on {step.where ?? 'this machine'}
            {step.cwd ? ` in ${step.cwd}` : ''}:
          </span>
          <code className="argv-words">
            {step.argv.map((word, i) => (
              <span key={i} className="argv-word">
                {word}
              </span>
            ))}
          </code>
        </div>
      ) : null}
      {step.s3 && !view.blastRadius && next?.need === 'run' ? (
        <S3OperationView op={step.s3} />
      ) : null}
      {/* What the step listed when its attempt began: the radius it is working through. */}
      {view.blastRadius ? <RadiusTable radius={view.blastRadius} /> : null}
      {!step.argv && !running && next?.need !== 'retry' ? (
        <StepWork step={step} rehearsal={mode === 'rehearsal'} />
      ) : null}
      {running ? (
        <Running step={step} view={view} cmd={last} />
      ) : next?.need === 'checklist' ? (
        <ChecklistForm key={`${step.id}-checklist`} step={step} />
      ) : next?.need === 'approval' ? (
        <ApprovalStep
          key={`${step.id}-approval`}
          session={session}
          step={step}
          message={next.message}
        />
      ) : next?.need === 'confirm' ? (
        <ConfirmForm key={`${step.id}-confirm`} step={step} production={step.production} />
      ) : next?.need === 'run' ? (
        <RunPanel step={step} mode={mode} />
      ) : next?.need === 'retry' ? (
        <>
          <RetryPanel step={step} message={next.message} />
          {last ? <LiveOutput cmd={last} /> : null}
        </>
      ) : null}
    </div>
  );
}

/** How a command ended, in words. */
const endText = (c: CommandView): string =>
  c.endedAt === null
    ? 'did not finish'
    : c.signal !== null
      ? `✗ stopped by ${c.signal}`
      : c.exitCode === 0
        ? '✓ exit 0'
        : `✗ exit ${String(c.exitCode)}`;

/** A finished step's output, folded away (open when it failed). */
function PastOutput(props: { cmds: CommandView[]; failed: boolean }) {
  const last = props.cmds.at(-1);
  if (!last) return null;
  return (
    <details className="past-output" open={props.failed}>
      <summary>
        Output of {props.cmds.length} command{props.cmds.length === 1 ? '' : 's'} — last{' '}
        {endText(last)}
      </summary>
      {props.cmds.map((c) => (
        <LiveOutput key={c.id} cmd={c} />
      ))}
    </details>
  );
}

/** Every step of the session. */
export function StepList(props: { session: LiveSession }) {
  const { session } = props;
  const { state, plan, next } = session;
  const open =
    next?.step ?? state.steps.find((s) => s.state === 'running')?.id ?? state.currentStep ?? null;
  const list = useRef<HTMLOListElement>(null);
  const need = next?.need ?? null;
  const now = useNow(!state.sealed);
  const busy = useStore((s) => s.sessionBusy !== null);
  const shownFor = useRef<{ open: string | null; need: string | null }>({ open: null, need: null });
  useEffect(() => {
    // The form just done went away (the step finished, or the typed confirmation was accepted and
    // the checklist follows): the focus goes to the first control of what is needed now, unless
    // the operator is typing somewhere else (a note). A control still off while a request is in
    // flight takes the focus when it comes on (the step itself holds it meanwhile).
    const active = document.activeElement;
    if (active && active !== document.body && !list.current?.contains(active)) return;
    const step = list.current?.querySelector<HTMLElement>('.session-step-open');
    const moved = shownFor.current.open !== open || shownFor.current.need !== need;
    shownFor.current = { open, need };
    // Only a reply came: move the focus on only from the step itself (or from nowhere).
    if (!moved && active !== step && active !== document.body && active !== null) return;
    const control = step?.querySelector<HTMLElement>(
      '.step-form input:not(:disabled), .step-form textarea, .step-form button:not(:disabled)',
    );
    (control ?? step)?.focus();
  }, [open, need, busy]);
  return (
    <ol className="session-steps" aria-label="Steps" ref={list}>
      {state.steps.map((view) => {
        const step =
          plan.steps.find((s) => s.id === view.id) ?? plan.rollback.find((s) => s.id === view.id);
        // A rehearsal records its command steps as skipped: say what that means.
        const shown =
          state.mode === 'rehearsal' && view.state === 'skipped' && (step?.argv || step?.work)
            ? { sign: '⤼', text: 'rehearsed — nothing ran', tone: 'neutral' as const }
            : stateText[view.state];
        const isOpen = !state.sealed && view.id === open;
        const need = !isOpen
          ? null
          : session.running && view.state === 'running'
            ? 'Running — Cancel stops it'
            : next?.step === view.id
              ? next.need === 'run' && state.mode === 'rehearsal'
                ? 'Ready to rehearse'
                : needText[next.need]
              : null;
        return (
          <li
            key={view.id}
            className={`session-step session-step-${view.state}${isOpen ? ' session-step-open' : ''}`}
            aria-current={isOpen ? 'step' : undefined}
            tabIndex={isOpen ? -1 : undefined}
            data-step={view.id}
          >
            <div className="step-head">
              <Badge tone={shown.tone}>
                {shown.sign} {shown.text}
              </Badge>
              <strong>{view.title}</strong>
              {need ? <span className="step-need-tag">{need}</span> : null}
              {step?.destructive ? <Badge tone="danger">DESTRUCTIVE</Badge> : null}
              {view.rollbackOf ? (
                <Badge tone="warn">
                  ROLLBACK of{' '}
                  {plan.steps.find((s) => s.id === view.rollbackOf)?.title ?? view.rollbackOf}
                </Badge>
              ) : null}
              <span className="muted step-meta">
                {stepClockText(
                  view,
                  state.commands,
                  now,
                  isOpen
                    ? {
                        running: session.running && view.state === 'running',
                        who: next?.need === 'approval' ? 'the approver' : 'you',
                      }
                    : null,
                )}
                {view.attempts > 1 ? ` · ${view.attempts} attempts` : ''}
              </span>
            </div>
            {view.error && !isOpen ? (
              view.state === 'skipped' ? (
                <p className="muted">Skipped because: {view.error}</p>
              ) : (
                <p className="error">{view.error}</p>
              )
            ) : null}
            {isOpen && step ? <StepBody session={session} step={step} view={view} /> : null}
            {!isOpen ? (
              <PastOutput
                cmds={state.commands.filter((c) => c.step === view.id)}
                failed={view.state === 'failed'}
              />
            ) : null}
          </li>
        );
      })}
    </ol>
  );
}
