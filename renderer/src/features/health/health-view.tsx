// Health: findings worth attention, and the services with their objectives.
import { useStore } from '../../store/index';
import { EmptyState } from '../../ui/empty-state';
import { formatDuration } from '../../ui/format';
import { ProblemsList } from '../../ui/problems-list';
import { SectionHeader } from '../../ui/section-header';

/** The Health section. */
export function HealthView() {
  const workspace = useStore((s) => s.workspace);
  if (!workspace) return null;
  return (
    <section>
      <SectionHeader
        title="Health"
        purpose="Findings worth a human’s attention, most severe first."
      />
      <ProblemsList problems={workspace.problems} />
      {workspace.services.length === 0 ? (
        <EmptyState title="No services defined">
          <p>
            List the services you protect under <code>services:</code> in <code>dapple.yaml</code>{' '}
            with an owner, an RPO and an RTO; Dapple then checks every backup against them.
          </p>
        </EmptyState>
      ) : (
        <table className="table">
          <thead>
            <tr>
              <th scope="col">Service</th>
              <th scope="col">Owner</th>
              <th scope="col">RPO</th>
              <th scope="col">RTO</th>
            </tr>
          </thead>
          <tbody>
            {workspace.services.map((s) => (
              <tr key={s.name}>
                <td>{s.name}</td>
                <td>{s.owner}</td>
                <td>{formatDuration(s.rpoSeconds)}</td>
                <td>{formatDuration(s.rtoSeconds)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
