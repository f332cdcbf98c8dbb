// Progress records: throttled to one per interval with the last one kept, an ETA from the pace
// when the tool gives none, and the reducer showing the latest on its step (reset by a retry).
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { replaySession } from '../../audit/reducer';
import { person, tempDir, testOpen, tickingClock, trustOf } from '../../audit/test-helpers';
import { verifyLogDetailed } from '../../audit/verify';
import { createLog } from '../../audit/writer';
import { etaFrom, ProgressRecorder } from './progress';

describe('etaFrom', () => {
  it('tells the seconds left at the pace so far, and nothing before the pace means anything', () => {
    expect(etaFrom({ at: 0, done: 0 }, { at: 10_000, done: 25 }, 100)).toBe(30);
    expect(etaFrom({ at: 0, done: 0 }, { at: 500, done: 25 }, 100)).toBeNull();
    expect(etaFrom({ at: 0, done: 10 }, { at: 10_000, done: 10 }, 100)).toBeNull();
    expect(etaFrom({ at: 0, done: 0 }, { at: 10_000, done: 25 }, null)).toBeNull();
  });
});

describe('ProgressRecorder', () => {
  it('records at most one update per interval, keeps the last, and folds into the step', async () => {
    const file = path.join(tempDir(), 'p.jsonl');
    const operator = person('Olga');
    const writer = await createLog(
      { file, signer: operator.signer, clock: tickingClock(), checkpoint: null },
      testOpen,
    );
    await writer.append('step.start', { step: 'copy', attempt: 1 });
    let now = 0;
    const recorder = new ProgressRecorder(writer, 'copy', () => now, 1000);
    const update = (done: number) => ({
      unit: 'files' as const,
      done,
      total: 100,
      bytesDone: done * 1000,
      bytesTotal: 100_000,
      detail: `file-${done}`,
    });
    // 20 updates in 2 s: the first at once, then one per second.
    for (let i = 1; i <= 20; i++) {
      recorder.report(update(i));
      now += 100;
    }
    now = 10_000;
    recorder.report(update(50));
    await recorder.close();
    recorder.report(update(99)); // after close: ignored
    await writer.seal('completed');

    const { report, records } = await verifyLogDetailed(file, { trusted: trustOf(operator) });
    expect(report.verdict).toBe('VALID');
    const progress = records.filter((r) => r.payload.type === 'progress');
    expect(progress.length).toBeLessThanOrEqual(4);
    expect(progress.at(-1)?.payload.data).toMatchObject({ done: 50, total: 100 });
    // From 1 file at 0 s to 50 at 10 s: 49 per 10 s, 50 left → about 10 s.
    const eta = progress.at(-1)?.payload.data.etaSeconds as number;
    expect(eta).toBeGreaterThanOrEqual(9);
    expect(eta).toBeLessThanOrEqual(11);

    const state = replaySession(records);
    expect(state.steps.find((s) => s.id === 'copy')?.progress).toMatchObject({
      unit: 'files',
      done: 50,
      total: 100,
      detail: 'file-50',
    });
  });

  it('never says "done" before the step is: a fast pace still leaves at least a second', async () => {
    const file = path.join(tempDir(), 'fast.jsonl');
    const operator = person('Olga');
    const writer = await createLog(
      { file, signer: operator.signer, clock: tickingClock(), checkpoint: null },
      testOpen,
    );
    await writer.append('step.start', { step: 'copy', attempt: 1 });
    let now = 0;
    const recorder = new ProgressRecorder(writer, 'copy', () => now, 1000);
    const at = (done: number) => ({
      unit: 'files' as const,
      done,
      total: 1000,
      bytesDone: null,
      bytesTotal: null,
      detail: null,
    });
    recorder.report(at(0));
    now = 2_000;
    recorder.report(at(990)); // 10 left at 495 a second: 0.02 s, which rounds to 0
    now = 3_000;
    // Every byte read, the last file still being checked: not done yet.
    recorder.report({ ...at(999), bytesDone: 4000, bytesTotal: 4000 });
    now = 4_000;
    recorder.report(at(1000));
    await recorder.close();
    await writer.seal('completed');
    const { records } = await verifyLogDetailed(file, { trusted: trustOf(operator) });
    const etas = records
      .filter((r) => r.payload.type === 'progress')
      .map((r) => r.payload.data.etaSeconds);
    expect(etas).toEqual([null, 1, 1, 0]);
  });

  it('a retry starts with no progress shown', async () => {
    const file = path.join(tempDir(), 'q.jsonl');
    const operator = person('Olga');
    const writer = await createLog(
      { file, signer: operator.signer, clock: tickingClock(), checkpoint: null },
      testOpen,
    );
    await writer.append('step.start', { step: 'copy', attempt: 1 });
    const recorder = new ProgressRecorder(writer, 'copy');
    recorder.report({
      unit: 'bytes',
      done: 5,
      total: 10,
      bytesDone: 5,
      bytesTotal: 10,
      detail: null,
    });
    await recorder.close();
    await writer.append('step.end', { step: 'copy', attempt: 1, state: 'failed', error: 'x' });
    await writer.append('step.start', { step: 'copy', attempt: 2 });
    const { records } = await verifyLogDetailed(file, { trusted: trustOf(operator) });
    expect(replaySession(records).steps.find((s) => s.id === 'copy')?.progress).toBeNull();
  });
});
