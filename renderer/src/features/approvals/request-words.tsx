// A request as the approver reads it before deciding: who asks, the workspace, session, runbook,
// mode (LIVE in red), target (production in red), the cut, and every step that runs after the
// approval with its argv word by word.
import { useState } from 'react';
import type { ApprovalRequestRead } from '../../../../preload/schemas/approvals';
import { Badge } from '../../ui/badge';

const when = (iso: string) => iso.replace('T', ' ').replace(/(\.\d+)?Z$/, ' UTC');

/** The request in words. */
export function RequestWords(props: { read: ApprovalRequestRead }) {
  const { read } = props;
  const r = read.request;
  const [now] = useState(() => Date.now());
  const left = Math.floor((Date.parse(r.expires) - now) / 60_000);
  const production = r.target?.environment === 'production';
  return (
    <div className="request-words">
      <p className="request-who">
        <strong>{read.operatorName}</strong> asks for approval of <strong>“{r.step.title}”</strong>{' '}
        <span className="muted">
          (step {r.step.id}, attempt {r.step.attempt})
        </span>
      </p>
      <p className="ok-text">
        ✓ Signature verified with {read.operatorName}’s key{' '}
        {read.request.operator.keyId.slice(0, 16)}… from this workspace’s keys/trusted.json.
      </p>
      <dl className="request-facts">
        <dt>Mode</dt>
        <dd>
          {r.mode === 'live' ? (
            <Badge tone="danger">LIVE restore</Badge>
          ) : (
            <Badge tone="info">{r.mode}</Badge>
          )}
        </dd>
        <dt>Target</dt>
        <dd className={production ? 'target-name-production' : undefined}>
          {r.target ? `${r.target.name} (${r.target.environment})` : 'none named'}
          {production ? ' — PRODUCTION' : ''}
        </dd>
        <dt>Runbook</dt>
        <dd>
          {r.runbook.title}{' '}
          <span className="muted">
            ({r.runbook.path}
            {r.runbook.version ? `, version ${r.runbook.version}` : ''}, sha256{' '}
            {r.runbook.sha256.slice(0, 16)}…)
          </span>
        </dd>
        <dt>Workspace</dt>
        <dd>
          {r.workspace}{' '}
          <span className="muted">
            session {r.session.log.slice(0, 16)}… ({r.session.file})
          </span>
        </dd>
        <dt>Approvers</dt>
        <dd>
          {r.approvers.join(', ') || 'any trusted key but the operator’s'}
          {r.approvals > 1 ? ` (${r.approvals} must approve)` : ''}
        </dd>
        <dt>Answer by</dt>
        <dd className={read.expired ? 'error' : undefined}>
          {when(r.expires)} {read.expired ? '— expired' : `(${left} min left)`}
        </dd>
        <dt>Cut</dt>
        <dd>
          {r.cut ? (
            <>
              {r.cut.group} at {when(r.cut.time)}
              <ul className="plain-list">
                {r.cut.members.map((m) => (
                  <li key={m.service}>
                    {m.service}: <code>{m.pointId ?? 'continuous window'}</code> at {when(m.time)}
                  </li>
                ))}
              </ul>
            </>
          ) : (
            'none (the runbook binds no recovery points)'
          )}
        </dd>
      </dl>
      <h4 className="subhead">
        After the approval, {r.next.length} step{r.next.length === 1 ? '' : 's'} run
      </h4>
      <ol className="request-steps">
        {r.next.map((s) => (
          <li key={s.id} className={s.production ? 'request-step-production' : undefined}>
            {s.title} <span className="muted">({s.kind})</span>
            {s.destructive ? (
              <Badge tone="warn">overwrites {s.target ?? 'its target'}</Badge>
            ) : null}
            {s.production ? <Badge tone="danger">PRODUCTION</Badge> : null}
            {s.argv ? (
              <div className="argv">
                <span className="muted">runs on {s.where ?? 'this machine'}:</span>
                <code className="argv-words">
                  {s.argv.map((word, i) => (
                    <span key={i} className="argv-word">
                      {word}
                    </span>
                  ))}
                </code>
              </div>
            ) : null}
            {s.s3 ? <div className="muted">S3: {s.s3}</div> : null}
          </li>
        ))}
      </ol>
    </div>
  );
}
