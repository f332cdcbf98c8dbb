// Opening a session: the refusals that come before anything is written (a drill on production,
// unbound placeholders, steps this version cannot run), then the log with its open record.
import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import path from 'node:path';
import type { Cut } from '../../preload/schemas/groups';
import type { PlanChoice, RunbookPlan } from '../../preload/schemas/runbook';
import type { SessionMode } from '../../preload/schemas/session';
import { UserError } from '../ground/errors';
import type { SshOptions } from '../catalog/backends/ssh';
import type { OperatorKey } from '../audit/key-store';
import { keySigner } from '../audit/keys';
import { initialSession } from '../audit/reducer';
import { sha256Hex } from '../audit/records';
import { createLog, type OpenData } from '../audit/writer';
import type { Workspace } from '../workspace/types';
import { boundTargets, productionByPlace } from './confine';
import { acquireLogLock, releaseLogLock } from './log-lock';
import { operatorTrustEntry, operatorTrusted } from './operator';
import { operatorWindowGate } from './gates';
import { executorOf } from './executors/index';
import { s3ConfinementProblem } from './s3/confine';
import {
  COMMAND_KINDS,
  rollbackOfPlan,
  DEFAULT_REQUEST_MS,
  ruleOf,
  type RunbookPolicy,
  type StepRules,
} from './rules';
import { sshBackendFor } from './run-ssh';
import type { PointLookup } from './executors/index';
import { RestoreSession } from './session';

/** Everything a new session needs. */
export type StartOptions = {
  workspace: Workspace;
  plan: RunbookPlan;
  /** The cut the plan is bound to, kept in the open record so a restart can bind it again. */
  cut: Cut | null;
  /** When the incident began (ISO), as the operator set it; kept in the open record. */
  incident?: string | null;
  /** The engineer's target, values and selection, kept in the open record for the same reason. */
  choice?: PlanChoice;
  rules: StepRules;
  /** The runbook file's bytes, hashed into the open record. */
  runbookBytes: Buffer;
  /** The runbook's version and how long approval requests stay answerable (default 30 min). */
  policy?: RunbookPolicy;
  mode: SessionMode;
  operator: OperatorKey;
  appVersion: string;
  ssh?: SshOptions;
  /** The catalog's points (manifest-restore reads a set's files from its record). */
  points?: PointLookup;
  clock?: () => Date;
  /** A checkpoint after this many records or this long (default 100 records / 60 s). */
  checkpoint?: { records: number; ms: number };
};

/** The target the plan writes to: the bound target parameter (null when it has none). */
export function planTarget(plan: RunbookPlan): string | null {
  const param = plan.params.find((p) => p.type === 'target' && p.bound !== null);
  return param?.bound ?? plan.steps.find((s) => s.confirmTarget)?.confirmTarget ?? null;
}

/**
 * Production the plan touches, decided by where bytes land: bound targets that are production or
 * overlap one, steps the plan marks production (named by their target, else their title), and
 * ssh steps run on a host named like a production target.
 */
export function productionTargets(workspace: Workspace, plan: RunbookPlan): string[] {
  const names = new Set<string>(productionByPlace(workspace, boundTargets(plan)));
  const isProduction = (name: string | null | undefined) =>
    !!name && workspace.targets.get(name)?.environment === 'production';
  for (const s of [...plan.steps, ...rollbackOfPlan(plan)]) {
    if (s.production && !(s.confirmTarget && names.has(s.confirmTarget)))
      names.add(s.confirmTarget ?? `the place "${s.title}" writes to`);
    if (s.kind === 'ssh' && isProduction(s.where)) names.add(s.where as string);
  }
  return [...names];
}

/** The production targets a plan writes to, by target name (for approval gates' sentences). */
export function productionNames(workspace: Workspace, plan: RunbookPlan): string[] {
  const found = productionTargets(workspace, plan);
  const named = found.filter((name) => workspace.targets.has(name));
  return named.length > 0 || found.length === 0 ? named : ['a production target'];
}

