// Timeline: consistency groups, their members, tolerance and restore order.
import { formatDuration } from '../../ui/format';
import { useStore } from '../../store/index';
import { EmptyState } from '../../ui/empty-state';
import { SectionHeader } from '../../ui/section-header';

/** The Timeline section. */
export function TimelineView() {
  const workspace = useStore((s) => s.workspace);
  if (!workspace) return null;
  return (
    <section>
      <SectionHeader title="Timeline" purpose="Consistency groups on one timeline: the cuts that fit together." />
      {workspace.groups.length === 0 ? (
        <EmptyState title="No consistency groups">
          <p>
            Services that must come back to the same logical point (a database and the bucket it references) form a
            group. Add one under <code>groups:</code> in <code>dapple.yaml</code> with its members and tolerated skew.
          </p>
        </EmptyState>
      ) : (
        <div className="cards">
          {workspace.groups.map((g) => (
            <article key={g.name} className="card">
              <h2>{g.name}</h2>
              <p>
                Restore order: <strong>{g.order.join(' → ')}</strong>
              </p>
              <p>Tolerated skew: {formatDuration(g.toleranceSeconds)}</p>
              <p className="muted">Runbook: {g.runbook ?? 'none'}</p>
            </article>
          ))}
        </div>
      )}
    </section>
  );
}
