// Drills: rehearse the same runbooks against sandbox targets, timed against the RTO.
import { useStore } from '../../store/index';
import { EmptyState } from '../../ui/empty-state';
import { SectionHeader } from '../../ui/section-header';

/** The Drills section. */
export function DrillsView() {
  const workspace = useStore((s) => s.workspace);
  if (!workspace) return null;
  const sandboxes = workspace.targets.filter((t) => t.environment === 'sandbox');
  return (
    <section>
      <SectionHeader
        title="Drills"
        purpose="Rehearse runbooks against sandbox targets and measure time against the RTO."
      />
      {workspace.runbooks.length === 0 || sandboxes.length === 0 ? (
        <EmptyState
          title={workspace.runbooks.length === 0 ? 'No runbooks to drill' : 'No sandbox target'}
        >
          <p>
            A drill runs a runbook for real against a target marked{' '}
            <code>environment: sandbox</code> in <code>dapple.yaml</code> — never against
            production. Add a runbook and a sandbox target to start.
          </p>
        </EmptyState>
      ) : (
        <>
          <p>
            Drillable runbooks: <strong>{workspace.runbooks.map((r) => r.title).join(', ')}</strong>
            . Sandbox targets: <strong>{sandboxes.map((t) => t.name).join(', ')}</strong>.
          </p>
          <p className="muted">
            Past drills appear here with their restore time against each service’s RTO.
          </p>
        </>
      )}
    </section>
  );
}
