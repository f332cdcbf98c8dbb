// The session as a fold over its audit log. Live sessions, resumed sessions and the
// reviewer's replay all run this one pure function, one record at a time.
import type { CommandView, SessionState, StepView } from '../../preload/schemas/audit';
import type { RecordData } from './record-data';
import type { Payload, StoredRecord } from './records';

/** What the reducer needs of a record: the payload, the signer's key id and the payload hash. */
export type ReducibleRecord = Pick<StoredRecord, 'payload' | 'key'> & { hash?: string };

/** The state before any record. */
export function initialSession(): SessionState {
  return {
    logId: null,
    workspace: null,
    runbook: null,
    mode: null,
    target: null,
    params: [],
    rollback: null,
    cut: null,
    incident: null,
    operator: null,
    host: null,
    appVersion: null,
    startedAt: null,
    lastTs: null,
    elapsedMs: null,
    records: 0,
    head: null,
    checkpoints: 0,
    sealed: false,
    outcome: 'running',
    currentStep: null,
    steps: [],
    commands: [],
    approvals: [],
    approvalRequests: [],
    approvalRefusals: [],
    confirmations: [],
    notes: [],
  };
}

const ms = (from: string | null, to: string): number | null =>
  from === null ? null : Math.max(0, Date.parse(to) - Date.parse(from));

function newStep(
  id: string,
  title = id,
  kind = 'unknown',
  rollbackOf: string | null = null,
): StepView {
  return {
    id,
    title,
    kind,
    state: 'pending',
    attempts: 0,
    startedAt: null,
    attemptStartedAt: null,
    endedAt: null,
    durationMs: null,
    currentSince: null,
    leftAt: null,
    runningMs: 0,
    error: null,
    commands: [],
    progress: null,
    rollbackOf,
    blastRadius: null,
  };
}

const finished = (s: StepView): boolean => s.state === 'done' || s.state === 'skipped';

/**
 * The first unfinished step becomes current at `ts` (steps run in the runbook's order): its time
 * starts there, so waiting for a person before the first click counts.
 */
function nextCurrent(steps: StepView[], ts: string): StepView[] {
  const index = steps.findIndex((s) => !finished(s));
  const step = steps[index];
  if (!step || step.currentSince !== null) return steps;
  return steps.map((s, i) => (i === index ? { ...s, currentSince: ts } : s));
}

function withStep(
  state: SessionState,
  id: string,
  change: (step: StepView) => StepView,
): StepView[] {
  const index = state.steps.findIndex((s) => s.id === id);
  if (index < 0) return [...state.steps, change(newStep(id))];
  return state.steps.map((s, i) => (i === index ? change(s) : s));
}

function withCommand(
  state: SessionState,
  id: string,
  change: (cmd: CommandView) => CommandView,
): CommandView[] {
  const index = state.commands.findIndex((c) => c.id === id);
  // Output for a command whose start is not in the log still shows, under an unnamed command.
  if (index < 0)
    return [
      ...state.commands,
      change({
        id,
        step: '',
        host: '',
        argv: [],
        startedAt: '',
        endedAt: null,
        exitCode: null,
        signal: null,
        durationMs: null,
        output: [],
      }),
    ];
  return state.commands.map((c, i) => (i === index ? change(c) : c));
}

