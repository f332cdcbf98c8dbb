// One drill's steps: how long each was current, as a bar split into waiting for a person and a
// command running, with the figures in words, and the way to its log.
import type { DrillRecord } from '../../../../preload/schemas/drills';
import { drillDate, drillTime, rtoWords } from '../../../../preload/schemas/drill-words';
import { openDrillInAudit } from '../../store/drills-actions';
import { Badge } from '../../ui/badge';
import { formatTime } from '../../ui/format';
import { outcomeBadge } from './drill-table';

/** The picked drill, step by step. */
export function DrillSteps({ drill }: { drill: DrillRecord }) {
  const longest = Math.max(1, ...drill.steps.map((s) => s.totalMs ?? 0));
  const rto = drill.rtoSeconds === null ? 'no RTO' : `RTO ${rtoWords(drill.rtoSeconds)}`;
  return (
    <section
      className="drill-steps"
      aria-label={`Steps of the drill of ${drillDate(drill.endedAt)}`}
    >
      <h3 className="subhead">
        {outcomeBadge(drill)} {drill.mode} of {formatTime(drill.startedAt)} by {drill.operator}:{' '}
        {drillTime(drill.measuredMs)} against the {rto}
      </h3>
      <p className="muted">
        Target {drill.target ?? 'none'}
        {drill.points.length
          ? ` · restored ${drill.points.map((p) => `${p.service} ${p.pointId}`).join(', ')}`
          : ' · no cut bound'}
      </p>
      {drill.failedStep ? (
        <p className="warn-text">
          Stopped at “{drill.failedStep.title}”: {drill.failedStep.error}
        </p>
      ) : null}
      <ol className="ds-list">
        {drill.steps.map((s) => {
          const total = s.totalMs ?? 0;
          return (
            <li key={s.id} className="ds-step">
              <span className="ds-title">
                {s.title}{' '}
                {s.state !== 'done' ? (
                  <Badge tone={s.state === 'failed' ? 'danger' : 'neutral'}>{s.state}</Badge>
                ) : null}
                {s.attempts > 1 ? <span className="muted"> · {s.attempts} attempts</span> : null}
              </span>
              <span className="ds-bar" aria-hidden="true">
                <span className="ds-wait" style={{ width: `${(s.waitingMs / longest) * 100}%` }} />
                <span className="ds-run" style={{ width: `${(s.runningMs / longest) * 100}%` }} />
              </span>
              <span className="ds-time">
                {s.totalMs === null ? (
                  'not reached'
                ) : (
                  <>
                    <strong>{drillTime(total)}</strong>
                    <span className="muted">
                      {s.runningMs > 0 ? ` · running ${drillTime(s.runningMs)}` : ''}
                      {s.waitingMs > 0 ? ` · waiting ${drillTime(s.waitingMs)}` : ''}
                    </span>
                  </>
                )}
              </span>
            </li>
          );
        })}
      </ol>
      <div className="form-row">
        <button
          type="button"
          className="primary"
          onClick={() => void openDrillInAudit(drill.logPath)}
        >
          Open in Audit
        </button>
        <span className="muted">
          <code>{drill.logName}</code> — verified VALID; replay it step by step.
        </span>
      </div>
    </section>
  );
}