/** Refuse what must never start; throws a sentence, writes nothing. */
export function checkStart(workspace: Workspace, plan: RunbookPlan, mode: SessionMode): void {
  if (mode === 'drill') {
    const production = productionTargets(workspace, plan);
    if (production.length > 0) {
      throw new UserError(
        'DRILL_ON_PRODUCTION',
        `A drill can never run against a production target, and this plan writes to ${production.join(', ')}.`,
        'Bind the runbook to a sandbox target for the drill, or start a live session if this is a real restore.',
      );
    }
  }
  if (mode === 'rehearsal') return;
  for (const step of [...plan.steps, ...rollbackOfPlan(plan)]) {
    if (step.problems.length > 0) {
      throw new UserError(
        'PLAN_PROBLEM',
        `"${step.title}" cannot run as bound: ${step.problems.join(' ')}`,
        'Choose another target or cut, or fix the runbook; a rehearsal still shows the plan.',
      );
    }
    if ((step.argv !== null || step.s3 !== null) && step.unbound.length > 0) {
      throw new UserError(
        'PLAN_UNBOUND',
        `"${step.title}" still has unbound placeholders (${step.unbound.join(', ')}), so it cannot run.`,
        'Choose a cut whose points the catalog knows the folders of, or rehearse instead.',
      );
    }
    const confined = step.s3 ? s3ConfinementProblem(workspace, step.s3, mode) : null;
    if (confined) {
      throw new UserError(
        'DRILL_NOT_CONFINED',
        `"${step.title}" cannot run in a ${mode}: ${confined}.`,
        'Bind the step to a sandbox target, or start a live session if this is a real restore.',
      );
    }
    if (COMMAND_KINDS.has(step.kind) && !executorOf(step)) {
      throw new UserError(
        'STEP_UNSUPPORTED',
        `"${step.title}" is an ${step.kind} step, which this version of Dapple cannot run yet.`,
        'Rehearse the runbook, or do this step by hand in a manual step.',
      );
    }
    if (step.kind === 'ssh') sshBackendFor(workspace, step.where ?? '');
  }
}

/** A step as the open record announces it; approval steps with their approvers. */
export function openStep(step: RunbookPlan['steps'][number], rules: StepRules) {
  const base = { id: step.id, title: step.title, kind: step.kind };
  if (step.kind !== 'approval') return base;
  const rule = ruleOf(rules, step.id);
  return { ...base, approvers: rule.approvers, approvals: rule.approvals };
}

/** The log file of a new session: audit/<mode>-<UTC date>-<short id>.jsonl in the workspace. */
export function sessionLogPath(root: string, mode: SessionMode, logId: string, now: Date): string {
  const date = now.toISOString().slice(0, 10);
  return path.join(root, 'audit', `${mode}-${date}-${logId.slice(0, 8)}.jsonl`);
}

/** Check, then open the log and return the running session. */
export async function startSession(options: StartOptions): Promise<RestoreSession> {
  const { workspace, plan, mode, operator } = options;
  checkStart(workspace, plan, mode);
  const clock = options.clock ?? (() => new Date());
  const logId = randomBytes(16).toString('hex');
  const file = sessionLogPath(workspace.root, mode, logId, clock());
  const trusted = await operatorTrusted(workspace, operator.keyId);
  const window = operatorWindowGate(await operatorTrustEntry(workspace, operator.keyId), clock());
  if (window) throw new UserError(window.code, window.message, window.hint);
  await acquireLogLock(file);
  const release = () => releaseLogLock(file);
  let session: RestoreSession | null = null;
  const early: Parameters<RestoreSession['fold']>[0][] = [];
  const policy = options.policy ?? { version: null, requestMs: DEFAULT_REQUEST_MS };
  const runbookSha256 = sha256Hex(options.runbookBytes);
  // The cut, the incident and the choice ride along in the open record: what the session restores to.
  const open: OpenData & { choice: PlanChoice } = {
    workspace: workspace.name,
    runbook: {
      name: plan.title,
      path: plan.file,
      sha256: runbookSha256,
      version: policy.version,
      rtoSeconds: plan.rtoSeconds,
      // Who may approve is kept per approval step, so verify checks approvals against it.
      steps: plan.steps.map((s) => openStep(s, options.rules)),
    },
    mode,
    target: planTarget(plan),
    params: plan.params.map((p) => ({ name: p.name, value: p.bound })),
    host: hostname(),
    appVersion: options.appVersion,
    cut: options.cut,
    incident: options.incident ?? null,
    // Through JSON: absent and undefined fields alike leave no trace in the canonical record.
    choice: JSON.parse(JSON.stringify(options.choice ?? {})) as PlanChoice,
  };
  const writer = await createLog(
    {
      file,
      signer: keySigner(operator, operator.name),
      clock,
      checkpoint: options.checkpoint ?? { records: 100, ms: 60_000 },
      onRecord: (record) => (session ? session.fold(record) : early.push(record)),
    },
    open,
    logId,
  ).catch(async (error: unknown) => {
    await release();
    throw error;
  });
  const created: RestoreSession = new RestoreSession(
    writer,
    {
      workspace,
      plan,
      rules: options.rules,
      mode,
      operatorKeyId: operator.keyId,
      ssh: options.ssh ?? {},
      points: options.points ?? (() => Promise.resolve(null)),
      operatorTrusted: trusted,
      release,
      approvals: {
        signer: keySigner(operator, operator.name),
        cut: options.cut,
        runbook: { path: plan.file, title: plan.title, sha256: runbookSha256 },
        policy,
        production: productionNames(workspace, plan),
        clock,
      },
    },
    initialSession(),
  );
  session = created;
  for (const record of early) created.fold(record);
  return created;
}
