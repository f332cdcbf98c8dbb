// Every way an approval can be wrong is refused at the engine's gate with a sentence, recorded
// in the log with its reason, and nothing runs: the approval step stays open, no command starts.
import { createHash } from 'node:crypto';
import { promises as fs } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { operatorKey } from '../api/handlers/session';
import { loadTrust } from '../audit/trust';
import { verifyLog } from '../audit/verify';
import type { RestoreSession } from './session';
import {
  act,
  approveCli,
  craftResponse,
  demoApprover,
  person,
  startWithClock,
  toApproval,
  twoMachines,
  type TwoMachines,
} from './test-setup-approvals';

let m: TwoMachines;
let session: RestoreSession;

beforeEach(async () => {
  m = await twoMachines();
  session = await startWithClock(m, 'drill');
}, 60_000);
afterEach(async () => {
  await session.idle();
  if (!session.state.sealed) await session.act({ type: 'abort', reason: 'test over' });
  await m.cleanupAll();
});

/** Paste `text`; expect the sentence; check it was recorded and nothing ran. */
async function refused(text: string, sentence: RegExp | string, code: string) {
  const before = session.state.approvalRefusals.length;
  await expect(
    act(session, { type: 'respond', step: 'approve', text, source: 'paste' }),
  ).rejects.toThrow(sentence);
  const recorded = session.state.approvalRefusals.slice(before);
  expect(recorded).toEqual([expect.objectContaining({ step: 'approve', code, source: 'paste' })]);
  expect(recorded[0]?.reason).toMatch(sentence);
  expect(session.state.steps.find((s) => s.id === 'approve')?.state).toBe('running');
  expect(session.state.approvals).toEqual([]);
  expect(session.state.commands).toEqual([]);
}

describe('a response is refused with a sentence, recorded, and nothing runs', () => {
  it('for another session, step, plan or workspace, or another (altered) request', async () => {
    const request = await toApproval(session);
    const alice = await demoApprover(m);
    await refused(
      await craftResponse(request.line, alice, { session: 'f'.repeat(32) }),
      /for the session f{32}, not this one/,
      'APPROVAL_OTHER',
    );
    await refused(
      await craftResponse(request.line, alice, { step: 'done' }),
      /for the step done, not this one \(approve\)/,
      'APPROVAL_OTHER',
    );
    await refused(
      await craftResponse(request.line, alice, { workspace: 'billing' }),
      /for the workspace billing, not this one \(shop\)/,
      'APPROVAL_OTHER',
    );
    await refused(
      await craftResponse(request.line, alice, { planSha256: '0'.repeat(64) }),
      /approves another plan/,
      'APPROVAL_PLAN',
    );
    const altered = createHash('sha256').update('an altered request').digest('hex');
    await refused(
      await craftResponse(request.line, alice, { request: altered }),
      /answers another request/,
      'APPROVAL_OTHER_REQUEST',
    );
    // Every refusal is a well-formed record: the log still verifies.
    const trusted = await loadTrust(join(m.dir, 'keys', 'trusted.json'));
    expect((await verifyLog(session.writer.file, { trusted })).verdict).toBe('UNSEALED');
  }, 60_000);

  it('signed by the operator (key or name), by an untrusted key, by a key outside its window, by a name not among the approvers', async () => {
    const request = await toApproval(session);
    const { key: operator } = await operatorKey(m.ctx);
    await refused(
      await craftResponse(request.line, operator),
      /cannot approve this session: that is the operator's own key/,
      'SELF_APPROVAL',
    );
    const twin = await person(m, operator.name);
    await refused(
      await craftResponse(request.line, twin),
      /that is the operator's name, under another key/,
      'SELF_APPROVAL',
    );
    const stranger = await person(m, 'demo-approver', { trusted: false });
    await refused(
      await craftResponse(request.line, stranger),
      /which the workspace's keys\/trusted\.json does not list/,
      'APPROVAL_UNTRUSTED',
    );
    const expired = await person(m, 'demo-approver', { validUntil: '2026-01-02T00:00:00Z' });
    await refused(
      await craftResponse(request.line, expired),
      /The key of demo-approver is outside its validity window/,
      'APPROVAL_KEY_WINDOW',
    );
    const early = await person(m, 'demo-approver', { validFrom: '2099-01-01T00:00:00Z' });
    await refused(
      await craftResponse(request.line, early),
      /outside its validity window/,
      'APPROVAL_KEY_WINDOW',
    );
    const mallory = await person(m, 'mallory');
    await refused(
      await craftResponse(request.line, mallory),
      /mallory .* is not an approver of "Get a second engineer's approval"; the runbook names demo-approver/,
      'APPROVER_NOT_LISTED',
    );
  }, 60_000);

  it('to an expired request; a truncated or garbled line; an altered response', async () => {
    const request = await toApproval(session);
    const answered = await approveCli(m, [request.file, '--approve', '--statement', 'ok']);
    await refused(answered.line.slice(0, 120), /cut off or garbled/, 'APPROVAL_GARBLED');
    await refused(
      `${answered.line.slice(0, 80)}*${answered.line.slice(81)}`,
      /is garbled: "\*" at character 81/,
      'APPROVAL_GARBLED',
    );
    await refused('please approve, thanks', /not a Dapple approval line/, 'APPROVAL_GARBLED');
    await refused(
      request.line,
      /is a dapple-approval-request, not a dapple-approval-response/,
      'APPROVAL_GARBLED',
    );
    // One signed byte changed (statement "ok" → "OK"), re-encoded: the signature no longer holds.
    const { readDocument } = await import('../approvals/envelope');
    const doc = readDocument('response', answered.line);
    const forged = {
      ...doc.envelope,
      payload: doc.envelope.payload.replace('"statement":"ok"', '"statement":"OK"'),
    };
    const { envelopeLine } = await import('../approvals/envelope');
    await refused(
      envelopeLine('response', forged),
      /was altered after it was signed/,
      'APPROVAL_ALTERED',
    );
    // Chat clients wrap long lines: the same response with line breaks inside still counts...
    m.clock.offsetMs = 31 * 60_000;
    // ...but not after the request expired (30 minutes by default).
    const wrapped = answered.line.replace(/(.{70})/g, '$1\n');
    await refused(wrapped, /The request expired at/, 'APPROVAL_EXPIRED');
    // Renewing the request makes a new one; the old response answers the old one.
    const renewed = await act(session, { type: 'request', step: 'approve' });
    expect(renewed.approval?.request?.sha256).not.toBe(request.sha256);
    await refused(answered.line, /answers another request/, 'APPROVAL_OTHER_REQUEST');
  }, 60_000);
});

