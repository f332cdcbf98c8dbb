// What the current step needs from the operator, one small form per need: tick the checklist,
// sign an approval, type the target's name, run the command, or decide after a failure.
import { useId, useState } from 'react';
import type { PlanStep } from '../../../../preload/schemas/runbook';
import type { SessionMode } from '../../../../preload/schemas/session';
import { act } from '../../store/session-actions';
import { useStore } from '../../store/index';
import { ActErrorText } from './operator-key';
import { AbortForm } from './session-controls';
import { ConfirmRadius } from './blast-radius';

/** Main's refusal of `control`, shown next to it. */
function Refusal(props: { control: string }) {
  const error = useStore((s) =>
    s.sessionError?.control === props.control ? s.sessionError.error : null,
  );
  return error ? <ActErrorText error={error} /> : null;
}

const useBusy = () => useStore((s) => s.sessionBusy !== null);

/** Tick every item, then Done. */
export function ChecklistForm(props: { step: PlanStep }) {
  const { step } = props;
  const busy = useBusy();
  const [checked, setChecked] = useState<string[]>([]);
  const all = step.checklist.every((item) => checked.includes(item));
  const left = step.checklist.length - checked.length;
  return (
    <form
      className="step-form"
      aria-label={`Checklist of ${step.title}`}
      onSubmit={(e) => {
        e.preventDefault();
        if (all) void act({ type: 'checklist', step: step.id, checked }, 'checklist');
      }}
    >
      <ul className="checklist">
        {step.checklist.map((item) => (
          <li key={item}>
            <label className="check">
              <input
                type="checkbox"
                checked={checked.includes(item)}
                onChange={(e) =>
                  setChecked(
                    e.target.checked ? [...checked, item] : checked.filter((c) => c !== item),
                  )
                }
              />{' '}
              {item}
            </label>
          </li>
        ))}
      </ul>
      <div className="form-row">
        <button type="submit" className="primary" disabled={busy || !all}>
          Done
        </button>
        {all ? null : (
          <span className="muted">
            {left} item{left === 1 ? '' : 's'} left to tick
          </span>
        )}
      </div>
      <Refusal control="checklist" />
    </form>
  );
}

/**
 * The key file to offer: one the message names, else keys/<approver>.key of the first approver it
 * names ("demo-approver must approve …"), else empty (main then picks the runbook's approver).
 */
function keyFileIn(message: string): string {
  const named = /keys\/[\w.@-]+\.key/.exec(message)?.[0];
  if (named) return named;
  const approver = /^([\w.@-]+)(?: or [\w.@-]+)* must approve/.exec(message)?.[1];
  return approver ? `keys/${approver}.key` : '';
}

/** A second engineer signs with their own key; the passphrase never leaves main. */
export function ApprovalForm(props: { step: PlanStep; message: string }) {
  const { step } = props;
  const busy = useBusy();
  const id = useId();
  const [keyFile, setKeyFile] = useState(() => keyFileIn(props.message));
  const [passphrase, setPassphrase] = useState('');
  const [decision, setDecision] = useState<'approved' | 'rejected'>('approved');
  const [statement, setStatement] = useState('');
  return (
    <form
      className="step-form approval-form"
      aria-label={`Approval of ${step.title}`}
      onSubmit={(e) => {
        e.preventDefault();
        void act(
          {
            type: 'approve',
            step: step.id,
            ...(keyFile.trim() ? { keyFile: keyFile.trim() } : {}),
            passphrase,
            decision,
            statement: statement.trim(),
          },
          'approve',
        ).then((ok) => ok && setPassphrase(''));
      }}
    >
      <p className="muted">
        The approver types their own passphrase here; their key, not yours, signs the approval.
      </p>
      <div className="field-pair">
        <div className="field">
          <label htmlFor={`${id}-key`}>Approver’s key file (in the workspace)</label>
          <input
            id={`${id}-key`}
            value={keyFile}
            onChange={(e) => setKeyFile(e.target.value)}
            placeholder="keys/<approver>.key (empty: the runbook’s approver)"
            spellCheck={false}
          />
        </div>
        <div className="field">
          <label htmlFor={`${id}-pass`}>Passphrase of that key</label>
          <input
            id={`${id}-pass`}
            type="password"
            value={passphrase}
            onChange={(e) => setPassphrase(e.target.value)}
            autoComplete="off"
          />
        </div>
      </div>
      <fieldset className="field decision">
        <legend>Decision</legend>
        <label className="check">
          <input
            type="radio"
            name={`${id}-decision`}
            checked={decision === 'approved'}
            onChange={() => setDecision('approved')}
          />{' '}
          Approve
        </label>
        <label className="check">
          <input
            type="radio"
            name={`${id}-decision`}
            checked={decision === 'rejected'}
            onChange={() => setDecision('rejected')}
          />{' '}
          Reject (the session stops here)
        </label>
      </fieldset>
      <div className="field">
        <label htmlFor={`${id}-statement`}>Statement (what the approver checked)</label>
        <textarea
          id={`${id}-statement`}
          value={statement}
          onChange={(e) => setStatement(e.target.value)}
          rows={2}
        />
      </div>
      <div className="form-row">
        <button
          type="submit"
          className={decision === 'approved' ? 'primary' : 'danger'}
          disabled={busy || statement.trim() === ''}
        >
          {decision === 'approved' ? 'Sign approval' : 'Sign rejection'}
        </button>
        {statement.trim() === '' ? <span className="muted">Write a statement first.</span> : null}
      </div>
      <Refusal control="approve" />
    </form>
  );
}

