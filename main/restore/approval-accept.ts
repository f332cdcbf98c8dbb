// The session's side of an offered approval: a response or standing approval (pasted, from a
// file or from the drop folder) or an approver at the operator's screen. The gates decide
// (approval-gates.ts); here the decision is written to the log first — every acceptance and
// every refusal with its sentence — and the step ends when enough approvers approved.
import path from 'node:path';
import type { SessionState } from '../../preload/schemas/audit';
import type { RunbookPlan } from '../../preload/schemas/runbook';
import type { SessionMode } from '../../preload/schemas/session';
import { UserError } from '../ground/errors';
import { keySigner } from '../audit/keys';
import { sha256Hex } from '../audit/records';
import { loadTrust, type Trust } from '../audit/trust';
import type { AuditWriter } from '../audit/writer';
import { kindOfText, readDocument } from '../approvals/envelope';
import { RequestPayload } from '../approvals/documents';
import { planSha256 } from '../approvals/request';
import type { Workspace } from '../workspace/types';
import {
  decideApprover,
  decideResponse,
  decideStanding,
  type ApprovalFacts,
  type GateDecision,
} from './approval-gates';
import { approvalStep, openRequestOf, type ApprovalSetup } from './approval-request';
import { openApproverKey } from './approver';
import { approvalsInAttempt } from './next-action';
import { ruleOf, type StepRules } from './rules';

type PlanStep = RunbookPlan['steps'][number];

/** What accepting needs from the session. */
export type AcceptHost = {
  writer: AuditWriter;
  workspace: Workspace;
  plan: RunbookPlan;
  rules: StepRules;
  mode: SessionMode;
  state: () => SessionState;
  setup: ApprovalSetup;
  ensureStarted: (step: PlanStep) => Promise<number>;
  end: (step: PlanStep, state: 'done' | 'failed', error: string | null) => Promise<void>;
};

/** Where an offered document came from. */
export type OfferSource = 'paste' | 'file' | 'drop' | 'standing';

/** The workspace's trust file as it is now (a missing or broken file trusts nobody). */
export async function workspaceTrust(workspace: Workspace): Promise<Trust> {
  const file = workspace.trustedKeys ?? path.join(workspace.root, 'keys', 'trusted.json');
  return loadTrust(file).catch(() => new Map());
}

/** The facts the gates decide on, for the step's current attempt. */
function factsFor(host: AcceptHost, step: PlanStep, trust: Trust): ApprovalFacts {
  const state = host.state();
  const rule = ruleOf(host.rules, step.id);
  const operator = state.operator ?? {
    keyId: host.setup.signer.keyId,
    name: host.setup.signer.name,
  };
  const trustedName = trust.get(operator.keyId)?.name;
  return {
    workspace: host.workspace.name,
    log: host.writer.logId,
    mode: host.mode,
    step: { id: step.id, title: step.title },
    approvers: rule.approvers,
    operator: {
      keyId: operator.keyId,
      names: [...new Set([operator.name, ...(trustedName ? [trustedName] : [])])],
    },
    already: approvalsInAttempt(
      state,
      state.steps.find((s) => s.id === step.id),
    ),
    usedNonces: state.approvals.flatMap((a) => (a.nonce && a.via === 'response' ? [a.nonce] : [])),
    planSha256: planSha256(host.plan),
    runbook: { path: host.setup.runbook.path, sha256: host.setup.runbook.sha256 },
    production: host.setup.production,
    now: host.setup.clock(),
  };
}

/** Record a refusal, then say it. */
async function refused(
  host: AcceptHost,
  step: PlanStep,
  offer: {
    via: 'in-person' | 'response' | 'standing';
    source: OfferSource | 'in-person';
    sha256: string;
    file: string | null;
  },
  decision: Extract<GateDecision, { ok: false }>,
): Promise<never> {
  await host.writer.append('approval.refused', {
    step: step.id,
    via: offer.via,
    source: offer.source,
    code: decision.refusal.code,
    reason: decision.refusal.message,
    sha256: offer.sha256,
    keyId: decision.keyId,
    file: offer.file,
  });
  throw new UserError(decision.refusal.code, decision.refusal.message, decision.refusal.hint);
}

