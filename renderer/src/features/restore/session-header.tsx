// The top of a session: mode (LIVE in red), runbook and target, time against the RTO, the log
// file, and the controls that are always there (note, abort).
import { useEffect, useState } from 'react';
import type { LiveSession } from '../../../../preload/schemas/session';
import { Badge } from '../../ui/badge';
import { formatDuration } from '../../ui/format';
import { AbortForm, NoteForm } from './session-controls';

const modeBadge = {
  live: <Badge tone="danger">● LIVE</Badge>,
  drill: <Badge tone="info">DRILL</Badge>,
  rehearsal: <Badge tone="neutral">REHEARSAL</Badge>,
} as const;

/** Milliseconds since the session opened, ticking while it runs; the log's figure once sealed. */
function useElapsedMs(session: LiveSession): number {
  const { startedAt, sealed, elapsedMs } = session.state;
  const [now, setNow] = useState<number | null>(null);
  useEffect(() => {
    if (sealed) return;
    const tick = () => setNow(Date.now());
    tick();
    const timer = setInterval(tick, 1000);
    return () => clearInterval(timer);
  }, [sealed]);
  if (sealed || now === null || !startedAt) return elapsedMs ?? 0;
  return Math.max(elapsedMs ?? 0, now - Date.parse(startedAt));
}

/** Elapsed time as a bar against the RTO, with the figures in words. */
export function RtoBar(props: { elapsedMs: number; rtoSeconds: number | null }) {
  const { elapsedMs, rtoSeconds } = props;
  const seconds = elapsedMs / 1000;
  if (!rtoSeconds) {
    return <p className="rto-text">Elapsed {formatDuration(seconds)} · the runbook sets no RTO</p>;
  }
  const share = seconds / rtoSeconds;
  const over = share > 1;
  const text = over
    ? `${formatDuration(seconds)} — over the RTO of ${formatDuration(rtoSeconds)} by ${formatDuration(seconds - rtoSeconds)}`
    : `${formatDuration(seconds)} of the RTO ${formatDuration(rtoSeconds)} (${Math.floor(share * 100)}%)`;
  return (
    <div className="rto">
      <div
        className={over ? 'rto-bar rto-over' : share > 0.75 ? 'rto-bar rto-near' : 'rto-bar'}
        role="meter"
        aria-label="Elapsed against the RTO"
        aria-valuemin={0}
        aria-valuemax={rtoSeconds}
        aria-valuenow={Math.min(Math.round(seconds), rtoSeconds)}
        aria-valuetext={text}
      >
        <span style={{ width: `${Math.min(100, share * 100)}%` }} />
      </div>
      <span className={over ? 'rto-text error' : 'rto-text'}>Elapsed {text}</span>
    </div>
  );
}

/** The session header. */
export function SessionHeader(props: { session: LiveSession; production: boolean }) {
  const { session, production } = props;
  const { state, plan } = session;
  const elapsed = useElapsedMs(session);
  const mode = state.mode ?? 'rehearsal';
  const current = session.next?.step ?? state.currentStep;
  return (
    <header className={mode === 'live' ? 'session-header session-live' : 'session-header'}>
      <div className="session-title">
        {modeBadge[mode]}
        <h2>{plan.title}</h2>
        {state.target ? (
          <span>
            →{' '}
            {production ? (
              <Badge tone="danger">PRODUCTION</Badge>
            ) : (
              <Badge tone="ok">SANDBOX</Badge>
            )}{' '}
            <strong className={production ? 'target-name-production' : 'target-name'}>
              {state.target}
            </strong>
          </span>
        ) : null}
        <span className="muted">operator {state.operator?.name ?? '—'}</span>
      </div>
      {mode === 'rehearsal' ? (
        <p className="muted">Rehearsal: every gate is real, but no command runs.</p>
      ) : null}
      {/* Once sealed, the outcome below shows the measured time. */}
      {state.sealed ? null : (
        <RtoBar
          elapsedMs={elapsed}
          rtoSeconds={plan.rtoSeconds ?? state.runbook?.rtoSeconds ?? null}
        />
      )}
      <p className="muted log-path">
        Audit log <code>{session.logPath}</code> · {state.records} records
      </p>
      {state.sealed ? null : (
        <div className="session-controls">
          <NoteForm step={current ?? null} />
          <AbortForm />
        </div>
      )}
    </header>
  );
}
