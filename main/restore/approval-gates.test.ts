// The approval gates as pure decisions, one fact changed at a time: each refusal names its reason,
// and only the response (or standing approval) that binds everything is accepted.
import { describe, expect, it } from 'vitest';
import { generateKeyPair, keySigner, type KeyPair } from '../audit/keys';
import { buildTrust, trustEntry } from '../audit/trust';
import type { ResponsePayload, StandingPayload } from '../approvals/documents';
import { signDocument } from '../approvals/envelope';
import { buildRequest } from '../approvals/request';
import {
  decideApprover,
  decideResponse,
  decideStanding,
  type ApprovalFacts,
  type GateDecision,
} from './approval-gates';

const NOW = new Date('2026-11-26T03:00:00.000Z');
const operator = generateKeyPair();
const alice = generateKeyPair();
const bob = generateKeyPair();
const mallory = generateKeyPair();
const stranger = generateKeyPair();
const expired = generateKeyPair();
const twin = generateKeyPair();
const entry = (k: KeyPair, name: string, until: string | null = null) =>
  trustEntry(k.publicKey, name, '2026-01-01T00:00:00Z', until);
const trust = buildTrust(
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

const facts = (change: Partial<ApprovalFacts> = {}): ApprovalFacts => ({
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

async function request() {
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

async function response(
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

const code = (d: GateDecision) => (d.ok ? `ok:${d.name}` : d.refusal.code);

describe('decideResponse', () => {
  it('accepts the response that binds everything, under the trust file’s name', async () => {
    const req = await request();
    const decided = decideResponse(facts(), await response(alice, req), req, trust);
    expect(decided).toEqual({ ok: true, keyId: alice.keyId, name: 'alice' });
  });

  it('refuses each binding that does not hold, with its reason', async () => {
    const req = await request();
    const other = { ...req, sha256: 'd'.repeat(64) };
    const cases: [string, Promise<GateDecision> | GateDecision][] = [
      [
        'APPROVAL_OTHER',
        decideResponse(facts(), await response(alice, req, { workspace: 'x' }), req, trust),
      ],
      [
        'APPROVAL_OTHER',
        decideResponse(
          facts(),
          await response(alice, req, { session: 'e'.repeat(32) }),
          req,
          trust,
        ),
      ],
      [
        'APPROVAL_OTHER',
        decideResponse(facts(), await response(alice, req, { step: 'done' }), req, trust),
      ],
      [
        'APPROVAL_PLAN',
        decideResponse(
          facts(),
          await response(alice, req, { planSha256: 'f'.repeat(64) }),
          req,
          trust,
        ),
      ],
      ['APPROVAL_NO_REQUEST', decideResponse(facts(), await response(alice, req), null, trust)],
      ['APPROVAL_OTHER_REQUEST', decideResponse(facts(), await response(alice, req), other, trust)],
      [
        'APPROVAL_OTHER_REQUEST',
        decideResponse(
          facts(),
          await response(alice, req, { requestNonce: '2'.repeat(32) }),
          req,
          trust,
        ),
      ],
      [
        'APPROVAL_EXPIRED',
        decideResponse(
          facts({ now: new Date(NOW.getTime() + 30 * 60_000) }),
          await response(alice, req),
          req,
          trust,
        ),
      ],
      [
        'APPROVAL_REPLAYED',
        decideResponse(
          facts({ usedNonces: ['1'.repeat(32)] }),
          await response(alice, req),
          req,
          trust,
        ),
      ],
      ['APPROVAL_UNTRUSTED', decideResponse(facts(), await response(stranger, req), req, trust)],
      ['APPROVAL_KEY_WINDOW', decideResponse(facts(), await response(expired, req), req, trust)],
      ['SELF_APPROVAL', decideResponse(facts(), await response(operator, req), req, trust)],
      ['SELF_APPROVAL', decideResponse(facts(), await response(twin, req), req, trust)],
      ['APPROVER_NOT_LISTED', decideResponse(facts(), await response(mallory, req), req, trust)],
      [
        'APPROVAL_REPEATED',
        decideResponse(facts({ already: [alice.keyId] }), await response(alice, req), req, trust),
      ],
    ];
    const got = await Promise.all(cases.map(async ([, d]) => code(await d)));
    expect(got).toEqual(cases.map(([c]) => c));
  });

  it('refuses a response whose signed bytes were changed', async () => {
    const req = await request();
    const doc = await response(alice, req);
    const altered = {
      ...doc,
      envelope: { ...doc.envelope, payload: doc.envelope.payload.replace('"ok"', '"OK"') },
    };
    const decided = decideResponse(facts(), altered, req, trust);
    expect(code(decided)).toBe('APPROVAL_ALTERED');
    expect(decided.ok ? '' : decided.refusal.message).toContain('was altered after it was signed');
  });

  it('still counts a response at the last millisecond of its request', async () => {
    const req = await request();
    const last = new Date(Date.parse(req.payload.expires));
    expect(code(decideResponse(facts({ now: last }), await response(alice, req), req, trust))).toBe(
      'ok:alice',
    );
  });
});

describe('decideStanding', () => {
  const standing = (by: KeyPair, change: Partial<StandingPayload> = {}) =>
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

  it('counts for a drill of this runbook on sandbox targets before its end, and nothing else', async () => {
    expect(code(decideStanding(facts(), await standing(alice), trust))).toBe('ok:alice');
    expect(code(decideStanding(facts({ mode: 'live' }), await standing(alice), trust))).toBe(
      'STANDING_NOT_DRILL',
    );
    expect(code(decideStanding(facts({ mode: 'rehearsal' }), await standing(alice), trust))).toBe(
      'STANDING_NOT_DRILL',
    );
    expect(
      code(
        decideStanding(facts({ mode: 'live', production: ['prod'] }), await standing(alice), trust),
      ),
    ).toBe('STANDING_PRODUCTION');
    expect(code(decideStanding(facts(), await standing(alice, { workspace: 'x' }), trust))).toBe(
      'APPROVAL_OTHER',
    );
    expect(
      code(
        decideStanding(
          facts(),
          await standing(alice, {
            runbook: { path: 'runbooks/r.yaml', title: 'R', sha256: 'd'.repeat(64) },
          }),
          trust,
        ),
      ),
    ).toBe('STANDING_RUNBOOK');
    expect(
      code(
        decideStanding(
          facts(),
          await standing(alice, {
            runbook: { path: 'runbooks/other.yaml', title: 'R', sha256: 'c'.repeat(64) },
          }),
          trust,
        ),
      ),
    ).toBe('STANDING_RUNBOOK');
    expect(
      code(
        decideStanding(facts(), await standing(alice, { validUntil: NOW.toISOString() }), trust),
      ),
    ).toBe('STANDING_EXPIRED');
    expect(code(decideStanding(facts(), await standing(mallory), trust))).toBe(
      'APPROVER_NOT_LISTED',
    );
    expect(code(decideStanding(facts(), await standing(stranger), trust))).toBe(
      'APPROVAL_UNTRUSTED',
    );
    expect(
      code(decideStanding(facts({ already: [alice.keyId] }), await standing(alice), trust)),
    ).toBe('APPROVAL_REPEATED');
  });
});

describe('decideApprover', () => {
  it('names the approver from the trust file and refuses the operator, strangers, unlisted and expired keys', () => {
    expect(code(decideApprover(facts(), bob.keyId, trust))).toBe('ok:bob');
    expect(code(decideApprover(facts({ approvers: [] }), mallory.keyId, trust))).toBe('ok:mallory');
    expect(code(decideApprover(facts({ approvers: [] }), operator.keyId, trust))).toBe(
      'SELF_APPROVAL',
    );
    expect(code(decideApprover(facts(), stranger.keyId, trust))).toBe('APPROVER_UNTRUSTED');
    expect(code(decideApprover(facts(), expired.keyId, trust))).toBe('APPROVER_KEY_WINDOW');
    expect(
      code(decideApprover(facts({ now: new Date('2025-12-31T23:59:59Z') }), alice.keyId, trust)),
    ).toBe('APPROVER_KEY_WINDOW');
    const refused = decideApprover(facts(), mallory.keyId, trust);
    expect(refused.ok ? '' : refused.refusal.message).toBe(
      `mallory (as keys/trusted.json names key ${mallory.keyId.slice(0, 16)}…) is not an approver of "Approve"; the runbook names alice, bob.`,
    );
  });
});

// What the operator reads when an approval is refused, in the console, the CLI and the log's
// approval.refused record: what did not hold, and what to do next. One sentence per refusal.
describe('each approval refusal in words', () => {
  const words = (d: GateDecision) =>
    d.ok ? null : [d.refusal.code, d.refusal.message, d.refusal.hint];
  const short = (k: KeyPair) => `${k.keyId.slice(0, 16)}…`;

  it('names the approver key and what the trust file says of it', () => {
    expect(words(decideApprover(facts(), stranger.keyId, trust))).toEqual([
      'APPROVER_UNTRUSTED',
      `The approving key ${short(stranger)} is not in the workspace's keys/trusted.json.`,
      'Add it in review (dapple audit export-key --into keys/trusted.json), then approve again.',
    ]);
    expect(words(decideApprover(facts(), expired.keyId, trust))).toEqual([
      'APPROVER_KEY_WINDOW',
      'The key of alice is outside its validity window (2026-01-01T00:00:00Z to 2026-11-01T00:00:00Z), so it cannot approve now (2026-11-26T03:00:00.000Z).',
      'Renew the key in keys/trusted.json in review, or ask another approver.',
    ]);
    expect(
      words(decideApprover(facts({ now: new Date('2025-06-01T00:00:00Z') }), alice.keyId, trust)),
    ).toEqual([
      'APPROVER_KEY_WINDOW',
      'The key of alice is outside its validity window (2026-01-01T00:00:00Z to open), so it cannot approve now (2025-06-01T00:00:00.000Z).',
      'Renew the key in keys/trusted.json in review, or ask another approver.',
    ]);
    expect(words(decideApprover(facts(), operator.keyId, trust))).toEqual([
      'SELF_APPROVAL',
      "olivia cannot approve this session: that is the operator's own key.",
      'A second engineer approves with their own key.',
    ]);
    expect(words(decideApprover(facts(), twin.keyId, trust))).toEqual([
      'SELF_APPROVAL',
      "olivia cannot approve this session: that is the operator's name, under another key.",
      'A second engineer approves with their own key.',
    ]);
    expect(words(decideApprover(facts(), mallory.keyId, trust))?.[2]).toBe(
      'Ask one of the named approvers, or change the runbook in review.',
    );
    expect(words(decideApprover(facts({ already: [bob.keyId] }), bob.keyId, trust))).toEqual([
      'APPROVAL_REPEATED',
      'bob already approved "Approve".',
      'A different approver must sign the next approval.',
    ]);
  });

  it('says which binding of a response does not hold, clipped, and what to ask for', async () => {
    const req = await request();
    const long = 'w'.repeat(120);
    expect(
      words(decideResponse(facts(), await response(alice, req, { workspace: long }), req, trust)),
    ).toEqual([
      'APPROVAL_OTHER',
      `This response is for the workspace ${'w'.repeat(80)}, not this one (shop): nothing was approved.`,
      'Ask the approver to answer the request of this session and step.',
    ]);
    expect(
      words(
        decideResponse(
          facts({ workspace: long }),
          await response(alice, req, { workspace: 'shop' }),
          req,
          trust,
        ),
      )?.[1],
    ).toBe(
      `This response is for the workspace shop, not this one (${'w'.repeat(80)}): nothing was approved.`,
    );
    expect(
      words(
        decideResponse(
          facts(),
          await response(alice, req, { planSha256: 'f'.repeat(64) }),
          req,
          trust,
        ),
      ),
    ).toEqual([
      'APPROVAL_PLAN',
      `This response approves another plan (${'f'.repeat(12)}…), not the one this session runs (${'b'.repeat(12)}…).`,
      'Ask the approver to answer this session’s request, which shows what will run.',
    ]);
    expect(words(decideResponse(facts(), await response(alice, req), null, trust))).toEqual([
      'APPROVAL_NO_REQUEST',
      '"Approve" has no open approval request to answer.',
      'Make the request first; the approver answers that one.',
    ]);
    const other = { ...req, sha256: 'd'.repeat(64) };
    expect(words(decideResponse(facts(), await response(alice, req), other, trust))).toEqual([
      'APPROVAL_OTHER_REQUEST',
      `This response answers another request (${req.sha256.slice(0, 12)}…), not the open one (${'d'.repeat(12)}…): an earlier, renewed or altered request.`,
      'Send the approver the open request and paste their answer to it.',
    ]);
    const late = facts({ now: new Date(NOW.getTime() + 30 * 60_000) });
    expect(words(decideResponse(late, await response(alice, req), req, trust))).toEqual([
      'APPROVAL_EXPIRED',
      `The request expired at ${req.payload.expires}; a response to it no longer counts.`,
      'Renew the request and ask the approver again.',
    ]);
    const used = facts({ usedNonces: ['1'.repeat(32)] });
    expect(words(decideResponse(used, await response(alice, req), req, trust))).toEqual([
      'APPROVAL_REPLAYED',
      'This response was already used in this session: a response counts once.',
      'Each approval needs its own response from its approver.',
    ]);
  });

  it('says why a standing approval cannot count here, and what would', async () => {
    const standing = (by: KeyPair, change: Partial<StandingPayload> = {}) =>
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
    const good = await standing(alice);
    expect(words(decideStanding(facts(), await standing(stranger), trust))?.[1]).toContain(
      `${short(stranger)}, which the workspace's keys/trusted.json does not list.`,
    );
    expect(
      words(decideStanding(facts({ production: ['prod-db', 'prod-files'] }), good, trust)),
    ).toEqual([
      'STANDING_PRODUCTION',
      'A standing approval covers sandbox targets only, and this plan writes to production (prod-db, prod-files).',
      'Bind the drill to a sandbox target, or get an approver’s response to this session’s request.',
    ]);
    expect(words(decideStanding(facts({ production: ['p'.repeat(400)] }), good, trust))?.[1]).toBe(
      `A standing approval covers sandbox targets only, and this plan writes to production (${'p'.repeat(300)}).`,
    );
    expect(words(decideStanding(facts({ mode: 'live' }), good, trust))).toEqual([
      'STANDING_NOT_DRILL',
      'A standing approval is for drills only, and this is a live restore: it can never approve it.',
      'A live restore needs an approver’s response to its own request.',
    ]);
    expect(words(decideStanding(facts({ mode: 'rehearsal' }), good, trust))?.[1]).toBe(
      'A standing approval is for drills only, and this is a rehearsal: it can never approve it.',
    );
    const elsewhere = await standing(alice, { workspace: 'x'.repeat(100) });
    expect(words(decideStanding(facts({ workspace: 'y'.repeat(100) }), elsewhere, trust))).toEqual([
      'APPROVAL_OTHER',
      `This standing approval is for the workspace ${'x'.repeat(80)}, not ${'y'.repeat(80)}.`,
      'Use a standing approval signed for this workspace.',
    ]);
    const changed = await standing(alice, {
      runbook: { path: 'runbooks/old.yaml', title: 'R', sha256: 'd'.repeat(64) },
    });
    expect(words(decideStanding(facts(), changed, trust))).toEqual([
      'STANDING_RUNBOOK',
      `This standing approval is for runbooks/old.yaml at ${'d'.repeat(12)}…, not runbooks/r.yaml at ${'c'.repeat(12)}…: the runbook changed since it was signed.`,
      'Ask an approver to sign a standing approval for the runbook as it is now.',
    ]);
    // A hostile document's path is clipped in the sentence, and so is this runbook's own.
    const far = await standing(alice, {
      runbook: { path: `runbooks/${'a'.repeat(250)}`, title: 'R', sha256: 'd'.repeat(64) },
    });
    const farFacts = facts({
      runbook: { path: `runbooks/${'b'.repeat(250)}`, sha256: 'c'.repeat(64) },
    });
    expect(words(decideStanding(farFacts, far, trust))?.[1]).toBe(
      `This standing approval is for ${`runbooks/${'a'.repeat(250)}`.slice(0, 200)} at ${'d'.repeat(12)}…, not ${`runbooks/${'b'.repeat(250)}`.slice(0, 200)} at ${'c'.repeat(12)}…: the runbook changed since it was signed.`,
    );
    const ended = await standing(alice, { validUntil: '2026-11-20T00:00:00.000Z' });
    expect(words(decideStanding(facts(), ended, trust))).toEqual([
      'STANDING_EXPIRED',
      'This standing approval was valid until 2026-11-20T00:00:00.000Z.',
      'Ask an approver to sign a new one.',
    ]);
  });
});
