// Restore sessions on a real copy of the demo workspace: real cp and sha256sum, real key files,
// the real writer, and the verifier's verdict on the log each session leaves.
import { promises as fs } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Cut } from '../../preload/schemas/groups';
import type { SessionAction } from '../../preload/schemas/session';
import { activeSession, sessionHandlers } from '../api/handlers/session';
import { DEMO_KEY_PASSPHRASE } from '../audit/demo-log';
import { replaySession } from '../audit/reducer';
import { loadTrust } from '../audit/trust';
import { verifyLogDetailed } from '../audit/verify';
import { demoConsole, OPERATOR_PASSPHRASE, shopCut, type TestConsole } from './test-setup';

const RUNBOOK = 'runbooks/shop-restore.yaml';
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

const start = (mode: 'drill' | 'rehearsal' | 'live', file = RUNBOOK) =>
  sessionHandlers['session.start']({ file, cut, mode }, c.ctx);

async function act(action: SessionAction) {
  const session = activeSession(c.ctx);
  if (!session) throw new Error('no session');
  const view = await sessionHandlers['session.act']({ id: session.id, action }, c.ctx);
  await session.idle();
  return { view, now: session.view() };
}

const announce = (): SessionAction => ({
  type: 'checklist',
  step: 'announce',
  checked: [
    'Posted in #incident with the cut time and the target',
    'Checkout is paused (or this is a drill on the sandbox)',
  ],
});
const approve = (): SessionAction => ({
  type: 'approve',
  step: 'approve',
  passphrase: DEMO_KEY_PASSPHRASE,
  decision: 'approved',
  statement: 'Cut and sandbox target checked: approved for the drill.',
});
const confirmTarget = (typed = 'sandbox-restore'): SessionAction => ({
  type: 'confirm',
  step: 'confirm-target',
  typed,
});
const tickTarget = (): SessionAction => ({
  type: 'checklist',
  step: 'confirm-target',
  checked: ['The target is the one named in the incident channel'],
});
const closeRestore = (): SessionAction => ({
  type: 'checklist',
  step: 'done',
  checked: [
    'Measured time noted in the incident channel',
    'Checkout resumed (or the sandbox cleaned up)',
  ],
});

async function verify(logPath: string) {
  const trusted = await loadTrust(join(c.dir, 'keys', 'trusted.json'));
  return verifyLogDetailed(logPath, { trusted });
}

/** The three manifest-restore steps of the demo runbook, in order. */
const RESTORES = ['restore-orders', 'restore-uploads', 'restore-search'];

/** Walk the gates up to the first command step. */
async function throughGates(): Promise<void> {
  await act(announce());
  await act(approve());
  await act(confirmTarget());
  await act(tickTarget());
}

