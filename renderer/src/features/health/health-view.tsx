// Health: every finding by severity, each linking to its lane and point; workspace problems first.
import { useEffect, useState } from 'react';
import type { Finding, Severity } from '../../../../preload/schemas/groups';
import { navigate } from '../../store/actions';
import { groupOfService, loadFindings, showOnTimeline } from '../../store/health-actions';
import { useStore } from '../../store/index';
import { Badge, type Tone } from '../../ui/badge';
import { EmptyState } from '../../ui/empty-state';
import { formatDuration, formatTime } from '../../ui/format';
import { ProblemsList } from '../../ui/problems-list';
import { SectionHeader } from '../../ui/section-header';
import { ErrorText } from '../../ui/error-text';

const severities: { id: Severity; label: string; tone: Tone }[] = [
  { id: 'error', label: 'Errors', tone: 'danger' },
  { id: 'warning', label: 'Warnings', tone: 'warn' },
  { id: 'info', label: 'Information', tone: 'info' },
];

function FindingRow({ finding }: { finding: Finding }) {
  const linked = groupOfService(finding.service) !== null;
  return (
    <li className={`finding finding-${finding.severity}`}>
      <span className="finding-service">{finding.service}</span>
      <Badge>{finding.kind}</Badge>
      <span className="finding-message">{finding.message}</span>
      {finding.kind.startsWith('drill-') ? (
        <button className="link-button" onClick={() => navigate('drills')}>
          Show drills
        </button>
      ) : linked ? (
        <button className="link-button" onClick={() => void showOnTimeline(finding)}>
          {finding.pointId ? 'Show point' : 'Show lane'}
        </button>
      ) : null}
    </li>
  );
}

/** The Health section. */
export function HealthView() {
  const workspace = useStore((s) => s.workspace);
  const findings = useStore((s) => s.findings);
  const asOf = useStore((s) => s.findingsAsOf);
  const error = useStore((s) => s.findingsError);
  const [filter, setFilter] = useState<Severity | 'all'>('all');

  useEffect(() => {
    void loadFindings();
  }, [workspace]);

  if (!workspace) return null;
  const shown = (findings ?? []).filter((f) => filter === 'all' || f.severity === filter);
  return (
    <section>
      <SectionHeader
        title="Health"
        purpose="Findings worth a human’s attention, most severe first."
        tools={
          <div className="severity-filter" role="group" aria-label="Show">
            {(['all', 'error', 'warning', 'info'] as const).map((s) => (
              <button
                key={s}
                className={filter === s ? 'tab active' : 'tab'}
                aria-pressed={filter === s}
                onClick={() => setFilter(s)}
              >
                {s === 'all' ? 'All' : (severities.find((x) => x.id === s)?.label ?? s)} (
                {s === 'all'
                  ? (findings?.length ?? 0)
                  : (findings?.filter((f) => f.severity === s).length ?? 0)}
                )
              </button>
            ))}
          </div>
        }
      />
      <ProblemsList problems={workspace.problems} />
      {error ? <ErrorText error={error} /> : null}
      {findings === null && !error ? (
        <p className="loading">Checking every backup against its service’s objectives…</p>
      ) : null}
      {findings !== null && findings.length === 0 ? (
        <EmptyState title="No findings">
          <p>
            Every service has recent, immutable, tested backups with enough copies. Nothing needs
            attention right now.
          </p>
        </EmptyState>
      ) : null}
      {severities
        .filter((s) => filter === 'all' || filter === s.id)
        .map((s) => {
          const list = shown.filter((f) => f.severity === s.id);
          if (list.length === 0) return null;
          return (
            <section key={s.id} className="finding-group" aria-label={s.label}>
              <h2 className="subhead">
                <Badge tone={s.tone}>{list.length}</Badge> {s.label}
              </h2>
              <ul className="findings">
                {list.map((f, i) => (
                  <FindingRow key={`${f.kind}-${f.service}-${i}`} finding={f} />
                ))}
              </ul>
            </section>
          );
        })}
      {asOf ? <p className="muted">Based on the catalog as of {formatTime(asOf)}.</p> : null}
      <h2 className="subhead">Services</h2>
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
    </section>
  );
}
