// The Approve dialog: this console as the approver's machine. Paste, drop or open a request (or
// pick one waiting in the drop folder); it is checked against this workspace's trusted keys and
// shown in words; approve or reject with a statement, and this console's key signs the response.
import { useEffect, useId, useRef, useState, type DragEvent } from 'react';
import type {
  ApprovalRequestRead,
  ApprovalResponseMade,
} from '../../../../preload/schemas/approvals';
import type { AppError } from '../../../../preload/schemas/common';
import { errorOf } from '../../ipc';
import { readRequest, signAnswer, waitingRequests } from '../../store/approve-actions';
import { ErrorText } from '../../ui/error-text';
import { RequestWords } from './request-words';

type Waiting = Awaited<ReturnType<typeof waitingRequests>>;

/** Requests in the drop folder, to pick one. */
function DropList(props: { waiting: Waiting | null; onPick: (line: string) => void }) {
  const { waiting } = props;
  if (!waiting?.dropFolder) return null;
  const usable = waiting.requests.filter((w) => w.read && !w.read.expired && w.line);
  return (
    <div className="drop-list">
      <p className="muted">
        {usable.length === 0
          ? `No request waits in the drop folder ${waiting.dropFolder}.`
          : `Waiting in the drop folder ${waiting.dropFolder}:`}
      </p>
      <ul className="plain-list">
        {usable.map((w) => (
          <li key={w.file}>
            <button
              type="button"
              className="link-button"
              onClick={() => props.onPick(w.line ?? '')}
            >
              {w.read?.operatorName}: “{w.read?.request.step.title}” ({w.read?.request.mode},{' '}
              {w.read?.request.target?.name ?? 'no target'})
            </button>
          </li>
        ))}
      </ul>
    </div>
  );
}

