// The approval gates as pure decisions, one fact changed at a time: each refusal names its reason,
// and only the response (or standing approval) that binds everything is accepted.
import { describe, expect, it } from 'vitest';
import {
  decideApprover,
  decideResponse,
  decideStanding,
  type GateDecision,
} from './approval-gates';
import {
  NOW,
  alice,
  bob,
  code,
  expired,
  facts,
  mallory,
  operator,
  request,
  response,
  standing,
  stranger,
  trust,
  twin,
} from './approval-gates.fixtures';

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
