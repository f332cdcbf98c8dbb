// Every gate of a session, tried the way a hostile client would: straight through session.act,
// no console in between. Each refusal is a sentence, and a refused action leaves no step done.
import { promises as fs } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Cut } from '../../../preload/schemas/groups';
import type { SessionAction } from '../../../preload/schemas/session';
import { DEMO_KEY_PASSPHRASE } from '../../audit/demo-log';
import { demoConsole, shopCut, type TestConsole } from '../../restore/test-setup';
import { activeSession, sessionHandlers } from './session';
import { openWorkspace } from './workspace';

const FAILING = `title: A failing command
version: 1
steps:
  - id: fail
    kind: local
    title: Fail
    run: ['false']
  - id: after
    kind: manual
    title: After
    checklist: [Looked]
`;

let c: TestConsole;
let cut: Cut;
beforeEach(async () => {
  c = await demoConsole();
  await fs.writeFile(join(c.dir, 'runbooks', 'failing.yaml'), FAILING);
  await openWorkspace(c.dir, c.ctx);
  cut = await shopCut(c.ctx);
  await sessionHandlers['session.trustOperator']({}, c.ctx);
}, 60_000);
afterEach(async () => {
  await activeSession(c.ctx)?.idle();
  await c.cleanup();
});

async function act(action: SessionAction) {
  const session = activeSession(c.ctx);
  if (!session) throw new Error('no session');
  const view = await sessionHandlers['session.act']({ id: session.id, action }, c.ctx);
  await session.idle();
  return view;
}

/** The refusal's code and sentence, and proof that no step moved. */
async function refused(action: SessionAction): Promise<{ code: string; message: string }> {
  const before = activeSession(c.ctx)
    ?.view()
    .state.steps.map((s) => s.state);
  const error = await act(action).then(
    () => null,
    (e: unknown) => e as { code: string; message: string },
  );
  if (!error)
    throw new Error(`${action.type} on ${'step' in action ? action.step : ''} went through`);
  const after = activeSession(c.ctx)
    ?.view()
    .state.steps.map((s) => s.state);
  expect(after).toEqual(before);
  return { code: error.code, message: error.message };
}

const ANNOUNCE = [
  'Posted in #incident with the cut time and the target',
  'Checkout is paused (or this is a drill on the sandbox)',
];
const TARGET_ITEM = 'The target is the one named in the incident channel';

describe('the gates hold through session.act', () => {
  it('keep order, checklists, approvals and typed confirmations, and never skip a manual step', async () => {
    await sessionHandlers['session.start'](
      { file: 'runbooks/shop-restore.yaml', cut, mode: 'drill' },
      c.ctx,
    );
    expect(await refused({ type: 'run', step: 'restore-orders' })).toMatchObject({
      code: 'STEP_ORDER',
      message:
        '"Restore orders-db, full set first, then each incremental" is not the next step: "Announce the restore" comes first.',
    });
    expect(
      await refused({ type: 'checklist', step: 'announce', checked: [ANNOUNCE[0] as string] }),
    ).toMatchObject({ code: 'CHECKLIST_INCOMPLETE' });
    expect(await refused({ type: 'skip', step: 'announce', reason: 'In a hurry.' })).toEqual({
      code: 'SKIP_REFUSED',
      message: '"Announce the restore" is a checklist: it cannot be skipped.',
    });
    expect((await refused({ type: 'run', step: 'announce' })).code).toBe('NOTHING_TO_RUN');
    expect((await refused({ type: 'confirm', step: 'announce', typed: 'x' })).code).toBe(
      'NOT_DESTRUCTIVE',
    );
    await act({ type: 'checklist', step: 'announce', checked: ANNOUNCE });

    expect((await refused({ type: 'skip', step: 'approve', reason: 'Nobody awake.' })).code).toBe(
      'SKIP_REFUSED',
    );
    expect((await refused({ type: 'checklist', step: 'approve', checked: [] })).code).toBe(
      'NOT_MANUAL',
    );
    await act({
      type: 'approve',
      step: 'approve',
      passphrase: DEMO_KEY_PASSPHRASE,
      decision: 'approved',
      statement: 'Checked.',
    });

    expect(
      (await refused({ type: 'checklist', step: 'confirm-target', checked: [TARGET_ITEM] })).code,
    ).toBe('CONFIRM_NEEDED');
    expect((await refused({ type: 'skip', step: 'confirm-target', reason: 'Sure.' })).code).toBe(
      'SKIP_REFUSED',
    );
    // A wrong name is refused and recorded (the step opens): the reviewer sees what was typed.
    await expect(
      act({ type: 'confirm', step: 'confirm-target', typed: 'sandbox-restor' }),
    ).rejects.toMatchObject({ code: 'CONFIRM_MISMATCH' });
    // The name typed right still does not let a client skip the destructive step's checklist.
    await act({ type: 'confirm', step: 'confirm-target', typed: 'sandbox-restore' });
    expect(await refused({ type: 'skip', step: 'confirm-target', reason: 'Typed it.' })).toEqual({
      code: 'SKIP_REFUSED',
      message:
        '"Confirm the target will be overwritten" is a checklist on a destructive step: it cannot be skipped.',
    });
    expect((await refused({ type: 'checklist', step: 'confirm-target', checked: [] })).code).toBe(
      'CHECKLIST_INCOMPLETE',
    );
    await act({ type: 'checklist', step: 'confirm-target', checked: [TARGET_ITEM] });
    expect((await refused({ type: 'skip', step: 'restore-orders', reason: 'Later.' })).code).toBe(
      'SKIP_REFUSED',
    );
    const view = await act({ type: 'abort', reason: 'Enough.' });
    expect(view.state.outcome).toBe('aborted');
    expect((await refused({ type: 'note', step: null, text: 'late' })).code).toBe('SESSION_SEALED');
  }, 90_000);

  it('skips a failed command only with a reason in words', async () => {
    await sessionHandlers['session.start'](
      { file: 'runbooks/failing.yaml', cut: null, mode: 'live' },
      c.ctx,
    );
    expect((await refused({ type: 'skip', step: 'fail', reason: 'Not now.' })).code).toBe(
      'SKIP_REFUSED',
    );
    await act({ type: 'run', step: 'fail' });
    expect(await refused({ type: 'skip', step: 'fail', reason: ' \n\t' })).toEqual({
      code: 'SKIP_REASON',
      message: 'Skipping "Fail" needs a reason in words.',
    });
    const view = await act({ type: 'skip', step: 'fail', reason: 'Done by hand.' });
    expect(view.state.steps[0]).toMatchObject({ state: 'skipped', error: 'Done by hand.' });
    expect((await refused({ type: 'skip', step: 'after', reason: 'x' })).code).toBe('SKIP_REFUSED');
  }, 60_000);
});
