// The review report's content, independent of its format: verdict, signers, steps, commands and
// hosts, approvals with the approvers' keys, typed confirmations, notes, timeline and times vs RTO.
import type { SessionState } from '../../preload/schemas/audit';
import type { AuditOpened, SignerView, VerdictWords } from '../../preload/schemas/audit-replay';
import type { KeyNote } from '../../preload/schemas/audit-replay';
import { sessionTimes, stepTimes } from '../../preload/schemas/step-times';
import { argvLine, durationWords, sessionTimeWords } from './report-words';

/** One command as the report lists it. */
export type ReportCommand = {
  id: string;
  step: string;
  host: string;
  argv: string;
  startedAt: string;
  result: string;
  duration: string;
  outputBytes: number;
  /** The last lines of its output (bounded), for failed commands and a quick look. */
  excerpt: string | null;
};

/** One approval as the report lists it. */
export type ReportApproval = {
  step: string;
  approver: string;
  /** The name the trust file gives the key that signed it. */
  signer: string;
  keyId: string;
  decision: string;
  statement: string;
  ts: string;
  selfApproved: boolean;
};

/** Everything a report says; HTML and Markdown render this same model. */
export type ReportModel = {
  title: string;
  generatedAt: string;
  sourceName: string;
  words: VerdictWords;
  records: number;
  firstError: string | null;
  signers: SignerView[];
  notes: string[];
  session: SessionState;
  facts: [string, string][];
  /** What was restored: the cut, each point with its time, the target, the incident. */
  restoredTo: [string, string][];
  /** When (and by whom) the signers' keys were trusted, from git. */
  keyNotes: KeyNote[];
  rtoText: string;
  /** Where the time went: waiting for people, commands running. */
  timeSplit: string;
  steps: {
    title: string;
    state: string;
    attempts: number;
    waiting: string;
    running: string;
    error: string;
  }[];
  commands: ReportCommand[];
  approvals: ReportApproval[];
  confirmations: { step: string; actor: string; prompt: string; typed: string; ok: boolean }[];
  operatorNotes: { ts: string; actor: string; step: string; text: string }[];
  timeline: { seq: number; ts: string; offset: string; actor: string; summary: string }[];
};

const EXCERPT_LINES = 20;
const EXCERPT_CHARS = 4000;

function excerptOf(opened: AuditOpened, cmd: string): string | null {
  const text = opened.outputs
    .filter((o) => o.cmd === cmd && o.text !== null)
    .map((o) => o.text)
    .join('');
  if (!text) return null;
  const lines = text.replace(/\n$/, '').split('\n');
  const tail = lines.slice(-EXCERPT_LINES).join('\n');
  const cut = tail.length > EXCERPT_CHARS ? `…${tail.slice(-EXCERPT_CHARS)}` : tail;
  return lines.length > EXCERPT_LINES
    ? `… (${lines.length - EXCERPT_LINES} lines above)\n${cut}`
    : cut;
}

/** The "Restored to" rows: the cut, its points with their times, the target and the incident. */
export function restoredTo(session: SessionState): [string, string][] {
  const cut = session.cut;
  const rows: [string, string][] = [
    [
      'Cut',
      cut
        ? `${cut.time} (group ${cut.group}, ${cut.consistent ? 'consistent' : 'NOT consistent'}: ${cut.reason})`
        : 'none named in the log',
    ],
  ];
  for (const m of cut?.members ?? [])
    rows.push([
      `Point of ${m.service}`,
      `${m.pointId ?? `continuous window ${m.windowId ?? ''}`.trim()} at ${m.time} (${m.source})`,
    ]);
  rows.push(['Target', session.target ?? '—']);
  rows.push(['Incident began', session.incident ?? 'not set']);
  return rows;
}

