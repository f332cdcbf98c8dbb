// Audit: open a signed audit log, verify it offline against the workspace's trusted keys, and
// replay the session step by step with the same reducer that drives live sessions (run in main).
import { useEffect, useState, type DragEvent } from 'react';
import type { AuditOpened } from '../../../../preload/schemas/audit-replay';
import {
  closeAudit,
  exportAuditReport,
  loadAuditLogs,
  openAuditFile,
  pauseAudit,
} from '../../store/audit-actions';
import { useStore } from '../../store/index';
import { SectionHeader } from '../../ui/section-header';
import { OpenLog } from './open-log';
import { RecordList } from './record-list';
import { ReplayPlayer } from './replay-player';
import { ReplaySteps } from './replay-steps';
import { durationText, replayNowMs, shownStep, stateAt } from './replay-model';
import { sessionTimes } from '../../../../preload/schemas/step-times';
import { RestoreSummary, summaryTarget } from '../restore/restore-summary';
import { StepDetail } from './step-detail';
import { VerdictBanner } from './verdict-banner';
import { ErrorText } from '../../ui/error-text';

/** One line on what the session was. */
function SessionFacts(props: { opened: AuditOpened }) {
  const last = props.opened.records.at(-1);
  const s = last ? stateAt(props.opened, props.opened.records.length - 1) : null;
  if (!s || !last) return null;
  const mode = s.mode ? `${s.mode[0]?.toUpperCase()}${s.mode.slice(1)}` : 'Session';
  // What the session was bound to as it opened: the target chosen, instants and strings typed.
  const bound = s.params.filter((p) => p.value !== null);
  return (
    <p className="audit-facts">
      <strong>
        {mode} of “{s.runbook?.name ?? 'unknown runbook'}”
      </strong>{' '}
      <span className="muted">({s.runbook?.path ?? '—'})</span>
      {s.target ? (
        <>
          {' '}
          against <strong>{s.target}</strong>
        </>
      ) : null}{' '}
      · operator {s.operator?.name ?? '—'} on {s.host ?? '—'} · started{' '}
      {s.startedAt?.slice(0, 16).replace('T', ' ') ?? '—'} UTC ·{' '}
      {s.sealed ? `outcome: ${s.outcome}` : 'not sealed'}
      {bound.length > 0 ? (
        <span className="audit-params">
          {' '}
          · bound{' '}
          {bound.map((p, i) => (
            <span key={p.name}>
              {i > 0 ? ', ' : ''}
              {p.name}=<code>{p.value}</code>
            </span>
          ))}
        </span>
      ) : null}
    </p>
  );
}

/** What the session restored: the cut, its points with their times, the target, the incident. */
function RestoredTo(props: { opened: AuditOpened }) {
  const workspace = useStore((s) => s.workspace);
  const s = stateAt(props.opened, props.opened.records.length - 1);
  if (!s) return null;
  const times = sessionTimes(s.steps, s.commands, s.lastTs ? Date.parse(s.lastTs) : 0);
  return (
    <section className="audit-restored" aria-label="Restored to">
      <h2 className="audit-subhead">Restored to</h2>
      {s.cut ? null : (
        <p className="muted">
          This log names no cut (the runbook was not bound to one, or an older Dapple wrote it).
        </p>
      )}
      <RestoreSummary
        cut={s.cut}
        target={summaryTarget(s.target, workspace)}
        incident={s.incident}
        mode={s.mode}
      />
      <p className="muted">
        Waiting for people {durationText(times.waitingMs)} · commands running{' '}
        {durationText(times.runningMs)}
        {s.mode === 'rehearsal'
          ? ' · a rehearsal: nothing ran, so none of it counts against the RTO'
          : ''}
        .
      </p>
    </section>
  );
}

/** The replay of an opened log. */
function Replay(props: { opened: AuditOpened }) {
  const { opened } = props;
  const pos = useStore((s) => s.auditPos);
  const clock = useStore((s) => s.auditClockMs);
  const focus = useStore((s) => s.auditFocusStep);
  const state = stateAt(opened, pos);
  const record = opened.records[pos];
  useEffect(() => pauseAudit, []);
  return (
    <>
      <VerdictBanner opened={opened} />
      <SessionFacts opened={opened} />
      <RestoredTo opened={opened} />
      {state && record ? (
        <>
          <ReplayPlayer opened={opened} />
          <div className="audit-grid">
            <ReplaySteps
              opened={opened}
              state={state}
              seq={record.seq}
              nowMs={replayNowMs(opened, pos, clock)}
              shown={shownStep(opened, pos, focus, state)}
            />
            <StepDetail
              opened={opened}
              state={state}
              step={shownStep(opened, pos, focus, state)}
              seq={record.seq}
            />
          </div>
          <RecordList opened={opened} pos={pos} />
        </>
      ) : (
        <p className="muted">No record verified, so there is nothing to replay.</p>
      )}
    </>
  );
}

/** The Audit section. */
export function AuditView() {
  const opened = useStore((s) => s.audit);
  const error = useStore((s) => s.auditError);
  const loading = useStore((s) => s.auditLoading);
  const exported = useStore((s) => s.auditExport);
  const root = useStore((s) => s.workspace?.path ?? null);
  // PDF comes from Chromium's printToPDF, which only the desktop app has.
  const desktop = useStore((s) => s.appInfo?.transport === 'electron');
  const [dragging, setDragging] = useState(false);
  useEffect(() => {
    void loadAuditLogs();
  }, [root]);
  const onDrop = (e: DragEvent<HTMLElement>) => {
    e.preventDefault();
    setDragging(false);
    const file = e.dataTransfer.files[0];
    if (file) void openAuditFile(file);
  };
  const tools = opened ? (
    <>
      <button type="button" onClick={() => void exportAuditReport('html')}>
        Export report (HTML)
      </button>
      <button type="button" onClick={() => void exportAuditReport('markdown')}>
        Export report (Markdown)
      </button>
      {desktop ? (
        <button type="button" onClick={() => void exportAuditReport('pdf')}>
          Export report (PDF)
        </button>
      ) : null}
      <button type="button" onClick={closeAudit}>
        Open another log
      </button>
    </>
  ) : null;
  return (
    <section
      className={`audit${dragging ? ' audit-dragging' : ''}`}
      onDragOver={(e) => {
        e.preventDefault();
        setDragging(true);
      }}
      onDragLeave={(e) => {
        // Moving over a child element is not leaving the section.
        if (!e.currentTarget.contains(e.relatedTarget as Node | null)) setDragging(false);
      }}
      onDrop={onDrop}
    >
      <SectionHeader
        title="Audit"
        purpose="Verify a signed audit log offline and replay it step by step."
        tools={tools}
      />
      {dragging ? <p className="audit-drop-hint">Drop the .jsonl log to verify it.</p> : null}
      {error ? <ErrorText error={error} /> : null}
      {exported ? (
        <p className="muted" role="status">
          {exported}
        </p>
      ) : null}
      {loading ? <p className="loading">Verifying the log…</p> : null}
      {opened ? <Replay opened={opened} /> : <OpenLog />}
    </section>
  );
}
