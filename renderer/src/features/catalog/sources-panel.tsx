// Every configured source with its state: read OK (how many points, when), reading (progress),
// failed (its sentence and what to do), or not read yet. One failing source never hides the others.
import { grouped } from './grouped';
import type { SourceStatus } from '../../../../preload/schemas/catalog';
import type { WorkspaceView } from '../../../../preload/contract';
import { Badge } from '../../ui/badge';
import { formatAgo } from '../../ui/format';
import { clipText } from './point-cells';

function Progress({ status }: { status: SourceStatus }) {
  const p = status.progress;
  const fraction = p && p.total ? Math.min(1, p.done / p.total) : null;
  const label = p
    ? `${grouped(p.done)}${p.total ? ` of ${grouped(p.total)}` : ''} — ${clipText(p.message, 80)}`
    : 'starting';
  return (
    <div className="src-progress">
      {fraction !== null ? (
        <progress max={1} value={fraction} aria-label={`Reading ${status.source}`} />
      ) : (
        <progress aria-label={`Reading ${status.source}`} />
      )}
      <span className="muted">{label}</span>
    </div>
  );
}

function SourceCard(props: { status: SourceStatus; type: string; service: string }) {
  const { status } = props;
  const state = {
    ok: <Badge tone="ok">read OK</Badge>,
    loading: <Badge tone="info">reading…</Badge>,
    error: <Badge tone="danger">failed</Badge>,
    idle: <Badge>not read yet</Badge>,
  }[status.state];
  return (
    <li className={`src-card src-${status.state}`} data-source={status.source}>
      <strong className="src-name" title={status.source}>
        {clipText(status.source, 60)}
      </strong>
      <div className="muted src-meta">
        {props.type} · {clipText(props.service, 40)}
      </div>
      <div className="src-status">
        {state}{' '}
        {status.state === 'ok' || (status.state === 'error' && status.points > 0)
          ? `${grouped(status.points)} points${status.refreshedAt ? `, read ${formatAgo(status.refreshedAt)}` : ''}`
          : null}
      </div>
      {status.state === 'loading' ? <Progress status={status} /> : null}
      {status.state === 'error' && status.error ? (
        <p className="src-error" role="alert">
          {clipText(status.error.message, 600)}{' '}
          {status.error.hint ? (
            <span className="src-hint">{clipText(status.error.hint, 300)}</span>
          ) : null}
        </p>
      ) : null}
    </li>
  );
}

/** The sources of the workspace, each with its status. */
export function SourcesPanel(props: { statuses: SourceStatus[]; workspace: WorkspaceView }) {
  const bySource = new Map(props.workspace.sources.map((s) => [s.name, s]));
  const failed = props.statuses.filter((s) => s.state === 'error').length;
  // All read and fine: one line (the table is what matters); anything else shows every card.
  const quiet = props.statuses.length > 0 && props.statuses.every((s) => s.state === 'ok');
  return (
    <details className="src-panel" aria-label="Sources" open={!quiet}>
      <summary>
        <h2 className="subhead">
          Sources{' '}
          <span className="muted src-summary">
            {props.statuses.length} configured
            {failed ? `, ${failed} failed — the others are shown as usual` : ''}
            {quiet ? ', all read OK' : ''}
          </span>
        </h2>
      </summary>
      <ul className="src-list">
        {props.statuses.map((s) => (
          <SourceCard
            key={s.source}
            status={s}
            type={bySource.get(s.source)?.type ?? 'unknown type'}
            service={bySource.get(s.source)?.service ?? '—'}
          />
        ))}
      </ul>
    </details>
  );
}
