// Four eyes across two machines: the operator's session writes a signed request, the approver
// answers it with `dapple approve` in their own data folder with their own key, and the session
// accepts the response only when every gate holds. The log keeps the approver's own signature.
import { promises as fs } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadTrust } from '../audit/trust';
import { verifyLogDetailed } from '../audit/verify';
import type { RestoreSession } from './session';
import {
  act,
  approveCli,
  person,
  startWithClock,
  toApproval,
  twoMachines,
  type TwoMachines,
} from './test-setup-approvals';

let m: TwoMachines;
let session: RestoreSession | null = null;

beforeEach(async () => {
  m = await twoMachines();
}, 60_000);
afterEach(async () => {
  await session?.idle();
  if (session && !session.state.sealed) await session.act({ type: 'abort', reason: 'test over' });
  session = null;
  await m.cleanupAll();
});

const statement = ['--statement', 'Cut and sandbox checked.'];

/** Confirm, restore, verify and close: the rest of the demo drill after the approval. */
async function finish(s: RestoreSession) {
  await act(s, { type: 'confirm', step: 'confirm-target', typed: 'sandbox-restore' });
  await act(s, {
    type: 'checklist',
    step: 'confirm-target',
    checked: ['The target is the one named in the incident channel'],
  });
  for (const step of ['restore-orders', 'restore-uploads', 'restore-search'])
    await act(s, { type: 'run', step });
  await act(s, { type: 'run', step: 'verify' });
  return act(s, {
    type: 'checklist',
    step: 'done',
    checked: [
      'Measured time noted in the incident channel',
      'Checkout resumed (or the sandbox cleaned up)',
    ],
  });
}

