// session.start binds only points the workspace's catalog holds: a cut sent by a client with a
// made-up point id (one that looks like an option, too), a service outside the group or a time
// the point does not have is refused with a sentence before any log exists.
import { promises as fs } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Cut } from '../../../preload/schemas/groups';
import { demoConsole, shopCut, type TestConsole } from '../../restore/test-setup';
import { activeSession, sessionHandlers } from './session';

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

const start = (given: Cut) =>
  sessionHandlers['session.start'](
    { file: 'runbooks/shop-restore.yaml', cut: given, mode: 'rehearsal' },
    c.ctx,
  );

/** The cut with its first discrete member changed. */
function edited(change: Partial<Cut['members'][number]>): Cut {
  const index = cut.members.findIndex((m) => m.pointId !== null);
  return { ...cut, members: cut.members.map((m, i) => (i === index ? { ...m, ...change } : m)) };
}

describe('session.start and points from the catalog', () => {
  it('refuses a made-up point id before anything is written', async () => {
    const member = edited({}).members.find((m) => m.pointId !== null);
    const before = await fs.readdir(join(c.dir, 'audit'));
    await expect(start(edited({ pointId: '--foo' }))).rejects.toThrow(
      `The cut names point "--foo" of "${member?.service}" from source "${member?.source}", which is not in the catalog of shop: a session binds only points the catalog holds.`,
    );
    expect(await fs.readdir(join(c.dir, 'audit'))).toEqual(before);
    expect(activeSession(c.ctx)).toBeNull();
  }, 60_000);

  it('refuses a real id under another service, another time or another group', async () => {
    const other = cut.members.find((m) => m.pointId !== null && m !== cut.members[0]);
    await expect(start(edited({ pointId: other?.pointId ?? null }))).rejects.toThrow(
      /is not in the catalog of shop/,
    );
    await expect(start(edited({ time: '2001-01-01T00:00:00.000Z' }))).rejects.toThrow(
      /restores .* to "2001-01-01T00:00:00.000Z", but point/,
    );
    await expect(start({ ...cut, group: 'nope' })).rejects.toThrow(
      'The cut is for group "nope", which this workspace does not have.',
    );
    // The cut as the catalog gave it still starts.
    await expect(start(cut)).resolves.toMatchObject({ state: { mode: 'rehearsal' } });
  }, 60_000);
});
