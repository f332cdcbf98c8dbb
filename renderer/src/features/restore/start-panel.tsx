// Starting a session from the plan: rehearsal (runs nothing), drill (sandbox only) or live restore
// (behind typing the target's name). Each button says why it is not available.
import { useId, useRef, useState } from 'react';
import type { WorkspaceView } from '../../../../preload/contract';
import type { Cut } from '../../../../preload/schemas/groups';
import type { RunbookPlan } from '../../../../preload/schemas/runbook';
import { navigate } from '../../store/actions';
import { startSession } from '../../store/session-actions';
import { useStore } from '../../store/index';
import { ActErrorText, OperatorKey } from './operator-key';
import { TargetDialog } from './target-dialog';

/** The target the plan restores to, and whether it is production. */
export function planTarget(plan: RunbookPlan, workspace: WorkspaceView) {
  const name = plan.params.find((p) => p.type === 'target')?.bound ?? null;
  const target = workspace.targets.find((t) => t.name === name) ?? null;
  const production =
    target?.environment === 'production' || plan.steps.some((step) => step.production);
  return { name, production };
}

/** What the primary (filled) button should be: the next sensible thing, not always a drill. */
export type NextStart = 'timeline' | 'key' | 'trust' | 'drill' | 'rehearsal';

/** Pick the next sensible action from what stands in the way. */
export function nextStart(facts: {
  bound: boolean;
  /** The operator has no key yet, or main has not said. */
  keyMissing: boolean;
  keyUntrusted: boolean;
  drillBlocked: boolean;
}): NextStart {
  if (!facts.bound) return 'timeline';
  if (facts.keyMissing) return 'key';
  if (facts.keyUntrusted) return 'trust';
  return facts.drillBlocked ? 'rehearsal' : 'drill';
}

/** The three ways to start, under the plan. */
export function StartPanel(props: { plan: RunbookPlan; cut: Cut | null; incident: string | null }) {
  const { plan, cut, incident } = props;
  const workspace = useStore((s) => s.workspace);
  const operator = useStore((s) => s.operator);
  const operatorNone = useStore((s) => s.operatorNone);
  const starting = useStore((s) => s.sessionStarting);
  const error = useStore((s) => (s.sessionError?.control === 'start' ? s.sessionError : null));
  // The live restore's target dialog (it drives the same choice as the plan's target picker).
  const [dialog, setDialog] = useState(false);
  const opener = useRef<HTMLButtonElement | null>(null);
  const typedId = useId();
  const open = (button: HTMLButtonElement) => {
    opener.current = button;
    setDialog(true);
  };
  const close = () => {
    setDialog(false);
    // Back where the operator was (a started session takes the focus itself).
    requestAnimationFrame(() => opener.current?.focus());
  };
  if (!workspace) return null;
  const { name: target, production } = planTarget(plan, workspace);
  const unbound = plan.params.filter((p) => p.bound === null).map((p) => p.name);
  const busy = starting !== null;
  const notBound = unbound.length
    ? `Pick a cut on the Timeline first: ${unbound.join(', ')} ${unbound.length === 1 ? 'is' : 'are'} not bound yet.`
    : null;
  const drillBlocked =
    notBound ??
    (production
      ? `A drill never runs against a production target, and this plan restores to ${target ?? 'a production target'}.`
      : null);
  const start = (mode: 'rehearsal' | 'drill') => void startSession(plan.file, cut, mode, incident);
  const keyFirst = operator === null || !operator.trusted;
  const primary = nextStart({
    bound: notBound === null,
    keyMissing: operatorNone,
    keyUntrusted: operator !== null && !operator.trusted,
    drillBlocked: drillBlocked !== null,
  });

  return (
    <section className="start-panel" aria-label="Start a session">
      <h2 className="subhead">Start a session</h2>
      {/* A key still to make or trust is the next thing to do; a trusted one is a fact below. */}
      {keyFirst ? <OperatorKey /> : null}
      {primary === 'timeline' ? (
        <p>
          <button type="button" className="primary" onClick={() => navigate('timeline')}>
            Choose a cut on the Timeline
          </button>{' '}
          <span className="muted">Its recovery points bind the runbook’s parameters.</span>
        </p>
      ) : null}
      <div className="start-options">
        <div className="start-option">
          <button
            type="button"
            className={primary === 'rehearsal' ? 'primary' : undefined}
            onClick={() => start('rehearsal')}
            disabled={busy}
          >
            {starting === 'rehearsal' ? 'Starting…' : 'Start rehearsal'}
          </button>
          <p className="muted">
            Walk every step and gate; nothing runs, whatever the target (production included). For
            practice and for reading the plan.
          </p>
        </div>
        <div className="start-option">
          <button
            type="button"
            className={primary === 'drill' ? 'primary' : undefined}
            onClick={() => start('drill')}
            disabled={busy || drillBlocked !== null}
            aria-describedby={`${typedId}-drill`}
          >
            {starting === 'drill' ? 'Starting…' : 'Start drill'}
          </button>
          <p id={`${typedId}-drill`} className={drillBlocked ? 'warn-text' : 'muted'}>
            {drillBlocked ??
              `Runs every command against the sandbox target ${target ?? ''} and measures the time against the RTO.`}
          </p>
        </div>
        <div className={production ? 'start-option start-live-production' : 'start-option'}>
          <button
            type="button"
            className={production ? 'danger' : 'danger-outline'}
            aria-haspopup="dialog"
            onClick={(e) => open(e.currentTarget)}
            disabled={busy || notBound !== null}
          >
            Start live restore…
          </button>
          <p className={notBound ? 'warn-text' : 'muted'}>
            {notBound ?? 'Runs for real. You choose the target first: nothing is chosen for you.'}
          </p>
        </div>
      </div>
      {keyFirst ? null : <OperatorKey />}
      {dialog ? <TargetDialog plan={plan} cut={cut} incident={incident} onClose={close} /> : null}
      {error ? <ActErrorText error={error.error} /> : null}
    </section>
  );
}