describe('an approval from another machine', () => {
  it('request → dapple approve in the approver’s data folder → response pasted → accepted, and the log verifies', async () => {
    session = await startWithClock(m, 'drill');
    const request = await toApproval(session);
    expect(request.line).toMatch(/^dapple-approval-request:v1:[A-Za-z0-9_-]+$/);
    expect(await fs.readFile(request.file, 'utf8')).toContain(request.line);

    // The approver reads it in words (checked against their trust file) and signs with their key.
    const answered = await approveCli(m, [request.file, '--approve', ...statement]);
    expect(answered.stderr).toBe('');
    expect(answered.code).toBe(0);
    expect(answered.stdout).toContain('asks for approval of "Get a second engineer\'s approval"');
    expect(answered.stdout).toContain('Target: sandbox-restore (sandbox)');
    expect(answered.stdout).toMatch(
      /runs on this machine: sha256sum --check --strict \S+orders-db\S*/,
    );
    expect(answered.stdout).toContain('[DESTRUCTIVE: overwrites sandbox-restore]');
    expect(answered.stdout).toMatch(/Response file: .*-approve-a1-[0-9a-f]{8}\.approval-response/);

    const view = await act(session, {
      type: 'respond',
      step: 'approve',
      text: answered.line,
      source: 'paste',
    });
    expect(view.state.steps.find((s) => s.id === 'approve')?.state).toBe('done');
    expect(view.state.approvals).toEqual([
      expect.objectContaining({ approver: 'demo-approver', via: 'response', selfApproved: false }),
    ]);
    const sealed = await finish(session);
    expect(sealed.state.outcome).toBe('completed');

    const trusted = await loadTrust(join(m.dir, 'keys', 'trusted.json'));
    const { report } = await verifyLogDetailed(sealed.logPath, { trusted });
    expect(report.verdict).toBe('VALID');
    // The approver counts as the signer of the approval, not the operator who wrote the record.
    expect(report.signers).toEqual(
      expect.arrayContaining([expect.objectContaining({ name: 'demo-approver', approvals: 1 })]),
    );
    // The open record keeps who may approve, per step.
    const open = JSON.parse(
      JSON.parse((await fs.readFile(sealed.logPath, 'utf8')).split('\n')[0] ?? '').payload,
    );
    expect(open.data.runbook.steps.find((s: { id: string }) => s.id === 'approve')).toEqual({
      id: 'approve',
      title: "Get a second engineer's approval",
      kind: 'approval',
      approvers: ['demo-approver'],
      approvals: 1,
    });
  }, 90_000);

  it('a rejection fails the step with the approver’s statement; nothing after it runs', async () => {
    session = await startWithClock(m, 'drill');
    const request = await toApproval(session);
    const answered = await approveCli(m, [
      request.file,
      '--reject',
      '--statement',
      'Wrong cut: take 02:00.',
    ]);
    const view = await act(session, {
      type: 'respond',
      step: 'approve',
      text: answered.line,
      source: 'file',
    });
    const step = view.state.steps.find((s) => s.id === 'approve');
    expect(step?.state).toBe('failed');
    expect(step?.error).toBe('Rejected by demo-approver: Wrong cut: take 02:00.');
    expect(view.state.commands).toEqual([]);
  }, 60_000);

  it('approvals: 2 needs two distinct approvers; the same response twice is a replay', async () => {
    const file = join(m.dir, 'runbooks', 'shop-restore.yaml');
    const text = await fs.readFile(file, 'utf8');
    await fs.writeFile(
      file,
      text.replace(
        'approvers: [demo-approver]',
        'approvers: [demo-approver, bob]\n    approvals: 2',
      ),
    );
    const bob = await person(m, 'bob');
    const bobData = await fs.mkdtemp(join(m.approverData, '..', 'dapple-bob-'));
    const { fileKeyStore } = await import('../audit/key-store');
    await fileKeyStore(join(bobData, 'keys', 'operator.key'), 'bob pass').save({
      ...bob,
      createdAt: '2026-01-01T00:00:00Z',
    });
    session = await startWithClock(m, 'drill');
    const request = await toApproval(session);
    const first = await approveCli(m, [request.file, '--approve', ...statement]);
    let view = await act(session, {
      type: 'respond',
      step: 'approve',
      text: first.line,
      source: 'paste',
    });
    expect(view.approval).toMatchObject({ approvals: 2, have: 1 });
    expect(view.next?.message).toContain('(1 of 2 so far)');

    await expect(
      act(session, { type: 'respond', step: 'approve', text: first.line, source: 'paste' }),
    ).rejects.toThrow('This response was already used in this session');

    const second = await approveCli(m, [request.file, '--approve', ...statement], {
      data: bobData,
      passphrase: 'bob pass',
    });
    expect(second.code).toBe(0);
    view = await act(session, {
      type: 'respond',
      step: 'approve',
      text: second.line,
      source: 'paste',
    });
    expect(view.state.steps.find((s) => s.id === 'approve')?.state).toBe('done');
    expect(view.state.approvals.map((a) => a.approver)).toEqual(['demo-approver', 'bob']);
    expect(view.state.approvalRefusals.map((r) => r.code)).toEqual(['APPROVAL_REPLAYED']);
    await fs.rm(bobData, { recursive: true, force: true });
  }, 90_000);

  it('the drop folder: a response dropped there is found and accepted; junk files are refused one by one and recorded', async () => {
    await fs.appendFile(join(m.dir, 'dapple.yaml'), '\napprovals: approvals\n');
    const { openWorkspace } = await import('../api/handlers/workspace');
    await openWorkspace(m.dir, m.ctx);
    session = await startWithClock(m, 'drill');
    const request = await toApproval(session);
    const drop = join(m.dir, 'approvals');
    expect(request.dropFile).toBe(
      join(drop, `${session.id.slice(0, 8)}-approve-a1.approval-request`),
    );
    expect(await fs.readFile(request.dropFile ?? '', 'utf8')).toContain(request.line);

    const { collectDrop } = await import('./drop-watch');
    await fs.writeFile(join(drop, 'notes.txt'), 'lunch at noon');
    await fs.writeFile(
      join(drop, 'half.approval-response'),
      request.line.replace('request', 'response').slice(0, 60),
    );
    await fs.writeFile(join(drop, 'binary.bin'), Buffer.from([0, 1, 2, 255]));
    await fs.mkdir(join(drop, 'a-folder'));
    let outcome = await collectDrop(session);
    expect(outcome).toMatchObject({ offered: 3, accepted: 0 });
    expect(outcome.refusals.join('\n')).toMatch(/notes\.txt: .*not a Dapple approval line/);
    expect(outcome.refusals.join('\n')).toMatch(/half\.approval-response: .*cut off or garbled/);
    // Seen files are judged once: a second look offers nothing new.
    expect((await collectDrop(session)).offered).toBe(0);
    const recorded = session.state.approvalRefusals.map((r) => `${r.source}:${r.file}`).sort();
    expect(recorded).toEqual(['drop:binary.bin', 'drop:half.approval-response', 'drop:notes.txt']);
    expect(session.state.steps.find((s) => s.id === 'approve')?.state).toBe('running');

    // The approver answers with --drop: the newest request in their copy's drop folder.
    const answered = await approveCli(m, ['--drop', '--approve', ...statement]);
    expect(answered.code).toBe(0);
    expect(answered.stdout).toContain(`Response file: ${drop}`);
    outcome = await collectDrop(session);
    expect(outcome).toMatchObject({ offered: 1, accepted: 1 });
    expect(session.state.steps.find((s) => s.id === 'approve')?.state).toBe('done');
  }, 90_000);
});
