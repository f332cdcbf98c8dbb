// The top of a session: mode (LIVE in red), runbook and target, time against the RTO, the log
// file, and the controls that are always there (note, abort).
import { useEffect, useState } from 'react';
import type { LiveSession } from '../../../../preload/schemas/session';
import { Badge } from '../../ui/badge';
import { formatDuration } from '../../ui/format';
import { useStore } from '../../store/index';
import { RestoreSummary, summaryTarget } from './restore-summary';
import { AbortForm, NoteForm } from './session-controls';
import { etaLeft } from './step-progress';

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

/**
 * Where the session will stand against the RTO when its running step ends, at that step's pace:
 * elapsed plus the step's ETA; null when no running step has one.
 */
export function projectFinish(session: LiveSession, elapsedMs: number, now: number) {
  const { state, plan } = session;
  const running = state.steps.find((s) => s.state === 'running' && s.progress);
  const left = running?.progress ? etaLeft(running.progress, now) : null;
  if (!running || left === null) return null;
  const index = plan.steps.findIndex((s) => s.id === running.id);
  const after = index < 0 ? 0 : plan.steps.length - index - 1;
  return { ms: elapsedMs + left * 1000, after };
}

/** The projection in words, against the RTO when there is one. */
function Projection(props: { ms: number; after: number; rtoSeconds: number | null }) {
  const { ms, after, rtoSeconds } = props;
  const seconds = ms / 1000;
  const over = rtoSeconds !== null && seconds > rtoSeconds;
  const against =
    rtoSeconds === null
      ? ''
      : over
        ? ` — over the RTO of ${formatDuration(rtoSeconds)}`
        : ` (${Math.floor((seconds / rtoSeconds) * 100)}% of the RTO ${formatDuration(rtoSeconds)})`;
  const rest = after > 0 ? `, then ${after} more step${after === 1 ? '' : 's'}` : '';
  return (
    <span className={over ? 'rto-projection error' : 'rto-projection'} role="status">
      At this pace the running step ends at {formatDuration(seconds)}
      {against}
      {rest}.
    </span>
  );
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
  const now = state.startedAt ? Date.parse(state.startedAt) + elapsed : 0;
  const projection = projectFinish(session, elapsed, now);
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
      {state.rollback && !state.sealed ? (
        <p className="error" role="status">
          Aborted ({state.rollback.reason}): rolling back — {state.rollback.steps.length} rollback
          step{state.rollback.steps.length === 1 ? '' : 's'} run through the same gates, then the
          log is sealed.
        </p>
      ) : null}
      {projection && !state.sealed && mode !== 'rehearsal' ? (
        <Projection {...projection} rtoSeconds={rto} />
      ) : null}
    </header>
  );
}
