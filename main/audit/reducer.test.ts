import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { SessionState } from '../../preload/schemas/audit';
import { initialSession, reduceSession, replaySession } from './reducer';
import type { StoredRecord } from './records';
import { person, tempDir, testOpen, tickingClock, trustOf } from './test-helpers';
import { verifyLogDetailed } from './verify';
import { createLog, resumeLog } from './writer';

const alice = person('Alice Operator');
const bob = person('Bob Approver');

function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object') {
    Object.freeze(value);
    for (const v of Object.values(value)) deepFreeze(v);
  }
  return value;
}

describe('reduceSession', () => {
  it('gives the same state live, after a resume and in replay, with retries, approvals and durations', async () => {
    const file = path.join(tempDir(), 'session.jsonl');
    let live = initialSession();
    const onRecord = (r: StoredRecord): void => {
      live = reduceSession(deepFreeze(live), r);
    };
    const clock = tickingClock('2026-03-01T09:00:00.000Z');
    const w = await createLog(
      { file, signer: alice.signer, clock, checkpoint: null, onRecord },
      testOpen,
    );
    await w.append('step.start', { step: 'copy', attempt: 1 });
    await w.append('cmd.start', {
      cmd: 'c1',
      step: 'copy',
      host: 'localhost',
      argv: ['cp', '-a', 'src', 'dst'],
    });
    await w.output('c1', 'stderr', Buffer.from('cp: cannot stat src: No such file\n'));
    await w.append('cmd.end', { cmd: 'c1', exitCode: 1, signal: null, durationMs: 800 });
    await w.append('step.end', {
      step: 'copy',
      attempt: 1,
      state: 'failed',
      error: 'cp exited with 1',
    });
    await w.close();

    // The app restarts: the state is the fold of what the log holds, then it carries on.
    const resumed = await resumeLog({ file, signer: alice.signer, clock, onRecord });
    expect(replaySession(resumed.records)).toEqual(live);
    const r = resumed.writer;
    await r.append('note', { step: 'copy', text: 'Source mounted, retrying.' });
    await r.append('step.start', { step: 'copy', attempt: 2 });
    await r.append('cmd.start', {
      cmd: 'c2',
      step: 'copy',
      host: 'localhost',
      argv: ['cp', '-a', 'src', 'dst'],
    });
    await r.append('cmd.end', { cmd: 'c2', exitCode: 0, signal: null, durationMs: 900 });
    await r.append('step.end', { step: 'copy', attempt: 2, state: 'done', error: null });
    await r.append(
      'approval',
      { step: 'approve', approver: 'Bob Approver', decision: 'approved', statement: 'Go ahead.' },
      bob.signer,
    );
    await r.append('confirm', {
      step: 'approve',
      prompt: 'Type the target name',
      expected: 'sandbox-restore',
      typed: 'sandbox-restore',
    });
    await r.seal('completed');

    const { report, records } = await verifyLogDetailed(file, { trusted: trustOf(alice, bob) });
    expect(report.verdict).toBe('VALID');
    const replayed = replaySession(records);
    expect(replayed).toEqual(live);
    expect(SessionState.parse(replayed)).toEqual(replayed);

    expect(replayed).toMatchObject({
      sealed: true,
      outcome: 'completed',
      records: 14,
      mode: 'drill',
      target: 'sandbox-restore',
      operator: { name: 'Alice Operator' },
    });
    const copy = replayed.steps.find((s) => s.id === 'copy');
    // Attempt 1 ran 4 s (start→end), attempt 2 ran 3 s: the note between is not step time.
    expect(copy).toMatchObject({
      state: 'done',
      attempts: 2,
      commands: ['c1', 'c2'],
      durationMs: 7000,
      error: null,
    });
    expect(replayed.steps.find((s) => s.id === 'approve')?.state).toBe('pending');
    expect(replayed.commands[0]).toMatchObject({
      exitCode: 1,
      output: [{ stream: 'stderr', text: 'cp: cannot stat src: No such file\n' }],
    });
    expect(replayed.approvals).toEqual([
      expect.objectContaining({
        approver: 'Bob Approver',
        keyId: bob.pair.keyId,
        selfApproved: false,
      }),
    ]);
    expect(replayed.confirmations[0]?.matched).toBe(true);
    expect(replayed.notes[0]?.text).toBe('Source mounted, retrying.');
    expect(replayed.elapsedMs).toBe(13_000);
  });

  it('replays one record at a time: the state after k records is the fold of the first k', async () => {
    const file = path.join(tempDir(), 'steps.jsonl');
    const w = await createLog(
      { file, signer: alice.signer, clock: tickingClock(), checkpoint: null },
      testOpen,
    );
    await w.append('step.start', { step: 'copy', attempt: 1 });
    await w.append('step.end', { step: 'copy', attempt: 1, state: 'done', error: null });
    await w.seal('completed');
    const { records } = await verifyLogDetailed(file, { trusted: trustOf(alice) });
    const states = records.reduce(
      (acc, r) => [...acc, reduceSession(acc[acc.length - 1] ?? initialSession(), r)],
      [] as SessionState[],
    );
    expect(states.map((s) => s.steps.find((x) => x.id === 'copy')?.state)).toEqual([
      'pending',
      'running',
      'done',
      'done',
    ]);
    expect(states.map((s) => s.currentStep)).toEqual([null, 'copy', null, null]);
  });

  it('folds an S3 step’s blast radius (which verify accepts, with its batches) and a new attempt clears it', async () => {
    const file = path.join(tempDir(), 's3.jsonl');
    const w = await createLog(
      { file, signer: alice.signer, clock: tickingClock(), checkpoint: null },
      testOpen,
    );
    const part = (count: number, bytes: number, first: string[] = []) => ({ count, bytes, first });
    await w.append('step.start', { step: 'media', attempt: 1 });
    await w.append('s3.plan', {
      cmd: 'c1',
      step: 'media',
      radius: {
        action: 'restore-to-instant',
        where: 's3://media/img/ on backend archive',
        at: '2026-03-01T08:00:00.000Z',
        overwrite: part(2, 300, ['img/a', 'img/b']),
        bringBack: part(1, 100, ['img/c']),
        create: part(0, 0),
        hide: part(1, 50, ['img/new']),
        leave: part(10, 1000),
        listed: 30,
        keysAtInstant: 13,
        warnings: [],
      },
    });
    await w.append('s3.batch', {
      cmd: 'c1',
      step: 'media',
      items: [
        {
          key: 'img/a',
          kind: 'overwrite',
          from: 'v3',
          version: 'v1',
          to: 'v4',
          marker: false,
          bytes: 150,
        },
        {
          key: 'img/new',
          kind: 'hide',
          from: 'n1',
          version: null,
          to: 'd1',
          marker: true,
          bytes: 50,
        },
      ],
      failed: [{ key: 'img/b', version: 'v7', error: 'AccessDenied' }],
    });
    const { report, records } = await verifyLogDetailed(file, { trusted: trustOf(alice) });
    expect(report.verdict).toBe('UNSEALED');
    const state = replaySession(records);
    expect(SessionState.parse(state)).toEqual(state);
    const media = state.steps.find((s) => s.id === 'media');
    expect(media?.blastRadius?.overwrite.first).toEqual(['img/a', 'img/b']);
    await resumeLog({
      file,
      signer: alice.signer,
      clock: tickingClock('2026-03-01T10:00:00.000Z'),
    }).then(async ({ writer }) => {
      await writer.append('step.end', { step: 'media', attempt: 1, state: 'failed', error: 'x' });
      await writer.append('step.start', { step: 'media', attempt: 2 });
      await writer.close();
    });
    const again = replaySession(
      (await verifyLogDetailed(file, { trusted: trustOf(alice) })).records,
    );
    expect(again.steps.find((s) => s.id === 'media')?.blastRadius).toBeNull();
  });
});
