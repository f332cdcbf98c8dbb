// A restore session on screen: header, the trust warning when the log would not verify, the
// steps, and once sealed the outcome with the way to the Audit section.
import { useEffect, useRef } from 'react';
import type { LiveSession } from '../../../../preload/schemas/session';
import { closeSession, openSessionInAudit } from '../../store/session-actions';
import { useStore } from '../../store/index';
import { Badge } from '../../ui/badge';
import { sessionTimes } from '../../../../preload/schemas/step-times';
import { formatDuration, formatTime } from '../../ui/format';
import { TrustWarning } from './operator-key';
import { planTarget } from './start-panel';
import { RehearsalClock, RtoBar, SessionHeader } from './session-header';
import { StepList } from './step-list';

const outcomeText = {
  completed: { tone: 'ok', text: '✓ Completed' },
  failed: { tone: 'danger', text: '✗ Failed' },
  aborted: { tone: 'warn', text: '■ Aborted' },
  running: { tone: 'info', text: '▶ Running' },
} as const;

/** Where the time went: waiting for people against commands running. */
function waitRunText(state: LiveSession['state']): string {
  const end = state.lastTs ? Date.parse(state.lastTs) : 0;
  const t = sessionTimes(state.steps, state.commands, end);
  return `Waiting for people ${formatDuration(t.waitingMs / 1000)} · commands running ${formatDuration(t.runningMs / 1000)}.`;
}

/** The outcome of a sealed session, and where to review it (it takes the focus when it appears). */
function Sealed(props: { session: LiveSession }) {
  const { state, plan } = props.session;
  const box = useRef<HTMLElement>(null);
  useEffect(() => {
    // The header (mode, target, log) and the outcome fit on one screen: show both from the top.
    box.current?.focus({ preventScroll: true });
    box.current?.closest('.main')?.scrollTo({ top: 0 });
  }, []);
  const done = state.steps.filter((s) => s.state === 'done').length;
  const skipped = state.steps.filter((s) => s.state === 'skipped').length;
  // A completed session with a skipped step (say, the checksum check) is not the all-clear.
  const outcome =
    state.outcome === 'completed' && skipped > 0 && state.mode !== 'rehearsal'
      ? ({
          tone: 'warn',
          text: `✓ Completed, ${skipped} step${skipped === 1 ? '' : 's'} skipped`,
        } as const)
      : state.outcome === 'completed' && state.mode === 'rehearsal'
        ? ({ tone: 'ok', text: '✓ Rehearsal completed — nothing ran' } as const)
        : outcomeText[state.outcome];
  return (
    <section
      ref={box}
      tabIndex={-1}
      className={`sealed sealed-${outcome.tone}`}
      aria-label="Session sealed"
      role="status"
    >
      <h2>
        <Badge tone={outcome.tone}>{outcome.text}</Badge> The log is sealed
      </h2>
      <p>
        {done} of {state.steps.length} steps done
        {skipped
          ? `, ${skipped} ${state.mode === 'rehearsal' ? 'rehearsed or skipped' : 'skipped'}`
          : ''}{' '}
        · {state.records} records · sealed {formatTime(state.lastTs)}
      </p>
      {state.mode === 'rehearsal' ? (
        <RehearsalClock elapsedMs={state.elapsedMs ?? 0} />
      ) : (
        <RtoBar elapsedMs={state.elapsedMs ?? 0} rtoSeconds={plan.rtoSeconds} />
      )}
      <p className="muted">{waitRunText(state)}</p>
      <div className="form-row">
        <button type="button" className="primary" onClick={() => void openSessionInAudit()}>
          Open in Audit
        </button>
        <span className="muted">Verifies the log’s signatures and replays it step by step.</span>
        <span className="spacer" />
        <button type="button" onClick={closeSession}>
          Back to the plan
        </button>
      </div>
    </section>
  );
}

/** The running (or sealed) session. */
export function SessionView(props: { session: LiveSession }) {
  const { session } = props;
  const workspace = useStore((s) => s.workspace);
  const production = workspace ? planTarget(session.plan, workspace).production : false;
  const notes = session.state.notes;
  return (
    <div className="session">
      <SessionHeader session={session} production={production} />
      {session.operatorTrusted ? null : <TrustWarning />}
      {session.state.sealed ? <Sealed session={session} /> : null}
      <StepList session={session} />
      {notes.length ? (
        <section aria-label="Notes" className="session-notes">
          <h3 className="subhead">Notes</h3>
          <ul className="plain-list">
            {notes.map((n) => (
              <li key={n.seq}>
                <span className="muted">
                  {n.ts.slice(11, 19)} UTC · {n.actor}
                  {n.step ? ` · ${n.step}` : ''}:
                </span>{' '}
                {n.text}
              </li>
            ))}
          </ul>
        </section>
      ) : null}
    </div>
  );
}
