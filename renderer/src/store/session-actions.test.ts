// The session slice keeps the newest view of a session: session.changed events and call replies
// may cross, and an older view must never undo a newer one. Pure store logic: no main, no mocks.
import { beforeEach, describe, expect, it } from 'vitest';
import type { SessionState } from '../../../preload/schemas/audit';
import type { LiveSession } from '../../../preload/schemas/session';
import { useStore } from './index';
import { closeSession, onSessionChanged } from './session-actions';

const state = (records: number, sealed = false): SessionState => ({
  logId: 'log-1',
  workspace: '/ws',
  runbook: null,
  mode: 'drill',
  target: 'sandbox-restore',
  params: [],
  rollback: null,
  cut: null,
  incident: null,
  operator: { name: 'erin', keyId: 'a'.repeat(64) },
  host: 'vm',
  appVersion: '0.1.0',
  startedAt: '2026-11-26T02:00:00Z',
  lastTs: '2026-11-26T02:01:00Z',
  elapsedMs: 60_000,
  records,
  head: null,
  checkpoints: 0,
  sealed,
  outcome: sealed ? 'completed' : 'running',
  currentStep: null,
  steps: [],
  commands: [],
  approvals: [],
  approvalRequests: [],
  approvalRefusals: [],
  confirmations: [],
  notes: [],
});

const view = (id: string, records: number, sealed = false): LiveSession => ({
  id,
  logPath: `/ws/audit/${id}.jsonl`,
  plan: {
    file: 'r.yaml',
    title: 'R',
    description: '',
    rtoSeconds: 3600,
    params: [],
    steps: [],
    rollback: [],
  },
  state: state(records, sealed),
  next: null,
  running: false,
  operatorTrusted: true,
  approval: null,
});

describe('session slice', () => {
  beforeEach(() => useStore.setState(useStore.getInitialState()));

  it('keeps the newest view when an older one arrives late', () => {
    onSessionChanged(view('s1', 5));
    onSessionChanged(view('s1', 7));
    onSessionChanged(view('s1', 6));
    expect(useStore.getState().session?.state.records).toBe(7);
    // The same record count with more output replaces the view.
    const more = { ...view('s1', 7), running: true };
    onSessionChanged(more);
    expect(useStore.getState().session?.running).toBe(true);
  });

  it('takes a view of another session at once', () => {
    useStore.setState({ session: view('s1', 9) });
    onSessionChanged(view('s2', 2));
    expect(useStore.getState().session?.id).toBe('s2');
  });

  it('puts a session away only once its log is sealed', () => {
    useStore.setState({ session: view('s1', 9) });
    closeSession();
    expect(useStore.getState().session?.id).toBe('s1');
    useStore.setState({ session: view('s1', 10, true) });
    closeSession();
    expect(useStore.getState().session).toBeNull();
    // Its view sent again (say, after the key was trusted) does not bring it back; a new one does.
    onSessionChanged(view('s1', 10, true));
    expect(useStore.getState().session).toBeNull();
    onSessionChanged(view('s3', 2));
    expect(useStore.getState().session?.id).toBe('s3');
  });
});
