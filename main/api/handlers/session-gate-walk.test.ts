// The gates of a session as any client meets them through session.act (the console, the CLI, a
// hostile page holding the token): each refusal is a sentence, nothing is written that the gate
// refused, and the step stays where it was. The gates runbook (test-setup-gates.ts), run as a
// drill into the sandbox.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { SessionAction } from '../../../preload/schemas/session';
import { approveAs, gatesConsole, tick, type GatesConsole } from '../../restore/test-setup-gates';

let g: GatesConsole;
beforeEach(async () => {
  g = await gatesConsole();
}, 60_000);
afterEach(async () => g.done());

const act = (action: SessionAction) => g.act(action);
const now = () => g.now();
const step = (id: string) => g.step(id);
/** How many records the log holds: a refused action must not add any. */
const records = async () => (await g.payloads()).length;

describe('a manual step', () => {
  it('is not done while an item is unticked, whatever else is ticked', async () => {
    const before = await records();
    await expect(act(tick(['First thing']))).rejects.toThrow(
      '"Check two things" is not done: "Second thing" is not ticked.',
    );
    await expect(act(tick(['First thing', 'Something else']))).rejects.toThrow(
      /"Second thing" is not ticked/,
    );
    await expect(act(tick([]))).rejects.toThrow(
      '"Check two things" is not done: "First thing", "Second thing" are not ticked.',
    );
    expect(step('check')).toMatchObject({ state: 'pending', attempts: 0 });
    expect(await records()).toBe(before);
    expect((await act(tick())).state.steps[0]?.state).toBe('done');
  });

  it('that is destructive and names no chosen target cannot be confirmed or done', async () => {
    await act(tick());
    await act(approveAs('demo-approver'));
    await act(approveAs('second-approver'));
    await act({ type: 'confirm', step: 'wipe', typed: 'sandbox-restore' });
    await act({ type: 'run', step: 'wipe' });
    expect(step('wipe')?.state).toBe('done');
    await act({ type: 'run', step: 'flaky' });
    await act({ type: 'skip', step: 'flaky', reason: 'Known to fail here.' });
    await expect(act({ type: 'confirm', step: 'nowhere', typed: '' })).rejects.toThrow(
      '"Overwrite a target nobody chose" names no target to confirm.',
    );
    await expect(act({ type: 'checklist', step: 'nowhere', checked: ['Sure'] })).rejects.toThrow(
      /"Overwrite a target nobody chose" overwrites its target: type its name to confirm first\./,
    );
    expect(step('nowhere')?.state).toBe('pending');
  });
});

describe('an approval step', () => {
  it('is not completed by a checklist, a run or a skip', async () => {
    await act(tick());
    const before = await records();
    await expect(act({ type: 'checklist', step: 'ok', checked: [] })).rejects.toThrow(
      '"Two approvals" is an approval step, not a checklist.',
    );
    await expect(act({ type: 'run', step: 'ok' })).rejects.toThrow(
      '"Two approvals" is an approval step: it has no command.',
    );
    await expect(act({ type: 'skip', step: 'ok', reason: 'No time.' })).rejects.toThrow(
      '"Two approvals" is an approval: it cannot be skipped.',
    );
    expect(step('ok')).toMatchObject({ state: 'pending' });
    expect(await records()).toBe(before);
    await expect(act({ type: 'run', step: 'wipe' })).rejects.toThrow(
      '"Wipe the target" is not the next step: "Two approvals" comes first.',
    );
  });

  it('with approvals: 2 completes after two approvers, not one, and one cannot sign twice', async () => {
    await act(tick());
    await act(approveAs('demo-approver'));
    expect(step('ok')?.state).toBe('running');
    expect(now().next).toMatchObject({ step: 'ok' });
    await expect(act({ type: 'run', step: 'wipe' })).rejects.toThrow(/is not the next step/);
    await expect(act(approveAs('demo-approver'))).rejects.toThrow(
      'demo-approver already approved "Two approvals".',
    );
    expect(step('ok')?.state).toBe('running');
    const approvals = () =>
      now().state.approvals.filter((a) => a.step === 'ok' && a.decision === 'approved');
    expect(approvals()).toHaveLength(1);
    await act(approveAs('second-approver'));
    expect(step('ok')?.state).toBe('done');
    expect(approvals().map((a) => a.approver)).toEqual(['demo-approver', 'second-approver']);
  });

  it('rejected by an approver ends the step as failed with their statement; nothing after it runs', async () => {
    await act(tick());
    await act(approveAs('demo-approver', 'rejected'));
    expect(step('ok')).toMatchObject({
      state: 'failed',
      error: 'Rejected by demo-approver: rejected by demo-approver',
    });
    await expect(act({ type: 'run', step: 'wipe' })).rejects.toThrow(/is not the next step/);
    await expect(act({ type: 'skip', step: 'ok', reason: 'Overrule.' })).rejects.toThrow(
      /cannot be skipped/,
    );
    expect(now().state.commands).toEqual([]);
  });
});

describe('a destructive command step', () => {
  async function toWipe() {
    await act(tick());
    await act(approveAs('demo-approver'));
    await act(approveAs('second-approver'));
  }

  it('does not run before its target’s name is typed, nor after a wrong one', async () => {
    await toWipe();
    await expect(act({ type: 'run', step: 'wipe' })).rejects.toThrow(
      '"Wipe the target" overwrites sandbox-restore: type its name to confirm first.',
    );
    await expect(act({ type: 'confirm', step: 'wipe', typed: 'sandbox' })).rejects.toThrow(
      'You typed "sandbox", but the target is sandbox-restore: nothing was overwritten.',
    );
    await expect(act({ type: 'run', step: 'wipe' })).rejects.toThrow(/type its name to confirm/);
    expect(now().state.commands).toEqual([]);
    await act({ type: 'confirm', step: 'wipe', typed: 'sandbox-restore' });
    await act({ type: 'run', step: 'wipe' });
    expect(step('wipe')?.state).toBe('done');
    expect(now().state.commands).toHaveLength(1);
  });

  it('takes no approval', async () => {
    await toWipe();
    await expect(
      act({
        ...(approveAs('demo-approver') as Extract<SessionAction, { type: 'approve' }>),
        step: 'wipe',
      }),
    ).rejects.toThrow('"Wipe the target" is not an approval step.');
    expect(now().state.approvals.filter((a) => a.step === 'wipe')).toEqual([]);
  });
});
