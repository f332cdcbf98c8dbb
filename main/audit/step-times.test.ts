// A step's time starts when it becomes current, and splits into waiting for a person and running
// a command; the figures come from the one fold, live and in replay alike.
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { SessionState } from '../../preload/schemas/audit';
import type { Cut } from '../../preload/schemas/groups';
import { sessionTimes, stepTimes } from '../../preload/schemas/step-times';
import { initialSession, reduceSession, replaySession } from './reducer';
import { person, tempDir, testOpen, trustOf } from './test-helpers';
import { verifyLogDetailed } from './verify';
import { createLog } from './writer';

const alice = person('Alice Operator');
const bob = person('Bob Approver');
const t0 = Date.parse('2026-03-01T09:00:00.000Z');
const iso = (s: number) => new Date(t0 + s * 1000).toISOString();

const cut: Cut = {
  group: 'shop',
  time: '2026-03-01T08:00:00.000Z',
  skewSeconds: 60,
  toleranceSeconds: 300,
  consistent: true,
  reason: 'all 1 members within 1 min of each other',
  snapshotId: null,
  members: [
    {
      service: 'orders-db',
      pointId: 'orders-db-1',
      windowId: null,
      source: 'orders-nas',
      time: '2026-03-01T08:00:00.000Z',
      lagSeconds: 0,
    },
  ],
};

async function writeSession() {
  const file = path.join(tempDir(), 'times.jsonl');
  let now = t0;
  const at = (s: number) => (now = t0 + s * 1000);
  const w = await createLog(
    { file, signer: alice.signer, clock: () => new Date(now), checkpoint: null },
    { ...testOpen, cut, incident: '2026-03-01T08:30:00.000Z' },
  );
  // Two minutes pass before the operator acts on the first step: that is waiting.
  at(120);
  await w.append('step.start', { step: 'copy', attempt: 1 });
  at(130);
  await w.append('cmd.start', { cmd: 'c1', step: 'copy', host: 'localhost', argv: ['cp'] });
  at(190);
  await w.append('cmd.end', { cmd: 'c1', exitCode: 1, signal: null, durationMs: 60_000 });
  at(191);
  await w.append('step.end', { step: 'copy', attempt: 1, state: 'failed', error: 'exit 1' });
  // Deciding to retry is waiting too: a failed step stays current.
  at(300);
  await w.append('step.start', { step: 'copy', attempt: 2 });
  await w.append('cmd.start', { cmd: 'c2', step: 'copy', host: 'localhost', argv: ['cp'] });
  at(360);
  await w.append('cmd.end', { cmd: 'c2', exitCode: 0, signal: null, durationMs: 60_000 });
  at(361);
  await w.append('step.end', { step: 'copy', attempt: 2, state: 'done', error: null });
  at(500);
  await w.append('step.start', { step: 'approve', attempt: 1 });
  await w.append(
    'approval',
    { step: 'approve', approver: 'Bob Approver', decision: 'approved', statement: 'Go.' },
    bob.signer,
  );
  await w.append('step.end', { step: 'approve', attempt: 1, state: 'done', error: null });
  at(510);
  await w.seal('completed');
  const { report, records } = await verifyLogDetailed(file, { trusted: trustOf(alice, bob) });
  expect(report.verdict).toBe('VALID');
  return records;
}

describe('step times', () => {
  it('start when the step becomes current and split waiting from running', async () => {
    const records = await writeSession();
    const state = replaySession(records);
    expect(SessionState.parse(state)).toEqual(state);
    const [copy, approve] = state.steps;
    expect(copy).toMatchObject({ currentSince: iso(0), leftAt: iso(361), runningMs: 120_000 });
    expect(approve).toMatchObject({ currentSince: iso(361), leftAt: iso(500), runningMs: 0 });
    const end = Date.parse(iso(510));
    expect(stepTimes(copy!, state.commands, end)).toEqual({
      waitingMs: 241_000,
      runningMs: 120_000,
    });
    expect(stepTimes(approve!, state.commands, end)).toEqual({ waitingMs: 139_000, runningMs: 0 });
    expect(sessionTimes(state.steps, state.commands, end)).toEqual({
      waitingMs: 380_000,
      runningMs: 120_000,
    });
  });

  it('count a running command and an unstarted current step up to the moment asked', async () => {
    const records = await writeSession();
    // After cmd.start of c1 (record 2): the step is current since the open, c1 runs since 130 s.
    const mid = records.slice(0, 3).reduce(reduceSession, initialSession());
    const copy = mid.steps[0]!;
    expect(stepTimes(copy, mid.commands, Date.parse(iso(160)))).toEqual({
      waitingMs: 130_000,
      runningMs: 30_000,
    });
    // The approval step is not current yet: no time at all.
    expect(stepTimes(mid.steps[1]!, mid.commands, Date.parse(iso(160)))).toBeNull();
    // Right after the open, the first step already waits for a person.
    const opened = reduceSession(initialSession(), records[0]!);
    expect(stepTimes(opened.steps[0]!, [], Date.parse(iso(45)))).toEqual({
      waitingMs: 45_000,
      runningMs: 0,
    });
  });

  it('fold the cut and the incident time from the open record', async () => {
    const state = replaySession(await writeSession());
    expect(state.cut).toEqual(cut);
    expect(state.incident).toBe('2026-03-01T08:30:00.000Z');
  });

  it('stop counting an open step when the log is sealed as aborted', async () => {
    const file = path.join(tempDir(), 'aborted.jsonl');
    let now = t0;
    const w = await createLog(
      { file, signer: alice.signer, clock: () => new Date(now), checkpoint: null },
      testOpen,
    );
    now = t0 + 90_000;
    await w.seal('aborted');
    const { records } = await verifyLogDetailed(file, { trusted: trustOf(alice) });
    const state = replaySession(records);
    expect(state.cut).toBeNull();
    expect(stepTimes(state.steps[0]!, [], t0 + 10 * 3600e3)).toEqual({
      waitingMs: 90_000,
      runningMs: 0,
    });
  });
});
