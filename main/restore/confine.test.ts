// Confinement through the API: a drill whose sandbox folder becomes a link into production after
// the session started is stopped when its command step is about to write, with a sentence, and no
// command starts; a sandbox that reaches production at start is refused before a log exists.
import { promises as fs } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Cut } from '../../preload/schemas/groups';
import type { SessionAction } from '../../preload/schemas/session';
import { activeSession, sessionHandlers } from '../api/handlers/session';
import { openWorkspace } from '../api/handlers/workspace';
import { DEMO_KEY_PASSPHRASE } from '../audit/demo-log';
import { demoConsole, shopCut, type TestConsole } from './test-setup';

let c: TestConsole;
let cut: Cut;
beforeEach(async () => {
  c = await demoConsole();
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

const start = () =>
  sessionHandlers['session.start'](
    { file: 'runbooks/shop-restore.yaml', cut, mode: 'drill' },
    c.ctx,
  );

describe('a drill is confined by where its bytes land', () => {
  it('stops a command step whose sandbox became a link into production after the start', async () => {
    await start();
    const checked = (step: string, items: string[]) =>
      act({ type: 'checklist', step, checked: items });
    await checked('announce', [
      'Posted in #incident with the cut time and the target',
      'Checkout is paused (or this is a drill on the sandbox)',
    ]);
    await act({
      type: 'approve',
      step: 'approve',
      passphrase: DEMO_KEY_PASSPHRASE,
      decision: 'approved',
      statement: 'ok',
    });
    await act({ type: 'confirm', step: 'confirm-target', typed: 'sandbox-restore' });
    await checked('confirm-target', ['The target is the one named in the incident channel']);
    // Someone swaps the sandbox for a link to the production folder.
    await fs.rm(join(c.dir, 'sandbox'), { recursive: true, force: true });
    await fs.symlink('/srv/shop/data', join(c.dir, 'sandbox'));
    await expect(act({ type: 'run', step: 'restore-orders' })).rejects.toThrow(
      `"Restore orders-db, full set first, then each incremental" was stopped before writing: a drill cannot write to /srv/shop/data: it is the same place as the production target shop-production (/srv/shop/data).`,
    );
    const now = activeSession(c.ctx)?.view();
    expect(now?.state.commands).toEqual([]);
    expect(now?.state.steps.find((s) => s.id === 'restore-orders')?.state ?? 'pending').toBe(
      'pending',
    );
  }, 60_000);

  it('refuses to start a drill on a sandbox that reaches production, before any log', async () => {
    await fs.rm(join(c.dir, 'sandbox'), { recursive: true, force: true });
    await fs.symlink('/srv/shop/data/../data', join(c.dir, 'sandbox'));
    await openWorkspace(c.dir, c.ctx);
    const before = await fs.readdir(join(c.dir, 'audit'));
    await expect(start()).rejects.toThrow(
      'A drill can never run against a production target, and this plan writes to sandbox-restore.',
    );
    expect(await fs.readdir(join(c.dir, 'audit'))).toEqual(before);
  }, 60_000);
});