/** Build the report model from an opened log and the session folded from all its records. */
export function reportModel(opened: AuditOpened, session: SessionState, now: Date): ReportModel {
  const stepTitle = (id: string) => session.steps.find((s) => s.id === id)?.title ?? id;
  const nameOf = (keyId: string) =>
    opened.signers.find((s) => s.keyId === keyId)?.name ?? 'unknown';
  const e = opened.verification.firstError;
  const day = session.startedAt?.slice(0, 10) ?? 'undated';
  const end = session.lastTs ? Date.parse(session.lastTs) : 0;
  return {
    title: `Audit review: ${session.runbook?.name ?? 'unknown runbook'} (${session.mode ?? 'session'}, ${day})`,
    generatedAt: now.toISOString(),
    sourceName: opened.source.path ?? `${opened.source.name} (dropped into the console)`,
    words: opened.words,
    records: opened.verification.records,
    firstError: e
      ? `line ${e.line ?? '—'}${e.seq !== null ? `, record ${e.seq}` : ''}: ${e.reason}`
      : null,
    signers: opened.signers,
    notes: [opened.blobNote, opened.limitNote].filter((n): n is string => n !== null),
    session,
    facts: [
      ['Runbook', `${session.runbook?.name ?? '—'} (${session.runbook?.path ?? '—'})`],
      ['Runbook SHA-256', session.runbook?.sha256 ?? '—'],
      ['Mode', session.mode ?? '—'],
      ['Target', session.target ?? '—'],
      ['Workspace', session.workspace ?? '—'],
      [
        'Operator',
        session.operator ? `${session.operator.name} (key ${session.operator.keyId})` : '—',
      ],
      ['Host', session.host ?? '—'],
      ['Dapple version', session.appVersion ?? '—'],
      ['Log id', session.logId ?? '—'],
      ['Started', session.startedAt ?? '—'],
      ['Last record', session.lastTs ?? '—'],
      ['Outcome', session.sealed ? session.outcome : 'not sealed'],
    ],
    restoredTo: restoredTo(session),
    keyNotes: opened.keyNotes,
    timeSplit: (() => {
      const t = sessionTimes(session.steps, session.commands, end);
      return `Waiting for people ${durationWords(t.waitingMs)}; commands running ${durationWords(t.runningMs)}.`;
    })(),
    rtoText: sessionTimeWords(
      session.mode,
      session.elapsedMs,
      opened.rtoSeconds,
      !session.sealed ? 'unsealed' : session.outcome === 'running' ? 'completed' : session.outcome,
    ),
    steps: session.steps.map((s) => {
      const t = stepTimes(s, session.commands, end);
      return {
        title: s.title,
        state: s.state,
        attempts: s.attempts,
        waiting: t ? durationWords(t.waitingMs) : '—',
        running: t && t.runningMs > 0 ? durationWords(t.runningMs) : '—',
        error: s.error ?? '',
      };
    }),
    commands: session.commands.map((c) => ({
      id: c.id,
      step: stepTitle(c.step),
      host: c.host,
      argv: argvLine(c.argv),
      startedAt: c.startedAt,
      result:
        c.signal !== null
          ? `killed by ${c.signal}`
          : c.exitCode === null
            ? 'did not finish'
            : `exit ${c.exitCode}`,
      duration: durationWords(c.durationMs),
      outputBytes: c.output.reduce((n, o) => n + o.bytes, 0),
      excerpt: excerptOf(opened, c.id),
    })),
    approvals: session.approvals.map((a) => ({
      step: stepTitle(a.step),
      approver: a.approver,
      signer: nameOf(a.keyId),
      keyId: a.keyId,
      decision: a.decision,
      statement: a.statement,
      ts: a.ts,
      selfApproved: a.selfApproved,
    })),
    confirmations: session.confirmations.map((c) => ({
      step: stepTitle(c.step),
      actor: c.actor,
      prompt: c.prompt,
      typed: c.typed,
      ok: c.matched,
    })),
    operatorNotes: session.notes.map((n) => ({
      ts: n.ts,
      actor: n.actor,
      step: n.step === null ? '' : stepTitle(n.step),
      text: n.text,
    })),
    timeline: opened.records
      .filter((r) => r.type !== 'output')
      .map((r) => ({
        seq: r.seq,
        ts: r.ts,
        offset: `+${durationWords(r.offsetMs)}`,
        actor: r.signer,
        summary: r.summary,
      })),
  };
}
