// The operator's key signs only inside the window the workspace's keys/trusted.json gives it:
// session.start is refused before any log when it is outside, and so is every signing action of a
// running session once the window closes (the step does not move, nothing is signed).
import { promises as fs } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { demoConsole, type TestConsole } from '../../restore/test-setup';
import { activeSession, sessionHandlers } from './session';
import { openWorkspace } from './workspace';

const RUNBOOK = `title: Two checks
version: 1
steps:
  - id: one
    kind: manual
    title: One
    checklist: [Done]
  - id: two
    kind: manual
    title: Two
    checklist: [Done]
`;

let c: TestConsole;
let keyId: string;
beforeEach(async () => {
  c = await demoConsole();
  await fs.writeFile(join(c.dir, 'runbooks', 'two.yaml'), RUNBOOK);
  await openWorkspace(c.dir, c.ctx);
  keyId = (await sessionHandlers['session.trustOperator']({}, c.ctx)).keyId;
}, 60_000);
afterEach(async () => {
  await activeSession(c.ctx)?.idle();
  await c.cleanup();
});

/** Give the operator's entry in keys/trusted.json another window. */
async function window(validFrom: string, validUntil: string | null): Promise<void> {
  const file = join(c.dir, 'keys', 'trusted.json');
  const trust = JSON.parse(await fs.readFile(file, 'utf8')) as {
    keys: { keyId: string; validFrom: string; validUntil: string | null }[];
  };
  for (const k of trust.keys) if (k.keyId === keyId) Object.assign(k, { validFrom, validUntil });
  await fs.writeFile(file, JSON.stringify(trust, null, 2));
}

const start = () =>
  sessionHandlers['session.start']({ file: 'runbooks/two.yaml', cut: null, mode: 'live' }, c.ctx);

describe("the operator's key window", () => {
  it('refuses to start a session with a key not yet valid, before any log', async () => {
    await window('2099-01-01T00:00:00Z', null);
    const before = await fs.readdir(join(c.dir, 'audit'));
    await expect(start()).rejects.toThrow(
      new RegExp(
        `^Your signing key ${keyId.slice(0, 16)}… \\(.+ in keys/trusted\\.json\\) is valid from 2099-01-01T00:00:00Z until no end, and it is now .+: Dapple will not sign with a key outside its window\\.$`,
      ),
    );
    expect(await fs.readdir(join(c.dir, 'audit'))).toEqual(before);
  }, 60_000);

  it('refuses every signing action once the key has expired, and goes on once it is renewed', async () => {
    const started = await start();
    const act = (step: string) =>
      sessionHandlers['session.act'](
        { id: started.id, action: { type: 'checklist', step, checked: ['Done'] } },
        c.ctx,
      );
    await act('one');
    await window('2020-01-01T00:00:00Z', '2021-01-01T00:00:00Z');
    await expect(act('two')).rejects.toMatchObject({ code: 'OPERATOR_KEY_WINDOW' });
    await expect(
      sessionHandlers['session.act'](
        { id: started.id, action: { type: 'note', step: null, text: 'late' } },
        c.ctx,
      ),
    ).rejects.toThrow(/until 2021-01-01T00:00:00Z/);
    const view = activeSession(c.ctx)?.view();
    expect(view?.state.steps.map((s) => s.state)).toEqual(['done', 'pending']);
    expect(view?.state.notes.some((n) => n.text === 'late')).toBe(false);
    await window('2020-01-01T00:00:00Z', null);
    await expect(act('two')).resolves.toMatchObject({ state: { outcome: 'completed' } });
  }, 60_000);
});