/** Type the target's name; the button stays off until it matches exactly. */
export function ConfirmForm(props: { step: PlanStep; production: boolean }) {
  const { step } = props;
  const busy = useBusy();
  const id = useId();
  const [typed, setTyped] = useState('');
  const expected = step.confirmTarget ?? '';
  const matches = expected !== '' && typed === expected;
  return (
    <form
      className="step-form"
      aria-label={`Confirmation of ${step.title}`}
      onSubmit={(e) => {
        e.preventDefault();
        if (matches) void act({ type: 'confirm', step: step.id, typed }, 'confirm');
      }}
    >
      {step.s3 ? <ConfirmRadius step={step} /> : null}
      <label htmlFor={id}>
        Type{' '}
        <strong className={props.production ? 'target-name-production' : 'target-name'}>
          {expected}
        </strong>{' '}
        {props.production ? '(PRODUCTION) ' : ''}to confirm it will be overwritten
      </label>
      <div className="form-row">
        <input
          id={id}
          value={typed}
          onChange={(e) => setTyped(e.target.value)}
          autoComplete="off"
          spellCheck={false}
        />
        <button type="submit" className="danger" disabled={busy || !matches}>
          Confirm
        </button>
        {typed !== '' && !matches ? <span className="warn-text">Does not match yet.</span> : null}
      </div>
      <Refusal control="confirm" />
    </form>
  );
}

/** The command as it will run, and the Run button (a rehearsal only records it). */
export function RunPanel(props: { step: PlanStep; mode: SessionMode }) {
  const { step, mode } = props;
  const busy = useBusy();
  return (
    <div className="step-form">
      <div className="form-row">
        <button
          type="button"
          className="primary"
          disabled={busy}
          onClick={() => void act({ type: 'run', step: step.id }, 'run')}
        >
          {mode === 'rehearsal' ? 'Rehearse this step (nothing runs)' : 'Run'}
        </button>
        <span className="muted">
          {mode === 'rehearsal'
            ? 'The log records what would run; no command is started.'
            : 'Its output shows here as it runs; Cancel stops it.'}
        </span>
      </div>
      <Refusal control="run" />
    </div>
  );
}

/** After a failure: run again, skip with a reason, or abort the session. */
export function RetryPanel(props: { step: PlanStep; message: string }) {
  const { step } = props;
  const busy = useBusy();
  const id = useId();
  const [skipping, setSkipping] = useState(false);
  const [reason, setReason] = useState('');
  return (
    <div className="step-form retry-panel">
      <p className="error" role="alert">
        ✗ {props.message}
      </p>
      <div className="form-row">
        <button
          type="button"
          className="primary"
          disabled={busy}
          onClick={() => void act({ type: 'run', step: step.id }, 'retry')}
        >
          Retry
        </button>
        <button
          type="button"
          aria-expanded={skipping}
          onClick={() => setSkipping(!skipping)}
          disabled={busy}
        >
          Skip…
        </button>
      </div>
      <Refusal control="retry" />
      {skipping ? (
        <form
          className="step-form"
          onSubmit={(e) => {
            e.preventDefault();
            void act({ type: 'skip', step: step.id, reason: reason.trim() }, 'skip');
          }}
        >
          <label htmlFor={id}>Why is it safe to go on without this step?</label>
          <textarea id={id} rows={2} value={reason} onChange={(e) => setReason(e.target.value)} />
          <div className="form-row">
            <button type="submit" disabled={busy || reason.trim() === ''}>
              Skip this step
            </button>
          </div>
          <Refusal control="skip" />
        </form>
      ) : null}
      <AbortForm />
    </div>
  );
}
