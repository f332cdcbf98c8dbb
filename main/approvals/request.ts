// The approval request a session writes at an approval step: what the approver must see (the
// cut, the target, the mode, and every step that runs after the approval, argv word by word),
// bound to the session, the step and the plan's hash.
import { randomBytes } from 'node:crypto';
import type { Cut } from '../../preload/schemas/groups';
import type { RunbookPlan } from '../../preload/schemas/runbook';
import type { SessionMode } from '../../preload/schemas/session';
import { canonicalize, type JsonValue } from '../audit/canonical-json';
import { sha256Hex } from '../audit/records';
import type { NextStep, RequestPayload } from './documents';

/** SHA-256 of the bound plan's canonical JSON: what the approver approves. */
export function planSha256(plan: RunbookPlan): string {
  // Through JSON first: an optional field left undefined is not part of the plan.
  return sha256Hex(canonicalize(JSON.parse(JSON.stringify(plan)) as JsonValue));
}

type Place = { kind: string; bucket?: string; prefix?: string; path?: string; endpoint?: string };
const placeWords = (p: Place): string =>
  p.kind === 'folder'
    ? `the folder ${p.path ?? '?'}`
    : `s3://${p.bucket ?? '?'}/${p.prefix ?? ''} (${p.endpoint ?? '?'})`;

/** An S3 step's operation in words: what it reads, as at when, and where it writes. */
export function s3Words(step: RunbookPlan['steps'][number]): string | null {
  const op = step.s3;
  if (!op) return step.kind === 's3' ? step.description || 'an S3 operation' : null;
  const from = placeWords(op.source);
  const to = op.to ? placeWords(op.to) : null;
  const what = {
    'restore-to-instant': `make ${from} list exactly what it listed at ${op.at} (in place)`,
    copy: `copy ${from} as it was at ${op.at} to ${to ?? '?'}`,
    download: `download ${from} as it was at ${op.at} into ${to ?? '?'}`,
    'prefix-equals-instant': `check that ${to ?? from} lists what ${from} listed at ${op.at}`,
  }[op.action];
  return op.problem ? `${what} — cannot run: ${op.problem}` : what;
}

/** The steps that run after `stepId`, as the approver reads them. */
export function stepsAfter(plan: RunbookPlan, stepId: string): NextStep[] {
  const at = plan.steps.findIndex((s) => s.id === stepId);
  return plan.steps.slice(at + 1).map((s) => ({
    id: s.id,
    title: s.title,
    kind: s.kind,
    argv: s.argv,
    where: s.where,
    s3: s3Words(s),
    destructive: s.destructive,
    target: s.confirmTarget,
    production: s.production,
  }));
}

/** What a request is made from. */
export type RequestInput = {
  workspace: string;
  log: string;
  logFile: string;
  step: { id: string; title: string; attempt: number };
  approvers: string[];
  approvals: number;
  runbook: { title: string; path: string; version: string | null; sha256: string };
  plan: RunbookPlan;
  cut: Cut | null;
  target: { name: string; environment: string } | null;
  mode: SessionMode;
  operator: { keyId: string; name: string };
  now: Date;
  /** How long it may be answered, in milliseconds. */
  validMs: number;
};

/** A fresh request payload (unsigned); a new nonce each time. */
export function buildRequest(input: RequestInput): RequestPayload {
  return {
    kind: 'dapple-approval-request',
    v: 1,
    workspace: input.workspace,
    session: { log: input.log, file: input.logFile },
    step: input.step,
    approvers: input.approvers,
    approvals: input.approvals,
    runbook: input.runbook,
    planSha256: planSha256(input.plan),
    cut: input.cut
      ? {
          group: input.cut.group,
          time: new Date(input.cut.time).toISOString(),
          members: input.cut.members.map((m) => ({
            service: m.service,
            pointId: m.pointId ?? null,
            time: new Date(m.time).toISOString(),
          })),
        }
      : null,
    target: input.target,
    mode: input.mode,
    operator: input.operator,
    nonce: randomBytes(16).toString('hex'),
    created: input.now.toISOString(),
    expires: new Date(input.now.getTime() + input.validMs).toISOString(),
    next: stepsAfter(input.plan, input.step.id),
  };
}
