// What the current step needs from the operator, one small form per need: tick the checklist,
// sign an approval, type the target's name, run the command, or decide after a failure.
import { useId, useState } from 'react';
import type { PlanStep } from '../../../../preload/schemas/runbook';
import type { SessionMode } from '../../../../preload/schemas/session';
import { rowFrom, runInARow } from '../../store/run-through';
import { act, actInOne } from '../../store/session-actions';
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

/** The items of a checklist as checkboxes. */
function ChecklistItems(props: {
  items: string[];
  checked: string[];
  onChange: (checked: string[]) => void;
}) {
  const { checked } = props;
  return (
    <ul className="checklist">
      {props.items.map((item) => (
        <li key={item}>
          <label className="check">
            <input
              type="checkbox"
              checked={checked.includes(item)}
              onChange={(e) =>
                props.onChange(
                  e.target.checked ? [...checked, item] : checked.filter((c) => c !== item),
                )
              }
            />{' '}
            {item}
          </label>
        </li>
      ))}
    </ul>
  );
}

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
      <ChecklistItems items={step.checklist} checked={checked} onChange={setChecked} />
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
      {/* The passphrase last: it is the signature, and Enter in it signs. */}
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

/**
 * Type the target's name; the button stays off until it matches exactly. A manual step's checklist
 * is ticked in the same form (one Enter sends the confirmation, then the ticks, as two records).
 */
export function ConfirmForm(props: { step: PlanStep; production: boolean }) {
  const { step } = props;
  const busy = useBusy();
  const id = useId();
  const [typed, setTyped] = useState('');
  const items = step.kind === 'manual' ? step.checklist : [];
  const [checked, setChecked] = useState<string[]>([]);
  const ticked = items.every((item) => checked.includes(item));
  const expected = step.confirmTarget ?? '';
  const matches = expected !== '' && typed === expected && ticked;
  return (
    <form
      className="step-form"
      aria-label={`Confirmation of ${step.title}`}
      onSubmit={(e) => {
        e.preventDefault();
        if (!matches) return;
        const confirm = { type: 'confirm', step: step.id, typed } as const;
        const ticks = { type: 'checklist', step: step.id, checked } as const;
        void actInOne(items.length > 0 ? [confirm, ticks] : [confirm]);
      }}
    >
      {step.s3 ? <ConfirmRadius step={step} /> : null}
      {items.length > 0 ? (
        <ChecklistItems items={items} checked={checked} onChange={setChecked} />
      ) : null}
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
        {typed !== '' && typed !== expected ? (
          <span className="warn-text">Does not match yet.</span>
        ) : !ticked ? (
          <span className="muted">Tick the list above too.</span>
        ) : null}
      </div>
      <Refusal control="confirm" />
    </form>
  );
}

/**
 * The Run button (a rehearsal only records it) and, when command steps that need nobody follow,
 * a button that runs them in a row, stopping at the first failure.
 */
export function RunPanel(props: { step: PlanStep; mode: SessionMode }) {
  const { step, mode } = props;
  const busy = useBusy();
  const session = useStore((s) => s.session);
  const running = useStore((s) => s.runningRow);
  const row = session ? rowFrom(session, step.id) : [];
  const rehearsal = mode === 'rehearsal';
  return (
    <div className="step-form">
      <div className="form-row">
        <button
          type="button"
          className="primary"
          disabled={busy || running !== null}
          onClick={() => void act({ type: 'run', step: step.id }, 'run')}
        >
          {rehearsal ? 'Rehearse this step (nothing runs)' : 'Run'}
        </button>
        {row.length > 1 ? (
          <button
            type="button"
            disabled={busy || running !== null}
            onClick={() => runInARow(row)}
            aria-describedby={`${step.id}-row`}
          >
            {rehearsal
              ? `Rehearse this and the next ${row.length - 1} (nothing runs)`
              : `Run this and the next ${row.length - 1} in a row`}
          </button>
        ) : null}
        <span className="muted">
          {rehearsal
            ? 'The log records what would run; no command is started.'
            : 'Its output shows here as it runs; Cancel stops it.'}
        </span>
      </div>
      {row.length > 1 ? (
        <p id={`${step.id}-row`} className="muted row-steps">
          In a row:{' '}
          {row.map((id) => session?.plan.steps.find((s) => s.id === id)?.title).join(' → ')}. Each
          runs once the one before is done; the row stops at the first failure.
        </p>
      ) : null}
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
