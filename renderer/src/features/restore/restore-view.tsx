// Restore: the runbook bound to the chosen cut, every step and argv shown before anything runs,
// then a session (rehearsal, drill or live) driven step by step until its log is sealed.
import { useEffect, useState } from 'react';
import type { AppError } from '../../../../preload/contract';
import type { RunbookPlan } from '../../../../preload/schemas/runbook';
import { navigate } from '../../store/actions';
import { useStore } from '../../store/index';
import { clearRestoreRequest, loadPlan } from '../../store/restore-actions';
import { Badge } from '../../ui/badge';
import { EmptyState } from '../../ui/empty-state';
import { formatDuration, formatTime } from '../../ui/format';
import { SectionHeader } from '../../ui/section-header';
import { PlanView } from './plan-view';
import { SessionView } from './session-view';
import { StartPanel } from './start-panel';
import { ErrorText } from '../../ui/error-text';

/** The Restore section. */
export function RestoreView() {
  const workspace = useStore((s) => s.workspace);
  const request = useStore((s) => s.restoreRequest);
  const session = useStore((s) => s.session);
  const checked = useStore((s) => s.sessionChecked);
  const [file, setFile] = useState<string | null>(null);
  const [plan, setPlan] = useState<{ plan: RunbookPlan | null; error: AppError | null } | null>(
    null,
  );
  const chosen = request?.runbook ?? file ?? workspace?.runbooks[0]?.file ?? null;

  useEffect(() => {
    if (!chosen) return;
    let live = true;
    void loadPlan(chosen).then((p) => live && setPlan(p));
    return () => {
      live = false;
    };
  }, [chosen, request]);

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
  return (
    <section>
      {header}
      {request ? (
        <div
          className={
            request.cut.consistent ? 'restore-banner' : 'restore-banner restore-banner-warn'
          }
          role="status"
        >
          <strong>
            Restoring group {request.group} to the cut at {formatTime(request.cut.time)}
          </strong>{' '}
          <Badge tone={request.cut.consistent ? 'ok' : 'warn'}>
            {request.cut.consistent ? '✓ consistent' : '✗ not consistent'}
          </Badge>
          <div className="muted">
            skew {formatDuration(request.cut.skewSeconds)} — {request.cut.reason}
          </div>
          <div className="banner-actions">
            <button onClick={() => navigate('timeline')}>Choose another cut</button>
            <button className="link-button" onClick={clearRestoreRequest}>
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
          <Badge tone="info">Preview</Badge> — nothing runs until you start a session below; this is
          exactly what each step would run.
        </span>
      </div>
      <h2 className="subhead">Targets</h2>
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
      {plan?.error ? <ErrorText error={plan.error} /> : null}
      {plan?.plan && checked ? (
        <StartPanel plan={plan.plan} cut={request?.runbook === chosen ? request.cut : null} />
      ) : null}
      {plan?.plan ? <PlanView plan={plan.plan} /> : null}
    </section>
  );
}
