// The step-executor seam: every step kind that does work (argv on a host, a backup tool, an S3
// operation) is one executor behind this interface, so the session treats them all alike.
import type { StepProgress } from '../../../preload/schemas/audit';
import type { RecoveryPoint } from '../../../preload/schemas/catalog';
import type { PlanStep, RunbookPlan } from '../../../preload/schemas/runbook';
import type { SessionMode } from '../../../preload/schemas/session';
import type { SshOptions } from '../../catalog/backends/ssh';
import type { AuditWriter } from '../../audit/writer';
import type { Workspace } from '../../workspace/types';

/** Countable work as an executor reports it; the recorder adds the ETA when the tool gives none. */
export type ProgressUpdate = Omit<StepProgress, 'ts' | 'etaSeconds'> & {
  etaSeconds?: number | null;
};

/** A point of the workspace's catalog with its raw record, or null when the catalog lacks it. */
export type PointLookup = (source: string, id: string) => Promise<RecoveryPoint | null>;

/** What an executor gets to run one attempt of a step. */
export type ExecutorContext = {
  writer: AuditWriter;
  workspace: Workspace;
  /** Host key and passphrase prompts for anything that reaches a host over SSH. */
  ssh: SshOptions;
  step: PlanStep;
  /** The whole bound plan (parameters, e.g. the point a tool step restores). */
  plan: RunbookPlan;
  /** The catalog's points (chains, manifests' file lists), as the console holds it. */
  points: PointLookup;
  mode: SessionMode;
  /** The id of this attempt's command record (cmd.start / output / cmd.end), e.g. "c3". */
  cmd: string;
  /** Stop after this long (the step's timeout); null for no limit. */
  timeoutMs: number | null;
  /** Report countable work: recorded in the log (throttled) and shown with an ETA. */
  progress: (update: ProgressUpdate) => void;
};

/**
 * One started attempt: abort it with the controller; `ended` resolves to null on success, else
 * why not as a sentence (it never rejects for the tool's own failures).
 */
export type StepRun = { controller: AbortController; ended: Promise<string | null> };

/** Runs the steps of some kinds. `start` resolves once the attempt has started (and is recorded). */
export type StepExecutor = {
  /** The step kinds this executor runs. */
  kinds: readonly PlanStep['kind'][];
  /** Started in a rehearsal too (with mode 'rehearsal'), to show what it would do; it must write nothing. */
  rehearses?: boolean;
  start: (context: ExecutorContext) => Promise<StepRun>;
};