describe('dapple approve refuses to sign', () => {
  it('an altered request, an expired one, and one that is the approver’s own', async () => {
    const request = await toApproval(session);
    const { readDocument, envelopeLine } = await import('../approvals/envelope');
    const doc = readDocument('request', request.line);
    const altered = envelopeLine('request', {
      ...doc.envelope,
      payload: doc.envelope.payload.replace(
        '"environment":"sandbox","name":"sandbox-restore"',
        '"environment":"sandbox","name":"shop-production"',
      ),
    });
    expect(altered).not.toBe(request.line);
    let out = await approveCli(m, ['-', '--approve', '--statement', 'ok'], {
      stdin: `${altered}\n`,
    });
    expect(out.code).toBe(1);
    expect(out.stderr).toMatch(/was altered after it was signed/);
    expect(out.line).toBe('');

    // Signed by an operator key the approver's copy of the trust file does not list.
    const theirTrust = join(m.approverData, 'trusted.json');
    await fs.writeFile(theirTrust, JSON.stringify({ v: 1, keys: [] }));
    out = await approveCli(m, [
      request.file,
      '--trusted',
      theirTrust,
      '--approve',
      '--statement',
      'ok',
    ]);
    expect(out.stderr).toMatch(
      /which your copy of the workspace’s keys\/trusted\.json does not list/,
    );

    // The operator asking themselves (their own data folder, their own key).
    out = await approveCli(m, [request.file, '--approve', '--statement', 'ok'], {
      data: m.data,
      passphrase: 'operator pass',
    });
    expect(out.code).toBe(1);
    expect(out.stderr).toContain('This request is your own');
  }, 60_000);

  it('a request that expired before they answered', async () => {
    // A request made 31 minutes ago (the operator's key trusted since before then).
    const trustFile = join(m.dir, 'keys', 'trusted.json');
    const trust = JSON.parse(await fs.readFile(trustFile, 'utf8')) as {
      keys: { validFrom: string }[];
    };
    for (const k of trust.keys) k.validFrom = '2026-01-01T00:00:00Z';
    await fs.writeFile(trustFile, JSON.stringify(trust));
    m.clock.offsetMs = -31 * 60_000;
    const request = await toApproval(session);
    const out = await approveCli(m, [request.file, '--approve', '--statement', 'ok']);
    expect(out.code).toBe(1);
    expect(out.stdout).toContain('Expired at');
    expect(out.stderr).toMatch(/The request expired at .*: ask the operator to renew it/);
  }, 60_000);
});
