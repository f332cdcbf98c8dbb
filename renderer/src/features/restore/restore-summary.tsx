// What is being restored, said the same way everywhere a person decides: the cut's time, the
// points, the target, when the incident began, and the mode. The Restore banner, the session
// header and the approval step show this one component, so an approver sees exactly what the
// operator sees.
import type { ReactNode } from 'react';
import type { WorkspaceView } from '../../../../preload/contract';
import type { Cut } from '../../../../preload/schemas/groups';
import type { SessionMode } from '../../../../preload/schemas/session';
import {
  localOffset,
  spanWords,
  wallText,
  zoneName,
} from '../../../../preload/schemas/incident-time';
import { Badge } from '../../ui/badge';
import { formatTime } from '../../ui/format';

/** The target as the summary shows it. */
export type SummaryTarget = { name: string; production: boolean; location: string | null };

/** A target by name from the workspace (production unless the workspace says sandbox). */
export function summaryTarget(
  name: string | null,
  workspace: WorkspaceView | null,
  production = false,
): SummaryTarget | null {
  if (!name) return null;
  const t = workspace?.targets.find((x) => x.name === name);
  return {
    name,
    production: production || t?.environment === 'production',
    location: t ? `${t.kind} ${t.location}` : null,
  };
}

const modeWords: Record<SessionMode, { badge: ReactNode; text: string }> = {
  live: { badge: <Badge tone="danger">● LIVE</Badge>, text: 'runs for real' },
  drill: { badge: <Badge tone="info">DRILL</Badge>, text: 'sandbox, timed against the RTO' },
  rehearsal: { badge: <Badge tone="neutral">REHEARSAL</Badge>, text: 'nothing runs' },
};

/** "13:04 UTC (14:04 UTC+1)", or the UTC time alone where local is UTC. */
function timeWithLocal(iso: string): string {
  const ms = Date.parse(iso);
  const local =
    localOffset(ms) === 0
      ? ''
      : ` (${wallText(ms, localOffset).slice(11)} ${zoneName(ms, localOffset)})`;
  return `${formatTime(iso)}${local}`;
}

/** The summary: a list of facts, or one wrapped line when `compact` (a pinned header). */
export function RestoreSummary(props: {
  cut: Cut | null;
  target: SummaryTarget | null;
  incident: string | null;
  /** null: not started yet (a preview). */
  mode: SessionMode | null;
  compact?: boolean;
}) {
  const { cut, target, incident, mode } = props;
  const facts: [string, ReactNode | string][] = [
    [
      'Cut',
      cut ? (
        <>
          <strong>{timeWithLocal(cut.time)}</strong> of {cut.group}{' '}
          <Badge tone={cut.consistent ? 'ok' : 'warn'}>
            {cut.consistent ? '✓ consistent' : '✗ not consistent'}
          </Badge>
        </>
      ) : (
        <span className="warn-text">no cut chosen</span>
      ),
    ],
    [
      'Points',
      cut ? (
        <span className="summary-points">
          {cut.members.map((m) => (
            <span key={m.service} className="summary-point">
              {m.service}{' '}
              {m.pointId ? <code>{m.pointId}</code> : <span className="muted">window</span>}{' '}
              <span className="muted">{formatTime(m.time).slice(11)}</span>
            </span>
          ))}
        </span>
      ) : (
        '—'
      ),
    ],
    [
      'Target',
      target ? (
        <>
          <Badge tone={target.production ? 'danger' : 'ok'}>
            {target.production ? 'PRODUCTION' : 'SANDBOX'}
          </Badge>{' '}
          <strong className={target.production ? 'target-name-production' : 'target-name'}>
            {target.name}
          </strong>
          {target.location ? <span className="muted"> — {target.location}</span> : null}
        </>
      ) : (
        <span className="warn-text">not chosen yet</span>
      ),
    ],
    [
      'Incident',
      incident ? (
        <>
          began {timeWithLocal(incident)}
          {cut && Date.parse(cut.time) <= Date.parse(incident) ? (
            <span className="muted">
              {' '}
              · the cut is {spanWords(Date.parse(incident) - Date.parse(cut.time))} before it
            </span>
          ) : null}
        </>
      ) : (
        <span className="muted">not set</span>
      ),
    ],
    [
      'Mode',
      mode ? (
        <>
          {modeWords[mode].badge} <span className="muted">{modeWords[mode].text}</span>
        </>
      ) : (
        <span className="muted">not started: choose below</span>
      ),
    ],
  ];
  // A pinned header carries the mode in its title already.
  const shown = props.compact ? facts.filter(([term]) => term !== 'Mode') : facts;
  return (
    <dl
      className={props.compact ? 'restore-summary restore-summary-compact' : 'restore-summary'}
      aria-label="What is being restored"
    >
      {shown.map(([term, value]) => (
        <div key={term} className="summary-fact">
          <dt>{term}</dt>
          <dd>{value}</dd>
        </div>
      ))}
    </dl>
  );
}