/** After an approval record: a rejection fails the step; enough approvals end it. */
async function settle(
  host: AcceptHost,
  step: PlanStep,
  decision: string,
  who: string,
  statement: string,
) {
  if (decision === 'rejected') {
    await host.end(step, 'failed', `Rejected by ${who}: ${statement}`);
    return;
  }
  const state = host.state();
  const have = approvalsInAttempt(
    state,
    state.steps.find((s) => s.id === step.id),
  ).length;
  if (have >= ruleOf(host.rules, step.id).approvals) await host.end(step, 'done', null);
}

/** A pasted line or a file's text: a response to the open request, or a standing approval. */
export async function acceptOffer(
  host: AcceptHost,
  step: PlanStep,
  text: string,
  source: OfferSource,
  file: string | null,
): Promise<void> {
  approvalStep(step);
  const sha256 = sha256Hex(text);
  const standing = source === 'standing' || kindOfText(text) === 'standing';
  const via = standing ? 'standing' : 'response';
  const offer = { via, source, sha256, file } as const;
  await host.ensureStarted(step);
  const trust = await workspaceTrust(host.workspace);
  const facts = factsFor(host, step, trust);
  let decision: GateDecision;
  let doc;
  try {
    doc = standing ? readDocument('standing', text) : readDocument('response', text);
  } catch (error) {
    if (!(error instanceof UserError)) throw error;
    return refused(host, step, offer, {
      ok: false,
      keyId: null,
      refusal: { code: error.code, message: error.message, hint: error.hint },
    });
  }
  if (doc.kind === 'standing') {
    decision = decideStanding(facts, doc, trust);
  } else {
    const open = openRequestOf(host.state(), step.id);
    const payload = open ? RequestPayload.safeParse(JSON.parse(open.document.payload)) : null;
    const request =
      open && payload?.success ? { sha256: open.sha256, payload: payload.data } : null;
    decision = decideResponse(facts, doc, request, trust);
  }
  if (!decision.ok) return refused(host, step, offer, decision);
  const p = doc.payload;
  const decided = doc.kind === 'response' ? doc.payload.decision : 'approved';
  await host.writer.append('approval', {
    step: step.id,
    approver: decision.name,
    decision: decided,
    statement: p.statement,
    via,
    keyId: decision.keyId,
    request: doc.kind === 'response' ? doc.payload.request : null,
    nonce: p.nonce,
    document: doc.envelope,
  });
  await settle(host, step, decided, decision.name, p.statement);
}

/** What the approver gives at the operator's screen. */
export type InPerson = {
  keyFile?: string | undefined;
  passphrase: string;
  decision: 'approved' | 'rejected';
  statement: string;
};

/** An approval given at the operator's screen: the approver's key signs the record itself. */
export async function acceptInPerson(
  host: AcceptHost,
  step: PlanStep,
  given: InPerson,
): Promise<void> {
  const rule = ruleOf(host.rules, approvalStep(step).id);
  const key = await openApproverKey({
    workspace: host.workspace,
    approvers: rule.approvers,
    keyFile: given.keyFile,
    passphrase: given.passphrase,
  });
  await host.ensureStarted(step);
  const trust = await workspaceTrust(host.workspace);
  const decision = decideApprover(factsFor(host, step, trust), key.keyId, trust);
  if (!decision.ok) {
    const offer = { via: 'in-person', source: 'in-person', sha256: key.keyId, file: null } as const;
    return refused(host, step, offer, decision);
  }
  // The trust file's name signs the record, never the name the key file carries about itself.
  await host.writer.append(
    'approval',
    {
      step: step.id,
      approver: decision.name,
      decision: given.decision,
      statement: given.statement,
      via: 'in-person',
      keyId: key.keyId,
    },
    keySigner(key, decision.name),
  );
  await settle(host, step, given.decision, decision.name, given.statement);
}
