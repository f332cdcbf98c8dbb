// The session's side of an approval request: write it (signed by the operator) into the log
// first, then as a file beside the log and in the drop folder, and show the open one.
import path from 'node:path';
import type { Cut } from '../../preload/schemas/groups';
import type { SessionState } from '../../preload/schemas/audit';
import type { RunbookPlan } from '../../preload/schemas/runbook';
import type { ApprovalWait, SessionMode } from '../../preload/schemas/session';
import { UserError } from '../ground/errors';
import type { Signer } from '../audit/keys';
import type { AuditWriter } from '../audit/writer';
import { buildRequest } from '../approvals/request';
import {
  documentFile,
  envelopeLine,
  signDocument,
  type SignedDocument,
} from '../approvals/envelope';
import {
  REQUEST_SUFFIX,
  requestFileName,
  stepFilePart,
  writeWhole,
} from '../approvals/drop-folder';
import type { Workspace } from '../workspace/types';
import { approvalsInAttempt } from './next-action';
import { ruleOf, type RunbookPolicy, type StepRules } from './rules';

/** What requests carry and are signed with; fixed for the session's life. */
export type ApprovalSetup = {
  /** The operator's signer (the request is the operator's document). */
  signer: Signer;
  cut: Cut | null;
  runbook: { path: string; title: string; sha256: string };
  policy: RunbookPolicy;
  /** Production targets the plan writes to, decided by where its bytes land. */
  production: string[];
  clock: () => Date;
};

type PlanStep = RunbookPlan['steps'][number];

/** The request file beside the log: audit/<log>-<step>-a<attempt>.approval-request. */
export function requestFileBesideLog(logFile: string, step: string, attempt: number): string {
  const base = path.basename(logFile, '.jsonl');
  return path.join(
    path.dirname(logFile),
    `${base}-${stepFilePart(step, attempt)}${REQUEST_SUFFIX}`,
  );
}

/** The newest request of the step's current attempt, or null. */
export function openRequestOf(state: SessionState, step: string) {
  const view = state.steps.find((s) => s.id === step);
  if (view?.state !== 'running') return null;
  const requests = state.approvalRequests.filter(
    (r) => r.step === step && r.attempt === view.attempts,
  );
  return requests[requests.length - 1] ?? null;
}

/** What request building needs from the session. */
export type RequestHost = {
  writer: AuditWriter;
  workspace: Workspace;
  plan: RunbookPlan;
  rules: StepRules;
  mode: SessionMode;
  state: () => SessionState;
  setup: ApprovalSetup;
  ensureStarted: (step: PlanStep) => Promise<number>;
};

/** The step, refused unless it is an approval step. */
export function approvalStep(step: PlanStep): PlanStep {
  if (step.kind !== 'approval') {
    throw new UserError(
      'NOT_APPROVAL',
      `"${step.title}" is not an approval step.`,
      'Approvals are given on approval steps.',
    );
  }
  return step;
}

/** Start the approval step and sign its request (a request still answerable is kept). */
export async function requestApproval(host: RequestHost, step: PlanStep): Promise<void> {
  const attempt = await host.ensureStarted(approvalStep(step));
  await writeRequest(host, step, attempt);
}

/**
 * Sign and record a request for the step's current attempt (`attempt`, already started). A
 * request still answerable is kept: asking again only renews an expired one.
 */
export async function writeRequest(
  host: RequestHost,
  step: PlanStep,
  attempt: number,
): Promise<SignedDocument<'request'> | null> {
  const now = host.setup.clock();
  const open = openRequestOf(host.state(), step.id);
  if (open && Date.parse(open.expires) > now.getTime()) return null;
  const rule = ruleOf(host.rules, step.id);
  const operator = host.state().operator;
  const targetName =
    host.plan.params.find((p) => p.type === 'target' && p.bound !== null)?.bound ??
    host.plan.steps.find((s) => s.confirmTarget)?.confirmTarget ??
    null;
  const payload = buildRequest({
    workspace: host.workspace.name,
    log: host.writer.logId,
    logFile: path.basename(host.writer.file),
    step: { id: step.id, title: step.title, attempt },
    approvers: rule.approvers,
    approvals: rule.approvals,
    runbook: { ...host.setup.runbook, version: host.setup.policy.version },
    plan: host.plan,
    cut: host.setup.cut,
    target: targetName
      ? {
          name: targetName,
          environment: host.workspace.targets.get(targetName)?.environment ?? 'unknown',
        }
      : null,
    mode: host.mode,
    operator: { keyId: host.setup.signer.keyId, name: operator?.name ?? host.setup.signer.name },
    now,
    validMs: host.setup.policy.requestMs,
  });
  const doc = await signDocument('request', payload, host.setup.signer);
  await host.writer.append('approval.request', {
    step: step.id,
    attempt,
    sha256: doc.sha256,
    nonce: payload.nonce,
    expires: payload.expires,
    document: doc.envelope,
  });
  const comment = `Dapple approval request: ${payload.runbook.title}, step "${step.title}", ${payload.mode}, from ${payload.operator.name}; answerable until ${payload.expires}. Open it with dapple approve FILE or the console's Approve dialog.`;
  const text = documentFile(doc, comment);
  const beside = requestFileBesideLog(host.writer.file, step.id, attempt);
  const drop = host.workspace.approvalsDir
    ? path.join(host.workspace.approvalsDir, requestFileName(host.writer.logId, step.id, attempt))
    : null;
  for (const file of [beside, drop]) {
    if (!file) continue;
    await writeWhole(file, text).catch((error: NodeJS.ErrnoException) =>
      host.writer.append('note', {
        step: step.id,
        text: `The approval request could not be written to ${file} (${error.code ?? error.message}); copy the line from the console instead.`,
      }),
    );
  }
  return doc;
}

/** The approval the session waits for now, as the console and the CLI show it. */
export function approvalWait(
  host: Pick<RequestHost, 'writer' | 'workspace' | 'rules' | 'state'>,
  step: PlanStep,
): ApprovalWait {
  const state = host.state();
  const rule = ruleOf(host.rules, step.id);
  const view = state.steps.find((s) => s.id === step.id);
  const open = openRequestOf(state, step.id);
  const request = open
    ? {
        sha256: open.sha256,
        line: envelopeLine('request', open.document),
        file: requestFileBesideLog(host.writer.file, step.id, open.attempt),
        dropFile: host.workspace.approvalsDir
          ? path.join(
              host.workspace.approvalsDir,
              requestFileName(host.writer.logId, step.id, open.attempt),
            )
          : null,
        expires: open.expires,
      }
    : null;
  return {
    step: step.id,
    approvers: rule.approvers,
    approvals: rule.approvals,
    have: approvalsInAttempt(state, view).length,
    request,
    dropFolder: host.workspace.approvalsDir ?? null,
    refusals: state.approvalRefusals
      .filter(
        (r) => r.step === step.id && (!view?.attemptStartedAt || r.ts >= view.attemptStartedAt),
      )
      .slice(-5),
  };
}
