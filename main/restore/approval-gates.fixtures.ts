// The facts, keys, trust file and signed documents the approval gate tests decide on: one operator,
// two listed approvers, a stranger, an expired key and a second key under the operator's name.
import { generateKeyPair, keySigner, type KeyPair } from '../audit/keys';
import { buildTrust, trustEntry } from '../audit/trust';
import type { ResponsePayload, StandingPayload } from '../approvals/documents';
import { signDocument } from '../approvals/envelope';
import { buildRequest } from '../approvals/request';
import type { ApprovalFacts, GateDecision } from './approval-gates';

export const NOW = new Date('2026-11-26T03:00:00.000Z');
export const operator = generateKeyPair();
export const alice = generateKeyPair();
export const bob = generateKeyPair();
export const mallory = generateKeyPair();
export const stranger = generateKeyPair();
export const expired = generateKeyPair();
export const twin = generateKeyPair();
const entry = (k: KeyPair, name: string, until: string | null = null) =>
  trustEntry(k.publicKey, name, '2026-01-01T00:00:00Z', until);
export const trust = buildTrust(
  {
    v: 1,
    keys: [
      entry(operator, 'olivia'),
      entry(alice, 'alice'),
      entry(bob, 'bob'),
      entry(mallory, 'mallory'),
      entry(expired, 'alice', '2026-11-01T00:00:00Z'),
      entry(twin, 'olivia'),
    ],
  },
  'the test trust file',
);
const plan = {
  file: 'runbooks/r.yaml',
  title: 'R',
  description: '',
  rtoSeconds: 3600,
  params: [],
  steps: [],
  rollback: [],
} as never;

export const facts = (change: Partial<ApprovalFacts> = {}): ApprovalFacts => ({
  workspace: 'shop',
  log: 'a'.repeat(32),
  mode: 'drill',
  step: { id: 'approve', title: 'Approve' },
  approvers: ['alice', 'bob'],
  operator: { keyId: operator.keyId, names: ['olivia'] },
  already: [],
  usedNonces: [],
  planSha256: 'b'.repeat(64),
  runbook: { path: 'runbooks/r.yaml', sha256: 'c'.repeat(64) },
  production: [],
  now: NOW,
  ...change,
});

export async function request() {
  const payload = buildRequest({
    workspace: 'shop',
    log: 'a'.repeat(32),
    logFile: 'drill.jsonl',
    step: { id: 'approve', title: 'Approve', attempt: 1 },
    approvers: ['alice', 'bob'],
    approvals: 1,
    runbook: { title: 'R', path: 'runbooks/r.yaml', version: '1', sha256: 'c'.repeat(64) },
    plan,
    cut: null,
    target: null,
    mode: 'drill',
    operator: { keyId: operator.keyId, name: 'olivia' },
    now: new Date(NOW.getTime() - 60_000),
    validMs: 30 * 60_000,
  });
  const doc = await signDocument('request', payload, keySigner(operator, 'olivia'));
  return { sha256: doc.sha256, payload: doc.payload };
}

export async function response(
  by: KeyPair,
  req: Awaited<ReturnType<typeof request>>,
  change: Partial<ResponsePayload> = {},
) {
  const payload: ResponsePayload = {
    kind: 'dapple-approval-response',
    v: 1,
    request: req.sha256,
    workspace: 'shop',
    session: 'a'.repeat(32),
    step: 'approve',
    planSha256: 'b'.repeat(64),
    requestNonce: req.payload.nonce,
    decision: 'approved',
    statement: 'ok',
    approver: { keyId: by.keyId, name: 'whoever' },
    nonce: '1'.repeat(32),
    created: NOW.toISOString(),
    ...change,
  };
  return signDocument('response', payload, keySigner(by, 'whoever'));
}

export const code = (d: GateDecision) => (d.ok ? `ok:${d.name}` : d.refusal.code);

/** A standing approval signed by `by`, for drills of runbooks/r.yaml on sandbox targets. */
export const standing = (by: KeyPair, change: Partial<StandingPayload> = {}) =>
  signDocument(
    'standing',
    {
      kind: 'dapple-standing-approval',
      v: 1,
      workspace: 'shop',
      runbook: { path: 'runbooks/r.yaml', title: 'R', sha256: 'c'.repeat(64) },
      mode: 'drill',
      targets: 'sandbox',
      validUntil: '2026-12-31T00:00:00.000Z',
      statement: 'weekly',
      approver: { keyId: by.keyId, name: 'alice' },
      nonce: '3'.repeat(32),
      created: '2026-11-01T00:00:00.000Z',
      ...change,
    },
    keySigner(by, 'alice'),
  );
