// The step the replay is at (or the one picked): attempts, approvals with the approver's key,
// typed confirmations, commands with their output, and notes — as they stood at this record.
import type { SessionState } from '../../../../preload/schemas/audit';
import type { AuditOpened } from '../../../../preload/schemas/audit-replay';
import { Badge } from '../../ui/badge';
import { CommandOutput } from './command-output';
import { attemptsOf, clockText, shortKey } from './replay-model';

/** Detail of one step at record `seq`. */
export function StepDetail(props: {
  opened: AuditOpened;
  state: SessionState;
  step: string | null;
  seq: number;
}) {
  const { opened, state, seq } = props;
  const step = state.steps.find((s) => s.id === props.step);
  if (!step) return <section className="audit-detail muted">No step has started yet.</section>;
  const attempts = attemptsOf(opened, step.id, seq);
  const approvals = state.approvals.filter((a) => a.step === step.id);
  const confirmations = state.confirmations.filter((c) => c.step === step.id);
  const commands = state.commands.filter((c) => c.step === step.id);
  const notes = state.notes.filter((n) => n.step === step.id);
  const signer = (keyId: string) =>
    opened.signers.find((s) => s.keyId === keyId)?.name ?? 'unknown';
  return (
    <section className="audit-detail" aria-label={`Step: ${step.title}`}>
      <h2 className="audit-subhead">
        {step.title} <span className="muted">({step.kind})</span>
      </h2>
      {step.state === 'pending' ? <p className="muted">Not started at this point.</p> : null}
      {step.state === 'running' ? (
        <p>
          <Badge tone="info">running</Badge> attempt {step.attempts}, since{' '}
          {step.attemptStartedAt ? clockText(step.attemptStartedAt) : '—'}
        </p>
      ) : null}
      {attempts.length > 0 ? (
        <ul className="audit-attempts" aria-label="Attempts">
          {attempts.map((a) => (
            <li key={a.attempt} className={a.state === 'failed' ? 'audit-attempt-failed' : ''}>
              Attempt {a.attempt}{' '}
              <Badge tone={a.state === 'done' ? 'ok' : a.state === 'failed' ? 'danger' : 'warn'}>
                {a.state}
              </Badge>{' '}
              at {clockText(a.ts)}
              {a.error ? `: ${a.error}` : ''}
            </li>
          ))}
        </ul>
      ) : null}
      {approvals.map((a) => (
        <div key={a.seq} className={`audit-approval audit-approval-${a.decision}`}>
          <strong>
            {a.decision === 'approved' ? 'Approved' : 'Rejected'} by {signer(a.keyId)}
          </strong>{' '}
          with key <code title={a.keyId}>{shortKey(a.keyId)}</code> at {clockText(a.ts)}
          {a.approver !== signer(a.keyId) ? (
            <span className="warn-text"> (the record names “{a.approver}”)</span>
          ) : null}
          <blockquote>{a.statement}</blockquote>
          {a.selfApproved ? (
            <p className="warn-text">
              Signed with the operator’s own key: this is not a second person’s approval.
            </p>
          ) : null}
        </div>
      ))}
      {confirmations.map((c) => (
        <div key={c.seq} className="audit-confirm">
          <span className="muted">{c.prompt}</span>
          <div>
            {c.actor} typed <code>{c.typed}</code>{' '}
            {c.matched ? (
              <Badge tone="ok">matches {c.expected}</Badge>
            ) : (
              <Badge tone="danger">does not match {c.expected}</Badge>
            )}{' '}
            at {clockText(c.ts)}
          </div>
        </div>
      ))}
      {commands.map((c) => (
        <CommandOutput key={c.id} opened={opened} cmd={c} seq={seq} />
      ))}
      {notes.map((n) => (
        <p key={n.seq} className="audit-note">
          <span className="muted">
            Note by {n.actor} at {clockText(n.ts)}:
          </span>{' '}
          {n.text}
        </p>
      ))}
    </section>
  );
}
