// Verify's approval checks: who approved is what the trust file says about the approving key
// (never a name a record or key file carries), that name must be among the approvers the open
// record kept for the step, and an approval that arrived as a signed document (a response or a
// standing approval) must carry the approver's own signature over what it binds.
import { verify } from 'node:crypto';
import { parseCanonical } from './canonical-json';
import type { RecordData } from './record-data';
import type { Payload } from './records';
import { withinWindow, type Trust } from './trust';

/** What the checks remember between records. */
export type ApprovalLedger = {
  open: RecordData<'open'> | null;
  /** Requests by SHA-256: their step. */
  requests: Map<string, string>;
};

/** A fresh ledger for one log. */
export const newLedger = (): ApprovalLedger => ({ open: null, requests: new Map() });

type Doc = Record<string, unknown>;

/** The document's problem, or null: signed by its key, within the key's window, well formed. */
function documentProblem(
  d: RecordData<'approval'>,
  ts: string,
  trust: Trust,
): { problem: string } | { doc: Doc } {
  const env = d.document;
  if (!env) return { problem: `an approval by ${d.via} keeps no signed document` };
  if (env.key !== d.keyId) return { problem: 'the approval names another key than its document' };
  const key = trust.get(env.key);
  if (!key)
    return {
      problem: `the approval's document is signed by key ${env.key.slice(0, 16)}…, which the trust file does not list`,
    };
  const sig = Buffer.from(env.sig, 'base64');
  if (sig.length !== 64 || !verify(null, Buffer.from(env.payload, 'utf8'), key.key, sig))
    return { problem: `the approver's signature on the ${d.via} does not verify` };
  if (!withinWindow(key, ts))
    return {
      problem: `the ${d.via} was accepted at ${ts}, outside the validity window of ${key.name}'s key`,
    };
  const parsed = parseCanonical(env.payload);
  if (!parsed.ok || typeof parsed.value !== 'object' || parsed.value === null)
    return { problem: `the ${d.via} document is not canonical JSON` };
  return { doc: parsed.value as Doc };
}

/** What a response must bind, or the first thing it does not. */
function responseProblem(d: RecordData<'approval'>, doc: Doc, log: string, ledger: ApprovalLedger) {
  if (doc.kind !== 'dapple-approval-response') return 'the response document is not a response';
  if (doc.session !== log) return 'the response was made for another session';
  if (doc.step !== d.step) return 'the response was made for another step';
  if (doc.decision !== d.decision || doc.statement !== d.statement)
    return 'the decision or statement differs from the approver’s signed response';
  if (doc.nonce !== d.nonce) return 'the nonce differs from the approver’s signed response';
  if (typeof doc.request !== 'string' || doc.request !== d.request)
    return 'the response binds another request than the record says';
  if (ledger.requests.get(doc.request) !== d.step)
    return 'the response answers a request this log never made for that step';
  return null;
}

function standingProblem(d: RecordData<'approval'>, doc: Doc, ts: string, ledger: ApprovalLedger) {
  const runbook = doc.runbook as { sha256?: unknown } | undefined;
  if (doc.kind !== 'dapple-standing-approval') return 'the standing approval document is not one';
  if (doc.mode !== 'drill' || ledger.open?.mode !== 'drill')
    return 'a standing approval approved a session that is not a drill';
  if (runbook?.sha256 !== ledger.open?.runbook.sha256)
    return 'the standing approval is for another version of the runbook';
  if (typeof doc.validUntil !== 'string' || Date.parse(ts) >= Date.parse(doc.validUntil))
    return 'the standing approval was used after its end date';
  if (doc.nonce !== d.nonce) return 'the nonce differs from the standing approval';
  return null;
}

/**
 * Note what later records need (the open record, requests) and check an approval. Returns the
 * problem in words, or null.
 */
export function approvalProblem(
  p: Payload,
  signer: string,
  trust: Trust,
  ledger: ApprovalLedger,
): string | null {
  if (p.type === 'open') ledger.open = p.data as RecordData<'open'>;
  if (p.type === 'approval.request') {
    const r = p.data as RecordData<'approval.request'>;
    ledger.requests.set(r.sha256, r.step);
  }
  if (p.type !== 'approval') return null;
  const d = p.data as RecordData<'approval'>;
  const via = d.via ?? 'in-person';
  let approverKey = signer;
  if (via === 'in-person') {
    if (d.keyId !== undefined && d.keyId !== signer)
      return 'an in-person approval names another key than the one that signed it';
  } else {
    const checked = documentProblem({ ...d, via }, p.ts, trust);
    if ('problem' in checked) return checked.problem;
    const bad =
      via === 'response'
        ? responseProblem(d, checked.doc, p.log, ledger)
        : standingProblem(d, checked.doc, p.ts, ledger);
    if (bad) return bad;
    approverKey = d.keyId as string;
  }
  const name = trust.get(approverKey)?.name ?? 'an unknown key';
  const step = ledger.open?.runbook.steps.find((s) => s.id === d.step);
  const approvers = step?.approvers ?? [];
  if (approvers.length > 0 && !approvers.includes(name)) {
    return `the approval of step ${d.step} is by ${name} (as the trust file names key ${approverKey.slice(0, 16)}…), who is not among the runbook's approvers (${approvers.join(', ')})`;
  }
  return null;
}