/** The dialog; `onClose` when it is closed (Escape or Close). */
export function ApproveDialog(props: { onClose: () => void }) {
  const ref = useRef<HTMLDialogElement>(null);
  const id = useId();
  const [text, setText] = useState('');
  const [read, setRead] = useState<ApprovalRequestRead | null>(null);
  const [error, setError] = useState<AppError | null>(null);
  const [decision, setDecision] = useState<'approved' | 'rejected'>('approved');
  const [statement, setStatement] = useState('');
  const [made, setMade] = useState<ApprovalResponseMade | null>(null);
  const [busy, setBusy] = useState(false);
  const [copied, setCopied] = useState(false);
  const [waitingBy, setWaitingBy] = useState<Waiting | null>(null);

  useEffect(() => {
    const dialog = ref.current;
    if (dialog && !dialog.open) dialog.showModal();
    waitingRequests().then(setWaitingBy, () => setWaitingBy(null));
    return () => dialog?.close();
  }, []);

  const check = async (value: string) => {
    setText(value);
    setMade(null);
    setError(null);
    setRead(null);
    if (!value.trim()) return;
    setBusy(true);
    try {
      setRead(await readRequest(value));
    } catch (e) {
      setError(errorOf(e));
    } finally {
      setBusy(false);
    }
  };
  const onDrop = (event: DragEvent<HTMLElement>) => {
    event.preventDefault();
    const file = event.dataTransfer.files[0];
    if (file) void file.text().then(check);
    else void check(event.dataTransfer.getData('text/plain'));
  };
  const sign = async () => {
    setBusy(true);
    setError(null);
    try {
      setMade(await signAnswer(text, decision, statement.trim()));
    } catch (e) {
      setError(errorOf(e));
    } finally {
      setBusy(false);
    }
  };
  const production =
    read?.request.target?.environment === 'production' || read?.request.mode === 'live';

  return (
    <dialog
      ref={ref}
      className="approve-dialog"
      aria-labelledby={`${id}-title`}
      onCancel={(event) => {
        event.preventDefault();
        props.onClose();
      }}
      onDragOver={(e) => e.preventDefault()}
      onDrop={onDrop}
    >
      <h2 id={`${id}-title`}>Approve a request</h2>
      <p className="muted">
        You are the second engineer: this console’s key signs your answer. The request is checked
        against this workspace’s keys/trusted.json before you see it.
      </p>
      <label htmlFor={`${id}-request`}>
        Paste the request line, drop its file here, or open it
      </label>
      <textarea
        id={`${id}-request`}
        className="approval-line"
        rows={3}
        value={text}
        spellCheck={false}
        placeholder="dapple-approval-request:v1:…"
        onChange={(e) => void check(e.target.value)}
      />
      <div className="form-row">
        <label className="file-button">
          Open a request file…
          <input
            type="file"
            className="visually-hidden"
            onChange={(e) => {
              const file = e.target.files?.[0];
              if (file) void file.text().then(check);
            }}
          />
        </label>
      </div>
      {read || text ? null : <DropList waiting={waitingBy} onPick={(line) => void check(line)} />}
      {error ? <ErrorText error={error} /> : null}
      {read ? (
        <section
          className={`request-read${production ? ' request-read-production' : ''}`}
          aria-label="The request"
        >
          <RequestWords read={read} />
          {read.problem ? (
            <p className="error" role="alert">
              ✗ {read.problem}
            </p>
          ) : made ? null : (
            <form
              className="step-form"
              onSubmit={(e) => {
                e.preventDefault();
                if (statement.trim()) void sign();
              }}
            >
              <fieldset className="field decision">
                <legend>Your decision</legend>
                <label className="check">
                  <input
                    type="radio"
                    name={`${id}-d`}
                    checked={decision === 'approved'}
                    onChange={() => setDecision('approved')}
                  />{' '}
                  Approve
                </label>
                <label className="check">
                  <input
                    type="radio"
                    name={`${id}-d`}
                    checked={decision === 'rejected'}
                    onChange={() => setDecision('rejected')}
                  />{' '}
                  Reject
                </label>
              </fieldset>
              <label htmlFor={`${id}-statement`}>Statement (what you checked)</label>
              <textarea
                id={`${id}-statement`}
                rows={2}
                value={statement}
                onChange={(e) => setStatement(e.target.value)}
              />
              <div className="form-row">
                <button
                  type="submit"
                  className={decision === 'approved' ? 'primary' : 'danger'}
                  disabled={busy || statement.trim() === ''}
                >
                  {decision === 'approved' ? 'Sign approval' : 'Sign rejection'}
                  {read.me ? ` as ${read.me.name}` : ''}
                </button>
                {statement.trim() === '' ? (
                  <span className="muted">Write a statement first.</span>
                ) : null}
              </div>
            </form>
          )}
        </section>
      ) : null}
      {made ? (
        <section className="response-made" role="status" aria-label="Your signed response">
          <p>
            <strong>Signed:</strong> {made.decision} by {made.approver}.{' '}
            {made.file ? (
              <>
                Written to the drop folder: <code>{made.file}</code>. It reaches the operator’s
                console by itself; you can also send them the line.
              </>
            ) : (
              'Send this line back to the operator (a chat is fine: it is signed).'
            )}
          </p>
          <textarea
            className="approval-line"
            readOnly
            rows={3}
            value={made.line}
            aria-label="Your response line"
            onFocus={(e) => e.currentTarget.select()}
          />
          <div className="form-row">
            <button
              type="button"
              onClick={() =>
                void navigator.clipboard.writeText(made.line).then(
                  () => setCopied(true),
                  () => setCopied(false),
                )
              }
            >
              {copied ? 'Copied ✓' : 'Copy the line'}
            </button>
          </div>
        </section>
      ) : null}
      <div className="form-row dialog-buttons">
        <span className="spacer" />
        <button type="button" onClick={props.onClose}>
          Close
        </button>
      </div>
    </dialog>
  );
}

/** The sidebar's way in: a button that opens the dialog. */
export function ApproveButton() {
  const [open, setOpen] = useState(false);
  return (
    <>
      <button
        type="button"
        className="nav-item approve-open"
        title="Approve a request from another engineer's session, with your key"
        onClick={() => setOpen(true)}
      >
        <span className="nav-initial" aria-hidden="true">
          ✓
        </span>
        <span className="nav-label">Approve a request…</span>
      </button>
      {open ? <ApproveDialog onClose={() => setOpen(false)} /> : null}
    </>
  );
}
