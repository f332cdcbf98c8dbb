// The approval gates, as pure decisions: may this key approve this step, may this response or
// standing approval count. Nothing here writes; the session records what is decided (acceptance
// or refusal, with the sentence) in its log. Names come from the workspace's trust file only.
import type { SessionMode } from '../../preload/schemas/session';
import { withinWindow, type Trust } from '../audit/trust';
import { signatureProblem, type SignedDocument } from '../approvals/envelope';
import type { RequestPayload } from '../approvals/documents';

/** A refusal in words: why, and what to do next. */
export type Refusal = { code: string; message: string; hint: string };

/** The gate's answer: the approver's trust-file name, or a refusal. */
export type GateDecision =
  { ok: true; keyId: string; name: string } | { ok: false; keyId: string | null; refusal: Refusal };

/** What the gates know of the session and the step waiting for approval. */
export type ApprovalFacts = {
  workspace: string;
  log: string;
  mode: SessionMode;
  step: { id: string; title: string };
  /** Names (from keys/trusted.json) that may approve; empty: any trusted key but the operator's. */
  approvers: string[];
  /** The operator's key and every name it goes by (its trust-file name and its key file's). */
  operator: { keyId: string; names: string[] };
  /** Key ids that already approved this attempt. */
  already: string[];
  /** Response nonces this log already accepted or refused as used. */
  usedNonces: string[];
  planSha256: string;
  runbook: { path: string; sha256: string };
  /** Production targets the plan writes to, decided by where its bytes land. */
  production: string[];
  now: Date;
};

const refuse = (keyId: string | null, code: string, message: string, hint: string) =>
  ({ ok: false, keyId, refusal: { code, message, hint } }) as const;

/** The checks every approver passes, whichever way the approval arrives. */
export function decideApprover(facts: ApprovalFacts, keyId: string, trust: Trust): GateDecision {
  const key = trust.get(keyId);
  if (!key) {
    return refuse(
      keyId,
      'APPROVER_UNTRUSTED',
      `The approving key ${keyId.slice(0, 16)}… is not in the workspace's keys/trusted.json.`,
      'Add it in review (dapple audit export-key --into keys/trusted.json), then approve again.',
    );
  }
  const name = key.name;
  if (!withinWindow(key, facts.now.toISOString())) {
    return refuse(
      keyId,
      'APPROVER_KEY_WINDOW',
      `The key of ${name} is outside its validity window (${key.validFrom} to ${key.validUntil ?? 'open'}), so it cannot approve now (${facts.now.toISOString()}).`,
      'Renew the key in keys/trusted.json in review, or ask another approver.',
    );
  }
  if (keyId === facts.operator.keyId) {
    return refuse(
      keyId,
      'SELF_APPROVAL',
      `${name} cannot approve this session: that is the operator's own key.`,
      'A second engineer approves with their own key.',
    );
  }
  if (facts.operator.names.includes(name)) {
    return refuse(
      keyId,
      'SELF_APPROVAL',
      `${name} cannot approve this session: that is the operator's name, under another key.`,
      'A second engineer approves with their own key.',
    );
  }
  if (facts.approvers.length > 0 && !facts.approvers.includes(name)) {
    return refuse(
      keyId,
      'APPROVER_NOT_LISTED',
      `${name} (as keys/trusted.json names key ${keyId.slice(0, 16)}…) is not an approver of "${facts.step.title}"; the runbook names ${facts.approvers.join(', ')}.`,
      'Ask one of the named approvers, or change the runbook in review.',
    );
  }
  if (facts.already.includes(keyId)) {
    return refuse(
      keyId,
      'APPROVAL_REPEATED',
      `${name} already approved "${facts.step.title}".`,
      'A different approver must sign the next approval.',
    );
  }
  return { ok: true, keyId, name };
}

