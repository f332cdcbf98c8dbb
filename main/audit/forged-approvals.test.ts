// Approvals that reached a session as signed documents (a response to the session's request, a
// standing approval for drills): the operator's key signs the approval record, and the record keeps
// the approver's own signed bytes. A forger holding the operator's key can write any approval
// record; without the approver's key, verify finds them out at that record, with the reason.
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { OpenData } from './writer';
import { canonicalize } from './canonical-json';
import { person, tempDir, testOpen, tickingClock, trustOf, type TestSigner } from './test-helpers';
import { verifyLog } from './verify';
import { createLog } from './writer';

const alice = person('Alice Operator');
const bob = person('Bob Approver');
const carol = person('Carol Outsider');
const late = person('Dave Later', '2030-01-01T00:00:00Z');
const trusted = trustOf(alice, bob, late);
const dir = tempDir('dapple-forged-approvals-');
const REQUEST = 'e'.repeat(64);

type Doc = Record<string, unknown>;
type Envelope = { payload: string; sig: string; key: string };

async function envelope(by: TestSigner, doc: Doc | string): Promise<Envelope> {
  const text = typeof doc === 'string' ? doc : canonicalize(doc as never);
  const sig = Buffer.from(await by.signer.sign(Buffer.from(text, 'utf8'))).toString('base64');
  return { payload: text, sig, key: by.pair.keyId };
}

type Approval = {
  via: 'response' | 'standing';
  /** The approval record's data beyond step/approver/decision/statement (changed per test). */
  record?: (log: string) => Promise<Record<string, unknown>>;
  /** The signed document (its payload changed per test). */
  doc?: (log: string) => Doc;
  by?: TestSigner;
  open?: Partial<OpenData>;
  requestStep?: string;
};

const response = (log: string): Doc => ({
  kind: 'dapple-approval-response',
  v: 1,
  request: REQUEST,
  workspace: 'shop',
  session: log,
  step: 'approve',
  planSha256: 'b'.repeat(64),
  requestNonce: '2'.repeat(32),
  decision: 'approved',
  statement: 'Go.',
  approver: { keyId: bob.pair.keyId, name: 'Bob' },
  nonce: '1'.repeat(32),
  created: '2026-01-10T10:00:00.000Z',
});

const standing = (): Doc => ({
  kind: 'dapple-standing-approval',
  v: 1,
  workspace: 'shop',
  runbook: { path: testOpen.runbook.path, title: 'Shop restore', sha256: testOpen.runbook.sha256 },
  mode: 'drill',
  targets: 'sandbox',
  validUntil: '2026-02-01T00:00:00.000Z',
  statement: 'Weekly drills.',
  approver: { keyId: bob.pair.keyId, name: 'Bob' },
  nonce: '3'.repeat(32),
  created: '2026-01-01T00:00:00.000Z',
});

/** Write a log (open, approval.request, approval, seal) and verify it. */
async function verdict(a: Approval) {
  const file = path.join(dir, `${Math.random().toString(36).slice(2)}.jsonl`);
  const writer = await createLog(
    { file, signer: alice.signer, clock: tickingClock(), checkpoint: null },
    { ...testOpen, ...a.open },
  );
  const log = writer.logId;
  const by = a.by ?? bob;
  await writer.append('approval.request', {
    step: a.requestStep ?? 'approve',
    attempt: 1,
    sha256: REQUEST,
    nonce: '2'.repeat(32),
    expires: '2026-01-10T11:00:00.000Z',
    document: await envelope(alice, { request: 'the request in words' }),
  });
  const doc = a.doc ? a.doc(log) : a.via === 'response' ? response(log) : standing();
  const base = {
    step: 'approve',
    approver: 'Bob Approver',
    decision: 'approved',
    statement: a.via === 'response' ? 'Go.' : 'Weekly drills.',
    via: a.via,
    keyId: by.pair.keyId,
    request: a.via === 'response' ? REQUEST : null,
    nonce: a.via === 'response' ? '1'.repeat(32) : '3'.repeat(32),
    document: await envelope(by, doc),
  };
  await writer.append('approval', { ...base, ...(a.record ? await a.record(log) : {}) } as never);
  await writer.seal('completed');
  await writer.idle();
  const report = await verifyLog(file, { trusted, workers: 0 });
  return report.verdict === 'VALID' ? 'VALID' : (report.firstError?.reason ?? report.verdict);
}

