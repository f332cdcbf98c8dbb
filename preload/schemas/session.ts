// A restore session as the Restore section drives it: one run of a runbook in a mode, whose
// state is the fold of its audit log (SessionState) plus what the operator must do next.
import { z } from 'zod';
import { ApprovalRefusalView, SessionState } from './audit';
import { RunbookPlan } from './runbook';

/** live: runs for real; drill: runs against a sandbox target, timed; rehearsal: runs nothing. */
export const SessionMode = z.enum(['live', 'drill', 'rehearsal']);
export type SessionMode = z.infer<typeof SessionMode>;

const stepId = z.string().min(1).max(200);

/** What the session waits for now. */
export const NextAction = z.object({
  step: z.string(),
  /**
   * checklist: tick every item of a manual step; approval: a second engineer signs with
   * their key; confirm: type the target's name; run: start the step's command;
   * retry: the step failed — run it again, skip it with a reason, or abort.
   */
  need: z.enum(['checklist', 'approval', 'confirm', 'run', 'retry']),
  /** The instruction in words, e.g. "Type sandbox-restore to confirm the overwrite". */
  message: z.string(),
});
export type NextAction = z.infer<typeof NextAction>;

/** The approval a step waits for: the request to send, how many approved, what was refused. */
export const ApprovalWait = z.object({
  step: z.string(),
  /** Names (from the workspace's keys/trusted.json) that may approve. */
  approvers: z.array(z.string()),
  /** How many distinct approvers must approve, and how many have. */
  approvals: z.number().int(),
  have: z.number().int(),
  /** The open request (null until it is made): the pasteable line and where its files are. */
  request: z
    .object({
      sha256: z.string(),
      line: z.string(),
      file: z.string(),
      dropFile: z.string().nullable(),
      expires: z.string(),
    })
    .nullable(),
  /** The workspace's approvals drop folder, watched for responses; null when it has none. */
  dropFolder: z.string().nullable(),
  /** The latest refusals of this attempt, with their sentences. */
  refusals: z.array(ApprovalRefusalView),
});
export type ApprovalWait = z.infer<typeof ApprovalWait>;

/** A session in progress (or just sealed), as main holds it. */
export const LiveSession = z.object({
  /** The log id. */
  id: z.string(),
  /** The audit log file the session writes. */
  logPath: z.string(),
  plan: RunbookPlan,
  state: SessionState,
  /** Null once the session is sealed. */
  next: NextAction.nullable(),
  /** A command is executing now (cancel stops it). */
  running: z.boolean(),
  /** Whether the workspace trust file lists the operator's key (else the log verifies INVALID there). */
  operatorTrusted: z.boolean(),
  /** The approval the current step waits for, or null when it is not an approval step. */
  approval: ApprovalWait.nullable(),
});
export type LiveSession = z.infer<typeof LiveSession>;

/** Something the operator does in a session; each one is appended to the audit log first. */
export const SessionAction = z.discriminatedUnion('type', [
  /** Complete a manual step: every checklist item must be among `checked`. */
  z.object({ type: z.literal('checklist'), step: stepId, checked: z.array(z.string()).max(100) }),
  /** The typed confirmation of a destructive step (the target's name). */
  z.object({ type: z.literal('confirm'), step: stepId, typed: z.string().max(500) }),
  /**
   * An approval signed by the approver's own key: a key file (relative to the workspace;
   * default keys/<approver>.key) and its passphrase, which never leaves main or enters the log.
   */
  z.object({
    type: z.literal('approve'),
    step: stepId,
    keyFile: z.string().min(1).max(4096).optional(),
    passphrase: z.string().max(1024),
    decision: z.enum(['approved', 'rejected']),
    statement: z.string().min(1).max(2000),
  }),
  /**
   * Make (or show again) the approval step's signed request for an approver on another machine;
   * a request still answerable is kept, an expired one is renewed.
   */
  z.object({ type: z.literal('request'), step: stepId }),
  /**
   * An approver's signed response (or a standing approval, for drills) as pasted, read from a
   * file, or found in the drop folder. Refused with a sentence, and recorded, unless every gate
   * holds.
   */
  z.object({
    type: z.literal('respond'),
    step: stepId,
    text: z.string().min(1).max(1_000_000),
    source: z.enum(['paste', 'file', 'drop', 'standing']),
    /** The file's name when it came from one. */
    file: z.string().max(4096).optional(),
  }),
  /** A scheduled drill records a manual step marked `unattended: ok` as done by the schedule. */
  z.object({ type: z.literal('unattended'), step: stepId }),
  /** Start the step's command (again, after a failure). In a rehearsal nothing runs. */
  z.object({ type: z.literal('run'), step: stepId }),
  /** Stop the running command of a step (it counts as failed). */
  z.object({ type: z.literal('cancel'), step: stepId }),
  /** Skip a failed or manual step, with the reason in words. */
  z.object({ type: z.literal('skip'), step: stepId, reason: z.string().min(1).max(2000) }),
  /** A note in the log, on a step or on the session. */
  z.object({
    type: z.literal('note'),
    step: stepId.nullable(),
    text: z.string().min(1).max(10_000),
  }),
  /** End the session now: the log is sealed as aborted. */
  z.object({ type: z.literal('abort'), reason: z.string().min(1).max(2000) }),
]);
export type SessionAction = z.infer<typeof SessionAction>;

/** The operator's signing key as the console sees it (never the private half). */
export const OperatorKeyView = z.object({
  name: z.string(),
  keyId: z.string(),
  /** Where it is kept, in words ("the OS keychain", "the key file /home/a/…/operator.key"). */
  store: z.string(),
  /** Made just now, on first use. */
  created: z.boolean(),
  /** Listed in the open workspace's keys/trusted.json. */
  trusted: z.boolean(),
});
export type OperatorKeyView = z.infer<typeof OperatorKeyView>;
