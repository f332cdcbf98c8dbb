// The top of a session: mode (LIVE in red), runbook and target, time against the RTO, the log
// file, and the controls that are always there (note, abort).
import { useEffect, useState } from 'react';
import type { LiveSession } from '../../../../preload/schemas/session';
import { Badge } from '../../ui/badge';
import { formatDuration } from '../../ui/format';
import { useStore } from '../../store/index';
import { RestoreSummary, summaryTarget } from './restore-summary';
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

/** The rehearsal's clock: shown, but never against the RTO (nothing ran, so it measures nothing). */
export function RehearsalClock(props: { elapsedMs: number }) {
  return (
    <p className="rto-text">
      Rehearsal: nothing runs. Its clock ({formatDuration(props.elapsedMs / 1000)}) does not count
      against the RTO.
    </p>
  );
}

/** The session header: pinned at the top while the steps scroll, with what is being restored. */
export function SessionHeader(props: { session: LiveSession; production: boolean }) {
  const { session, production } = props;
  const { state, plan } = session;
  const workspace = useStore((s) => s.workspace);
  const elapsed = useElapsedMs(session);
  const mode = state.mode ?? 'rehearsal';
  const current = session.next?.step ?? state.currentStep;
  const rto = plan.rtoSeconds ?? state.runbook?.rtoSeconds ?? null;
  return (
    <header className={mode === 'live' ? 'session-header session-live' : 'session-header'}>
      <div className="session-title">
        {modeBadge[mode]}
        <h2>{plan.title}</h2>
        <span className="muted">operator {state.operator?.name ?? '—'}</span>
        <span className="spacer" />
        {/* Once sealed, the outcome below shows the measured time. */}
        {state.sealed ? null : mode === 'rehearsal' ? (
          <RehearsalClock elapsedMs={elapsed} />
        ) : (
          <RtoBar elapsedMs={elapsed} rtoSeconds={rto} />
        )}
      </div>
      <RestoreSummary
        compact
        cut={state.cut}
        target={summaryTarget(state.target, workspace, production)}
        incident={state.incident}
        mode={mode}
      />
      <div className="session-controls">
        {state.sealed ? null : (
          <>
            <NoteForm step={current ?? null} />
            <AbortForm />
          </>
        )}
        <span className="muted log-path">
          Audit log <code>{session.logPath}</code> · {state.records} records
        </span>
      </div>
    </header>
  );
}
