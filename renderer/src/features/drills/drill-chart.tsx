// Measured time of each drill over time, against the RTO drawn as a line. A drill within the RTO
// is a circle, one over it a red square, a failed or aborted one a red cross: shape says it as
// well as colour. Plain SVG; each mark is a button that picks the drill, and the table next to
// the chart says everything in words.
import type { KeyboardEvent } from 'react';
import type { DrillRecord } from '../../../../preload/schemas/drills';
import { drillDate, drillTime, rtoWords } from '../../../../preload/schemas/drill-words';
import { dateRange, dateTicks, tickLabel, timeTicks } from './chart-scale';

const W = 720;
const H = 240;
const M = { left: 64, right: 24, top: 18, bottom: 34 };

/** What a mark says, for its label and tooltip. */
export function markWords(d: DrillRecord): string {
  const rto = d.rtoSeconds === null ? '' : ` (RTO ${rtoWords(d.rtoSeconds)})`;
  if (d.outcome !== 'completed')
    return `${drillDate(d.endedAt)}: ${d.mode} ${d.outcome} after ${drillTime(d.measuredMs)}`;
  return `${drillDate(d.endedAt)}: ${d.mode} completed in ${drillTime(d.measuredMs)}${d.overRto ? ', over the RTO' : ''}${rto}`;
}

/** The chart of one runbook's drills (sessions of other modes are left out). */
export function DrillChart(props: {
  drills: readonly DrillRecord[];
  rtoSeconds: number | null;
  picked: string | null;
  onPick: (logPath: string) => void;
}) {
  const drills = props.drills
    .filter((d) => d.mode === 'drill')
    .sort((a, b) => Date.parse(a.endedAt) - Date.parse(b.endedAt));
  const rtoMs = props.rtoSeconds === null ? null : props.rtoSeconds * 1000;
  const { from, to } = dateRange(drills.map((d) => Date.parse(d.endedAt)));
  const { top, ticks } = timeTicks(Math.max(rtoMs ?? 0, ...drills.map((d) => d.measuredMs)) * 1.08);
  const x = (ms: number) => M.left + ((ms - from) / (to - from)) * (W - M.left - M.right);
  const y = (ms: number) => H - M.bottom - (ms / top) * (H - M.top - M.bottom);
  const done = drills.filter((d) => d.outcome === 'completed');
  const over = drills.filter((d) => d.overRto).length;
  const failed = drills.length - done.length;
  const label = `Measured time of ${drills.length} drill${drills.length === 1 ? '' : 's'}${rtoMs === null ? '' : ` against the RTO of ${rtoWords(props.rtoSeconds ?? 0)}`}: ${over} over the RTO, ${failed} failed or aborted.`;
  const onKey = (event: KeyboardEvent, logPath: string) => {
    if (event.key !== 'Enter' && event.key !== ' ') return;
    event.preventDefault();
    props.onPick(logPath);
  };
  return (
    <figure className="drill-chart">
      <svg viewBox={`0 0 ${W} ${H}`} role="group" aria-label={label} data-testid="drill-chart">
        {ticks.map((t) => (
          <g key={t} className="dc-grid">
            <line x1={M.left} x2={W - M.right} y1={y(t)} y2={y(t)} />
            <text x={M.left - 8} y={y(t) + 4} textAnchor="end">
              {tickLabel(t)}
            </text>
          </g>
        ))}
        {dateTicks(from, to).map((t) => (
          <text key={t} className="dc-date" x={x(t)} y={H - 10} textAnchor="middle">
            {new Date(t).toISOString().slice(5, 10)}
          </text>
        ))}
        {rtoMs !== null ? (
          <g className="dc-rto">
            <line x1={M.left} x2={W - M.right} y1={y(rtoMs)} y2={y(rtoMs)} />
            <text x={W - M.right} y={y(rtoMs) - 6} textAnchor="end">
              RTO {rtoWords(props.rtoSeconds ?? 0)}
            </text>
          </g>
        ) : null}
        {done.length > 1 ? (
          <polyline
            className="dc-line"
            points={done.map((d) => `${x(Date.parse(d.endedAt))},${y(d.measuredMs)}`).join(' ')}
          />
        ) : null}
        {drills.map((d) => {
          const cx = x(Date.parse(d.endedAt));
          const cy = y(d.measuredMs);
          const kind = d.outcome !== 'completed' ? 'failed' : d.overRto ? 'over' : 'ok';
          const words = markWords(d);
          return (
            <g
              key={d.logPath}
              className={`dc-mark dc-${kind}${props.picked === d.logPath ? ' dc-picked' : ''}`}
              role="button"
              tabIndex={0}
              aria-label={words}
              aria-pressed={props.picked === d.logPath}
              onClick={() => props.onPick(d.logPath)}
              onKeyDown={(e) => onKey(e, d.logPath)}
            >
              <title>{words}</title>
              <circle className="dc-hit" cx={cx} cy={cy} r={14} />
              {kind === 'ok' ? <circle cx={cx} cy={cy} r={6} /> : null}
              {kind === 'over' ? <rect x={cx - 6} y={cy - 6} width={12} height={12} /> : null}
              {kind === 'failed' ? (
                <path
                  d={`M${cx - 6} ${cy - 6}L${cx + 6} ${cy + 6}M${cx + 6} ${cy - 6}L${cx - 6} ${cy + 6}`}
                />
              ) : null}
            </g>
          );
        })}
      </svg>
      <figcaption className="dc-legend">
        <span>
          <svg width="14" height="14" aria-hidden="true">
            <circle className="dc-ok-key" cx="7" cy="7" r="5" />
          </svg>{' '}
          within the RTO
        </span>
        <span>
          <svg width="14" height="14" aria-hidden="true">
            <rect className="dc-over-key" x="2" y="2" width="10" height="10" />
          </svg>{' '}
          over the RTO
        </span>
        <span>
          <svg width="14" height="14" aria-hidden="true">
            <path className="dc-failed-key" d="M2 2L12 12M12 2L2 12" />
          </svg>{' '}
          failed or aborted
        </span>
        <span>
          <svg width="22" height="14" aria-hidden="true">
            <line className="dc-rto-key" x1="0" x2="22" y1="7" y2="7" />
          </svg>{' '}
          the RTO
        </span>
      </figcaption>
    </figure>
  );
}
