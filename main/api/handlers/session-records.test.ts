// What a session writes for each thing done through session.act: the log is the session (its state
// is the fold of these records), so each action's records are pinned here, in order.
import { afterEach, describe, expect, it } from 'vitest';
import { approveAs, gatesConsole, tick, type GatesConsole } from '../../restore/test-setup-gates';

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
    await g.act(approveAs('second-approver'));
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
