// A restore session: a bound plan run in a mode, every fact appended to the audit log first and
// the state folded from that log with the one reducer. The gates (order, checklists, typed
// confirmations, approvals by another key) are enforced here, not in the console.
import type { SessionState } from '../../preload/schemas/audit';
import type { RunbookPlan } from '../../preload/schemas/runbook';
import type { LiveSession, SessionAction, SessionMode } from '../../preload/schemas/session';
import { UserError } from '../ground/errors';
import type { SshOptions } from '../catalog/backends/ssh';
import { reduceSession } from '../audit/reducer';
import type { StoredRecord } from '../audit/records';
import type { AuditWriter } from '../audit/writer';
import type { Workspace } from '../workspace/types';
import { acceptInPerson, acceptOffer, type AcceptHost } from './approval-accept';
import { approvalWait, requestApproval, type ApprovalSetup } from './approval-request';
import { currentStep, nextAction, rollbackSteps } from './next-action';
import {
  checklistGate,
  confirmableGate,
  confirmMatchGate,
  confirmPrompt,
  runGate,
  operatorWindowGate,
  runningGate,
  sealedGate,
  skipGate,
  stepInTurn,
  type GateRefusal,
} from './gates';
import { doneBySchedule } from './unattended';
import { operatorTrustEntry } from './operator';
import type { StepRules } from './rules';
import { drillMeasureNote, rehearsalNote, rolledBackNote } from './notes';
import { executorOf, type PointLookup } from './executors/index';
import { assertDrillConfined } from './confine-remote';
import { launchStep, type Tracked } from './launch-step';

/** What a session runs with (besides its writer). */
export type SessionContext = {
  workspace: Workspace;
  plan: RunbookPlan;
  rules: StepRules;
  mode: SessionMode;
  operatorKeyId: string;
  /** Options for ssh steps (host key and passphrase prompts). */
  ssh: SshOptions;
  /** The catalog's points, for executors that need a point's record (manifest sets, chains). */
  points: PointLookup;
  operatorTrusted: boolean;
  /** Give back the log's lock once the log is sealed. */
  release: () => Promise<void>;
  /** What approval requests carry and are signed with. */
  approvals: ApprovalSetup;
};

type Running = {
  step: string;
  controller: AbortController;
  done: Promise<void>;
  /** What the console says while it runs, when not the plan's words (a command left by a crash). */
  message?: string;
};

/** Throw a gate's refusal as the sentence the client shows. */
function refuse(refusal: GateRefusal): never;
function refuse(refusal: GateRefusal | null): void;
function refuse(refusal: GateRefusal | null): void {
  if (refusal) throw new UserError(refusal.code, refusal.message, refusal.hint);
}
type PlanStep = RunbookPlan['steps'][number];

/** A listener hears every record folded in (null when only `running` changed). */
export type SessionListener = (session: RestoreSession, record: StoredRecord | null) => void;

export class RestoreSession {
  state: SessionState;
  operatorTrusted: boolean;
  private running: Running | null = null;
  /** A step between its step.start and its command running (the executor starting it). */
  private starting: string | null = null;
  private aborting = false;
  private queue: Promise<unknown> = Promise.resolve();
  private readonly listeners = new Set<SessionListener>();

  constructor(
    readonly writer: AuditWriter,
    readonly ctx: SessionContext,
    state: SessionState,
  ) {
    this.state = state;
    this.operatorTrusted = ctx.operatorTrusted;
  }

  /** Fold a durable record (the writer's onRecord) and tell the listeners. */
  fold(record: StoredRecord): void {
    this.state = reduceSession(this.state, record);
    this.notify(record);
  }

  get id(): string {
    return this.writer.logId;
  }

  /** The session as the console shows it. */
  view(): LiveSession {
    const current = this.state.sealed ? null : currentStep(this.ctx.plan, this.state);
    return {
      id: this.id,
      logPath: this.writer.file,
      plan: this.ctx.plan,
      state: this.state,
      next: this.nextWithRunning(),
      running: this.busy(),
      operatorTrusted: this.operatorTrusted,
      approval: current?.step.kind === 'approval' ? approvalWait(this.host(), current.step) : null,
    };
  }

  /** A command runs, or is being started: the step is not "interrupted" while its executor starts. */
  private busy(): boolean {
    return this.running !== null || this.starting !== null;
  }

  private nextWithRunning() {
    const next = nextAction(this.ctx.plan, this.state, this.ctx.rules, this.busy());
    const message = this.running?.message;
    return next && message ? { ...next, message } : next;
  }

