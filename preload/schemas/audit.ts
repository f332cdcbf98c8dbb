// The audit log as the renderer sees it: the verification verdict and the replayed session.
import { z } from 'zod';
import { BlastRadius } from './s3';
import { Cut } from './groups';

/** What verification concluded about a log file. */
export const Verdict = z.enum(['VALID', 'UNSEALED', 'TORN_TAIL', 'TRUNCATED', 'FORKED', 'INVALID']);
export type Verdict = z.infer<typeof Verdict>;

/** The first thing wrong with a log: where (1-based line, and seq when known) and why. */
export const VerifyError = z.object({
  line: z.number().int().nullable(),
  seq: z.number().int().nullable(),
  reason: z.string(),
});
export type VerifyError = z.infer<typeof VerifyError>;

/** A key that signed records of the log, named from the trust file. */
export const SignerSummary = z.object({
  keyId: z.string(),
  name: z.string(),
  records: z.number().int(),
  approvals: z.number().int(),
});
export type SignerSummary = z.infer<typeof SignerSummary>;

/** The result of verifying a log: `dapple audit verify --json` prints exactly this. */
export const VerifyReport = z.object({
  verdict: Verdict,
  /** Records that verified: the whole log, or the prefix before the first error. */
  records: z.number().int(),
  sealed: z.boolean(),
  firstError: VerifyError.nullable(),
  signers: z.array(SignerSummary),
});
export type VerifyReport = z.infer<typeof VerifyReport>;

/** The state of one step in a session. */
export const StepState = z.enum(['pending', 'running', 'done', 'failed', 'skipped']);
export type StepState = z.infer<typeof StepState>;

/** One chunk of command output, inline or kept as a blob file named by its SHA-256. */
export const OutputChunk = z.object({
  seq: z.number().int(),
  ts: z.string(),
  stream: z.enum(['stdout', 'stderr']),
  bytes: z.number().int(),
  sha256: z.string(),
  /** The text when it was UTF-8; null for binary output (see b64) or a blob. */
  text: z.string().nullable(),
  b64: z.string().nullable(),
  blob: z.boolean(),
});
export type OutputChunk = z.infer<typeof OutputChunk>;

/** One command as run: where, what, how it ended and what it printed. */
export const CommandView = z.object({
  id: z.string(),
  step: z.string(),
  host: z.string(),
  argv: z.array(z.string()),
  startedAt: z.string(),
  endedAt: z.string().nullable(),
  exitCode: z.number().int().nullable(),
  signal: z.string().nullable(),
  durationMs: z.number().nullable(),
  output: z.array(OutputChunk),
  /** Its process group and the machine it runs on, once started (cmd.pid); absent before. */
  process: z
    .object({ machine: z.string(), pgid: z.number().int(), started: z.string().nullable() })
    .optional(),
});
export type CommandView = z.infer<typeof CommandView>;

/** An approval, with the approver's name (from the trust file) and the key that approved. */
export const ApprovalView = z.object({
  seq: z.number().int(),
  step: z.string(),
  approver: z.string(),
  /** The approver's key: the record's signer in person, the document's signer otherwise. */
  keyId: z.string(),
  /** At the operator's screen, by a signed response, or by a standing approval (drills). */
  via: z.enum(['in-person', 'response', 'standing']),
  /** The response's (or standing approval's) nonce; null in person. */
  nonce: z.string().nullable(),
  decision: z.enum(['approved', 'rejected']),
  statement: z.string(),
  ts: z.string(),
  /** True when the operator's own key signed it: not a second person. */
  selfApproved: z.boolean(),
});
export type ApprovalView = z.infer<typeof ApprovalView>;

/** A signed approval request the session sent out. */
export const ApprovalRequestView = z.object({
  seq: z.number().int(),
  step: z.string(),
  attempt: z.number().int(),
  sha256: z.string(),
  nonce: z.string(),
  expires: z.string(),
  ts: z.string(),
  /** The signed request as sent: payload text, signature (base64), key id. */
  document: z.object({ payload: z.string(), sig: z.string(), key: z.string() }),
});
export type ApprovalRequestView = z.infer<typeof ApprovalRequestView>;

/** An approval that was offered and refused, with the reason. */
export const ApprovalRefusalView = z.object({
  seq: z.number().int(),
  step: z.string(),
  via: z.string(),
  source: z.string(),
  code: z.string(),
  reason: z.string(),
  keyId: z.string().nullable(),
  file: z.string().nullable(),
  ts: z.string(),
});
export type ApprovalRefusalView = z.infer<typeof ApprovalRefusalView>;

