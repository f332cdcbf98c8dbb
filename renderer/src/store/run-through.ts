// "Run these steps in a row": one click starts the open command step and each command step after
// it that needs nobody (no checklist, approval, typed confirmation or blast-radius check), one
// after another. Each is still its own run act through every gate in main, recorded as the
// operator's; the row stops at the first step that fails or needs a person, and at the seal.
import type { PlanStep } from '../../../preload/schemas/runbook';
import type { LiveSession } from '../../../preload/schemas/session';
import { useStore } from './index';
import { act } from './session-actions';

/** Steps queued by one "in a row" click: still to run, and already asked to run. */
type Row = { session: string; pending: string[]; started: string[] };
let row: Row | null = null;

/** A step that runs a command and needs nobody before it. */
const needsNobody = (s: PlanStep): boolean =>
  s.kind !== 'manual' &&
  s.kind !== 'approval' &&
  s.s3 === null &&
  !s.destructive &&
  s.confirmTarget === null &&
  s.rollbackOf === null &&
  s.problems.length === 0;

/** The open step and the command steps after it that would run in a row (empty: no row). */
export function rowFrom(session: LiveSession, step: string): string[] {
  const steps = session.plan.steps;
  const at = steps.findIndex((s) => s.id === step);
  if (at < 0) return [];
  const ids: string[] = [];
  for (const s of steps.slice(at)) {
    if (!needsNobody(s)) break;
    ids.push(s.id);
  }
  return ids.length > 1 ? ids : [];
}

/** Start the row: the first step now, the others as each one before it is done. */
export function runInARow(steps: string[]): void {
  const session = useStore.getState().session;
  if (!session || steps.length === 0) return;
  row = { session: session.id, pending: steps, started: [] };
  useStore.setState({ runningRow: steps });
  step();
}

function stop(): void {
  row = null;
  if (useStore.getState().runningRow) useStore.setState({ runningRow: null });
}

/** Look at the session as it is now and run the next step of the row when it is ready. */
function step(): void {
  const { session, sessionBusy } = useStore.getState();
  if (!row) return;
  if (!session || session.id !== row.session || session.state.sealed) return stop();
  // A request in flight or a command running: its end brings the next view.
  if (sessionBusy !== null || session.running) return;
  const next = session.next;
  // Nothing asked of anyone in this view (a step between its end and the next): wait.
  if (!next) return;
  // A step of the row still marked running with no command in flight: a view taken between its
  // command's end and its step's record (main says "interrupted" there). The next view decides.
  const view = session.state.steps.find((v) => v.id === next.step);
  if (next.need === 'retry' && view?.state === 'running' && row.started.includes(next.step)) return;
  // A person is needed (a failure to decide, a checklist): the row ends here.
  if (next.need !== 'run') return stop();
  // This view is older than the run just asked for: wait for the next.
  if (row.started.includes(next.step)) return;
  if (!row.pending.includes(next.step)) return stop();
  row.pending = row.pending.filter((s) => s !== next.step);
  row.started.push(next.step);
  void act({ type: 'run', step: next.step }, 'run').then((ok) => {
    if (!ok) stop();
  });
}

// Every new view of the session, and every reply, may make the next step ready.
useStore.subscribe((s, prev) => {
  if (row && (s.session !== prev.session || s.sessionBusy !== prev.sessionBusy)) step();
});