/** A response to the step's open request (null when none is open). */
export function decideResponse(
  facts: ApprovalFacts,
  response: SignedDocument<'response'>,
  request: { sha256: string; payload: RequestPayload } | null,
  trust: Trust,
): GateDecision {
  const r = response.payload;
  const keyId = response.envelope.key;
  const bad = signatureProblem(response, trust, facts.now, "the workspace's");
  if (bad) return refuse(keyId, bad.code, bad.message, bad.hint);
  const other = (what: string, theirs: string, ours: string) =>
    refuse(
      keyId,
      'APPROVAL_OTHER',
      `This response is for ${what} ${theirs.slice(0, 80)}, not this one (${ours.slice(0, 80)}): nothing was approved.`,
      'Ask the approver to answer the request of this session and step.',
    );
  if (r.workspace !== facts.workspace) return other('the workspace', r.workspace, facts.workspace);
  if (r.session !== facts.log) return other('the session', r.session, facts.log);
  if (r.step !== facts.step.id) return other('the step', r.step, facts.step.id);
  if (r.planSha256 !== facts.planSha256) {
    return refuse(
      keyId,
      'APPROVAL_PLAN',
      `This response approves another plan (${r.planSha256.slice(0, 12)}…), not the one this session runs (${facts.planSha256.slice(0, 12)}…).`,
      'Ask the approver to answer this session’s request, which shows what will run.',
    );
  }
  if (!request) {
    return refuse(
      keyId,
      'APPROVAL_NO_REQUEST',
      `"${facts.step.title}" has no open approval request to answer.`,
      'Make the request first; the approver answers that one.',
    );
  }
  if (r.request !== request.sha256 || r.requestNonce !== request.payload.nonce) {
    return refuse(
      keyId,
      'APPROVAL_OTHER_REQUEST',
      `This response answers another request (${r.request.slice(0, 12)}…), not the open one (${request.sha256.slice(0, 12)}…): an earlier, renewed or altered request.`,
      'Send the approver the open request and paste their answer to it.',
    );
  }
  if (facts.now.getTime() > Date.parse(request.payload.expires)) {
    return refuse(
      keyId,
      'APPROVAL_EXPIRED',
      `The request expired at ${request.payload.expires}; a response to it no longer counts.`,
      'Renew the request and ask the approver again.',
    );
  }
  if (facts.usedNonces.includes(r.nonce)) {
    return refuse(
      keyId,
      'APPROVAL_REPLAYED',
      'This response was already used in this session: a response counts once.',
      'Each approval needs its own response from its approver.',
    );
  }
  return decideApprover(facts, keyId, trust);
}

/** A standing approval offered for a step (drills of one runbook, sandbox targets only). */
export function decideStanding(
  facts: ApprovalFacts,
  standing: SignedDocument<'standing'>,
  trust: Trust,
): GateDecision {
  const s = standing.payload;
  const keyId = standing.envelope.key;
  const bad = signatureProblem(standing, trust, facts.now, "the workspace's");
  if (bad) return refuse(keyId, bad.code, bad.message, bad.hint);
  if (facts.production.length > 0) {
    return refuse(
      keyId,
      'STANDING_PRODUCTION',
      `A standing approval covers sandbox targets only, and this plan writes to production (${facts.production.join(', ').slice(0, 300)}).`,
      'Bind the drill to a sandbox target, or get an approver’s response to this session’s request.',
    );
  }
  if (facts.mode !== 'drill') {
    return refuse(
      keyId,
      'STANDING_NOT_DRILL',
      `A standing approval is for drills only, and this is a ${facts.mode === 'live' ? 'live restore' : facts.mode}: it can never approve it.`,
      'A live restore needs an approver’s response to its own request.',
    );
  }
  if (s.workspace !== facts.workspace) {
    return refuse(
      keyId,
      'APPROVAL_OTHER',
      `This standing approval is for the workspace ${s.workspace.slice(0, 80)}, not ${facts.workspace.slice(0, 80)}.`,
      'Use a standing approval signed for this workspace.',
    );
  }
  if (s.runbook.path !== facts.runbook.path || s.runbook.sha256 !== facts.runbook.sha256) {
    return refuse(
      keyId,
      'STANDING_RUNBOOK',
      `This standing approval is for ${s.runbook.path.slice(0, 200)} at ${s.runbook.sha256.slice(0, 12)}…, not ${facts.runbook.path.slice(0, 200)} at ${facts.runbook.sha256.slice(0, 12)}…: the runbook changed since it was signed.`,
      'Ask an approver to sign a standing approval for the runbook as it is now.',
    );
  }
  if (facts.now.getTime() >= Date.parse(s.validUntil)) {
    return refuse(
      keyId,
      'STANDING_EXPIRED',
      `This standing approval was valid until ${s.validUntil}.`,
      'Ask an approver to sign a new one.',
    );
  }
  return decideApprover(facts, keyId, trust);
}
