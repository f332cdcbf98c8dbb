// The operator's signing key: who signs this session's log, where the key is kept, and whether the
// workspace trusts it (an untrusted key makes the log verify INVALID in the Audit section).
import { useEffect, useRef } from 'react';
import type { AppError } from '../../../../preload/contract';
import { loadOperator, trustOperator } from '../../store/session-actions';
import { useStore } from '../../store/index';
import { Badge } from '../../ui/badge';
import { ErrorText } from '../../ui/error-text';

/** A key id short enough to read aloud; the whole id stays in the title. */
export const shortKeyId = (keyId: string): string =>
  keyId.length > 16 ? `${keyId.slice(0, 16)}…` : keyId;

/** The "Trust my key" warning, shown wherever the key is not in keys/trusted.json. */
export function TrustWarning() {
  const loading = useStore((s) => s.operatorLoading);
  const error = useStore((s) => s.operatorError);
  return (
    <div className="trust-warning" role="alert">
      <p>
        <strong>⚠ Your key is not trusted in this workspace.</strong> The audit log will be signed,
        but a reviewer’s check reports it INVALID until <code>keys/trusted.json</code> lists your
        key. Trusting it changes that file: commit it so reviewers get it too.
      </p>
      {/* Until the key is trusted, trusting it is the next sensible thing to do. */}
      <button
        type="button"
        className="primary"
        onClick={() => void trustOperator()}
        disabled={loading}
      >
        {loading ? 'Trusting…' : 'Trust my key in this workspace'}
      </button>
      {error ? <ActErrorText error={error} /> : null}
    </div>
  );
}

/** A refusal from main: its sentence and the hint of what to do (scrolled into view). */
export function ActErrorText(props: { error: Pick<AppError, 'message' | 'hint' | 'detail'> }) {
  const box = useRef<HTMLDivElement>(null);
  useEffect(() => {
    box.current?.scrollIntoView({ block: 'nearest' });
  }, [props.error.message]);
  return (
    <div ref={box}>
      <ErrorText error={props.error} className="error act-error" />
    </div>
  );
}

/** The operator key card (fetches the key on first show). */
export function OperatorKey() {
  const operator = useStore((s) => s.operator);
  const loading = useStore((s) => s.operatorLoading);
  const error = useStore((s) => s.operatorError);
  const none = useStore((s) => s.operatorNone);
  useEffect(() => {
    if (!useStore.getState().operator) void loadOperator();
  }, []);
  return (
    <section className="operator-key" aria-label="Operator key">
      <h3 className="subhead">Your signing key</h3>
      {operator ? (
        <>
          {/* Nothing is signed yet: say what will be, not what was. */}
          <p>
            The log will be signed as <strong>{operator.name}</strong>, key{' '}
            <code title={operator.keyId}>{shortKeyId(operator.keyId)}</code>{' '}
            {operator.trusted ? (
              <Badge tone="ok">✓ trusted in this workspace</Badge>
            ) : (
              <Badge tone="warn">✗ not trusted here</Badge>
            )}{' '}
            <span className="muted">
              (kept in {operator.store}
              {operator.created ? ', made just now' : ''})
            </span>
          </p>
          {operator.trusted ? null : <TrustWarning />}
        </>
      ) : loading ? (
        <p className="loading">Reading your signing key…</p>
      ) : none ? (
        <>
          <p>
            You have no signing key yet. Dapple makes one when you start your first session (you
            choose its passphrase), or now:
          </p>
          <button type="button" className="primary" onClick={() => void loadOperator(true)}>
            Make my signing key
          </button>
          {error ? <ActErrorText error={error} /> : null}
        </>
      ) : error ? (
        <>
          <ActErrorText error={error} />
          <button type="button" onClick={() => void loadOperator()}>
            Try again
          </button>
        </>
      ) : null}
    </section>
  );
}
