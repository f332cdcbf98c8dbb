// Each approval gate refusal as the engineer reads it: the code, the sentence that names the key,
// the binding or the limit that failed, and the hint that says what would count.
import { describe, expect, it } from 'vitest';
import type { KeyPair } from '../audit/keys';
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
  expired,
  mallory,
  operator,
  twin,
  facts,
  request,
  response,
  standing,
  stranger,
  trust,
} from './approval-gates.fixtures';

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
