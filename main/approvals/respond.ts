// The approver's side: read a request, check it against the approver's own copy of the
// workspace's trusted keys, and sign a response (or a standing approval) with their own key.
import { randomBytes } from 'node:crypto';
import { UserError } from '../ground/errors';
import { keySigner, type KeyPair } from '../audit/keys';
import type { Trust } from '../audit/trust';
import type { RequestPayload, ResponsePayload, StandingPayload } from './documents';
import { readDocument, signDocument, signatureProblem, type SignedDocument } from './envelope';

/** A request read by an approver, with its signer's name as the approver's trust file says. */
export type CheckedRequest = {
  doc: SignedDocument<'request'>;
  /** The operator's name in the approver's keys/trusted.json. */
  operatorName: string;
  expired: boolean;
};

/**
 * Read a pasted request and check it: signed by a key the approver's trust file lists, not
 * altered, the key in its window, not expired. Refusals are sentences (nothing is signed).
 */
export function checkRequest(text: string, trust: Trust, now: Date): CheckedRequest {
  const doc = readDocument('request', text);
  const created = new Date(doc.payload.created);
  const bad = signatureProblem(doc, trust, created, 'your copy of the workspace’s');
  if (bad) throw new UserError(bad.code, bad.message, bad.hint);
  if (doc.payload.operator.keyId !== doc.envelope.key) {
    throw new UserError(
      'APPROVAL_ALTERED',
      'The request names another operator key than the one that signed it.',
      'Ask the operator for the request again.',
    );
  }
  const operatorName = trust.get(doc.envelope.key)?.name ?? doc.payload.operator.name;
  return { doc, operatorName, expired: now.getTime() > Date.parse(doc.payload.expires) };
}

/** Why this approver may not answer, or null (the operator's engine checks all of it again). */
export function answerProblem(req: CheckedRequest, myKeyId: string, trust: Trust): string | null {
  if (req.expired)
    return `The request expired at ${req.doc.payload.expires}: ask the operator to renew it.`;
  if (myKeyId === req.doc.envelope.key)
    return 'This request is your own: a second engineer must approve it, with their own key.';
  const me = trust.get(myKeyId);
  if (!me) return `Your key ${myKeyId.slice(0, 16)}… is not in your copy of keys/trusted.json.`;
  const { approvers } = req.doc.payload;
  if (approvers.length > 0 && !approvers.includes(me.name))
    return `keys/trusted.json names your key ${me.name}, who is not among this step's approvers (${approvers.join(', ')}).`;
  return null;
}

const nonce = () => randomBytes(16).toString('hex');

/** Sign an approval or rejection of a checked request. */
export function signResponse(
  req: CheckedRequest,
  key: KeyPair,
  name: string,
  answer: { decision: 'approved' | 'rejected'; statement: string; now: Date },
): Promise<SignedDocument<'response'>> {
  const r: RequestPayload = req.doc.payload;
  const payload: ResponsePayload = {
    kind: 'dapple-approval-response',
    v: 1,
    request: req.doc.sha256,
    workspace: r.workspace,
    session: r.session.log,
    step: r.step.id,
    planSha256: r.planSha256,
    requestNonce: r.nonce,
    decision: answer.decision,
    statement: answer.statement,
    approver: { keyId: key.keyId, name },
    nonce: nonce(),
    created: answer.now.toISOString(),
  };
  return signDocument('response', payload, keySigner(key, name));
}

/** What a standing approval covers. */
export type StandingScope = {
  workspace: string;
  runbook: { path: string; title: string; sha256: string };
  validUntil: Date;
  statement: string;
  now: Date;
};

/** Sign a standing approval: drills of one runbook version on sandbox targets, until a date. */
export function signStanding(
  scope: StandingScope,
  key: KeyPair,
  name: string,
): Promise<SignedDocument<'standing'>> {
  if (scope.validUntil.getTime() <= scope.now.getTime()) {
    throw new UserError(
      'BAD_ARGS',
      `A standing approval must end in the future; ${scope.validUntil.toISOString()} has passed.`,
      'Give --until a later date.',
    );
  }
  const payload: StandingPayload = {
    kind: 'dapple-standing-approval',
    v: 1,
    workspace: scope.workspace,
    runbook: scope.runbook,
    mode: 'drill',
    targets: 'sandbox',
    validUntil: scope.validUntil.toISOString(),
    statement: scope.statement,
    approver: { keyId: key.keyId, name },
    nonce: nonce(),
    created: scope.now.toISOString(),
  };
  return signDocument('standing', payload, keySigner(key, name));
}
