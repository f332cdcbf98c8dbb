// What a session writes for each thing done through session.act: the log is the session (its state
// is the fold of these records), so each action's records are pinned here, in order.
import { afterEach, describe, expect, it } from 'vitest';
import { approveAs, gatesConsole, tick, type GatesConsole } from '../../restore/test-setup-gates';
import { activeSession } from './session';

let g: GatesConsole | null = null;
afterEach(async () => {
  await g?.done();
  g = null;
});

/** The records after the first `from`, as [type, data] pairs. */
async function written(from: number) {
  return (await (g as GatesConsole).payloads()).slice(from).map((p) => [p.type, p.data]);
}

describe('the records a session writes', () => {
  it('a checklist: the step starts, each item is noted, the step ends done', async () => {
    g = await gatesConsole();
    const before = (await g.payloads()).length;
    await g.act(tick());
    expect(await written(before)).toEqual([
      ['step.start', { step: 'check', attempt: 1 }],
      ['note', { step: 'check', text: 'checked: First thing' }],
      ['note', { step: 'check', text: 'checked: Second thing' }],
      ['step.end', { step: 'check', attempt: 1, state: 'done', error: null }],
    ]);
  });

  it('a rejected approval ends its attempt; asking again opens a new one that needs both approvals anew', async () => {
    g = await gatesConsole();
    await g.act(tick());
    await g.act(approveAs('demo-approver'));
    await g.act(approveAs('second-approver', 'rejected'));
    expect(g.step('ok')).toMatchObject({
      state: 'failed',
      attempts: 1,
      error: 'Rejected by second-approver: rejected by second-approver',
    });
    expect(g.now().next).toMatchObject({ step: 'ok', need: 'retry' });
    const before = (await g.payloads()).length;
    await g.act({ type: 'run', step: 'ok' });
    expect(await written(before)).toEqual([['step.start', { step: 'ok', attempt: 2 }]]);
    expect(g.step('ok')).toMatchObject({ state: 'running', attempts: 2 });
    const second = (await g.payloads()).length;
    await g.act(approveAs('second-approver'));
    expect((await written(second)).map(([type]) => type)).toEqual(['approval']);
    expect(g.step('ok')?.state).toBe('running');
    await g.act(approveAs('demo-approver'));
    expect(g.step('ok')).toMatchObject({ state: 'done', attempts: 2 });
  });

  it('a typed confirmation is recorded, right or wrong; only a manual step starts with it', async () => {
    g = await gatesConsole();
    await g.act(tick());
    await g.act(approveAs('demo-approver'));
    await g.act(approveAs('second-approver'));
    const before = (await g.payloads()).length;
    await expect(g.act({ type: 'confirm', step: 'wipe', typed: 'sandbox' })).rejects.toThrow(
      /nothing was overwritten/,
    );
    await g.act({ type: 'confirm', step: 'wipe', typed: 'sandbox-restore' });
    const prompt = 'Type sandbox-restore to confirm it will be overwritten';
    expect(await written(before)).toEqual([
      ['confirm', { step: 'wipe', prompt, expected: 'sandbox-restore', typed: 'sandbox' }],
      ['confirm', { step: 'wipe', prompt, expected: 'sandbox-restore', typed: 'sandbox-restore' }],
    ]);
    expect(g.step('wipe')).toMatchObject({ state: 'pending', attempts: 0 });
  });

  it('a failed command is retried as a new attempt, and skipped with its reason on the attempt that failed', async () => {
    g = await gatesConsole();
    await g.act(tick());
    await g.act(approveAs('demo-approver'));
    await g.act(approveAs('second-approver'));
    await g.act({ type: 'confirm', step: 'wipe', typed: 'sandbox-restore' });
    await g.act({ type: 'run', step: 'wipe' });
    await g.act({ type: 'run', step: 'flaky' });
    await g.act({ type: 'run', step: 'flaky' });
    expect(g.step('flaky')).toMatchObject({ state: 'failed', attempts: 2 });
    expect(g.now().state.commands.map((c) => [c.id, c.step, c.exitCode])).toEqual([
      ['c1', 'wipe', 0],
      ['c2', 'flaky', 1],
      ['c3', 'flaky', 1],
    ]);
    const before = (await g.payloads()).length;
    await g.act({ type: 'skip', step: 'flaky', reason: 'Known to fail here.' });
    expect(await written(before)).toEqual([
      ['note', { step: 'flaky', text: 'skipped: Known to fail here.' }],
      ['step.end', { step: 'flaky', attempt: 2, state: 'skipped', error: 'Known to fail here.' }],
    ]);
    expect(g.now().next).toMatchObject({ step: 'nowhere' });
  });

  it('a drill that completes notes its time against the RTO, then seals; nothing more is taken', async () => {
    g = await gatesConsole('short');
    await g.act({ type: 'checklist', step: 'tick', checked: ['Ready'] });
    await g.act({ type: 'run', step: 'go' });
    const payloads = await g.payloads();
    expect(payloads.slice(-2).map((p) => [p.type, p.data])).toEqual([
      [
        'note',
        {
          step: null,
          text: expect.stringMatching(/^Drill measured \d+ s against an RTO of 60 min\.$/),
        },
      ],
      ['seal', expect.objectContaining({ reason: 'completed', count: payloads.length - 1 })],
    ]);
    expect(g.now().state).toMatchObject({ sealed: true, outcome: 'completed' });
    await expect(g.act({ type: 'note', step: null, text: 'late' })).rejects.toThrow(
      'This session ended (completed); its log is sealed.',
    );
  });

  it('a rehearsal runs nothing: each command step is noted and skipped, and no measure is noted', async () => {
    g = await gatesConsole('short', 'rehearsal');
    await g.act({ type: 'checklist', step: 'tick', checked: ['Ready'] });
    const before = (await g.payloads()).length;
    await g.act({ type: 'run', step: 'go' });
    const after = await written(before);
    expect(after.slice(0, 3)).toEqual([
      ['step.start', { step: 'go', attempt: 1 }],
      ['note', { step: 'go', text: expect.stringMatching(/^rehearsal: would run echo gone/) }],
      ['step.end', { step: 'go', attempt: 1, state: 'skipped', error: null }],
    ]);
    expect(after.slice(3).map(([type]) => type)).toEqual(['seal']);
    expect(g.now().state.commands).toEqual([]);
  });

  it('a rehearsal skips no more than a live session: a command step that did not fail stays to run', async () => {
    g = await gatesConsole('short', 'rehearsal');
    await g.act({ type: 'checklist', step: 'tick', checked: ['Ready'] });
    const before = (await g.payloads()).length;
    await expect(g.act({ type: 'skip', step: 'go', reason: 'Not this time.' })).rejects.toThrow(
      '"Go" has not failed: only a failed command can be skipped.',
    );
    expect(await written(before)).toEqual([]);
  });

  it('a note is written as given, even while a command runs; nothing else goes in then', async () => {
    g = await gatesConsole('wait');
    await g.act({ type: 'note', step: null, text: 'Starting now.' });
    expect((await g.payloads()).at(-1)).toMatchObject({
      type: 'note',
      data: { step: null, text: 'Starting now.' },
    });
    const session = activeSession((g as GatesConsole).ctx);
    await session?.act({ type: 'run', step: 'wait' });
    expect(g.now().running).toBe(true);
    await session?.act({ type: 'note', step: 'wait', text: 'Still waiting.' });
    expect((await g.payloads()).at(-1)).toMatchObject({
      type: 'note',
      data: { step: 'wait', text: 'Still waiting.' },
    });
    await expect(session?.act({ type: 'run', step: 'wait' })).rejects.toThrow(
      'A command of step wait is running.',
    );
    await expect(session?.act({ type: 'cancel', step: 'tick' })).rejects.toThrow(
      'No command of step tick is running.',
    );
    await session?.act({ type: 'cancel', step: 'wait' });
    expect(g.now().running).toBe(false);
    expect(g.step('wait')).toMatchObject({
      state: 'failed',
      error: 'sleep was cancelled by the operator.',
    });
  });

  it('an abort stops a running command before it notes its reason and seals', async () => {
    g = await gatesConsole('wait');
    const session = activeSession((g as GatesConsole).ctx);
    await session?.act({ type: 'run', step: 'wait' });
    expect(g.now().running).toBe(true);
    const t0 = performance.now();
    await g.act({ type: 'abort', reason: 'Wrong cut.' });
    expect(performance.now() - t0).toBeLessThan(20_000);
    const types = (await g.payloads()).map((p) => p.type);
    expect(types.slice(-3)).toEqual(['step.end', 'note', 'seal']);
    expect(types).toContain('cmd.end');
    expect(g.now().state).toMatchObject({ sealed: true, outcome: 'aborted' });
  });

  it('an abort notes its reason and seals the log as aborted; cancel with nothing running says so', async () => {
    g = await gatesConsole();
    await expect(g.act({ type: 'cancel', step: 'check' })).rejects.toThrow(
      'No command of step check is running.',
    );
    const before = (await g.payloads()).length;
    await g.act({ type: 'abort', reason: 'Wrong cut.' });
    const after = await written(before);
    expect(after[0]).toEqual(['note', { step: null, text: 'Aborted: Wrong cut.' }]);
    expect(after[1]).toEqual(['seal', expect.objectContaining({ reason: 'aborted' })]);
    expect(after).toHaveLength(2);
    await expect(g.act(tick())).rejects.toThrow('This session ended (aborted); its log is sealed.');
  });
});
