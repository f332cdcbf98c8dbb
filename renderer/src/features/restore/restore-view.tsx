// Restore: the runbook bound to the chosen cut, every step and argv shown before anything runs,
// then a session (rehearsal, drill or live) driven step by step until its log is sealed.
import { useEffect, useRef, useState } from 'react';
import type { AppError } from '../../../../preload/contract';
import type { PlanParam, RunbookPlan } from '../../../../preload/schemas/runbook';
import { navigate } from '../../store/actions';
import { useStore } from '../../store/index';
import { clearRestoreRequest, loadPlan } from '../../store/restore-actions';
import { dismissFinished, openLogInAudit } from '../../store/session-actions';
import { Badge } from '../../ui/badge';
import { EmptyState } from '../../ui/empty-state';
import { formatTime } from '../../ui/format';
import { SectionHeader } from '../../ui/section-header';
import { PlanView } from './plan-view';
import { SessionView } from './session-view';
import { RestoreSummary, summaryTarget } from './restore-summary';
import { planTarget, StartPanel } from './start-panel';
import { TargetPicker, targetParam } from './target-picker';
import { ErrorText } from '../../ui/error-text';

const outcomeWords = {
  completed: { tone: 'ok', text: 'completed' },
  failed: { tone: 'danger', text: 'failed' },
  aborted: { tone: 'warn', text: 'was aborted' },
  running: { tone: 'info', text: 'stopped unsealed' },
} as const;

/** A session put away: one small line with the way to its log, dismissible. */
function FinishedBanner() {
  const finished = useStore((s) => s.finishedSession);
  if (!finished) return null;
  const words = outcomeWords[finished.outcome];
  return (
    <div className={`finished-banner finished-${words.tone}`} role="status">
      <span>
        Your last {finished.mode ?? 'session'} of “{finished.title}” {words.text}
        {finished.sealedAt ? ` at ${formatTime(finished.sealedAt)}` : ''}; its log is sealed.
      </span>
      <button
        type="button"
        className="link-button"
        onClick={() => void openLogInAudit(finished.logPath)}
      >
        Open its log in Audit
      </button>
      <button
        type="button"
        className="icon-button"
        aria-label="Dismiss this notice"
        onClick={dismissFinished}
      >
        ×
      </button>
    </div>
  );
}

/** The Restore section. */
export function RestoreView() {
  const workspace = useStore((s) => s.workspace);
  const request = useStore((s) => s.restoreRequest);
  const session = useStore((s) => s.session);
  const checked = useStore((s) => s.sessionChecked);
  const choice = useStore((s) => s.restoreChoice);
  const selection = useStore((s) => s.restoreSelection);
  const [file, setFile] = useState<string | null>(null);
  const [plan, setPlan] = useState<{ plan: RunbookPlan | null; error: AppError | null } | null>(
    null,
  );
  const chosen = request?.runbook ?? file ?? workspace?.runbooks[0]?.file ?? null;
  const hadSession = useRef(session !== null);

  useEffect(() => {
    if (!chosen) return;
    let live = true;
    void loadPlan(chosen).then((p) => live && setPlan(p));
    return () => {
      live = false;
    };
  }, [chosen, request, choice, selection]);

  // After "Restore this cut" and after "Back to the plan", the focus goes to the next thing to
  // press (the primary button of the start panel), not to the page.
  const focusedFor = useRef<object | null>(null);
  useEffect(() => {
    const back = hadSession.current && session === null;
    hadSession.current = session !== null;
    const fresh = request !== null && focusedFor.current !== request;
    if (session || !plan?.plan || !checked || !(back || fresh)) return;
    focusedFor.current = request;
    requestAnimationFrame(() =>
      document
        .querySelector<HTMLElement>('.start-panel button.primary:not(:disabled)')
        ?.focus({ preventScroll: true }),
    );
  }, [session, plan, request, checked]);

  if (!workspace) return null;
  const header = (
    <SectionHeader title="Restore" purpose="A guided, checklist-driven restore from a runbook." />
  );
  if (session) {
    return (
      <section>
        {header}
        <SessionView session={session} />
      </section>
    );
  }
  if (workspace.runbooks.length === 0) {
    return (
      <section>
        {header}
        <EmptyState title="No runbooks in this workspace">
          <p>
            Write a runbook in <code>runbooks/</code> (see{' '}
            <code>resources/schemas/runbook.schema.json</code>) and link it to a group in{' '}
            <code>dapple.yaml</code>. Then pick a cut on the Timeline and choose “Restore this cut”.
          </p>
        </EmptyState>
      </section>
    );
  }
  const bound = request?.runbook === chosen ? request : null;
  const targetName = plan?.plan ? planTarget(plan.plan, workspace).name : null;
  const production = plan?.plan ? planTarget(plan.plan, workspace).production : false;
  const picker: PlanParam | null = plan?.plan ? targetParam(plan.plan.params) : null;
  return (
    <section>
      {header}
      <FinishedBanner />
      {request ? (
        <div
          className={
            request.cut.consistent ? 'restore-banner' : 'restore-banner restore-banner-warn'
          }
          role="region"
          aria-label="The cut to restore"
        >
          <RestoreSummary
            cut={request.cut}
            target={summaryTarget(targetName, workspace, production)}
            incident={request.incident}
            mode={null}
          />
          <div className="banner-actions">
            <button onClick={() => navigate('timeline')}>Choose another cut</button>
            <button onClick={clearRestoreRequest} title="The plan shows the runbook unbound">
              Forget this cut
            </button>
          </div>
        </div>
      ) : (
        <p className="muted">
          No cut chosen yet: pick one on the Timeline and choose “Restore this cut” to bind its
          recovery points.
        </p>
      )}
      {picker ? <TargetPicker param={picker} /> : null}
      {plan?.error ? <ErrorText error={plan.error} /> : null}
      {plan?.plan && checked ? (
        <StartPanel plan={plan.plan} cut={bound?.cut ?? null} incident={bound?.incident ?? null} />
      ) : null}
      <div className="runbook-picker">
        <label htmlFor="runbook-select">Runbook</label>
        <select
          id="runbook-select"
          value={chosen ?? ''}
          onChange={(e) => setFile(e.target.value)}
          disabled={Boolean(request?.runbook)}
        >
          {workspace.runbooks.map((r) => (
            <option key={r.file} value={r.file}>
              {r.title} ({r.file})
            </option>
          ))}
        </select>
        <span className="mode-note">
          <Badge tone="info">Preview</Badge> — nothing runs until you start a session above; this is
          exactly what each step would run.
        </span>
      </div>
      {plan?.plan ? <PlanView plan={plan.plan} cut={bound?.cut ?? null} /> : null}
      {picker ? null : (
        <>
          <h2 className="subhead">Targets in this workspace</h2>
          <ul className="plain-list targets">
            {workspace.targets.map((t) => (
              <li
                key={t.name}
                className={t.environment === 'production' ? 'target-production' : undefined}
              >
                <Badge tone={t.environment === 'production' ? 'danger' : 'ok'}>
                  {t.environment.toUpperCase()}
                </Badge>{' '}
                <strong>{t.name}</strong>{' '}
                <span className="muted">
                  — {t.kind} {t.location}
                </span>
              </li>
            ))}
          </ul>
        </>
      )}
    </section>
  );
}
