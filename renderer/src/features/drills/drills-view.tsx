// Drills: per runbook, every drill whose log verifies VALID against the workspace's trusted keys
// (date, mode, outcome, who ran it), measured time against the RTO over time, the steps of a
// picked drill, and what needs a look (never drilled, overdue, failed, over or nearing the RTO).
import { useEffect } from 'react';
import type { RunbookDrills } from '../../../../preload/schemas/drills';
import { drillDate, everyWords, rtoWords } from '../../../../preload/schemas/drill-words';
import { navigate } from '../../store/actions';
import { loadDrills, pickDrill } from '../../store/drills-actions';
import { useStore } from '../../store/index';
import { Badge } from '../../ui/badge';
import { EmptyState } from '../../ui/empty-state';
import { ErrorText } from '../../ui/error-text';
import { formatAgo } from '../../ui/format';
import { SectionHeader } from '../../ui/section-header';
import { DrillChart } from './drill-chart';
import { DrillSteps } from './drill-steps';
import { DrillTable } from './drill-table';

const PURPOSE =
  'Every drill of each runbook whose log verifies VALID, its time against the RTO, and what needs a drill.';

function RunbookCard({ r, picked }: { r: RunbookDrills; picked: string | null }) {
  const drills = r.drills.filter((d) => d.mode === 'drill');
  const shown = r.drills.find((d) => d.logPath === picked) ?? r.drills[0] ?? null;
  const id = `drills-${r.runbook.replace(/[^A-Za-z0-9]+/g, '-')}`;
  return (
    <section className="card drill-card" aria-labelledby={id}>
      <h2 id={id} className="drill-card-title">
        {r.title} <span className="muted">({r.runbook})</span>
      </h2>
      <p className="drill-facts">
        RTO {r.rtoSeconds === null ? 'not set' : rtoWords(r.rtoSeconds)} · {drills.length} drill
        {drills.length === 1 ? '' : 's'} ·{' '}
        {r.lastSuccess
          ? `last successful ${drillDate(r.lastSuccess)} (${formatAgo(r.lastSuccess)})`
          : 'no successful drill yet'}
        {r.inWorkspace ? '' : ' · this runbook is no longer in the workspace'}
      </p>
      {r.warnings.length ? (
        <ul className="drill-warnings" aria-label={`Warnings about ${r.title}`}>
          {r.warnings.map((w) => (
            <li key={w.kind}>
              <Badge tone={w.kind === 'failed' || w.kind === 'over-rto' ? 'danger' : 'warn'}>
                {w.kind.replace('-', ' ')}
              </Badge>{' '}
              {w.message}
            </li>
          ))}
        </ul>
      ) : null}
      {r.drills.length === 0 ? (
        <p>
          <button type="button" onClick={() => navigate('restore')}>
            Plan a drill in Restore
          </button>{' '}
          <span className="muted">
            Pick a cut on the Timeline, then Start drill: it runs against a sandbox target only.
          </span>
        </p>
      ) : (
        <>
          {drills.length ? (
            <DrillChart
              drills={r.drills}
              rtoSeconds={r.rtoSeconds}
              picked={shown?.logPath ?? null}
              onPick={pickDrill}
            />
          ) : null}
          <DrillTable drills={r.drills} picked={shown?.logPath ?? null} />
          {shown ? <DrillSteps drill={shown} /> : null}
        </>
      )}
    </section>
  );
}

/** The Drills section. */
export function DrillsView() {
  const workspace = useStore((s) => s.workspace);
  const history = useStore((s) => s.drillHistory);
  const error = useStore((s) => s.drillsError);
  const picked = useStore((s) => s.drillPicked);

  useEffect(() => {
    void loadDrills();
  }, [workspace]);

  if (!workspace) return null;
  const sandboxes = workspace.targets.filter((t) => t.environment === 'sandbox');
  const every = history
    ? `Drill every runbook at least every ${everyWords(history.drillEverySeconds)}${history.drillEveryDefault ? ' (the default; set drillEvery in dapple.yaml)' : ' (drillEvery in dapple.yaml)'}.`
    : null;
  return (
    <section>
      <SectionHeader title="Drills" purpose={PURPOSE} />
      {error ? <ErrorText error={error} /> : null}
      {history?.note ? <p className="warn-text">{history.note}</p> : null}
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
      ) : null}
      {history === null && !error ? (
        <p className="loading">Verifying the workspace’s drill logs…</p>
      ) : null}
      {every ? (
        <p className="muted">
          {every} Only logs that verify VALID against <code>keys/trusted.json</code> count.
        </p>
      ) : null}
      {history?.runbooks.map((r) => (
        <RunbookCard key={r.runbook} r={r} picked={picked} />
      ))}
      {history?.ignored.length ? (
        <details className="drill-ignored">
          <summary>
            {history.ignored.length} log{history.ignored.length === 1 ? '' : 's'} in{' '}
            <code>audit/</code> {history.ignored.length === 1 ? 'does' : 'do'} not count
          </summary>
          <ul>
            {history.ignored.map((i) => (
              <li key={i.logPath}>
                <code>{i.logName}</code> {i.verdict ? <Badge tone="warn">{i.verdict}</Badge> : null}{' '}
                {i.reason}
              </li>
            ))}
          </ul>
        </details>
      ) : null}
    </section>
  );
}
