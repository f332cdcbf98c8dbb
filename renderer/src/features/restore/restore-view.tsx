// Restore: the runbooks and the targets a restore may write to (production marked in red).
import { useStore } from '../../store/index';
import { Badge } from '../../ui/badge';
import { EmptyState } from '../../ui/empty-state';
import { SectionHeader } from '../../ui/section-header';

/** The Restore section. */
export function RestoreView() {
  const workspace = useStore((s) => s.workspace);
  if (!workspace) return null;
  return (
    <section>
      <SectionHeader title="Restore" purpose="A guided, checklist-driven restore from a runbook." />
      {workspace.runbooks.length === 0 ? (
        <EmptyState title="No runbooks in this workspace">
          <p>
            Write a runbook in <code>runbooks/</code> (see <code>resources/schemas/runbook.schema.json</code>) and link it to
            a group in <code>dapple.yaml</code>. Then pick a cut on the Timeline and choose “Restore this cut”.
          </p>
        </EmptyState>
      ) : (
        <>
          <h2 className="subhead">Runbooks</h2>
          <ul className="plain-list">
            {workspace.runbooks.map((r) => (
              <li key={r.file}>
                <strong>{r.title}</strong> <span className="muted">— {r.file}, {r.steps} steps</span>
              </li>
            ))}
          </ul>
          <h2 className="subhead">Targets</h2>
          <ul className="plain-list">
            {workspace.targets.map((t) => (
              <li key={t.name} className={t.environment === 'production' ? 'target-production' : undefined}>
                <Badge tone={t.environment === 'production' ? 'danger' : 'ok'}>{t.environment.toUpperCase()}</Badge>{' '}
                <strong>{t.name}</strong> <span className="muted">— {t.kind} {t.location}</span>
              </li>
            ))}
          </ul>
          <p className="muted">Start a restore from a cut on the Timeline: the runbook binds the cut’s recovery points.</p>
        </>
      )}
    </section>
  );
}
