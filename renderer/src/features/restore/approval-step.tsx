// The operator's side of an approval step: the signed request to send (a line for a chat, its
// file, the drop folder), then the approver's response pasted, dropped or opened here. The
// engine decides; each refusal is shown with its sentence. In person stays possible, folded.
import { useEffect, useId, useState, type DragEvent } from 'react';
import type { PlanStep } from '../../../../preload/schemas/runbook';
import type { LiveSession } from '../../../../preload/schemas/session';
import { act } from '../../store/session-actions';
import { useStore } from '../../store/index';
import { ActErrorText } from './operator-key';
import { ApprovalForm } from './step-forms';

const hhmm = (iso: string) => `${iso.slice(11, 16)} UTC`;

/** Minutes from now until an instant, refreshed every 15 seconds. */
function useMinutesLeft(iso: string | null): number | null {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), 15_000);
    return () => clearInterval(timer);
  }, []);
  return iso === null ? null : Math.floor((Date.parse(iso) - now) / 60_000);
}

/** Main's refusal of a control of this form. */
function Refusal(props: { controls: string[] }) {
  const error = useStore((s) =>
    s.sessionError && props.controls.includes(s.sessionError.control) ? s.sessionError.error : null,
  );
  return error ? <ActErrorText error={error} /> : null;
}

/** The request an approver needs: its line, its file, how long it stays answerable. */
function RequestToSend(props: { session: LiveSession; step: PlanStep }) {
  const wait = props.session.approval;
  const request = wait?.request ?? null;
  const left = useMinutesLeft(request?.expires ?? null);
  const busy = useStore((s) => s.sessionBusy !== null);
  const [copied, setCopied] = useState(false);
  const id = useId();
  if (!wait) return null;
  const who = wait.approvers.join(' or ') || 'a second engineer';
  if (!request) {
    return (
      <>
        <p className="loading">Signing the approval request…</p>
        <Refusal controls={['request']} />
      </>
    );
  }
  const expired = left !== null && left < 0;
  return (
    <div className="approval-request">
      <h4 className="subhead">1. Send the request to {who}</h4>
      <p>
        They check it and answer on their machine with their own key:{' '}
        <code>dapple approve FILE</code> or <strong>Approve a request…</strong> in their console.{' '}
        {expired ? (
          <span className="error">
            Expired at {hhmm(request.expires)}: renew it and send it again.
          </span>
        ) : (
          <span className="muted">
            Answerable until {hhmm(request.expires)} ({left} min left).
          </span>
        )}
      </p>
      <label htmlFor={`${id}-line`}>The request as one line (for a chat)</label>
      <textarea
        id={`${id}-line`}
        className="approval-line"
        readOnly
        rows={3}
        value={request.line}
        onFocus={(e) => e.currentTarget.select()}
      />
      <div className="form-row">
        <button
          type="button"
          onClick={() =>
            void navigator.clipboard.writeText(request.line).then(
              () => setCopied(true),
              () => setCopied(false),
            )
          }
        >
          {copied ? 'Copied ✓' : 'Copy the line'}
        </button>
        {expired ? (
          <button
            type="button"
            className="primary"
            disabled={busy}
            onClick={() => void act({ type: 'request', step: props.step.id }, 'request')}
          >
            Renew the request
          </button>
        ) : null}
        <span className="muted approval-file">
          File: <code>{request.file}</code>
        </span>
      </div>
      {wait.dropFolder ? (
        <p className="muted">
          Also in the drop folder <code>{wait.dropFolder}</code>, which this console watches: a
          response left there is taken up by itself.
        </p>
      ) : null}
      <Refusal controls={['request']} />
    </div>
  );
}

/** Paste, drop or open the approver's response; the engine accepts or refuses it. */
function ResponseToTake(props: { session: LiveSession; step: PlanStep }) {
  const { session, step } = props;
  const wait = session.approval;
  const busy = useStore((s) => s.sessionBusy !== null);
  const [text, setText] = useState('');
  const [over, setOver] = useState(false);
  const id = useId();
  if (!wait?.request) return null;
  const send = (value: string, source: 'paste' | 'file', file?: string) =>
    act(
      { type: 'respond', step: step.id, text: value, source, ...(file ? { file } : {}) },
      'respond',
    ).then((ok) => ok && setText(''));
  const fromFile = async (file: File | undefined) => {
    if (file) await send(await file.text(), 'file', file.name);
  };
  const onDrop = (event: DragEvent<HTMLElement>) => {
    event.preventDefault();
    setOver(false);
    void fromFile(event.dataTransfer.files[0]);
  };
  return (
    <form
      className={`approval-response${over ? ' drop-over' : ''}`}
      aria-label={`Response to the approval of ${step.title}`}
      onDragOver={(e) => {
        e.preventDefault();
        setOver(true);
      }}
      onDragLeave={() => setOver(false)}
      onDrop={onDrop}
      onSubmit={(e) => {
        e.preventDefault();
        if (text.trim()) void send(text, 'paste');
      }}
    >
      <h4 className="subhead">
        2. Take their response
        {wait.approvals > 1 ? ` (${wait.have} of ${wait.approvals} so far)` : ''}
      </h4>
      <label htmlFor={`${id}-response`}>Paste the response line, or drop its file here</label>
      <textarea
        id={`${id}-response`}
        className="approval-line"
        rows={3}
        value={text}
        placeholder="dapple-approval-response:v1:…"
        spellCheck={false}
        onChange={(e) => setText(e.target.value)}
      />
      <div className="form-row">
        <button type="submit" className="primary" disabled={busy || text.trim() === ''}>
          Use this response
        </button>
        <label className="file-button">
          Open a response file…
          <input
            type="file"
            className="visually-hidden"
            onChange={(e) => void fromFile(e.target.files?.[0]).then(() => (e.target.value = ''))}
          />
        </label>
      </div>
      <Refusal controls={['respond']} />
      {wait.refusals.length > 0 ? (
        <div className="approval-refusals" role="log" aria-label="Refused responses">
          <p className="muted">Refused so far (each is in the log):</p>
          <ul className="plain-list">
            {wait.refusals.map((r) => (
              <li key={r.seq}>
                <span className="error">✗</span> {r.ts.slice(11, 19)} UTC,{' '}
                {r.source === 'drop' ? `from the drop folder (${r.file ?? '?'})` : r.source}:{' '}
                {r.reason}
              </li>
            ))}
          </ul>
        </div>
      ) : null}
    </form>
  );
}

/** The whole approval step: request out, response in, in person folded away. */
export function ApprovalStep(props: { session: LiveSession; step: PlanStep; message: string }) {
  const { session, step } = props;
  const hasRequest = session.approval?.request != null;
  const busy = useStore((s) => s.sessionBusy !== null);
  const failed = useStore((s) => s.sessionError?.control === 'request');
  useEffect(() => {
    // The step opened: sign its request once nothing else is in flight (the engine keeps a
    // request that is still answerable, so asking twice makes no second one).
    if (!hasRequest && !busy && !failed) void act({ type: 'request', step: step.id }, 'request');
  }, [step.id, hasRequest, busy, failed]);
  return (
    <div className="step-form approval-step">
      <RequestToSend session={session} step={step} />
      <ResponseToTake session={session} step={step} />
      <details className="approval-in-person">
        <summary>The approver is here: approve in person at this screen</summary>
        <ApprovalForm step={step} message={props.message} />
      </details>
    </div>
  );
}
