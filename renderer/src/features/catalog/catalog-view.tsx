// Catalog: the workspace's backup sources and the recovery points they hold.
import { useStore } from '../../store/index';
import { Badge } from '../../ui/badge';
import { EmptyState } from '../../ui/empty-state';
import { ProblemsList } from '../../ui/problems-list';
import { SectionHeader } from '../../ui/section-header';

/** The Catalog section. */
export function CatalogView() {
  const workspace = useStore((s) => s.workspace);
  if (!workspace) return null;
  return (
    <section aria-labelledby="catalog-title">
      <SectionHeader
        title="Catalog"
        purpose="Every recovery point across backends, and whether it can be trusted."
      />
      <ProblemsList problems={workspace.problems} />
      {workspace.sources.length === 0 ? (
        <EmptyState title="No backup sources yet">
          <p>
            Add a source to <code>dapple.yaml</code> under <code>sources:</code> — a restic or borg
            repository, a pgBackRest stanza, a manifest folder or a versioned bucket — then reload
            the workspace (Ctrl+Shift+R).
          </p>
        </EmptyState>
      ) : (
        <table className="table">
          <caption className="visually-hidden">Backup sources</caption>
          <thead>
            <tr>
              <th scope="col">Source</th>
              <th scope="col">Type</th>
              <th scope="col">Backend</th>
              <th scope="col">Service</th>
            </tr>
          </thead>
          <tbody>
            {workspace.sources.map((s) => (
              <tr key={s.name}>
                <td>{s.name}</td>
                <td>
                  <Badge>{s.type}</Badge>
                </td>
                <td>{s.backend}</td>
                <td>{s.service}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