/** A typed confirmation before a destructive step. */
export const ConfirmationView = z.object({
  seq: z.number().int(),
  step: z.string(),
  prompt: z.string(),
  expected: z.string(),
  typed: z.string(),
  matched: z.boolean(),
  ts: z.string(),
  actor: z.string(),
});
export type ConfirmationView = z.infer<typeof ConfirmationView>;

/** An operator note. */
export const NoteView = z.object({
  seq: z.number().int(),
  step: z.string().nullable(),
  text: z.string(),
  ts: z.string(),
  actor: z.string(),
});
export type NoteView = z.infer<typeof NoteView>;

/**
 * Countable work of a running step, the one progress shape of every executor (tools, S3):
 * `done` of `total` in `unit`, bytes alongside when both are known, and the ETA in seconds.
 */
export const StepProgress = z.object({
  /** What `done` and `total` count. */
  unit: z.enum(['files', 'objects', 'bytes']),
  done: z.number().int().min(0),
  /** Null while the total is not known yet (no bar, no ETA). */
  total: z.number().int().min(0).nullable(),
  bytesDone: z.number().int().min(0).nullable(),
  bytesTotal: z.number().int().min(0).nullable(),
  /** Seconds left at the current pace (the tool's own estimate when it gives one). */
  etaSeconds: z.number().int().min(0).nullable(),
  /** What it works on now, e.g. the current file (short, for the eye only). */
  detail: z.string().nullable(),
  /** When this progress was recorded. */
  ts: z.string(),
});
export type StepProgress = z.infer<typeof StepProgress>;

/** One runbook step in a session. */
export const StepView = z.object({
  id: z.string(),
  title: z.string(),
  kind: z.string(),
  state: StepState,
  attempts: z.number().int(),
  startedAt: z.string().nullable(),
  /** When the current attempt started, while the step runs. */
  attemptStartedAt: z.string().nullable(),
  endedAt: z.string().nullable(),
  /** Time spent in the step over all attempts, in milliseconds. */
  durationMs: z.number().nullable(),
  /**
   * When the step became current (the previous step finished, or the log opened): its time starts
   * here, not when the operator first acted on it. Null while an earlier step is unfinished.
   */
  currentSince: z.string().nullable(),
  /** When it stopped being current: done, skipped, or the log sealed with it open. */
  leftAt: z.string().nullable(),
  /** Milliseconds a command of this step was running (finished commands; see stepTimes). */
  runningMs: z.number(),
  error: z.string().nullable(),
  commands: z.array(z.string()),
  /** The latest progress of the current (or last) attempt; null when the step reports none. */
  progress: StepProgress.nullable(),
  /** For a rollback step: the step it undoes; null for the runbook's own steps. */
  rollbackOf: z.string().nullable(),
  /** What an S3 step said it would change when its current attempt began, or null. */
  blastRadius: BlastRadius.nullable(),
});
export type StepView = z.infer<typeof StepView>;

/** A session as folded from its audit log: live, resumed and replayed sessions all use this. */
export const SessionState = z.object({
  logId: z.string().nullable(),
  workspace: z.string().nullable(),
  runbook: z
    .object({
      name: z.string(),
      path: z.string(),
      sha256: z.string(),
      rtoSeconds: z.number().nullable(),
    })
    .nullable(),
  mode: z.enum(['live', 'drill', 'rehearsal']).nullable(),
  target: z.string().nullable(),
  /** The parameters as bound when the session opened (target, instants, strings, points). */
  params: z.array(z.object({ name: z.string(), value: z.string().nullable() })),
  /** Set once an abort started rolling back: the reason and the rollback steps, in order. */
  rollback: z.object({ reason: z.string(), steps: z.array(z.string()) }).nullable(),
  /** The cut the session restores to (from the open record; null for an unbound plan or an older log). */
  cut: Cut.nullable(),
  /** When the incident began, as the operator set it (ISO), or null. */
  incident: z.string().nullable(),
  operator: z.object({ name: z.string(), keyId: z.string() }).nullable(),
  host: z.string().nullable(),
  appVersion: z.string().nullable(),
  startedAt: z.string().nullable(),
  lastTs: z.string().nullable(),
  /** Wall time from open to seal (or to the last record), in milliseconds. */
  elapsedMs: z.number().nullable(),
  records: z.number().int(),
  head: z.string().nullable(),
  checkpoints: z.number().int(),
  sealed: z.boolean(),
  outcome: z.enum(['running', 'completed', 'failed', 'aborted']),
  currentStep: z.string().nullable(),
  steps: z.array(StepView),
  commands: z.array(CommandView),
  approvals: z.array(ApprovalView),
  approvalRequests: z.array(ApprovalRequestView),
  approvalRefusals: z.array(ApprovalRefusalView),
  confirmations: z.array(ConfirmationView),
  notes: z.array(NoteView),
});
export type SessionState = z.infer<typeof SessionState>;
