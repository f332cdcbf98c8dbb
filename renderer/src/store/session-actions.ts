// Session actions: start a restore session, do one thing in it, follow session.changed, and
// hand a sealed log to the Audit section. Every refusal is kept with the control that asked.
import type { Cut } from '../../../preload/schemas/groups';
import type { LiveSession, SessionAction, SessionMode } from '../../../preload/schemas/session';
import { api, errorOf, unwrap } from '../ipc';
import { navigate } from './actions';
import { openAuditPath } from './audit-actions';
import { useStore } from './index';
import { currentChoice } from './restore-actions';

const set = useStore.setState;
const get = useStore.getState;

// While actions sent as one go (actInOne), views in between are held back: the screen shows
// the state before and the state after, never a form that would vanish as it appears.
let holding = false;
let heldView: LiveSession | null = null;

/** Take a view of the session unless it is older than the one shown (events may cross replies). */
function accept(next: LiveSession): void {
  // A sealed session put away stays away (trusting the key later re-sends its view).
  if (next.state.sealed && next.id === get().sessionDismissed) return;
  const shown = heldView ?? get().session;
  if (shown && shown.id === next.id && next.state.records < shown.state.records) return;
  if (holding) {
    heldView = next;
    return;
  }
  // Output grows without new records; equal counts still replace the view.
  set({ session: next });
}

/** session.changed: main's whole view of the session, throttled. */
export const onSessionChanged = (session: LiveSession): void => accept(session);

/** At start-up or after a reload: pick up the session main is still running. */
export async function loadActiveSession(): Promise<void> {
  try {
    const session = await unwrap(api().session.active({}));
    if (session) accept(session);
    // A restore in progress is what the engineer came back for: show it, not the catalog.
    if (session && !session.state.sealed) navigate('restore');
  } catch (error) {
    set({ sessionError: { control: 'active', error: errorOf(error) } });
  } finally {
    set({ sessionChecked: true });
  }
}

/** Who signs: the operator's key as main sees it without unlocking it; `create` makes it now. */
export async function loadOperator(create = false): Promise<void> {
  set({ operatorLoading: true, operatorError: null });
  try {
    const operator = await unwrap(api().session.operator(create ? { create } : {}));
    set({ operator, operatorNone: operator === null, operatorLoading: false });
  } catch (error) {
    set({ operatorLoading: false, operatorError: errorOf(error) });
  }
}

/** List the operator's key in the workspace's keys/trusted.json, so the log verifies VALID. */
export async function trustOperator(): Promise<void> {
  set({ operatorLoading: true, operatorError: null });
  try {
    const operator = await unwrap(api().session.trustOperator({}));
    const session = get().session;
    set({
      operator,
      operatorLoading: false,
      // The running session's flag follows at its next change; show the fact at once.
      ...(session && operator.trusted ? { session: { ...session, operatorTrusted: true } } : {}),
    });
  } catch (error) {
    set({ operatorLoading: false, operatorError: errorOf(error) });
  }
}

/** Start a session of a runbook bound to a cut, in a mode (the incident time goes into its log). */
export async function startSession(
  file: string,
  cut: Cut | null,
  mode: SessionMode,
  incident: string | null = null,
) {
  set({ sessionStarting: mode, sessionError: null });
  try {
    const session = await unwrap(
      api().session.start({ file, cut, mode, incident, ...currentChoice() }),
    );
    set({ session, sessionStarting: null, finishedSession: null });
    // The first session made the key: show whose it is.
    if (get().operatorNone) void loadOperator();
  } catch (error) {
    set({ sessionStarting: null, sessionError: { control: 'start', error: errorOf(error) } });
  }
}

/**
 * Do one thing in the session. `control` names the form that asked, so a refusal shows next to
 * it. Resolves true when main accepted it.
 */
export async function act(action: SessionAction, control: string = action.type): Promise<boolean> {
  const session = get().session;
  if (!session) return false;
  set({ sessionBusy: control, sessionError: null });
  try {
    accept(await unwrap(api().session.act({ id: session.id, action })));
    set({ sessionBusy: null });
    return true;
  } catch (error) {
    set({ sessionBusy: null, sessionError: { control, error: errorOf(error) } });
    return false;
  }
}

/**
 * Do several things in a row as one (a typed confirmation, then the same step's ticks): each is
 * its own act and record; the first refusal stops the rest and shows next to its own control.
 */
export async function actInOne(actions: SessionAction[]): Promise<boolean> {
  const session = get().session;
  if (!session || actions.length === 0) return false;
  set({ sessionBusy: actions[0]?.type ?? null, sessionError: null });
  holding = true;
  let control: string = actions[0]?.type ?? '';
  try {
    for (const action of actions) {
      control = action.type;
      accept(await unwrap(api().session.act({ id: session.id, action })));
    }
    return true;
  } catch (error) {
    set({ sessionError: { control, error: errorOf(error) } });
    return false;
  } finally {
    holding = false;
    const view = heldView;
    heldView = null;
    set({ sessionBusy: null, ...(view ? { session: view } : {}) });
  }
}

/**
 * Put a sealed session away and go back to the plan (its log stays in the workspace); a small
 * banner above the plan keeps the way to its log until dismissed.
 */
export function closeSession(): void {
  const session = get().session;
  if (session && !session.state.sealed) return;
  set({
    session: null,
    sessionError: null,
    sessionDismissed: session?.id ?? null,
    finishedSession: session
      ? {
          id: session.id,
          title: session.plan.title,
          mode: session.state.mode,
          outcome: session.state.outcome,
          logPath: session.logPath,
          sealedAt: session.state.lastTs,
        }
      : get().finishedSession,
  });
}

/** Close the small "finished session" banner. */
export const dismissFinished = (): void => set({ finishedSession: null });

/** Show a log in the Audit section, verified against the workspace's trusted keys. */
export async function openLogInAudit(logPath: string): Promise<void> {
  navigate('audit');
  await openAuditPath(logPath);
}

/** Show the session's log in the Audit section. */
export async function openSessionInAudit(): Promise<void> {
  const session = get().session;
  if (session) await openLogInAudit(session.logPath);
}