  /** The session as the approval and schedule helpers see it. */
  private host(): AcceptHost {
    return {
      writer: this.writer,
      workspace: this.ctx.workspace,
      plan: this.ctx.plan,
      rules: this.ctx.rules,
      mode: this.ctx.mode,
      state: () => this.state,
      setup: this.ctx.approvals,
      ensureStarted: (step) => this.ensureStarted(step),
      end: (step, state, error) => this.end(step, state, error),
    };
  }

  onChange(listener: SessionListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private notify(record: StoredRecord | null): void {
    for (const listener of this.listeners) listener(this, record);
  }

  /** Wait until no command runs and every queued action is done. */
  async idle(): Promise<void> {
    await this.queue.catch(() => undefined);
    await this.running?.done;
  }

  /**
   * Do one thing. Actions take turns, so two clicks can never interleave their records; a running
   * command does not hold the turn (notes and abort go through), and cancel never waits for one.
   */
  act(action: SessionAction): Promise<LiveSession> {
    if (action.type === 'cancel') return this.cancel(action.step).then(() => this.view());
    const result = this.queue.then(() => this.apply(action));
    this.queue = result.catch(() => undefined);
    return result.then(() => this.view());
  }

  private async apply(action: Exclude<SessionAction, { type: 'cancel' }>): Promise<void> {
    refuse(sealedGate(this.state));
    // Every action below signs a record with the operator's key: only inside its window.
    const entry = await operatorTrustEntry(this.ctx.workspace, this.ctx.operatorKeyId);
    refuse(operatorWindowGate(entry, this.ctx.approvals.clock()));
    if (action.type === 'note') {
      await this.writer.append('note', { step: action.step, text: action.text });
      return;
    }
    if (action.type === 'abort') return this.abort(action.reason);
    refuse(runningGate(this.running?.step ?? null));
    const step = this.stepInTurn(action.step);
    switch (action.type) {
      case 'checklist':
        return this.checklist(step, action.checked);
      case 'confirm':
        return this.confirm(step, action.typed);
      case 'approve':
        return acceptInPerson(this.host(), step, action);
      case 'request':
        return requestApproval(this.host(), step);
      case 'respond':
        return acceptOffer(this.host(), step, action.text, action.source, action.file ?? null);
      case 'unattended':
        return doneBySchedule(this.host(), step);
      case 'run':
        return this.run(step);
      case 'skip':
        return this.skip(step, action.reason);
    }
  }

  /** The step the action names, refused unless it is the first unfinished one. */
  private stepInTurn(id: string): PlanStep {
    const turn = stepInTurn(this.ctx.plan, this.state, id);
    if (!turn.ok) refuse(turn.refusal);
    return turn.step;
  }

  private viewOf(id: string) {
    return this.state.steps.find((s) => s.id === id);
  }

  /** Append step.start unless the step's current attempt is open; a failed step starts a new attempt. */
  private async ensureStarted(step: PlanStep): Promise<number> {
    const view = this.viewOf(step.id);
    if (view?.state === 'running') return view.attempts;
    const attempt = (view?.attempts ?? 0) + 1;
    await this.writer.append('step.start', { step: step.id, attempt });
    return attempt;
  }

  private async end(
    step: PlanStep,
    state: 'done' | 'failed' | 'skipped',
    error: string | null,
  ): Promise<void> {
    const attempt = Math.max(1, this.viewOf(step.id)?.attempts ?? 1);
    await this.writer.append('step.end', { step: step.id, attempt, state, error });
    if (state !== 'failed') await this.sealIfFinished();
  }

  private async sealIfFinished(): Promise<void> {
    if (!this.state.sealed && !this.aborting && currentStep(this.ctx.plan, this.state) === null) {
      if (this.state.rollback) {
        // The abort's rollback ran to its end: the session ends aborted, rolled back.
        const text = rolledBackNote(this.state.rollback.steps.length);
        await this.writer.append('note', { step: null, text });
        await this.writer.seal('aborted');
        await this.ctx.release();
        return;
      }
      const rto = this.ctx.plan.rtoSeconds;
      if (this.ctx.mode === 'drill' && rto !== null) {
        const text = drillMeasureNote(this.state.elapsedMs ?? 0, rto);
        await this.writer.append('note', { step: null, text });
      }
      await this.writer.seal('completed');
      await this.ctx.release();
    }
  }

  private async checklist(step: PlanStep, checked: string[]): Promise<void> {
    refuse(checklistGate(step, this.state, checked));
    await this.ensureStarted(step);
    for (const item of step.checklist)
      await this.writer.append('note', { step: step.id, text: `checked: ${item}` });
    await this.end(step, 'done', null);
  }

  private async confirm(step: PlanStep, typed: string): Promise<void> {
    refuse(confirmableGate(step));
    const expected = step.confirmTarget ?? '';
    if (step.kind === 'manual') await this.ensureStarted(step);
    const prompt = confirmPrompt(expected);
    await this.writer.append('confirm', { step: step.id, prompt, expected, typed });
    refuse(confirmMatchGate(step, typed));
  }

  private async skip(step: PlanStep, reason: string): Promise<void> {
    const view = this.viewOf(step.id);
    refuse(skipGate(step, view, reason));
    // A failed step is skipped as its last attempt ended: no new attempt is opened.
    await this.writer.append('note', { step: step.id, text: `skipped: ${reason}` });
    await this.end(step, 'skipped', reason);
  }

  /**
   * Stop the session. When completed steps have rollback steps (and no rollback runs yet), they
   * become the steps in turn, through the same gates; the seal comes after them. Otherwise, or
   * when a rollback is itself aborted, the log is sealed as aborted now.
   */
  private async abort(reason: string): Promise<void> {
    this.aborting = true;
    try {
      const running = this.running;
      if (running) {
        running.controller.abort();
        await running.done;
      }
      await this.writer.append('note', { step: null, text: `Aborted: ${reason}` });
      const undo = this.state.rollback ? [] : rollbackSteps(this.ctx.plan, this.state);
      if (undo.length > 0) {
        const steps = undo.map((s) => ({
          id: s.id,
          title: s.title,
          kind: s.kind,
          of: s.rollbackOf ?? '',
        }));
        await this.writer.append('rollback', { reason, steps });
        return;
      }
      await this.writer.seal('aborted');
      await this.ctx.release();
    } finally {
      this.aborting = false;
    }
  }

  private async cancel(step: string): Promise<void> {
    const running = this.running;
    if (!running || running.step !== step) {
      throw new UserError(
        'NOTHING_RUNNING',
        `No command of step ${step.slice(0, 100)} is running.`,
        'There is nothing to cancel.',
      );
    }
    running.controller.abort();
    await running.done;
  }

  private async run(step: PlanStep): Promise<void> {
    const decision = runGate(step, this.viewOf(step.id), this.state);
    if (decision.do === 'refuse') return refuse(decision.refusal);
    if (decision.do === 'ask-again') {
      // Retrying an approval asks for it again: a new attempt.
      await this.ensureStarted(step);
      return;
    }
    const view = this.viewOf(step.id);
    // A new attempt, unless the step was started (after a crash the open attempt ends first).
    if (view?.state === 'running') {
      await this.end(step, 'failed', 'Interrupted before its command finished.');
    }
    // In a drill, where the bytes land is checked again just before the step writes.
    if (this.ctx.mode === 'drill') await assertDrillConfined(this.ctx, `"${step.title}"`);
    this.starting = step.id;
    try {
      await this.ensureStarted(step);
      if (this.ctx.mode === 'rehearsal') {
        await this.writer.append('note', { step: step.id, text: rehearsalNote(step) });
        // An executor that rehearses shows what it would do (an S3 step's blast radius), writing nothing.
        if (executorOf(step)?.rehearses) return await this.launch(step);
        await this.end(step, 'skipped', null);
        return;
      }
      await this.launch(step);
    } finally {
      this.starting = null;
    }
  }

  private async launch(step: PlanStep): Promise<void> {
    const cmd = `c${this.state.commands.length + 1}`;
    const launched = await launchStep(this.writer, this.ctx, step, cmd);
    if ('error' in launched) return this.end(step, 'failed', launched.error);
    this.track(step, launched);
  }

  /**
   * Hold a command that runs since before a crash (resume found its process group alive): it runs
   * as this session's command — Retry waits, cancel stops it — and its step ends when it does.
   */
  adoptRunning(
    step: PlanStep,
    cmd: string,
    startedAt: string,
    run: { controller: AbortController; ended: Promise<string> },
    message: string,
  ): void {
    const close = async () => {
      const durationMs = Math.max(0, Date.now() - Date.parse(startedAt));
      await this.writer.append('cmd.end', { cmd, exitCode: null, signal: null, durationMs });
    };
    this.track(step, { ...run, close }, message);
  }

  private track(step: PlanStep, run: Tracked, message?: string): void {
    const { controller, ended, close } = run;
    const done = ended
      .then(async (error) => {
        try {
          await close();
          const ok = this.ctx.mode === 'rehearsal' ? 'skipped' : 'done';
          await this.end(step, error === null ? ok : 'failed', error);
        } finally {
          this.running = null;
        }
      })
      .catch(() => {
        // The writer failed: the log stays valid up to its last record; the console shows it as is.
        this.running = null;
      })
      .finally(() => this.notify(null));
    this.running = { step: step.id, controller, done, ...(message ? { message } : {}) };
    this.notify(null);
  }
}
