// The session.* handlers on a copy of the demo workspace: the operator's key and its trust entry,
// session.changed events (throttled while output streams), cancel and timeouts of real commands.
import { promises as fs } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { LiveSession } from '../../../preload/schemas/session';
import { LiveSession as LiveSessionSchema } from '../../../preload/schemas/session';
import { loadTrust } from '../../audit/trust';
import { verifyLogDetailed } from '../../audit/verify';
import { demoConsole, type TestConsole } from '../../restore/test-setup';
import { activeSession, sessionHandlers } from './session';
import { openWorkspace } from './workspace';

const COMMANDS = `title: Commands for tests
version: 1
rto: 5m
steps:
  - id: print
    kind: local
    title: Print a lot
    run: [seq, '1', '200000']
  - id: slow
    kind: local
    title: Wait
    run: [sleep, '30']
    timeout: 2s
`;

let c: TestConsole;
beforeEach(async () => {
  c = await demoConsole();
  await fs.writeFile(join(c.dir, 'runbooks', 'commands.yaml'), COMMANDS);
  await openWorkspace(c.dir, c.ctx);
}, 60_000);
afterEach(async () => {
  await activeSession(c.ctx)?.idle();
  await c.cleanup();
});

const changes = (): LiveSession[] =>
  c.events.filter((e) => e.name === 'session.changed').map((e) => e.payload as LiveSession);

describe('session.operator and session.trustOperator', () => {
  it('says there is no key without asking anything, makes it when asked, then adds it to keys/trusted.json', async () => {
    expect(await sessionHandlers['session.operator']({}, c.ctx)).toBeNull();
    const made = await sessionHandlers['session.operator']({ create: true }, c.ctx);
    expect(made).toMatchObject({ created: true, trusted: false });
    // Looking again reads the public half only: the same key, no passphrase involved.
    const first = await sessionHandlers['session.operator']({}, c.ctx);
    if (!first) throw new Error('the key made just now is not found');
    expect(first.keyId).toBe(made?.keyId);
    expect(first.store).toContain(join(c.data, 'keys', 'operator.key'));
    const trusted = await sessionHandlers['session.trustOperator']({}, c.ctx);
    expect(trusted).toMatchObject({ keyId: first.keyId, trusted: true });
    expect((await loadTrust(join(c.dir, 'keys', 'trusted.json'))).has(first.keyId)).toBe(true);
    // The demo keys are still there.
    expect((await loadTrust(join(c.dir, 'keys', 'trusted.json'))).size).toBe(3);
  });
});

describe('session.start, active and act', () => {
  it('streams output into the log with throttled session.changed events, and keeps the session for a reload', async () => {
    await sessionHandlers['session.trustOperator']({}, c.ctx);
    const started = await sessionHandlers['session.start'](
      { file: 'runbooks/commands.yaml', cut: null, mode: 'live' },
      c.ctx,
    );
    const act = await sessionHandlers['session.act'](
      { id: started.id, action: { type: 'run', step: 'print' } },
      c.ctx,
    );
    expect(act.running).toBe(true);
    await activeSession(c.ctx)?.idle();
    // A reloaded page asks again and gets the same session.
    const active = await sessionHandlers['session.active']({}, c.ctx);
    expect(active?.id).toBe(started.id);
    const cmd = active?.state.commands[0];
    expect(cmd?.exitCode).toBe(0);
    const bytes = cmd?.output.reduce((n, o) => n + o.bytes, 0);
    expect(bytes).toBe(1_288_895);
    // Output is gathered into chunks that stay readable text (8 KiB), not a record per read.
    expect(cmd?.output.length).toBeLessThan(200);
    expect(cmd?.output.every((o) => !o.blob && o.text !== null)).toBe(true);
    expect(cmd?.output.at(-1)?.text).toMatch(/199999\n200000\n$/);
    // Every event is a valid LiveSession; output alone does not flood the renderer.
    const events = changes();
    for (const e of events) LiveSessionSchema.parse(e);
    expect(events.length).toBeLessThan(cmd?.output.length ?? 0);
    expect(events.at(-1)?.state.steps[0]?.state).toBe('done');
    const { report } = await verifyLogDetailed(started.logPath, {
      trusted: await loadTrust(join(c.dir, 'keys', 'trusted.json')),
    });
    expect(report.verdict).toBe('UNSEALED');
    expect(report.firstError).toBeNull();
  }, 60_000);

  it('cancels a running command (the step fails), then stops a retry at the step timeout', async () => {
    const started = await sessionHandlers['session.start'](
      { file: 'runbooks/commands.yaml', cut: null, mode: 'live' },
      c.ctx,
    );
    expect(started.operatorTrusted).toBe(false);
    const session = activeSession(c.ctx);
    const id = started.id;
    await expect(
      sessionHandlers['session.act'](
        { id, action: { type: 'skip', step: 'print', reason: 'Not needed here.' } },
        c.ctx,
      ),
    ).rejects.toThrow(/only a failed command can be skipped/);
    await sessionHandlers['session.act']({ id, action: { type: 'run', step: 'print' } }, c.ctx);
    await session?.idle();
    await sessionHandlers['session.act']({ id, action: { type: 'run', step: 'slow' } }, c.ctx);
    await expect(
      sessionHandlers['session.act'](
        { id, action: { type: 'note', step: 'slow', text: 'Waiting.' } },
        c.ctx,
      ),
    ).resolves.toMatchObject({ running: true });
    await expect(
      sessionHandlers['session.act']({ id, action: { type: 'run', step: 'slow' } }, c.ctx),
    ).rejects.toThrow(/is running/);
    const cancelled = await sessionHandlers['session.act'](
      { id, action: { type: 'cancel', step: 'slow' } },
      c.ctx,
    );
    expect(cancelled.running).toBe(false);
    expect(cancelled.state.steps[1]).toMatchObject({
      state: 'failed',
      error: 'sleep was cancelled by the operator.',
    });
    expect(cancelled.next).toMatchObject({ step: 'slow', need: 'retry' });
    const t0 = performance.now();
    await sessionHandlers['session.act']({ id, action: { type: 'run', step: 'slow' } }, c.ctx);
    await session?.idle();
    expect(performance.now() - t0).toBeLessThan(10_000);
    const now = session?.view();
    expect(now?.state.steps[1]).toMatchObject({ state: 'failed', attempts: 2 });
    expect(now?.state.steps[1]?.error).toMatch(/did not finish within 2 s/);
    const skipped = await sessionHandlers['session.act'](
      { id, action: { type: 'skip', step: 'slow', reason: 'The wait is not needed.' } },
      c.ctx,
    );
    expect(skipped.state).toMatchObject({ sealed: true, outcome: 'completed' });
    // Skipping ends the failed attempt: two runs read as two attempts, not three.
    expect(skipped.state.steps[1]).toMatchObject({ state: 'skipped', attempts: 2 });
    await expect(
      sessionHandlers['session.act']({ id: 'nope', action: { type: 'abort', reason: 'x' } }, c.ctx),
    ).rejects.toThrow(/not open in this console/);
  }, 60_000);
});