describe('a drill of the demo runbook', () => {
  it('runs every step into the sandbox and leaves a sealed log that verifies VALID', async () => {
    const started = await start('drill');
    expect(started.next).toMatchObject({ step: 'announce', need: 'checklist' });
    expect(started.operatorTrusted).toBe(true);
    expect(started.logPath).toMatch(/audit[/\\]drill-\d{4}-\d{2}-\d{2}-[0-9a-f]{8}\.jsonl$/);
    await throughGates();
    let now = activeSession(c.ctx)?.view() as typeof started;
    for (const step of RESTORES) {
      now = (await act({ type: 'run', step })).now;
      expect(now.state.steps.find((s) => s.id === step)?.state).toBe('done');
    }
    // orders-db is an incremental: its whole chain, oldest first, lands in the sandbox.
    const orders = now.plan.params.find((p) => p.name === 'orders');
    expect(orders?.chain?.sets).toBeGreaterThan(1);
    const progress = now.state.steps.find((s) => s.id === 'restore-orders')?.progress;
    expect(progress).toMatchObject({ unit: 'files', etaSeconds: 0 });
    expect(progress?.done).toBe(progress?.total);
    const ordersCmd = now.state.commands.find((x) => x.step === 'restore-orders');
    expect(ordersCmd?.argv.slice(0, 2)).toEqual(['manifest-restore', '--into']);
    expect(ordersCmd?.output[0]?.text).toMatch(/^restoring \d+ sets in order: \S+-full \(full\)/);
    now = (await act({ type: 'run', step: 'verify' })).now;
    const verifyCmd = now.state.commands.find((x) => x.step === 'verify');
    expect(verifyCmd?.exitCode).toBe(0);
    expect(verifyCmd?.output.map((o) => o.text ?? '').join('')).toContain(': OK');
    now = (await act(closeRestore())).now;
    expect(now.state.sealed).toBe(true);
    expect(now.state.outcome).toBe('completed');
    expect(now.next).toBeNull();
    expect(now.state.notes.at(-1)?.text).toMatch(
      /^Drill measured \d+ s against an RTO of 60 min\.$/,
    );
    // The sandbox holds the restored sets: the orders-db chain and one set each of the others.
    expect((await fs.readdir(join(c.dir, 'sandbox'))).length).toBe((orders?.chain?.sets ?? 0) + 2);

    const { report, records } = await verify(now.logPath);
    expect(report.verdict).toBe('VALID');
    expect(report.sealed).toBe(true);
    // The session's state is the fold of its log: replaying the file gives the same state.
    expect(replaySession(records)).toEqual(now.state);
    const approval = now.state.approvals[0];
    expect(approval).toMatchObject({ approver: 'demo-approver', selfApproved: false });
  }, 60_000);

  it('never shows a step as interrupted while its command is being started', async () => {
    await start('drill');
    await throughGates();
    const session = activeSession(c.ctx);
    const needs: string[] = [];
    session?.onChange(() => needs.push(session.view().next?.need ?? 'none'));
    await act({ type: 'run', step: 'restore-orders' });
    expect(session?.view().state.steps.find((s) => s.id === 'restore-orders')?.state).toBe('done');
    expect(needs).toContain('run');
    expect(needs).not.toContain('retry');
  }, 60_000);

  it('is refused before anything is written when the plan uses a production target', async () => {
    const text = await fs.readFile(join(c.dir, RUNBOOK), 'utf8');
    await fs.writeFile(
      join(c.dir, 'runbooks', 'prod.yaml'),
      text.replace('default: sandbox-restore', 'default: shop-production'),
    );
    await sessionHandlers['session.operator']({}, c.ctx);
    const { openWorkspace } = await import('../api/handlers/workspace');
    await openWorkspace(c.dir, c.ctx);
    const before = await fs.readdir(join(c.dir, 'audit'));
    await expect(start('drill', 'runbooks/prod.yaml')).rejects.toThrow(
      /production target.*shop-production/,
    );
    expect(await fs.readdir(join(c.dir, 'audit'))).toEqual(before);
    expect(activeSession(c.ctx)).toBeNull();
  }, 60_000);

  it('refuses a destructive step without the typed target name, and records a wrong one', async () => {
    await start('drill');
    await act(announce());
    await act(approve());
    await expect(act(tickTarget())).rejects.toThrow(/type its name to confirm/);
    await expect(act(confirmTarget('shop-production'))).rejects.toThrow(
      /typed "shop-production", but the target is sandbox-restore/,
    );
    let now = activeSession(c.ctx)?.view();
    expect(now?.next).toMatchObject({ step: 'confirm-target', need: 'confirm' });
    expect(now?.state.confirmations).toMatchObject([{ typed: 'shop-production', matched: false }]);
    await act(confirmTarget());
    now = (await act(tickTarget())).now;
    expect(now.next).toMatchObject({ step: 'restore-orders', need: 'run' });
  }, 60_000);

  it('refuses an approval signed with the operator’s own key, and steps out of order', async () => {
    await start('drill');
    await expect(act({ type: 'run', step: 'restore-orders' })).rejects.toThrow(/not the next step/);
    await act(announce());
    await expect(
      act({
        ...approve(),
        keyFile: join(c.data, 'keys', 'operator.key'),
        passphrase: OPERATOR_PASSPHRASE,
      } as SessionAction),
    ).rejects.toThrow(/operator's own key/);
    await expect(act({ ...approve(), passphrase: 'wrong' } as SessionAction)).rejects.toMatchObject(
      {
        message: expect.stringMatching(/passphrase does not open the approver's key file/),
        hint: expect.stringMatching(/DAPPLE_APPROVER_PASSPHRASE/),
      },
    );
    const now = activeSession(c.ctx)?.view();
    expect(now?.state.approvals).toEqual([]);
    expect(now?.next).toMatchObject({ step: 'approve', need: 'approval' });
  }, 60_000);

  it('fails a restore whose backup copy is damaged, with a sentence, then retries it to done', async () => {
    const started = await start('drill');
    await throughGates();
    // Damage one file of the newest orders-db set in the backups.
    const id = started.plan.params.find((p) => p.name === 'orders')?.bound ?? '';
    const damaged = join(c.dir, 'backups', 'nas', 'orders-db', id, 'orders.sql');
    const good = await fs.readFile(damaged);
    await fs.writeFile(damaged, 'tampered');
    let now = (await act({ type: 'run', step: 'restore-orders' })).now;
    const failed = now.state.steps.find((s) => s.id === 'restore-orders');
    expect(failed).toMatchObject({ state: 'failed', attempts: 1 });
    expect(failed?.error).toMatch(
      new RegExp(`^${id}/orders.sql does not match its manifest .*the backup copy is damaged\\.`),
    );
    expect(now.next).toMatchObject({ step: 'restore-orders', need: 'retry' });
    await fs.writeFile(damaged, good);
    now = (await act({ type: 'run', step: 'restore-orders' })).now;
    expect(now.state.steps.find((s) => s.id === 'restore-orders')).toMatchObject({
      state: 'done',
      attempts: 2,
    });
    expect((await verify(now.logPath)).report.verdict).toBe('UNSEALED');
  }, 60_000);

  it('rolls back after an abort: the completed step’s rollback runs through the gates, then the seal', async () => {
    await start('drill');
    await throughGates();
    let now = (await act({ type: 'run', step: 'restore-orders' })).now;
    const chain = now.plan.params.find((p) => p.name === 'orders')?.chain?.sets ?? 0;
    expect((await fs.readdir(join(c.dir, 'sandbox'))).length).toBe(chain);
    now = (await act({ type: 'abort', reason: 'Wrong cut: the incident began earlier.' })).now;
    // Not sealed yet: the rollback of restore-orders is the step in turn.
    expect(now.state.sealed).toBe(false);
    expect(now.state.rollback).toEqual({
      reason: 'Wrong cut: the incident began earlier.',
      steps: ['remove-orders'],
    });
    expect(now.state.steps.find((s) => s.id === 'remove-orders')).toMatchObject({
      rollbackOf: 'restore-orders',
      state: 'pending',
    });
    expect(now.next).toMatchObject({ step: 'remove-orders', need: 'run' });
    // The steps after the abort point are out of turn.
    await expect(act({ type: 'run', step: 'restore-uploads' })).rejects.toThrow(
      /not the next step/,
    );
    now = (await act({ type: 'run', step: 'remove-orders' })).now;
    const removed = now.state.commands.find((x) => x.step === 'remove-orders');
    expect(removed?.argv.slice(0, 3)).toEqual(['rm', '-rf', '--']);
    expect(removed?.argv.slice(3).every((w) => !w.includes('/'))).toBe(true);
    expect(await fs.readdir(join(c.dir, 'sandbox'))).toEqual([]);
    // The backups themselves are untouched.
    expect((await fs.readdir(join(c.dir, 'backups', 'nas', 'orders-db'))).length).toBeGreaterThan(
      0,
    );
    expect(now.state).toMatchObject({ sealed: true, outcome: 'aborted' });
    expect(now.state.notes.at(-1)?.text).toBe('Rolled back: 1 rollback step ended.');
    const { report, records } = await verify(now.logPath);
    expect(report.verdict).toBe('VALID');
    expect(replaySession(records)).toEqual(now.state);
  }, 60_000);

  it('aborts without a rollback when no step with one completed', async () => {
    await start('drill');
    await throughGates();
    const { now } = await act({ type: 'abort', reason: 'Called off.' });
    expect(now.state).toMatchObject({ sealed: true, outcome: 'aborted', rollback: null });
  }, 60_000);

  it('seals the log as aborted on abort', async () => {
    await start('drill');
    await act(announce());
    const { now } = await act({ type: 'abort', reason: 'The incident was called off.' });
    expect(now.state).toMatchObject({ sealed: true, outcome: 'aborted' });
    expect(now.next).toBeNull();
    expect((await verify(now.logPath)).report.verdict).toBe('VALID');
    await expect(act(approve())).rejects.toThrow(/sealed/);
  }, 60_000);
});

describe('a rehearsal', () => {
  it('executes nothing and logs the argv each command step would run', async () => {
    await start('rehearsal');
    await throughGates();
    for (const step of RESTORES) await act({ type: 'run', step });
    const { now } = await act({ type: 'run', step: 'verify' });
    expect(await fs.readdir(join(c.dir, 'sandbox'))).toEqual([]);
    expect(now.state.commands).toEqual([]);
    const notes = now.state.notes.map((n) => n.text);
    expect(
      notes.some((t) =>
        /^rehearsal: would restore set orders-db-\S+: \d+ sets \(1 full .* into \S+sandbox \(manifest-restore\)$/.test(
          t,
        ),
      ),
    ).toBe(true);
    expect(notes.some((t) => t.startsWith('rehearsal: would run sha256sum --check'))).toBe(true);
    expect(now.state.steps.find((s) => s.id === 'restore-orders')?.state).toBe('skipped');
    await act(closeRestore());
    const sealed = activeSession(c.ctx)?.view();
    expect(sealed?.state.outcome).toBe('completed');
    expect(sealed?.logPath).toMatch(/rehearsal-/);
    expect((await verify(sealed?.logPath ?? '')).report.verdict).toBe('VALID');
  }, 60_000);
});
