// The selected cut in words: each member's point and lag, why it is (or is not) consistent, and the
// "Restore this cut" action.
import type { Cut } from '../../../../preload/schemas/groups';
import { Badge } from '../../ui/badge';
import { formatDuration, formatTime } from '../../ui/format';

/** Details of one cut. */
export function CutPanel(props: { cut: Cut; runbook: string | null; onRestore: () => void }) {
  const { cut } = props;
  return (
    <section className="cut-panel" aria-label="Selected cut">
      <h2>
        <Badge tone={cut.consistent ? 'ok' : 'warn'}>
          {cut.consistent ? '✓ Consistent' : '✗ Not consistent'}
        </Badge>{' '}
        Cut at {formatTime(cut.time)}
      </h2>
      <p className="cut-reason">{cut.reason}</p>
      <p className="muted">
        Skew {formatDuration(cut.skewSeconds)} (tolerated {formatDuration(cut.toleranceSeconds)})
        {cut.snapshotId ? ` · taken together as snapshot ${cut.snapshotId}` : ''}
      </p>
      <table className="table compact">
        <thead>
          <tr>
            <th scope="col">Restore order</th>
            <th scope="col">Point</th>
            <th scope="col">Time</th>
            <th scope="col">Behind the cut</th>
          </tr>
        </thead>
        <tbody>
          {cut.members.map((m, i) => (
            <tr key={m.service}>
              <td>
                {i + 1}. {m.service}
              </td>
              <td>
                {m.pointId ? (
                  <code>{m.pointId}</code>
                ) : (
                  <span>continuous window ({m.source}) at this instant</span>
                )}
              </td>
              <td>{formatTime(m.time)}</td>
              <td className={m.lagSeconds > cut.toleranceSeconds ? 'lag-bad' : undefined}>
                {m.lagSeconds > 0 ? formatDuration(m.lagSeconds) : '—'}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <div className="cut-actions">
        <button
          className={cut.consistent ? 'primary' : 'danger'}
          onClick={props.onRestore}
          disabled={!props.runbook}
        >
          Restore this cut{cut.consistent ? '' : ' (inconsistent)'}
        </button>
        <span className="muted">
          {props.runbook
            ? `with runbook ${props.runbook}`
            : 'This group has no runbook: add one in dapple.yaml.'}
        </span>
      </div>
    </section>
  );
}