function apply(state: SessionState, p: Payload, key: string): SessionState {
  switch (p.type) {
    case 'open': {
      const d = p.data as RecordData<'open'>;
      const { steps, ...runbook } = d.runbook;
      return {
        ...state,
        logId: p.log,
        workspace: d.workspace,
        runbook,
        mode: d.mode,
        target: d.target,
        params: d.params ?? [],
        cut: d.cut ?? null,
        incident: d.incident ?? null,
        operator: d.operator,
        host: d.host,
        appVersion: d.appVersion,
        startedAt: p.ts,
        steps: nextCurrent(
          steps.map((s) => newStep(s.id, s.title, s.kind)),
          p.ts,
        ),
      };
    }
    case 'step.start': {
      const d = p.data as RecordData<'step.start'>;
      const steps = withStep(state, d.step, (s) => ({
        ...s,
        state: 'running',
        attempts: Math.max(s.attempts, d.attempt),
        startedAt: s.startedAt ?? p.ts,
        // A step the open record did not announce is current from its first start.
        currentSince: s.currentSince ?? p.ts,
        attemptStartedAt: p.ts,
        endedAt: null,
        error: null,
        progress: null,
        blastRadius: null,
      }));
      return { ...state, steps, currentStep: d.step };
    }
    case 'step.end': {
      const d = p.data as RecordData<'step.end'>;
      const steps = withStep(state, d.step, (s) => ({
        ...s,
        state: d.state,
        endedAt: p.ts,
        error: d.error,
        attemptStartedAt: null,
        durationMs: (s.durationMs ?? 0) + (ms(s.attemptStartedAt, p.ts) ?? 0),
        // A failed step stays current: the time deciding what to do next is waiting.
        leftAt: d.state === 'failed' ? null : p.ts,
      }));
      return {
        ...state,
        steps: d.state === 'failed' ? steps : nextCurrent(steps, p.ts),
        currentStep: state.currentStep === d.step ? null : state.currentStep,
      };
    }
    case 'cmd.start': {
      const d = p.data as RecordData<'cmd.start'>;
      const cmd: CommandView = {
        id: d.cmd,
        step: d.step,
        host: d.host,
        argv: d.argv,
        startedAt: p.ts,
        endedAt: null,
        exitCode: null,
        signal: null,
        durationMs: null,
        output: [],
      };
      const steps = withStep(state, d.step, (s) => ({ ...s, commands: [...s.commands, d.cmd] }));
      return { ...state, steps, commands: [...state.commands.filter((c) => c.id !== d.cmd), cmd] };
    }
    case 'output': {
      const d = p.data as RecordData<'output'>;
      const chunk = {
        seq: p.seq,
        ts: p.ts,
        stream: d.stream,
        bytes: d.bytes,
        sha256: d.sha256,
        text: d.text ?? null,
        b64: d.b64 ?? null,
        blob: d.blob === true,
      };
      return {
        ...state,
        commands: withCommand(state, d.cmd, (c) => ({ ...c, output: [...c.output, chunk] })),
      };
    }
    case 's3.plan': {
      const d = p.data as RecordData<'s3.plan'>;
      return { ...state, steps: withStep(state, d.step, (s) => ({ ...s, blastRadius: d.radius })) };
    }
    // Each key changed is in the log; the step's progress comes from its progress records.
    case 's3.batch':
      return state;
    case 'cmd.pid': {
      const d = p.data as RecordData<'cmd.pid'>;
      const process = { machine: d.machine, pgid: d.pgid, started: d.started };
      return { ...state, commands: withCommand(state, d.cmd, (c) => ({ ...c, process })) };
    }
    case 'cmd.end': {
      const d = p.data as RecordData<'cmd.end'>;
      const cmd = state.commands.find((c) => c.id === d.cmd && c.endedAt === null);
      const ran = cmd && cmd.startedAt !== '' ? (ms(cmd.startedAt, p.ts) ?? 0) : 0;
      return {
        ...state,
        steps:
          cmd && cmd.step !== ''
            ? withStep(state, cmd.step, (s) => ({ ...s, runningMs: s.runningMs + ran }))
            : state.steps,
        commands: withCommand(state, d.cmd, (c) => ({
          ...c,
          endedAt: p.ts,
          exitCode: d.exitCode,
          signal: d.signal,
          durationMs: d.durationMs,
        })),
      };
    }
    case 'progress': {
      const { step, ...progress } = p.data as RecordData<'progress'>;
      return {
        ...state,
        steps: withStep(state, step, (s) => ({ ...s, progress: { ...progress, ts: p.ts } })),
      };
    }
    case 'rollback': {
      const d = p.data as RecordData<'rollback'>;
      const known = new Set(state.steps.map((s) => s.id));
      const added = d.steps
        .filter((s) => !known.has(s.id))
        .map((s) => newStep(s.id, s.title, s.kind, s.of));
      return {
        ...state,
        steps: [...state.steps, ...added],
        rollback: { reason: d.reason, steps: d.steps.map((s) => s.id) },
      };
    }
    case 'confirm': {
      const d = p.data as RecordData<'confirm'>;
      return {
        ...state,
        confirmations: [
          ...state.confirmations,
          {
            seq: p.seq,
            step: d.step,
            prompt: d.prompt,
            expected: d.expected,
            typed: d.typed,
            matched: d.typed === d.expected,
            ts: p.ts,
            actor: p.actor,
          },
        ],
      };
    }
    case 'approval.request': {
      const d = p.data as RecordData<'approval.request'>;
      const { step, attempt, sha256, nonce, expires, document } = d;
      const request = { seq: p.seq, ts: p.ts, step, attempt, sha256, nonce, expires, document };
      return { ...state, approvalRequests: [...state.approvalRequests, request] };
    }
    case 'approval.refused': {
      const d = p.data as RecordData<'approval.refused'>;
      const { step, via, source, code, reason, keyId, file } = d;
      const refusal = { seq: p.seq, ts: p.ts, step, via, source, code, reason, keyId, file };
      return { ...state, approvalRefusals: [...state.approvalRefusals, refusal] };
    }
    case 'approval': {
      const d = p.data as RecordData<'approval'>;
      // By response or standing approval the operator signs the record; the document's key approved.
      const approverKey = d.keyId ?? key;
      const selfApproved = state.operator?.keyId === approverKey;
      return {
        ...state,
        approvals: [
          ...state.approvals,
          {
            seq: p.seq,
            step: d.step,
            approver: d.approver,
            keyId: approverKey,
            via: d.via ?? 'in-person',
            nonce: d.nonce ?? null,
            decision: d.decision,
            statement: d.statement,
            ts: p.ts,
            selfApproved,
          },
        ],
      };
    }
    case 'note': {
      const d = p.data as RecordData<'note'>;
      return {
        ...state,
        notes: [
          ...state.notes,
          { seq: p.seq, step: d.step, text: d.text, ts: p.ts, actor: p.actor },
        ],
      };
    }
    case 'checkpoint':
      return { ...state, checkpoints: state.checkpoints + 1 };
    case 'seal':
      return {
        ...state,
        // A step open when the log was sealed (aborted, failed) stops counting there.
        steps: state.steps.map((s) =>
          s.currentSince !== null && s.leftAt === null ? { ...s, leftAt: p.ts } : s,
        ),
        sealed: true,
        outcome: (p.data as RecordData<'seal'>).reason,
        currentStep: null,
      };
  }
}

/** Fold one record into the session state. Pure: the state passed in is never changed. */
export function reduceSession(state: SessionState, record: ReducibleRecord): SessionState {
  const p = record.payload;
  const next = apply(state, p, record.key);
  return {
    ...next,
    records: state.records + 1,
    lastTs: p.ts,
    head: record.hash ?? next.head,
    elapsedMs: ms(next.startedAt, p.ts),
  };
}

/** The session state after all of `records`. */
export function replaySession(records: readonly ReducibleRecord[]): SessionState {
  return records.reduce(reduceSession, initialSession());
}
