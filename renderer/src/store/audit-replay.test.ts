// Replay times agree whether the replay is played on its clock or stepped record by record: the
// step list, the player and the RTO all read one instant. The log here is a small fold written by
// hand (a command that runs 4 s inside a step that waited 2 s first); the store is the real one.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { SessionState, StepView } from '../../../preload/schemas/audit';
import type { AuditOpened, ReplayRecord } from '../../../preload/schemas/audit-replay';
import { replayStepTime } from '../features/audit/replay-steps';
import { replayElapsedMs, replayNowMs, stateAt } from '../features/audit/replay-model';
import { pauseAudit, playAudit, seekAudit, setAuditSpeed } from './audit-actions';
import { useStore } from './index';

const t0 = Date.parse('2026-03-01T09:00:00.000Z');
const iso = (ms: number) => new Date(t0 + ms).toISOString();

// Built by hand and cast: only the fields the step times read matter here.
const step = (over: Partial<StepView>): StepView =>
  ({
    id: 'copy',
    title: 'Copy',
    kind: 'local',
    state: 'pending',
    attempts: 0,
    startedAt: null,
    attemptStartedAt: null,
    endedAt: null,
    durationMs: null,
    currentSince: iso(0),
    leftAt: null,
    runningMs: 0,
    error: null,
    commands: [],
    progress: null,
    rollbackOf: null,
    ...over,
  }) as StepView;

const base = (steps: StepView[], commands: SessionState['commands']): SessionState =>
  ({
    logId: 'l',
    workspace: 'w',
    runbook: null,
    mode: 'drill',
    target: 't',
    params: [],
    rollback: null,
    cut: null,
    incident: null,
    operator: null,
    host: null,
    appVersion: null,
    startedAt: iso(0),
    lastTs: null,
    elapsedMs: null,
    records: 0,
    head: null,
    checkpoints: 0,
    sealed: false,
    outcome: 'running',
    currentStep: null,
    steps,
    commands,
    approvals: [],
    confirmations: [],
    notes: [],
  }) as unknown as SessionState;

const cmd = (endedAt: string | null) => ({
  id: 'c1',
  step: 'copy',
  host: 'localhost',
  argv: ['cp'],
  startedAt: iso(2000),
  endedAt,
  exitCode: endedAt ? 0 : null,
  signal: null,
  durationMs: endedAt ? 4000 : null,
  output: [],
});

// open (0 s) · step.start + cmd.start (2 s) · cmd.end (6 s) · step.end (6.5 s)
const frames: SessionState[] = [
  base([step({})], []),
  base([step({ state: 'running', startedAt: iso(2000) })], [cmd(null)]),
  base([step({ state: 'running', runningMs: 4000 })], [cmd(iso(6000))]),
  base(
    [step({ state: 'done', runningMs: 4000, leftAt: iso(6500), endedAt: iso(6500) })],
    [cmd(iso(6000))],
  ),
];
const offsets = [0, 2000, 6000, 6500];
const record = (i: number): ReplayRecord => ({
  seq: i,
  ts: iso(offsets[i] ?? 0),
  type: 'note',
  actor: 'a',
  keyId: 'k',
  signer: 'a',
  step: 'copy',
  summary: '',
  data: {},
  frame: i,
  offsetMs: offsets[i] ?? 0,
});
const opened = {
  records: offsets.map((_, i) => record(i)),
  frames,
  outputs: [],
} as unknown as AuditOpened;

/** What the step list and the player show now. */
function shown(): { step: string; elapsed: number } {
  const { auditPos: pos, auditClockMs: clock } = useStore.getState();
  const state = stateAt(opened, pos);
  const view = state?.steps[0];
  if (!state || !view) throw new Error('no state');
  return {
    step: replayStepTime(state, view, replayNowMs(opened, pos, clock)),
    elapsed: replayElapsedMs(opened, pos, clock),
  };
}

describe('replay times', () => {
  beforeEach(() => {
    vi.useFakeTimers();
    useStore.setState({ audit: opened, auditPos: 0, auditClockMs: 0, auditSpeed: 1 });
  });
  afterEach(() => {
    pauseAudit();
    vi.useRealTimers();
  });

  it('are the same at each record whether stepped to or played to', () => {
    const stepped = offsets.map((_, i) => {
      seekAudit(i);
      return shown();
    });
    expect(stepped.map((s) => s.step)).toEqual([
      'waited 0s',
      'waited 2s',
      'waited 2s · ran 4s',
      'waited 3s · ran 4s', // 2.5 s: the half second after the command ended is waiting too
    ]);
    seekAudit(0);
    setAuditSpeed(1);
    playAudit();
    const played: ReturnType<typeof shown>[] = [shown()];
    for (let i = 1; i < offsets.length; i++) {
      // Tick until the clock reaches the record's own moment.
      while (useStore.getState().auditClockMs < (offsets[i] ?? 0)) vi.advanceTimersByTime(100);
      played.push(shown());
    }
    expect(played).toEqual(stepped);
  });

  it('count a running command up with the clock while playing, as the player does', () => {
    seekAudit(1);
    playAudit();
    vi.advanceTimersByTime(1000); // 3 s into the log: the command has run 1 s
    expect(useStore.getState().auditPos).toBe(1);
    expect(shown()).toEqual({ step: 'waited 2s · ran 1s', elapsed: 3000 });
  });
});
