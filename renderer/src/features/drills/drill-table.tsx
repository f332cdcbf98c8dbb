// Every session of one runbook in words: date, mode, outcome, who ran it, time against the RTO.
import type { DrillRecord } from '../../../../preload/schemas/drills';
import { drillTime, rtoWords } from '../../../../preload/schemas/drill-words';
import { pickDrill } from '../../store/drills-actions';
import { Badge } from '../../ui/badge';
import { formatTime } from '../../ui/format';

/** The outcome as a badge: words first, colour repeats them. */
export function outcomeBadge(d: DrillRecord) {
  if (d.outcome === 'failed') return <Badge tone="danger">✗ failed</Badge>;
  if (d.outcome === 'aborted') return <Badge tone="warn">✗ aborted</Badge>;
  if (d.overRto) return <Badge tone="danger">over the RTO</Badge>;
  return <Badge tone="ok">✓ completed</Badge>;
}

/** A session's time against its RTO: "47 m of 1 h (78%)". */
function againstRto(d: DrillRecord): string {
  if (d.mode === 'rehearsal') return `${drillTime(d.measuredMs)} (nothing ran)`;
  if (d.outcome !== 'completed') return `stopped after ${drillTime(d.measuredMs)}`;
  if (d.rtoSeconds === null || d.rtoSeconds <= 0) return drillTime(d.measuredMs);
  const share = Math.round((d.measuredMs / (d.rtoSeconds * 1000)) * 100);
  return `${drillTime(d.measuredMs)} of ${rtoWords(d.rtoSeconds)} (${share}%)`;
}

/** The sessions, newest first; a row picks the drill whose steps are shown. */
export function DrillTable(props: { drills: readonly DrillRecord[]; picked: string | null }) {
  return (
    <table className="table compact drill-table">
      <thead>
        <tr>
          <th scope="col">Date (UTC)</th>
          <th scope="col">Mode</th>
          <th scope="col">Outcome</th>
          <th scope="col">Who ran it</th>
          <th scope="col">Time against the RTO</th>
          <th scope="col">Steps</th>
        </tr>
      </thead>
      <tbody>
        {props.drills.map((d) => (
          <tr
            key={d.logPath}
            className={props.picked === d.logPath ? 'drill-row drill-row-picked' : 'drill-row'}
          >
            <td>{formatTime(d.startedAt).replace(' UTC', '')}</td>
            <td>
              <Badge tone={d.mode === 'live' ? 'danger' : d.mode === 'drill' ? 'info' : 'neutral'}>
                {d.mode}
              </Badge>
            </td>
            <td>{outcomeBadge(d)}</td>
            <td>{d.operator}</td>
            <td className={d.overRto ? 'danger-text' : undefined}>{againstRto(d)}</td>
            <td>
              <button
                type="button"
                className="link-button"
                aria-pressed={props.picked === d.logPath}
                aria-label={`Show steps of the ${d.mode} of ${formatTime(d.startedAt)}`}
                onClick={() => pickDrill(d.logPath)}
              >
                Show steps
              </button>
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
