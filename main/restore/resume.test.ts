// A session survives Dapple stopping: a new console on the same workspace and key continues the
// newest unsealed log, records the command that was cut off as interrupted, and the log it
// finishes verifies VALID. A log another process holds is not resumed twice.
import { promises as fs } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createContext } from '../api/context';
import { activeSession, sessionHandlers } from '../api/handlers/session';
import { openWorkspace } from '../api/handlers/workspace';
import { fileKeyStore } from '../audit/key-store';
import { loadTrust } from '../audit/trust';
import { verifyLogDetailed } from '../audit/verify';
import { acquireLogLock, releaseLogLock } from './log-lock';
import { demoConsole, OPERATOR_PASSPHRASE, type TestConsole } from './test-setup';

const COMMANDS = `title: Commands for tests
version: 1
steps:
  - id: note
    kind: manual
    title: Say what happens
    checklist: [Told the team]
  - id: slow
    kind: local
    title: Wait
    run: [sleep, '30']
`;

let c: TestConsole;
beforeEach(async () => {
  c = await demoConsole();
  await fs.writeFile(join(c.dir, 'runbooks', 'commands.yaml'), COMMANDS);
  await openWorkspace(c.dir, c.ctx);
  await sessionHandlers['session.trustOperator']({}, c.ctx);
}, 60_000);
afterEach(async () => {
  await activeSession(c.ctx)?.idle();
  await c.cleanup();
});

describe('resuming a session', () => {
  it('continues the newest unsealed log in a new console, with the cut-off command marked interrupted', async () => {
    const first = await sessionHandlers['session.start'](
      { file: 'runbooks/commands.yaml', cut: null, mode: 'live' },
      c.ctx,
    );
    const id = first.id;
    await sessionHandlers['session.act'](
      { id, action: { type: 'checklist', step: 'note', checked: ['Told the team'] } },
      c.ctx,
    );
    await sessionHandlers['session.act']({ id, action: { type: 'run', step: 'slow' } }, c.ctx);
    // The log as a crash would leave it: the command started, nothing after.
    const crashed = join(c.dir, 'audit', 'live-crashed.jsonl');
    await fs.copyFile(first.logPath, crashed);
    await sessionHandlers['session.act']({ id, action: { type: 'abort', reason: 'Test.' } }, c.ctx);

    const restarted = createContext({
      version: 'test',
      transport: 'browser',
      dataDir: c.data,
      emit: () => undefined,
      operatorKeys: async () =>
        fileKeyStore(join(c.data, 'keys', 'operator.key'), OPERATOR_PASSPHRASE),
    });
    await openWorkspace(c.dir, restarted);
    const resumed = await sessionHandlers['session.active']({}, restarted);
    expect(resumed?.logPath).toBe(crashed);
    expect(resumed?.state.steps.map((s) => s.state)).toEqual(['done', 'failed']);
    expect(resumed?.state.steps[1]?.error).toMatch(/^Interrupted: Dapple stopped/);
    expect(resumed?.state.commands[0]).toMatchObject({ exitCode: null });
    expect(resumed?.state.commands[0]?.endedAt).not.toBeNull();
    expect(resumed?.next).toMatchObject({ step: 'slow', need: 'retry' });
    expect(resumed?.state.notes.at(-1)?.text).toMatch(/^Resumed by /);
    // A second Dapple cannot append to the same log while this one holds it.
    await expect(acquireLogLock(crashed)).rejects.toThrow(/open in another Dapple/);

    const done = await sessionHandlers['session.act'](
      {
        id: resumed?.id ?? '',
        action: { type: 'skip', step: 'slow', reason: 'Resumed in the test.' },
      },
      restarted,
    );
    expect(done.state).toMatchObject({ sealed: true, outcome: 'completed' });
    const { report } = await verifyLogDetailed(crashed, {
      trusted: await loadTrust(join(c.dir, 'keys', 'trusted.json')),
    });
    expect(report.verdict).toBe('VALID');
    // The seal gave the lock back.
    await acquireLogLock(crashed);
    await releaseLogLock(crashed);
  }, 60_000);
});