describe('an approval by response, as verify reads it', () => {
  it('is VALID when the approver signed what the record says, for this session, step and request', async () => {
    expect(await verdict({ via: 'response' })).toBe('VALID');
  });

  it('is INVALID when the document is missing, another key’s, untrusted, not signed by its key, out of its key’s window, or not canonical JSON', async () => {
    expect(await verdict({ via: 'response', record: async () => ({ document: undefined }) })).toBe(
      'an approval by response keeps no signed document',
    );
    expect(
      await verdict({ via: 'response', record: async () => ({ keyId: alice.pair.keyId }) }),
    ).toBe('the approval names another key than its document');
    expect(await verdict({ via: 'response', by: carol })).toBe(
      `the approval's document is signed by key ${carol.pair.keyId.slice(0, 16)}…, which the trust file does not list`,
    );
    const forged = async (log: string) => {
      const real = await envelope(bob, response(log));
      return { document: { ...real, payload: real.payload.replace('Go.', 'Go!') } };
    };
    expect(await verdict({ via: 'response', record: forged })).toBe(
      "the approver's signature on the response does not verify",
    );
    const short = async (log: string) => {
      const real = await envelope(bob, response(log));
      return { document: { ...real, sig: Buffer.alloc(63).toString('base64') } };
    };
    expect(await verdict({ via: 'response', record: short })).toBe(
      "the approver's signature on the response does not verify",
    );
    expect(await verdict({ via: 'response', by: late })).toMatch(
      /^the response was accepted at 2026-01-10T10:00:0\d\.000Z, outside the validity window of Dave Later's key$/,
    );
    const notCanonical = async (log: string) => ({
      document: await envelope(bob, JSON.stringify(response(log), null, 1)),
    });
    expect(await verdict({ via: 'response', record: notCanonical })).toBe(
      'the response document is not canonical JSON',
    );
    const notObject = async () => ({ document: await envelope(bob, '"approved"') });
    expect(await verdict({ via: 'response', record: notObject })).toBe(
      'the response document is not canonical JSON',
    );
    const nullDoc = async () => ({ document: await envelope(bob, 'null') });
    expect(await verdict({ via: 'response', record: nullDoc })).toBe(
      'the response document is not canonical JSON',
    );
  });

  it('is INVALID when the signed response binds something other than the record', async () => {
    const changed = (change: Doc) => (log: string) => ({ ...response(log), ...change });
    expect(
      await verdict({ via: 'response', doc: changed({ kind: 'dapple-standing-approval' }) }),
    ).toBe('the response document is not a response');
    expect(await verdict({ via: 'response', doc: changed({ session: 'f'.repeat(32) }) })).toBe(
      'the response was made for another session',
    );
    expect(await verdict({ via: 'response', doc: changed({ step: 'copy' }) })).toBe(
      'the response was made for another step',
    );
    const differs = 'the decision or statement differs from the approver’s signed response';
    expect(await verdict({ via: 'response', doc: changed({ decision: 'rejected' }) })).toBe(
      differs,
    );
    expect(await verdict({ via: 'response', doc: changed({ statement: 'Stop.' }) })).toBe(differs);
    expect(await verdict({ via: 'response', doc: changed({ nonce: '9'.repeat(32) }) })).toBe(
      'the nonce differs from the approver’s signed response',
    );
    const otherRequest = 'the response binds another request than the record says';
    expect(await verdict({ via: 'response', doc: changed({ request: 'd'.repeat(64) }) })).toBe(
      otherRequest,
    );
    expect(await verdict({ via: 'response', doc: changed({ request: 7 }) })).toBe(otherRequest);
    expect(
      await verdict({
        via: 'response',
        doc: changed({ request: 7 }),
        record: async () => ({ request: 7 }),
      }),
    ).not.toBe('VALID');
    expect(await verdict({ via: 'response', requestStep: 'copy' })).toBe(
      'the response answers a request this log never made for that step',
    );
  });
});

describe('a standing approval, as verify reads it', () => {
  it('is VALID for a drill of the runbook version it names, before its end', async () => {
    expect(await verdict({ via: 'standing' })).toBe('VALID');
  });

  it('is INVALID for another document kind, another mode, another runbook version, after its end, or with another nonce', async () => {
    const changed = (change: Doc) => () => ({ ...standing(), ...change });
    expect(
      await verdict({ via: 'standing', doc: changed({ kind: 'dapple-approval-response' }) }),
    ).toBe('the standing approval document is not one');
    const notDrill = 'a standing approval approved a session that is not a drill';
    expect(await verdict({ via: 'standing', doc: changed({ mode: 'live' }) })).toBe(notDrill);
    expect(await verdict({ via: 'standing', open: { mode: 'live' } })).toBe(notDrill);
    expect(
      await verdict({
        via: 'standing',
        doc: changed({ runbook: { path: 'runbooks/shop-restore.yaml', sha256: 'c'.repeat(64) } }),
      }),
    ).toBe('the standing approval is for another version of the runbook');
    expect(await verdict({ via: 'standing', doc: changed({ runbook: undefined }) })).toBe(
      'the standing approval is for another version of the runbook',
    );
    const ended = 'the standing approval was used after its end date';
    expect(
      await verdict({ via: 'standing', doc: changed({ validUntil: '2026-01-10T10:00:00.000Z' }) }),
    ).toBe(ended);
    expect(await verdict({ via: 'standing', doc: changed({ validUntil: 20260201 }) })).toBe(ended);
    expect(
      await verdict({ via: 'standing', doc: changed({ validUntil: '2026-01-10T10:00:59.000Z' }) }),
    ).toBe('VALID');
    expect(await verdict({ via: 'standing', doc: changed({ nonce: '9'.repeat(32) }) })).toBe(
      'the nonce differs from the standing approval',
    );
  });

  it('names the approver from the trust file, and refuses one the runbook does not list', async () => {
    const steps = testOpen.runbook.steps.map((s) =>
      s.id === 'approve' ? { ...s, approvers: ['Carol Outsider'] } : s,
    );
    expect(
      await verdict({ via: 'standing', open: { runbook: { ...testOpen.runbook, steps } } }),
    ).toBe(
      `the approval of step approve is by Bob Approver (as the trust file names key ${bob.pair.keyId.slice(0, 16)}…), who is not among the runbook's approvers (Carol Outsider)`,
    );
    const listed = testOpen.runbook.steps.map((s) =>
      s.id === 'approve' ? { ...s, approvers: ['Bob Approver'] } : s,
    );
    expect(
      await verdict({ via: 'standing', open: { runbook: { ...testOpen.runbook, steps: listed } } }),
    ).toBe('VALID');
  });
});
